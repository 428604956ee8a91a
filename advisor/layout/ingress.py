"""The Ingresses the manifests need: one per container a reverse proxy in front of the
compose application routed host names to (traefik rules, ``VIRTUAL_HOST``), its rules
sending each host and path to the container's Service on the routed port."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.domain.model import Inventory
from advisor.domain.names import service_name
from advisor.layout.partition import Layout
from advisor.layout.services import ServicePlan, routed_ports


@dataclass(frozen=True)
class IngressPath:
    """One host and path, and the Service port it goes to."""

    host: str
    path: str
    exact: bool
    port: int
    where: str  # where the compose file says it


@dataclass(frozen=True)
class IngressPlan:
    """One Ingress: its name (the Service's), the paths, and the hosts served over HTTPS."""

    name: str
    container: str
    paths: tuple[IngressPath, ...]
    tls_hosts: tuple[str, ...]

    @property
    def tls_secret(self) -> str:
        """The Secret that holds the certificate of the HTTPS hosts."""
        return f"{self.name}-tls"


def plan_ingresses(
    inventory: Inventory, layout: Layout, services: list[ServicePlan]
) -> tuple[list[IngressPlan], list[tuple[str, str]]]:
    """The Ingresses, in container order, and (container, text) for each route left out."""
    by_name = {s.name: s for s in services}
    plans: list[IngressPlan] = []
    problems: list[tuple[str, str]] = []
    claimed: dict[tuple[str, str], str] = {}  # (host, path): the container it goes to
    for container in inventory.containers:
        if not container.routes:
            continue
        hosts = ", ".join(dict.fromkeys(r.host or f"any host{r.path}" for r in container.routes))
        name = service_name(container.name)
        service = by_name.get(name)
        if not routed_ports(container) or service is None:
            problems.append(
                (
                    container.name,
                    f"a proxy routed {hosts} to it, but it declares no port: no Ingress is "
                    "written; declare the port ('expose:', VIRTUAL_PORT or traefik's "
                    "loadbalancer.server.port)",
                )
            )
            continue
        if service.pod != layout.pod_of(container.name).name:
            continue  # the Service's name is another pod's: the Services' problems say so
        paths = []
        for route in container.routes:
            port = route.port or container.ports[0].number
            held = claimed.setdefault((route.host, route.path), container.name)
            if held != container.name:
                problems.append(
                    (
                        container.name,
                        f"{route.host}{route.path} ({route.where}) is routed to {held} "
                        "already: the Ingress sends it there, not here",
                    )
                )
                continue
            paths.append(IngressPath(route.host, route.path, route.exact, port, route.where))
        tls = tuple(dict.fromkeys(r.host for r in container.routes if r.tls and r.host))
        if paths:
            plans.append(IngressPlan(name, container.name, tuple(paths), tls))
    return plans, problems
