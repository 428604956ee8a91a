"""What a container may do and how its pod stops: ``securityContext`` from the compose
user, capabilities, privilege and read-only root; the pod's grace period; a bigger
``/dev/shm`` as a memory-backed ``emptyDir``."""

from __future__ import annotations

from typing import Any

from advisor.domain.model import Container

SHM_VOLUME = "dshm"
SHM_PATH = "/dev/shm"


def security_context(container: Container) -> dict[str, Any]:
    """The container's ``securityContext``; empty when compose set nothing."""
    security = container.security
    context: dict[str, Any] = {}
    if security.run_as_user is not None:
        context["runAsUser"] = security.run_as_user
    if security.run_as_group is not None:
        context["runAsGroup"] = security.run_as_group
    capabilities = {
        key: list(names) for key, names in (("add", security.add), ("drop", security.drop)) if names
    }
    if capabilities:
        context["capabilities"] = capabilities
    if security.privileged:
        context["privileged"] = True
    if security.read_only_root:
        context["readOnlyRootFilesystem"] = True
    return context


def grace_period(members: list[Container]) -> int | None:
    """The pod's ``terminationGracePeriodSeconds``: the longest any member asked for, since
    the pod stops as one."""
    asked = [c.stop_grace_seconds for c in members if c.stop_grace_seconds is not None]
    return max(asked) if asked else None


def wants_shm(container: Container) -> bool:
    """Whether the container gets the pod's memory-backed ``/dev/shm``."""
    mounted = {m.mount_path.rstrip("/") for m in container.volumes}
    return container.shm_size is not None and SHM_PATH not in mounted


def shm_volume(members: list[Container]) -> list[dict[str, Any]]:
    """A memory-backed ``emptyDir`` as large as the largest ``shm_size`` of the members
    (the runtime's default ``/dev/shm`` is 64 MiB), or nothing."""
    sizes = [c.shm_size for c in members if wants_shm(c) and c.shm_size is not None]
    if not sizes:
        return []
    largest = max(sizes, key=lambda q: q.value)
    return [{"name": SHM_VOLUME, "emptyDir": {"medium": "Memory", "sizeLimit": largest.text}}]


def shm_mount(container: Container) -> list[dict[str, Any]]:
    """The container's mount of the pod's ``/dev/shm`` volume, when it asked for one."""
    return [{"name": SHM_VOLUME, "mountPath": SHM_PATH}] if wants_shm(container) else []
