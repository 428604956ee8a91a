"""Which services a compose service reaches by name, and the other names each answers to.

``depends_on`` and ``links`` name the services one needs; a link may give its own alias
(``db:database``), and ``networks.*.aliases`` and ``container_name`` add names on a network
(Docker's DNS resolves a container's own name too). In Kubernetes every one of those names
must be a Service, or the name does not resolve.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from advisor.domain.model import Container, Reach
from advisor.formats.fields import Fields


def check_depends(services: Fields, active: Iterable[str]) -> list[str]:
    """A ``depends_on`` naming the service itself is refused, as compose refuses it; one
    naming no service of the file is a note: compose refuses such a file alone, yet an
    override file merged with it (``-f a.yaml -f b.yaml``) may define the service."""
    notes = []
    for name in active:
        raw = services.data.get(name)
        depends = raw.get("depends_on") if isinstance(raw, dict) else None
        if not isinstance(depends, (dict, list)):
            continue
        service = Fields(services.source, raw, services.dotted(name), services.data, name)
        for index, target in enumerate(depends):
            problem = "names the service itself; compose refuses it too"
            if target == name and isinstance(depends, list):
                service.item_fail("depends_on", depends, index, problem)
            if target == name:
                Fields(service.source, depends, service.dotted("depends_on")).fail(name, problem)
            if target not in services.data:
                place = f"[{index}]" if isinstance(depends, list) else f".{target}"
                notes.append(
                    f"{service.dotted('depends_on')}{place}: no service {target!r} in this "
                    "file (compose refuses it unless another file defines it), ignored"
                )
    return notes


def reaches(service: str, data: dict[str, Any]) -> list[Reach]:
    """The names ``service`` reaches through ``depends_on`` and ``links``."""
    found: list[Reach] = []
    depends = data.get("depends_on")
    if isinstance(depends, (dict, list)):
        for target in depends:
            spec = depends.get(target) if isinstance(depends, dict) else None
            condition = spec.get("condition") if isinstance(spec, dict) else None
            # Waiting for a one-off to finish is no connection to it: no Service needed.
            if isinstance(target, str) and condition != "service_completed_successfully":
                found.append(Reach(service, target, "depends_on"))
    links = data.get("links")
    if isinstance(links, list):
        for link in links:
            if isinstance(link, str) and link.strip():
                target, _, alias = link.strip().partition(":")
                found.append(Reach(service, alias or target, "links"))
    return found


def link_aliases(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(service, alias) for each ``links: [service:alias]`` entry of one service."""
    links = data.get("links")
    if not isinstance(links, list):
        return []
    pairs = [str(link).strip().partition(":") for link in links if isinstance(link, str)]
    return [(target, alias) for target, _, alias in pairs if target and alias]


def network_aliases(data: dict[str, Any]) -> list[str]:
    """The aliases a service gives itself on its networks."""
    networks = data.get("networks")
    if not isinstance(networks, dict):
        return []
    aliases: list[str] = []
    for settings in networks.values():
        listed = settings.get("aliases") if isinstance(settings, dict) else None
        if isinstance(listed, list):
            aliases += [str(a) for a in listed if isinstance(a, (str, int)) and str(a)]
    return aliases


def names_reached(
    containers: list[Container], services: dict[Any, Any]
) -> tuple[list[Container], list[Reach]]:
    """Each container with the aliases it answers to, and the names the services reach."""
    aliases: dict[str, list[str]] = {c.name: [] for c in containers}
    found: list[Reach] = []
    for name, data in services.items():
        if str(name) not in aliases or not isinstance(data, dict):
            continue
        found += reaches(str(name), data)
        aliases[str(name)] += network_aliases(data)
        container_name = data.get("container_name")
        if isinstance(container_name, str) and container_name.strip():
            aliases[str(name)].append(container_name.strip())
        for target, alias in link_aliases(data):
            if target in aliases:
                aliases[target].append(alias)
    named = [
        replace(c, aliases=tuple(dict.fromkeys(a for a in aliases[c.name] if a != c.name)))
        for c in containers
    ]
    return named, found
