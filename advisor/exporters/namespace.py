"""``--namespace``: every namespaced object the manifests hold placed in one namespace, and,
with ``--create-namespace``, the Namespace object itself.

A Namespace is written only when asked for: a platform team usually creates it (with its
quotas, labels and access) before an application is applied, and a Namespace among the
application's manifests is deleted, with everything in it, by ``kubectl delete -f``.
"""

from __future__ import annotations

import re
from typing import Any

from advisor.domain.errors import AdvisorError

_DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")
# The kinds the API server keeps outside any namespace (``kubectl api-resources
# --namespaced=false``, the built-in ones an application's manifests may hold).
CLUSTER_SCOPED = frozenset(
    {
        "APIService",
        "CSIDriver",
        "CSINode",
        "ClusterRole",
        "ClusterRoleBinding",
        "CustomResourceDefinition",
        "IngressClass",
        "MutatingWebhookConfiguration",
        "Namespace",
        "Node",
        "PersistentVolume",
        "PriorityClass",
        "RuntimeClass",
        "StorageClass",
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding",
        "ValidatingWebhookConfiguration",
        "VolumeAttachment",
    }
)


def check_namespace(name: str) -> None:
    """``--namespace`` must be a DNS-1123 label, as the API server wants a namespace's name."""
    if not _DNS_LABEL.fullmatch(name):
        raise AdvisorError(
            f"--namespace: {name!r} is no DNS label (at most 63 lowercase letters, digits "
            "and -, starting and ending with a letter or digit)"
        )


def in_namespace(documents: list[dict[str, Any]], namespace: str) -> list[dict[str, Any]]:
    """``documents`` with ``metadata.namespace`` set, right after the name, on every object
    that lives in a namespace (a namespace the input gave is replaced)."""
    placed = []
    for document in documents:
        if document.get("kind") in CLUSTER_SCOPED:
            placed.append(document)
            continue
        metadata = {key: value for key, value in document["metadata"].items() if key != "namespace"}
        name = {"name": metadata.pop("name")} if "name" in metadata else {}
        placed.append({**document, "metadata": {**name, "namespace": namespace, **metadata}})
    return placed


def namespace_object(namespace: str, labels: dict[str, str]) -> dict[str, Any]:
    """The Namespace ``--create-namespace`` writes first."""
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": namespace, "labels": labels},
    }
