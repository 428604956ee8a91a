"""Answers naming compose services that a profile leaves out of this run.

An answers file saved with ``--profile debug`` names the debug services; read without that
profile, those entries are set aside (neither used nor refused) and written back as they
were, so that the next run with the profile finds them again.
"""

from __future__ import annotations

from typing import Any

from advisor.domain.model import Inventory
from advisor.domain.names import split_key

# The sections keyed by container names ("a + b" for pairs and processes), in file order.
SECTIONS = ("roles", "processes", "workloads", "replicas", "pairs")
_ORDER = ("version", "inventory", "asked", *SECTIONS)
_HELPER_PREFIX = "helper of "

Hidden = dict[str, dict[str, Any]]  # section -> key -> the entry as read


def set_aside(data: Any, inventory: Inventory) -> tuple[Any, Hidden]:
    """``data`` (an answers file as read) without the entries that name a hidden service,
    and those entries by section."""
    hidden = dict(inventory.hidden)
    kept: Hidden = {}
    if not hidden or not isinstance(data, dict):
        return data, kept
    known = set(inventory.by_name) | set(hidden)
    rest = type(data)(data)
    rest.__dict__.update(data.__dict__)
    for section in SECTIONS:
        entries = data.get(section)
        if not isinstance(entries, dict):
            continue
        for key, value in entries.items():
            names = split_key(key) if isinstance(key, str) else []
            if section in ("roles", "workloads", "replicas"):
                names = [str(key)]
            if section == "roles" and isinstance(value, str) and value.startswith(_HELPER_PREFIX):
                names.append(value.removeprefix(_HELPER_PREFIX).strip())
            if any(n in hidden for n in names) and all(n in known for n in names):
                kept.setdefault(section, {})[key] = _plain(value)
        if section in kept:
            shown = type(entries)({k: v for k, v in entries.items() if k not in kept[section]})
            shown.__dict__.update(entries.__dict__)
            rest[section] = shown
    return rest, kept


def profiles_of(kept: Hidden, inventory: Inventory) -> tuple[list[str], list[str]]:
    """The hidden services the entries name, and the profiles that bring them in."""
    hidden = dict(inventory.hidden)
    names = sorted(
        {n for entries in kept.values() for key in entries for n in split_key(str(key))}
        & set(hidden)
    )
    profiles = sorted({p for name in names for p in hidden[name]})
    return names, profiles


def with_hidden(document: dict[str, Any], kept: Hidden) -> dict[str, Any]:
    """The answers document with the set-aside entries back in their sections."""
    if not kept:
        return document
    merged = dict(document)
    for section, entries in kept.items():
        merged[section] = {**merged.get(section, {}), **entries}
    return {key: merged[key] for key in sorted(merged, key=_ORDER.index)}


def _plain(value: Any) -> Any:
    """A value as plain mappings and lists (what the writers take)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
