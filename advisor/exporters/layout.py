"""``layout.yaml``: the pods, their members and the reasons, for scripts to read."""

from __future__ import annotations

from typing import Any

import yaml

from advisor.formats.yamlout import PlainDumper
from advisor.formats.yamltext import NotWritable, dump_block
from advisor.layout.advice import Advice
from advisor.layout.attention import needs_attention
from advisor.layout.fixes import tension_fixes
from advisor.layout.summary import counts, summarize

LAYOUT_VERSION = 1


def layout_document(advice: Advice) -> dict[str, Any]:
    """The layout as plain data: pods with members and reasons, tensions, unanswered pairs."""
    pods = []
    workloads = advice.workload_plans()
    for pod in advice.layout.pods:
        summary = summarize(pod, advice)
        workload = workloads[pod.name]
        pods.append(
            {
                "name": advice.pod_title(pod.name),
                "containers": list(pod.members),
                "workload": {"kind": workload.kind.kind, "why": workload.why},
                "requests": {"cpu": summary.cpu, "memory": summary.memory},
                "node": {"cpu": summary.cpu_capacity, "memory": summary.memory_capacity},
                "shared_volumes": list(summary.shared_volumes),
                "ports": list(summary.ports),
                "why": list(summary.reasons),
            }
        )
    fixes = tension_fixes(advice)
    layout = advice.layout
    document: dict[str, Any] = {
        "version": LAYOUT_VERSION,
        "application": advice.inventory.name,
        "counts": counts(advice),
        "exact": layout.exact,
    }
    if not layout.exact:
        # A greedy layout: how far from the fewest pods it can be, at most.
        document["pods_lower_bound"] = layout.lower_bound
        document["gap"] = layout.gap
    document["pods"] = pods
    document["needs_attention"] = [
        {"subject": item.subject, "what": item.text} for item in needs_attention(advice)
    ]
    document["tensions"] = [
        {"pair": t.pair.label(), "reason": t.reason, "fix": fixes[t.pair]} for t in layout.tensions
    ]
    document["unanswered"] = [p.label() for p in advice.unanswered]
    if advice.unanswered_more:
        # Past UNANSWERED_SHOWN the pairs are counted (counts.pairs unanswered), not listed.
        document["unanswered_not_listed"] = advice.unanswered_more
    shares = {s.volume: f"{s.server}:{s.path}" for s in advice.inventory.shares}
    document["volumes"] = [
        {
            "name": plan.name,
            "becomes": plan.kind.value,
            **({"source": plan.source} if plan.source else {}),
            **({"nfs": shares[plan.name]} if plan.name in shares else {}),
            "pods": list(plan.pods),
            "containers": list(plan.users),
        }
        for plan in advice.volume_plans().values()
    ]
    services, _ = advice.service_plans()
    document["services"] = [
        {"name": s.name, "pod": s.pod, "ports": [str(p) for p in s.ports], "why": s.reason}
        for s in services
    ]
    ingresses, _ = advice.ingress_plans(every_pod=advice.services)
    if ingresses:  # only where the compose file names a host
        document["ingresses"] = [
            {
                "name": i.name,
                "service": i.name,
                "routes": [f"{p.host or '*'}{p.path} -> {p.port} ({p.where})" for p in i.paths],
                **({"tls": list(i.tls_hosts)} if i.tls_hosts else {}),
            }
            for i in ingresses
        ]
    return document


def dump_layout(advice: Advice) -> str:
    """``layout.yaml``'s text: written directly, or through PyYAML (the same bytes) when it
    holds what only PyYAML writes (an application name beyond ASCII, say)."""
    document = layout_document(advice)
    try:
        return dump_block(document, width=100)
    except NotWritable:
        pass
    return yaml.dump(
        document,
        Dumper=PlainDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
