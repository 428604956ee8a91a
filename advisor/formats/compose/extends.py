"""A compose service's ``extends``: the base service's keys, overridden by its own.

As compose-go's ``loader/extends.go``: chains are followed (a base may extend another, in
its file or in a file relative to it), the service's own keys merge over the base's by the
rules of two merged files (``merge.py``), and what compose refuses is refused: a base
that is not there, a file that is not there, and a loop.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from advisor.formats.compose.context import Context
from advisor.formats.compose.interpolation import Interpolator, error_at, interpolate_tree
from advisor.formats.compose.merge import copied, merge_service, tag_source
from advisor.formats.fields import Fields
from advisor.formats.files import NOTHING, what_is_there
from advisor.formats.yamlfile import load_yaml

_Key = tuple[str, str]  # (file, service)


def extended(fields: Fields, name: str, services: Fields, context: Context) -> Fields:
    """The service with ``extends`` applied: the base's keys, overridden by its own."""
    if fields.data.get("extends") is None:
        return fields
    data = _resolve(fields, services.data, context.folder, "", context, (("", name),))
    return Fields(fields.source, data, fields.path)


def _resolve(
    fields: Fields,
    services: Any,
    folder: Path,
    current: str,
    context: Context,
    chain: tuple[_Key, ...],
) -> Any:
    """``fields``' service (of the file ``current``, "" for the project's own, whose
    relative paths start at ``folder``) with its base, resolved first, under it."""
    extends = fields.data.get("extends")
    if extends is None:
        return fields.data
    if isinstance(extends, str):
        base_name, file_name = extends, None
    else:
        spec = Fields(fields.source, extends, fields.dotted("extends"), fields.data, "extends")
        base_name = spec.text("service", required=True) or ""
        file_name = spec.text("file")
    where = "this file"
    if file_name is not None:
        path = folder / file_name
        there = what_is_there(path)
        if there is not None:
            problem = "is not there; compose refuses it too"
            spec.fail(
                "file",
                f"{file_name} {problem if there == NOTHING else f'is {there}, not a compose file'}",
            )
        services, folder, where = _services_in(path, context), path.parent, file_name
        current = str(path.resolve())
    key = (current, base_name)
    if key in chain:
        loop = " -> ".join([*(name for _, name in chain), base_name])
        fields.fail("extends", f"extends loops ({loop}); compose refuses it too")
    base = services.get(base_name) if isinstance(services, dict) else None
    if not isinstance(base, dict):
        fields.fail("extends", f"no service {base_name!r} in {where}; compose refuses it too")
    if key not in context.bases:  # each base resolved once, however many extend it
        base_fields = Fields(fields.source, base, f"services.{base_name}")
        context.bases[key] = _resolve(
            base_fields, services, folder, current, context, (*chain, key)
        )
    resolved = context.bases[key]
    own = {k: v for k, v in fields.data.items() if k != "extends"}
    bare = {k: v for k, v in resolved.items() if k != "extends"}
    path_of = ("services", fields.path.rpartition(".")[2])
    return merge_service(_marked(bare, resolved), _marked(own, fields.data), path_of)


def _marked(entries: dict[Any, Any], like: Any) -> Any:
    """``entries`` as a mapping with the marks of ``like``, the mapping they came from."""
    made = copied(like)
    made.clear()
    made.update(entries)
    return made


def _services_in(path: Path, context: Context) -> Any:
    """The services of another compose file, read once per project."""
    key = str(path.resolve())
    if key not in context.other_files:
        data = load_yaml(path)
        tag_source(data, str(path))
        interpolate_tree(data, Interpolator(context.variables), error_at(str(path)))
        services = data.get("services") if isinstance(data, dict) else None
        context.other_files[key] = services if isinstance(services, dict) else {}
    return context.other_files[key]
