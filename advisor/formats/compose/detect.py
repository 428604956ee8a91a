"""Tell a compose file from an inventory by its top-level keys (without loading the
compose reader, which an inventory never needs)."""

from __future__ import annotations

from typing import Any


def is_compose(data: Any) -> bool:
    """A compose file: top-level ``services:`` (or only ``include:``), or the v1 layout of
    services at the top."""
    if not isinstance(data, dict):
        return False
    if "services" in data or "include" in data:
        return True
    if "containers" in data:
        return False
    services = [v for k, v in data.items() if not is_extension(k) and k != "version"]
    return bool(services) and all(
        isinstance(v, dict) and ("image" in v or "build" in v) for v in services
    )


def is_extension(key: Any) -> bool:
    """An ``x-`` key: an extension field (Compose's convention), which every format ignores."""
    return isinstance(key, str) and key.startswith("x-")
