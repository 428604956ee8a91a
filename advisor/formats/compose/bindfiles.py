"""The files of a bound directory as the keys of one Secret or ConfigMap.

Every regular file below the directory is a key, subdirectories included: a key names no
folder (``[-._a-zA-Z0-9]`` only), so a file whose path is not its key (``conf.d/site.conf``
under ``conf.d_site.conf``, ``my site.conf`` under ``my_site.conf``) is put back in its
place by the volume's ``items``. Key material anywhere in the directory makes the whole
directory a Secret.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from advisor.domain.model import FileKind
from advisor.domain.secretnames import key_material
from advisor.formats.compose.filesets import MAX_BYTES, data_key, read_file


@dataclass
class DirectoryFiles:
    """What one directory holds, as keys: its files, where each goes, what was left out."""

    files: list[tuple[str, bytes]] = field(default_factory=list)
    paths: list[tuple[str, str]] = field(default_factory=list)  # key -> path, when they differ
    problems: list[str] = field(default_factory=list)
    kind: FileKind = FileKind.CONFIG_MAP
    too_large: bool = False  # over 1 MiB: no Secret or ConfigMap can hold it
    executable: bool = False  # a script among them, which Docker's bind ran as it is


def file_kind(name: str, content: bytes) -> FileKind:
    """A Secret for key material (a PEM private key, ``id_rsa``, ``*.key``...), else a
    ConfigMap."""
    return FileKind.SECRET if key_material(name, content) else FileKind.CONFIG_MAP


def directory_files(path: Path, source: str) -> DirectoryFiles:
    """Every regular file below ``path`` (``source`` as the compose file wrote it), sorted by
    path, with its key; symbolic links to directories are not followed."""
    found = DirectoryFiles()
    total = 0
    keys: set[str] = set()
    every: list[tuple[str, str]] = []
    for folder, folders, names in os.walk(path):
        folders.sort()
        here = Path(folder)
        for name in sorted(names):
            entry = here / name
            relative = entry.relative_to(path).as_posix()
            if not entry.is_file():
                found.problems.append(f"{source}/{relative} is not a regular file, left out")
                continue
            content = read_file(entry)
            if isinstance(content, str):
                found.problems.append(f"{source}/{relative}: {content}, left out")
                continue
            total += len(content)
            if total > MAX_BYTES:
                found.too_large = True
                return found
            key = data_key(relative.replace("/", "_"))
            if key in keys:  # a_b.conf beside a/b.conf
                digest = hashlib.sha256(relative.encode()).hexdigest()[:8]
                key = data_key(f"{key}-{digest}")
            keys.add(key)
            found.files.append((key, content))
            every.append((key, relative))
            if file_kind(name, content) is FileKind.SECRET:
                found.kind = FileKind.SECRET
            found.executable = found.executable or bool(entry.stat().st_mode & 0o111)
    if any(key != relative for key, relative in every):
        found.paths = every  # items list every key, or the others are not projected
    return found
