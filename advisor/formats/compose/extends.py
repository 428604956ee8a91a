"""A compose service's ``extends``: the base service's keys, overridden by its own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from advisor.formats.compose.context import Context
from advisor.formats.compose.interpolation import Interpolator, error_at, interpolate_tree
from advisor.formats.fields import Fields
from advisor.formats.files import NOTHING, what_is_there
from advisor.formats.yamlfile import MarkedDict, load_yaml, mark_of


def extended(fields: Fields, name: str, services: Fields, context: Context) -> Fields:
    """The service with ``extends`` applied: the base's keys, overridden by its own."""
    extends = fields.data.get("extends")
    if extends is None:
        return fields
    if isinstance(extends, str):
        base_name, file_name = extends, None
    else:
        spec = Fields(fields.source, extends, fields.dotted("extends"), fields.data, "extends")
        base_name = spec.text("service", required=True) or ""
        file_name = spec.text("file")
        there = what_is_there(context.folder / file_name) if file_name else None
        if there is not None and there != NOTHING:
            spec.fail("file", f"{file_name} is {there}, not a compose file")
    if file_name is None:
        base = services.data.get(base_name)
        where = "this file"
    else:
        base, where = _service_in_file(context.folder / file_name, base_name, context), file_name
    if not isinstance(base, dict):
        context.warn(f"services.{name}.extends: no service {base_name!r} found in {where}, ignored")
        return fields
    if isinstance(base.get("extends"), (str, dict)):
        context.warn(f"services.{name}.extends: chained extends are not followed")
    merged = MarkedDict()
    merged.mark = getattr(fields.data, "mark", (1, 1))
    merged.marks = {}
    for key, value in base.items():
        if key == "extends":
            continue
        merged[key] = value
        merged.marks[key] = merged.mark
    for key, value in fields.data.items():
        if key == "extends":
            continue
        old = merged.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            value = {**old, **value}
        elif isinstance(old, list) and isinstance(value, list):
            value = [*old, *value]
        merged[key] = value
        merged.marks[key] = mark_of(fields.data, key) or merged.mark
    return Fields(fields.source, merged, fields.path)


def _service_in_file(path: Path, name: str, context: Context) -> Any:
    if what_is_there(path) is not None:  # nothing there (anything else is refused above)
        return None
    data = load_yaml(path)
    interpolate_tree(data, Interpolator(context.variables), error_at(str(path)))
    services = data.get("services") if isinstance(data, dict) else None
    return services.get(name) if isinstance(services, dict) else None
