"""Container and pod names made valid Kubernetes DNS-1123 labels."""

from __future__ import annotations

import functools
import re

MAX_LABEL = 63
# A StatefulSet's pods carry the revision label NAME-HASH (11 characters more), a CronJob's
# Jobs are named NAME-TIME (11 more): the API server refuses either name longer than this.
MAX_WORKLOAD_NAME = 52
# Separates the names of a pair in the answers file ("web + db"): no name may contain it.
PAIR_SEPARATOR = " + "
# Names in one answers file key ("a + b + c"): a group's answer holds for each of its pairs, so
# a key of n names is n*(n-1)/2 answers; past this the work would outgrow the file.
MAX_GROUP = 16
_INVALID = re.compile(r"[^a-z0-9-]+")
# What every Kubernetes version takes as an environment variable's name (and compose too).
ENV_NAME = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")


@functools.lru_cache(maxsize=2**14)  # each name is labelled again in every manifest naming it
def dns_label(name: str) -> str:
    """``my_App.v2`` -> ``my-app-v2``; empty when nothing usable is left.

    Kubernetes names containers and pods with DNS-1123 labels: lower case letters, digits
    and ``-``, starting and ending with a letter or digit, at most 63 characters.
    """
    label = _INVALID.sub("-", name.lower())
    return re.sub(r"-{2,}", "-", label).strip("-")


def service_name(name: str) -> str:
    """A Service's name for ``name``: a DNS-1035 label, which must start with a letter."""
    label = dns_label(name)[:MAX_LABEL].strip("-")
    return label if label[:1].isalpha() else f"svc-{label}"[:MAX_LABEL].rstrip("-")


def short_label(text: str, fallback: str, limit: int = MAX_LABEL) -> str:
    """A DNS-1123 label for ``text`` of at most ``limit`` characters, hash-suffixed when
    cut, so two long names that share a beginning stay apart."""
    return fitted(dns_label(text) or fallback, limit, text)


def label_value(name: str) -> str:
    """A workload's ``name`` (a DNS-1123 subdomain, up to 253 characters) as a label's value,
    which stops at 63: cut and hash-suffixed as a long container name is, the same every
    time, so the label written and the selector that selects it agree."""
    return fitted(name, MAX_LABEL)


def fitted(name: str, limit: int, whole: str | None = None) -> str:
    """``name`` cut to ``limit`` characters and suffixed with a hash of ``whole`` (``name``
    itself by default) when longer: the same name always gives the same result."""
    if len(name) <= limit:
        return name
    import hashlib  # a long name's only: every command comes sooner without it

    digest = hashlib.sha256((name if whole is None else whole).encode()).hexdigest()[:8]
    return f"{name[: limit - 9].rstrip('-')}-{digest}"


def unique_fitted(name: str, limit: int, taken: set[str]) -> str:
    """``fitted(name, limit)``, numbered when another name in ``taken`` already has it (a
    pod may be called what another's cut name comes to); the result is added to ``taken``."""
    result, number = fitted(name, limit), 1
    while result in taken:
        number += 1
        result = fitted(f"{name}-{number}", limit)
    taken.add(result)
    return result


def split_key(key: str) -> list[str]:
    """The names of an answers file's key: ``"web + db"`` (or a hand-written ``"web+db"``).

    " + " separates names, so names that contain "+" themselves (c++) still read back.
    """
    return [n.strip() for n in key.split(PAIR_SEPARATOR if PAIR_SEPARATOR in key else "+")]


def join_key(names: list[str] | tuple[str, ...]) -> str:
    """An answers file's key for ``names``: ``"web + tls-proxy + content-agent"``."""
    return PAIR_SEPARATOR.join(names)


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a container (after the checks for ' + ' and length), or None.

    Names reach the terminal, report.md's table, the diagrams and the answers file's keys:
    control characters and ``|`` would garble them, and a name must read back from a key.
    """
    for char in name:
        if not char.isprintable():
            return f"contains the control character U+{ord(char):04X}"
    if "|" in name:
        return "contains '|', which would break report.md's table"
    if split_key(f"{name}{PAIR_SEPARATOR}x") != [name, "x"] or split_key(
        f"x{PAIR_SEPARATOR}{name}"
    ) != ["x", name]:
        return "cannot be read back from an answers file key ('a + b'): change its spaces or '+'"
    return None


def service_clash(names: list[str]) -> tuple[str, str, str] | None:
    """Two names whose Services would share a name (``123`` and ``svc-123``): both names and
    the Service's, or None."""
    seen: dict[str, str] = {}
    for name in names:
        service = service_name(name)
        if service in seen:
            return seen[service], name, service
        seen[service] = name
    return None
