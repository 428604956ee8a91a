"""What each compose bind mount becomes: a claim, a ConfigMap, or a host path left out.

A cluster node has no copy of the project folder, so nothing is bound from the host:
- a project directory the service may write to holds data: a claim (through the same volume
  plan as named volumes), which starts empty, so a note says to copy the data in;
- a file, or a directory mounted read-only, is configuration: a ConfigMap filled from the
  file(s) beside the compose file (a directory: one key per regular file, not recursive),
  mounted at the target (a file through ``subPath``);
- the Docker socket and host system paths (``/var/log``, ``/proc``, ``/etc``...) only make
  sense on the node itself: kept on the container as ``host_mounts``, a node agent's
  ``hostPath`` (any other pod leaves them out, with a note: see ``layout.attention``).
"""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass, field, replace
from pathlib import Path

from advisor.domain.model import Container, FileKind, FileMount, HostMount, VolumeMount
from advisor.domain.names import MAX_LABEL, short_label
from advisor.formats.compose.context import Context
from advisor.formats.compose.filesets import MAX_BYTES, FileSets, data_key, read_file
from advisor.formats.compose.volumes import Bind

# Paths of the host system itself, which only a node agent reads; other absolute paths
# (/opt/data, /srv, /home/me/app) are the application's files that happen to live there.
_SYSTEM_PATHS = (
    "/",
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/lib64",
    "/proc",
    "/root",
    "/run",
    "/sbin",
    "/sys",
    "/tmp",
    "/usr",
    "/var/lib/docker",
    "/var/log",
    "/var/run",
)


@dataclass
class PlacedBinds:
    """One service's bind mounts, sorted by what they became."""

    claims: list[VolumeMount] = field(default_factory=list)
    files: list[FileMount] = field(default_factory=list)
    host: list[HostMount] = field(default_factory=list)


def is_system_path(source: str) -> bool:
    """Whether ``source`` is a path of the host system rather than of the application."""
    path = posixpath.normpath(source) if source.startswith("/") else ""
    return bool(path) and any(
        path == root or (root != "/" and path.startswith(f"{root}/")) for root in _SYSTEM_PATHS
    )


class ProjectBinds:
    """Turns the bind mounts of a project's services into claims, ConfigMaps and host
    mounts; a path bound by two services becomes one object both mount."""

    def __init__(self, context: Context, sets: FileSets) -> None:
        self._context = context
        self._sets = sets

    def place(self, binds: list[Bind], where: str) -> PlacedBinds:
        """What each of one service's binds becomes; ``where`` is ``services.NAME.volumes``."""
        placed = PlacedBinds()
        for bind in binds:
            if is_system_path(bind.source):
                # The pod's workload decides: a node agent's hostPath, or a note (attention).
                placed.host.append(HostMount(bind.source, bind.target, bind.read_only))
                continue
            path = self._resolve(bind.source)
            if path.is_file() or (not path.exists() and _looks_like_a_file(bind)):
                placed.files.append(self._file(bind, path, where))
            elif bind.read_only:
                placed.files.append(self._directory(bind, path, where))
            else:
                name = short_label(_relative(bind.source), self._context.project or "project")
                placed.claims.append(VolumeMount(name, bind.target, host_path=bind.source))
        return placed

    def _resolve(self, source: str) -> Path:
        path = Path(source).expanduser()
        return path if path.is_absolute() else self._context.folder / path

    def _file(self, bind: Bind, path: Path, where: str) -> FileMount:
        key = data_key(path.name)
        made = self._sets.known(FileKind.CONFIG_MAP, str(path))
        if made is None:
            content = read_file(path) if path.is_file() else f"{bind.source} is not there"
            data = content if isinstance(content, bytes) else b""
            made = self._sets.add(
                FileKind.CONFIG_MAP, str(path), _relative(bind.source), ((key, data),)
            )
            if isinstance(content, str):
                self._context.warn(
                    f"{where}: {content}: the ConfigMap {made.name!r} is written with an "
                    f"empty {key!r}; fill it from the file"
                )
        if not bind.read_only:
            self._context.warn(
                f"{where}: {bind.source} is mounted read-only from the ConfigMap "
                f"{made.name!r} (Kubernetes never writes into one)"
            )
        return FileMount(FileKind.CONFIG_MAP, made.name, bind.target, key)

    def _directory(self, bind: Bind, path: Path, where: str) -> FileMount:
        made = self._sets.known(FileKind.CONFIG_MAP, str(path))
        if made is None:
            files, problems = _directory_files(path, bind.source)
            made = self._sets.add(FileKind.CONFIG_MAP, str(path), _relative(bind.source), files)
            for problem in problems:
                self._context.warn(f"{where}: {problem} (ConfigMap {made.name!r})")
        return FileMount(FileKind.CONFIG_MAP, made.name, bind.target)


def _directory_files(path: Path, source: str) -> tuple[tuple[tuple[str, bytes], ...], list[str]]:
    """One key per regular file of the directory (sorted), and what was left out."""
    if not path.is_dir():
        return (), [
            f"{source} is not beside the compose file: written empty; fill it from {source}"
        ]
    files: list[tuple[str, bytes]] = []
    problems: list[str] = []
    total = 0
    for entry in sorted(path.iterdir()):
        if not entry.is_file():
            problems.append(f"{source}/{entry.name} is not a regular file, left out")
            continue
        content = read_file(entry) if data_key(entry.name) == entry.name else "not a key name"
        if isinstance(content, str):
            problems.append(f"{source}/{entry.name}: {content}, left out")
            continue
        total += len(content)
        files.append((entry.name, content))
    if total > MAX_BYTES:
        return (), [f"{source} holds over 1 MiB: the ConfigMap is written empty; use a claim"]
    return tuple(files), problems


def _looks_like_a_file(bind: Bind) -> bool:
    """A bind source that is not there: Docker would make a directory, but ``nginx.conf``
    was meant to be a file."""
    return bool(posixpath.splitext(bind.source.rstrip("/"))[1])


def _relative(source: str) -> str:
    """The source as a name: ``./backend/src`` -> ``backend/src``, ``.`` -> ``""``."""
    text = posixpath.normpath(source)
    for prefix in ("~/", "/"):
        text = text.removeprefix(prefix)
    return "" if text in (".", "~") else text


def rename_clashes(containers: list[Container], context: Context) -> list[Container]:
    """Claims made from bind mounts under names no named or anonymous volume has, each with
    one note to copy the data in, under the first service that binds it."""
    taken = {m.name for c in containers for m in c.volumes if m.host_path is None}
    renamed = []
    users: dict[str, list[str]] = {}
    for container in containers:
        mounts = []
        for mount in container.volumes:
            if mount.host_path is not None:
                if mount.name in taken:
                    digest = hashlib.sha256(mount.host_path.encode()).hexdigest()[:8]
                    name = f"{mount.name[: MAX_LABEL - 9].rstrip('-')}-{digest}"
                    mount = replace(mount, name=name)
                found = users.setdefault(mount.name, [])
                if container.name not in found:
                    found.append(container.name)
            mounts.append(mount)
        renamed.append(replace(container, volumes=tuple(mounts)))
    for container in renamed:
        for mount in container.volumes:
            if mount.host_path is None or users[mount.name][0] != container.name:
                continue
            others = users[mount.name][1:]
            also = f" (also mounted by {', '.join(others)})" if others else ""
            context.warn(
                f"services.{container.name}.volumes: {mount.host_path} becomes the claim "
                f"{mount.name!r}{also}, which starts empty: copy the files of "
                f"{mount.host_path} into it before the first start"
            )
    return renamed


def drop_clashing_files(containers: list[Container], context: Context) -> list[Container]:
    """Keep one mount per path (Kubernetes refuses two): volumes first, then the first file
    mount at each path; say which were dropped."""
    kept = []
    for container in containers:
        taken = {m.mount_path.rstrip("/") or "/": m.name for m in container.volumes}
        files = []
        for mount in container.files:
            path = mount.mount_path.rstrip("/") or "/"
            if path in taken:
                context.warn(
                    f"services.{container.name}: two mounts at {mount.mount_path}; dropped "
                    f"the {mount.kind.value} {mount.name!r} (already {taken[path]!r})"
                )
                continue
            taken[path] = mount.name
            files.append(mount)
        kept.append(replace(container, files=tuple(files)))
    return kept
