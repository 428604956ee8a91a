"""What a running pod's manifest says ties its containers to one host.

A container that names ``localhost`` (or ``127.0.0.1``, ``[::1]``) in its args, command,
env or probes reaches another container of its pod: the one binding the port it names (a
port nobody declares: the one whose image's well-known port it is, ``redis`` 6379), or,
without a port, the only other one. Containers that mount one ``emptyDir`` exchange
files through it. Either is a ``Link``: ``same_host`` is yes, computed, and says where.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from advisor.domain.model import LOCALHOST, SHARED_EMPTYDIR, Container, Link
from advisor.domain.rules import WellKnownPorts
from advisor.formats.kubernetes.listens import loopback_listens

_LOCALHOST = re.compile(r"(?<![\w.-])(?:localhost|127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?(?![\w.-])")
_LISTENS = re.compile(r"listen|bind|--host=|--address=", re.IGNORECASE)
_PROBES = ("livenessProbe", "readinessProbe", "startupProbe")


def pod_links(
    members: Sequence[tuple[Container, Mapping[str, Any]]],
    volumes: Mapping[str, Any],
    primary: str,
    ports: WellKnownPorts,
) -> list[Link]:
    """The links of one pod's members (each with its manifest spec); ``volumes`` are the
    pod's volumes by name. A port nobody declares is the one member whose image's
    well-known port (``ports``) it is; failing that, a helper reaching it reaches ``primary``
    (kube-state-metrics binds 127.0.0.1:8081 undeclared, behind kube-rbac-proxy)."""
    links: list[Link] = []
    for container, spec in members:
        # DB_HOST=127.0.0.1:3306 may set where the container listens, or name the server
        # it reaches: the latter when another member declares that port and it does not.
        own = {p.number for p in container.ports}
        others = {p.number for c, _ in members if c is not container for p in c.ports}
        listens = {
            listen.where
            for listen in loopback_listens(spec)
            if listen.port not in others - own or _LISTENS.search(listen.where)
        }
        for where, text in _texts(spec):
            if _LISTENS.search(where) or where in listens:
                continue  # its own listening address, not a reach
            for match in _LOCALHOST.finditer(text):
                probe = where.startswith(_PROBES)
                port = match.group(1)
                reached = _reached(container, members, port, primary, probe, ports)
                link = Link(LOCALHOST, container.name, reached, where) if reached else None
                # Every place, not only the first: each must change when a split parts them.
                if link is not None and link not in links:
                    links.append(link)
    for volume, spec in volumes.items():
        if not isinstance(spec, dict) or "emptyDir" not in spec:
            continue
        users = [c.name for c, s in members if volume in _mounted(s)]
        links += [
            Link(SHARED_EMPTYDIR, a, b, str(volume))
            for i, a in enumerate(users)
            for b in users[i + 1 :]
        ]
    return links


def _reached(
    by: Container,
    members: Sequence[tuple[Container, Mapping[str, Any]]],
    port: str | None,
    primary: str,
    probe: bool,
    ports: WellKnownPorts,
) -> str | None:
    """The member ``by`` reaches at ``port``: the one declaring it, else the one whose image
    listens there by default, else one naming it, else the primary. A probe's port no other
    member declares is the container's own (Istio's proxy is probed on its status port
    15020, which it does not declare)."""
    others = [c for c, _ in members if c.name != by.name]
    if port is None:  # a probe runs in its container: one naming no port checks its own
        return others[0].name if len(others) == 1 and not probe else None
    number = int(port)
    if any(p.number == number for p in by.ports):
        return None  # it talks to itself
    declared = next((c.name for c in others if any(p.number == number for p in c.ports)), None)
    if declared is not None or probe:
        return declared
    # redis:7 listens on 6379 declared or not: only the image says so. Not "the one member
    # declaring no port", which is as often a log shipper listening on nothing.
    if _image_port(by, ports) == number:
        return None  # its own image's port: it talks to itself
    known = [c.name for c in others if _image_port(c, ports) == number]
    if len(known) == 1:  # two redis members: the image cannot say which
        return known[0]
    word = re.compile(rf"(?<!\d){number}(?!\d)")
    named = [
        c.name for c, s in members if c is not by and any(word.search(t) for _, t in _texts(s))
    ]
    if named:
        return named[0]
    return primary if by.name != primary else None


def _image_port(container: Container, ports: WellKnownPorts) -> int | None:
    known = ports.of_image(container.image)
    return known[1] if known is not None else None


def _mounted(spec: Mapping[str, Any]) -> set[str]:
    mounts = spec.get("volumeMounts") or []
    return {str(m.get("name")) for m in mounts if isinstance(m, dict)}


def _texts(spec: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """Every place a container names an address, with how the report names it."""
    for key in ("command", "args"):
        value = spec.get(key)
        if isinstance(value, list):
            for index, word in enumerate(value):
                if isinstance(word, str):
                    yield f"{key}[{index}] {word}", word
    for entry in spec.get("env") or []:
        if isinstance(entry, dict) and isinstance(entry.get("value"), str):
            yield f"env {entry.get('name')}={entry['value']}", entry["value"]
    for probe in _PROBES:
        handler = spec.get(probe)
        if not isinstance(handler, dict):
            continue
        command = (handler.get("exec") or {}).get("command")
        if isinstance(command, list):
            yield f"{probe}.exec", " ".join(str(word) for word in command)
        http = handler.get("httpGet")
        if isinstance(http, dict) and isinstance(http.get("port"), int):
            yield f"{probe}.httpGet.port {http['port']}", f"localhost:{http['port']}"
