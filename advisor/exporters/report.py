"""``report.md``: the layout for a pull request or a design review, with a Mermaid diagram."""

from __future__ import annotations

from advisor.domain.words import plural
from advisor.exporters.diagram import picture, render_mermaid
from advisor.exporters.envsettings import settings_lines
from advisor.exporters.network import network_lines
from advisor.layout.advice import Advice
from advisor.layout.attention import needs_attention
from advisor.layout.audit import render_audit
from advisor.layout.fixes import tension_fixes
from advisor.layout.services import published_text
from advisor.layout.summary import counts, describe_counts, summarize
from advisor.layout.volumes import VolumeKind


def render_report(advice: Advice) -> str:
    """The Markdown report: summary table, what needs attention before applying, diagram,
    reasons, volumes, Services and how to reach the entry points, tensions, unanswered
    pairs."""
    inventory = advice.inventory
    summaries = [summarize(pod, advice) for pod in advice.layout.pods]
    numbers = counts(advice)
    # Every file read when compose merged several (an override, -f, include:), in order.
    read_from = ", ".join(f"`{name}`" for name in inventory.files or (inventory.source,))
    lines = [
        f"# Pod layout for {inventory.name}",
        "",
        f"Made by pod-advisor from {read_from}. " + describe_counts(numbers) + ".",
        "",
        "| Pod | Containers | CPU requests | Memory requests | Shared volumes | Ports |",
        "|---|---|---|---|---|---|",
    ]
    for s in summaries:
        cells = (
            advice.pod_title(s.pod.name),
            ", ".join(s.pod.members),
            s.cpu_against_node(),
            s.memory_against_node(),
            ", ".join(s.shared_volumes) or "-",
            ", ".join(s.ports) or "-",
        )
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "## Needs attention", ""]
    attention = needs_attention(advice)
    lines += [f"- **{item.subject}**: {item.text}" for item in attention] or [
        "Nothing: every container, volume and setting was carried over as the input gave it."
    ]
    if inventory.running:
        lines += ["", "## The pods as they run", "", *render_audit(advice)[:-1]]
    lines += ["", "## Diagram", "", "```mermaid"]
    lines += render_mermaid(picture(advice)).splitlines()
    lines += ["```", "", "## Why these pods", ""]
    workloads = advice.workload_plans()
    for s in summaries:
        workload = workloads[s.pod.name]
        lines.append(f"**{advice.pod_title(s.pod.name)}**: a {workload.kind.kind} ({workload.why})")
        lines += [f"- {reason}" for reason in s.reasons]
        lines.append("")
    lines += _volume_lines(advice)
    lines += settings_lines(inventory)
    lines += _service_lines(advice)
    lines += _entry_lines(advice)
    if advice.network_policies:
        lines += network_lines(advice)
    lines += _ingress_lines(advice)
    lines += ["## Tensions", ""]
    if advice.layout.tensions:
        fixes = tension_fixes(advice)
        lines += [
            f"- {t.pair.label()} were answered together, but: {t.reason}. Fix: {fixes[t.pair]}."
            for t in advice.layout.tensions
        ]
    else:
        lines.append("None: every pair answered together shares a pod.")
    lines += ["", f"## Unanswered pairs ({advice.unanswered_kept})", ""]
    if advice.unanswered:
        lines += [f"- {pair.label()}" for pair in advice.unanswered]
        if advice.unanswered_more:
            lines.append(
                f"- ... and {advice.unanswered_more} more "
                f"({advice.unanswered_count} in all; answer them or see `--strict`)"
            )
    else:
        lines.append("None.")
    layout = advice.layout
    if not layout.exact:
        lines += [
            "",
            "Note: a group of containers was too large to search exhaustively; "
            "its pods come from a greedy layout and may not be the fewest possible. "
            f"No valid layout has fewer than {plural(layout.lower_bound, 'pod')} (containers "
            f"no two of which were answered together each need their own), so this one has at "
            f"most {plural(layout.gap, 'pod')} more than the fewest.",
        ]
    return "\n".join(lines) + "\n"


_VOLUME_WORDS = {
    VolumeKind.SCRATCH: "emptyDir (scratch, wiped with the pod) for {users} in pod {pods}",
    VolumeKind.CLAIM: "PersistentVolumeClaim (ReadWriteOnce) for {users} in pod {pods}",
    VolumeKind.SHARED_CLAIM: "**needs ReadWriteMany storage**: one claim mounted by pods "
    "{pods} ({users})",
    VolumeKind.EMPTYDIR_PER_POD: "**an emptyDir in each of pods {pods}**, each empty: "
    "{users} no longer see each other's files",
    VolumeKind.CLAIM_PER_REPLICA: "the StatefulSet's volumeClaimTemplates, a claim per "
    "replica, for {users} in pod {pods}",
    VolumeKind.INPUT_CLAIM: "the manifest's PersistentVolumeClaim {source} for {users} in "
    "pod {pods}",
    VolumeKind.INPUT_VOLUME: "the manifest's {source} volume, as it declares it, for {users} "
    "in pod {pods}",
}


def _service_lines(advice: Advice) -> list[str]:
    """The Services the names in use need: where each points, and who reaches it."""
    services, _ = advice.service_plans()
    if not services:
        return []
    lines = ["## Services", ""]
    for s in services:
        ports = ", ".join(str(p) for p in s.ports) or "headless, no port declared"
        lines.append(f"- {s.name} -> pod {s.pod} ({ports}): {s.reason}")
    return [*lines, ""]


def _entry_lines(advice: Advice) -> list[str]:
    """How to open each port compose published on the host: a ClusterIP Service is reached
    from inside the cluster only."""
    services, _ = advice.service_plans(every_pod=advice.services)
    entries = [(s, p) for s in services for p in s.entries]
    if not entries:
        return []
    lines = [
        "## How to reach it",
        "",
        "Compose published these ports on the host. Each is now a ClusterIP Service, reached "
        "from inside the cluster only: forward one to your machine with the command shown "
        "(it runs until stopped), or open it to others by making the Service "
        "`type: LoadBalancer` or routing an Ingress to it.",
        "",
    ]
    for service, port in entries:
        local = port.host_port or port.number
        if port.protocol == "TCP":
            how = (
                f"`kubectl port-forward svc/{service.name} {local}:{port.number}`, "
                f"then open localhost:{local}"
            )
        else:  # kubectl port-forward carries TCP only
            how = (
                f"{port.protocol}, which `kubectl port-forward` does not carry: make Service "
                f"{service.name} `type: LoadBalancer` (or NodePort) to reach it"
            )
        shown = published_text(port)
        lines.append(f"- {service.name} (pod {service.pod}, published {shown}): {how}")
    return [*lines, ""]


def _ingress_lines(advice: Advice) -> list[str]:
    """The hosts the compose file routed, and where each Ingress sends them."""
    ingresses, _ = advice.ingress_plans(every_pod=advice.services)
    if not ingresses:
        return []
    lines = ["## Ingresses", ""]
    for ingress in ingresses:
        for p in ingress.paths:
            https = " (HTTPS)" if p.host in ingress.tls_hosts else ""
            lines.append(
                f"- {p.host or 'any host'}{p.path}{https} -> Service {ingress.name} port "
                f"{p.port}: {p.where}"
            )
    return [*lines, ""]


def _volume_lines(advice: Advice) -> list[str]:
    """What each named volume becomes; a volume two pods need is flagged for review."""
    plans = advice.volume_plans()
    if not plans:
        return []
    lines = ["## Volumes", ""]
    shares = {s.volume: s for s in advice.inventory.shares}
    for plan in plans.values():
        words = _VOLUME_WORDS[plan.kind].format(
            users=", ".join(plan.users), pods=", ".join(plan.pods), source=plan.source
        )
        if plan.name in shares:
            share = shares[plan.name]
            words = (
                f"the NFS share {share.server}:{share.path}, a claim bound to its "
                f"PersistentVolume, for {', '.join(plan.users)} in pod {', '.join(plan.pods)}"
            )
        if plan.shared and plan.kind is VolumeKind.INPUT_CLAIM:
            words += " (**one claim mounted by several pods**: its access mode must allow it)"
        lines.append(f"- {plan.name}: {words}")
    return [*lines, ""]
