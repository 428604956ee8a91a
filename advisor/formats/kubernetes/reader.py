"""Kubernetes manifests read into an inventory: every workload's pod, its containers
named uniquely (see ``naming``), the pod's primary and helpers as roles, and the links
its manifest gives (see ``evidence``). The manifests are kept, as plain data, for the
advised output."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from advisor.domain.errors import InputError
from advisor.domain.model import Container, Inventory, Link, Runs
from advisor.domain.names import short_label
from advisor.domain.running import OtherObject, RunningContainer, RunningPod
from advisor.formats.fields import Fields
from advisor.formats.kubernetes.apirules import (
    DEFAULT_NAMESPACE,
    check_labels,
    check_name_length,
    check_restart_policy,
    check_selector,
    drop_ephemeral,
    generated_name,
    same_namespace,
)
from advisor.formats.kubernetes.checks import (
    check_api_version,
    check_pod_spec,
    object_label,
    object_name,
    text,
)
from advisor.formats.kubernetes.containers import read_container
from advisor.formats.kubernetes.detect import WORKLOAD_KINDS, objects
from advisor.formats.kubernetes.evidence import pod_links
from advisor.formats.kubernetes.listens import loopback_listens
from advisor.formats.kubernetes.naming import Names
from advisor.formats.kubernetes.owners import owned_workloads
from advisor.formats.kubernetes.roles import primary_index
from advisor.formats.kubernetes.schema import check_schema
from advisor.formats.rules import load_rules


def kubernetes_from_documents(
    files: Sequence[tuple[str, Sequence[Any]]], source: str, name: str
) -> Inventory:
    """The inventory of the manifests in ``files`` (each a path and its documents)."""
    names = Names()
    containers: list[Container] = []
    links: list[Link] = []
    running: list[RunningPod] = []
    warnings: list[str] = []
    others: list[OtherObject] = []
    seen: dict[tuple[str, str, str], tuple[str, str | None]] = {}  # where each was read
    found = [(path, place, document) for path, documents in files
             for place, document in objects(documents, path)]  # fmt: skip
    named = _names_given(found)  # a name made from generateName takes none of them
    numbers: dict[str, dict[str, int]] = {}  # the last number each kind's prefix was given
    owned = owned_workloads([document for _path, _place, document in found])
    for at, (path, place, document) in enumerate(found):
        kind = document.get("kind") if isinstance(document, dict) else None
        where = "" if path == source else f"{path}: "
        if at in owned:  # its owner, read, makes it: written too, it would run twice
            warnings.append(f"{where}{_title(document)}: {_OWNED.format(owned[at])}")
            continue
        if kind not in WORKLOAD_KINDS:
            warnings.append(f"{where}{_title(document)}: not a workload, passed over")
            others.append(_other(document))
            continue
        fields = Fields(path, document, f"{kind} ({place})")  # named once its name is read
        taken = named.setdefault(str(kind), set())
        notes: list[str] = []
        naming = (names, taken, numbers.setdefault(str(kind), {}))
        pod, members, pod_links_found = _workload(fields, str(kind), naming, notes)
        taken.add(pod.workload)
        warnings += [f"{where}{kind}/{pod.workload}: {note}" for note in notes]
        _once(seen, pod, fields)
        running.append(pod)
        containers += members
        links += pod_links_found
    if not containers:
        raise InputError(source, f"no workload ({', '.join(WORKLOAD_KINDS)}) in the manifests")
    return Inventory(
        name=name,
        containers=tuple(containers),
        source=source,
        links=tuple(links),
        warnings=tuple(warnings),
        running=tuple(running),
        others=tuple(others),
    )


def _names_given(found: list[tuple[str, str, Any]]) -> dict[str, set[str]]:
    """The names the manifests give their workloads, by kind."""
    named: dict[str, set[str]] = {}
    for _path, _place, document in found:
        metadata = document.get("metadata") if isinstance(document, dict) else None
        name = metadata.get("name") if isinstance(metadata, dict) else None
        if isinstance(name, str):
            named.setdefault(str(document.get("kind")), set()).add(name)
    return named


def _once(
    seen: dict[tuple[str, str, str], tuple[str, str | None]], pod: RunningPod, fields: Fields
) -> None:
    """Refuse a workload of the same kind, name and namespace as one read before (none is
    the namespace applied to, as the cluster has it): the advice would write both, and the
    second would replace the first when applied."""
    key = (pod.kind, same_namespace(pod.namespace), pod.workload)
    metadata = fields.sub("metadata")
    assert metadata is not None  # read by _workload
    line = (metadata.where("name") or (0, 0))[0]
    place = f"{fields.source}:{line}"
    if key in seen:
        first, namespace = seen[key]
        why = "" if namespace == pod.namespace else f" ({_NO_NAMESPACE})"
        metadata.fail("name", f"a {pod.kind} of this name is read already, at {first}{why}")
    seen[key] = (place, pod.namespace)


_OWNED = "owned by {} in the input, which makes it when applied: passed over"
_NO_NAMESPACE = f"a workload without a namespace is applied to {DEFAULT_NAMESPACE}, by convention"


def _other(document: Any) -> OtherObject:
    if not isinstance(document, dict):
        return OtherObject("", None, None)
    metadata = document.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    name, namespace = metadata.get("name"), metadata.get("namespace")
    kind = str(document.get("kind"))
    return OtherObject(
        kind,
        name if isinstance(name, str) else None,
        namespace if isinstance(namespace, str) else None,
        document if kind == "Service" else None,
    )


def _title(document: Any) -> str:
    if not isinstance(document, dict):
        return "a document that is no Kubernetes object"
    metadata = document.get("metadata")
    named = metadata.get("name") if isinstance(metadata, dict) else None
    return f"{document.get('kind')}/{named}" if named else str(document.get("kind"))


def _workload(
    fields: Fields,
    kind: str,
    naming: tuple[Names, set[str], dict[str, int]],
    notes: list[str],
) -> tuple[RunningPod, list[Container], list[Link]]:
    """The running pod of one workload. ``naming``: the containers' names, the names of
    its kind taken, the last number each generateName prefix was given; ``notes`` gains
    what was changed on the way (a name made, a field left out)."""
    names, taken, numbers = naming
    path = fields.source
    metadata = fields.sub("metadata")
    if metadata is None:
        fields.fail("metadata", "missing: a workload needs metadata.name")
    note = generated_name(metadata, taken, numbers)
    notes += [note] if note else []
    workload = object_name(metadata)
    fields.path = f"{kind}/{workload}"
    metadata = fields.sub("metadata") or metadata  # its messages name the workload now
    check_schema(fields, kind)  # every field's type, as the API has it
    check_api_version(fields, kind)
    check_name_length(metadata, kind, workload)
    check_labels(fields)
    spec = _pod_spec(fields, kind)
    check_pod_spec(spec)
    check_restart_policy(spec, kind)
    check_selector(fields, kind)
    if kind == "CronJob":
        schedule = fields.sub("spec")
        assert schedule is not None  # _pod_spec found it
        text(schedule, "schedule", required=True)
    volumes = {volume["name"]: volume for _, volume, _ in spec.items("volumes")}  # typed
    claims = _claim_templates(fields) if kind == "StatefulSet" else ()
    for claim in claims:  # each replica's own claim, which replaces a volume of its name
        volumes[claim] = {"name": claim, "volumeClaimTemplate": claim}  # the reader's own mark
    runs = _runs(fields, kind, spec)
    prefix = short_label(workload, "workload")
    main = [
        Fields(path, c, f"{spec.dotted('containers')}[{i}]") for i, c, _ in spec.items("containers")
    ]
    if not main:
        spec.fail("containers", "the pod runs no container")
    init = [
        Fields(path, c, f"{spec.dotted('initContainers')}[{i}]")
        for i, c, _ in spec.items("initContainers")
    ]
    primary_at = primary_index([c.text("image") or "" for c in main])
    entries = [(c, "containers", False) for c in main]
    entries += [(c, "initContainers", c.data.get("restartPolicy") == "Always") for c in init]
    placed = [
        RunningContainer(names.container(workload, c.text("name", required=True) or ""),
                         c.text("name") or "", place, sidecar, loopback_listens(c.data),
                         _mounted(c, claims))
        for c, place, sidecar in entries
    ]  # fmt: skip
    primary = placed[primary_at].name
    members: list[Container] = []
    specs = []
    for (container_fields, place, sidecar), entry in zip(entries, placed, strict=True):
        if place == "initContainers" and not sidecar:
            continue  # runs once before the others: no member, carried with the primary
        helps = None if entry.name == primary else primary
        container = read_container(container_fields, entry.name, volumes, prefix, runs, helps)
        members.append(container)
        specs.append((container, container_fields.data))
    namespace = metadata.text("namespace")
    plain = _plain(fields.data)
    note = drop_ephemeral(plain)
    notes += [note] if note else []
    shares = spec.data.get("shareProcessNamespace") is True
    pod = RunningPod(kind, workload, namespace, path, tuple(placed), primary, plain, shares)
    return pod, members, pod_links(specs, volumes, primary, load_rules().ports)


def _claim_templates(fields: Fields) -> tuple[str, ...]:
    """The names of a StatefulSet's ``volumeClaimTemplates``: volumes of its pod, each
    replica's own claim (data on a claim, as the inventory's named volumes are)."""
    spec = fields.sub("spec")
    if spec is None:
        return ()
    names = []
    for index, template, items in spec.items("volumeClaimTemplates"):
        place = f"{spec.dotted('volumeClaimTemplates')}[{index}]"
        claim = Fields(fields.source, template, place, items, index)
        for key, wanted in (("apiVersion", "v1"), ("kind", "PersistentVolumeClaim")):
            if key in claim.data and claim.data[key] != wanted:  # null too: it is written
                claim.fail(key, f"{claim.data[key]!r}: a claim template's is {wanted} or none")
        metadata = claim.sub("metadata")
        if metadata is None:
            spec.item_fail("volumeClaimTemplates", items, index, "missing metadata.name")
        names.append(object_label(metadata))
    return tuple(names)


def _mounted(container: Fields, claims: tuple[str, ...]) -> tuple[str, ...]:
    """The claim templates ``container`` mounts, by name."""
    mounts = container.data.get("volumeMounts") or []
    named = {m.get("name") for m in mounts if isinstance(m, dict)}
    return tuple(claim for claim in claims if claim in named)


def _pod_spec(fields: Fields, kind: str) -> Fields:
    """The pod template's spec of a workload (the spec itself for a Pod)."""
    spec = fields.sub("spec")
    if spec is None:
        fields.fail("spec", "missing")
    if kind == "CronJob":
        job = spec.sub("jobTemplate")
        job_spec = job.sub("spec") if job is not None else None
        if job_spec is None:
            spec.fail("jobTemplate", "missing its spec")
        spec = job_spec
    if kind != "Pod":
        template = spec.sub("template")
        pod_spec = template.sub("spec") if template is not None else None
        if pod_spec is None:
            spec.fail("template", "missing the pod template's spec")
        spec = pod_spec
    return spec


def _runs(fields: Fields, kind: str, pod: Fields) -> Runs:
    spec = fields.data.get("spec") or {}
    replicas = spec.get("replicas") if isinstance(spec, dict) else None
    return Runs(
        replicas=replicas if isinstance(replicas, int) and not isinstance(replicas, bool) else None,
        every_node=kind == "DaemonSet",
        schedule=str(spec.get("schedule")) if kind == "CronJob" else None,
        completes=kind in ("Job", "CronJob"),
        host_network=pod.data.get("hostNetwork") is True,
        host_pid=pod.data.get("hostPID") is True,
        host_ipc=pod.data.get("hostIPC") is True,
    )


def _plain(data: Any) -> Any:
    """``data`` as plain dicts and lists (the loader's marked ones carry file positions)."""
    if isinstance(data, dict):
        return {key: _plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_plain(value) for value in data]
    return copy.copy(data)


def manifest_files(path: Path) -> list[Path]:
    """The manifest files of a folder (``*.yaml``, ``*.yml``, ``*.json``), in name order.
    Files of other names are passed over; one of these names that is no regular file (a
    FIFO, a device, a socket) is listed, so that reading it refuses it as any input is."""
    return sorted(
        p for p in path.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and not p.is_dir()
    )
