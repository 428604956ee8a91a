"""Named volumes whose data lives somewhere else: compose's ``driver_opts`` of the local driver.

``driver_opts: {type: nfs, o: "addr=10.0.0.1,nfsvers=4", device: ":/export"}`` mounts an NFS
share: the data is on that server, so the claim must reach the same share (an ``NfsShare``:
the manifests bind the claim to a PersistentVolume of it). ``type: none, o: bind, device:
/srv/data`` is a bind mount in disguise: the data is in a folder of the Docker host, which no
cluster node has, so a note says where it is. Any other driver or type gets a note too: the
claim written for the volume starts empty.
"""

from __future__ import annotations

from advisor.domain.model import NfsShare
from advisor.formats.compose.context import Context
from advisor.formats.fields import Fields

_NFS_TYPES = ("nfs", "nfs4")
_DROPPED_OPTIONS = ("addr", "rw", "ro")  # the share's server, and its read-only flag


def volume_shares(top: Fields, context: Context) -> tuple[NfsShare, ...]:
    """The NFS shares of the top-level ``volumes:``, with a note for every volume whose
    data a claim would not find."""
    volumes = top.data.get("volumes")
    if not isinstance(volumes, dict):
        return ()
    shares = []
    for name, raw in volumes.items():
        if not isinstance(raw, dict):
            continue
        entry = Fields(top.source, raw, f"volumes.{name}")
        share = _share(str(name), entry, context)
        if share is not None:
            shares.append(share)
    return tuple(shares)


def _share(name: str, entry: Fields, context: Context) -> NfsShare | None:
    driver = entry.text("driver") or "local"
    opts = entry.data.get("driver_opts")
    opts = {str(k): str(v) for k, v in opts.items()} if isinstance(opts, dict) else {}
    kind = opts.get("type", "").strip().lower()
    device = opts.get("device", "").strip()
    options = [o.strip() for o in opts.get("o", "").split(",") if o.strip()]
    if driver != "local":
        context.warn(
            f"{entry.path}: the volume driver {driver!r} has no Kubernetes equivalent: the "
            "claim written for it starts empty; use a StorageClass that reaches the same storage"
        )
        return None
    if kind in _NFS_TYPES:
        values = dict(o.partition("=")[::2] for o in options)
        host, colon, path = device.partition(":")
        server = values.get("addr") or host
        if not colon or not server or not path.startswith("/"):
            context.warn(
                f"{entry.path}: an NFS share whose server and path cannot be read from "
                f"driver_opts (device {device!r}): the claim written for it starts empty; "
                "point it at the share by hand"
            )
            return None
        kept = tuple(o for o in options if o.partition("=")[0] not in _DROPPED_OPTIONS)
        share = NfsShare(name, server, path, "ro" in options, kept)
        context.warn(
            f"{entry.path}: the NFS share {server}:{path} is written as a PersistentVolume "
            "(reclaim policy Retain, so deleting the claim leaves the data) that the claim "
            f"{name!r} binds to; every node must be able to mount NFS"
        )
        return share
    if kind == "none" and "bind" in options and device:
        context.warn(
            f"{entry.path}: a bind mount of the Docker host's folder {device} (driver_opts o: "
            "bind): no cluster node has it, so the claim written for it starts empty: copy "
            f"the files of {device} into it (a node agent could mount it as hostPath)"
        )
    elif kind or device:
        context.warn(
            f"{entry.path}: driver_opts type {kind or '?'} on {device or '?'}: the claim "
            "written for it starts empty; the data stays where the driver put it"
        )
    return None
