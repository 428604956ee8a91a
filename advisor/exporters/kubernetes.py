"""Kubernetes manifests: one Pod per pod of the layout, valid against the API schema."""

from __future__ import annotations

from typing import Any

import yaml

from advisor.advice import Advice
from advisor.exporters.yamltext import SafeDumper
from advisor.model import Container, Resources
from advisor.names import dns_label
from advisor.partition import Pod

MANAGED_BY = "pod-advisor"


WORKLOADS = ("pod", "deployment", "statefulset")


def pod_manifests(advice: Advice, workload: str = "pod") -> list[dict[str, Any]]:
    """One document per pod, in the layout's (name) order: a Pod, or a workload around it."""
    pods = [_pod_manifest(pod, advice) for pod in advice.layout.pods]
    if workload == "pod":
        return pods
    return [_workload(pod, workload) for pod in pods]


def _workload(pod: dict[str, Any], workload: str) -> dict[str, Any]:
    """A one-replica Deployment or StatefulSet whose template is ``pod``."""
    kind = {"deployment": "Deployment", "statefulset": "StatefulSet"}[workload]
    metadata = pod["metadata"]
    selector = {"app.kubernetes.io/name": metadata["labels"]["app.kubernetes.io/name"]}
    spec: dict[str, Any] = {
        "replicas": 1,
        "selector": {"matchLabels": selector},
        "template": {"metadata": {"labels": dict(metadata["labels"])}, "spec": pod["spec"]},
    }
    if kind == "StatefulSet":
        spec["serviceName"] = metadata["name"]
    return {"apiVersion": "apps/v1", "kind": kind, "metadata": metadata, "spec": spec}


def _pod_manifest(pod: Pod, advice: Advice) -> dict[str, Any]:
    inventory = advice.inventory
    members = [inventory.container(name) for name in pod.members]
    name = dns_label(pod.name)
    labels = {
        "app.kubernetes.io/name": name,
        "app.kubernetes.io/part-of": dns_label(inventory.name)[:63].strip("-") or name,
        "app.kubernetes.io/managed-by": MANAGED_BY,
    }
    spec: dict[str, Any] = {"containers": [_container(c) for c in members]}
    volume_names = sorted({dns_label(m.name) for c in members for m in c.volumes})
    if volume_names:
        # Named volumes live as long as the pod: emptyDir is what lets members share files.
        spec["volumes"] = [{"name": v, "emptyDir": {}} for v in volume_names]
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": labels},
        "spec": spec,
    }


def _container(container: Container) -> dict[str, Any]:
    manifest: dict[str, Any] = {"name": dns_label(container.name), "image": container.image}
    if container.command is not None:
        manifest["command"] = list(container.command)
    if container.args is not None:
        manifest["args"] = list(container.args)
    if container.env:
        manifest["env"] = [{"name": k, "value": v} for k, v in container.env]
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
    if container.volumes:
        manifest["volumeMounts"] = [
            {
                "name": dns_label(m.name),
                "mountPath": m.mount_path,
                **({"readOnly": True} if m.read_only else {}),
            }
            for m in container.volumes
        ]
    return manifest


def _quantities(resources: Resources) -> dict[str, str]:
    return {
        key: q.text
        for key, q in (("cpu", resources.cpu), ("memory", resources.memory))
        if q is not None
    }


def dump_manifests(manifests: list[dict[str, Any]]) -> str:
    """The manifests as one multi-document YAML stream, byte-for-byte stable."""
    return yaml.dump_all(
        manifests,
        Dumper=SafeDumper,
        sort_keys=False,
        default_flow_style=False,
        explicit_start=True,
        width=100,
    )
