"""What a user said, as plain data: pair answers, group answers, roles and process answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from advisor.domain.model import Answer, Pair, Workload

AnswerSheet = dict[Pair, dict[str, Answer]]
Group = tuple[str, ...]  # three or more containers asked about at once, sorted by name


@dataclass
class AnswersFile:
    """Everything an answers file holds: pair answers, group answers, roles, prompt count."""

    pairs: AnswerSheet = field(default_factory=dict)
    groups: dict[Group, dict[str, Answer]] = field(default_factory=dict)
    # What each container is: None for a primary application, else the container it helps.
    roles: dict[str, str | None] = field(default_factory=dict)
    # The user said the inventory's roles are not right: each container's role is asked.
    roles_declined: bool = False
    asked: int | None = None  # prompts answered so far; None in hand-written files
    # Per pod (its members, sorted): must they see or signal each other's processes?
    processes: dict[Group, bool] = field(default_factory=dict)
    # How a pod runs, by the container it is named after: as the user said (a one-off job,
    # a node agent) or chose in the review.
    workloads: dict[str, Workload] = field(default_factory=dict)
    # How many replicas a pod runs, by the container it is named after, when its members
    # declare different counts and the user picked one.
    replicas: dict[str, int] = field(default_factory=dict)
    # Keys a lenient load dropped because they name containers the inventory no longer has.
    stale: list[str] = field(default_factory=list)
    # Entries naming services a compose profile leaves out of this run, by section, as read:
    # not used, and written back as they were.
    hidden: dict[str, dict[str, Any]] = field(default_factory=dict)


def helper_cycle(helps: Mapping[str, str | None]) -> list[str] | None:
    """A circle of helper roles (``web`` helps ``proxy``, which helps ``web``), from the
    first container in it round to that one again, or None. A circle has no primary: no
    application for its containers to belong to."""
    done: set[str] = set()
    for start in helps:
        path: list[str] = []
        on_path: set[str] = set()
        name: str | None = start
        while name is not None and name not in done and name not in on_path:
            path.append(name)
            on_path.add(name)
            name = helps.get(name)
        if name is not None and name in on_path:
            circle = path[path.index(name) :]
            return [*circle, name]
        done.update(path)
    return None


def describe_cycle(circle: list[str]) -> str:
    """``web is a helper of proxy, which is a helper of web``."""
    text = f"{circle[0]} is a helper of {circle[1]}"
    for name in circle[2:]:
        text += f", which is a helper of {name}"
    return text
