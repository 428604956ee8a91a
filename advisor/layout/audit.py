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

from advisor.domain.model import LOCALHOST, SHARED_EMPTYDIR, Link, Pair
from advisor.domain.names import MAX_LABEL, MAX_WORKLOAD_NAME, service_name, short_label
from advisor.domain.quantities import format_cpu, format_memory
from advisor.domain.running import RunningPod
from advisor.engine.constraints import pod_conflict
from advisor.engine.steps import Verdict
from advisor.layout.advice import Advice

_PORT = re.compile(r"(?:localhost|127\.0\.0\.1|\[::1\]):(\d{1,5})")


@dataclass(frozen=True)
class Break:
    """A localhost link the split breaks: ``link.a`` must reach ``service`` instead."""

    link: Link
    service: str  # the Service in front of the part ``link.b`` moves to
    workload: str  # that part's workload, whose pods the Service selects
    port: int | None  # the port it reaches, when the link names one


@dataclass(frozen=True)
class PodAudit:
    """One running pod: its parts after the advice, how each part is written, and the advice."""

    pod: RunningPod
    parts: tuple[tuple[str, ...], ...]  # the primary's part first
    names: tuple[str, ...]  # the workload of each part (the first keeps the pod's own)
    kinds: tuple[str, ...]  # the kind each part is written as
    lines: tuple[str, ...]  # the advice, one sentence each
    breaks: tuple[Break, ...]
    open_pairs: tuple[Pair, ...]  # not yet reviewed
    sidecars: tuple[str, ...] = ()  # helpers written as native sidecars (--native-sidecars)

    @property
    def split(self) -> bool:
        """Whether the advice splits the pod."""
        return len(self.parts) > 1


# A helper split out of a pod that runs to completion must not be a Job: it would never
# complete. It serves the Job from a Deployment instead (see _moved_kind).
_COMPLETES = ("Job", "CronJob")
# Kinds whose name the API server caps at MAX_WORKLOAD_NAME (see exporters.workloads).
_SHORT_NAMED = ("StatefulSet", "CronJob")


def audit_pods(advice: Advice) -> list[PodAudit]:
    """The advice for every running pod, in input order (worked out once per advice)."""
    key = ("audit", advice.native_sidecars)
    if key not in advice.cache:
        inventory = advice.inventory
        # A part's workload takes a name no workload of the input has, nor another part;
        # a Service the advice writes, a name no Service of the input has.
        taken = {pod.workload for pod in inventory.running}
        services = {o.name for o in inventory.others if o.kind == "Service" and o.name}
        advice.cache[key] = [_audit(pod, advice, taken, services) for pod in inventory.running]
    audits: list[PodAudit] = advice.cache[key]
    return audits


def _audit(pod: RunningPod, advice: Advice, taken: set[str], services: set[str]) -> PodAudit:
    members = pod.members
    parts: list[tuple[str, ...]] = []
    for layout_pod in advice.layout.pods:
        part = tuple(n for n in members if n in layout_pod.members)
        if part:
            parts.append(part)
    parts.sort(key=lambda part: pod.primary not in part)
    names = [pod.workload]
    kinds = [pod.kind] + [_moved_kind(pod) for _ in parts[1:]]
    for part, kind in zip(parts[1:], kinds[1:], strict=True):
        wanted = f"{pod.workload}-{pod.container(part[0]).original}"
        limit = MAX_WORKLOAD_NAME if kind in _SHORT_NAMED else MAX_LABEL
        name, number = short_label(wanted, "part", limit), 1
        while name in taken:
            number += 1
            name = short_label(f"{wanted}-{number}", "part", limit)
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
    for part, name, kind in zip(parts[1:], names[1:], kinds[1:], strict=True):
        why = why_moved(advice, parts[0], part)
        lines.append(f"split: {', '.join(part)} moves out to {kind} {name} ({why})")
        if kind != pod.kind:
            lines.append(
                f"{name} is a {kind}, not a {pod.kind}: a helper runs until it is stopped, "
                f"so as a {pod.kind} it would never complete; delete it when the {pod.kind} "
                "is no longer needed"
            )
    if len(parts) > 1:
        part_of = {n: i for i, part in enumerate(parts) for n in part}
        kept = [p.label() for p in open_pairs if part_of[p.first] == part_of[p.second]]
        if kept:
            lines.append(f"kept together as they run, not yet reviewed: {', '.join(kept)}")
    breaks = _breaks(pod, advice, parts, names, services)
    lines += [
        f"{b.link.a} reaches {b.link.b} over localhost ({b.link.where}); split, it must "
        f"reach Service {b.service}{f' port {b.port}' if b.port else ''} instead"
        for b in breaks
    ]
    lines += _shared_files(advice, parts)
    sidecars, sidecar_lines = _native_sidecars(pod, advice, parts[0])
    lines += sidecar_lines
    lines += _resources(advice, parts)
    lines += _ports(advice, parts)
    return PodAudit(
        pod,
        tuple(parts),
        tuple(names),
        tuple(kinds),
        tuple(lines),
        tuple(breaks),
        open_pairs,
        sidecars,
    )


def _moved_kind(pod: RunningPod) -> str:
    """The kind a part split out of ``pod`` is written as: the pod's own, but a helper split
    out of a Job or CronJob serves it from a Deployment (as a Job it would never complete)."""
    return "Deployment" if pod.kind in _COMPLETES else pod.kind


def why_moved(advice: Advice, kept: tuple[str, ...], moved: tuple[str, ...]) -> str:
    """Why the ``moved`` containers no longer share the pod of the ``kept`` ones: a pair
    answered apart, a together-answer the layout could not keep, or a constraint the pod as
    it runs breaks (summed requests over the node, a port two bind)."""
    questionnaire = advice.questionnaire
    crossing = [Pair.of(a, b) for a in moved for b in kept]
    first = Pair.of(moved[0], kept[0])
    for pair in [first, *crossing]:
        if questionnaire.verdict(pair) is Verdict.APART:
            why = questionnaire.reason_apart(pair)
            return why if pair == first else f"{pair.label()}: {why}"
    tension = next((t for t in advice.layout.tensions if t.pair in crossing), None)
    if tension is not None:
        return f"{tension.pair.label()} answered together, but {tension.reason}"
    inventory = advice.inventory
    together = [inventory.container(n) for n in (*kept, *moved)]
    conflict = pod_conflict(together, inventory.node, advice.rules)
    if conflict is not None:
        return f"the pod as it runs cannot stay whole: {conflict}"
    return questionnaire.reason_apart(first)  # pragma: no cover - one of the above holds


def _breaks(
    pod: RunningPod,
    advice: Advice,
    parts: list[tuple[str, ...]],
    names: list[str],
    services: set[str],
) -> list[Break]:
    """The localhost links the split breaks, each with the Service the reached part needs,
    named after its workload but never like a Service of the input (``-2``, ``-3``...)."""
    part_of = {n: i for i, part in enumerate(parts) for n in part}
    service_of: dict[int, str] = {}
    found = []
    for link in advice.inventory.links:
        if link.kind != LOCALHOST or link.a not in part_of or link.b not in part_of:
            continue
        if part_of[link.a] != part_of[link.b]:
            match = _PORT.search(link.where)
            port = int(match.group(1)) if match else None
            index = part_of[link.b]
            if index not in service_of:
                service_of[index] = _unique_service(names[index], services)
            found.append(Break(link, service_of[index], names[index], port))
    return found


def _shared_files(advice: Advice, parts: list[tuple[str, ...]]) -> list[str]:
    """The emptyDirs the split parts: each part's pod gets an empty one of its own."""
    part_of = {n: i for i, part in enumerate(parts) for n in part}
    return [
        f"{link.a} and {link.b} exchange files in emptyDir {link.where}; split, each pod has "
        "its own, empty: the files need a volume both pods mount (ReadWriteMany) or another "
        "way across"
        for link in advice.inventory.links
        if link.kind == SHARED_EMPTYDIR
        and link.a in part_of
        and link.b in part_of
        and part_of[link.a] != part_of[link.b]
    ]


def _unique_service(workload: str, taken: set[str]) -> str:
    base = service_name(workload)
    name, number = base, 1
    while name in taken:
        number += 1
        suffix = f"-{number}"
        name = f"{base[: MAX_LABEL - len(suffix)].rstrip('-')}{suffix}"
    taken.add(name)
    return name


def _native_sidecars(
    pod: RunningPod, advice: Advice, kept: tuple[str, ...]
) -> tuple[tuple[str, ...], list[str]]:
    """Helpers that should be native sidecars, and the advice about each: in a Job's
    containers they keep it from completing; one the primary reaches over localhost should
    start first. With ``--native-sidecars`` they are written so."""
    written = advice.native_sidecars
    how = "initContainers with restartPolicy: Always, Kubernetes 1.29+"
    lines = []
    sidecars = []
    reached = {
        link.b
        for link in advice.inventory.links
        if link.kind == LOCALHOST and link.a == pod.primary
    }
    for name in kept:
        entry = pod.container(name)
        if name == pod.primary or entry.native_sidecar:
            continue
        if pod.kind in _COMPLETES:
            problem = f"{name} keeps the {pod.kind} from completing"
        elif name in reached:
            problem = f"{pod.primary} reaches {name} over localhost, so {name} should start first"
        else:
            continue
        sidecars.append(name)
        if written:
            lines.append(f"{problem}: written as a native sidecar ({how})")
        else:
            lines.append(f"{problem}: make it a native sidecar ({how}; --native-sidecars)")
    return tuple(sidecars) if written else (), lines


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
