"""Advice per pod that already runs: keep it, or split it and say what the split needs.

Each running pod is compared with the layout: the layout's pods restricted to its members
are its parts (the primary's first). One part: keep together. More: split, naming which
containers move out and the answer that parted them. Either way the pod's tensions are
listed: a Job helper that keeps the Job from completing, summed requests over the node, a
port two members bind, and each localhost link a split breaks with the Service it needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from advisor.domain.model import LOCALHOST, Link, Pair
from advisor.domain.names import service_name, short_label
from advisor.domain.quantities import format_cpu, format_memory
from advisor.domain.running import RunningPod
from advisor.engine.steps import Verdict
from advisor.layout.advice import Advice

_PORT = re.compile(r"(?:localhost|127\.0\.0\.1|\[::1\]):(\d{1,5})")


@dataclass(frozen=True)
class Break:
    """A localhost link the split breaks: ``link.a`` must reach ``service`` instead."""

    link: Link
    service: str  # the Service in front of the part ``link.b`` moves to
    port: int | None  # the port it reaches, when the link names one


@dataclass(frozen=True)
class PodAudit:
    """One running pod: its parts after the advice, their workload names, and the advice."""

    pod: RunningPod
    parts: tuple[tuple[str, ...], ...]  # the primary's part first
    names: tuple[str, ...]  # the workload of each part (the first keeps the pod's own)
    lines: tuple[str, ...]  # the advice, one sentence each
    breaks: tuple[Break, ...]
    open_pairs: tuple[Pair, ...]  # not yet reviewed

    @property
    def split(self) -> bool:
        """Whether the advice splits the pod."""
        return len(self.parts) > 1


def audit_pods(advice: Advice) -> list[PodAudit]:
    """The advice for every running pod, in input order (worked out once per advice)."""
    key = "audit"
    if key not in advice.cache:
        # A part's workload takes a name no workload of the input has, nor another part.
        taken = {pod.workload for pod in advice.inventory.running}
        advice.cache[key] = [_audit(pod, advice, taken) for pod in advice.inventory.running]
    audits: list[PodAudit] = advice.cache[key]
    return audits


def _audit(pod: RunningPod, advice: Advice, taken: set[str]) -> PodAudit:
    members = pod.members
    parts: list[tuple[str, ...]] = []
    for layout_pod in advice.layout.pods:
        part = tuple(n for n in members if n in layout_pod.members)
        if part:
            parts.append(part)
    parts.sort(key=lambda part: pod.primary not in part)
    names = [pod.workload]
    for part in parts[1:]:
        wanted = f"{pod.workload}-{pod.container(part[0]).original}"
        name, number = short_label(wanted, "part"), 1
        while name in taken:
            number += 1
            name = short_label(f"{wanted}-{number}", "part")
        taken.add(name)
        names.append(name)
    questionnaire = advice.questionnaire
    pairs = [Pair.of(a, b) for i, a in enumerate(members) for b in members[i + 1 :]]
    open_pairs = tuple(p for p in pairs if questionnaire.verdict(p) is Verdict.OPEN)
    lines: list[str] = []
    if len(members) == 1:
        lines.append("one container: nothing to question")
    elif len(parts) == 1 and open_pairs:
        lines.append(
            f"keep as it runs: not yet reviewed ({', '.join(p.label() for p in open_pairs)} "
            "unanswered)"
        )
    elif len(parts) == 1:
        lines.append("keep together: every question answered yes for every pair")
    for part, name in zip(parts[1:], names[1:], strict=True):
        why = questionnaire.reason_apart(Pair.of(part[0], pod.primary))
        lines.append(f"split: {', '.join(part)} moves out to {name} ({why})")
    breaks = _breaks(pod, advice, parts, names)
    lines += [
        f"{b.link.a} reaches {b.link.b} over localhost ({b.link.where}); split, it must "
        f"reach Service {b.service}{f' port {b.port}' if b.port else ''} instead"
        for b in breaks
    ]
    lines += _job_helpers(pod, advice, parts[0])
    lines += _resources(advice, parts)
    lines += _ports(advice, parts)
    return PodAudit(pod, tuple(parts), tuple(names), tuple(lines), tuple(breaks), open_pairs)


def _breaks(
    pod: RunningPod, advice: Advice, parts: list[tuple[str, ...]], names: list[str]
) -> list[Break]:
    part_of = {n: i for i, part in enumerate(parts) for n in part}
    found = []
    for link in advice.inventory.links:
        if link.kind != LOCALHOST or link.a not in part_of or link.b not in part_of:
            continue
        if part_of[link.a] != part_of[link.b]:
            match = _PORT.search(link.where)
            port = int(match.group(1)) if match else None
            found.append(Break(link, service_name(names[part_of[link.b]]), port))
    return found


def _job_helpers(pod: RunningPod, advice: Advice, kept: tuple[str, ...]) -> list[str]:
    """Helpers that should be native sidecars: in a Job's containers they keep it from
    completing; one the primary reaches over localhost should start first."""
    lines = []
    reached = {
        link.b
        for link in advice.inventory.links
        if link.kind == LOCALHOST and link.a == pod.primary
    }
    for name in kept:
        entry = pod.container(name)
        if name == pod.primary or entry.native_sidecar:
            continue
        if pod.kind in ("Job", "CronJob"):
            lines.append(
                f"{name} keeps the {pod.kind} from completing: make it a native sidecar "
                "(initContainers with restartPolicy: Always, Kubernetes 1.29+; "
                "--native-sidecars)"
            )
        elif name in reached:
            lines.append(
                f"{pod.primary} reaches {name} over localhost: make {name} a native sidecar so "
                "it starts first (initContainers with restartPolicy: Always, Kubernetes 1.29+)"
            )
    return lines


def _resources(advice: Advice, parts: list[tuple[str, ...]]) -> list[str]:
    node = advice.inventory.node
    if node is None:
        return []
    lines = []
    for part in parts:
        members = [advice.inventory.container(n) for n in part]
        cpu = sum(c.resources.cpu.value for c in members if c.resources.cpu)
        memory = sum(c.resources.memory.value for c in members if c.resources.memory)
        if node.cpu is not None and cpu > node.cpu.value:
            lines.append(
                f"{', '.join(part)} request {format_cpu(cpu)} CPU, over the node's {node.cpu.text}"
            )
        if node.memory is not None and memory > node.memory.value:
            lines.append(
                f"{', '.join(part)} request {format_memory(memory)} memory, over the node's "
                f"{node.memory.text}"
            )
    return lines


def _ports(advice: Advice, parts: list[tuple[str, ...]]) -> list[str]:
    lines = []
    for part in parts:
        bound: dict[tuple[int, str], str] = {}
        for name in part:
            for port in advice.inventory.container(name).ports:
                key = (port.number, port.protocol)
                if key in bound:
                    lines.append(f"{bound[key]} and {name} both bind port {port}")
                bound.setdefault(key, name)
    return lines


def render_audit(advice: Advice) -> list[str]:
    """The advice as Markdown lines, one section per running pod."""
    lines = []
    for audit in audit_pods(advice):
        lines.append(f"**{audit.pod.label}** ({', '.join(audit.pod.members)})")
        lines += [f"- {line}" for line in audit.lines]
        lines.append("")
    return lines
