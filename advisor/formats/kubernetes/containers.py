"""One container of a pod spec read into the tool's ``Container``.

Only what the questions and the report weigh is read: ports, requests and limits, volume
mounts, command, args and plain env values, host namespaces and replicas. The output
carries the manifest's own container spec over, field for field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from advisor.domain.model import (
    Container,
    HostMount,
    Port,
    Quantity,
    Resources,
    Role,
    Runs,
    VolumeMount,
)
from advisor.domain.quantities import QuantityError, parse_quantity
from advisor.formats.fields import Fields, scalar_text, words


def read_container(
    fields: Fields,
    name: str,
    volumes: Mapping[str, Mapping[str, Any]],
    prefix: str,
    runs: Runs,
    helps: str | None,
) -> Container:
    """The container of ``fields`` as the tool's ``name``; ``volumes`` are its pod's by
    name, ``prefix`` makes their names unique across workloads; ``helps`` is the primary
    it is a helper of (None: it is the primary)."""
    mounts: list[VolumeMount] = []
    host_mounts: list[HostMount] = []
    for index, mount, items in fields.items("volumeMounts"):
        mount_fields = Fields(fields.source, mount, f"{fields.dotted('volumeMounts')}[{index}]")
        volume_name = mount_fields.text("name", required=True) or ""
        path = mount_fields.text("mountPath", required=True) or ""
        read_only = mount_fields.data.get("readOnly") is True
        volume = volumes.get(volume_name)
        if volume is None:
            fields.item_fail("volumeMounts", items, index, f"no volume {volume_name!r} in the pod")
        if "hostPath" in volume:
            source = str((volume.get("hostPath") or {}).get("path", ""))
            host_mounts.append(HostMount(source, path, read_only))
        elif not ({"configMap", "secret", "projected", "downwardAPI"} & volume.keys()):
            scratch = "emptyDir" in volume
            named = f"{prefix}-{volume_name}"
            mounts.append(VolumeMount(named, path, read_only, scratch, manifest=_declared(volume)))
    requests, limits = _resources(fields, "requests"), _resources(fields, "limits")
    above = requests.above(limits)
    if above is not None:  # the API server refuses the pod
        fields.fail("resources", above)
    return Container(
        name=name,
        image=fields.text("image") or "",
        role=Role.PRIMARY if helps is None else Role.SIDECAR,
        complements=helps,
        ports=_ports(fields),
        resources=requests,
        limits=limits,
        volumes=tuple(mounts),
        command=words(fields, "command"),
        args=words(fields, "args"),
        env=plain_env(fields),
        runs=runs,
        host_mounts=tuple(host_mounts),
        literal=False,  # a manifest's strings already mean what the kubelet makes of them
    )


def _declared(volume: Mapping[str, Any]) -> str:
    """The volume as the pod declares it (see ``VolumeMount.manifest``)."""
    if "emptyDir" in volume:
        memory = (volume.get("emptyDir") or {}).get("medium") == "Memory"
        return "emptyDir-memory" if memory else "emptyDir"
    if "volumeClaimTemplate" in volume:
        return "claim-template"
    if "persistentVolumeClaim" in volume:
        return f"claim {(volume.get('persistentVolumeClaim') or {}).get('claimName', '')}"
    return next((str(k) for k in volume if k != "name"), "volume")


def plain_env(fields: Fields) -> tuple[tuple[str, str], ...]:
    """The env entries with a value written out (``valueFrom`` ones have none to read)."""
    entries = []
    for _index, entry, _items in fields.items("env"):
        if isinstance(entry, dict) and "name" in entry and entry.get("value") is not None:
            entries.append((str(entry["name"]), scalar_text(entry["value"])))
    return tuple(entries)


def _ports(fields: Fields) -> tuple[Port, ...]:
    ports = []
    for _index, port, _items in fields.items("ports"):  # each typed by the schema already
        name = port.get("name")
        ports.append(Port(port["containerPort"], port.get("protocol") or "TCP", name))
    return tuple(ports)


def _resources(fields: Fields, which: str) -> Resources:
    resources = fields.sub("resources")
    values = resources.sub(which) if resources is not None else None
    if values is None:
        return Resources()
    return Resources(_quantity(values, "cpu"), _quantity(values, "memory"))


def _quantity(fields: Fields, what: str) -> Quantity | None:
    raw = fields.data.get(what)
    if raw is None:
        return None
    try:
        return parse_quantity(raw, what)
    except QuantityError as error:
        fields.fail(what, str(error))
