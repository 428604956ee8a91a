"""Secrets and ConfigMaps: the documents, the pod volumes that carry them and the container
mounts and environment entries that use them.

A file set's bytes go to a Secret's ``data`` (base64, so every byte is kept) or a
ConfigMap's ``data`` (UTF-8 text) or ``binaryData`` (anything else). Environment values that
are secret (from an env_file, or named so: ``DB_PASSWORD``) go to one Secret per container,
``<container>-env``, and each is read with ``secretKeyRef`` in the order compose gave:
never a plain ``value``.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from typing import Any

from advisor.domain.model import Container, FileKind, FileMount, FileSet, Inventory
from advisor.domain.names import MAX_LABEL, dns_label, short_label
from advisor.exporters.kubelet import kubelet_literal

Labels = Callable[[str], dict[str, str]]
_KEY = re.compile(r"[^-._a-zA-Z0-9]")


def env_secret_names(inventory: Inventory) -> dict[str, str]:
    """The Secret that holds each container's secret environment values, by container."""
    taken = {s.name for s in inventory.file_sets if s.kind is FileKind.SECRET}
    names: dict[str, str] = {}
    for container in inventory.containers:
        name = f"{dns_label(container.name)}-env"
        if name in taken:
            digest = hashlib.sha256(container.name.encode()).hexdigest()[:8]
            name = f"{name}-{digest}"
        names[container.name] = name
    return names


def file_documents(inventory: Inventory, labels: Labels) -> list[dict[str, Any]]:
    """The ConfigMaps, then the Secrets: the file sets to write, then the env Secrets."""
    documents = [_document(s, labels) for s in inventory.file_sets if not s.external]
    secrets = env_secret_names(inventory)
    for container in inventory.containers:
        values = tuple(
            (_key(name), value.encode())
            for name, value in container.env
            if container.is_secret_env(name, value)
        )
        if values:
            env_set = FileSet(FileKind.SECRET, secrets[container.name], values)
            documents.append(_document(env_set, labels))
    return documents


def env_entries(container: Container, secret: str) -> list[dict[str, Any]]:
    """The container's ``env``: plain values inline, secret ones from its Secret."""
    return [
        {"name": name, "valueFrom": {"secretKeyRef": {"name": secret, "key": _key(name)}}}
        if container.is_secret_env(name, value)
        else {"name": name, "value": kubelet_literal(value) if container.literal else value}
        for name, value in container.env
    ]


def file_volumes(members: list[Container]) -> list[dict[str, Any]]:
    """One pod volume per Secret or ConfigMap the members mount, in name order."""
    found = {(m.kind, m.name) for c in members for m in c.files}
    volumes = []
    for kind, name in sorted(found):
        source: dict[str, Any] = (
            {"secret": {"secretName": name}}
            if kind is FileKind.SECRET
            else {"configMap": {"name": name}}
        )
        volumes.append({"name": _volume_name(kind, name), **source})
    return volumes


def file_mounts(container: Container) -> list[dict[str, Any]]:
    """The container's read-only mounts of its Secrets and ConfigMaps."""
    return [_mount(m) for m in container.files]


def _mount(mount: FileMount) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": _volume_name(mount.kind, mount.name),
        "mountPath": mount.mount_path,
        "readOnly": True,
    }
    if mount.key is not None:
        entry["subPath"] = mount.key  # one file of the object, as compose mounts one file
    return entry


def _volume_name(kind: FileKind, name: str) -> str:
    prefix = "secret" if kind is FileKind.SECRET else "config"
    return short_label(f"{prefix}-{name}", prefix)[:MAX_LABEL]


def _key(name: str) -> str:
    return _KEY.sub("_", name)


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
