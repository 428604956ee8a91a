"""Roles guessed from a compose file, conservatively.

A wrong ``primary`` forbids co-location (a pod holds one primary), so only a service that
others join with ``network_mode``/``volumes_from``/``ipc``/``pid``, and that joins nobody
itself, is made primary. Well-known helper images are proposed as sidecars, which constrains
nothing. A label ``pod-advisor.role: primary|sidecar|none`` on a service overrides the guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from advisor.domain.hostpaths import is_agent_path
from advisor.domain.images import image_base, is_datastore
from advisor.domain.images import is_one_of as _is
from advisor.domain.model import Container, Link, Role

GROUP_LABEL = "kompose.service.group"  # kompose's own hint: these services share a pod
ROLE_LABEL = "pod-advisor.role"
_PROXIES = ("nginx", "envoy", "traefik", "haproxy")
_LOG_SHIPPERS = ("fluent-bit", "fluentd", "filebeat", "promtail", "vector")


def guess_roles(
    containers: list[Container],
    links: list[Link],
    depends: Mapping[str, set[str]],
    host_mounts: Mapping[str, list[str]],
    labelled: Mapping[str, Role | None] | None = None,
    groups: Mapping[str, str] | None = None,
) -> tuple[list[Container], list[str]]:
    """The containers with guessed roles, and one note per guess for the user to check."""
    names = {c.name for c in containers}
    joined = {link.b for link in links}
    joining = {link.a for link in links}
    notes: list[str] = []
    result: list[Container] = []
    for container in containers:
        name = container.name
        if labelled is not None and name in labelled:
            result.append(
                replace(container, role=labelled[name], role_evidence=f"{ROLE_LABEL} label")
            )
            continue
        targets = (depends.get(name, set()) | {link.b for link in links if link.a == name}) & names
        targets.discard(name)
        # A service built from source has a made-up image name: its own name says more.
        base = image_base(container.image)
        if not _is(base, _PROXIES + _LOG_SHIPPERS) and _is(name.lower(), _LOG_SHIPPERS):
            base = name.lower()
        role: Role | None = None
        why = ""
        host_agent = any(
            is_agent_path(mount.split(" -> ", 1)[0]) for mount in host_mounts.get(name, [])
        )
        if name in joined and name not in joining:
            role, why = Role.PRIMARY, "other services join its namespaces or volumes"
        elif _is(base, _PROXIES) and len(targets) == 1:
            role, why = Role.SIDECAR, f"a {base} proxy in front of {next(iter(targets))} only"
        elif _is(base, _LOG_SHIPPERS) or base.endswith(("-exporter", "_exporter")):
            if host_agent:
                notes.append(
                    f"services.{name}: {base} reads host paths; it looks like a node agent "
                    "(written as a DaemonSet), not a sidecar"
                )
            else:
                role, why = Role.SIDECAR, f"{base} is a well-known helper image"
        # A helper with one service to serve is proposed as that service's helper.
        helps = next(iter(targets)) if role is Role.SIDECAR and len(targets) == 1 else None
        if role is None and not host_agent:
            helps, why = _helped_through_volumes(container, containers)
            role = Role.SIDECAR if helps is not None else None
        if role is not None:
            notes.append(f"services.{name}: role {role.value} guessed ({why})")
        result.append(replace(container, role=role, complements=helps, role_evidence=why))
    return _group_roles(result, groups or {}, labelled or {}, notes)


def _helped_through_volumes(
    container: Container, containers: list[Container]
) -> tuple[str | None, str]:
    """The one service ``container`` serves through a volume, when it binds no port itself:
    the only other service of the same image writing the same volume (a cron runner beside
    its app), or the only one reading, read-only, a volume it writes (a configuration
    generator beside its proxy). Either way the served one binds a port."""
    if container.ports:
        return None, ""
    writes = {m.name for m in container.volumes if not m.read_only}
    twins = [
        other
        for other in containers
        if other is not container
        and other.image == container.image
        and writes & {m.name for m in other.volumes if not m.read_only}
    ]
    if len(twins) == 1 and twins[0].ports:
        return twins[0].name, f"the same image and volume as {twins[0].name}, without its ports"
    readers = [
        other
        for other in containers
        if other is not container and writes & {m.name for m in other.volumes if m.read_only}
    ]
    if len(readers) == 1 and readers[0].ports:
        reader = readers[0]
        shared = sorted(writes & {m.name for m in reader.volumes if m.read_only})
        return reader.name, f"writes {', '.join(shared)}, which {reader.name} reads read-only"
    return None, ""


def _group_roles(
    containers: list[Container],
    groups: Mapping[str, str],
    labelled: Mapping[str, Role | None],
    notes: list[str],
) -> tuple[list[Container], list[str]]:
    """Services sharing a ``kompose.service.group`` were meant for one pod: propose the
    others as helpers of one of them (the one named like the group, else a primary, else the
    first), for the user to confirm in the triage."""
    members: dict[str, list[Container]] = {}
    for container in containers:
        if container.name in groups:
            members.setdefault(groups[container.name], []).append(container)
    changed: dict[str, Container] = {}
    for group, group_members in members.items():
        if len(group_members) < 2:
            continue
        datastores = [c.name for c in group_members if is_datastore(c.image)]
        if len(datastores) > 1:
            notes.append(
                f"{GROUP_LABEL} {group!r} puts datastores {' and '.join(datastores)} in one "
                "pod; not followed: each keeps its own data and scales on its own (answer "
                "yes in the questionnaire to keep them together anyway)"
            )
            continue
        anchor = next((c for c in group_members if c.name == group), None) or next(
            (c for c in group_members if c.role is Role.PRIMARY), group_members[0]
        )
        for container in group_members:
            if container is anchor or container.name in labelled:
                continue
            changed[container.name] = replace(
                container,
                role=Role.SIDECAR,
                complements=anchor.name,
                role_evidence=f"{GROUP_LABEL}: {group}",
            )
            notes.append(
                f"services.{container.name}: proposed as a helper of {anchor.name} "
                f"({GROUP_LABEL}: {group})"
            )
    return [changed.get(c.name, c) for c in containers], notes
