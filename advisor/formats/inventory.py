"""The tool's own inventory format (see DESIGN.md): YAML in, ``Inventory`` out."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from advisor.domain.answers import describe_cycle, helper_cycle
from advisor.domain.errors import InputError
from advisor.domain.model import Container, Inventory, Node, Port, Resources, Role, VolumeMount
from advisor.domain.names import (
    ENV_NAME,
    MAX_LABEL,
    PAIR_SEPARATOR,
    dns_label,
    name_problem,
    service_clash,
)
from advisor.domain.quantities import QuantityError, parse_quantity
from advisor.formats.fields import Fields, kind_of, scalar_text, words
from advisor.formats.healthcheck import parse_healthcheck
from advisor.formats.yamlfile import load_yaml

_TOP_KEYS = ("name", "node", "containers")
_CONTAINER_KEYS = (
    "name",
    "image",
    "role",
    "complements",
    "ports",
    "resources",
    "limits",
    "volumes",
    "command",
    "args",
    "env",
    "healthcheck",
)
_PROTOCOLS = ("TCP", "UDP", "SCTP")
# Kubernetes' IANA_SVC_NAME: what a container port's name must be.
_PORT_NAME = re.compile(r"^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$")
_ROLE_WORDS = {"primary": Role.PRIMARY, "sidecar": Role.SIDECAR, "helper": Role.SIDECAR}


def load_inventory(path: Path) -> Inventory:
    """Read and check an inventory file; any problem is one ``InputError`` with its place."""
    return inventory_from_data(load_yaml(path), str(path), default_name=path.stem)


def inventory_from_data(data: Any, source: str, default_name: str = "app") -> Inventory:
    """Build an ``Inventory`` from already parsed YAML."""
    if data is None:
        raise InputError(source, "the file is empty; an inventory lists its 'containers:'")
    top = Fields(source, data, "")
    top.check_keys(_TOP_KEYS)
    name = top.text("name") or default_name
    node = _node(top.sub("node"))
    if "containers" not in top.data:
        raise InputError(
            source,
            "missing 'containers:' (the list of the application's containers)",
            *(top.where() or (None, None)),
        )
    containers: list[Container] = []
    for index, item, items in top.items("containers"):
        fields = Fields(source, item, f"containers[{index}]", items, index)
        containers.append(_container(fields))
    if not containers:
        top.fail("containers", "the list is empty")
    _check_names(top, containers)
    containers = _check_complements(top, containers)
    inventory = Inventory(name=name, containers=tuple(containers), node=node, source=source)
    _check_fits_alone(top, inventory)
    return inventory


def _node(fields: Fields | None) -> Node | None:
    if fields is None:
        return None
    fields.check_keys(("cpu", "memory"))
    return Node(cpu=_quantity(fields, "cpu"), memory=_quantity(fields, "memory"))


def _quantity(fields: Fields, key: str) -> Any:
    raw = fields.data.get(key)
    if raw is None:
        return None
    try:
        quantity = parse_quantity(raw, key)
    except QuantityError as error:
        fields.fail(key, str(error))
    return quantity


def _container(fields: Fields) -> Container:
    fields.check_keys(_CONTAINER_KEYS)
    name = fields.text("name", required=True)
    fields.path = f"{fields.path} ({name})"
    image = fields.text("image", required=True)
    assert name is not None and image is not None
    requests, limits = _resources(fields.sub("resources")), _resources(fields.sub("limits"))
    above = requests.above(limits)
    if above is not None:
        fields.fail("resources", above)
    return Container(
        name=name,
        image=image,
        role=_role(fields),
        complements=fields.text("complements"),
        ports=_ports(fields),
        resources=requests,
        limits=limits,
        volumes=_volumes(fields),
        command=words(fields, "command"),
        args=words(fields, "args"),
        env=_env(fields),
        probe=parse_healthcheck(fields),
        literal=False,  # passed through to the manifests as written
    )


def _role(fields: Fields) -> Role | None:
    word = fields.text("role")
    if word is None:
        return None
    role = _ROLE_WORDS.get(word.lower())
    if role is None:
        fields.fail("role", f"{word!r} is not a role; use 'primary' or 'sidecar'")
    return role


def _ports(fields: Fields) -> tuple[Port, ...]:
    ports: list[Port] = []
    for index, item, items in fields.items("ports"):
        if isinstance(item, dict):
            entry = Fields(fields.source, item, f"{fields.dotted('ports')}[{index}]", items, index)
            entry.check_keys(("containerPort", "protocol", "name"))
            number = item.get("containerPort")
            protocol = (entry.text("protocol") or "TCP").upper()
            if protocol not in _PROTOCOLS:
                entry.fail("protocol", f"{protocol!r} is not TCP, UDP or SCTP")
            port_name = entry.text("name")
            if port_name is not None and not _PORT_NAME.match(port_name):
                entry.fail(
                    "name",
                    f"{port_name!r} is not a port name: at most 15 lower-case "
                    "letters, digits and single '-', with at least one letter",
                )
        else:
            number, protocol, port_name = item, "TCP", None
        if isinstance(number, bool) or not isinstance(number, int):
            fields.item_fail(
                "ports", items, index, f"a port is a whole number from 1 to 65535, not {number!r}"
            )
        if not 1 <= number <= 65535:
            fields.item_fail("ports", items, index, f"port {number} is not between 1 and 65535")
        port = Port(number, protocol, port_name)
        if port in ports:
            fields.item_fail("ports", items, index, f"port {port} is listed twice")
        ports.append(port)
    return tuple(ports)


def _resources(fields: Fields | None) -> Resources:
    if fields is None:
        return Resources()
    fields.check_keys(("cpu", "memory"))
    return Resources(cpu=_quantity(fields, "cpu"), memory=_quantity(fields, "memory"))


def _volumes(fields: Fields) -> tuple[VolumeMount, ...]:
    mounts: list[VolumeMount] = []
    for index, item, items in fields.items("volumes"):
        if isinstance(item, dict):
            entry = Fields(
                fields.source, item, f"{fields.dotted('volumes')}[{index}]", items, index
            )
            entry.check_keys(("name", "mountPath", "readOnly", "scratch"))
            name = entry.text("name", required=True)
            mount_path = entry.text("mountPath")
            read_only, scratch = (item.get(key, False) for key in ("readOnly", "scratch"))
            for key, value in (("readOnly", read_only), ("scratch", scratch)):
                if not isinstance(value, bool):
                    entry.fail(key, f"must be yes or no, not {value!r}")
        elif isinstance(item, str) and item.strip():
            name, mount_path, read_only, scratch = item.strip(), None, False, False
        else:
            fields.item_fail(
                "volumes",
                items,
                index,
                f"a volume is a name or a mapping with 'name', not {kind_of(item)}",
            )
        assert name is not None
        label = dns_label(name)
        problem = None
        if not label:
            problem = f"volume name {name!r} has no letters or digits"
        elif len(label) > MAX_LABEL:
            problem = (
                f"volume name {name!r} is {len(label)} characters; Kubernetes allows "
                f"at most {MAX_LABEL}"
            )
        elif mount_path is not None and not mount_path.startswith("/"):
            problem = f"mountPath {mount_path!r} must be an absolute path"
        mount = VolumeMount(name, mount_path or f"/mnt/{label}", read_only, scratch)
        for other in mounts:
            if problem is None and dns_label(other.name) == label:
                problem = (
                    f"volume {name!r} is mounted twice"
                    if other.name == name
                    else f"volumes {other.name!r} and {name!r} both become {label!r} in Kubernetes"
                )
            elif problem is None and other.mount_path == mount.mount_path:
                problem = f"two volumes are mounted at {mount.mount_path}"
        if problem is not None:
            fields.item_fail("volumes", items, index, problem)
        mounts.append(mount)
    return tuple(mounts)


_BAD_ENV_NAME = (
    "is not an environment variable name Kubernetes takes (letters, digits, '_', '-' and "
    "'.', not starting with a digit)"
)


def _env(fields: Fields) -> tuple[tuple[str, str], ...]:
    value = fields.data.get("env")
    if value is None:
        return ()
    pairs: list[tuple[str, str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)):
                Fields(fields.source, value, fields.dotted("env")).fail(
                    key, f"an environment value must be text, not {kind_of(item)}"
                )
            if not ENV_NAME.match(str(key)):
                Fields(fields.source, value, fields.dotted("env")).fail(key, _BAD_ENV_NAME)
            pairs.append((str(key), "" if item is None else scalar_text(item)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            entry = Fields(fields.source, item, f"{fields.dotted('env')}[{index}]", value, index)
            entry.check_keys(("name", "value"))
            env_name = entry.text("name", required=True)
            raw = item.get("value")
            if isinstance(raw, (dict, list)):
                entry.fail("value", f"must be text, not {kind_of(raw)}")
            assert env_name is not None
            if not ENV_NAME.match(env_name):
                entry.fail("name", _BAD_ENV_NAME)
            pairs.append((env_name, "" if raw is None else scalar_text(raw)))
    else:
        fields.fail("env", f"must be a mapping of NAME: value, not {kind_of(value)}")
    return tuple(pairs)


def _check_names(top: Fields, containers: list[Container]) -> None:
    """Names must be unique, and still unique once made DNS-1123 labels for Kubernetes."""
    items = top.data["containers"]
    by_label: dict[str, tuple[int, str]] = {}
    for index, container in enumerate(containers):
        label = dns_label(container.name)
        if PAIR_SEPARATOR in container.name:
            top.item_fail(
                "containers",
                items,
                index,
                f"name {container.name!r} contains ' + ', which separates the names of a pair "
                "in the answers file",
            )
        if not label:
            top.item_fail(
                "containers", items, index, f"name {container.name!r} has no letters or digits"
            )
        if len(label) > MAX_LABEL:
            top.item_fail(
                "containers",
                items,
                index,
                f"name {container.name!r} is {len(label)} characters; Kubernetes "
                f"allows at most {MAX_LABEL}",
            )
        problem = name_problem(container.name)
        if problem is not None:
            top.item_fail("containers", items, index, f"name {container.name!r} {problem}")
        if label in by_label:
            first_index, first_name = by_label[label]
            if first_name == container.name:
                message = f"duplicate name {container.name!r} (also containers[{first_index}])"
            else:
                message = (
                    f"names {container.name!r} and {first_name!r} (containers"
                    f"[{first_index}]) both become {label!r} in Kubernetes; rename one"
                )
            top.item_fail("containers", items, index, message)
        by_label[label] = (index, container.name)
    clash = service_clash([c.name for c in containers])
    if clash is not None:
        first, name, service = clash
        index = next(i for i, c in enumerate(containers) if c.name == name)
        top.item_fail(
            "containers",
            items,
            index,
            f"names {name!r} and {first!r} both become the Service {service!r}; rename one",
        )


def _check_complements(top: Fields, containers: list[Container]) -> list[Container]:
    """``complements`` names another container, and makes a container without a role a
    sidecar; a sidecar beside the only primary complements it."""
    names = {c.name for c in containers}
    items = top.data["containers"]
    for index, container in enumerate(containers):
        helped = container.complements
        if helped is None:
            continue
        if helped not in names or helped == container.name:
            top.item_fail(
                "containers",
                items,
                index,
                f"complements {helped!r}, which is not another container here",
            )
        if container.role is Role.PRIMARY:
            top.item_fail(
                "containers",
                items,
                index,
                "a primary application complements no other container; use role: sidecar",
            )
    circle = helper_cycle({c.name: c.complements for c in containers})
    if circle:
        index = [c.name for c in containers].index(circle[0])
        top.item_fail(
            "containers",
            items,
            index,
            f"{describe_cycle(circle)}: helpers complement one another in a circle with no "
            "primary; make one of them role: primary",
        )
    containers = [
        replace(c, role=Role.SIDECAR) if c.complements and c.role is None else c for c in containers
    ]
    # A sidecar that names nobody, beside exactly one primary, can only help that one.
    primaries = [c.name for c in containers if c.role is Role.PRIMARY]
    if len(primaries) == 1:
        containers = [
            replace(c, complements=primaries[0])
            if c.role is Role.SIDECAR and c.complements is None
            else c
            for c in containers
        ]
    return containers


def _check_fits_alone(top: Fields, inventory: Inventory) -> None:
    """A container that alone exceeds the node can never be scheduled: say so up front."""
    node = inventory.node
    if node is None:
        return
    items = top.data["containers"]
    for index, container in enumerate(inventory.containers):
        for what, need, have in (
            ("cpu", container.resources.cpu, node.cpu),
            ("memory", container.resources.memory, node.memory),
        ):
            if need is not None and have is not None and need.value > have.value:
                top.item_fail(
                    "containers",
                    items,
                    index,
                    f"({container.name}) requests {what} {need.text} but the node has only "
                    f"{have.text}; it fits on no node",
                )
