"""Whether YAML documents are Kubernetes manifests, and the objects they hold."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from advisor.formats.fields import Fields, kind_of

# The kinds whose pods are read; any other kind is passed over with one warning line.
WORKLOAD_KINDS = ("Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob")


def is_manifest(document: Any) -> bool:
    """A Kubernetes object: a mapping with ``apiVersion`` and ``kind``."""
    return isinstance(document, dict) and "apiVersion" in document and "kind" in document


def is_kubernetes(documents: Sequence[Any]) -> bool:
    """Whether the documents of a file are Kubernetes manifests (every one an object)."""
    return bool(documents) and all(is_manifest(d) for d in documents)


def objects(documents: Sequence[Any], source: str = "<manifests>") -> list[tuple[str, Any]]:
    """The objects of the documents, each with where it stands (``document 2``, or
    ``document 1 items[3]``): a ``kind: List`` (as ``kubectl get -o yaml`` prints it) is
    opened into its items; ``helm template``'s ``# Source:`` comments need nothing."""
    found: list[tuple[str, Any]] = []
    for number, document in enumerate(documents, start=1):
        if isinstance(document, dict) and document.get("kind") == "List":
            items = document.get("items")
            if items is not None and not isinstance(items, list):
                Fields(source, document, "").fail("items", f"must be a list, not {kind_of(items)}")
            found += [
                (f"document {number} items[{index}]", item)
                for index, item in enumerate(items or [])
                if item is not None
            ]
        else:
            found.append((f"document {number}", document))
    return found
