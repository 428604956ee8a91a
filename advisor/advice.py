"""The whole decision for one application: answers in, pods and their reasons out."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.engine import Questionnaire
from advisor.model import Inventory, Pair
from advisor.partition import Layout, plan_layout
from advisor.rules import Rules


@dataclass(frozen=True)
class Advice:
    """A layout together with what it was built from, for the exporters to explain."""

    inventory: Inventory
    rules: Rules
    questionnaire: Questionnaire
    layout: Layout
    unanswered: tuple[Pair, ...]


def advise(questionnaire: Questionnaire) -> Advice:
    """Partition the containers by the questionnaire's answers as they stand."""
    layout = plan_layout(
        questionnaire.inventory,
        questionnaire.rules,
        questionnaire.together_pairs(),
        questionnaire.reason_apart,
    )
    return Advice(
        inventory=questionnaire.inventory,
        rules=questionnaire.rules,
        questionnaire=questionnaire,
        layout=layout,
        unanswered=tuple(questionnaire.open_pairs()),
    )
