"""Facts about each pod that every output shows: summed requests, shared volumes, ports,
and why its members belong together."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.domain.model import Pair, Source
from advisor.domain.quantities import format_cpu, format_memory
from advisor.domain.words import plural
from advisor.engine.steps import Verdict
from advisor.layout.advice import Advice
from advisor.layout.partition import Pod


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
    if len(pod.members) == 1:
        return ["no other container was answered together with it"]
    reasons = []
    questionnaire = advice.questionnaire
    for i, a in enumerate(pod.members):
        for b in pod.members[i + 1 :]:
            pair = Pair.of(a, b)
            answers = questionnaire.answers_for(pair)
            if questionnaire.verdict(pair) is Verdict.OPEN:  # a running pod, kept as it runs
                missing = len(advice.rules.questions) - len(answers)
                reasons.append(
                    f"{a} + {b}: together as they run today, not yet reviewed "
                    f"({missing} of {len(advice.rules.questions)} questions open)"
                )
                continue
            not_asked = [
                f"{q} {answer.source.value}" + (f" ({answer.reason})" if answer.reason else "")
                for q, answer in answers.items()
                if answer.source is not Source.ASKED
            ]
            detail = f"; {', '.join(not_asked)}" if not_asked else ""
            reasons.append(f"{a} + {b}: all five answers yes{detail}")
    return reasons


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
