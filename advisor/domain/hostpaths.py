"""Host paths a container may bind: the ones that make it a node agent, and what leaving
them out of a pod costs."""

from __future__ import annotations

import posixpath

from advisor.domain.model import HostMount

DOCKER_SOCKETS = ("/var/run/docker.sock", "/run/docker.sock")
# What a node-level agent reads (log shippers, metrics and container agents): a service
# binding one runs once per node, a DaemonSet. The Docker socket is none of them: tools
# that start containers or read their labels (CI runners, proxies, dashboards) bind it,
# and a Kubernetes node has none to give them (see ``left_out``).
AGENT_PATHS = ("/var/lib/docker", "/var/log", "/proc", "/sys")


def is_agent_path(source: str) -> bool:
    """Whether a host path is one that only a node agent reads."""
    path = posixpath.normpath(source)
    return any(path == root or path.startswith(f"{root}/") for root in AGENT_PATHS)


def is_docker_socket(source: str) -> bool:
    """Whether a host path is the Docker socket."""
    return posixpath.normpath(source) in DOCKER_SOCKETS


def left_out(mount: HostMount) -> str:
    """Why a host path is not in a pod that is not a node agent's, and what would give it."""
    if is_docker_socket(mount.source):
        return (
            f"the Docker socket {mount.source} is left out: a Kubernetes node runs containerd "
            "or CRI-O and has no Docker socket, so whatever this service does through it "
            "(starting or listing containers, reading their labels, logs or events) fails; "
            "give it the Kubernetes API instead (a ServiceAccount with RBAC), or a "
            "Docker-in-Docker sidecar if it must run containers"
        )
    why = (
        f"the host path {mount.source} is left out: a pod sees no host files (if it holds "
        "this service's own data, copy it into a claim or ConfigMap by hand)"
    )
    return f"{why}; a node agent would mount it as a hostPath at {mount.target} (a DaemonSet)"
