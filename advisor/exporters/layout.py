"""``layout.yaml``: the pods, their members and the reasons, for scripts to read."""

from __future__ import annotations

from typing import Any

import yaml

from advisor.advice import Advice
from advisor.exporters.yamltext import SafeDumper
from advisor.fixes import tension_fixes
from advisor.summary import counts, summarize

LAYOUT_VERSION = 1


def layout_document(advice: Advice) -> dict[str, Any]:
    """The layout as plain data: pods with members and reasons, tensions, unanswered pairs."""
    pods = []
    for pod in advice.layout.pods:
        summary = summarize(pod, advice)
        pods.append(
            {
                "name": pod.name,
                "containers": list(pod.members),
                "requests": {"cpu": summary.cpu, "memory": summary.memory},
                "node": {"cpu": summary.cpu_capacity, "memory": summary.memory_capacity},
                "shared_volumes": list(summary.shared_volumes),
                "ports": list(summary.ports),
                "why": list(summary.reasons),
            }
        )
    fixes = tension_fixes(advice)
    return {
        "version": LAYOUT_VERSION,
        "application": advice.inventory.name,
        "counts": counts(advice),
        "exact": advice.layout.exact,
        "pods": pods,
        "tensions": [
            {"pair": t.pair.label(), "reason": t.reason, "fix": fixes[t.pair]}
            for t in advice.layout.tensions
        ],
        "unanswered": [p.label() for p in advice.unanswered],
    }


def dump_layout(advice: Advice) -> str:
    """``layout.yaml``'s text."""
    return yaml.dump(
        layout_document(advice),
        Dumper=SafeDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
