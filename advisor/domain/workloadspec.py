"""The workload-level fields a running workload keeps when it is written as another kind:
those the new kind accepts are carried over, the others are dropped, each with why.

The pod template, the selector, the replica count and a StatefulSet's governing Service are
made by whoever writes the new kind (see ``exporters.running_kinds``); every other field of
the workload's spec (a CronJob's: of its ``jobTemplate.spec``, and its own) is weighed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# The fields of each kind's spec, but for those the writer makes (_MADE).
_ACCEPTS: dict[str, frozenset[str]] = {
    "Pod": frozenset(),
    "Deployment": frozenset(
        {"minReadySeconds", "revisionHistoryLimit", "paused", "progressDeadlineSeconds", "strategy"}
    ),
    "StatefulSet": frozenset(
        {
            "minReadySeconds",
            "revisionHistoryLimit",
            "podManagementPolicy",
            "updateStrategy",
            "persistentVolumeClaimRetentionPolicy",
            "ordinals",
        }
    ),
    "DaemonSet": frozenset({"minReadySeconds", "revisionHistoryLimit", "updateStrategy"}),
    "ReplicaSet": frozenset({"minReadySeconds"}),
    "Job": frozenset(
        {
            "activeDeadlineSeconds",
            "backoffLimit",
            "backoffLimitPerIndex",
            "completionMode",
            "completions",
            "maxFailedIndexes",
            "parallelism",
            "podFailurePolicy",
            "podReplacementPolicy",
            "successPolicy",
            "suspend",
            "ttlSecondsAfterFinished",
            "managedBy",
        }
    ),
}
_MADE = frozenset({"template", "selector", "manualSelector", "replicas", "jobTemplate"})
# The rolling-update parameters each kind's updateStrategy takes.
_ROLLING = {
    "StatefulSet": {"partition", "maxUnavailable"},
    "DaemonSet": {"maxUnavailable", "maxSurge"},
}
_WHY = {
    "serviceName": "a governing Service is a StatefulSet's only",
    "volumeClaimTemplates": "no container of it mounts them, and only a StatefulSet has them",
}


def carried_fields(document: Mapping[str, Any], target: str) -> tuple[dict[str, Any], list[str]]:
    """The workload-level fields of ``document`` a ``target`` workload takes, and a line
    for each it does not (``backoffLimit: a Deployment takes none``)."""
    kind = document.get("kind")
    spec = document.get("spec") or {}
    fields: dict[str, Any] = {}
    dropped: list[str] = []
    if kind == "CronJob":
        job = (spec.get("jobTemplate") or {}).get("spec") or {}
        fields = dict(job)
        own = [k for k in spec if k not in _MADE]
        if own:
            dropped.append(f"{', '.join(own)}: a {target} runs on no schedule")
    elif kind != "Pod":
        fields = dict(spec)
    carried: dict[str, Any] = {}
    accepts = _ACCEPTS.get(target, frozenset())
    for key, value in fields.items():
        if key in _MADE:
            continue
        if key not in accepts:
            dropped.append(f"{key}: {_WHY.get(key, f'a {target} takes none')}")
        elif key == "updateStrategy" and kind != target and isinstance(value, dict):
            carried[key], lost = _strategy(value, target)
            dropped += [f"updateStrategy.rollingUpdate.{k}: a {target} takes none" for k in lost]
        else:
            carried[key] = value
    return carried, dropped + _pod_fields(document, target)


def _pod_fields(document: Mapping[str, Any], target: str) -> list[str]:
    """The lines for the pod spec's run-to-completion fields ``target`` changes."""
    spec: Any = document.get("spec") or {}
    if document.get("kind") == "CronJob":
        spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    if document.get("kind") != "Pod":
        spec = (spec.get("template") or {}).get("spec") or {}
    policy = spec.get("restartPolicy")
    if target in ("Job", "CronJob"):
        if policy == "Always":
            return ["restartPolicy: Always becomes OnFailure: a Job's pods take no Always"]
        return []
    if target == "Pod":
        return []
    lines = []
    if "activeDeadlineSeconds" in spec:
        lines.append(f"the pod's activeDeadlineSeconds: a {target}'s pods run until stopped")
    if policy not in (None, "Always"):
        lines.append(f"restartPolicy: {policy}: a {target}'s pods always restart")
    return lines


def _strategy(strategy: dict[str, Any], target: str) -> tuple[dict[str, Any], list[str]]:
    """``strategy`` with the rolling-update parameters ``target`` takes, and those it lost."""
    rolling = strategy.get("rollingUpdate")
    if not isinstance(rolling, dict):
        return dict(strategy), []
    takes = _ROLLING.get(target, set())
    kept = {k: v for k, v in rolling.items() if k in takes}
    result = {k: v for k, v in strategy.items() if k != "rollingUpdate"}
    if kept:
        result["rollingUpdate"] = kept
    return result, [k for k in rolling if k not in takes]
