"""A container's environment as a platform team keeps it: settings apart from secrets.

The values of an ``env_file`` are settings, read as a whole with ``envFrom``: those that
look secret (``secretnames``: a password's name, a URL or DSN with a password) from the
``<container>-env`` Secret, the rest from the ``<container>-env`` ConfigMap, so a person can
move a key from one object to the other without touching the workload. A value the compose
file spells out under ``environment`` stays on the container: plain as a ``value``, secret
as a ``secretKeyRef`` to its key of the same Secret (``env`` wins over ``envFrom``, as
``environment`` wins over ``env_file`` in compose).

Values read through ``envFrom`` are never expanded by the kubelet (``$(NAME)`` stays as it
is), as compose passes an env_file's values on.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from advisor.domain.model import Container, Inventory
from advisor.domain.names import dns_label
from advisor.exporters.kubelet import kubelet_literal

Labels = Callable[[str], dict[str, str]]
_KEY = re.compile(r"[^-._a-zA-Z0-9]")


@dataclass(frozen=True)
class EnvSplit:
    """Where each of one container's environment values goes, by name."""

    settings: tuple[tuple[str, str], ...]  # env_file, plain: the ConfigMap, envFrom
    secrets: tuple[tuple[str, str], ...]  # env_file, secret: the Secret, envFrom
    picked: tuple[tuple[str, str], ...]  # environment, secret: the Secret, valueFrom
    inline: tuple[tuple[str, str], ...]  # environment, plain: a value

    @property
    def secret_data(self) -> tuple[tuple[str, str], ...]:
        """The Secret's keys and values."""
        return tuple((_key(n), v) for n, v in (*self.secrets, *self.picked))


def split_env(container: Container) -> EnvSplit:
    """Sort one container's environment into settings, secrets and inline values."""
    from_file = set(container.env_file_names)
    settings: list[tuple[str, str]] = []
    secrets: list[tuple[str, str]] = []
    picked: list[tuple[str, str]] = []
    inline: list[tuple[str, str]] = []
    for name, value in container.env:
        secret = container.is_secret_env(name, value)
        whole = name in from_file  # a dotenv name is always a valid key
        if secret:
            (secrets if whole else picked).append((name, value))
        elif whole:
            settings.append((name, value))
        else:
            inline.append((name, value))
    return EnvSplit(tuple(settings), tuple(secrets), tuple(picked), tuple(inline))


def env_object_names(inventory: Inventory) -> dict[str, str]:
    """The name of the ConfigMap and the Secret that hold each container's environment
    values (one name for both), by container: ``<container>-env``."""
    taken = {s.name for s in inventory.file_sets}
    names: dict[str, str] = {}
    for container in inventory.containers:
        name = f"{dns_label(container.name)}-env"
        if name in taken:
            digest = hashlib.sha256(container.name.encode()).hexdigest()[:8]
            name = f"{name}-{digest}"
        names[container.name] = name
    return names


def env_documents(inventory: Inventory, labels: Labels) -> list[dict[str, Any]]:
    """Each container's ConfigMap of settings and Secret of secret values, where it has any."""
    names = env_object_names(inventory)
    documents: list[dict[str, Any]] = []
    for container in inventory.containers:
        split, name = split_env(container), names[container.name]
        if split.settings:
            documents.append(
                {
                    "apiVersion": "v1",
                    "kind": "ConfigMap",
                    "metadata": {"name": name, "labels": labels(name)},
                    "data": dict(split.settings),
                }
            )
        if split.secret_data:
            data = {k: base64.b64encode(v.encode()).decode("ascii") for k, v in split.secret_data}
            documents.append(
                {
                    "apiVersion": "v1",
                    "kind": "Secret",
                    "metadata": {"name": name, "labels": labels(name)},
                    "type": "Opaque",
                    "data": data,
                }
            )
    return documents


def env_entries(container: Container, name: str) -> list[dict[str, Any]]:
    """The container's ``env``: what the compose file spells out, in its order (plain values
    inline, secret ones from the Secret ``name``)."""
    split = split_env(container)
    kept = {n for n, _ in (*split.picked, *split.inline)}
    return [
        {"name": n, "valueFrom": {"secretKeyRef": {"name": name, "key": _key(n)}}}
        if container.is_secret_env(n, value)
        else {"name": n, "value": kubelet_literal(value) if container.literal else value}
        for n, value in container.env
        if n in kept
    ]


def env_from(container: Container, name: str) -> list[dict[str, Any]]:
    """The container's ``envFrom``: its env_file's settings and secrets, each read whole."""
    split = split_env(container)
    found: list[dict[str, Any]] = []
    if split.settings:
        found.append({"configMapRef": {"name": name}})
    if split.secrets:
        found.append({"secretRef": {"name": name}})
    return found


def settings_lines(inventory: Inventory) -> list[str]:
    """Which environment names went where, per container (names only, never a value), so a
    person can move one: the report's "Settings and secrets" section."""
    names = env_object_names(inventory)
    lines: list[str] = []
    for container in inventory.containers:
        split, name = split_env(container), names[container.name]
        parts = [
            f"{what}: {', '.join(n for n, _ in entries)}"
            for what, entries in (
                (f"ConfigMap {name} (envFrom)", split.settings),
                (f"Secret {name} (envFrom)", split.secrets),
                (f"Secret {name} (secretKeyRef)", split.picked),
            )
            if entries
        ]
        if parts:
            lines.append(f"- {container.name}: " + "; ".join(parts))
    if not lines:
        return []
    return [
        "## Settings and secrets",
        "",
        "Environment values from an env_file, and secret ones, by the object that holds them. "
        "To move a name, move its key between the ConfigMap and the Secret of the same name.",
        "",
        *lines,
        "",
    ]


def _key(name: str) -> str:
    return _KEY.sub("_", name)
