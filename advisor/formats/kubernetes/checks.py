"""What the API server refuses in a workload's fields that their types do not say, refused
first: names that must be DNS labels or subdomains, the apiVersion each kind is served at,
container names unique in a pod, ports from 1 to 65535, a protocol the API knows, an init
container's restart policy. The types themselves are the schema's (see ``schema``), checked
before these; each mistake is one line naming the file, the line, the workload and the field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from advisor.formats.fields import Fields
from advisor.formats.kubernetes.schema import wrong_type

_DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")
_DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_MAX_SUBDOMAIN = 253
_PROTOCOLS = ("TCP", "UDP", "SCTP")
_PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")
_VOLUME_SOURCES = "emptyDir, configMap, secret, persistentVolumeClaim..."
# A port's name (an IANA service name): 15 characters at most, lowercase letters, digits
# and single dashes, one letter at least.
_PORT_NAME = re.compile(r"(?=.*[a-z])[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?")
_PORT_NAME_RULE = "at most 15 lowercase letters, digits and single -, a letter among them"


def text(fields: Fields, key: str, required: bool = False) -> str | None:
    """A string field: the API takes no number in its place (``name: 5`` is refused), and
    one the tool reads must not be blank."""
    value = fields.data.get(key)
    if value is None:
        return fields.text(key, required)  # says "missing" or "is empty" when required
    if not isinstance(value, str):
        fields.fail(key, wrong_type("text", value))
    if not value.strip():
        fields.fail(key, "is empty")
    return value


# The apiVersion each workload kind is served at.
API_VERSIONS = {
    "Pod": "v1", "Deployment": "apps/v1", "StatefulSet": "apps/v1", "DaemonSet": "apps/v1",
    "ReplicaSet": "apps/v1", "Job": "batch/v1", "CronJob": "batch/v1",
}  # fmt: skip


def check_api_version(workload: Fields, kind: str) -> None:
    """A workload's ``apiVersion`` is the one its kind is served at today."""
    version = text(workload, "apiVersion", required=True)
    wanted = API_VERSIONS[kind]
    if version != wanted:
        workload.fail("apiVersion", f"{version!r}: a {kind} is {wanted} (the only one served)")


def object_name(metadata: Fields) -> str:
    """A workload's ``metadata.name``: a DNS-1123 subdomain (lowercase letters, digits, - and
    ., at most 253), as the API server wants it; its ``namespace``, if any, a DNS-1123 label.
    Checked before the name is used in messages, so none shows a control character."""
    name = text(metadata, "name", required=True) or ""
    if not is_subdomain(name):
        metadata.fail(
            "name", f"{name!r} is no DNS-1123 subdomain (lowercase letters, digits, - and .)"
        )
    label_field(metadata, "namespace", required=False)
    return name


def is_subdomain(name: str) -> bool:
    """Whether ``name`` is a DNS-1123 subdomain, as most objects' names must be."""
    return len(name) <= _MAX_SUBDOMAIN and _DNS_SUBDOMAIN.fullmatch(name) is not None


def object_label(metadata: Fields) -> str:
    """``metadata.name`` that must be a DNS-1123 label (a volume claim template's)."""
    return label_field(metadata, "name") or ""


def label_field(fields: Fields, key: str, required: bool = True) -> str | None:
    """The text under ``key``, which must be a DNS-1123 label (a container's, a volume's or a
    namespace's name); None when it is absent and not ``required``."""
    name = text(fields, key, required=required)
    if name is not None and not _DNS_LABEL.fullmatch(name):
        fields.fail(key, f"{name!r} is no DNS label (lowercase letters, digits and -)")
    return name


def check_pod_spec(spec: Fields) -> None:
    """The pod's volumes (unique names, one source each), and every container of the pod:
    their names unique across ``initContainers`` and ``containers``."""
    _unique(spec, "volumes", "name", label_field)
    for index, volume, items in spec.items("volumes"):
        sources = [key for key, value in volume.items() if key != "name" and value is not None]
        if len(sources) != 1:
            spec.item_fail("volumes", items, index, _one("source", sources, _VOLUME_SOURCES))
    seen: dict[str, str] = {}
    on_host = spec.data.get("hostNetwork") is True
    for place in ("initContainers", "containers"):
        for index, data, _items in spec.items(place):
            container = Fields(spec.source, data, f"{spec.dotted(place)}[{index}]", _items, index)
            name = check_container(container, init=place == "initContainers", on_host=on_host)
            if name in seen:
                container.fail("name", f"{name!r} is also the name of {seen[name]}")
            seen[name] = container.path


def _one(what: str, found: list[str], examples: str) -> str:
    """What an item with none or several of ``what`` (a volume's source, a probe's
    handler) is told: the API server wants exactly one."""
    if not found:
        return f"has no {what} ({examples})"
    return f"has {len(found)} {what}s ({', '.join(found)}): the API takes one"


def _check_probes(container: Fields, runs_once: bool) -> None:
    """Each probe has one handler; an init container that runs once has none."""
    for key in _PROBES:
        probe = container.sub(key)
        if probe is None:
            continue
        if runs_once:
            container.fail(key, "an init container that runs once takes no probe")
        handlers = [h for h in _HANDLERS if probe.data.get(h) is not None]
        if len(handlers) != 1:
            container.fail(key, _one("handler", handlers, ", ".join(_HANDLERS)))


def check_container(container: Fields, init: bool, on_host: bool = False) -> str:
    """One container's name, image, restart policy, probes and ports, as the API server
    checks them beyond their types (``on_host``: the pod is on its node's network); its
    name."""
    name = label_field(container, "name") or ""
    text(container, "image", required=True)
    policy = container.data.get("restartPolicy")
    if init and policy not in (None, "Always"):
        container.fail("restartPolicy", "an init container's can only be Always")
    _check_probes(container, runs_once=init and policy != "Always")
    _unique(container, "volumeMounts", "mountPath")
    for port in _mappings(container, "ports"):
        called = port.data.get("name")
        if called is not None and not (_PORT_NAME.fullmatch(called) and "--" not in called):
            port.fail("name", f"{called!r} is no port name ({_PORT_NAME_RULE})")
        _port_number(port, "containerPort")
        _port_number(port, "hostPort")
        host_port = port.data.get("hostPort")
        if on_host and host_port is not None and host_port != port.data["containerPort"]:
            port.fail("hostPort", "must be the containerPort: the pod is on the node's network")
        protocol = port.data.get("protocol")
        if protocol is not None and protocol not in _PROTOCOLS:
            port.fail("protocol", f"{protocol!r} is none of {', '.join(_PROTOCOLS)}")
    return name


def _unique(
    fields: Fields, key: str, field: str, check: Callable[[Fields, str], object] = text
) -> None:
    """The ``field`` of each item under ``key`` checked by ``check``, and no two alike (the
    API server refuses a second volume of a name, a second mount at a path)."""
    seen: dict[str, str] = {}
    for item in _mappings(fields, key):
        check(item, field)
        value = str(item.data.get(field))
        if value in seen:
            item.fail(field, f"{value!r} is also the {field} of {seen[value]}")
        seen[value] = item.path


def _mappings(fields: Fields, key: str) -> list[Fields]:
    """The items of a list of mappings, each as ``Fields``."""
    return [
        Fields(fields.source, item, f"{fields.dotted(key)}[{index}]", items, index)
        for index, item, items in fields.items(key)
    ]


def _port_number(port: Fields, key: str) -> None:
    value: Any = port.data.get(key)
    if value is not None and not 1 <= value <= 65535:
        port.fail(key, f"must be a port number from 1 to 65535, not {value}")
