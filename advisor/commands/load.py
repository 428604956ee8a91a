"""Reading an application and its answers into a questionnaire, shared by every command."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.commands.notices import tell, warn
from advisor.domain.errors import AdvisorError
from advisor.domain.words import plural

if TYPE_CHECKING:
    from advisor.domain.answers import AnswersFile, AnswerSheet
    from advisor.domain.model import Inventory, Node, Pair, Quantity
    from advisor.engine.questionnaire import Questionnaire


def load_questionnaire(
    inventory_path: Path,
    answers_path: Path | None,
    must_exist: bool,
    exhaustive: bool = False,
    reask: Sequence[str] = (),
    lenient: bool = False,
    profiles: Sequence[str] = (),
    node: str | None = None,
    files: Sequence[Path] = (),
) -> Questionnaire:
    """The application and its answers read into a questionnaire."""
    return load_session(
        inventory_path, answers_path, must_exist, exhaustive, reask, lenient, profiles, node, files
    )[0]


@dataclass(frozen=True)
class Loaded:
    """What ``ask`` must know of the answers file besides the questionnaire read from it."""

    # The file's own answers for the pairs asked again (--ask), which the questionnaire
    # starts without: the file keeps them until the session answers them again.
    reasked: AnswerSheet = field(default_factory=dict)
    # Whether entries naming containers the inventory no longer has were left out.
    dropped: bool = False
    # Entries naming services a compose profile leaves out of this run: saved as they were.
    hidden: dict[str, dict[str, Any]] = field(default_factory=dict)


def load_session(
    inventory_path: Path,
    answers_path: Path | None,
    must_exist: bool,
    exhaustive: bool = False,
    reask: Sequence[str] = (),
    lenient: bool = False,
    profiles: Sequence[str] = (),
    node: str | None = None,
    files: Sequence[Path] = (),
) -> tuple[Questionnaire, Loaded]:
    """The application and its answers read into a questionnaire, and what was left out of
    it (see ``gcpause`` for why the garbage collector waits); ``node`` (``--node``) gives
    the node's capacity, in place of the inventory's; ``files`` the compose files of ``-f``."""
    from advisor.domain.model import Source
    from advisor.engine.questionnaire import Questionnaire
    from advisor.formats.answers import load_answers
    from advisor.formats.application import load_application
    from advisor.formats.gcpause import collection_paused
    from advisor.formats.rules import load_rules

    with collection_paused(freeze_after=True):
        rules = load_rules()
        inventory = load_application(inventory_path, profiles, files)
        if inventory.files:  # several compose files merged: say which, before any warning
            tell(f"read {', '.join(inventory.files)}")
        if node is not None:
            inventory = dataclasses.replace(inventory, node=parse_node(node))
        for warning in inventory.warnings:
            warn(f"{inventory.source}: {warning}")
        answers = None
        if answers_path is not None and (must_exist or answers_path.exists()):
            answers = load_answers(answers_path, inventory, rules, lenient=lenient)
            if answers.hidden:
                report_hidden(answers_path, answers, inventory)
            if lenient:
                report_changed_inventory(answers_path, answers, inventory)
        pairs = matching_pairs(inventory, reask)
        reasked: AnswerSheet = {}
        if answers is not None:
            for pair in pairs:  # their answers are given again; every other one is kept
                given = answers.pairs.pop(pair, {})
                own = {q: a for q, a in given.items() if a.source is Source.ASKED}
                if own:
                    reasked[pair] = own
        questionnaire = Questionnaire(inventory, rules, answers, exhaustive=exhaustive, reask=pairs)
        dropped = answers is not None and bool(answers.stale)
        return questionnaire, Loaded(reasked, dropped, answers.hidden if answers else {})


def matching_pairs(inventory: Inventory, patterns: Sequence[str]) -> list[Pair]:
    """The pairs whose name, in either order, matches one of the ``--ask`` globs."""
    import fnmatch

    from advisor.domain.model import Pair

    names = [c.name for c in inventory.containers]
    matched: list[Pair] = []
    for pattern in patterns:
        found = [
            Pair.of(a, b)
            for i, a in enumerate(names)
            for b in names[i + 1 :]
            if fnmatch.fnmatchcase(f"{a} + {b}", pattern)
            or fnmatch.fnmatchcase(f"{b} + {a}", pattern)
        ]
        if not found:
            raise AdvisorError(
                f"--ask {pattern!r}: no pair of {inventory.source} matches; "
                "pairs are written 'a + b', e.g. --ask 'web + *'"
            )
        matched += [pair for pair in found if pair not in matched]
    return matched


def report_changed_inventory(path: Path, answers: AnswersFile, inventory: Inventory) -> None:
    """Warn about answers dropped for containers that are gone, and count the new pairs."""
    from advisor.formats.answers import new_pairs

    if answers.stale:
        count = len(answers.stale)
        what = plural(count, "answer names a container", "answers name containers")
        warn(
            f"{path}: {what} no longer in {inventory.source} "
            f"({', '.join(answers.stale)}); they are dropped on the next save"
        )
    # A saved session lists every container's role: one without is new, and so are its pairs.
    added = new_pairs(answers, inventory) if answers.stale or answers.roles else []
    if added:
        tell(
            f"{inventory.source}: "
            f"{plural(len(added), 'pair is', 'pairs are')} new since {path} was saved"
        )


def report_hidden(path: Path, answers: AnswersFile, inventory: Inventory) -> None:
    """One line: the answers kept for services a profile leaves out, and that profile."""
    from advisor.formats.hiddenanswers import profiles_of

    names, profiles = profiles_of(answers.hidden, inventory)
    they = "it runs" if len(names) == 1 else "they run"
    tell(
        f"{path}: answers naming {', '.join(names)} kept, not used this run: {they} only "
        f"with the profile {' or '.join(profiles)} (--profile {profiles[0]})"
    )


def parse_node(text: str) -> Node:
    """``--node cpu=4,memory=8Gi``: the capacity of the largest node (manifests give none)."""
    from advisor.domain.model import Node
    from advisor.domain.quantities import QuantityError, parse_quantity

    given: dict[str, Quantity] = {}
    for part in text.split(","):
        key, _, value = part.partition("=")
        key = key.strip()
        if key not in ("cpu", "memory") or not value.strip() or key in given:
            raise AdvisorError(f"--node {text!r}: write the node's capacity as cpu=4,memory=8Gi")
        try:
            given[key] = parse_quantity(value.strip(), key)
        except QuantityError as error:
            raise AdvisorError(f"--node: {error}") from None
    return Node(cpu=given.get("cpu"), memory=given.get("memory"))
