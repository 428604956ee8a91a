"""What the questionnaire hands out: the next step to ask, progress, and the user's answers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from advisor.domain.model import Pair, Workload
from advisor.domain.rules import Question

FITS_NODE = "fits_node"  # facts answer it: requests against the node's capacity
SAME_HOST = "same_host"  # facts answer it from a compose file's shared namespaces or volumes
UNIFIED_WHOLE = "unified_whole"  # the triage answers it: a helper and what it helps are a whole


class Verdict(str, Enum):
    """Where the answers so far leave a pair."""

    OPEN = "open"  # some question still unknown, none known to be no
    TOGETHER = "together"  # every question yes
    APART = "apart"  # a question no, a constraint, or the triage separates them


@dataclass(frozen=True)
class RolesStep:
    """Confirm, on one screen, the roles proposed for the containers: the user's own
    answers, else the inventory's or the guess from evidence, else a primary application."""

    roles: tuple[tuple[str, str | None], ...]  # (container, what it helps or None: primary)
    evidence: tuple[str, ...] = ()  # why each role is proposed, as ``roles`` lists them
    undecided: tuple[str, ...] = ()  # helpers of no container in particular: asked by a list
    kinds: tuple[tuple[str, Workload], ...] = ()  # primaries that run otherwise by evidence


@dataclass(frozen=True)
class RoleStep:
    """Ask what one container is: a primary application, or a helper of which container."""

    container: str
    candidates: tuple[str, ...]  # the containers it could help, in inventory order
    proposed: str | None  # what the inventory suggests: None (primary) or a container
    has_proposal: bool
    runs_as: Workload | None = None  # as a primary, what its evidence suggests (Job, DaemonSet)


@dataclass(frozen=True)
class QuestionStep:
    """One of the five questions about two containers, or about a whole group at once."""

    members: tuple[str, ...]  # in inventory order; two for a pair
    question: Question

    @property
    def pair(self) -> Pair:
        """The pair asked about (only for two members)."""
        return Pair.of(self.members[0], self.members[1])

    @property
    def entry(self) -> Entry:
        """The answer to this question, as the session's history names it."""
        kind = "pair" if len(self.members) == 2 else "group"
        return kind, tuple(sorted(self.members)), self.question.id

    def text(self) -> str:
        """The question with the members' names filled in."""
        names = self.members
        if len(names) == 2:
            return self.question.ask_about(names[0], names[1])
        return self.question.ask_about(", ".join(names[:-1]), names[-1])


Step = RolesStep | RoleStep | QuestionStep


# One answer the user gave in this session, to go back to or change:
# ("pair" | "group", members sorted by name, question id), ("role", (container,), ""),
# ("processes", members sorted by name, ""), or ("roles", (), "") for confirming the
# inventory's roles; ("contradiction", the pair, question id) keeps or drops an answer the
# rest contradicts (``Questionnaire.given`` only: it is not taken back).
Entry = tuple[str, tuple[str, ...], str]


@dataclass(frozen=True)
class UserAnswer:
    """One answer the user gave (any session), for a review: what it answers and its value.

    ``members`` are in inventory order; ``value`` is yes/no for a question or for sharing
    processes, and for a role the container helped (None: a primary application).
    """

    entry: Entry
    members: tuple[str, ...]
    value: bool | str | None


@dataclass(frozen=True)
class Progress:
    """Prompts answered so far and an honest bound on how many more there can be."""

    answered: int
    at_most_left: int
    unit: str  # "application" (guided, with its helpers) or "pair"
    number: int  # which one is being asked about
    count: int
    if_roles_kept: bool = False  # the bound holds if the roles on screen are kept


def list_names(names: Iterable[str]) -> str:
    """``web, proxy and agent``: names as a sentence lists them."""
    listed = list(names)
    return ", ".join(listed[:-1]) + f" and {listed[-1]}" if len(listed) > 1 else listed[0]
