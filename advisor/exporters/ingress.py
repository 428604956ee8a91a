"""``networking.k8s.io/v1`` Ingresses from the ingress plans: a rule per host, a path per
route to the container's Service, a ``tls`` entry for the hosts a proxy served over
HTTPS, and ``--ingress-class``."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from advisor.domain.errors import AdvisorError
from advisor.layout.ingress import IngressPlan

_DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")


def check_ingress_class(name: str) -> None:
    """``--ingress-class`` must name an IngressClass: a DNS-1123 subdomain."""
    if len(name) > 253 or not _DNS_SUBDOMAIN.fullmatch(name):
        raise AdvisorError(
            f"--ingress-class: {name!r} is no IngressClass name (lowercase letters, digits, "
            "- and ., starting and ending with a letter or digit)"
        )


def ingress_documents(
    plans: list[IngressPlan],
    labels: Callable[[str], dict[str, str]],
    ingress_class: str | None = None,
) -> list[dict[str, Any]]:
    """One Ingress per plan, labelled as the other objects are."""
    return [_ingress(plan, labels(plan.name), ingress_class) for plan in plans]


def _ingress(
    plan: IngressPlan, labels: dict[str, str], ingress_class: str | None
) -> dict[str, Any]:
    rules: dict[str, list[dict[str, Any]]] = {}
    for path in plan.paths:
        rules.setdefault(path.host, []).append(
            {
                "path": path.path,
                "pathType": "Exact" if path.exact else "Prefix",
                "backend": {"service": {"name": plan.name, "port": {"number": path.port}}},
            }
        )
    spec: dict[str, Any] = {}
    if ingress_class is not None:
        spec["ingressClassName"] = ingress_class
    if plan.tls_hosts:
        spec["tls"] = [{"hosts": list(plan.tls_hosts), "secretName": plan.tls_secret}]
    spec["rules"] = [
        {**({"host": host} if host else {}), "http": {"paths": paths}}
        for host, paths in rules.items()
    ]
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": plan.name, "labels": labels},
        "spec": spec,
    }
