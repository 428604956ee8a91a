"""NetworkPolicies (``--network-policies``): a default-deny ingress policy for the
application's pods, then one per pod that lets in exactly the flows the evidence names
(``layout.network``). Egress stays open, as it was under compose."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from advisor.domain.model import Port
from advisor.domain.names import dns_label, short_label
from advisor.exporters.running_network import running_flows, running_policies, unselectable
from advisor.layout.advice import Advice
from advisor.layout.network import Flow, plan_flows

NAME = "app.kubernetes.io/name"
PART_OF = "app.kubernetes.io/part-of"
MANAGED_BY = "app.kubernetes.io/managed-by"


def network_policies(
    advice: Advice, documents: list[dict[str, Any]], labels: Callable[[str], dict[str, str]]
) -> list[dict[str, Any]]:
    """The policies for the manifests ``documents``, whose pods carry ``labels(pod)`` (the
    labels the workloads are written with): the default deny, then a policy per pod that
    lets something in. Manifests that already run get a policy per workload instead."""
    if advice.inventory.running:
        return running_policies(advice, documents)
    app = dns_label(advice.inventory.name)[:63].strip("-")
    first = labels(dns_label(advice.layout.pods[0].name)) if advice.layout.pods else {}
    # The application's pods: those pod-advisor wrote for it (by managed-by alone for an
    # application whose name makes no label, and so no part-of label of its own).
    selector = {key: first[key] for key in (PART_OF, MANAGED_BY) if key in first}
    if not app:
        selector.pop(PART_OF, None)
    deny = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {
            "name": short_label(f"{app}-default-deny-ingress", "deny"),
            "labels": selector,
        },
        "spec": {"podSelector": {"matchLabels": selector}, "policyTypes": ["Ingress"]},
    }
    by_target: dict[str, list[Flow]] = {}
    for flow in plan_flows(advice):
        by_target.setdefault(flow.target, []).append(flow)
    policies = [deny]
    for pod in advice.layout.pods:
        flows = by_target.get(pod.name)
        if flows:
            policies.append(_pod_policy(dns_label(pod.name), flows, labels))
    return policies


def _pod_policy(
    pod: str, flows: list[Flow], labels: Callable[[str], dict[str, str]]
) -> dict[str, Any]:
    """The policy that lets ``flows`` into ``pod``."""
    rules = []
    for flow in flows:
        rule: dict[str, Any] = {}
        if flow.source is not None:
            rule["from"] = [{"podSelector": {"matchLabels": _selector(flow.source, labels)}}]
        if flow.ports:
            rule["ports"] = [_port(port) for port in flow.ports]
        rules.append(rule)
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": short_label(f"{pod}-ingress", "ingress"), "labels": labels(pod)},
        "spec": {
            "podSelector": {"matchLabels": _selector(pod, labels)},
            "policyTypes": ["Ingress"],
            "ingress": rules,
        },
    }


def _selector(pod: str, labels: Callable[[str], dict[str, str]]) -> dict[str, str]:
    """The labels that pick out one pod of the application."""
    own = labels(dns_label(pod))
    return {key: own[key] for key in (NAME, PART_OF) if key in own}


def _port(port: Port) -> dict[str, Any]:
    return {"port": port.number, "protocol": port.protocol}


_SEEN = (
    "egress stays open. A name used only inside code or a configuration file (nginx.conf, a "
    "settings file) is not seen: such a flow is blocked, and must be added by hand to the "
    "policy of the {what} it reaches."
)


def network_lines(advice: Advice) -> list[str]:
    """report.md's "Network": every flow the policies let in, with its evidence, and what
    the tool cannot see."""
    if advice.inventory.running:
        from advisor.exporters.running import running_manifests  # the audit's manifests

        what = "workload"
        documents = running_manifests(advice)
        flows = running_flows(advice, documents)
        intro = (
            "`--network-policies`: each workload gets a policy that selects its pods and lets "
            "in only the flows below: what the input's Services serve (from anyone: the "
            "manifests do not say who their clients are) and the localhost links a split "
            "turns into traffic between pods; "
        )
        unlabelled = [
            f"- {name}: its pods carry no label, so no policy selects them; label them"
            for name in unselectable(documents)
        ]
    else:
        what, flows, unlabelled = "pod", plan_flows(advice), []
        intro = (
            "`--network-policies`: ingress to the application's pods is denied but for the "
            "flows below, each allowed because the input names it; "
        )
    lines = ["## Network", "", intro + _SEEN.format(what=what), "", *unlabelled]
    for flow in flows:
        source = f"{what} {flow.source}" if flow.source is not None else "anyone"
        ports = ", ".join(str(p) for p in flow.ports) or "any port (none is known)"
        evidence = "; ".join(flow.evidence)
        lines.append(f"- {source} -> {what} {flow.target} on {ports}: {evidence}")
    if not flows:
        lines.append(f"No flow: every {what}'s ingress is denied.")
    return [*lines, ""]
