"""The questions and the policy, loaded from ``rules/*.yaml`` (shipped in the package)."""

from __future__ import annotations

import functools
from pathlib import Path

from advisor.domain.errors import InputError
from advisor.domain.rules import KNOWN_CONSTRAINTS, Constraint, Question, Rules, WellKnownPorts
from advisor.formats.fields import Fields
from advisor.formats.yamlfile import parse_yaml

# The policy's decision rule; the code implements no other.
_DECISION = {"together": "all_yes", "any_no": "apart", "unanswered": "apart"}


def rules_dir() -> Path:
    """The folder of the shipped rules: questions, policy, the workload types."""
    # A plain path, not importlib.resources: the package is always installed as files, and
    # importing importlib.resources (zipfile with it) costs start-up time.
    package = Path(__file__).resolve().parents[1]
    packaged = package / "rules"
    if packaged.is_dir():  # installed from a wheel: rules/ was copied into the package
        return packaged
    # A source checkout or an editable install: read the repository's rules/ directly.
    return package.parent / "rules"


@functools.cache
def load_rules() -> Rules:
    """The shipped questions and policy (read once per process)."""
    folder = rules_dir()
    return Rules(
        questions=_questions(folder / "questions.yaml"),
        constraints=_constraints(folder / "policy.yaml"),
        ports=_ports(folder / "ports.yaml"),
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


def _ports(path: Path) -> WellKnownPorts:
    source = f"rules/{path.name}"
    top = Fields(source, parse_yaml(path.read_text("utf-8"), source), "")
    tables = []
    for key in ("images", "schemes"):
        table = top.sub(key)
        if table is None:
            raise InputError(source, f"no {key}")
        entries = []
        for word, port in table.data.items():
            if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
                table.fail(str(word), f"must be a port number, not {port!r}")
            entries.append((str(word), port))
        tables.append(tuple(entries))
    return WellKnownPorts(images=tables[0], schemes=tables[1])
