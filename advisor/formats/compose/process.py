"""A compose service's user, privileges and process settings, where Kubernetes has a field.

``user`` (numeric, or ``root``) becomes ``runAsUser``/``runAsGroup``; ``cap_add``/``cap_drop``,
``privileged`` and ``read_only`` the container's ``securityContext``; ``working_dir``
``workingDir``; ``stop_grace_period`` the pod's ``terminationGracePeriodSeconds``;
``shm_size`` a memory-backed ``/dev/shm``; ``security_opt`` the seccomp profile and
``allowPrivilegeEscalation`` (``securityopt``). A user name, ``ulimits`` and a ``stop_signal``
other than SIGTERM have no pod field: each gets a note.
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.domain.model import Quantity, Security
from advisor.formats.compose import values
from advisor.formats.compose.context import Context
from advisor.formats.compose.securityopt import security_options
from advisor.formats.fields import Fields, kind_of
from advisor.formats.healthcheck import duration_seconds

PROCESS_KEYS = frozenset(
    {
        "user",
        "cap_add",
        "cap_drop",
        "privileged",
        "read_only",
        "working_dir",
        "stop_grace_period",
        "stop_signal",
        "shm_size",
        "ulimits",
        "security_opt",
    }
)
_TERM = ("SIGTERM", "TERM", "15")


@dataclass(frozen=True)
class Process:
    """The settings of one service that become container and pod fields."""

    security: Security
    working_dir: str | None
    stop_grace_seconds: int | None
    shm_size: Quantity | None


def process_settings(fields: Fields, context: Context) -> Process:
    """Read the keys of ``PROCESS_KEYS``; what has no Kubernetes field becomes a note."""
    user, group = _user(fields, context)
    shm_size = None
    if "shm_size" in fields.data:
        parsed = values.memory_quantity(fields.data["shm_size"])
        if isinstance(parsed, str):
            fields.fail("shm_size", parsed)
        shm_size = parsed
    if "ulimits" in fields.data:
        context.warn(
            f"{fields.dotted('ulimits')}: Kubernetes sets no limits per pod; the node's "
            "container runtime sets them for every pod (or the entrypoint runs ulimit)"
        )
    signal = fields.text("stop_signal")
    if signal is not None and signal.upper() not in _TERM:
        context.warn(
            f"{fields.dotted('stop_signal')}: Kubernetes stops containers with SIGTERM, not "
            f"{signal}; build the image with STOPSIGNAL {signal} or add a preStop hook"
        )
    options = security_options(fields, context)
    security = Security(
        run_as_user=user,
        run_as_group=group,
        add=_capabilities(fields, "cap_add"),
        drop=_capabilities(fields, "cap_drop"),
        privileged=_flag(fields, "privileged"),
        read_only_root=_flag(fields, "read_only"),
        seccomp=options.seccomp,
        no_new_privileges=options.no_new_privileges,
    )
    grace = None
    if "stop_grace_period" in fields.data:
        grace = duration_seconds(fields, "stop_grace_period", minimum=0)
    return Process(security, fields.text("working_dir"), grace, shm_size)


def _user(fields: Fields, context: Context) -> tuple[int | None, int | None]:
    """``"1000"``, ``"1000:1000"``, ``root``: numbers Kubernetes can run as."""
    text = fields.text("user")
    if text is None:
        return None, None
    user, _, group = text.partition(":")
    ids = [0 if word == "root" else int(word) if word.isdigit() else None for word in (user, group)]
    if ids[0] is None or (group and ids[1] is None):
        context.warn(
            f"{fields.dotted('user')}: {text!r} is a name; Kubernetes runs as numbers "
            "(runAsUser, runAsGroup): look the ids up in the image's /etc/passwd"
        )
        return ids[0], None
    return ids[0], ids[1] if group else None


def _capabilities(fields: Fields, key: str) -> tuple[str, ...]:
    """Capability names as Kubernetes spells them: ``CAP_NET_ADMIN`` -> ``NET_ADMIN``."""
    found: list[str] = []
    for index, item, items in fields.items(key):
        if not isinstance(item, str) or not item.strip():
            fields.item_fail(key, items, index, f"must be a capability name, not {item!r}")
        name = item.strip().upper().removeprefix("CAP_")
        if name not in found:
            found.append(name)
    return tuple(found)


def _flag(fields: Fields, key: str) -> bool:
    raw = fields.data.get(key)
    if raw is None or isinstance(raw, bool):
        return raw is True
    if str(raw).lower() in ("true", "false"):
        return str(raw).lower() == "true"
    fields.fail(key, f"must be true or false, not {kind_of(raw)}")
