"""Compose ``volumes`` and ``volumes_from`` as the pod's volume mounts.

Named volumes keep their name, so two services that name one can share it inside a pod.
Anonymous volumes (``- /var/data``) and ``tmpfs`` become a volume private to the service,
named after it, so a ``volumes_from`` consumer can mount the very same one; ``tmpfs`` (a
``type: tmpfs`` volume or the service's ``tmpfs:`` key) is scratch space in memory, with its
``size`` as the limit, anything else holds data. Bind mounts are listed apart: what each becomes
(a claim, a ConfigMap, a host path left out) is ``binds.py``'s to say.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from advisor.domain.model import Container, Quantity, VolumeMount
from advisor.domain.names import MAX_LABEL, dns_label
from advisor.formats.compose.values import memory_quantity
from advisor.formats.fields import Fields, kind_of

SHM_PATH = "/dev/shm"

_PATH_STARTS = ("/", ".", "~", "$")


@dataclass(frozen=True)
class Bind:
    """A bind mount as the file wrote it: a host path at a path in the container."""

    source: str
    target: str
    read_only: bool

    def __str__(self) -> str:
        return f"{self.source or '?'} -> {self.target}"


@dataclass
class ServiceVolumes:
    """What one service's ``volumes:`` list holds, sorted by what can be exported."""

    mounts: list[VolumeMount] = field(default_factory=list)
    binds: list[Bind] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # entries skipped, with why


def private_volume_name(service: str, target: str) -> str:
    """A DNS-1123 name for ``service``'s anonymous volume at ``target``: ``db-var-data``."""
    name = dns_label(f"{service}-{target}") or dns_label(service) or "volume"
    if len(name) > MAX_LABEL:
        digest = hashlib.sha256(f"{service}\0{target}".encode()).hexdigest()[:8]
        name = f"{name[: MAX_LABEL - 9].rstrip('-')}-{digest}"
    return name


def service_volumes(fields: Fields, service: str) -> ServiceVolumes:
    """Parse ``volumes:`` of one service (short ``src:dst:mode`` and long syntax)."""
    result = ServiceVolumes()
    for index, item, items in fields.items("volumes"):
        if isinstance(item, str):
            _short(item, index, service, result)
        elif isinstance(item, dict):
            entry = Fields(
                fields.source, item, f"{fields.dotted('volumes')}[{index}]", items, index
            )
            _long(entry, service, result)
        else:
            fields.item_fail(
                "volumes", items, index, f"a volume is text or a mapping, not {kind_of(item)}"
            )
    _service_tmpfs(fields, service, result)
    return result


def _service_tmpfs(fields: Fields, service: str, result: ServiceVolumes) -> None:
    """``tmpfs: /tmp`` or ``tmpfs: [/tmp, /run:size=64m,mode=1777]``: scratch space in memory.
    Of the options only ``size`` (and ``ro``) carry over; an emptyDir is writable by all."""
    raw = fields.data.get("tmpfs")
    if raw is None:
        return
    entries = [raw] if isinstance(raw, str) else raw
    if not isinstance(entries, list):
        fields.fail("tmpfs", f"must be a path or a list of paths, not {kind_of(raw)}")
    for index, item in enumerate(entries):
        if not isinstance(item, str) or not item.strip().startswith("/"):
            shown = repr(item) if isinstance(item, str) else kind_of(item)
            problem = f"must be an absolute path[:options], not {shown}"
            if isinstance(raw, list):
                fields.item_fail("tmpfs", raw, index, problem)
            fields.fail("tmpfs", problem)
        target, _, options = item.strip().partition(":")
        size: Quantity | None = None
        read_only = False
        for option in filter(None, (o.strip() for o in options.split(","))):
            key, _, value = option.partition("=")
            if key == "size":
                size = _tmpfs_size(value, fields, "tmpfs")
            read_only = read_only or key == "ro"
        name = private_volume_name(service, target)
        result.mounts.append(VolumeMount(name, target, read_only, True, True, size))


def _tmpfs_size(raw: Any, fields: Fields, key: str) -> Quantity | None:
    """A tmpfs ``size`` as a quantity; ``0`` means no limit, as for the kernel."""
    if str(raw).strip() == "0":
        return None
    parsed = memory_quantity(raw)
    if isinstance(parsed, str):
        fields.fail(key, f"size {parsed}")
    return parsed


def sized_shm(mounts: list[VolumeMount], shm_size: Quantity | None) -> list[VolumeMount]:
    """A tmpfs at ``/dev/shm`` with no size of its own takes the service's ``shm_size``."""
    return [
        replace(m, size_limit=shm_size)
        if m.memory and m.size_limit is None and m.mount_path.rstrip("/") == SHM_PATH
        else m
        for m in mounts
    ]


def _short(spec: str, index: int, service: str, result: ServiceVolumes) -> None:
    parts = spec.strip().split(":")
    if len(parts) == 1:
        source, target, mode = "", parts[0], ""
    elif len(parts) in (2, 3):
        source, target = parts[0], parts[1]
        mode = parts[2] if len(parts) == 3 else ""
        if not source:
            result.problems.append(
                f"volumes[{index}]: {spec!r} has an empty source (an unset variable?)"
            )
            return
    else:
        result.problems.append(f"volumes[{index}]: {spec!r} is not SOURCE:TARGET[:MODE]")
        return
    read_only = "ro" in mode.split(",")
    _add(source, target, read_only, service, result, index, spec, "volume")


def _long(entry: Fields, service: str, result: ServiceVolumes) -> None:
    kind = (entry.text("type") or "volume").lower()
    source = entry.text("source") or ""
    target = entry.text("target") or ""
    # "true" as well: compose casts an interpolated ``${RO:-true}`` to the schema's boolean.
    read_only = str(entry.data.get("read_only")).lower() == "true"
    index = int(entry.path.rsplit("[", 1)[-1].rstrip("]"))
    count = len(result.mounts)
    _add(source, target, read_only, service, result, index, f"{source}:{target}", kind)
    options = entry.sub("tmpfs") if kind == "tmpfs" else None
    if options is not None and "size" in options.data and len(result.mounts) > count:
        size = _tmpfs_size(options.data["size"], options, "size")
        result.mounts[-1] = replace(result.mounts[-1], size_limit=size)


def _add(
    source: str,
    target: str,
    read_only: bool,
    service: str,
    result: ServiceVolumes,
    index: int,
    spec: str,
    kind: str,
) -> None:
    if not target.startswith("/"):
        result.problems.append(f"volumes[{index}]: {spec!r}: the target must be an absolute path")
        return
    if kind == "bind" or (kind == "volume" and source.startswith(_PATH_STARTS)):
        result.binds.append(Bind(source, target, read_only))
    elif kind == "volume" and source:
        result.mounts.append(VolumeMount(source, target, read_only))
    elif kind in ("volume", "tmpfs"):
        private = private_volume_name(service, target)
        # Compose carries an anonymous volume over when it recreates the container, and
        # images declare their data directories so (postgres): data, like a named one.
        tmpfs = kind == "tmpfs"
        result.mounts.append(VolumeMount(private, target, read_only, tmpfs, memory=tmpfs))
    else:
        result.problems.append(f"volumes[{index}]: type {kind!r} is not supported")


def volumes_from_sources(fields: Fields) -> tuple[list[tuple[str, bool]], list[str]]:
    """``volumes_from`` entries as (service, read_only), and the entries skipped with why."""
    sources: list[tuple[str, bool]] = []
    problems: list[str] = []
    for index, item, items in fields.items("volumes_from"):
        if not isinstance(item, str) or not item.strip():
            fields.item_fail("volumes_from", items, index, f"must be a service name, not {item!r}")
        parts = item.strip().split(":")
        if parts[0] == "container":
            problems.append(f"volumes_from[{index}]: {item!r} names a container, not a service")
            continue
        read_only = len(parts) > 1 and parts[1] == "ro"
        sources.append((parts[0], read_only))
    return sources, problems


def merge_mounts(own: list[VolumeMount], inherited: list[VolumeMount]) -> list[VolumeMount]:
    """The service's own mounts, then inherited ones at paths it does not mount itself."""
    taken = {m.mount_path.rstrip("/") for m in own}
    merged = list(own)
    for mount in inherited:
        if mount.mount_path.rstrip("/") not in taken:
            merged.append(mount)
            taken.add(mount.mount_path.rstrip("/"))
    return merged


def dedupe_mounts(mounts: list[VolumeMount]) -> tuple[list[VolumeMount], list[str]]:
    """Keep the first mount at each path (Kubernetes refuses two); report the others."""
    kept: dict[str, VolumeMount] = {}
    dropped: list[str] = []
    for mount in mounts:
        path = mount.mount_path.rstrip("/") or "/"
        if path in kept:
            dropped.append(f"{mount.name} at {mount.mount_path} (already {kept[path].name})")
        else:
            kept[path] = mount
    return list(kept.values()), dropped


def volume_name_problem(containers: Iterable[Container]) -> tuple[str, str] | None:
    """A volume name that makes no valid Kubernetes name (``___``, or over 63 characters), or
    two that become the same one (``my_vol`` and ``my-vol``): the service, and why."""
    seen: dict[str, str] = {}
    for container in containers:
        for mount in container.volumes:
            label = dns_label(mount.name)
            if not label:
                return container.name, f"volume name {mount.name!r} has no letters or digits"
            if len(label) > MAX_LABEL:
                return container.name, (
                    f"volume name {mount.name[:40]!r}... is {len(label)} characters; "
                    f"Kubernetes allows at most {MAX_LABEL}"
                )
            first = seen.setdefault(label, mount.name)
            if first != mount.name:
                return container.name, (
                    f"volumes {first!r} and {mount.name!r} both become {label!r} in "
                    "Kubernetes; rename one"
                )
    return None
