"""The questions and the policy as data (read from ``rules/*.yaml`` by ``formats.rules``)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

# Words the policy may use; the code implements exactly these.
KNOWN_CONSTRAINTS = ("distinct_ports", "node_capacity", "one_primary")


@dataclass(frozen=True)
class Question:
    """One of the five questions, as data."""

    id: str
    text: str
    short: str
    help: str
    transitive: bool = False  # a yes for a~b and b~c means a yes for a~c (see inference)

    def ask_about(self, a: str, b: str) -> str:
        """The question with both containers' names filled in."""
        return self.text.format(a=a, b=b)


@dataclass(frozen=True)
class Constraint:
    """A rule every pod must satisfy as a whole, with the reason shown to users."""

    id: str
    why: str


@dataclass(frozen=True)
class Rules:
    """The questions in asking order, and the constraints every pod is checked against."""

    questions: tuple[Question, ...]
    constraints: tuple[Constraint, ...]

    @functools.cached_property
    def question_ids(self) -> tuple[str, ...]:
        """The questions' ids in asking order (asked for on every pair: computed once)."""
        return tuple(q.id for q in self.questions)

    def question(self, question_id: str) -> Question:
        """The question with this id (which must exist)."""
        return next(q for q in self.questions if q.id == question_id)
