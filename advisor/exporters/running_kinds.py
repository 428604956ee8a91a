"""A running workload's pod written as another kind: the kind the user chose for it in
``ask``'s review (or ``--workload``), or a Deployment for a helper split out of a Job.

The pod template is carried over (its labels, annotations and pod spec) but for the
fields the new kind cannot take: a Job's restart policy and deadline in a pod that runs
until it is stopped, ``restartPolicy: Always`` in a Job's pods. What the new kind needs
and the old one had not is made: a selector (the workload's own when it had one, else
the part's label), one replica, the headless Service a StatefulSet names.
"""

from __future__ import annotations

import copy
from typing import Any

from advisor.domain.names import label_value
from advisor.domain.workloadspec import carried_fields
from advisor.exporters.workloads import headless_name, headless_service

PART_LABEL = "pod-advisor.io/workload"  # selects the pods of a workload split out of another
_COMPLETES = ("Job", "CronJob")


def part_label(name: str) -> dict[str, str]:
    """The label that selects the pods of workload ``name`` (its value cut to 63 characters,
    as every label value must be)."""
    return {PART_LABEL: label_value(name)}


def pod_spec(document: dict[str, Any]) -> dict[str, Any]:
    """The pod spec of a workload manifest (the spec itself for a Pod)."""
    spec: dict[str, Any] = document["spec"]
    if document["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    if document["kind"] != "Pod":
        spec = spec["template"]["spec"]
    return spec


def template_metadata(document: dict[str, Any]) -> dict[str, Any]:
    """The metadata of a workload's pod template (made when missing)."""
    spec = document["spec"]
    kept = spec["jobTemplate"]["spec"] if document["kind"] == "CronJob" else spec
    template = kept["template"]
    if "metadata" not in template:  # first, as a template is written by hand
        kept["template"] = template = {"metadata": {}, **template}
    metadata: dict[str, Any] = template["metadata"]
    return metadata


def as_kind(
    document: dict[str, Any], kind: str, taken: set[str]
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """``document`` (already named and labelled as written) run by a ``kind`` object instead;
    with the headless Service a StatefulSet needs (named unlike any in ``taken``)."""
    source = document["metadata"]
    metadata = {k: source[k] for k in ("name", "namespace", "labels", "annotations") if k in source}
    name = metadata["name"]
    if document["kind"] == "Pod":
        pod_labels = {k: v for k, v in source.items() if k in ("labels", "annotations")}
    else:
        pod_labels = copy.deepcopy(template_metadata(document))
    spec = copy.deepcopy(pod_spec(document))
    if kind in _COMPLETES:
        if spec.get("restartPolicy") in (None, "Always"):
            spec["restartPolicy"] = "OnFailure"
    elif kind != "Pod":
        spec.pop("activeDeadlineSeconds", None)
        if spec.get("restartPolicy") != "Always":
            spec.pop("restartPolicy", None)
    if kind == "Pod":
        pod_metadata = {**metadata, **pod_labels}
        return {"apiVersion": "v1", "kind": "Pod", "metadata": pod_metadata, "spec": spec}, None
    template = {"metadata": pod_labels, "spec": spec}
    carried, _dropped = carried_fields(document, kind)  # the audit reports what is dropped
    carried = copy.deepcopy(carried)
    if kind == "Job":  # never a CronJob: only a CronJob has a schedule, and stays one
        if document["kind"] == "CronJob":
            _job_metadata(document, metadata)
        return {"apiVersion": "batch/v1", "kind": kind, "metadata": metadata,
                "spec": {**carried, "template": template}}, None  # fmt: skip
    selected = _selector(document, pod_labels, name)
    body: dict[str, Any] = {"selector": {"matchLabels": selected}, "template": template}
    if kind in ("Deployment", "StatefulSet"):
        body = {"replicas": _replicas(document), **body}
    body = {**body, **carried}
    written = {"apiVersion": "apps/v1", "kind": kind, "metadata": metadata, "spec": body}
    service = governing_service(written, selected, taken) if kind == "StatefulSet" else None
    return written, service


def governing_service(
    document: dict[str, Any], selected: dict[str, str], taken: set[str]
) -> dict[str, Any]:
    """The headless Service of its own that StatefulSet ``document`` names as its
    ``serviceName`` (set here), selecting its pods by ``selected``, named unlike any in
    ``taken``."""
    metadata = document["metadata"]
    name = metadata["name"]
    governing = headless_name(name, taken)
    taken.add(governing)
    document["spec"]["serviceName"] = governing
    service = headless_service(name, governing, {})
    service["metadata"] = {k: v for k, v in service["metadata"].items() if k != "labels"}
    if "namespace" in metadata:
        service["metadata"]["namespace"] = metadata["namespace"]
    service["spec"]["selector"] = dict(selected)
    return service


def _job_metadata(document: dict[str, Any], metadata: dict[str, Any]) -> None:
    """Give a Job made of a CronJob the labels and annotations of its jobTemplate (those
    the CronJob gave each Job it made)."""
    job = (document["spec"].get("jobTemplate") or {}).get("metadata") or {}
    for key in ("labels", "annotations"):
        if job.get(key):
            metadata[key] = {**(metadata.get(key) or {}), **copy.deepcopy(job[key])}


def _selector(document: dict[str, Any], pod_labels: dict[str, Any], name: str) -> dict[str, str]:
    """The workload's own selector when its pods carry every label of it; else the part's
    label, given to the pods."""
    spec = document.get("spec") if document["kind"] not in ("Pod", *_COMPLETES) else None
    selector = spec.get("selector") if isinstance(spec, dict) else None
    wanted = (selector or {}).get("matchLabels") or {}
    labels = pod_labels.setdefault("labels", {})
    if wanted and not (selector or {}).get("matchExpressions") and wanted.items() <= labels.items():
        return dict(wanted)
    own = part_label(name)
    labels.update(own)
    return own


def _replicas(document: dict[str, Any]) -> int:
    replicas = document["spec"].get("replicas") if document["kind"] != "Pod" else None
    return replicas if isinstance(replicas, int) and not isinstance(replicas, bool) else 1
