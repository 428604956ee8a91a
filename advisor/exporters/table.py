"""The layout as a plain-text table that fits an 80-column terminal."""

from __future__ import annotations

import textwrap

from advisor.layout.advice import Advice
from advisor.layout.fixes import tension_fixes
from advisor.layout.summary import counts, describe_counts, summarize

WIDTH = 80
GAP = "  "
HEADER = ("POD", "CONTAINERS", "CPU", "MEMORY", "SHARED VOLUMES")
# Columns that wrap when the terminal is too narrow, and the least each may shrink to.
SHRINKABLE = {0: 10, 1: 12, 4: len("SHARED VOLUMES")}


def layout_table(advice: Advice, width: int = WIDTH) -> str:
    """Pods with their containers, requests and shared volumes, the counts, then tensions."""
    rows = []
    for pod in advice.layout.pods:
        s = summarize(pod, advice)
        rows.append(
            (
                advice.pod_title(s.pod.name),
                ", ".join(s.pod.members),
                s.cpu_against_node(),
                s.memory_against_node(),
                ", ".join(s.shared_volumes) or "-",
            )
        )
    widths = _fit([max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(HEADER)], width)
    lines = _row(HEADER, widths)
    for row in rows:
        lines += _row(row, widths)
    lines.append("")
    lines.append(textwrap.fill(counts_line(advice), width))
    fixes = tension_fixes(advice)
    for tension in advice.layout.tensions:
        lines.append(
            textwrap.fill(
                f"! {tension.pair.label()}: {tension.reason}", width, subsequent_indent="  "
            )
        )
        lines.append(
            textwrap.fill(f"  fix: {fixes[tension.pair]}", width, subsequent_indent="    ")
        )
    return "\n".join(lines)


def counts_line(advice: Advice) -> str:
    """The session in numbers: containers, pods, questions, answers worked out, open pairs."""
    numbers = counts(advice)
    line = {
        "containers": numbers["containers"],
        "pods": numbers["pods"],
        "questions asked": numbers["questions asked"],
        "answers computed or inferred": numbers["answers computed"] + numbers["answers inferred"],
        "pairs left unanswered": numbers["pairs unanswered"],
    }
    if numbers["tensions"]:
        line["tensions"] = numbers["tensions"]
    return describe_counts(line)


def _fit(widths: list[int], width: int) -> list[int]:
    """Narrow the widest wrapping column, one character at a time, until the row fits."""
    widths = list(widths)
    room = width - len(GAP) * (len(widths) - 1)
    while sum(widths) > room:
        narrowable = [i for i, least in SHRINKABLE.items() if widths[i] > least]
        if not narrowable:
            break
        widest = max(narrowable, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def _row(cells: tuple[str, ...], widths: list[int]) -> list[str]:
    """One table row, its cells wrapped to their columns (a long name breaks mid-word)."""
    wrapped = [
        [cell] if _fits(cell, w) else textwrap.wrap(cell, w, break_on_hyphens=False) or [""]
        for cell, w in zip(cells, widths, strict=True)
    ]
    height = max(len(w) for w in wrapped)
    return [
        GAP.join(
            (column[line] if line < len(column) else "").ljust(w)
            for column, w in zip(wrapped, widths, strict=True)
        ).rstrip()
        for line in range(height)
    ]


def _fits(cell: str, width: int) -> bool:
    """Whether ``textwrap.wrap`` would give ``cell`` back as its one line (the usual case,
    a few thousand times faster to tell): short enough, and no space to drop or tab to
    expand."""
    return 0 < len(cell) <= width and cell.isprintable() and cell.strip() == cell
