"""docker-compose files (the Compose Specification and the legacy v1 layout) as an ``Inventory``.

Each service becomes a container named after the service; its secrets, configs and bind
mounts become Secrets, ConfigMaps and claims. What Kubernetes cannot take from the file is
reported as one warning line per key on ``Inventory.warnings``, never as an error: a
compose file that Docker accepts imports.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from advisor.domain.errors import InputError
from advisor.domain.model import (
    Container,
    Inventory,
    Link,
    Role,
    VolumeMount,
)
from advisor.domain.names import MAX_LABEL, PAIR_SEPARATOR, dns_label, name_problem, service_clash
from advisor.formats.compose.binds import ProjectBinds, drop_clashing_files, rename_clashes
from advisor.formats.compose.context import Context
from advisor.formats.compose.detect import is_extension
from advisor.formats.compose.environment import environment
from advisor.formats.compose.extends import extended
from advisor.formats.compose.filesets import FileSets
from advisor.formats.compose.interpolation import (
    Interpolator,
    error_at,
    interpolate_tree,
    naming_unset,
    project_variables,
)
from advisor.formats.compose.ports import service_ports
from advisor.formats.compose.process import PROCESS_KEYS, process_settings
from advisor.formats.compose.profiles import active_profiles, left_out
from advisor.formats.compose.reach import check_depends, names_reached
from advisor.formats.compose.resources import resources
from advisor.formats.compose.roles import GROUP_LABEL, ROLE_LABEL, guess_roles
from advisor.formats.compose.runs import awaited, how_it_runs
from advisor.formats.compose.secrets import ProjectSecrets
from advisor.formats.compose.volumes import (
    dedupe_mounts,
    merge_mounts,
    private_volume_name,
    service_volumes,
    sized_shm,
    volume_name_problem,
    volumes_from_sources,
)
from advisor.formats.fields import Fields, words
from advisor.formats.healthcheck import parse_healthcheck
from advisor.formats.yamlfile import parse_yaml, read_text

# Keys whose meaning Kubernetes covers another way (Services replace links and networks,
# pods restart by default), so dropping them loses nothing worth a warning.
_QUIET_KEYS = frozenset(
    {
        "build",
        "container_name",
        "depends_on",
        "develop",
        "domainname",
        "external_links",
        "hostname",
        "init",
        "labels",
        "links",
        "networks",
        "pull_policy",
        "stdin_open",
        "tty",
    }
)
_MAPPED_KEYS = frozenset(
    {
        "image",
        "command",
        "entrypoint",
        "environment",
        "env_file",
        "ports",
        "expose",
        "volumes",
        "volumes_from",
        "deploy",
        "mem_limit",
        "mem_reservation",
        "cpus",
        "network_mode",
        "ipc",
        "pid",
        "extends",
        "healthcheck",
        "restart",
        "scale",
        "profiles",
        "secrets",
        "configs",
        "tmpfs",
        *PROCESS_KEYS,
    }
)
_TOP_QUIET = frozenset({"version", "name", "services", "volumes", "networks", "secrets", "configs"})
_NAMESPACE_KEYS = ("network_mode", "ipc", "pid")
_HARMLESS_MODES = {"network_mode": ("bridge", "default"), "ipc": ("private", "shareable")}


@dataclass
class _Service:
    """One service mapped, with the references to other services still unresolved."""

    container: Container
    volumes_from: list[tuple[str, bool]]
    namespaces: list[tuple[str, str]]  # (network_mode|ipc|pid, service it joins)
    depends: set[str]
    host_mounts: list[str]  # every bind as "source -> target", a hint for roles
    labelled: bool  # the file sets the role with the pod-advisor.role label
    role: Role | None
    group: str | None = None  # kompose.service.group: services meant to share a pod


def load_compose(path: Path) -> Inventory:
    """Read a compose file; its ``.env``, ``env_file`` and ``extends`` files are beside it."""
    text = read_text(path)
    return compose_from_data(parse_yaml(text, str(path)), path, text)


def compose_from_data(
    data: Any, path: Path, text: str = "", profiles: Sequence[str] = ()
) -> Inventory:
    """Build an ``Inventory`` from a parsed compose file that came from ``path``, with the
    services of the ``profiles`` chosen."""
    source = str(path)
    top = Fields(source, data, "")
    folder = path.resolve().parent
    variables, dotenv_note = project_variables(path.parent)
    context = Context(source, folder, "", variables, text.splitlines())
    if dotenv_note:
        context.warn(dotenv_note)
    interpolator = Interpolator(context.variables)
    missing = interpolate_tree(data, interpolator, error_at(source))
    with naming_unset(missing):
        unset = interpolator.unset
        if len(unset) == 1:
            context.warn(f"variable {unset[0]} is not set; using an empty string")
        elif unset:  # one note for them all: a file often leaves many to a .env it came without
            context.warn(f"variables {', '.join(unset)} are not set; using empty strings")
        legacy = "services" not in top.data
        services = top if legacy else top.sub("services")
        if services is None or not services.data:
            line, column = top.where("services") or (None, None)
            raise InputError(
                source, "'services:' is empty; there is nothing to place in pods", line, column
            )
        if not legacy:
            for key in top.data:
                if not is_extension(key) and key not in _TOP_QUIET:
                    context.warn(f"{key}: not supported, ignored")
        context.project = _project_name(top, folder)
        declared = _declared_volumes(top, legacy)
        sets = FileSets()
        files = _Files(ProjectSecrets(top, context, sets), ProjectBinds(context, sets))
        mapped: dict[str, _Service] = {}
        active = active_profiles(profiles, context.variables)
        dormant: dict[str, list[str]] = {}
        for name, raw in services.data.items():
            if is_extension(name) or (legacy and name == "version"):
                continue
            fields = Fields(source, raw, f"services.{name}", services.data, name)
            fields = extended(fields, str(name), services, context)
            if (only := left_out(fields, active)) is not None:
                dormant[str(name)] = only
                continue
            mapped[str(name)] = _service(fields, str(name), context, declared, files)
        for name, only in dormant.items():
            context.warn(
                f"services.{name}: left out: it runs only with the profile {' or '.join(only)} "
                f"(bring it in with --profile {only[0]})"
            )
        used = {p for only in dormant.values() for p in only} | {
            p
            for data in services.data.values()
            if isinstance(data, dict)
            for p in data.get("profiles") or ()
            if isinstance(p, str)
        }
        for profile in sorted(set(profiles) - used - {"*"}):
            context.warn(f"--profile {profile}: no service runs under it")
        if not mapped and dormant:
            every = sorted({p for only in dormant.values() for p in only})
            raise InputError(
                source,
                f"every service runs under a profile ({', '.join(every)}); choose one with "
                "--profile NAME",
            )
        _check_names(services, mapped)
        context.warnings.extend(check_depends(services, mapped))
        containers, links = _resolve(mapped, context)
        if (volume := volume_name_problem(containers)) is not None:
            services.fail(*volume)
        containers = drop_clashing_files(rename_clashes(containers, context), context)
        containers, found = names_reached(containers, services.data)
        jobs = awaited(services.data)
        containers = [
            replace(c, runs=replace(c.runs, completes=True)) if c.name in jobs else c
            for c in containers
        ]
        containers, notes = guess_roles(
            containers,
            links,
            {name: service.depends for name, service in mapped.items()},
            {name: service.host_mounts for name, service in mapped.items()},
            {name: service.role for name, service in mapped.items() if service.labelled},
            {name: service.group for name, service in mapped.items() if service.group},
        )
        context.warnings.extend(notes)
        return Inventory(
            name=context.project,
            containers=tuple(containers),
            source=source,
            links=tuple(links),
            warnings=tuple(context.warnings),
            reaches=tuple(found),
            file_sets=sets.all(),
        )


def _project_name(top: Fields, folder: Path) -> str:
    name = top.text("name") if "services" in top.data else None
    raw = name or folder.name or "app"
    return re.sub(r"[^a-z0-9_-]", "", raw.lower()) or "app"


def _declared_volumes(top: Fields, legacy: bool) -> set[str] | None:
    if legacy:
        return None  # v1 files never declare their named volumes
    volumes = top.data.get("volumes")
    return {str(k) for k in volumes} if isinstance(volumes, dict) else set()


@dataclass(frozen=True)
class _Files:
    """What makes the project's Secrets, ConfigMaps and bind-mount claims."""

    secrets: ProjectSecrets
    binds: ProjectBinds


def _service(
    fields: Fields, name: str, context: Context, declared: set[str] | None, files: _Files
) -> _Service:
    """Map one service; keys that cannot be mapped become warnings."""
    for key in fields.data:
        if not (is_extension(key) or key in _QUIET_KEYS or key in _MAPPED_KEYS):
            context.warn(f"{fields.dotted(key)}: not supported, ignored")
    volumes = service_volumes(fields, name)
    for problem in volumes.problems:
        context.warn(f"{fields.path}.{problem}, ignored")
    placed = files.binds.place(volumes.binds, fields.dotted("volumes"))
    if declared is not None:
        for mount in volumes.mounts:
            if mount.name not in declared | {private_volume_name(name, mount.mount_path)}:
                context.warn(
                    f"{fields.dotted('volumes')}: named volume {mount.name!r} is not declared "
                    "under the top-level 'volumes:'"
                )
    sources, problems = volumes_from_sources(fields)
    for problem in problems:
        context.warn(f"{fields.path}.{problem}, ignored")
    requests, limits = resources(fields, context)
    env, private_env = environment(fields, context)
    process = process_settings(fields, context)
    container = Container(
        name=name,
        image=_image(fields, name, context),
        ports=service_ports(fields, context),
        resources=requests,
        limits=limits,
        volumes=(*sized_shm(volumes.mounts, process.shm_size), *placed.claims),
        command=words(fields, "entrypoint"),
        args=words(fields, "command"),
        env=env,
        probe=parse_healthcheck(fields),
        private_env=private_env,
        files=(*files.secrets.mounts(fields), *placed.files),
        host_mounts=tuple(placed.host),
        security=process.security,
        working_dir=process.working_dir,
        stop_grace_seconds=process.stop_grace_seconds,
        shm_size=process.shm_size,
        runs=how_it_runs(fields, _labels(fields), context),
    )
    return _Service(
        container=container,
        volumes_from=sources,
        namespaces=_namespaces(fields, name, context),
        depends=_depends(fields),
        host_mounts=[str(bind) for bind in volumes.binds],
        group=_label(fields, GROUP_LABEL),
        **_role_label(fields),
    )


def _image(fields: Fields, name: str, context: Context) -> str:
    image = fields.text("image")
    if image is not None:
        return image
    built = f"{context.project}-{dns_label(name) or name}"
    if "build" in fields.data:
        context.warn(
            f"{fields.path}: built from source with no 'image:'; exported as image "
            f"{built!r}, which you must build and push"
        )
    else:
        context.warn(f"{fields.path}: neither 'image:' nor 'build:'; exported as image {built!r}")
    return built


def _namespaces(fields: Fields, name: str, context: Context) -> list[tuple[str, str]]:
    """``network_mode``/``ipc``/``pid: service:x``: the namespaces this service joins."""
    joined: list[tuple[str, str]] = []
    for key in _NAMESPACE_KEYS:
        value = fields.text(key)
        if value is None:
            continue
        kind, _, target = value.partition(":")
        if kind == "service" and target == name:  # compose refuses it too
            fields.fail(key, f"{value!r} names the service itself; compose refuses it too")
        if kind == "service" and target:
            joined.append((key, target))
        elif value not in (*_HARMLESS_MODES.get(key, ()), "host"):  # host: see runs.py
            context.warn(f"{fields.dotted(key)}: {value!r} has no pod equivalent, ignored")
    return joined


def _labels(fields: Fields) -> dict[str, str]:
    """A service's labels, from the mapping or the ``KEY=value`` list form."""
    labels = fields.data.get("labels")
    if isinstance(labels, dict):
        return {str(k): "" if v is None else str(v) for k, v in labels.items()}
    if isinstance(labels, list):
        return dict(str(item).partition("=")[::2] for item in labels)
    return {}


def _label(fields: Fields, name: str) -> str | None:
    """A service label's value, or None."""
    return _labels(fields).get(name, "").strip() or None


def _role_label(fields: Fields) -> dict[str, Any]:
    """The role set by a ``pod-advisor.role`` label."""
    word = _label(fields, ROLE_LABEL)
    if word is None:
        return {"labelled": False, "role": None}
    text = str(word).strip().lower()
    if text not in ("primary", "sidecar", "none"):
        fields.fail("labels", f"{ROLE_LABEL} must be primary, sidecar or none, not {word!r}")
    return {"labelled": True, "role": None if text == "none" else Role(text)}


def _depends(fields: Fields) -> set[str]:
    """Services this one names in ``depends_on`` or ``links`` (hints for roles only)."""
    names: set[str] = set()
    depends = fields.data.get("depends_on")
    if isinstance(depends, dict):
        names.update(str(k) for k in depends)
    elif isinstance(depends, list):
        names.update(str(k) for k in depends if isinstance(k, str))
    links = fields.data.get("links")
    if isinstance(links, list):
        names.update(str(k).split(":")[0] for k in links if isinstance(k, str))
    return names


def _check_names(services: Fields, mapped: dict[str, _Service]) -> None:
    """Service names become container names: they must stay distinct DNS-1123 labels."""
    seen: dict[str, str] = {}
    for name in mapped:
        label = dns_label(name)
        if PAIR_SEPARATOR in name:
            services.fail(name, "a service name cannot contain ' + ' (it separates pair names)")
        if not label:
            services.fail(name, "a service name needs letters or digits")
        if len(label) > MAX_LABEL:
            services.fail(name, f"the name is {len(label)} characters; Kubernetes allows 63")
        if (problem := name_problem(name)) is not None:
            services.fail(name, f"the name {problem}")
        if label in seen:
            services.fail(
                name,
                f"{name!r} and {seen[label]!r} both become {label!r} in Kubernetes; rename one",
            )
        seen[label] = name
    if (clash := service_clash(list(mapped))) is not None:
        first, name, service = clash
        services.fail(
            name, f"{name!r} and {first!r} both become the Service {service!r}; rename one"
        )


def _resolve(mapped: dict[str, _Service], context: Context) -> tuple[list[Container], list[Link]]:
    """Apply ``volumes_from`` (transitively) and turn references into ``Link`` facts."""
    links: list[Link] = []
    for name, service in mapped.items():
        for kind, target in service.namespaces:
            if target in mapped and target != name:
                links.append(Link(kind, name, target))
            else:
                context.warn(f"services.{name}.{kind}: no service {target!r}, ignored")
        for target, _ in service.volumes_from:
            if target in mapped and target != name:
                links.append(Link("volumes_from", name, target))
            else:
                context.warn(f"services.{name}.volumes_from: no service {target!r}, ignored")
    mounts: dict[str, list[VolumeMount]] = {}

    def collect(name: str, visiting: tuple[str, ...]) -> list[VolumeMount]:
        if name in mounts:
            return mounts[name]
        service = mapped[name]
        inherited: list[VolumeMount] = []
        for target, read_only in service.volumes_from:
            if target not in mapped or target in visiting:
                continue
            for mount in collect(target, (*visiting, name)):
                inherited.append(replace(mount, read_only=mount.read_only or read_only))
        result = merge_mounts(list(service.container.volumes), inherited)
        result, dropped = dedupe_mounts(result)
        for text in dropped:
            context.warn(f"services.{name}.volumes: two volumes at one path; dropped {text}")
        mounts[name] = result
        return result

    containers = []
    for name, service in mapped.items():
        container = service.container
        containers.append(replace(container, volumes=tuple(collect(name, ()))))
    return containers, links
