"""What a user said, as plain data: pair answers, group answers, roles and process answers."""

from __future__ import annotations

from dataclasses import dataclass, field

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
