"""What each compose bind mount becomes: a claim, a Secret or ConfigMap, or a host path left
out, or nothing at all (the service's own code, which its image carries: ``codemounts``).

A cluster node has no copy of the project folder, so nothing is bound from the host:
- a project directory the service may write to holds data: a claim (through the same volume
  plan as named volumes), which starts empty, so a note says to copy the data in;
- a file, or a directory mounted read-only, is configuration: a ConfigMap filled from the
  file(s) beside the compose file (a directory: one key per file, subfolders included,
  ``bindfiles``), mounted at the target (a file through ``subPath``); key material (a PEM
  private key, ``id_rsa``, ``*.key``, a keystore) goes to a Secret instead, never a
  ConfigMap; a read-only directory over 1 MiB is a read-only claim to copy the files into;
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
from advisor.formats.compose.bindfiles import directory_files, file_kind
from advisor.formats.compose.codemounts import build_context, is_code_mount, masks_under
from advisor.formats.compose.context import Context
from advisor.formats.compose.filesets import FileSets, data_key, read_file
from advisor.formats.compose.volumes import Bind, ServiceVolumes, private_volume_name
from advisor.formats.fields import Fields

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
    """One service's bind mounts, sorted by what they became, and its volumes without the
    ones that only masked a folder of a code mount left out."""

    claims: list[VolumeMount] = field(default_factory=list)
    files: list[FileMount] = field(default_factory=list)
    host: list[HostMount] = field(default_factory=list)
    volumes: list[VolumeMount] = field(default_factory=list)


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
        # A directory's items and mode, for the next service that binds it.
        self._layouts: dict[str, tuple[tuple[tuple[str, str], ...], int | None]] = {}

    def place(self, volumes: ServiceVolumes, fields: Fields, service: str) -> PlacedBinds:
        """What each of one service's binds becomes (``fields``: the service's mapping)."""
        placed = PlacedBinds()
        where = fields.dotted("volumes")
        context = build_context(fields.data.get("build"), self._context.folder)
        code: list[str] = []
        for bind in volumes.binds:
            if is_system_path(bind.source):
                # The pod's workload decides: a node agent's hostPath, or a note (attention).
                placed.host.append(HostMount(bind.source, bind.target, bind.read_only))
                continue
            path = self._resolve(bind.source)
            if path.is_file() or (not path.exists() and _looks_like_a_file(bind)):
                placed.files.append(self._file(bind, path, where))
            elif not bind.read_only and is_code_mount(path, context):
                code.append(bind.target)
                self._context.warn(
                    f"{where}: {bind.source} at {bind.target} is left out: the image carries "
                    "the code (built from it); rebuild the image to change it"
                )
            elif bind.read_only and (mount := self._directory(bind, path, where)) is not None:
                placed.files.append(mount)
            else:
                name = short_label(_relative(bind.source), self._context.project or "project")
                placed.claims.append(
                    VolumeMount(name, bind.target, bind.read_only, host_path=bind.source)
                )
        anonymous = {  # a tmpfs under the code is scratch space the service asked for
            private_volume_name(service, m.mount_path) for m in volumes.mounts if not m.memory
        }
        placed.volumes, masks = masks_under(code, volumes.mounts, anonymous)
        for mask in masks:
            self._context.warn(
                f"{where}: the anonymous volume at {mask.mount_path} is left out: it kept the "
                "image's files there from the code mount, and a new volume would hide them"
            )
        return placed

    def _resolve(self, source: str) -> Path:
        path = Path(source).expanduser()
        return path if path.is_absolute() else self._context.folder / path

    def _file(self, bind: Bind, path: Path, where: str) -> FileMount:
        key = data_key(path.name)
        origin = str(path)
        made = self._sets.known(FileKind.SECRET, origin) or self._sets.known(
            FileKind.CONFIG_MAP, origin
        )
        if made is None:
            content = read_file(path) if path.is_file() else f"{bind.source} is not there"
            data = content if isinstance(content, bytes) else b""
            kind = file_kind(path.name, data)
            made = self._sets.add(kind, origin, _relative(bind.source), ((key, data),))
            if isinstance(content, str):
                self._context.warn(
                    f"{where}: {content}: the {kind.value} {made.name!r} is written with an "
                    f"empty {key!r}; fill it from the file"
                )
            elif kind is FileKind.SECRET:
                self._context.warn(_key_note(where, bind.source, made.name))
        if not bind.read_only:
            self._context.warn(
                f"{where}: {bind.source} is mounted read-only from the {made.kind.value} "
                f"{made.name!r} (Kubernetes never writes into one)"
            )
        return FileMount(made.kind, made.name, bind.target, key, mode=_executable(path))

    def _directory(self, bind: Bind, path: Path, where: str) -> FileMount | None:
        """A read-only directory as one object, or None when it is too large for one."""
        origin = str(path)
        made = self._sets.known(FileKind.SECRET, origin) or self._sets.known(
            FileKind.CONFIG_MAP, origin
        )
        paths, mode = self._layouts.get(origin, ((), None))
        if made is None:
            if not path.is_dir():
                made = self._sets.add(FileKind.CONFIG_MAP, origin, _relative(bind.source))
                self._context.warn(
                    f"{where}: {bind.source} is not beside the compose file: the ConfigMap "
                    f"{made.name!r} is written empty; fill it from {bind.source}"
                )
                return FileMount(made.kind, made.name, bind.target)
            found = directory_files(path, bind.source)
            if found.too_large:
                self._context.warn(
                    f"{where}: {bind.source} holds over 1 MiB, more than a Secret or "
                    "ConfigMap holds: a read-only claim instead"
                )
                return None
            name = _relative(bind.source)
            made = self._sets.add(found.kind, origin, name, tuple(found.files))
            # A script among the files: all of them 0755, where a Secret's or ConfigMap's
            # files are 0644, so it still runs.
            mode = 0o755 if found.executable else None
            paths = tuple(found.paths)
            self._layouts[origin] = (paths, mode)
            for problem in found.problems:
                self._context.warn(f"{where}: {problem} ({made.kind.value} {made.name!r})")
            if found.kind is FileKind.SECRET:
                self._context.warn(_key_note(where, bind.source, made.name))
        return FileMount(made.kind, made.name, bind.target, paths=paths, mode=mode)


def _executable(path: Path) -> int | None:
    """The permission bits of a script Docker would bind executable (``0755``), which a
    Secret's or ConfigMap's files lose (0644) unless the volume says so; else None."""
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        return None
    return mode if mode & 0o111 else None


def _key_note(where: str, source: str, name: str) -> str:
    return (
        f"{where}: {source} holds key material: it goes to the Secret {name!r}, never a "
        "ConfigMap; pods.yaml then carries the key (base64 only): keep it out of version "
        "control, or create the Secret from your secret store"
    )


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
