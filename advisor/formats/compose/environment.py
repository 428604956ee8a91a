"""A compose service's environment: its ``env_file`` values, then ``environment`` over them.

Values read from an env_file are kept apart from those the compose file spells out: they
are settings read whole from a ConfigMap and a Secret (``exporters.envsettings``).
"""

from __future__ import annotations

from collections import ChainMap
from pathlib import Path

from advisor.domain.names import ENV_NAME
from advisor.formats.compose.context import Context
from advisor.formats.compose.interpolation import read_env_file
from advisor.formats.fields import Fields, kind_of, scalar_text
from advisor.formats.files import NOTHING, what_is_there


def environment(
    fields: Fields, context: Context
) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """``env_file`` values, then ``environment`` over them (bare names come from the shell),
    and the names whose values still come from an env_file."""
    entries = _entries(fields)
    # As compose resolves an env_file: ${...} (and a bare name) from the project's
    # variables, then the service's environment, then the lines (and files) before.
    given = {key: value for key, value in entries if value is not None}
    lookup = ChainMap(context.variables, given)
    env: dict[str, str] = {}
    for path, raw in _env_files(fields, context):
        read_env_file(path, lookup, env, raw)
    from_files = set(env)
    for key, maybe in entries:
        if not ENV_NAME.match(key):
            context.warn(
                f"{fields.dotted('environment')}: {key!r} is not a variable name "
                "(a missing '='?), ignored"
            )
            continue
        value = maybe if maybe is not None else context.variables.get(key)
        from_files.discard(key)
        if value is None:
            env.pop(key, None)  # Compose leaves a bare name unset when the shell has none
        else:
            env[key] = value
    return tuple(env.items()), tuple(k for k in env if k in from_files)


def _entries(fields: Fields) -> list[tuple[str, str | None]]:
    """The service's ``environment`` as written: NAME and value (None: a bare name)."""
    raw = fields.data.get("environment")
    entries: list[tuple[str, str | None]] = []
    if isinstance(raw, dict):
        for key, value in raw.items():
            if isinstance(value, (dict, list)):
                Fields(fields.source, raw, fields.dotted("environment")).fail(
                    key, f"must be text, not {kind_of(value)}"
                )
            entries.append((str(key), None if value is None else scalar_text(value)))
    elif isinstance(raw, list):
        for index, item in enumerate(raw):
            if isinstance(item, (dict, list)) or item is None:
                fields.item_fail("environment", raw, index, f"must be NAME=value, not {item!r}")
            key, equals, value = str(item).partition("=")
            entries.append((key, value if equals else None))
    elif raw is not None:
        fields.fail("environment", f"must be a mapping or a list, not {kind_of(raw)}")
    return entries


def _env_files(fields: Fields, context: Context) -> list[tuple[Path, bool]]:
    """The env_files there are, each with whether it is read raw (``format: raw``: as
    ``docker run --env-file`` reads it, values as written)."""
    raw = fields.data.get("env_file")
    if raw is None:
        return []
    entries = raw if isinstance(raw, list) else [raw]
    paths: list[tuple[Path, bool]] = []
    for index, entry in enumerate(entries):
        required, form = True, None
        if isinstance(entry, dict):
            required = entry.get("required", True) is not False
            form = entry.get("format")
            if form not in (None, "raw"):
                fields.fail("env_file", f"item {index}: unsupported format {form!r} (raw or none)")
            entry = entry.get("path")
        if not isinstance(entry, str) or not entry:
            fields.fail("env_file", f"item {index} must be a path, not {kind_of(entry)}")
        path = context.folder / entry
        there = what_is_there(path)
        if there is None:
            paths.append((path, form == "raw"))
        elif there != NOTHING:
            fields.fail("env_file", f"{entry} is {there}, not a file of KEY=value lines")
        elif required:  # compose refuses to start without it
            problem = f"{entry} is not there; compose refuses it too (optional: required: false)"
            if isinstance(raw, list):
                fields.item_fail("env_file", raw, index, problem)
            fields.fail("env_file", problem)
    return paths
