"""Secrets and ConfigMaps of files: the documents, the pod volumes that carry them and the
container mounts that use them (environment values: ``envsettings``).

A file set's bytes go to a Secret's ``data`` (base64, so every byte is kept) or a
ConfigMap's ``data`` (UTF-8 text) or ``binaryData`` (anything else). A mount with a
``mode`` gets a pod volume of its own with that ``defaultMode``; a directory with
subdirectories lists its keys under ``items`` with their paths.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from advisor.domain.model import Container, FileKind, FileMount, FileSet, Inventory
from advisor.domain.names import MAX_LABEL, short_label

Labels = Callable[[str], dict[str, str]]


def file_documents(inventory: Inventory, labels: Labels) -> list[dict[str, Any]]:
    """The ConfigMaps, then the Secrets: the file sets to write."""
    return [_document(s, labels) for s in inventory.file_sets if not s.external]


def file_volumes(members: list[Container]) -> list[dict[str, Any]]:
    """One pod volume per Secret or ConfigMap the members mount (per mode), in name order."""
    found: dict[tuple[FileKind, str, int | None], FileMount] = {}
    for container in members:
        for mount in container.files:
            found.setdefault((mount.kind, mount.name, mount.mode), mount)
    volumes = []
    for (kind, name, mode), mount in sorted(found.items(), key=lambda e: _order(e[0])):
        source: dict[str, Any] = {"secretName": name} if kind is FileKind.SECRET else {"name": name}
        if mount.paths:
            source["items"] = [{"key": key, "path": path} for key, path in mount.paths]
        if mode is not None:
            source["defaultMode"] = mode
        field = "secret" if kind is FileKind.SECRET else "configMap"
        volumes.append({"name": _volume_name(mount), field: source})
    return volumes


def file_mounts(container: Container) -> list[dict[str, Any]]:
    """The container's read-only mounts of its Secrets and ConfigMaps."""
    return [_mount(m) for m in container.files]


def _order(key: tuple[FileKind, str, int | None]) -> tuple[str, str, int]:
    kind, name, mode = key
    return kind.value, name, -1 if mode is None else mode


def _mount(mount: FileMount) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": _volume_name(mount),
        "mountPath": mount.mount_path,
        "readOnly": True,
    }
    if mount.key is not None:
        entry["subPath"] = mount.key  # one file of the object, as compose mounts one file
    return entry


def _volume_name(mount: FileMount) -> str:
    prefix = "secret" if mount.kind is FileKind.SECRET else "config"
    # A mode of its own: a volume of its own (octal, as chmod spells it: secret-tls-m400).
    suffix = "" if mount.mode is None else f"-m{mount.mode:o}"
    base = short_label(f"{prefix}-{mount.name}", prefix)[: MAX_LABEL - len(suffix)]
    return base.rstrip("-") + suffix


def _document(file_set: FileSet, labels: Labels) -> dict[str, Any]:
    document: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": file_set.kind.value,
        "metadata": {"name": file_set.name, "labels": labels(file_set.name)},
    }
    if file_set.kind is FileKind.SECRET:
        document["type"] = "Opaque"
        if file_set.files:
            document["data"] = {k: _base64(v) for k, v in file_set.files}
        return document
    text: dict[str, str] = {}
    binary: dict[str, str] = {}
    for key, content in file_set.files:
        try:
            text[key] = content.decode()
        except UnicodeDecodeError:
            binary[key] = _base64(content)
    if text:
        document["data"] = text
    if binary:
        document["binaryData"] = binary
    return document


def _base64(content: bytes) -> str:
    return base64.b64encode(content).decode("ascii")
