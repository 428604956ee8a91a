"""Compose profiles: a service with ``profiles:`` runs only when one of them is active, by
``--profile NAME`` (repeatable, as ``docker compose --profile``) or ``COMPOSE_PROFILES``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from advisor.formats.fields import Fields, kind_of


def active_profiles(chosen: Iterable[str], variables: dict[str, str]) -> set[str]:
    """The profiles in force: those chosen, and those ``COMPOSE_PROFILES`` names (``*``: all)."""
    active = {p.strip() for p in chosen if p.strip()}
    active |= {p.strip() for p in variables.get("COMPOSE_PROFILES", "").split(",") if p.strip()}
    return active


def left_out(fields: Fields, active: set[str]) -> list[str] | None:
    """The service's profiles when none is active (it is left out), else None."""
    raw: Any = fields.data.get("profiles")
    if raw is None:
        return None
    if not isinstance(raw, list) or not all(isinstance(p, str) and p for p in raw):
        fields.fail("profiles", f"must be a list of profile names, not {kind_of(raw)}")
    if not raw or "*" in active or active & set(raw):
        return None
    return list(raw)
