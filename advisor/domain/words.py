"""Counted nouns in user-facing text: ``1 answer``, ``2 answers``, never ``1 answers``."""

from __future__ import annotations


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``count`` with ``noun``, singular for exactly one; ``many`` is the plural when it is
    not ``noun`` + s: ``plural(n, "pair is", "pairs are")``."""
    return f"{count} {noun if count == 1 else (many or noun + 's')}"
