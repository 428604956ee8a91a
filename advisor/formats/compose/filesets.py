"""The Secrets and ConfigMaps a compose project needs, each named once, with the bytes of
the files beside the compose file that fill them."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from advisor.domain.model import FileKind, FileSet
from advisor.domain.names import MAX_LABEL, short_label

# Kubernetes refuses a Secret or ConfigMap over 1 MiB (etcd's object limit).
MAX_BYTES = 1024 * 1024
_KEY = re.compile(r"[^-._a-zA-Z0-9]")


def data_key(name: str) -> str:
    """A Secret or ConfigMap key for ``name``: letters, digits, ``-``, ``_``, ``.``."""
    key = _KEY.sub("_", name)
    return key if key.strip(".") else f"_{key}"


def read_file(path: Path) -> bytes | str:
    """The bytes of ``path``, or why they cannot fill a Secret or ConfigMap."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return f"{path.name} is over 1 MiB, more than a Secret or ConfigMap holds"
        return path.read_bytes()
    except OSError as error:
        return f"{path.name} cannot be read ({error.strerror})"


class FileSets:
    """The Secrets and ConfigMaps written so far, by kind and by what they came from: two
    services that mount one file share one object, and no two objects share a name."""

    def __init__(self) -> None:
        self._by_origin: dict[tuple[FileKind, str], FileSet] = {}
        self._taken: set[tuple[FileKind, str]] = set()

    def known(self, kind: FileKind, origin: str) -> FileSet | None:
        """The object already made from ``origin`` (a secret's name, a file's path)."""
        return self._by_origin.get((kind, origin))

    def add(
        self,
        kind: FileKind,
        origin: str,
        wanted: str,
        files: tuple[tuple[str, bytes], ...] = (),
        external: bool = False,
    ) -> FileSet:
        """A new object named after ``wanted``, made unique among objects of its kind."""
        name = wanted if external else short_label(wanted, kind.value.lower())
        if not external and (kind, name) in self._taken:
            digest = hashlib.sha256(origin.encode()).hexdigest()[:8]
            name = f"{name[: MAX_LABEL - 9].rstrip('-')}-{digest}"
        self._taken.add((kind, name))
        made = FileSet(kind, name, files, external)
        self._by_origin[(kind, origin)] = made
        return made

    def all(self) -> tuple[FileSet, ...]:
        """Every object, ConfigMaps then Secrets, in the order they were first needed."""
        made = list(self._by_origin.values())
        return tuple(sorted(made, key=lambda s: 0 if s.kind is FileKind.CONFIG_MAP else 1))
