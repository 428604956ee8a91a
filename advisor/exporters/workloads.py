"""A pod's manifest wrapped in the object that runs it: Deployment, StatefulSet (with its
claims as templates and its headless Service), Job, CronJob, DaemonSet, or the bare Pod."""

from __future__ import annotations

from typing import Any

from advisor.domain.model import Workload
from advisor.domain.names import MAX_LABEL
from advisor.layout.workloads import WorkloadPlan


def headless_name(pod: str, taken: set[str]) -> str:
    """The headless Service that names a StatefulSet's pods (``db-0.db-headless``), unlike
    any Service name in ``taken`` (a compose service may be called ``db-headless``)."""
    for number in range(1, len(taken) + 2):
        suffix = "-headless" if number == 1 else f"-headless-{number}"
        name = f"{pod[: MAX_LABEL - len(suffix)].rstrip('-')}{suffix}"
        if name not in taken:
            return name
    raise AssertionError("unreachable: some suffix is free")


def wrap(
    pod: dict[str, Any],
    plan: WorkloadPlan,
    claim_templates: list[dict[str, Any]],
    governing: str | None = None,
    name: str | None = None,
) -> dict[str, Any]:
    """The object that runs ``pod`` as ``plan`` says, named ``name`` (``podnames``: a
    StatefulSet's or CronJob's may be cut) or as the pod. ``claim_templates`` are the claims
    a StatefulSet makes per replica (the pod's own data volumes), ``governing`` the headless
    Service that names its pods."""
    if plan.kind is Workload.POD:
        return pod
    metadata = pod["metadata"]
    template = {"metadata": {"labels": dict(metadata["labels"])}, "spec": pod["spec"]}
    selector = {"matchLabels": {"app.kubernetes.io/name": metadata["name"]}}
    if name is not None and name != metadata["name"]:
        metadata = {**metadata, "name": name}
    spec: dict[str, Any]
    if plan.kind is Workload.DEPLOYMENT:
        spec = {"replicas": plan.replicas, "selector": selector, "template": template}
    elif plan.kind is Workload.STATEFULSET:
        spec = {
            "replicas": plan.replicas,
            "serviceName": governing or headless_name(metadata["name"], set()),
            "selector": selector,
            "template": template,
        }
        if claim_templates:
            spec["volumeClaimTemplates"] = claim_templates
    elif plan.kind is Workload.DAEMONSET:
        spec = {"selector": selector, "template": template}
    else:  # a Job, on its own or on a schedule
        template["spec"] = {**template["spec"], "restartPolicy": plan.restart}
        spec = {"template": template}
        if plan.kind is Workload.CRONJOB:
            spec = {"schedule": plan.schedule, "jobTemplate": {"spec": spec}}
    api = "batch/v1" if plan.kind in (Workload.JOB, Workload.CRONJOB) else "apps/v1"
    return {"apiVersion": api, "kind": plan.kind.kind, "metadata": metadata, "spec": spec}


def headless_service(pod: str, name: str, labels: dict[str, str]) -> dict[str, Any]:
    """The headless Service ``name`` that a StatefulSet's ``serviceName`` names."""
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "labels": labels},
        "spec": {
            "clusterIP": "None",
            "selector": {"app.kubernetes.io/name": pod},
            "publishNotReadyAddresses": True,
        },
    }
