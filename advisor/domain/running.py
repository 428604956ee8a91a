"""Pods that already run, read from Kubernetes manifests: the proposal an audit starts from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Listen:
    """Where a container says it listens on the loopback address only (``127.0.0.1``):
    no other pod reaches it there."""

    where: str  # the argument or variable, as the report names it: "args[0] --host=127.0.0.1"
    port: int | None  # the port it listens on there, when the manifest says it


@dataclass(frozen=True)
class RunningContainer:
    """One container of a running pod: the tool's name for it and where it stands."""

    name: str  # unique in the inventory (see formats/kubernetes/naming.py)
    original: str  # its name in the manifest, unique in its pod only
    place: str  # "containers", or "initContainers" (a native sidecar, or a one-off)
    native_sidecar: bool = False  # an init container with restartPolicy: Always
    loopback: tuple[Listen, ...] = ()  # where it listens on 127.0.0.1 only
    claims: tuple[str, ...] = ()  # the StatefulSet's volumeClaimTemplates it mounts


@dataclass(frozen=True)
class RunningPod:
    """A workload of a manifest and the pod it runs, kept as parsed for the output."""

    kind: str  # Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob
    workload: str  # metadata.name
    namespace: str | None
    source: str  # the file it was read from
    containers: tuple[RunningContainer, ...]  # main containers first, in manifest order
    primary: str  # the tool's name of the pod's primary container
    document: Mapping[str, Any]  # the whole manifest, as plain data
    shares_processes: bool = False  # shareProcessNamespace: true

    @property
    def members(self) -> tuple[str, ...]:
        """The tool's names of every container the pod runs for as long as it runs (init
        containers that run once and exit are no members)."""
        return tuple(c.name for c in self.containers if c.place == "containers" or c.native_sidecar)

    def container(self, name: str) -> RunningContainer:
        """The container the tool calls ``name`` (which must be one of this pod's)."""
        return next(c for c in self.containers if c.name == name)

    @property
    def label(self) -> str:
        """``Deployment/web`` (with its namespace when it has one)."""
        space = f"{self.namespace}/" if self.namespace else ""
        return f"{self.kind}/{space}{self.workload}"


@dataclass(frozen=True)
class OtherObject:
    """An object of the manifests that is no workload (a Service, a ConfigMap...): passed
    over, but its name is taken, so nothing the advice writes may reuse it."""

    kind: str
    name: str | None
    namespace: str | None
    # A Service's manifest (its selector and ports say which pods are reached, on what).
    document: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)
