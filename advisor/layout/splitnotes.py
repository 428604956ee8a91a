"""What a split of a running pod changes beyond the containers it moves: a native sidecar
split out alone becomes its pod's main container; a part split out of a StatefulSet gets a
governing Service of its own; a pod on the node's network reaches a moved helper on
localhost only where both run on the same node.
"""

from __future__ import annotations

import re
from typing import Any

from advisor.domain.model import LOCALHOST, SHARED_EMPTYDIR, Link
from advisor.domain.running import RunningPod
from advisor.domain.workloadspec import carried_fields
from advisor.layout.advice import Advice


def alone_sidecars(pod: RunningPod, parts: list[tuple[str, ...]], names: list[str]) -> list[str]:
    """A line for each native sidecar split out into a part with no main container: a pod
    needs one, so it is written in ``containers``, without ``restartPolicy: Always``."""
    lines = []
    for part, name in zip(parts[1:], names[1:], strict=True):
        entries = [pod.container(n) for n in part]
        if any(e.place == "containers" for e in entries):
            continue
        for entry in entries:
            lines.append(
                f"{entry.name} runs as a native sidecar today (initContainers, restartPolicy: "
                f"Always); split out, it is the main container of {name} (in containers, "
                "without restartPolicy: a pod needs a main container)"
            )
    return lines


def dropped_fields(pod: RunningPod, names: list[str], kinds: list[str]) -> list[str]:
    """A line for each part written as another kind than the pod runs as: the fields of
    the workload the new kind does not take, dropped, and why."""
    lines = []
    for name, kind in zip(names, kinds, strict=True):
        if kind == pod.kind:
            continue
        _carried, dropped = carried_fields(pod.document, kind)
        if dropped:
            lines.append(f"{name} as a {kind} drops {'; '.join(dropped)}")
    return lines


def shared_files(advice: Advice, pod: RunningPod, parts: list[tuple[str, ...]]) -> list[str]:
    """The emptyDirs the split parts: each part's pod gets an empty one of its own. One in
    memory (``medium: Memory``, a ``/dev/shm``) is shared memory, which no volume shares
    across pods."""
    part_of = {n: i for i, part in enumerate(parts) for n in part}
    memory = _in_memory(pod)
    lines = []
    for link in advice.inventory.links_among(set(part_of)):
        if link.kind != SHARED_EMPTYDIR or part_of[link.a] == part_of[link.b]:
            continue
        if link.where in memory:
            lines.append(
                f"{link.a} and {link.b} share the in-memory emptyDir {link.where} (medium: "
                "Memory, shared memory such as /dev/shm); split, each pod has its own, empty, "
                "and no volume shares memory across pods: keep them in one pod if they "
                "share memory there"
            )
        else:
            lines.append(
                f"{link.a} and {link.b} exchange files in emptyDir {link.where}; split, each "
                "pod has its own, empty: the files need a volume both pods mount "
                "(ReadWriteMany) or another way across"
            )
    return lines


def _pod_spec(pod: RunningPod) -> Any:
    spec: Any = pod.document.get("spec") or {}
    if pod.kind == "CronJob":
        spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    if pod.kind != "Pod":
        spec = (spec.get("template") or {}).get("spec") or {}
    return spec


def _in_memory(pod: RunningPod) -> set[str]:
    """The names of ``pod``'s emptyDirs with ``medium: Memory``."""
    spec = _pod_spec(pod)
    return {
        str(v.get("name"))
        for v in spec.get("volumes") or []
        if isinstance(v.get("emptyDir"), dict) and v["emptyDir"].get("medium") == "Memory"
    }


def own_governing(pod: RunningPod, names: list[str], kinds: list[str]) -> list[str]:
    """A line for each StatefulSet split out of a StatefulSet: the governing Service its
    ``serviceName`` names is a headless one of its own, as the input's selects the others."""
    if pod.kind != "StatefulSet":
        return []
    spec = pod.document.get("spec") or {}
    named = spec.get("serviceName")
    was = f" (Service {named} selects the pods of {pod.workload}, not these)" if named else ""
    return [
        f"{name} names a headless Service of its own as its serviceName, written in pods.yaml{was}"
        for name, kind in zip(names[1:], kinds[1:], strict=True)
        if kind == "StatefulSet"
    ]


HOST_NETWORK = (
    ": both pods use their node's network (hostNetwork: true), but localhost reaches it only "
    "where both run on one node, which the split no longer guarantees"
)


def on_every_node(pod: RunningPod, kinds: list[str]) -> set[int] | None:
    """For a pod on its node's network (``hostNetwork: true``, which every part keeps), the
    parts written as DaemonSets: one of their pods runs on every node the others may run
    on (the parts keep the pod's node selector and tolerations), so localhost on the node
    still reaches them. None when the pod has its own network."""
    if _pod_spec(pod).get("hostNetwork") is not True:
        return None
    return {i for i, kind in enumerate(kinds) if kind == "DaemonSet"}


def host_network(advice: Advice, parts: list[tuple[str, ...]], on_node: set[int]) -> list[str]:
    """A line for each localhost link the split keeps: the part reached runs on every node,
    on the node's network, so no Service is needed."""
    part_of = {n: i for i, part in enumerate(parts) for n in part}
    return [
        f"{link.a} reaches {link.b} over localhost ({link.where}); split, it still does: "
        "both pods use their node's network (hostNetwork: true) and a DaemonSet runs "
        f"{link.b} on every node, so no Service is needed"
        for link in advice.inventory.links_among(set(part_of))
        if link.kind == LOCALHOST
        and part_of[link.a] != part_of[link.b]
        and part_of[link.b] in on_node
    ]


_LOOPBACK = re.compile(r"(?<![\w.-])(?:localhost|127\.0\.0\.1|\[::1\])(?![\w.-])")


def localhost_fix(link: Link, service: str) -> str:
    """What to change where ``link.a`` names localhost to reach ``link.b``, once a split
    puts them in two pods: the variable or argument, with Service ``service`` in its place
    (``env DB_HOST=127.0.0.1:3306`` -> ``set DB_HOST=mysql:3306``)."""
    place, _, text = link.where.partition(" ")
    fixed = _LOOPBACK.sub(service, text)
    if place == "env" and fixed != text:
        return (
            f"{text} reaches {link.b} over localhost, which a split puts in another pod: "
            f"set {fixed} (Service {service}) when you apply the split"
        )
    if place.startswith(("command[", "args[")) and fixed != text:
        return (
            f"{place} {text} reaches {link.b} over localhost, which a split puts in another "
            f"pod: write {fixed} (Service {service}) when you apply the split"
        )
    return (
        f"{link.where} reaches {link.b} over localhost, which a split puts in another pod: "
        f"reach Service {service} instead"
    )
