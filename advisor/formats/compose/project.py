"""The files ``docker compose`` reads for a project, merged into one model.

As the compose CLI finds them (compose-go's ``cli/options.go``): files named with ``-f``,
in order; else ``COMPOSE_FILE`` (from the environment, then the ``.env`` beside the file),
a list split on ``COMPOSE_PATH_SEPARATOR`` or the system's path separator; else the file
named and, when it has one of compose's own names, the first ``compose.override.yml``,
``compose.override.yaml``, ``docker-compose.override.yml`` or
``docker-compose.override.yaml`` beside it. Each file's ``include:`` is applied (see
``include.py``), then the files are merged in order (``13-merge.md``, see ``merge.py``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor.domain.errors import InputError
from advisor.domain.model import Inventory
from advisor.formats.compose.include import apply_includes
from advisor.formats.compose.interpolation import project_variables
from advisor.formats.compose.merge import merge_files, tag_source
from advisor.formats.compose.reader import compose_from_data
from advisor.formats.yamlfile import parse_yaml, read_text

DEFAULT_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
OVERRIDE_NAMES = (
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
)


@dataclass
class ProjectFiles:
    """The merged model of a project's files, every file read (in order) and its lines."""

    data: Any
    files: list[Path] = field(default_factory=list)
    lines: dict[str, list[str]] = field(default_factory=dict)


def compose_paths(named: Path, explicit: Sequence[Path] = ()) -> list[Path]:
    """The files compose reads: those given with ``-f`` (``explicit``); or, for a file
    with one of compose's own names, ``COMPOSE_FILE`` or that file and its override."""
    if explicit:
        return list(explicit)
    if named.name not in DEFAULT_NAMES:
        return [named]  # a file of its own name is read as compose -f reads it: alone
    folder = named.parent
    variables, _ = project_variables(folder)
    listed = variables.get("COMPOSE_FILE")
    if listed:
        separator = variables.get("COMPOSE_PATH_SEPARATOR") or os.pathsep
        return [folder / part for part in listed.split(separator) if part]
    overrides = [folder / name for name in OVERRIDE_NAMES if (folder / name).is_file()]
    return [named, *overrides[:1]]


def read_project(paths: Sequence[Path], first: Any, first_text: str) -> ProjectFiles:
    """Read ``paths`` (the first already parsed: ``first``), apply their ``include:`` and
    merge them in order."""
    project = ProjectFiles(None)
    main = paths[0].resolve().parent
    variables, _ = project_variables(paths[0].parent)
    for index, path in enumerate(paths):
        if index == 0:
            data, text = first, first_text
        else:
            text = read_text(path)
            data = parse_yaml(text, str(path))
        if data is None:
            data = {}
        if not isinstance(data, dict):  # an overlay may hold only secrets, say: no services
            raise InputError(str(path), "not a compose file (a mapping of services and the rest)")
        tag_source(data, str(path))
        project.files.append(path)
        project.lines[str(path)] = text.splitlines()
        data, included = apply_includes(data, path, main, variables)
        for other, other_text in included:
            project.files.append(other)
            project.lines[str(other)] = other_text.splitlines()
        project.data = data if project.data is None else merge_files(project.data, data)
    return project


def load_project(
    path: Path, data: Any, text: str, profiles: Sequence[str] = (), explicit: Sequence[Path] = ()
) -> Inventory:
    """The project of the file ``path`` (parsed: ``data``), or of the ``-f`` files."""
    paths = compose_paths(path, explicit)
    if paths == [path] and not (isinstance(data, dict) and "include" in data):
        return compose_from_data(data, path, text, profiles)
    if paths[0] != path:
        text = read_text(paths[0])
        data = parse_yaml(text, str(paths[0]))
    project = read_project(paths, data, text)
    return compose_from_data(project.data, paths[0], "", profiles, project.files, project.lines)
