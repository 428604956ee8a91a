"""What each named volume becomes in Kubernetes, given the pods that use it.

A volume holds data unless it is scratch space: its data must outlive the pod, so it is a
PersistentVolumeClaim, also when the members of one pod share it (an ``emptyDir`` would be
wiped at every restart). Scratch space (an anonymous volume, a ``tmpfs``, a volume marked
scratch) that the members of one pod use is an ``emptyDir`` living as long as the pod, in
memory when every mount is a ``tmpfs``, as large as the largest size they ask for. A
volume that containers in two different pods need is a claim both pods mount, which only
storage with ReadWriteMany access can serve; the report flags it.

The volumes of manifests that already run are written over as the manifest declares them,
so they become what it says: an emptyDir (in each pod that mounts it, each empty, when a
split parts its users), a StatefulSet's claims per replica, the manifest's own claim, or
its volume of another type.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from advisor.domain.model import Inventory, Quantity
from advisor.layout.partition import Layout


class VolumeKind(str, Enum):
    """How a named volume is exported."""

    SCRATCH = "emptyDir"  # scratch space inside one pod
    CLAIM = "claim"  # data of one pod's containers: ReadWriteOnce
    SHARED_CLAIM = "shared-claim"  # needed by several pods: ReadWriteMany
    # Of manifests that already run (see VolumeMount.manifest):
    EMPTYDIR_PER_POD = "emptyDir-per-pod"  # an emptyDir a split parts: one in each pod, empty
    CLAIM_PER_REPLICA = "claim-per-replica"  # a StatefulSet's volumeClaimTemplates
    INPUT_CLAIM = "input-claim"  # the PersistentVolumeClaim the manifest names
    INPUT_VOLUME = "input-volume"  # a volume of another type, as the manifest declares it


@dataclass(frozen=True)
class VolumePlan:
    """One named volume: what it becomes and which pods use it."""

    name: str
    kind: VolumeKind
    pods: tuple[str, ...]
    users: tuple[str, ...]  # containers that mount it
    memory: bool = False  # scratch space in memory (a compose tmpfs): medium Memory
    size_limit: Quantity | None = None  # its sizeLimit, when every mount sets one
    source: str = ""  # the claim an INPUT_CLAIM names, the type of an INPUT_VOLUME

    @property
    def shared(self) -> bool:
        """Whether containers in more than one pod mount it."""
        return len(self.pods) > 1


def plan_volumes(inventory: Inventory, layout: Layout) -> dict[str, VolumePlan]:
    """Every named volume of the inventory, by name, with what it becomes."""
    users: dict[str, list[str]] = {}
    scratch: dict[str, bool] = {}
    memory: dict[str, bool] = {}
    sizes: dict[str, list[Quantity | None]] = {}
    declared: dict[str, str] = {}
    for container in inventory.containers:
        for mount in container.volumes:
            memory[mount.name] = memory.get(mount.name, True) and mount.memory
            sizes.setdefault(mount.name, []).append(mount.size_limit)
            mounted = users.setdefault(mount.name, [])
            if container.name not in mounted:  # one volume may be mounted at two paths
                mounted.append(container.name)
            # Data unless every mount says scratch: a wrong claim costs storage, a wrong
            # emptyDir costs the data.
            scratch[mount.name] = scratch.get(mount.name, True) and mount.scratch
            if mount.manifest is not None:
                declared[mount.name] = mount.manifest
    pod_of = {member: pod.name for pod in layout.pods for member in pod.members}
    plans = {}
    for name, containers in sorted(users.items()):
        pods = tuple(sorted({pod_of[c] for c in containers}))
        source = ""
        if name in declared:
            kind, source = _as_declared(declared[name], len(pods) > 1)
        elif len(pods) > 1:
            kind = VolumeKind.SHARED_CLAIM
        elif scratch[name]:
            kind = VolumeKind.SCRATCH
        else:
            kind = VolumeKind.CLAIM
        limits = [size for size in sizes[name] if size is not None]
        # No limit when one mount sets none: a limit it never asked for could evict the pod.
        largest = max(limits, key=lambda q: q.value) if len(limits) == len(sizes[name]) else None
        in_memory = kind is VolumeKind.SCRATCH and memory[name]
        plan = VolumePlan(name, kind, pods, tuple(containers), source=source)
        plans[name] = replace(plan, memory=in_memory, size_limit=largest if in_memory else None)
    return plans


def _as_declared(declared: str, shared: bool) -> tuple[VolumeKind, str]:
    """What a volume of a manifest that already runs becomes, and its claim or type."""
    if declared in ("emptyDir", "emptyDir-memory"):
        source = "Memory" if declared == "emptyDir-memory" else ""
        return (VolumeKind.EMPTYDIR_PER_POD if shared else VolumeKind.SCRATCH), source
    if declared == "claim-template":
        return VolumeKind.CLAIM_PER_REPLICA, ""
    if declared.startswith("claim "):
        return VolumeKind.INPUT_CLAIM, declared.removeprefix("claim ")
    return VolumeKind.INPUT_VOLUME, declared
