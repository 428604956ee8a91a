"""Claims of volumes that live on an NFS server, bound to a PersistentVolume of the share.

A PersistentVolume rather than an ``nfs:`` volume in the pod: the pods keep mounting a claim
(which the restricted Pod Security level allows, where it refuses an ``nfs`` volume), the
server's address lives in one object a cluster administrator owns, and ``Retain`` keeps the
data when the claim is deleted. The claim names the volume (``volumeName``) with no storage
class, so no provisioner makes an empty one in its place. A PersistentVolume is cluster-wide:
its name starts with the application's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from advisor.domain.model import NfsShare
from advisor.domain.names import dns_label, short_label

Labels = Callable[[str], dict[str, str]]


def share_names(shares: tuple[NfsShare, ...], application: str) -> dict[str, str]:
    """The PersistentVolume of each share, by the claim's name."""
    prefix = dns_label(application)[:30].strip("-")
    return {
        dns_label(s.volume): short_label(f"{prefix}-{s.volume}" if prefix else s.volume, "nfs")
        for s in shares
    }


def bound_to_shares(
    claims: list[dict[str, Any]], shares: tuple[NfsShare, ...], application: str, labels: Labels
) -> list[dict[str, Any]]:
    """``claims``, each of a share bound to its PersistentVolume, written first."""
    names = share_names(shares, application)
    by_claim = {dns_label(s.volume): s for s in shares}
    volumes: list[dict[str, Any]] = []
    bound = []
    for claim in claims:
        name = claim["metadata"]["name"]
        share = by_claim.get(name)
        if share is None:
            bound.append(claim)
            continue
        spec = claim["spec"]
        size = spec["resources"]["requests"]["storage"]
        volumes.append(_volume(share, names[name], size, labels))
        access = {"accessModes": ["ReadOnlyMany" if share.read_only else "ReadWriteMany"]}
        bound.append(
            {**claim, "spec": {**spec, **access, "storageClassName": "", "volumeName": names[name]}}
        )
    return volumes + bound


def _volume(share: NfsShare, name: str, size: str, labels: Labels) -> dict[str, Any]:
    nfs: dict[str, Any] = {"server": share.server, "path": share.path}
    if share.read_only:
        nfs["readOnly"] = True
    spec: dict[str, Any] = {
        "capacity": {"storage": size},
        "accessModes": ["ReadOnlyMany" if share.read_only else "ReadWriteMany"],
        "persistentVolumeReclaimPolicy": "Retain",
        "storageClassName": "",
    }
    if share.options:
        spec["mountOptions"] = list(share.options)
    spec["nfs"] = nfs
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": name, "labels": labels(name)},
        "spec": spec,
    }
