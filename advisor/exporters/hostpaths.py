"""A node agent's host paths as ``hostPath`` volumes: only a DaemonSet's pods mount them."""

from __future__ import annotations

from typing import Any

from advisor.domain.hostpaths import is_docker_socket
from advisor.domain.model import Container
from advisor.domain.names import short_label


def host_volume_name(source: str) -> str:
    """``/var/lib/docker/containers`` -> ``host-var-lib-docker-containers``."""
    return short_label(f"host-{source}", "host")


def host_volumes(members: list[Container]) -> list[dict[str, Any]]:
    """One ``hostPath`` volume per host path the pod's members bind."""
    volumes: dict[str, dict[str, Any]] = {}
    for container in members:
        for mount in container.host_mounts:
            name = host_volume_name(mount.source)
            kind = {"type": "Socket"} if is_docker_socket(mount.source) else {}
            volumes.setdefault(name, {"name": name, "hostPath": {"path": mount.source, **kind}})
    return list(volumes.values())


def host_mounts(container: Container) -> list[dict[str, Any]]:
    """The container's mounts of those volumes, read-only where compose said so."""
    return [
        {
            "name": host_volume_name(mount.source),
            "mountPath": mount.target,
            **({"readOnly": True} if mount.read_only else {}),
        }
        for mount in container.host_mounts
    ]
