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

from advisor.domain.model import LOCALHOST, Link, Pair, Workload
from advisor.domain.names import MAX_LABEL, MAX_WORKLOAD_NAME, service_name, short_label
from advisor.domain.quantities import format_cpu, format_memory
from advisor.domain.running import RunningPod
from advisor.engine.constraints import pod_conflict
from advisor.engine.steps import Verdict
from advisor.layout.advice import Advice
from advisor.layout.splitnotes import (
    HOST_NETWORK,
    alone_sidecars,
    dropped_fields,
    host_network,
    on_every_node,
    own_governing,
    shared_files,
)

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
    whys: tuple[str, ...]  # why each part is written as its kind, in a few words
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
# Kinds whose name goes into a label of what they make: a pod written anew as one of them
# (a new object, so it may be renamed) takes a name that fits.
_NAME_IN_LABEL = (*_SHORT_NAMED, "Job")


def audit_pods(advice: Advice) -> list[PodAudit]:
    """The advice for every running pod, in input order (worked out once per advice)."""
    key = ("audit", advice.native_sidecars, advice.workload)
    if key not in advice.cache:
        inventory = advice.inventory
        # A part's workload takes a name no workload of the input has, nor another part;
        # a Service the advice writes, a name no Service of the input has.
        taken = {pod.workload for pod in inventory.running}
        services = {o.name for o in inventory.others if o.kind == "Service" and o.name}
        pod_of = {n: i for i, pod in enumerate(advice.layout.pods) for n in pod.members}
        advice.cache[key] = [
            _audit(pod, advice, taken, services, pod_of) for pod in inventory.running
        ]
    audits: list[PodAudit] = advice.cache[key]
    return audits


def _audit(
    pod: RunningPod, advice: Advice, taken: set[str], services: set[str], pod_of: dict[str, int]
) -> PodAudit:
    """The advice for ``pod``; ``pod_of`` gives each container's pod in the layout, by index."""
    members = pod.members
    grouped: dict[int, list[str]] = {}
    for name in members:
        grouped.setdefault(pod_of[name], []).append(name)
    parts = [tuple(grouped[index]) for index in sorted(grouped)]  # in the layout's order
    parts.sort(key=lambda part: pod.primary not in part)
    kinds = [_kind(pod, part, advice, first=index == 0) for index, part in enumerate(parts)]
    limit = _name_limit(kinds[0])
    names = [pod.workload]
    if kinds[0] in _NAME_IN_LABEL and kinds[0] != pod.kind and len(pod.workload) > limit:
        names = [_free_name(pod.workload, limit, taken)]
    for part, kind in zip(parts[1:], kinds[1:], strict=True):
        wanted = f"{pod.workload}-{pod.container(part[0]).original}"
        names.append(_free_name(wanted, _name_limit(kind), taken))
    whys = [
        _why_kind(pod, part, kind, advice, index)
        for index, (part, kind) in enumerate(zip(parts, kinds, strict=True))
    ]
    questionnaire = advice.questionnaire
    pairs = [Pair.of(a, b) for i, a in enumerate(members) for b in members[i + 1 :]]
    open_pairs = tuple(p for p in pairs if questionnaire.verdict(p) is Verdict.OPEN)
    lines: list[str] = []
    if names[0] != pod.workload:
        lines.append(f"written as {kinds[0]} {names[0]}: a {kinds[0]}'s name has {limit} "
                     f"characters at most, {pod.workload} has {len(pod.workload)}")  # fmt: skip
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
        if _chosen(part, advice) is None and kind != pod.kind:
            lines.append(
                f"{name} is a {kind}, not a {pod.kind}: a helper runs until it is stopped, "
                f"so as a {pod.kind} it would never complete; delete it when the {pod.kind} "
                "is no longer needed"
            )
    lines += _kind_lines(pod, parts, names, kinds, advice)
    lines += _new_claims(pod, parts, names)
    lines += alone_sidecars(pod, parts, names)
    lines += dropped_fields(pod, names, kinds)
    if len(parts) > 1:
        part_of = {n: i for i, part in enumerate(parts) for n in part}
        kept = [p.label() for p in open_pairs if part_of[p.first] == part_of[p.second]]
        if kept:
            lines.append(f"kept together as they run, not yet reviewed: {', '.join(kept)}")
    on_node = on_every_node(pod, kinds)  # still reached on localhost: see host_network
    breaks = _breaks(pod, advice, parts, names, services, on_node)
    lines += [
        f"{b.link.a} reaches {b.link.b} over localhost ({b.link.where}); split, it must "
        f"reach Service {b.service}{f' port {b.port}' if b.port else ''} instead"
        f"{HOST_NETWORK if on_node is not None else ''}"
        for b in breaks
    ]
    lines += host_network(advice, parts, on_node or set())
    lines += _loopback_only(pod, breaks)
    lines += shared_files(advice, pod, parts)
    lines += own_governing(pod, names, kinds)
    sidecars, sidecar_lines = _native_sidecars(pod, advice, parts[0], kinds[0])
    lines += sidecar_lines
    lines += _resources(advice, parts)
    lines += _ports(advice, parts)
    return PodAudit(
        pod,
        tuple(parts),
        tuple(names),
        tuple(kinds),
        tuple(whys),
        tuple(lines),
        tuple(breaks),
        open_pairs,
        sidecars,
    )


def _name_limit(kind: str) -> int:
    """How long a workload of ``kind`` written anew may be named: a Job's name becomes a
    label of its pods; a StatefulSet's pods and a CronJob's Jobs add 11 characters."""
    return MAX_WORKLOAD_NAME if kind in _SHORT_NAMED else MAX_LABEL


def _free_name(wanted: str, limit: int, taken: set[str]) -> str:
    """``wanted`` as a DNS label of at most ``limit`` characters unlike any in ``taken``
    (numbered -2, -3...), added to ``taken``."""
    name, number = short_label(wanted, "part", limit), 1
    while name in taken:
        number += 1
        name = short_label(f"{wanted}-{number}", "part", limit)
    taken.add(name)
    return name


def _chosen(part: tuple[str, ...], advice: Advice) -> Workload | None:
    """The kind the user chose for ``part`` (``--workload``, else in ``ask``'s review, saved
    under the name of the pod it makes), or None."""
    chosen = advice.questionnaire.workloads()
    return advice.workload or next((chosen[n] for n in part if n in chosen), None)


def _kind(pod: RunningPod, part: tuple[str, ...], advice: Advice, first: bool) -> str:
    """The kind ``part`` is written as: the user's choice (a CronJob only where there is a
    schedule: a CronJob's own pod; a StatefulSet still where the part mounts the claims of
    its volumeClaimTemplates), else the running pod's own kind (see _moved_kind)."""
    chosen = _chosen(part, advice)
    if chosen is None:
        return pod.kind if first else _moved_kind(pod)
    if chosen is not Workload.STATEFULSET and _claims(pod, part):
        return "StatefulSet"
    if chosen is Workload.CRONJOB and pod.kind != "CronJob":
        return "Job"
    return chosen.kind


def _why_kind(pod: RunningPod, part: tuple[str, ...], kind: str, advice: Advice, index: int) -> str:
    """Why ``part`` (the ``index``-th of ``pod``) is written as ``kind``, as the report,
    layout.yaml and ask's review say it."""
    chosen = _chosen(part, advice)
    if chosen is not None and chosen.kind != kind:
        how = "given by --workload" if advice.workload else "you chose"
        return f"not the {chosen.kind} {how}: see the pods as they run"
    if chosen is not None:
        return f"--workload {chosen.value}" if advice.workload else "as you chose"
    if index == 0:
        return f"as {pod.label} runs today"
    if kind != pod.kind:
        return f"split out of {pod.label}: a helper never completes"
    return f"split out of {pod.label}"


def _claims(pod: RunningPod, part: tuple[str, ...]) -> list[str]:
    """The volumeClaimTemplates of ``pod`` the containers of ``part`` mount."""
    mounted = {claim for name in part for claim in pod.container(name).claims}
    return sorted(mounted)


def _kind_lines(
    pod: RunningPod,
    parts: list[tuple[str, ...]],
    names: list[str],
    kinds: list[str],
    advice: Advice,
) -> list[str]:
    """A line for each part the user's choice runs as another kind than the pod runs today."""
    lines = []
    for part, name, kind in zip(parts, names, kinds, strict=True):
        chosen = _chosen(part, advice)
        if chosen is None:
            continue
        how = "--workload" if advice.workload else "as you chose"
        claims = _claims(pod, part)
        if kind != chosen.kind and kind == "StatefulSet" and claims:
            lines.append(
                f"{name} is written as a StatefulSet, not a {chosen.kind} ({how}): it keeps "
                f"its data on the claims of volumeClaimTemplates {', '.join(claims)}, one per "
                "replica, which only a StatefulSet makes"
            )
        elif kind != chosen.kind:
            lines.append(
                f"{name} is written as a {kind}, not a {chosen.kind} ({how}): a "
                f"{chosen.kind} needs a schedule, which only a CronJob's pod has"
            )
        elif kind != pod.kind:
            lines.append(f"{name} is written as a {kind}, {how} (it runs as a {pod.kind} today)")
    return lines


def _new_claims(pod: RunningPod, parts: list[tuple[str, ...]], names: list[str]) -> list[str]:
    """What becomes of the data of a part split out of a StatefulSet that mounts its claims:
    the new StatefulSet makes claims of its own, empty; the old ones stay with the pod."""
    lines = []
    for part, name in zip(parts[1:], names[1:], strict=True):
        for claim in _claims(pod, part):
            lines.append(
                f"{name} mounts volumeClaimTemplates {claim}: split out, StatefulSet {name} "
                f"makes claims of its own ({claim}-{name}-0, ...), empty; the data in "
                f"{claim}-{pod.workload}-0, ... stays with {pod.label}, which keeps the "
                "template (it cannot be changed): copy the data across before you apply"
            )
    return lines


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
    on_node: set[int] | None,
) -> list[Break]:
    """The localhost links the split breaks, each with the Service the reached part needs,
    named after its workload but never like a Service of the input (``-2``, ``-3``...)."""
    part_of = {n: i for i, part in enumerate(parts) for n in part}
    service_of: dict[int, str] = {}
    found = []
    for link in _pod_links(advice, parts):
        if link.kind != LOCALHOST or link.a not in part_of or link.b not in part_of:
            continue
        if part_of[link.a] != part_of[link.b] and part_of[link.b] not in (on_node or ()):
            match = _PORT.search(link.where)
            port = int(match.group(1)) if match else None
            index = part_of[link.b]
            if index not in service_of:
                service_of[index] = _unique_service(names[index], services)
            found.append(Break(link, service_of[index], names[index], port))
    return found


def _pod_links(advice: Advice, parts: list[tuple[str, ...]]) -> list[Link]:
    """The links among the containers of ``parts`` (one pod's), in input order."""
    return advice.inventory.links_among({n for part in parts for n in part})


def _loopback_only(pod: RunningPod, breaks: list[Break]) -> list[str]:
    """The reached containers that listen on the loopback address only, at the port a broken
    link reaches (or any, when either names none): the Service cannot reach them there."""
    lines: list[str] = []
    for found in breaks:
        for listen in pod.container(found.link.b).loopback:
            if found.port is not None and listen.port not in (None, found.port):
                continue
            line = (
                f"{found.link.b} listens on the loopback address only ({listen.where}): "
                f"Service {found.service} cannot reach it there; make it listen on 0.0.0.0 "
                "(or the pod IP) when you apply the split"
            )
            if line not in lines:
                lines.append(line)
    return lines


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
    pod: RunningPod, advice: Advice, kept: tuple[str, ...], kind: str
) -> tuple[tuple[str, ...], list[str]]:
    """Helpers that should be native sidecars, and the advice about each: in the containers
    of a Job (the ``kind`` the primary's part is written as, not the one it runs as) they
    keep it from completing; one the primary reaches over localhost should start first.
    With ``--native-sidecars`` they are written so."""
    written = advice.native_sidecars
    how = "initContainers with restartPolicy: Always, Kubernetes 1.29+"
    lines = []
    sidecars = []
    reached = {
        link.b
        for _, link in advice.inventory.links_of.get(pod.primary, ())
        if link.kind == LOCALHOST and link.a == pod.primary
    }
    for name in kept:
        entry = pod.container(name)
        if name == pod.primary or entry.native_sidecar:
            continue
        if kind in _COMPLETES:
            problem = f"{name} keeps the {kind} from completing"
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
