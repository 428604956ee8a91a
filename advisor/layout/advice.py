"""The whole decision for one application: answers in, pods and their reasons out."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from advisor.domain.model import Inventory, Pair, Workload
from advisor.domain.rules import Rules
from advisor.engine.constraints import pod_conflict
from advisor.engine.questionnaire import Questionnaire
from advisor.engine.steps import Verdict
from advisor.engine.together import Together
from advisor.layout.ingress import IngressPlan, plan_ingresses
from advisor.layout.partition import Layout, Tension, plan_layout
from advisor.layout.podnames import WrittenName, written_names
from advisor.layout.services import ServicePlan, ServiceProblem, plan_services
from advisor.layout.volumes import VolumePlan, plan_volumes
from advisor.layout.workloads import WorkloadPlan, plan_workloads

# Unanswered pairs listed by name in the outputs; past it the outputs give the count.
UNANSWERED_SHOWN = 200


@dataclass(frozen=True)
class Advice:
    """A layout together with what it was built from, for the exporters to explain."""

    inventory: Inventory
    rules: Rules
    questionnaire: Questionnaire
    layout: Layout
    unanswered: tuple[Pair, ...]  # the first UNANSWERED_SHOWN open pairs, in asking order
    unanswered_count: int = -1  # every open pair; -1: as many as listed
    workloads: dict[str, Workload] = field(default_factory=dict)  # chosen per pod's primary
    workload: Workload | None = None  # --workload: one kind for every pod
    services: bool = False  # --services: a Service in front of every pod with ports
    native_sidecars: bool = False  # --native-sidecars: helpers as restartable init containers
    network_policies: bool = False  # --network-policies: the report lists the flows let in
    namespace: str | None = None  # --namespace: the one every object is written in
    replicas: dict[str, int] = field(default_factory=dict)  # chosen per pod's primary
    primaries: frozenset[str] = frozenset()  # the user named these primary applications
    across: tuple[Tension, ...] = ()  # answered together across two running workloads
    # What the outputs work out per pod, worked out once (see summary.summarize).
    cache: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.unanswered_count < 0:
            object.__setattr__(self, "unanswered_count", len(self.unanswered))

    def answered_together(self) -> Together:
        """What the questionnaire's answers put in one pod (before running workloads are
        taken into account), worked out once."""
        if "together" not in self.cache:
            self.cache["together"] = self.questionnaire.together(across_roles=True)
        together: Together = self.cache["together"]
        return together

    def workload_plans(self, override: Workload | None = None) -> dict[str, WorkloadPlan]:
        """How each pod runs (``override``, else ``--workload``, else its own kind), worked
        out once per kind asked for (every output reads it)."""
        kind = override or self.workload
        key = ("workloads", kind)
        if key not in self.cache:
            made = plan_workloads(
                self.inventory,
                self.layout,
                kind,
                self.workloads,
                self.replicas,
                volumes=self.volume_plans(),
                primaries=self.primaries,
            )
            if self.inventory.running and override is None:
                made = self._as_written(made)
            self.cache[key] = made
        plans: dict[str, WorkloadPlan] = self.cache[key]
        return plans

    def written_names(self, override: Workload | None = None) -> dict[str, WrittenName]:
        """The name each pod's manifest has, by the pod's own name, and why where they
        differ (``podnames``): every output names a pod so."""
        key = ("written names", override or self.workload)
        if key not in self.cache:
            self.cache[key] = written_names(self.layout.pods, self.workload_plans(override))
        names: dict[str, WrittenName] = self.cache[key]
        return names

    def pod_title(self, pod: str) -> str:
        """How the outputs name ``pod``: as its manifest does where that name had to change
        (``written_names``; the reason is among what needs attention), else by its own."""
        if self.inventory.running:  # their names are the workloads' own (see ``audit``)
            return pod
        written = self.written_names()[pod]
        return written.name if written.renamed_because else pod

    def has_schedule(self, pod: str) -> bool:
        """Whether ``pod`` has a schedule to run on as a CronJob: a member's (the compose
        label ``pod-advisor.schedule``) or that of the CronJob it runs as today."""
        found = next((p for p in self.layout.pods if p.name == pod), None)
        members = set(found.members) if found else {pod}
        if any(self.inventory.container(name).runs.schedule for name in members):
            return True
        return any(p.kind == "CronJob" and members & set(p.members) for p in self.inventory.running)

    def volume_plans(self) -> dict[str, VolumePlan]:
        """What each named volume becomes (``plan_volumes``), worked out once; shared, so
        not to be changed."""
        if "volumes" not in self.cache:
            self.cache["volumes"] = plan_volumes(self.inventory, self.layout)
        plans: dict[str, VolumePlan] = self.cache["volumes"]
        return plans

    def service_plans(
        self, every_pod: bool = False
    ) -> tuple[list[ServicePlan], list[ServiceProblem]]:
        """The Services and the names they cannot resolve (``plan_services``), worked out
        once per ``every_pod``; shared, so not to be changed."""
        key = ("services", every_pod)
        if key not in self.cache:
            self.cache[key] = plan_services(
                self.inventory, self.layout, every_pod, self.rules.ports
            )
        plans: tuple[list[ServicePlan], list[ServiceProblem]] = self.cache[key]
        return plans

    def ingress_plans(
        self, every_pod: bool = False
    ) -> tuple[list[IngressPlan], list[tuple[str, str]]]:
        """The Ingresses in front of the Services of ``service_plans(every_pod)``, and
        (container, text) for each route none holds; worked out once, shared."""
        key = ("ingresses", every_pod)
        if key not in self.cache:
            services, _ = self.service_plans(every_pod)
            self.cache[key] = plan_ingresses(self.inventory, self.layout, services)
        plans: tuple[list[IngressPlan], list[tuple[str, str]]] = self.cache[key]
        return plans

    def _as_written(self, plans: dict[str, WorkloadPlan]) -> dict[str, WorkloadPlan]:
        """The plans of pods that already run, with the kind the audit writes each as and
        why (as it runs today, as chosen, split out of a Job...): every output names it."""
        from advisor.layout.audit import audit_pods  # the audit reads this advice

        written = dict(plans)
        for audit in audit_pods(self):
            for part, kind, why in zip(audit.parts, audit.kinds, audit.whys, strict=True):
                pod = self.layout.pod_of(part[0]).name
                workload = _RUNNING_KINDS[kind]
                written[pod] = dataclasses.replace(plans[pod], kind=workload, why=why)
        return written

    @property
    def unanswered_kept(self) -> str:
        """What becomes of the unanswered pairs, as the outputs say it."""
        if self.inventory.running:
            return "kept as they run, unless an answer or a constraint splits their pod"
        return "kept apart"

    @property
    def unanswered_more(self) -> int:
        """Open pairs not listed in ``unanswered``."""
        return self.unanswered_count - len(self.unanswered)


def advise(questionnaire: Questionnaire) -> Advice:
    """Partition the containers by the questionnaire's answers as they stand."""
    inventory = questionnaire.inventory_with_roles()
    answered = questionnaire.together(across_roles=True)
    together: Together | list[Pair] = answered
    workloads = questionnaire.workloads()
    across: list[Tension] = []
    if inventory.running:  # pods that already run stay as they are until an answer parts them
        # Pair by pair: running pods are a manifest's, each a handful of containers.
        pairs, across = _within_workloads(inventory, answered.every_pair())
        together = pairs + _kept_as_running(inventory, questionnaire, pairs)
        workloads = {**running_workloads(inventory), **workloads}
    layout = plan_layout(inventory, questionnaire.rules, together, questionnaire.reason_apart)
    if across:
        layout = dataclasses.replace(layout, tensions=(*layout.tensions, *across))
    return Advice(
        inventory=inventory,
        rules=questionnaire.rules,
        questionnaire=questionnaire,
        layout=layout,
        unanswered=tuple(questionnaire.open_pairs(limit=UNANSWERED_SHOWN)),
        unanswered_count=questionnaire.open_pair_count(),
        workloads=workloads,
        replicas=questionnaire.replicas(),
        primaries=questionnaire.named_primaries(),
        across=tuple(across),
        cache={"together": answered},
    )


def _within_workloads(
    inventory: Inventory, together: list[Pair]
) -> tuple[list[Pair], list[Tension]]:
    """The together-answers inside one running workload, and a tension for each across two.

    The audit advises on each pod as it runs: it keeps it, or splits it into workloads of
    its own. Merging two workloads (one name, one selector, one kind, one service account and
    node selector out of two) is no advice it can write faithfully, so containers of two
    workloads answered together stay apart, and every output says so."""
    workload_of = {name: pod.label for pod in inventory.running for name in pod.members}
    kept: list[Pair] = []
    across: list[Tension] = []
    for pair in together:
        first, second = workload_of.get(pair.first), workload_of.get(pair.second)
        if first is None or second is None or first == second:
            kept.append(pair)
            continue
        reason = (
            f"they run in different workloads ({first}, {second}), and the audit never "
            "merges two: each stays as it runs"
        )
        fix = (
            f"merge {first} and {second} into one manifest by hand, or answer no for {pair.label()}"
        )
        across.append(Tension(pair, reason, fix))
    return kept, across


# The kind each running workload keeps (a ReplicaSet's pods are a Deployment's).
_RUNNING_KINDS = {
    "Pod": Workload.POD,
    "Deployment": Workload.DEPLOYMENT,
    "ReplicaSet": Workload.DEPLOYMENT,
    "StatefulSet": Workload.STATEFULSET,
    "DaemonSet": Workload.DAEMONSET,
    "Job": Workload.JOB,
    "CronJob": Workload.CRONJOB,
}


def running_workloads(inventory: Inventory) -> dict[str, Workload]:
    """The kind each running pod's primary runs as today."""
    return {pod.primary: _RUNNING_KINDS[pod.kind] for pod in inventory.running}


def _kept_as_running(
    inventory: Inventory, questionnaire: Questionnaire, together: list[Pair]
) -> list[Pair]:
    """The unanswered pairs of each running pod that stay together: each helper joins its
    primary's group, then the others', unless that would bring together a pair answered
    apart, or members that cannot form one pod (summed requests over the node, a port two
    bind): either would be a tension nobody answered, not a pod."""
    group = {c.name: {c.name} for c in inventory.containers}
    for pair in together:
        _merge(group, pair)
    kept = []
    for pod in inventory.running:
        members = pod.members
        pairs = [Pair.of(pod.primary, m) for m in members if m != pod.primary]
        pairs += [Pair.of(a, b) for i, a in enumerate(members) for b in members[i + 1 :]]
        for pair in pairs:
            mine, theirs = group[pair.first], group[pair.second]
            if mine is theirs or questionnaire.verdict(pair) is not Verdict.OPEN:
                continue
            if any(
                questionnaire.verdict(Pair.of(a, b)) is Verdict.APART for a in mine for b in theirs
            ):
                continue
            merged = [inventory.container(n) for n in sorted(mine | theirs)]
            if pod_conflict(merged, inventory.node, questionnaire.rules) is not None:
                continue
            # The partition wants every pair of a pod together, not a chain of them.
            kept += [Pair.of(a, b) for a in sorted(mine) for b in sorted(theirs)]
            _merge(group, pair)
    return kept


def _merge(group: dict[str, set[str]], pair: Pair) -> None:
    merged = group[pair.first] | group[pair.second]
    for name in merged:
        group[name] = merged
