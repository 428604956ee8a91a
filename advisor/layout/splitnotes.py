"""What a split of a running pod changes beyond the containers it moves: a native sidecar
split out alone becomes its pod's main container; a part split out of a StatefulSet gets a
governing Service of its own; a pod on the node's network reaches a moved helper on
localhost only where both run on the same node.
"""

from __future__ import annotations

from advisor.domain.running import RunningPod
from advisor.domain.workloadspec import carried_fields


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
