"""How a compose service runs: its restart policy, replicas, deploy mode, a schedule from a
label, and the host namespaces it joins. The evidence for its pod's workload kind (a Job,
a DaemonSet, a CronJob, or a Deployment with that many replicas)."""

from __future__ import annotations

import re
from typing import Any

from advisor.domain.model import Runs
from advisor.formats.compose.context import Context
from advisor.formats.fields import Fields, kind_of

RESTART_POLICIES = ("always", "unless-stopped", "on-failure", "no")
# A label that carries a schedule: ours, or a scheduler's (ofelia: ofelia.job-run.NAME.schedule).
SCHEDULE_LABEL = "pod-advisor.schedule"
_CRON = re.compile(
    r"^(?:@(?:yearly|annually|monthly|weekly|daily|midnight|hourly)|(?:\S+\s+){4}\S+)$"
)
MAX_REPLICAS = 10_000


def how_it_runs(fields: Fields, labels: dict[str, str], context: Context) -> Runs:
    """What the service's keys say about how it runs (keys it gets wrong are bad input)."""
    restart = fields.text("restart")
    if restart is not None:
        restart = restart.partition(":")[0]  # on-failure:3
        if restart not in RESTART_POLICIES:
            fields.fail("restart", f"must be one of {', '.join(RESTART_POLICIES)}, not {restart!r}")
    deploy = fields.sub("deploy")
    replicas = _count(fields, "scale")
    every_node = False
    if deploy is not None:
        if "replicas" in deploy.data:
            counted = _count(deploy, "replicas")
            if replicas is not None and counted != replicas:  # compose-go's checkConsistency
                deploy.fail(
                    "replicas",
                    f"{counted} disagrees with scale: {replicas}; compose refuses distinct values",
                )
            replicas = counted
        mode = deploy.text("mode")
        if mode not in (None, "replicated", "global", "replicated-job", "global-job"):
            deploy.fail("mode", f"must be replicated or global, not {mode!r}")
        every_node = mode in ("global", "global-job")
        if mode in ("replicated-job", "global-job"):
            restart = restart or "no"
        policy = deploy.sub("restart_policy")
        condition = policy.text("condition") if policy is not None else None
        if condition in ("none", "on-failure") and restart is None:
            restart = "no" if condition == "none" else "on-failure"
    namespaces = {key: fields.text(key) for key in ("network_mode", "pid", "ipc")}
    return Runs(
        restart=restart,
        replicas=replicas,
        every_node=every_node,
        schedule=_schedule(labels, fields, context),
        host_network=namespaces["network_mode"] == "host",
        host_pid=namespaces["pid"] == "host",
        host_ipc=namespaces["ipc"] == "host",
    )


def _count(fields: Fields, key: str) -> int | None:
    value = fields.data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_REPLICAS:
        shown = kind_of(value) if not isinstance(value, int) else str(value)
        fields.fail(key, f"must be a whole number from 0 to {MAX_REPLICAS:,}, not {shown}")
    return value


def _schedule(labels: dict[str, str], fields: Fields, context: Context) -> str | None:
    for key, value in labels.items():
        if key == SCHEDULE_LABEL or (
            key.startswith("ofelia.job-run.") and key.endswith(".schedule")
        ):
            schedule = value.strip()
            if _CRON.match(schedule):
                return schedule
            context.warn(
                f"{fields.dotted('labels')}: {key}: {value!r} is not a cron schedule "
                "(five fields, or @daily and the like), ignored"
            )
    return None


def awaited(services: dict[str, Any]) -> set[str]:
    """Services another waits on to finish (``condition: service_completed_successfully``):
    one-off jobs the others need done first."""
    found: set[str] = set()
    for data in services.values():
        depends = data.get("depends_on") if isinstance(data, dict) else None
        if isinstance(depends, dict):
            for name, spec in depends.items():
                if (
                    isinstance(spec, dict)
                    and spec.get("condition") == "service_completed_successfully"
                ):
                    found.add(str(name))
    return found
