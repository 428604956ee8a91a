"""Container and pod names made valid Kubernetes DNS-1123 labels."""

from __future__ import annotations

import hashlib
import re

MAX_LABEL = 63
# Separates the names of a pair in the answers file ("web + db"): no name may contain it.
PAIR_SEPARATOR = " + "
_INVALID = re.compile(r"[^a-z0-9-]+")
# What every Kubernetes version takes as an environment variable's name (and compose too).
ENV_NAME = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")


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


def short_label(text: str, fallback: str) -> str:
    """A DNS-1123 label for ``text`` of at most 63 characters, hash-suffixed when cut, so
    two long names that share a beginning stay apart."""
    name = dns_label(text) or fallback
    if len(name) > MAX_LABEL:
        digest = hashlib.sha256(text.encode()).hexdigest()[:8]
        name = f"{name[: MAX_LABEL - 9].rstrip('-')}-{digest}"
    return name
