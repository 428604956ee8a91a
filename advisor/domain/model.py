"""Containers, pairs and answers: plain immutable data, no I/O."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple

from advisor.domain.running import OtherObject, RunningPod
from advisor.domain.secretnames import secret_name, secret_value


class Role(str, Enum):
    """What a container is to its pod: the application itself, or a helper of another."""

    PRIMARY = "primary"
    SIDECAR = "sidecar"


class Workload(str, Enum):
    """The Kubernetes object that runs a pod."""

    DEPLOYMENT = "deployment"  # a long-running service, with replicas
    STATEFULSET = "statefulset"  # a service whose every replica keeps its own data
    JOB = "job"  # a one-off that runs to completion
    CRONJOB = "cronjob"  # a one-off on a schedule
    DAEMONSET = "daemonset"  # a node agent, one per node
    POD = "pod"  # a bare Pod: nothing restarts or reschedules it

    @property
    def kind(self) -> str:
        """The manifest's ``kind``."""
        return _KINDS[self]


_KINDS = {
    Workload.DEPLOYMENT: "Deployment",
    Workload.STATEFULSET: "StatefulSet",
    Workload.JOB: "Job",
    Workload.CRONJOB: "CronJob",
    Workload.DAEMONSET: "DaemonSet",
    Workload.POD: "Pod",
}


@dataclass(frozen=True, order=True)
class Port:
    """A port a container binds inside its network namespace."""

    number: int
    protocol: str = "TCP"
    name: str | None = field(default=None, compare=False)
    # Published on the host (compose ``ports:``, not ``expose:``): an entry point the user
    # opens, at ``host_port`` (None: a port Docker picks).
    published: bool = field(default=False, compare=False)
    host_port: int | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return f"{self.number}/{self.protocol}"


@dataclass(frozen=True)
class Quantity:
    """A Kubernetes quantity kept both as the user wrote it and as a number to add up."""

    text: str
    value: float  # CPU in cores, memory in bytes


@dataclass(frozen=True)
class Resources:
    """Resource requests (what the scheduler must find on one node)."""

    cpu: Quantity | None = None
    memory: Quantity | None = None

    def above(self, limits: Resources) -> str | None:
        """What of these requests is above ``limits`` (the API server refuses such a pod)."""
        for what, asked, limit in (
            ("cpu", self.cpu, limits.cpu),
            ("memory", self.memory, limits.memory),
        ):
            if asked is not None and limit is not None and asked.value > limit.value:
                return f"the {what} request {asked.text} is above its limit {limit.text}"
        return None


@dataclass(frozen=True)
class VolumeMount:
    """A named volume and where a container mounts it."""

    name: str
    mount_path: str
    read_only: bool = False
    # Scratch space (compose's anonymous volumes and tmpfs, or marked so in the inventory):
    # an emptyDir that lives as long as the pod. Any other volume holds data: a claim.
    scratch: bool = False
    # A compose tmpfs: scratch space in memory (``emptyDir.medium: Memory``), as large as
    # ``size_limit`` at most.
    memory: bool = False
    size_limit: Quantity | None = None
    # The project directory a compose bind mount named (``./pgdata``): its files must be
    # copied into the claim, which starts empty.
    host_path: str | None = None
    # In a Kubernetes manifest that already runs, the pod's volume as the manifest declares
    # it, which the advice writes over unchanged: "emptyDir" ("emptyDir-memory" with
    # medium: Memory), "claim-template" (a
    # StatefulSet's volumeClaimTemplates), "claim NAME" (a PersistentVolumeClaim), or the
    # volume's type ("nfs", "csi"...).
    manifest: str | None = None


@dataclass(frozen=True)
class NfsShare:
    """A named volume whose data is on an NFS server (compose ``driver_opts: {type: nfs}``):
    its claim binds to a PersistentVolume of that share, so the data is where it was."""

    volume: str
    server: str
    path: str  # the exported folder
    read_only: bool = False
    options: tuple[str, ...] = ()  # mount options kept (nfsvers=4, soft...)


@dataclass(frozen=True)
class HostMount:
    """A host path a compose service bound (the Docker socket, ``/var/log``): left out of
    the pod, kept for what a node agent would mount as ``hostPath``."""

    source: str
    target: str
    read_only: bool = False


class FileKind(str, Enum):
    """The Kubernetes object that carries files or values into a container."""

    SECRET = "Secret"
    CONFIG_MAP = "ConfigMap"


@dataclass(frozen=True)
class FileSet:
    """A Secret or ConfigMap the application needs: its files by key, or a name that must
    already exist in the cluster (``external``), which is referenced and never written."""

    kind: FileKind
    name: str
    files: tuple[tuple[str, bytes], ...] = ()
    external: bool = False


@dataclass(frozen=True)
class FileMount:
    """A Secret or ConfigMap a container mounts, read-only: one key as the file at
    ``mount_path`` (``key``), or every key as a file of the directory ``mount_path``."""

    kind: FileKind
    name: str
    mount_path: str
    key: str | None = None
    # For a directory with subdirectories: where each key lands below ``mount_path``
    # (``conf.d/site.conf`` under the key ``conf.d_site.conf``), the volume's ``items``.
    paths: tuple[tuple[str, str], ...] = ()
    mode: int | None = None  # the files' permission bits (compose's ``mode``), else 0644


@dataclass(frozen=True)
class Security:
    """What the container's ``securityContext`` says: its user and group, capabilities,
    privilege, a read-only root file system, its seccomp profile (None: the runtime's
    default, ``unconfined``, or the path of a profile file) and whether its privileges may
    grow (``no-new-privileges``)."""

    run_as_user: int | None = None
    run_as_group: int | None = None
    add: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    privileged: bool = False
    read_only_root: bool = False
    seccomp: str | None = None
    no_new_privileges: bool = False

    @property
    def localhost_profile(self) -> str | None:
        """The name a node keeps the ``seccomp`` profile file under, in the kubelet's seccomp
        folder: the file's own name; None when no file is named."""
        if self.seccomp is None or self.seccomp == "unconfined":
            return None
        return self.seccomp.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class HostRoute:
    """A host name (and path) a reverse proxy in front of the compose application sent to
    this container: what an Ingress rule says in the cluster."""

    host: str
    path: str = "/"
    exact: bool = False  # the path alone (traefik's Path), not every path under it
    port: int | None = None  # the container's port; None: its first
    tls: bool = False  # served over HTTPS with a certificate the proxy obtained
    where: str = ""  # where the compose file says it: "label traefik.http.routers.shop.rule"


@dataclass(frozen=True)
class Probe:
    """A command that tells whether the container is ready (from a compose healthcheck)."""

    command: tuple[str, ...]
    period_seconds: int | None = None
    timeout_seconds: int | None = None
    failure_threshold: int | None = None
    initial_delay_seconds: int | None = None


@dataclass(frozen=True)
class Runs:
    """How the source says a container runs, the evidence for its pod's workload kind."""

    restart: str | None = None  # always, unless-stopped, on-failure or no, as compose says
    completes: bool = False  # others wait for it to finish (service_completed_successfully)
    replicas: int | None = None  # deploy.replicas or scale
    every_node: bool = False  # deploy.mode: global
    schedule: str | None = None  # a cron schedule from a label
    host_network: bool = False  # network_mode: host
    host_pid: bool = False  # pid: host
    host_ipc: bool = False  # ipc: host


@dataclass(frozen=True)
class Container:
    """One container of the application, as the inventory describes it."""

    name: str
    image: str
    role: Role | None = None
    complements: str | None = None  # for a sidecar: the container it helps
    role_evidence: str = ""  # why the role was guessed, shown when the roles are confirmed
    ports: tuple[Port, ...] = ()
    resources: Resources = Resources()
    limits: Resources = Resources()
    volumes: tuple[VolumeMount, ...] = ()
    command: tuple[str, ...] | None = None
    args: tuple[str, ...] | None = None
    env: tuple[tuple[str, str], ...] = ()
    probe: Probe | None = None
    aliases: tuple[str, ...] = ()  # other names it answers to (compose network and link aliases)
    runs: Runs = field(default_factory=lambda: Runs())
    # Names in ``env`` whose values came from an env_file: settings the manifests keep in
    # a ConfigMap, or in a Secret when they say they hold one (``is_secret_env``).
    env_file_names: tuple[str, ...] = ()
    files: tuple[FileMount, ...] = ()  # Secrets and ConfigMaps mounted
    host_mounts: tuple[HostMount, ...] = ()  # host paths bound in compose, not exported
    security: Security = Security()
    working_dir: str | None = None
    stop_grace_seconds: int | None = None  # how long it may take to stop after SIGTERM
    shm_size: Quantity | None = None  # a bigger /dev/shm than the runtime's 64 MiB
    routes: tuple[HostRoute, ...] = ()  # host names a proxy routed to it (an Ingress)
    # True: command, args, env values and probe command are what the process receives, as
    # compose passes them (the exporter escapes them for the kubelet's "$(NAME)" expansion);
    # False: already as the kubelet reads them (Kubernetes manifests, the inventory format).
    literal: bool = True

    def is_secret_env(self, name: str, value: str) -> bool:
        """Whether ``value``, the value of ``name``, belongs in a Secret rather than in plain
        text: by its name, or by its form (a URL or DSN with a password)."""
        return secret_name(name) or secret_value(value)


LOCALHOST = "localhost"  # a Link's kind: one container reaches the other over localhost
SHARED_EMPTYDIR = "emptyDir"  # a Link's kind: both mount one emptyDir


@dataclass(frozen=True)
class Link:
    """A fact of the source file that ties two containers to one host.

    ``kind`` says how (``network_mode``, ``volumes_from``, ``ipc``, ``pid``): ``a`` joins the
    namespace or mounts the volumes of ``b``, so they cannot work on separate hosts.
    """

    kind: str
    a: str
    b: str
    # Where a Kubernetes manifest says it: ``env DATABASE_URL`` for a localhost link (``a``
    # reaches ``b`` over localhost), the volume's name for a shared emptyDir.
    where: str = ""

    @property
    def reason(self) -> str:
        """Why the pair must share a host, in the words of the source file."""
        if self.kind == LOCALHOST:
            return f"kubernetes: {self.a} reaches {self.b} over localhost ({self.where})"
        if self.kind == SHARED_EMPTYDIR:
            return f"kubernetes: {self.a} and {self.b} exchange files in emptyDir {self.where}"
        how = f"volumes_from {self.b}" if self.kind == "volumes_from" else f"service:{self.b}"
        verb = "" if self.kind == "volumes_from" else f"{self.kind} "
        return f"compose: {self.a} {verb}{how}"


@dataclass(frozen=True)
class Reach:
    """A container that reaches another by name, which a Service must then resolve."""

    by: str  # the container that reaches
    name: str  # the name it uses: a container's name or one of its aliases
    where: str  # where that was read: "depends_on", "links", "env DB_HOST"
    port: int | None = None  # the port it names there (redis://cache:6379), if any
    # The port is the URL scheme's (http://api/ reaches 80), not written: weaker evidence.
    scheme_port: bool = False


@dataclass(frozen=True)
class Node:
    """Allocatable capacity of the largest node a pod could land on."""

    cpu: Quantity | None = None
    memory: Quantity | None = None


@dataclass(frozen=True)
class Inventory:
    """An application's containers and the node they must fit."""

    name: str
    containers: tuple[Container, ...]
    node: Node | None = None
    source: str = "<inventory>"
    links: tuple[Link, ...] = ()  # facts from a compose file that tie pairs to one host
    warnings: tuple[str, ...] = ()  # what the loader ignored or guessed, one line each
    reaches: tuple[Reach, ...] = ()  # names the source file says are reached (depends_on)
    file_sets: tuple[FileSet, ...] = ()  # Secrets and ConfigMaps the containers mount
    shares: tuple[NfsShare, ...] = ()  # named volumes on an NFS server
    files: tuple[str, ...] = ()  # every file read, when there were several (compose -f)
    # Compose services a profile leaves out of this run, each with its profiles.
    hidden: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Kubernetes manifests: the pods that already run, which the advice starts from.
    running: tuple[RunningPod, ...] = ()
    others: tuple[OtherObject, ...] = ()  # the objects of the manifests that are no workload
    by_name: dict[str, Container] = field(init=False, repr=False, compare=False)
    # The links of each container, in input order: every audit and fact looks them up.
    links_of: dict[str, tuple[tuple[int, Link], ...]] = field(
        init=False, repr=False, compare=False
    )  # with each link's place in ``links``

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {c.name: c for c in self.containers})
        links_of: dict[str, list[tuple[int, Link]]] = {}
        for index, link in enumerate(self.links):
            links_of.setdefault(link.a, []).append((index, link))
            if link.b != link.a:
                links_of.setdefault(link.b, []).append((index, link))
        object.__setattr__(self, "links_of", {k: tuple(v) for k, v in links_of.items()})

    def container(self, name: str) -> Container:
        """The container called ``name`` (which must exist)."""
        return self.by_name[name]

    def links_among(self, names: Collection[str]) -> list[Link]:
        """The links with both ends among ``names``, in input order (a pod's links, found
        without a look at every link of the inventory)."""
        found = {
            id(link): (index, link)
            for name in names
            for index, link in self.links_of.get(name, ())
            if link.a in names and link.b in names
        }
        return [link for _, link in sorted(found.values(), key=lambda entry: entry[0])]

    def links_between(self, a: str, b: str) -> list[Link]:
        """The links that tie ``a`` and ``b`` to one host, in either direction."""
        return [link for _, link in self.links_of.get(a, ()) if {link.a, link.b} == {a, b}]


class Pair(NamedTuple):
    """Two distinct containers, always stored in sorted order so a pair has one spelling."""

    first: str
    second: str

    @classmethod
    def of(cls, a: str, b: str) -> Pair:
        """The pair of ``a`` and ``b`` in canonical (sorted) order."""
        return cls(a, b) if a <= b else cls(b, a)

    def label(self) -> str:
        """The pair as the answers file spells it: ``a + b``."""
        return f"{self.first} + {self.second}"

    def other(self, name: str) -> str:
        """The member of the pair that is not ``name``."""
        return self.second if name == self.first else self.first


class Source(str, Enum):
    """Where an answer came from."""

    ASKED = "asked"  # the user answered it (in a terminal or in a hand-written file)
    COMPUTED = "computed"  # facts decided it: resources against the node, ports
    INFERRED = "inferred"  # followed from other answers


@dataclass(frozen=True)
class Answer:
    """One answer to one question about one pair."""

    value: bool
    source: Source = Source.ASKED
    reason: str | None = None
