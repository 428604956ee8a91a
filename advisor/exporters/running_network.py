"""NetworkPolicies for manifests that already run: one per workload written, selecting its
pods as the workload does, that lets in what the input's Services serve (from anyone: the
manifests do not say who their clients are) and, after a split, the localhost links that
now cross pods. A workload nothing reaches gets a policy that lets nothing in.

The flows are read from the documents as written (``running_manifests``), so a selector of
the input matches a split's parts exactly as the API server will match them.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from advisor.domain.model import Port
from advisor.domain.names import short_label
from advisor.exporters.running_kinds import pod_spec
from advisor.layout.advice import Advice
from advisor.layout.audit import audit_pods
from advisor.layout.network import Flow

_WORKLOADS = ("Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob")


def running_flows(advice: Advice, documents: list[dict[str, Any]]) -> list[Flow]:
    """Every flow into the workloads of ``documents``: the input Services' ports, then the
    localhost links a split breaks."""
    workloads = [d for d in documents if d.get("kind") in _WORKLOADS]
    flows: list[Flow] = []
    for other in advice.inventory.others:
        service = other.document
        spec = service.get("spec") if isinstance(service, Mapping) else None
        selector = spec.get("selector") if isinstance(spec, Mapping) else None
        if not isinstance(spec, Mapping) or not isinstance(selector, Mapping) or not selector:
            continue  # no selector: endpoints set by hand, no pod of ours
        for workload in workloads:
            if _namespace(workload) != other.namespace:
                continue
            if selector.items() <= pod_labels(workload).items():
                ports = _service_ports(spec, workload)
                flows.append(
                    Flow(None, workload["metadata"]["name"], ports, (f"Service {other.name}",))
                )
    for audit in audit_pods(advice):
        part_of = {n: audit.names[i] for i, part in enumerate(audit.parts) for n in part}
        for found in audit.breaks:
            link = found.link
            ports = (Port(found.port),) if found.port is not None else ()
            why = f"{link.a} reaches {link.b} over localhost ({link.where}), now via Service"
            why += f" {found.service}"
            flows.append(Flow(part_of[link.a], found.workload, ports, (why,)))
    return flows


def running_policies(advice: Advice, documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A policy per workload of ``documents`` that can be selected, with its flows."""
    flows = running_flows(advice, documents)
    taken = {o.name for o in advice.inventory.others if o.kind == "NetworkPolicy"}
    selectors = {
        (_namespace(d), d["metadata"]["name"]): _selector(d)
        for d in documents
        if d.get("kind") in _WORKLOADS
    }
    policies = []
    for (namespace, name), selector in selectors.items():
        if selector is None:
            continue  # a bare Pod without labels: no policy can select it (see network_lines)
        rules = []
        for flow in flows:
            if flow.target != name:
                continue
            rule: dict[str, Any] = {}
            source = selectors.get((namespace, flow.source or ""))
            if flow.source is not None and source is not None:
                rule["from"] = [{"podSelector": source}]
            if flow.ports:
                rule["ports"] = [{"port": p.number, "protocol": p.protocol} for p in flow.ports]
            if rule not in rules:
                rules.append(rule)
        metadata: dict[str, Any] = {
            "name": _unique(short_label(f"{name}-ingress", "ingress"), taken)
        }
        if namespace:
            metadata["namespace"] = namespace
        spec: dict[str, Any] = {"podSelector": selector, "policyTypes": ["Ingress"]}
        if rules:
            spec["ingress"] = rules
        policies.append(
            {
                "apiVersion": "networking.k8s.io/v1",
                "kind": "NetworkPolicy",
                "metadata": metadata,
                "spec": spec,
            }
        )
    return policies


def unselectable(documents: list[dict[str, Any]]) -> list[str]:
    """The workloads whose pods carry no label a policy could select them by."""
    return [
        d["metadata"]["name"]
        for d in documents
        if d.get("kind") in _WORKLOADS and _selector(d) is None
    ]


def pod_labels(workload: Mapping[str, Any]) -> dict[str, Any]:
    """The labels the pods of ``workload`` carry."""
    if workload["kind"] == "Pod":
        metadata = workload.get("metadata") or {}
    else:
        spec = workload["spec"]
        kept = spec["jobTemplate"]["spec"] if workload["kind"] == "CronJob" else spec
        metadata = (kept.get("template") or {}).get("metadata") or {}
    labels = metadata.get("labels")
    return dict(labels) if isinstance(labels, Mapping) else {}


def _selector(workload: Mapping[str, Any]) -> dict[str, Any] | None:
    """How a policy selects the pods of ``workload``: its own selector, else its pods'
    labels; None when they have none."""
    selector = workload.get("spec", {}).get("selector") if workload["kind"] != "Pod" else None
    if workload["kind"] in ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet") and selector:
        return copy.deepcopy(dict(selector))
    labels = pod_labels(workload)
    return {"matchLabels": labels} if labels else None


def _service_ports(spec: Mapping[str, Any], workload: dict[str, Any]) -> tuple[Port, ...]:
    """The pod ports a Service's ports reach: each ``targetPort`` (its ``port`` when none),
    a named one looked up among the workload's container ports; any port when one cannot
    be resolved."""
    named = {
        p.get("name"): p.get("containerPort")
        for c in pod_spec(workload).get("containers") or []
        for p in c.get("ports") or []
        if isinstance(p, Mapping)
    }
    found = []
    for entry in spec.get("ports") or []:
        if not isinstance(entry, Mapping):
            continue
        target = entry.get("targetPort", entry.get("port"))
        number = named.get(target) if isinstance(target, str) else target
        if isinstance(number, str) and number.isdigit():
            number = int(number)
        if isinstance(number, bool) or not isinstance(number, int):
            return ()
        found.append(Port(number, str(entry.get("protocol") or "TCP")))
    return tuple(dict.fromkeys(found))


def _namespace(document: Mapping[str, Any]) -> str | None:
    namespace = (document.get("metadata") or {}).get("namespace")
    return namespace if isinstance(namespace, str) else None


def _unique(name: str, taken: set[str | None]) -> str:
    """``name``, or ``name-2``, ``name-3``... when a NetworkPolicy of the input has it."""
    found, number = name, 1
    while found in taken:
        number += 1
        found = f"{name}-{number}"
    taken.add(found)
    return found
