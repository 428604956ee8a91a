"""A compose secret's or config's ``mode``, ``uid`` and ``gid`` as Kubernetes can keep them.

The ``mode`` becomes the volume's ``defaultMode``. A Secret's or ConfigMap's files belong to
root in the pod whatever the compose file says: the group that may read them is the pod's
``fsGroup``, so ``uid``/``gid`` get a note saying so.
"""

from __future__ import annotations

from advisor.formats.compose.context import Context
from advisor.formats.fields import Fields, kind_of

_MAX_MODE = 0o777


def file_mode(entry: Fields) -> int | None:
    """The permission bits ``mode`` gives (``0440`` as YAML reads it, or the text
    ``"0440"``, octal as chmod reads it), or None."""
    raw = entry.data.get("mode")
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, (int, str)):
        entry.fail("mode", f"must be a file mode such as 0440, not {kind_of(raw)}")
    if isinstance(raw, str):
        try:
            raw = int(raw.strip(), 8)
        except ValueError:
            entry.fail("mode", f"must be an octal file mode such as 0440, not {raw!r}")
    if not 0 <= raw <= _MAX_MODE:
        entry.fail("mode", f"{raw:o} (octal) is not a file mode: 0 to 0777")
    return raw


def owner_note(entry: Fields, context: Context) -> None:
    """A note for a ``uid`` or ``gid``: Kubernetes cannot give the files an owner."""
    uid, gid = entry.data.get("uid"), entry.data.get("gid")
    if uid is None and gid is None:
        return
    owner = ", ".join(f"{k} {v}" for k, v in (("uid", uid), ("gid", gid)) if v is not None)
    group = gid if gid is not None else "GID"
    context.warn(
        f"{entry.path}: {owner}: the files of a Secret or ConfigMap belong to root in the pod; "
        f"set the pod's securityContext.fsGroup: {group} to give that group the files, with a "
        "mode it can read (0440)"
    )
