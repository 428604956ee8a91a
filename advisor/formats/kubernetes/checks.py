"""The fields of a workload's manifest that the API server would refuse, refused first.

The advice carries every manifest over field for field, so a field of the wrong type would
come out as a manifest that cannot be applied. The fields the tool reads, and the
pod-level fields it keeps, are checked here against the Kubernetes API's types: each
mistake is one line naming the file, the line, the workload and the field.
"""

from __future__ import annotations

import re
from typing import Any

from advisor.formats.fields import Fields, kind_of

_DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")
_DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_MAX_SUBDOMAIN = 253
_PROTOCOLS = ("TCP", "UDP", "SCTP")
_POD_TEXT = (
    "restartPolicy", "serviceAccountName", "serviceAccount", "nodeName", "hostname",
    "subdomain", "schedulerName", "priorityClassName", "dnsPolicy", "runtimeClassName",
)  # fmt: skip
_POD_FLAGS = (
    "hostNetwork", "hostPID", "hostIPC", "shareProcessNamespace", "automountServiceAccountToken",
)  # fmt: skip
_POD_MAPPINGS = ("securityContext", "affinity", "dnsConfig")
_POD_LISTS = ("tolerations", "imagePullSecrets", "topologySpreadConstraints", "hostAliases")
_CONTAINER_TEXT = ("workingDir", "imagePullPolicy", "terminationMessagePath", "restartPolicy")
_CONTAINER_MAPPINGS = (
    "securityContext", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle",
)  # fmt: skip
_CONTAINER_FLAGS = ("stdin", "stdinOnce", "tty")
_RESOURCE_KEYS = ("limits", "requests", "claims")


def text(fields: Fields, key: str, required: bool = False) -> str | None:
    """A string field: the API takes no number in its place (``name: 5`` is refused)."""
    value = fields.data.get(key)
    if value is None:
        return fields.text(key, required)  # says "missing" or "is empty" when required
    if not isinstance(value, str):
        fields.fail(key, f"must be text, not {kind_of(value)}")
    if not value.strip():
        fields.fail(key, "is empty")
    return value


# The apiVersion each workload kind is served at.
API_VERSIONS = {
    "Pod": "v1", "Deployment": "apps/v1", "StatefulSet": "apps/v1", "DaemonSet": "apps/v1",
    "ReplicaSet": "apps/v1", "Job": "batch/v1", "CronJob": "batch/v1",
}  # fmt: skip
_WORKLOAD_NUMBERS = (
    "replicas", "backoffLimit", "completions", "parallelism", "activeDeadlineSeconds",
    "ttlSecondsAfterFinished", "minReadySeconds", "revisionHistoryLimit",
    "progressDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit",
    "startingDeadlineSeconds",
)  # fmt: skip
_SECURITY_FLAGS = (
    "runAsNonRoot", "privileged", "readOnlyRootFilesystem", "allowPrivilegeEscalation",
)  # fmt: skip
_SECURITY_NUMBERS = ("runAsUser", "runAsGroup", "fsGroup")


def check_api_version(workload: Fields, kind: str) -> None:
    """A workload's ``apiVersion`` is the one its kind is served at today."""
    version = text(workload, "apiVersion", required=True)
    wanted = API_VERSIONS[kind]
    if version != wanted:
        workload.fail("apiVersion", f"{version!r}: a {kind} is {wanted} (the only one served)")


def check_numbers(spec: Fields) -> None:
    """A workload spec's counts and durations are whole numbers."""
    for key in _WORKLOAD_NUMBERS:
        value = spec.data.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            spec.fail(key, f"must be a whole number, not {kind_of(value)}")


def check_security(context: Fields | None) -> None:
    """A security context's flags, user and group ids, and capabilities."""
    if context is None:
        return
    for key in _SECURITY_FLAGS:
        _flag(context, key)
    for key in _SECURITY_NUMBERS:
        value = context.data.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            context.fail(key, f"must be a whole number, not {kind_of(value)}")
    capabilities = context.sub("capabilities")
    if capabilities is not None:
        for key in ("add", "drop"):
            _text_list(capabilities, key)


def object_name(metadata: Fields) -> str:
    """A workload's ``metadata.name``: a DNS-1123 subdomain (lowercase letters, digits, - and
    ., at most 253), as the API server wants it; its ``namespace``, if any, a DNS-1123 label.
    Checked before the name is used in messages, so none shows a control character."""
    name = text(metadata, "name", required=True) or ""
    if len(name) > _MAX_SUBDOMAIN or not _DNS_SUBDOMAIN.fullmatch(name):
        metadata.fail(
            "name", f"{name!r} is no DNS-1123 subdomain (lowercase letters, digits, - and .)"
        )
    label_field(metadata, "namespace", required=False)
    return name


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


def check_metadata(metadata: Fields) -> None:
    """``name`` and ``namespace`` are text; labels and annotations map text to text."""
    text(metadata, "name", required=True)
    text(metadata, "namespace")
    for key in ("labels", "annotations"):
        check_metadata_map(metadata, key)


def check_pod_spec(spec: Fields) -> None:
    """The pod-level fields the advice keeps, and every container of the pod: their names
    unique across ``initContainers`` and ``containers``."""
    for key in _POD_TEXT:
        text(spec, key)
    for key in _POD_FLAGS:
        _flag(spec, key)
    for key in _POD_MAPPINGS:
        spec.sub(key)
    check_security(spec.sub("securityContext"))
    for key in _POD_LISTS:
        _mappings(spec, key)
    check_metadata_map(spec, "nodeSelector")
    for volume in _mappings(spec, "volumes"):
        label_field(volume, "name")
        for key in volume.data:
            if key != "name":
                volume.sub(key)  # its source (emptyDir, configMap...) is a mapping
    seen: dict[str, str] = {}
    for place in ("initContainers", "containers"):
        for index, data, _items in spec.items(place):
            container = Fields(spec.source, data, f"{spec.dotted(place)}[{index}]", _items, index)
            name = check_container(container, init=place == "initContainers")
            if name in seen:
                container.fail("name", f"{name!r} is also the name of {seen[name]}")
            seen[name] = container.path


def check_container(container: Fields, init: bool) -> str:
    """One container's fields as the API types them; its name."""
    name = label_field(container, "name") or ""
    text(container, "image", required=True)
    for key in ("command", "args"):
        _text_list(container, key)
    for key in _CONTAINER_TEXT:
        text(container, key)
    for key in _CONTAINER_MAPPINGS:
        container.sub(key)
    check_security(container.sub("securityContext"))
    for key in _CONTAINER_FLAGS:
        _flag(container, key)
    if init and container.data.get("restartPolicy") not in (None, "Always"):
        container.fail("restartPolicy", "an init container's can only be Always")
    for entry in _mappings(container, "env"):
        text(entry, "name", required=True)
        value = entry.data.get("value")
        if value is not None and not isinstance(value, str):  # "" is a value
            entry.fail("value", f"must be text (quote it), not {kind_of(value)}")
        entry.sub("valueFrom")
    _mappings(container, "envFrom")
    for port in _mappings(container, "ports"):
        _port_number(port, "containerPort", required=True)
        _port_number(port, "hostPort")
        protocol = text(port, "protocol")
        if protocol is not None and protocol not in _PROTOCOLS:
            port.fail("protocol", f"{protocol!r} is none of {', '.join(_PROTOCOLS)}")
        text(port, "name")
    for mount in _mappings(container, "volumeMounts"):
        text(mount, "name", required=True)
        text(mount, "mountPath", required=True)
        text(mount, "subPath")
        _flag(mount, "readOnly")
    resources = container.sub("resources")
    if resources is not None:
        resources.check_keys(_RESOURCE_KEYS)
        for key in ("limits", "requests"):
            amounts = resources.sub(key)
            for what, amount in amounts.data.items() if amounts is not None else ():
                if isinstance(amount, bool) or not isinstance(amount, (str, int, float)):
                    assert amounts is not None
                    amounts.fail(what, f"must be a quantity, not {kind_of(amount)}")
    return name


def _flag(fields: Fields, key: str) -> None:
    value = fields.data.get(key)
    if value is not None and not isinstance(value, bool):
        fields.fail(key, f"must be true or false, not {kind_of(value)}")


def check_metadata_map(fields: Fields, key: str) -> None:
    """Labels, annotations, a node selector: text to text (``version: 2`` must be quoted)."""
    mapping = fields.sub(key)
    if mapping is None:
        return
    for name, value in mapping.data.items():
        if not isinstance(name, str) or not isinstance(value, str):
            shown = kind_of(value) if isinstance(name, str) else f"key {kind_of(name)}"
            mapping.fail(name, f"must be text (quote it), not {shown}")


def _text_list(fields: Fields, key: str) -> None:
    value = fields.data.get(key)
    if value is None:
        return
    if not isinstance(value, list):
        fields.fail(key, f"must be a list of text, not {kind_of(value)}")
    for index, word in enumerate(value):
        if not isinstance(word, str):
            fields.item_fail(key, value, index, f"must be text (quote it), not {kind_of(word)}")


def _mappings(fields: Fields, key: str) -> list[Fields]:
    """The items of a list of mappings, each as ``Fields``."""
    return [
        Fields(fields.source, item, f"{fields.dotted(key)}[{index}]", items, index)
        for index, item, items in fields.items(key)
    ]


def _port_number(port: Fields, key: str, required: bool = False) -> None:
    value: Any = port.data.get(key)
    if value is None and not required:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
        shown = value if isinstance(value, int) and not isinstance(value, bool) else kind_of(value)
        port.fail(key, f"must be a port number from 1 to 65535, not {shown}")
