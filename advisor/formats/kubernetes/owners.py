"""The workloads a controller of the input makes: left out, so that each runs once.

``kubectl get all -o yaml`` prints a Deployment with the ReplicaSet it made and the pods
that ReplicaSet made, each naming its maker in ``metadata.ownerReferences``. Read as
three workloads, and written without those references, they would run the app three
times. A workload whose owner (kind and name, in its own namespace as the cluster has
it) is a workload of the input is left out: the owner is read, or its own owner is, up
a chain (Pod, ReplicaSet, Deployment). An owner not in the input (an operator's custom
resource) leaves the workload read as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from advisor.formats.kubernetes.apirules import same_namespace
from advisor.formats.kubernetes.detect import WORKLOAD_KINDS

Key = tuple[str, str, str]  # kind, namespace as the cluster compares it, name


def owned_workloads(documents: Sequence[Any]) -> dict[int, str]:
    """The positions in ``documents`` of the workloads an owner of the input makes, each
    with that owner as ``Kind/name``. Linear: each is followed up its chain once."""
    position: dict[Key, int] = {}
    for at, document in enumerate(documents):
        key = _key(document)
        if key is not None:
            position.setdefault(key, at)
    owner: dict[int, int] = {}  # a workload's position -> its owner's, an owner of the input
    for at, document in enumerate(documents):
        found = _owner(document, position) if _key(document) is not None else None
        if found is not None:
            owner[at] = found
    kept = _cycles(owner)  # owners that own one another: the cluster made none of them
    return {at: _title(documents[by]) for at, by in owner.items() if at not in kept}


def _owner(document: dict[str, Any], position: dict[Key, int]) -> int | None:
    """The position of the first owner ``document`` names that is a workload of the input."""
    metadata = document["metadata"]
    references = metadata.get("ownerReferences")
    namespace = same_namespace(_text(metadata.get("namespace")))
    for reference in references if isinstance(references, list) else []:
        if not isinstance(reference, dict):
            continue
        kind, name = reference.get("kind"), reference.get("name")
        if isinstance(kind, str) and isinstance(name, str) and (kind, namespace, name) in position:
            return position[(kind, namespace, name)]
    return None


def _cycles(owner: dict[int, int]) -> set[int]:
    """The positions on a cycle of owners (a workload naming itself too): none of them is
    made by another that is read, so each is kept. Each position is walked once."""
    done: set[int] = set()
    on_cycle: set[int] = set()
    for start in owner:
        path: dict[int, int] = {}  # position -> its place on this walk
        at: int | None = start
        while at is not None and at not in done and at not in path:
            path[at] = len(path)
            at = owner.get(at)
        if at is not None and at in path:  # came back to this walk: a cycle from there
            on_cycle.update(p for p, place in path.items() if place >= path[at])
        done.update(path)
    return on_cycle


def _key(document: Any) -> Key | None:
    """A workload's kind, namespace and name, when it names them; None for another object."""
    if not isinstance(document, dict) or document.get("kind") not in WORKLOAD_KINDS:
        return None
    metadata = document.get("metadata")
    if not isinstance(metadata, dict) or not isinstance(metadata.get("name"), str):
        return None
    namespace = same_namespace(_text(metadata.get("namespace")))
    return str(document["kind"]), namespace, metadata["name"]


def _title(document: dict[str, Any]) -> str:
    return f"{document['kind']}/{document['metadata']['name']}"


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None
