"""The advised manifests of pods that already run: each kept pod's manifest as it was read,
each split pod as one workload per part, with a Service where a localhost link breaks. A
part is written as the kind the audit says (see ``running_kinds``): the pod's own, one the
user chose, or a Deployment for a helper split out of a Job or CronJob (as a Job it would
never complete); with ``--native-sidecars`` the helpers the advice names move to the init
containers with ``restartPolicy: Always``, after the ones that run once.

Containers are never rebuilt: each part carries its containers' specs over, field for
field, and the pod-level fields (service account, node selector, tolerations, affinity,
security context, host namespaces) are kept. Fields the API server fills in (``status``,
``uid``, ``resourceVersion``...) are left out, so a ``kubectl get -o yaml`` applies again.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from advisor.domain.running import RunningPod
from advisor.exporters.running_kinds import (
    as_kind,
    governing_service,
    part_label,
    pod_spec,
    template_metadata,
)
from advisor.layout.advice import Advice
from advisor.layout.audit import PodAudit, audit_pods

# The metadata a manifest keeps, as ``kubectl neat`` keeps it: the rest (uid,
# resourceVersion, creationTimestamp, generation, selfLink, managedFields, ownerReferences...)
# the server fills in.
_KEPT_METADATA = ("name", "namespace", "labels", "annotations")
_SERVER_ANNOTATIONS = (
    "kubectl.kubernetes.io/last-applied-configuration", "deployment.kubernetes.io/revision",
    "deprecated.daemonset.template.generation", "batch.kubernetes.io/job-tracking",
)  # fmt: skip


def running_manifests(advice: Advice) -> list[dict[str, Any]]:
    """Every running workload as advised, in input order, then the Services splits need."""
    documents: list[dict[str, Any]] = []
    services: list[dict[str, Any]] = []
    audits = audit_pods(advice)
    inventory = advice.inventory
    taken = {o.name for o in inventory.others if o.kind == "Service" and o.name}
    taken |= {b.service for audit in audits for b in audit.breaks}
    for audit in audits:
        for index, (part, name) in enumerate(zip(audit.parts, audit.names, strict=True)):
            if audit.split:
                document = _part(audit.pod, part, name, first=index == 0)
            else:
                document = _clean(audit.pod.document)
            if index == 0:
                document["metadata"]["name"] = name  # a kind of shorter names renames it
                _make_native(audit, document)
            elif audit.split and document["kind"] == audit.kinds[index] == "StatefulSet":
                # the input's governing Service selects the kept pods, not these
                services.append(governing_service(document, part_label(name), taken))
            _share_processes(advice, part, document)
            if audit.kinds[index] != document["kind"]:
                document, headless = as_kind(document, audit.kinds[index], taken)
                services += [headless] if headless is not None else []
            documents.append(document)
        services += _services(audit)
    return documents + services


def _make_native(audit: PodAudit, document: dict[str, Any]) -> None:
    """Move the helpers the advice writes as native sidecars from the containers to the end
    of the init containers (those that run once still run first, as they did), each with
    ``restartPolicy: Always``; their specs are otherwise unchanged."""
    if not audit.sidecars:
        return
    spec = pod_spec(document)
    originals = [audit.pod.container(n).original for n in audit.sidecars]
    moved = [c for c in spec["containers"] if c.get("name") in originals]
    spec["containers"] = [c for c in spec["containers"] if c.get("name") not in originals]
    spec["initContainers"] = [
        *(spec.get("initContainers") or []),
        *({**c, "restartPolicy": "Always"} for c in moved),
    ]


def _share_processes(advice: Advice, part: tuple[str, ...], document: dict[str, Any]) -> None:
    """``shareProcessNamespace: true`` when the answers say the part's containers must see
    or signal each other's processes; none when the user said they need not (as they run,
    the manifest's own setting stands)."""
    shared = advice.questionnaire.processes_answer(part) if len(part) > 1 else None
    if shared is True:
        pod_spec(document)["shareProcessNamespace"] = True
    elif shared is False:
        pod_spec(document).pop("shareProcessNamespace", None)


# Labels the controllers set on the pods they make: a workload of another name must not
# carry them over.
_CONTROLLER_LABELS = (
    "controller-uid", "job-name", "batch.kubernetes.io/controller-uid",
    "batch.kubernetes.io/job-name", "pod-template-hash", "controller-revision-hash",
    "pod-template-generation", "statefulset.kubernetes.io/pod-name",
)  # fmt: skip


def _clean(document: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``document`` without what the API server filled in, so that a manifest
    copied from ``kubectl get -o yaml`` applies again: ``status``, the metadata but for
    name, namespace, labels and annotations (the templates' too), the annotations the
    server sets (last-applied, revision...), and a Job's
    generated selector with the labels its controller set (a Job of the same name made
    anew gets another uid, which the old selector would not match)."""
    result = copy.deepcopy(dict(document))
    result.pop("status", None)
    metadata = _neat(result)
    spec = result.get("spec")
    for owner in _templates(spec):  # as kubectl prints them: creationTimestamp: null...
        _neat(owner)
    if result.get("kind") == "Job" and isinstance(spec, dict) and not spec.get("manualSelector"):
        spec.pop("selector", None)
        _drop(metadata, "labels", _CONTROLLER_LABELS)
        template = spec.get("template")
        _drop(template.get("metadata") if isinstance(template, dict) else None, "labels",
              _CONTROLLER_LABELS)  # fmt: skip
    return result


def _neat(owner: dict[str, Any]) -> Any:
    """Keep of ``owner``'s metadata what ``_KEPT_METADATA`` names, without the annotations
    the server sets; its ``status`` goes too (a claim template's). The metadata kept."""
    owner.pop("status", None)
    metadata = owner.get("metadata")
    if isinstance(metadata, dict):
        owner["metadata"] = metadata = {k: metadata[k] for k in _KEPT_METADATA if k in metadata}
        _drop(metadata, "annotations", _SERVER_ANNOTATIONS)
    return metadata


def _templates(spec: Any) -> list[dict[str, Any]]:
    """The templates of a workload's spec that carry metadata: the pod template, a CronJob's
    job template and its pod template, a StatefulSet's claim templates."""
    if not isinstance(spec, dict):
        return []
    found = [t for t in spec.get("volumeClaimTemplates") or [] if isinstance(t, dict)]
    for key in ("jobTemplate", "template"):
        template = spec.get(key)
        if isinstance(template, dict):
            found += [template, *_templates(template.get("spec"))]
    return found


def _drop(metadata: Any, key: str, names: tuple[str, ...]) -> None:
    """Remove ``names`` from ``metadata[key]``, and the key when nothing is left."""
    mapping = metadata.get(key) if isinstance(metadata, dict) else None
    if not isinstance(mapping, dict):
        return
    for name in names:
        mapping.pop(name, None)
    if not mapping:
        del metadata[key]


def _part(pod: RunningPod, part: tuple[str, ...], name: str, first: bool) -> dict[str, Any]:
    """The workload of one part: the members' containers, the init containers that run once
    (with the primary's part), and the volumes they mount."""
    document = _clean(pod.document)
    spec = pod_spec(document)
    originals = {pod.container(n).original for n in part}
    main = [c for c in spec.get("containers") or [] if c.get("name") in originals]
    init = [
        c
        for c in spec.get("initContainers") or []
        if c.get("name") in originals or (first and c.get("restartPolicy") != "Always")
    ]
    if not main:  # a native sidecar split out alone: the pod's main container now
        main = [_main(c) for c in init if c.get("name") in originals]
        init = [c for c in init if c.get("name") not in originals]
    spec["containers"] = main
    if init:
        spec["initContainers"] = init
    else:
        spec.pop("initContainers", None)
    mounted = {m.get("name") for c in main + init for m in c.get("volumeMounts") or []}
    volumes = [v for v in spec.get("volumes") or [] if v.get("name") in mounted]
    if volumes:
        spec["volumes"] = volumes
    else:
        spec.pop("volumes", None)
    if not first:  # the kept part keeps every template: a StatefulSet's cannot be changed
        _keep_claims(document, mounted)
    if first:
        _label_pods(document, name)  # the selector stays: the kept pods gain the label only
    else:
        _rename(document, name)
    return document


def _main(container: dict[str, Any]) -> dict[str, Any]:
    """A native sidecar as a main container: a pod needs one, and only an init container
    takes ``restartPolicy: Always`` (a main container restarts as the pod's policy says)."""
    return {k: v for k, v in container.items() if k != "restartPolicy"}


def _keep_claims(document: dict[str, Any], mounted: set[Any]) -> None:
    """Keep the volumeClaimTemplates a part split out of a StatefulSet mounts, no other."""
    spec = document.get("spec")
    if document["kind"] != "StatefulSet" or not isinstance(spec, dict):
        return
    kept = [
        t
        for t in spec.get("volumeClaimTemplates") or []
        if (t.get("metadata") or {}).get("name") in mounted
    ]
    if kept:
        spec["volumeClaimTemplates"] = kept
    else:
        spec.pop("volumeClaimTemplates", None)


def _label_pods(document: dict[str, Any], name: str) -> None:
    """Give the kept part's pods the label a split's Service selects them by."""
    metadata = document["metadata"] if document["kind"] == "Pod" else template_metadata(document)
    metadata["labels"] = {**(metadata.get("labels") or {}), **part_label(name)}


def _rename(document: dict[str, Any], name: str) -> None:
    """Name a split-out workload and select its pods by a label of their own: the original
    selector must no longer match them."""
    document["metadata"]["name"] = name
    own = part_label(name)
    if document["kind"] == "Pod":
        document["metadata"]["labels"] = {**(document["metadata"].get("labels") or {}), **own}
        return
    spec = document["spec"]
    selector = spec.get("selector")
    selected = (selector or {}).get("matchLabels") or {}
    metadata = template_metadata(document)
    labels = {
        k: v
        for k, v in (metadata.get("labels") or {}).items()
        if k not in selected and k not in _CONTROLLER_LABELS
    }
    metadata["labels"] = {**labels, **own}
    if selector is not None:
        spec["selector"] = {"matchLabels": own}
    if document["kind"] == "Job":
        spec.pop("selector", None)  # a Job's selector is generated
        spec.pop("manualSelector", None)


def _services(audit: PodAudit) -> list[dict[str, Any]]:
    """A Service in front of each part a localhost link now reaches across pods."""
    pod = audit.pod
    ports: dict[str, set[int]] = {}
    selects: dict[str, str] = {}
    for found in audit.breaks:
        ports.setdefault(found.service, set())
        selects[found.service] = found.workload
        if found.port is not None:
            ports[found.service].add(found.port)
    documents = []
    for service, workload in selects.items():
        metadata: dict[str, Any] = {"name": service}
        if pod.namespace:
            metadata["namespace"] = pod.namespace
        documents.append(
            {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": metadata,
                "spec": _service_spec(workload, sorted(ports[service])),
            }
        )
    return documents


def _service_spec(workload: str, ports: list[int]) -> dict[str, Any]:
    """The Service's spec: the ports the links name, or, when none names one, headless (its
    name then resolves to the pods themselves, every port of theirs reachable)."""
    selector = part_label(workload)
    if not ports:
        return {"clusterIP": "None", "selector": selector}
    listed = [{"name": f"port-{port}", "port": port, "targetPort": port} for port in ports]
    return {"selector": selector, "ports": listed}
