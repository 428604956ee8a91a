"""A compose service's requests and limits: ``deploy.resources`` reservations and limits,
else the legacy ``mem_limit``, ``mem_reservation`` and ``cpus``."""

from __future__ import annotations

from typing import Any

from advisor.domain.model import Resources
from advisor.formats.compose import values
from advisor.formats.compose.context import Context
from advisor.formats.fields import Fields


def resources(fields: Fields, context: Context) -> tuple[Resources, Resources]:
    """``deploy.resources`` reservations and limits, else the legacy ``mem_limit``/``cpus``."""
    found: dict[str, dict[str, Any]] = {"requests": {}, "limits": {}}
    deploy = fields.sub("deploy")
    if deploy is not None:
        for key in deploy.data:
            if key not in ("resources", "mode", "replicas", "restart_policy"):
                context.warn(f"{deploy.dotted(key)}: not supported, ignored")
        resources = deploy.sub("resources")
        if resources is not None:
            for key in resources.data:
                target = {"reservations": "requests", "limits": "limits"}.get(str(key))
                section = resources.sub(str(key)) if target else None
                if target is None or section is None:
                    context.warn(f"{resources.dotted(key)}: not supported, ignored")
                    continue
                for name in section.data:
                    if name in ("cpus", "memory"):
                        found[target][str(name)] = (section, name)
                    else:
                        context.warn(f"{section.dotted(name)}: not supported, ignored")
    for key, target, name in (
        ("mem_limit", "limits", "memory"),
        ("mem_reservation", "requests", "memory"),
        ("cpus", "limits", "cpus"),
    ):
        if key in fields.data and name not in found[target]:
            found[target][name] = (fields, key)
    requests, limits = _quantities(found["requests"]), _quantities(found["limits"])
    above = requests.above(limits)
    if above is not None:
        where, key = found["requests"]["cpus" if "cpu " in above else "memory"]
        where.fail(key, f"{above}: Kubernetes refuses a reservation above the limit")
    return requests, limits


def _quantities(entries: dict[str, Any]) -> Resources:
    result: dict[str, Any] = {}
    for name, (fields, key) in entries.items():
        quantity = values.limit_quantity(fields.data[key], cpus=name == "cpus")
        if isinstance(quantity, str):
            fields.fail(key, quantity)
        if quantity is None:  # zero: no limit (or reservation) to Docker
            continue
        result["cpu" if name == "cpus" else "memory"] = quantity
    return Resources(**result)
