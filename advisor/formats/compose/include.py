"""A compose file's top-level ``include:`` (the Compose Specification's ``14-include.md``).

Each entry (``- other.yaml``, or ``- path: [a.yaml, b.yaml]`` with ``project_directory``
and ``env_file``) is loaded as a project of its own: its paths relative to its own folder,
its variables from its own ``.env`` (or the ``env_file`` given), which the including
project's variables override. Its services, volumes, networks, secrets and configs are then
copied in; one already defined differently is refused, as compose refuses it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from advisor.domain.errors import InputError
from advisor.formats.compose.interpolation import (
    InterpolationError,
    Interpolator,
    error_at,
    interpolate_tree,
    read_env_file,
)
from advisor.formats.compose.merge import copied, merge_files, tag_source
from advisor.formats.fields import Fields, kind_of
from advisor.formats.files import NOTHING, what_is_there
from advisor.formats.yamlfile import mark_of, parse_yaml, read_text

RESOURCES = ("services", "volumes", "networks", "secrets", "configs")
Read = list[tuple[Path, str]]  # every file read, with its text


def apply_includes(
    data: Any, path: Path, main: Path, variables: dict[str, str], chain: tuple[Path, ...] = ()
) -> tuple[Any, Read]:
    """``data`` (the file ``path``) with what its ``include:`` brings in, and the files read
    for it; ``main`` is the project's folder, ``chain`` the files including this one."""
    raw = data.get("include")
    if raw is None:
        return data, []
    top = Fields(str(path), data, "")
    if not isinstance(raw, list):
        top.fail("include", f"must be a list of files, not {kind_of(raw)}")
    merged = copied(data)
    del merged["include"]
    read: Read = []
    for index, entry in enumerate(raw):
        where = f"include[{index}]"
        spec = Fields(str(path), {"path": entry} if isinstance(entry, str) else entry, where)
        files = _texts(spec, "path", variables, raw, index)
        if not files:
            top.item_fail("include", raw, index, "names no file")
        base = path.parent
        directory = spec.text("project_directory")
        folder = base / directory if directory else (base / files[0]).parent
        own = _variables(spec, base, folder, variables, raw, index)
        model: Any = None
        for name in files:
            file = (base / name).resolve()
            if file in (*chain, path.resolve()):
                cycle = " -> ".join(str(p) for p in (*chain, path.resolve(), file))
                top.item_fail("include", raw, index, f"include cycle: {cycle}")
            there = what_is_there(file)
            if there is not None:
                problem = "no such file" if there == NOTHING else f"is {there}, not a file"
                top.item_fail("include", raw, index, f"{name}: {problem}")
            text = read_text(file)
            loaded = parse_yaml(text, str(file)) or {}
            if not isinstance(loaded, dict):
                Fields(str(file), loaded, "")  # raises: the file must be a mapping
            tag_source(loaded, str(file))
            interpolate_tree(loaded, Interpolator(own), error_at(str(file)))
            _rebase(loaded, folder, main)
            _escape(loaded)
            read.append((file, text))
            loaded, deeper = apply_includes(loaded, file, main, variables, (*chain, path.resolve()))
            read += deeper
            model = loaded if model is None else merge_files(model, loaded)
        merged = _imported(merged, model, spec.source)
    return merged, read


def _texts(spec: Fields, key: str, variables: dict[str, str], items: Any, index: int) -> list[str]:
    """``path``/``env_file`` of an entry: one path or a list, with variables resolved."""
    raw = spec.data.get(key)
    values = raw if isinstance(raw, list) else [] if raw is None else [raw]
    texts = []
    for value in values:
        if not isinstance(value, str) or not value:
            spec.fail(key, f"must be a path or a list of paths, not {kind_of(value)}")
        try:
            texts.append(Interpolator(variables).substitute(value))
        except InterpolationError as error:
            line, column = mark_of(items, index) or (None, None)
            raise InputError(spec.source, f"{spec.path}.{key}: {error}", line, column) from None
    return texts


def _variables(
    spec: Fields, base: Path, folder: Path, variables: dict[str, str], items: Any, index: int
) -> dict[str, str]:
    """The included project's variables: its env files (or ``.env``), under the project's."""
    names = _texts(spec, "env_file", variables, items, index)
    paths = [base / name for name in names] if names else [folder / ".env"]
    own: dict[str, str] = {}
    for file in paths:
        there = what_is_there(file)
        if there is None:
            own.update(read_env_file(file))
        elif names and str(file) != "/dev/null":
            problem = "no such file" if there == NOTHING else f"is {there}, not a file"
            spec.fail("env_file", f"{file}: {problem}")
    return {**own, **variables}


def _rebase(data: dict[Any, Any], folder: Path, main: Path) -> None:
    """Relative paths of an included file, made relative to the project's folder."""

    def moved(value: Any) -> Any:
        if not isinstance(value, str) or not value or os.path.isabs(value):
            return value
        if value.startswith("~"):
            return value
        relative = os.path.relpath(folder / value, main)
        return relative if relative.startswith("..") else f"./{relative}"

    for section in ("secrets", "configs"):
        for entry in (data.get(section) or {}).values():
            if isinstance(entry, dict) and "file" in entry:
                entry["file"] = moved(entry["file"])
    for service in (data.get("services") or {}).values():
        if not isinstance(service, dict):
            continue
        build = service.get("build")
        if isinstance(build, str):
            service["build"] = moved(build)
        elif isinstance(build, dict) and "context" in build:
            build["context"] = moved(build["context"])
        extends = service.get("extends")
        if isinstance(extends, dict) and "file" in extends:
            extends["file"] = moved(extends["file"])
        env_file = service.get("env_file")
        if isinstance(env_file, str):
            service["env_file"] = moved(env_file)
        env_files: list[Any] = env_file if isinstance(env_file, list) else []
        for index, item in enumerate(env_files):
            if isinstance(item, dict) and "path" in item:
                item["path"] = moved(item["path"])
            else:
                env_files[index] = moved(item)
        listed = service.get("volumes")
        volumes: list[Any] = listed if isinstance(listed, list) else []
        for index, item in enumerate(volumes):
            if isinstance(item, dict) and item.get("type") == "bind":
                item["source"] = moved(item.get("source"))
            elif isinstance(item, str) and item.startswith(".") and ":" in item:
                source, rest = item.split(":", 1)
                volumes[index] = f"{moved(source)}:{rest}"


def _escape(data: Any) -> None:
    """Every ``$`` written ``$$``: the included file is interpolated already, and the
    project's own pass over the merged model must give the same text back."""
    stack, seen = [data], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        entries = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in list(entries):
            if isinstance(value, str) and "$" in value:
                node[key] = value.replace("$", "$$")
            elif isinstance(value, (dict, list)):
                stack.append(value)


def _imported(data: Any, other: Any, source: str) -> Any:
    """``data`` with the resources of an included model copied in."""
    if not isinstance(other, dict):
        return data
    merged = copied(data)
    for section in RESOURCES:
        theirs = other.get(section)
        if not isinstance(theirs, dict):
            continue
        ours = merged.get(section)
        if not isinstance(ours, dict):
            merged[section] = theirs
            continue
        combined = copied(ours)
        for name, value in theirs.items():
            if name not in combined:
                combined[name] = value
                combined.marks[name] = mark_of(theirs, name) or combined.mark
            elif combined[name] != value:
                line, column = mark_of(ours, name) or (None, None)
                where = mark_of(ours, name)
                raise InputError(
                    getattr(where, "source", source),
                    f"{section}.{name}: an included file defines it too, differently "
                    "(compose refuses it too)",
                    line,
                    column,
                )
        merged[section] = combined
    return merged
