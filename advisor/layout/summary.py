"""Facts about each pod that every output shows: summed requests, shared volumes, ports,
and why its members belong together."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from advisor.domain.model import Pair, Source
from advisor.domain.names import join_key
from advisor.domain.quantities import format_cpu, format_memory
from advisor.domain.words import plural
from advisor.engine.steps import FITS_NODE, Verdict
from advisor.layout.advice import Advice
from advisor.layout.partition import Pod

# Links of an inferred answer's chain a pod's reasons spell out; a longer one is counted.
CHAIN_SHOWN = 4


@dataclass(frozen=True)
class PodSummary:
    """What a person reviewing a pod wants to see at a glance."""

    pod: Pod
    cpu: str  # summed requests, "-" when no member gives any
    memory: str
    cpu_capacity: str | None  # the node's, when the inventory gives it
    memory_capacity: str | None
    shared_volumes: tuple[str, ...]
    ports: tuple[str, ...]
    reasons: tuple[str, ...]

    def cpu_against_node(self) -> str:
        """``0.4 / 4``: the summed requests against the node's capacity."""
        return f"{self.cpu} / {self.cpu_capacity}" if self.cpu_capacity else self.cpu

    def memory_against_node(self) -> str:
        """``224Mi / 8Gi``: the summed requests against the node's capacity."""
        return f"{self.memory} / {self.memory_capacity}" if self.memory_capacity else self.memory


def summarize(pod: Pod, advice: Advice) -> PodSummary:
    """The summary of one pod of ``advice``'s layout (worked out once per advice)."""
    key = ("summary", pod)
    if key not in advice.cache:
        advice.cache[key] = _summarize(pod, advice)
    summary: PodSummary = advice.cache[key]
    return summary


def _summarize(pod: Pod, advice: Advice) -> PodSummary:
    inventory = advice.inventory
    members = [inventory.container(n) for n in pod.members]
    cpu = [c.resources.cpu.value for c in members if c.resources.cpu is not None]
    memory = [c.resources.memory.value for c in members if c.resources.memory is not None]
    node = inventory.node
    volume_users: dict[str, int] = {}
    for container in members:
        for mount in container.volumes:
            volume_users[mount.name] = volume_users.get(mount.name, 0) + 1
    return PodSummary(
        pod=pod,
        cpu=format_cpu(sum(cpu)) if cpu else "-",
        memory=format_memory(sum(memory)) if memory else "-",
        cpu_capacity=format_cpu(node.cpu.value) if node and node.cpu else None,
        memory_capacity=format_memory(node.memory.value) if node and node.memory else None,
        shared_volumes=tuple(sorted(v for v, users in volume_users.items() if users > 1)),
        ports=tuple(str(p) for c in members for p in c.ports),
        reasons=tuple(_reasons(pod, advice)),
    )


def _reasons(pod: Pod, advice: Advice) -> list[str]:
    """Why the members share a pod, in at most a line per answer the user gave: each pair
    they answered, each group answer, a line joining what those leave apart, and the other
    pairs (what the answers above imply) in one line, not a chain per pair."""
    if len(pod.members) == 1:
        return ["no other container was answered together with it"]
    asked, groups = _answered_in(advice).get(pod.name, ([], []))
    position = {m: i for i, m in enumerate(pod.members)}
    joined = {m: m for m in pod.members}  # a union-find over the members

    def root(name: str) -> str:
        while joined[name] != name:
            joined[name] = name = joined[joined[name]]
        return name

    def join(a: str, b: str) -> None:
        joined[root(b)] = root(a)

    listed = set(asked)
    for pair in asked:
        join(*pair)
    covered = set(listed)
    group_lines = []
    computed = [q for q in advice.rules.question_ids if q == FITS_NODE]
    for key, members, said in groups:
        line = f"{key}: your answer for the group, yes to {', '.join(said)}"
        if computed and computed[0] not in said:
            line += f"; {computed[0]} computed from their requests"
        group_lines.append(line)
        for a, b in itertools.combinations(members, 2):
            join(a, b)
            covered.add(Pair.of(a, b))
    first = pod.members[0]
    for name in pod.members[1:]:  # one pair joins each part the answers above leave apart
        if root(name) != root(first):
            listed.add(Pair.of(first, name))
            covered.add(Pair.of(first, name))
            join(first, name)
    ordered = sorted(listed, key=lambda p: sorted(position[n] for n in p))
    reasons = [_pair_reason(pair, position, advice) for pair in ordered] + group_lines
    size = len(pod.members)
    others = size * (size - 1) // 2 - len(covered)
    if others:
        reasons.append(_others_reason(others, advice))
    return reasons


def _pair_reason(pair: Pair, position: dict[str, int], advice: Advice) -> str:
    """``a + b: all five answers yes``, naming the answers the user did not give."""
    questionnaire = advice.questionnaire
    a, b = sorted(pair, key=position.__getitem__)
    answers = questionnaire.answers_for(pair)
    if questionnaire.verdict(pair) is Verdict.OPEN:  # a running pod, kept as it runs
        missing = len(advice.rules.questions) - len(answers)
        return (
            f"{a} + {b}: together as they run today, not yet reviewed "
            f"({missing} of {len(advice.rules.questions)} questions open)"
        )
    not_asked = [
        f"{q} {answer.source.value}"
        + (f" ({_short(answer.reason, a, b)})" if answer.reason else "")
        for q, answer in answers.items()
        if answer.source is not Source.ASKED
    ]
    detail = f"; {', '.join(not_asked)}" if not_asked else ""
    return f"{a} + {b}: all five answers yes{detail}"


def _short(reason: str, a: str, b: str) -> str:
    """An inferred answer's chain (``from a~x yes, x~b yes``) as it is, up to
    ``CHAIN_SHOWN`` links; a longer one by its length, for ``explain A B`` to list."""
    if not reason.startswith("from ") or reason.count("~") <= CHAIN_SHOWN:
        return reason
    return f"along a chain of {reason.count('~')} answers: explain {a} {b} lists it"


def _others_reason(count: int, advice: Advice) -> str:
    """The pod's other pairs in one line: what the answers above imply for each of them
    (``explain A B`` derives one pair's chain)."""
    if advice.inventory.running:
        return (
            f"the other {plural(count, 'pair')}: together as the answers above imply, or as "
            "they run today where not yet reviewed"
        )
    transitive = [q.id for q in advice.rules.questions if q.transitive]
    computed = [q for q in advice.rules.question_ids if q == FITS_NODE]
    said = f"inferred along the yes answers above ({', '.join(transitive)})"
    if computed:
        said += f", {computed[0]} computed from their requests"
    return f"the other {plural(count, 'pair')}: all five answers yes, {said}"


def _answered_in(
    advice: Advice,
) -> dict[str, tuple[list[Pair], list[tuple[str, tuple[str, ...], list[str]]]]]:
    """Per pod, the pairs inside it the user answered, and the group answers with a yes
    that hold two or more of its members (the group's key, those members, the questions
    answered yes): one pass over the user's answers for every pod, kept in the cache."""
    key = "answered in pods"
    if key not in advice.cache:
        layout, questionnaire = advice.layout, advice.questionnaire
        own = questionnaire.own_answers()
        order = {c.name: i for i, c in enumerate(advice.inventory.containers)}
        found: dict[str, tuple[list[Pair], list[tuple[str, tuple[str, ...], list[str]]]]] = {}
        for pair in own.pairs:
            pod = layout.pod_of(pair.first)
            if (
                pod is layout.pod_of(pair.second)
                and questionnaire.verdict(pair) is not Verdict.APART
            ):
                found.setdefault(pod.name, ([], []))[0].append(pair)
        for group, answers in sorted(own.groups.items()):
            said = [q for q in advice.rules.question_ids if q in answers and answers[q].value]
            by_pod: dict[str, list[str]] = {}
            for name in sorted(group, key=order.__getitem__):
                by_pod.setdefault(layout.pod_of(name).name, []).append(name)
            group_key = join_key(sorted(group, key=order.__getitem__))
            for pod_name, members in by_pod.items():
                if said and len(members) > 1:
                    entry = (group_key, tuple(members), said)
                    found.setdefault(pod_name, ([], []))[1].append(entry)
        advice.cache[key] = found
    answered: dict[str, tuple[list[Pair], list[tuple[str, tuple[str, ...], list[str]]]]]
    answered = advice.cache[key]
    return answered


def counts(advice: Advice) -> dict[str, int]:
    """The session in numbers, as the summary line and report show them."""
    by_source = advice.questionnaire.source_counts()
    return {
        "containers": len(advice.inventory.containers),
        "pods": len(advice.layout.pods),
        "questions asked": advice.questionnaire.asked_count,
        "answers given": by_source[Source.ASKED],
        "answers computed": by_source[Source.COMPUTED],
        "answers inferred": by_source[Source.INFERRED],
        "pairs unanswered": advice.unanswered_count,
        "tensions": len(advice.layout.tensions),
    }


def describe_counts(numbers: dict[str, int]) -> str:
    """``6 containers, 3 pods, 1 question asked``: the counts as a sentence part."""
    parts = []
    for key, value in numbers.items():
        noun, _, rest = key.partition(" ")
        parts.append(plural(value, noun.removesuffix("s"), noun) + (f" {rest}" if rest else ""))
    return ", ".join(parts)
