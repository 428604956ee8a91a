"""The whole decision for one application: answers in, pods and their reasons out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from advisor.domain.model import Inventory, Pair, Workload
from advisor.domain.rules import Rules
from advisor.engine.questionnaire import Questionnaire
from advisor.layout.partition import Layout, plan_layout
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
    replicas: dict[str, int] = field(default_factory=dict)  # chosen per pod's primary
    # What the outputs work out per pod, worked out once (see summary.summarize).
    cache: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.unanswered_count < 0:
            object.__setattr__(self, "unanswered_count", len(self.unanswered))

    def workload_plans(self, override: Workload | None = None) -> dict[str, WorkloadPlan]:
        """How each pod runs (``override``, else ``--workload``, else its own kind)."""
        return plan_workloads(
            self.inventory, self.layout, override or self.workload, self.workloads, self.replicas
        )

    @property
    def unanswered_more(self) -> int:
        """Open pairs not listed in ``unanswered``."""
        return self.unanswered_count - len(self.unanswered)


def advise(questionnaire: Questionnaire) -> Advice:
    """Partition the containers by the questionnaire's answers as they stand."""
    inventory = questionnaire.inventory_with_roles()
    layout = plan_layout(
        inventory,
        questionnaire.rules,
        questionnaire.together_pairs(),
        questionnaire.reason_apart,
    )
    return Advice(
        inventory=inventory,
        rules=questionnaire.rules,
        questionnaire=questionnaire,
        layout=layout,
        unanswered=tuple(questionnaire.open_pairs(limit=UNANSWERED_SHOWN)),
        unanswered_count=questionnaire.open_pair_count(),
        workloads=questionnaire.workloads(),
        replicas=questionnaire.replicas(),
    )
