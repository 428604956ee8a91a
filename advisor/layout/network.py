"""The flows a NetworkPolicy lets in: who reaches which pod, on which ports, and why.

Each flow comes from evidence the input holds: a name reached as a host (a URL, ``host:port``,
a host variable, ``depends_on``, ``links``: see ``reached``), on the port written there or
the ports of the Service in front of it; a port compose publishes, or one an Ingress routes
a host to, which anyone may open; after the split of a running pod, the localhost link it
breaks. A name used only inside code or a configuration file is no evidence the tool can
read: such a flow is not allowed, and the report says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.domain.model import Port
from advisor.layout.advice import Advice
from advisor.layout.reached import reached_containers
from advisor.layout.services import published_text, routed_ports, served_ports


@dataclass(frozen=True)
class Flow:
    """Traffic a pod lets in: from pod ``source`` (None: from anyone, an entry point), on
    ``ports`` (none: any port, for a target whose port nothing says), and the evidence."""

    source: str | None
    target: str
    ports: tuple[Port, ...]
    evidence: tuple[str, ...]


def plan_flows(advice: Advice) -> list[Flow]:
    """Every flow the evidence names between pods of the layout, and every entry point, in
    a stable order: targets in layout order, then sources in layout order, entry points last."""
    if "flows" not in advice.cache:
        advice.cache["flows"] = _flows(advice)
    flows: list[Flow] = advice.cache["flows"]
    return flows


def _flows(advice: Advice) -> list[Flow]:
    inventory, layout = advice.inventory, advice.layout
    pod_of = {member: pod.name for pod in layout.pods for member in pod.members}
    # Per (source, target): the ports let in (None: any port), and the evidence.
    ports_of: dict[tuple[str | None, str], dict[Port, None] | None] = {}
    evidence_of: dict[tuple[str | None, str], list[str]] = {}

    def add(source: str | None, target: str, ports: tuple[Port, ...], why: str) -> None:
        key = (source, target)
        held = ports_of.setdefault(key, {})
        if held is not None and ports:
            held.update(dict.fromkeys(ports))
        elif not ports:  # a flow on a port nothing says: any port for the pair
            ports_of[key] = None
        evidence = evidence_of.setdefault(key, [])
        if why not in evidence:
            evidence.append(why)

    for reached in reached_containers(inventory, advice.rules.ports):
        container = inventory.container(reached.container)
        served, _ = served_ports(container, reached, advice.rules.ports)
        target = pod_of[container.name]
        for reach in reached.by:
            source = pod_of[reach.by]
            if source == target:
                continue  # one pod: its containers share localhost, no policy between them
            written = reach.port is not None and not reach.scheme_port
            ports = (Port(reach.port),) if written and reach.port else served
            add(source, target, ports, f"{reach.by} reaches {reach.name} ({reach.where})")
    for container in inventory.containers:
        for port in container.ports:
            if port.published:
                why = f"compose publishes {published_text(port)} of {container.name}"
                add(None, pod_of[container.name], (port,), why)
        # An Ingress sends a routed host here; its controller runs in a namespace of the
        # cluster's own, with labels nothing here knows, so the port is open to anyone.
        routed = routed_ports(container)
        if routed:
            hosts = ", ".join(dict.fromkeys(r.host or "any host" for r in container.routes))
            why = f"an Ingress routes {hosts} to {container.name}"
            add(None, pod_of[container.name], routed, why)
    order = {pod.name: index for index, pod in enumerate(layout.pods)}

    def place(key: tuple[str | None, str]) -> tuple[int, bool, int]:
        source, target = key
        return order[target], source is None, order[source] if source is not None else 0

    flows = []
    for key in sorted(ports_of, key=place):
        held = ports_of[key]
        listed = tuple(sorted(held)) if held is not None else ()
        flows.append(Flow(key[0], key[1], listed, tuple(evidence_of[key])))
    return flows
