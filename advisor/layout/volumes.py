"""What each named volume becomes in Kubernetes, given the pods that use it.

A volume several members of one pod share is scratch space they exchange files through: an
``emptyDir`` that lives as long as the pod. A volume only one container uses holds that
container's data, which must outlive the pod: a PersistentVolumeClaim. A volume that
containers in two different pods need is a claim both pods mount, which only storage with
ReadWriteMany access can serve; the report flags it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from advisor.domain.model import Inventory
from advisor.layout.partition import Layout


class VolumeKind(str, Enum):
    """How a named volume is exported."""

    SCRATCH = "emptyDir"  # shared inside one pod
    CLAIM = "claim"  # one container's data: ReadWriteOnce
    SHARED_CLAIM = "shared-claim"  # needed by several pods: ReadWriteMany


@dataclass(frozen=True)
class VolumePlan:
    """One named volume: what it becomes and which pods use it."""

    name: str
    kind: VolumeKind
    pods: tuple[str, ...]
    users: tuple[str, ...]  # containers that mount it


def plan_volumes(inventory: Inventory, layout: Layout) -> dict[str, VolumePlan]:
    """Every named volume of the inventory, by name, with what it becomes."""
    users: dict[str, list[str]] = {}
    for container in inventory.containers:
        for mount in container.volumes:
            users.setdefault(mount.name, []).append(container.name)
    pod_of = {member: pod.name for pod in layout.pods for member in pod.members}
    plans = {}
    for name, containers in sorted(users.items()):
        pods = tuple(sorted({pod_of[c] for c in containers}))
        if len(pods) > 1:
            kind = VolumeKind.SHARED_CLAIM
        elif len(containers) > 1:
            kind = VolumeKind.SCRATCH
        else:
            kind = VolumeKind.CLAIM
        plans[name] = VolumePlan(name, kind, pods, tuple(containers))
    return plans
