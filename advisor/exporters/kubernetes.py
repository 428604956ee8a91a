"""Kubernetes manifests: one Pod (or workload) per pod of the layout, the ConfigMaps,
Secrets and claims it needs, and the Services; all valid against the API schema."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import yaml

from advisor.domain.model import Container, Resources, Role, Workload
from advisor.domain.names import dns_label
from advisor.exporters import DEFAULT_VOLUME_SIZE
from advisor.exporters.envsettings import env_documents, env_entries, env_from, env_object_names
from advisor.exporters.files import file_documents, file_mounts, file_volumes
from advisor.exporters.hostpaths import host_mounts, host_volumes
from advisor.exporters.ingress import ingress_documents
from advisor.exporters.kubelet import kubelet_words
from advisor.exporters.namespace import in_namespace, namespace_object
from advisor.exporters.security import (
    grace_period,
    pod_security,
    security_context,
    shm_mount,
    shm_volume,
)
from advisor.exporters.shares import bound_to_shares
from advisor.exporters.workloads import headless_name, headless_service, wrap
from advisor.formats.yamlout import ManifestDumper
from advisor.formats.yamltext import NotWritable, dump_block
from advisor.layout.advice import Advice
from advisor.layout.partition import Pod
from advisor.layout.services import ServicePlan
from advisor.layout.volumes import VolumeKind, VolumePlan
from advisor.layout.workloads import WorkloadPlan

MANAGED_BY = "pod-advisor"


@dataclass(frozen=True)
class ExportOptions:
    """How the layout is written out."""

    workload: Workload | None = None  # one kind for every pod; None: chosen per pod
    services: bool = False  # a Service per pod for its ports
    native_sidecars: bool = False  # helpers as restartable init containers (Kubernetes 1.29+)
    volume_size: str = DEFAULT_VOLUME_SIZE  # storage asked for by each PersistentVolumeClaim
    network_policies: bool = False  # NetworkPolicies that let in only the flows in evidence
    namespace: str | None = None  # --namespace: every namespaced object in it
    create_namespace: bool = False  # --create-namespace: the Namespace object written first
    ingress_class: str | None = None  # --ingress-class: the class of every Ingress


def manifests(advice: Advice, options: ExportOptions | None = None) -> list[dict[str, Any]]:
    """Every document: ConfigMaps and Secrets, the claims, then one workload per pod, then
    the Services; in ``--namespace`` when given (its Namespace first if asked for)."""
    options = options or ExportOptions()
    documents = _documents(advice, options)
    if options.network_policies:  # after every other document
        from advisor.exporters.network import network_policies

        documents += network_policies(advice, documents, lambda n: _labels(n, advice))
    if options.namespace is None:
        return documents
    placed = in_namespace(documents, options.namespace)
    if options.create_namespace:
        placed.insert(0, namespace_object(options.namespace, _labels(options.namespace, advice)))
    return placed


def _documents(advice: Advice, options: ExportOptions) -> list[dict[str, Any]]:
    inventory, layout = advice.inventory, advice.layout
    if inventory.running:  # manifests that already run: carried over, not rebuilt
        from advisor.exporters.running import running_manifests

        native = options.native_sidecars or advice.native_sidecars
        kind = options.workload or advice.workload
        return running_manifests(replace(advice, native_sidecars=native, workload=kind))
    volumes = advice.volume_plans()
    override = options.workload or advice.workload
    workloads = advice.workload_plans(override)
    # A StatefulSet makes each replica its own claim for the data only its pod mounts.
    # ... but never a share's: its one PersistentVolume holds the data already.
    shared = {s.volume for s in inventory.shares}
    templated = {
        name: pod.name
        for pod in layout.pods
        if workloads[pod.name].kind is Workload.STATEFULSET
        for name in _own_claims(pod, advice, volumes)
        if name not in shared
    }
    documents = file_documents(inventory, lambda name: _labels(name, advice))
    documents += env_documents(inventory, lambda name: _labels(name, advice))
    claims = [
        _claim(plan, advice, options)
        for plan in volumes.values()
        if plan.kind is not VolumeKind.SCRATCH and plan.name not in templated
    ]
    documents += bound_to_shares(
        claims, inventory.shares, inventory.name, lambda name: _labels(name, advice)
    )
    services, _ = advice.service_plans(every_pod=options.services)
    taken = {s.name for s in services}
    names = advice.written_names(override)
    headless = []
    secrets = env_object_names(inventory)  # once: each pod's members look theirs up
    for pod in layout.pods:
        plan = workloads[pod.name]
        templates = [
            _claim(volumes[v], advice, options, template=True)
            for v in sorted(templated)
            if templated[v] == pod.name
        ]
        manifest = _pod_manifest(pod, advice, volumes, options, plan, set(templated), secrets)
        governing = None
        if plan.kind is Workload.STATEFULSET:
            name = dns_label(pod.name)
            governing = headless_name(name, taken)
            taken.add(governing)
            headless.append(headless_service(name, governing, _labels(name, advice)))
        documents.append(wrap(manifest, plan, templates, governing, names[pod.name].name))
    documents += [_service(plan, advice) for plan in services]
    ingresses, _ = advice.ingress_plans(every_pod=options.services)
    documents += ingress_documents(ingresses, lambda n: _labels(n, advice), options.ingress_class)
    return documents + headless


def _own_claims(pod: Pod, advice: Advice, volumes: dict[str, VolumePlan]) -> list[str]:
    """The data volumes only this pod mounts."""
    names = {m.name for member in pod.members for m in advice.inventory.container(member).volumes}
    return sorted(n for n in names if volumes[n].kind is VolumeKind.CLAIM)


def pod_manifests(advice: Advice, workload: Workload | None = Workload.POD) -> list[dict[str, Any]]:
    """The manifests with default options but for the workload kind."""
    return manifests(advice, ExportOptions(workload=workload))


def _labels(name: str, advice: Advice) -> dict[str, str]:
    return {
        "app.kubernetes.io/name": name,
        "app.kubernetes.io/part-of": dns_label(advice.inventory.name)[:63].strip("-") or name,
        "app.kubernetes.io/managed-by": MANAGED_BY,
    }


def _pod_manifest(
    pod: Pod,
    advice: Advice,
    volumes: dict[str, VolumePlan],
    options: ExportOptions,
    plan: WorkloadPlan,
    templated: set[str],
    secrets: dict[str, str],
) -> dict[str, Any]:
    members = [advice.inventory.container(name) for name in pod.members]
    name = dns_label(pod.name)
    helpers = [c for c in members if c.role is Role.SIDECAR]
    # A Job completes when its containers do: a helper that runs forever must be a native
    # sidecar, which stops once the main containers have finished.
    native = options.native_sidecars or plan.kind in (Workload.JOB, Workload.CRONJOB)
    if not native or len(helpers) == len(members):
        helpers = []  # a pod needs at least one ordinary container
    spec: dict[str, Any] = {}
    agent = plan.kind is Workload.DAEMONSET
    if helpers:
        # Restartable init containers start before the main ones and stop after them.
        spec["initContainers"] = [
            {**_container(c, secrets[c.name], agent), "restartPolicy": "Always"} for c in helpers
        ]
    spec["containers"] = [
        _container(c, secrets[c.name], agent) for c in members if c not in helpers
    ]
    if advice.questionnaire.shares_processes(pod.members):
        spec["shareProcessNamespace"] = True
    for key, joined in (
        ("hostNetwork", any(c.runs.host_network for c in members)),
        ("hostPID", any(c.runs.host_pid for c in members)),
        ("hostIPC", any(c.runs.host_ipc for c in members)),
    ):
        if joined:
            spec[key] = True
    if spec.get("hostNetwork"):
        spec["dnsPolicy"] = "ClusterFirstWithHostNet"  # Service names still resolve
    grace = grace_period(members)
    if grace is not None:
        spec["terminationGracePeriodSeconds"] = grace
    spec.update(pod_security())
    names = sorted({m.name for c in members for m in c.volumes} - templated)
    pod_volumes = [_volume(volumes[v]) for v in names]
    pod_volumes += file_volumes(members) + shm_volume(members)
    if agent:
        pod_volumes += host_volumes(members)
    if pod_volumes:
        spec["volumes"] = pod_volumes
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": _labels(name, advice)},
        "spec": spec,
    }


def _volume(plan: VolumePlan) -> dict[str, Any]:
    label = dns_label(plan.name)
    if plan.kind is VolumeKind.SCRATCH:
        empty: dict[str, Any] = {"medium": "Memory"} if plan.memory else {}
        if plan.size_limit is not None:
            empty["sizeLimit"] = plan.size_limit.text
        return {"name": label, "emptyDir": empty}
    return {"name": label, "persistentVolumeClaim": {"claimName": label}}


def _claim(
    plan: VolumePlan, advice: Advice, options: ExportOptions, template: bool = False
) -> dict[str, Any]:
    """A PersistentVolumeClaim, or the template a StatefulSet makes one per replica from."""
    label = dns_label(plan.name)
    mode = "ReadWriteMany" if plan.kind is VolumeKind.SHARED_CLAIM else "ReadWriteOnce"
    spec = {"accessModes": [mode], "resources": {"requests": {"storage": options.volume_size}}}
    if template:
        return {"metadata": {"name": label}, "spec": spec}
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": label, "labels": _labels(label, advice)},
        "spec": spec,
    }


def _service(plan: ServicePlan, advice: Advice) -> dict[str, Any]:
    """A ClusterIP Service in front of a pod's ports; headless when it has none."""
    pod = dns_label(plan.pod)
    spec: dict[str, Any] = {"selector": {"app.kubernetes.io/name": pod}}
    if plan.ports:
        spec["ports"] = [
            {
                "name": f"{p.protocol.lower()}-{p.number}",
                "port": p.number,
                "targetPort": p.number,
                "protocol": p.protocol,
            }
            for p in plan.ports
        ]
    else:
        spec["clusterIP"] = "None"
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": plan.name, "labels": _labels(pod, advice)},
        "spec": spec,
    }


def _container(container: Container, env_objects: str, agent: bool = False) -> dict[str, Any]:
    """One container's spec (``env_objects``: the name of its env ConfigMap and Secret); a
    node agent's (``agent``) mounts its host paths too."""
    manifest: dict[str, Any] = {"name": dns_label(container.name), "image": container.image}
    if container.command is not None:
        manifest["command"] = kubelet_words(container.command, container.literal)
    if container.args is not None:
        manifest["args"] = kubelet_words(container.args, container.literal)
    if container.working_dir is not None:
        manifest["workingDir"] = container.working_dir
    for key, entries in (
        ("envFrom", env_from(container, env_objects)),
        ("env", env_entries(container, env_objects)),
    ):
        if entries:
            manifest[key] = entries
    if container.ports:
        manifest["ports"] = [
            {
                "containerPort": p.number,
                "protocol": p.protocol,
                **({"name": p.name} if p.name else {}),
            }
            for p in container.ports
        ]
    resources = {
        key: quantities
        for key, quantities in (
            ("requests", _quantities(container.resources)),
            ("limits", _quantities(container.limits)),
        )
        if quantities
    }
    if resources:
        manifest["resources"] = resources
    mounts = [
        {
            "name": dns_label(m.name),
            "mountPath": m.mount_path,
            **({"readOnly": True} if m.read_only else {}),
        }
        for m in container.volumes
    ]
    mounts += file_mounts(container) + shm_mount(container)
    if agent:
        mounts += host_mounts(container)
    if mounts:
        manifest["volumeMounts"] = mounts
    security = security_context(container)
    if security:
        manifest["securityContext"] = security
    if container.probe is not None:
        # Docker marks a failing container unhealthy without restarting it: readiness is the
        # probe that means the same (traffic stops), where liveness would restart it.
        probe = container.probe
        manifest["readinessProbe"] = {
            "exec": {"command": kubelet_words(probe.command, container.literal)},
            **{
                key: value
                for key, value in (
                    ("periodSeconds", probe.period_seconds),
                    ("timeoutSeconds", probe.timeout_seconds),
                    ("failureThreshold", probe.failure_threshold),
                    ("initialDelaySeconds", probe.initial_delay_seconds),
                )
                if value is not None
            },
        }
    return manifest


def _quantities(resources: Resources) -> dict[str, str]:
    return {
        key: q.text
        for key, q in (("cpu", resources.cpu), ("memory", resources.memory))
        if q is not None
    }


def dump_manifests(documents: list[dict[str, Any]]) -> str:
    """The manifests as one multi-document YAML stream, byte-for-byte stable."""
    return "".join(_dump_manifest(document) for document in documents)


def _dump_manifest(document: dict[str, Any]) -> str:
    """One manifest, ``---`` first: as text directly, or through PyYAML (the same bytes)
    when it holds what only PyYAML writes (text beyond printable ASCII, say)."""
    try:
        return dump_block(document, width=100, go_numbers=True, explicit_start=True)
    except NotWritable:
        return yaml.dump(
            document,
            Dumper=ManifestDumper,
            sort_keys=False,
            default_flow_style=False,
            explicit_start=True,
            width=100,
        )


def kustomization(documents: list[dict[str, Any]], namespace: str | None = None) -> dict[str, str]:
    """One file per document plus a ``kustomization.yaml`` listing them (and naming the
    ``namespace``, when given, so an overlay sees it), by file name."""
    files: dict[str, str] = {}
    for document in documents:
        stem = f"{document['kind'].lower()}-{document['metadata']['name']}"
        file_name, count = f"{stem}.yaml", 1
        # Two documents of one kind and name must not share a file, where the second would
        # replace the first unseen: with a file each, kustomize names the clash.
        while file_name in files:
            count += 1
            file_name = f"{stem}-{count}.yaml"
        files[file_name] = dump_manifests([document])
    index: dict[str, Any] = {
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        **({"namespace": namespace} if namespace else {}),
        "resources": list(files),
    }
    files["kustomization.yaml"] = yaml.dump(index, Dumper=ManifestDumper, sort_keys=False)
    return files
