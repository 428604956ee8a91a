"""The layout as a plain-text table that fits an 80-column terminal."""

from __future__ import annotations

import textwrap

from advisor.advice import Advice
from advisor.summary import counts, describe_counts, summarize

WIDTH = 80


def layout_table(advice: Advice, width: int = WIDTH) -> str:
    """Pods with their containers, requests, shared volumes and ports, then the counts."""
    header = ("POD", "CONTAINERS", "CPU", "MEMORY", "SHARED VOLUMES")
    rows = []
    for pod in advice.layout.pods:
        s = summarize(pod, advice)
        rows.append(
            (
                s.pod.name,
                ", ".join(s.pod.members),
                s.cpu_against_node(),
                s.memory_against_node(),
                ", ".join(s.shared_volumes) or "-",
            )
        )
    widths = [
        max(len(header[i]), *(len(r[i]) for r in rows)) if rows else len(header[i])
        for i in range(len(header))
    ]
    # Give the containers column whatever the others leave of the terminal's width.
    fixed = sum(w for i, w in enumerate(widths) if i != 1) + 2 * (len(widths) - 1)
    widths[1] = max(12, min(widths[1], width - fixed))
    lines = [_row(header, widths)]
    for row in rows:
        wrapped = textwrap.wrap(row[1], widths[1]) or [""]
        lines.append(_row((row[0], wrapped[0], *row[2:]), widths))
        lines += [_row(("", extra, "", "", ""), widths) for extra in wrapped[1:]]
    numbers = counts(advice)
    lines.append("")
    lines.append(textwrap.fill(describe_counts(numbers), width))
    for tension in advice.layout.tensions:
        lines.append(
            textwrap.fill(
                f"! {tension.pair.label()}: {tension.reason}", width, subsequent_indent="  "
            )
        )
    return "\n".join(lines)


def _row(cells: tuple[str, ...], widths: list[int]) -> str:
    return "  ".join(cell.ljust(w) for cell, w in zip(cells, widths, strict=True)).rstrip()
