"""Which Kubernetes object runs each pod, from the evidence and what the user said.

In order, the first that applies: ``--workload`` for every pod; the user's choice for the
pod; what the user said its primary is (a one-off job, a node agent); a schedule (CronJob);
``deploy.mode: global`` or a node's paths bound (/var/log, /proc, /sys: DaemonSet);
a service others wait on to complete, or one compose
never restarts (Job); a datastore keeping its data on a volume of its own (StatefulSet);
otherwise a Deployment. A primary the user named "a primary application" skips the
evidence of a schedule, a node agent and a job: the user's word comes last and wins. Each
choice carries its origin, for the report and the review.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from advisor.domain.hostpaths import is_agent_path
from advisor.domain.images import image_base, is_datastore
from advisor.domain.model import Container, Inventory, Role, Workload
from advisor.layout.partition import Layout, Pod
from advisor.layout.volumes import VolumeKind, VolumePlan, plan_volumes

_T = TypeVar("_T")


@dataclass(frozen=True)
class WorkloadPlan:
    """How one pod runs: its workload kind and why, with what that kind needs."""

    pod: str
    kind: Workload
    why: str
    replicas: int = 1  # Deployment and StatefulSet
    schedule: str | None = None  # CronJob
    restart: str = "OnFailure"  # a Job's pods: Never when compose never restarts it
    problem: str | None = None  # something to ask or check (members disagree on replicas)
    declared: tuple[tuple[str, int], ...] = ()  # members' replica counts when they disagree


def primary_of(pod: Pod, inventory: Inventory) -> Container:
    """The pod's primary: the member with that role, else the one it is named after."""
    members = [inventory.container(name) for name in pod.members]
    return next((c for c in members if c.role is Role.PRIMARY), inventory.container(pod.name))


def plan_workloads(
    inventory: Inventory,
    layout: Layout,
    override: Workload | None = None,
    chosen: Mapping[str, Workload] | None = None,
    replicas: Mapping[str, int] | None = None,
    volumes: Mapping[str, VolumePlan] | None = None,
    primaries: frozenset[str] = frozenset(),
) -> dict[str, WorkloadPlan]:
    """Every pod's workload, by pod name. ``chosen`` maps a pod's primary to the kind the
    user picked for it, ``replicas`` to the replicas they picked when its members disagree;
    ``volumes`` is ``plan_volumes``'s result, when the caller has it already; ``primaries``
    are the containers the user named primary applications (long-running)."""
    if volumes is None:
        volumes = plan_volumes(inventory, layout)
    plans = {}
    for pod in layout.pods:
        plan = _plan(pod, inventory, volumes, override, _for_pod(chosen, pod), primaries)
        picked = _for_pod(replicas, pod)
        if picked is not None:
            plan = dataclasses.replace(plan, replicas=picked, problem=None)
        plans[pod.name] = plan
    return plans


def _for_pod(answers: Mapping[str, _T] | None, pod: Pod) -> _T | None:
    """The answer given for ``pod``: under its name, else under any member's."""
    if not answers:
        return None
    for name in (pod.name, *pod.members):
        if name in answers:
            return answers[name]
    return None


def _plan(
    pod: Pod,
    inventory: Inventory,
    volumes: Mapping[str, VolumePlan],
    override: Workload | None,
    chosen: Workload | None,
    primaries: frozenset[str],
) -> WorkloadPlan:
    members = [inventory.container(name) for name in pod.members]
    primary = primary_of(pod, inventory)
    scheduled = next((c for c in members if c.runs.schedule), None)
    if override is None and chosen is None and primary.name in primaries:
        kind, why = _long_running(
            primary, volumes, f"you named {primary.name} a primary application"
        )
    else:
        kind, why = _kind(pod, primary, members, volumes, override, chosen)
    if kind is Workload.CRONJOB and scheduled is None:
        kind, why = Workload.JOB, f"{why}; no schedule given, so a Job"
    replicas, problem = _replicas(members, primary)
    scales = kind in (Workload.DEPLOYMENT, Workload.STATEFULSET)  # only these have replicas
    declared = {c.name: c.runs.replicas for c in members if c.runs.replicas is not None}
    return WorkloadPlan(
        pod=pod.name,
        kind=kind,
        why=why,
        replicas=replicas,
        schedule=scheduled.runs.schedule if scheduled else None,
        restart="Never" if primary.runs.restart == "no" else "OnFailure",
        problem=problem if scales else None,
        declared=tuple((n, c) for n, c in declared.items() if c is not None)
        if problem and scales
        else (),
    )


def _kind(
    pod: Pod,
    primary: Container,
    members: list[Container],
    volumes: Mapping[str, VolumePlan],
    override: Workload | None,
    chosen: Workload | None,
) -> tuple[Workload, str]:
    if override is not None:
        return override, f"--workload {override.value}"
    scheduled = next((c for c in members if c.runs.schedule), None)
    if chosen is Workload.JOB and scheduled is not None:
        return Workload.CRONJOB, f"{primary.name} is a one-off job, with a schedule"
    if chosen is not None:
        return chosen, "as you said"
    if scheduled is not None:
        return Workload.CRONJOB, f"{scheduled.name} has the schedule {scheduled.runs.schedule!r}"
    agent = next((c for c in members if c.runs.every_node), None)
    if agent is not None:
        return Workload.DAEMONSET, f"{agent.name} runs on every node (deploy.mode: global)"
    for member in members:
        read = next((m for m in member.host_mounts if is_agent_path(m.source)), None)
        if read is not None:
            return Workload.DAEMONSET, f"{member.name} reads the node's {read.source}"
    if primary.runs.completes:
        return Workload.JOB, f"others wait for {primary.name} to complete"
    if primary.runs.restart in ("no", "on-failure"):
        return Workload.JOB, f"{primary.name} runs once (restart: {primary.runs.restart})"
    return _long_running(primary, volumes, "a long-running service")


def _long_running(
    primary: Container, volumes: Mapping[str, VolumePlan], why: str
) -> tuple[Workload, str]:
    """A StatefulSet for a datastore keeping its data on a volume of its own, else a
    Deployment (``why``)."""
    own = [
        m.name
        for m in primary.volumes
        if not m.read_only and volumes[m.name].kind is VolumeKind.CLAIM
    ]
    if own and is_datastore(primary.image):
        data = ", ".join(own)
        base = image_base(primary.image)
        return Workload.STATEFULSET, f"{base} keeps its data on its own volume {data}"
    return Workload.DEPLOYMENT, why


def _replicas(members: list[Container], primary: Container) -> tuple[int, str | None]:
    """The pod's replicas: the primary's, else the one its members declare. A pod scales as
    a whole, so members declaring different counts is a problem to show."""
    declared = {c.name: c.runs.replicas for c in members if c.runs.replicas is not None}
    counts = set(declared.values())
    replicas = primary.runs.replicas
    if replicas is None:
        replicas = max(counts) if counts else 1
    if len(counts) < 2:
        return replicas, None
    listed = ", ".join(f"{name}: {count}" for name, count in declared.items())
    return replicas, (
        f"its members declare different replica counts ({listed}); a pod scales as a whole, "
        f"so it runs {replicas} (ask picks another): answer so they are apart if each must "
        "scale on its own"
    )
