"""The questions and the policy, loaded from ``rules/*.yaml`` (shipped in the package)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from advisor.errors import InputError
from advisor.sources.fields import Fields
from advisor.sources.yamlfile import parse_yaml

# Words the policy may use; the code implements exactly these.
KNOWN_CONSTRAINTS = ("distinct_ports", "node_capacity", "one_primary")
_DECISION = {"together": "all_yes", "any_no": "apart", "unanswered": "apart"}


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


def _rules_dir() -> Path:
    # A plain path, not importlib.resources: the package is always installed as files, and
    # importing importlib.resources (zipfile with it) costs start-up time.
    packaged = Path(__file__).resolve().parent / "rules"
    if packaged.is_dir():  # installed from a wheel: rules/ was copied into the package
        return packaged
    # A source checkout or an editable install: read the repository's rules/ directly.
    return Path(__file__).resolve().parent.parent / "rules"


@functools.cache
def load_rules() -> Rules:
    """The shipped questions and policy (read once per process)."""
    folder = _rules_dir()
    return Rules(
        questions=_questions(folder / "questions.yaml"),
        constraints=_constraints(folder / "policy.yaml"),
    )


def _questions(path: Path) -> tuple[Question, ...]:
    source = f"rules/{path.name}"
    top = Fields(source, parse_yaml(path.read_text("utf-8"), source), "")
    questions = []
    for index, item, items in top.items("questions"):
        fields = Fields(source, item, f"questions[{index}]", items, index)
        question_id, text, short, help_text = (
            fields.text(key, required=True) or "" for key in ("id", "text", "short", "help")
        )
        transitive = item.get("transitive", False)
        if not isinstance(transitive, bool):
            fields.fail("transitive", f"must be yes or no, not {transitive!r}")
        questions.append(Question(question_id, text, short, help_text, transitive))
    if not questions:
        raise InputError(source, "no questions")
    return tuple(questions)


def _constraints(path: Path) -> tuple[Constraint, ...]:
    source = f"rules/{path.name}"
    top = Fields(source, parse_yaml(path.read_text("utf-8"), source), "")
    decision = top.sub("decision")
    if decision is None or dict(decision.data) != _DECISION:
        raise InputError(source, f"decision must read {_DECISION}; the code implements no other")
    constraints = []
    for index, item, items in top.items("constraints"):
        fields = Fields(source, item, f"constraints[{index}]", items, index)
        constraint_id = fields.text("id", required=True) or ""
        if constraint_id not in KNOWN_CONSTRAINTS:
            fields.fail("id", f"unknown constraint; known: {', '.join(KNOWN_CONSTRAINTS)}")
        constraints.append(Constraint(constraint_id, fields.text("why", required=True) or ""))
    return tuple(constraints)
