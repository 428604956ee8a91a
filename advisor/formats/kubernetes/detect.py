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


# How deep Lists may nest in a List (kubectl prints none nested; a hand-made file may).
MAX_LIST_DEPTH = 8


def objects(documents: Sequence[Any], source: str = "<manifests>") -> list[tuple[str, Any]]:
    """The objects of the documents, each with where it stands (``document 2``, or
    ``document 1 items[3]``): a ``kind: List`` (as ``kubectl get -o yaml`` prints it) is
    opened into its items, and a List among them too (``document 1 items[0] items[2]``);
    ``helm template``'s ``# Source:`` comments need nothing."""
    found: list[tuple[str, Any]] = []
    for number, document in enumerate(documents, start=1):
        _open(document, f"document {number}", source, found, 0)
    return found


def _open(node: Any, place: str, source: str, found: list[tuple[str, Any]], depth: int) -> None:
    """Add ``node`` to ``found``, or, a List, each of its items (each node is seen once)."""
    if not (isinstance(node, dict) and node.get("kind") == "List"):
        found.append((place, node))
        return
    items = node.get("items")
    list_fields = Fields(source, node, place)
    if items is not None and not isinstance(items, list):
        list_fields.fail("items", f"must be a list, not {kind_of(items)}")
    if items and depth == MAX_LIST_DEPTH:
        list_fields.fail("items", f"a List in Lists more than {MAX_LIST_DEPTH} deep")
    for index, item in enumerate(items or []):
        if item is not None:
            _open(item, f"{place} items[{index}]", source, found, depth + 1)
