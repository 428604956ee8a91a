"""A compose service's ``security_opt``: the seccomp profile and ``no-new-privileges``,
where the pod has a field for them; SELinux labels and AppArmor profiles get a note.

Docker writes each option as ``key:value`` or ``key=value``; ``no-new-privileges`` alone
means true.
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.formats.compose.context import Context
from advisor.formats.fields import Fields

UNCONFINED = "unconfined"


@dataclass(frozen=True)
class SecurityOptions:
    """What ``security_opt`` says: the seccomp profile (None: Docker's default,
    ``unconfined``, or a profile file's path) and whether privileges may not grow."""

    seccomp: str | None = None
    no_new_privileges: bool = False


def security_options(fields: Fields, context: Context) -> SecurityOptions:
    """Read ``security_opt``; an option with no pod field becomes a note."""
    seccomp, no_new = None, False
    for index, item, items in fields.items("security_opt"):
        if not isinstance(item, str) or not item.strip():
            fields.item_fail("security_opt", items, index, f"must be an option, not {item!r}")
        text = item.strip()
        cut = min((i for i in (text.find(":"), text.find("=")) if i >= 0), default=len(text))
        key, value = text[:cut].strip().lower(), text[cut + 1 :].strip()
        where = f"{fields.dotted('security_opt')}[{index}]"
        if key == "seccomp" and value:
            seccomp = UNCONFINED if value.lower() == UNCONFINED else value
        elif key == "no-new-privileges" and value.lower() in ("", "true", "false"):
            no_new = value.lower() != "false"
        elif key in ("apparmor", "label"):
            field = "appArmorProfile" if key == "apparmor" else "seLinuxOptions"
            context.warn(
                f"{where}: {text!r} is left out; to keep it, set the container's "
                f"securityContext.{field} (on nodes that run {key.replace('label', 'SELinux')})"
            )
        else:
            context.warn(f"{where}: {text!r} has no pod equivalent, ignored")
    return SecurityOptions(seccomp, no_new)
