"""The containers others reach by name, and every name they are reached by.

In compose every service name resolves; in Kubernetes only a Service's name does. So each
container that another one reaches by name (``depends_on``, ``links``, or a host name in an
environment value: ``DB_HOST=db``, ``redis://cache:6379``, ``postgres://u:p@db/app``) needs a
Service under that name, in front of the pod it lands in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from advisor.domain.model import Inventory, Reach

# A host name where an environment value would hold one: the whole value, after a URL's
# "://" or "@", or before ":PORT"; a list of hosts is separated by commas.
_HOST = re.compile(r"(?:^|://|@|,)([A-Za-z0-9][A-Za-z0-9_.-]*)(?=$|:[0-9]|/|,)")


@dataclass(frozen=True)
class Reached:
    """A container others reach: the names they use, and who reaches it from where."""

    container: str
    names: tuple[str, ...]  # its own name, then its aliases
    by: tuple[Reach, ...]


def reached_containers(inventory: Inventory) -> list[Reached]:
    """Every container reached by name, in inventory order."""
    owner: dict[str, str] = {}
    for container in inventory.containers:
        for name in (container.name, *container.aliases):
            owner.setdefault(name, container.name)
    found: dict[str, list[Reach]] = {}
    for reach in (*inventory.reaches, *_from_environment(inventory, owner)):
        target = owner.get(reach.name)
        if target is not None and target != reach.by:
            found.setdefault(target, []).append(reach)
    result = []
    for container in inventory.containers:
        reaches = found.get(container.name)
        if reaches:
            # Every alias, not only those seen in use: compose resolves them all, and a
            # configuration file the tool cannot read (nginx.conf) may use any of them.
            names = (container.name, *container.aliases)
            result.append(Reached(container.name, names, tuple(dict.fromkeys(reaches))))
    return result


def _from_environment(inventory: Inventory, owner: dict[str, str]) -> list[Reach]:
    """Host names in environment values that name a container or one of its aliases."""
    found = []
    for container in inventory.containers:
        for key, value in container.env:
            for host in _HOST.findall(value):
                if host in owner:
                    found.append(Reach(container.name, host, f"env {key}"))
    return found
