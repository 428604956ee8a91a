"""The Services the manifests need: one under every name a container is reached by, one
in front of every container's published ports (its entry points, named after it),
under the name of every container a proxy routed a host to (an Ingress's backend), and with
``--services`` one in front of every pod that binds a port.

A reached container that declares no port gets a headless Service (no cluster IP, no
ports): its name still resolves to the pod, on any port, and the report says which port to
declare. Services that come out under one name are merged when they select the same pod.
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.domain.model import Container, Inventory, Port
from advisor.domain.names import service_name
from advisor.domain.rules import WellKnownPorts
from advisor.layout.partition import Layout
from advisor.layout.reached import Reached, reached_containers


@dataclass(frozen=True)
class ServicePlan:
    """One Service: its name, the pod it selects, and the ports (none: headless)."""

    name: str
    pod: str
    ports: tuple[Port, ...]
    reason: str  # why it exists, for the report
    # The ports among them that compose published on the host: entry points the user opens.
    entries: tuple[Port, ...] = ()


@dataclass(frozen=True)
class ServiceProblem:
    """A name the Services cannot resolve as the containers spell it."""

    container: str
    text: str


def plan_services(
    inventory: Inventory,
    layout: Layout,
    every_pod: bool = False,
    known: WellKnownPorts | None = None,
) -> tuple[list[ServicePlan], list[ServiceProblem]]:
    """The Services, in a stable order, and what keeps a name from resolving; ``known``
    gives the port of a well-known image reached at none."""
    known = known or WellKnownPorts()
    pod_of = {member: pod.name for pod in layout.pods for member in pod.members}
    plans: dict[str, ServicePlan] = {}
    problems: list[ServiceProblem] = []

    def add(plan: ServicePlan, container: str) -> None:
        held = plans.get(plan.name)
        if held is None:
            plans[plan.name] = plan
        elif held.pod == plan.pod:
            ports = tuple(dict.fromkeys((*held.ports, *plan.ports)))
            entries = tuple(dict.fromkeys((*held.entries, *plan.entries)))
            plans[plan.name] = ServicePlan(held.name, held.pod, ports, held.reason, entries)
        else:
            problems.append(
                ServiceProblem(
                    container,
                    f"its Service would be named {plan.name!r}, which pod {held.pod}'s "
                    "Service already is; rename one of them",
                )
            )

    for reached in reached_containers(inventory, known):
        container = inventory.container(reached.container)
        by = ", ".join(sorted({f"{r.by} ({r.where})" for r in reached.by}))
        served, assumed = served_ports(container, reached, known)
        if not served:
            problems.append(
                ServiceProblem(
                    container.name,
                    f"reached by name by {by} but declares no port: its Service is headless "
                    "(the name resolves, with no stable address); declare the port with "
                    "'expose:' or 'ports:'",
                )
            )
        for name in reached.names:
            label = service_name(name)
            if label != name:
                problems.append(
                    ServiceProblem(
                        container.name,
                        f"reached as {name!r}, which is not a valid Service name; its Service "
                        f"is {label!r}: change the references to it",
                    )
                )
            reason = f"reached as {name} by {by}{assumed}"
            plan = ServicePlan(label, pod_of[container.name], served, reason)
            add(plan, container.name)
    for container in inventory.containers:
        entries = tuple(p for p in container.ports if p.published)
        if entries:
            shown = ", ".join(published_text(p) for p in entries)
            reason = f"entry point: compose publishes {shown}"
            name = service_name(container.name)
            add(ServicePlan(name, pod_of[container.name], entries, reason, entries), container.name)
    for container in inventory.containers:
        ports = routed_ports(container)
        if ports:
            hosts = ", ".join(dict.fromkeys(r.host or "any host" for r in container.routes))
            reason = f"an Ingress routes {hosts} to it"
            add(
                ServicePlan(service_name(container.name), pod_of[container.name], ports, reason),
                container.name,
            )
    if every_pod:
        for pod in layout.pods:
            ports = tuple(p for m in pod.members for p in inventory.container(m).ports)
            if ports:
                reason = "--services: in front of the pod's ports"
                add(ServicePlan(service_name(pod.name), pod.name, ports, reason), pod.name)
    return list(plans.values()), problems


def served_ports(
    container: Container, reached: Reached, ports: WellKnownPorts
) -> tuple[tuple[Port, ...], str]:
    """The ports a reached container's Service serves: those it declares and those written
    where it is reached; when neither says one, the port its reaching URLs' schemes imply
    (``http://api/``: 80), else its image's well-known port, with the words that say it was
    assumed (no port at all: headless)."""
    # A port a proxy routed to is one it serves, declared or not.
    own = container.ports or routed_ports(container)
    declared = {(p.number, p.protocol) for p in own}
    named = tuple(Port(n) for n in reached.ports() if (n, "TCP") not in declared)
    if own or named:
        return (*own, *named), ""
    implied = reached.ports(scheme=True)
    if implied:
        shown = ", ".join(map(str, implied))
        return tuple(Port(n) for n in implied), (
            f"; port {shown} assumed from the URL scheme (declare it with 'expose:' if it "
            "listens on another)"
        )
    known = ports.of_image(container.image)
    if known is None:
        return (), ""
    word, number = known
    return (Port(number),), (
        f"; port {number} assumed, the usual port of {word} images (declare it with "
        "'expose:' if it listens on another)"
    )


def published_text(port: Port) -> str:
    """A published port as compose wrote it: ``8000:80``, ``53:53/udp``, ``80`` (Docker
    picks the host's port)."""
    host = f"{port.host_port}:" if port.host_port is not None else ""
    protocol = "" if port.protocol == "TCP" else f"/{port.protocol.lower()}"
    return f"{host}{port.number}{protocol}"


def routed_ports(container: Container) -> tuple[Port, ...]:
    """The ports a proxy sent ``container``'s hosts to: each route's own, else the first port
    the container declares (as traefik and nginx-proxy pick one)."""
    numbers = [
        r.port or (container.ports[0].number if container.ports else None) for r in container.routes
    ]
    declared = {p.number: p for p in container.ports if p.protocol == "TCP"}
    return tuple(dict.fromkeys(declared.get(n, Port(n)) for n in numbers if n is not None))
