"""Service names as compose allows them and as Kubernetes will need them."""

from __future__ import annotations

from typing import Any

from advisor.domain.names import MAX_LABEL, PAIR_SEPARATOR, dns_label, name_problem, service_clash
from advisor.formats.fields import Fields


def check_service_keys(services: Fields) -> None:
    """Compose never interpolates a key: ``${NAME}:`` under ``services:`` is a service
    named ``${NAME}``, which its schema refuses (names are letters, digits, ``.``, ``_``,
    ``-``)."""
    for name in services.data:
        if isinstance(name, str) and "$" in name:
            services.fail(
                name,
                "a service name cannot come from a variable: compose does not interpolate "
                "keys, and refuses the name",
            )


def check_names(services: Fields, mapped: dict[str, Any]) -> None:
    """Service names become container names: they must stay distinct DNS-1123 labels."""
    seen: dict[str, str] = {}
    for name in mapped:
        label = dns_label(name)
        if PAIR_SEPARATOR in name:
            services.fail(name, "a service name cannot contain ' + ' (it separates pair names)")
        if not label:
            services.fail(name, "a service name needs letters or digits")
        if len(label) > MAX_LABEL:
            services.fail(name, f"the name is {len(label)} characters; Kubernetes allows 63")
        if (problem := name_problem(name)) is not None:
            services.fail(name, f"the name {problem}")
        if label in seen:
            services.fail(
                name,
                f"{name!r} and {seen[label]!r} both become {label!r} in Kubernetes; rename one",
            )
        seen[label] = name
    if (clash := service_clash(list(mapped))) is not None:
        first, name, service = clash
        services.fail(
            name, f"{name!r} and {first!r} both become the Service {service!r}; rename one"
        )
