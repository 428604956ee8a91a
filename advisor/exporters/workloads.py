"""A pod's manifest wrapped in the object that runs it: Deployment, StatefulSet (with its
claims as templates and its headless Service), Job, CronJob, DaemonSet, or the bare Pod."""

from __future__ import annotations

from typing import Any

from advisor.domain.model import Workload
from advisor.domain.names import MAX_LABEL, MAX_WORKLOAD_NAME, unique_fitted
from advisor.layout.workloads import WorkloadPlan

# Kinds whose own name is part of longer names the controller makes (a StatefulSet's
# revision label, a CronJob's Jobs): the API server refuses them past MAX_WORKLOAD_NAME.
_SHORT_NAMED = (Workload.STATEFULSET, Workload.CRONJOB)


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
    taken: set[str] | None = None,
) -> dict[str, Any]:
    """The object that runs ``pod`` as ``plan`` says. ``claim_templates`` are the claims a
    StatefulSet makes per replica (the pod's own data volumes), ``governing`` the headless
    Service that names its pods. A StatefulSet's or CronJob's name is cut to
    ``MAX_WORKLOAD_NAME`` characters, unlike any name in ``taken`` (which it joins)."""
    if plan.kind is Workload.POD:
        return pod
    metadata = pod["metadata"]
    template = {"metadata": {"labels": dict(metadata["labels"])}, "spec": pod["spec"]}
    selector = {"matchLabels": {"app.kubernetes.io/name": metadata["name"]}}
    if plan.kind in _SHORT_NAMED and len(metadata["name"]) > MAX_WORKLOAD_NAME:
        name = unique_fitted(metadata["name"], MAX_WORKLOAD_NAME, taken or set())
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
