"""What a container may do and how its pod stops: ``securityContext`` from the compose
user, capabilities, privilege, read-only root and ``security_opt``; Docker's own defaults
on the pod (no service-account token, the runtime's seccomp profile); the pod's grace
period; a bigger ``/dev/shm`` as a memory-backed ``emptyDir``."""

from __future__ import annotations

from typing import Any

from advisor.domain.model import Container, Security

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
    if security.no_new_privileges and not _may_escalate(security):
        context["allowPrivilegeEscalation"] = False
    seccomp = _seccomp(security)
    if seccomp is not None:
        context["seccompProfile"] = seccomp
    return context


def pod_security() -> dict[str, Any]:
    """The pod spec's fields for what Docker gave every container: no API token to mount,
    and the runtime's default seccomp profile (a container that compose ran unconfined or
    with its own profile says so in its own ``securityContext``)."""
    return {
        "automountServiceAccountToken": False,
        "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
    }


def _seccomp(security: Security) -> dict[str, Any] | None:
    """The container's own seccomp profile where it differs from the pod's RuntimeDefault:
    Docker runs a privileged container unconfined, as it does one with
    ``seccomp:unconfined``; a profile file is one the node must hold (see the report)."""
    if security.privileged or security.seccomp == "unconfined":
        return {"type": "Unconfined"}
    if security.localhost_profile is not None:
        # Relative to the kubelet's seccomp folder, where the report says to copy the file.
        return {"type": "Localhost", "localhostProfile": security.localhost_profile}
    return None


def _may_escalate(security: Security) -> bool:
    """The API server refuses ``allowPrivilegeEscalation: false`` beside ``privileged`` or
    the SYS_ADMIN capability, which grant it anyway."""
    return security.privileged or "SYS_ADMIN" in security.add or "ALL" in security.add


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
