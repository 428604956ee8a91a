"""Bind mounts of a service's own source code, which the image already carries.

``docker compose`` users bind the build context over the code the image was built from
(``.:/app``, ``./src:/app/src``) so that edits show up without a rebuild. In a cluster the
image is what runs: a claim in that place would start empty and hide the code the image
ships, so such a mount is left out, with the anonymous volumes under it that only kept a
folder of the image (``/app/node_modules``) from being hidden by the bind.

A writable directory is the service's code when it is the build context or a folder above
it, or a folder inside the context that holds source files (``*.py``, ``package.json``...);
a folder inside the context with none (``./uploads``, ``./data``) holds data and stays a
claim.
"""

from __future__ import annotations

import itertools
import os
import posixpath
from pathlib import Path
from typing import Any

from advisor.domain.model import VolumeMount

# Files that say a folder holds a program's source, by suffix or by name.
_CODE_SUFFIXES = frozenset(
    {
        ".py", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".vue", ".svelte", ".go",
        ".rb", ".php", ".java", ".kt", ".scala", ".groovy", ".rs", ".c", ".cc", ".cpp",
        ".h", ".cs", ".fs", ".ex", ".exs", ".erl", ".clj", ".pl", ".lua", ".dart",
        ".swift", ".r", ".jl", ".hs", ".ml",
    }
)  # fmt: skip
_CODE_FILES = frozenset(
    {
        "package.json", "requirements.txt", "pyproject.toml", "setup.py", "go.mod",
        "gemfile", "composer.json", "pom.xml", "build.gradle", "cargo.toml", "mix.exs",
        "dockerfile", "makefile", "manage.py",
    }
)  # fmt: skip
_LOOK_AT = 2000  # entries looked at in one folder and its subfolders: enough to tell


def build_context(build: Any, folder: Path) -> Path | None:
    """The local folder a service's ``build:`` builds from, or None (no build, or a Git
    repository or URL as context)."""
    context = build if isinstance(build, str) else None
    if isinstance(build, dict):
        raw = build.get("context", ".")
        context = raw if isinstance(raw, str) else None
    if not context or "://" in context or context.startswith("git@"):
        return None
    return _absolute(folder / Path(context).expanduser())


def is_code_mount(source: Path, context: Path | None) -> bool:
    """Whether a writable bind of ``source`` lays the service's own code over the image's."""
    if context is None:
        return False
    source = _absolute(source)
    if source == context or source in context.parents:
        return True
    return context in source.parents and _holds_code(source)


def masks_under(
    targets: list[str], mounts: list[VolumeMount], anonymous: set[str]
) -> tuple[list[VolumeMount], list[VolumeMount]]:
    """The mounts kept, and the anonymous ones below a left-out code mount's target."""
    roots = [t.rstrip("/") or "/" for t in targets]
    kept: list[VolumeMount] = []
    masks: list[VolumeMount] = []
    for mount in mounts:
        path = posixpath.normpath(mount.mount_path)
        under = any(path == r or path.startswith(f"{r.rstrip('/')}/") for r in roots)
        (masks if under and mount.name in anonymous else kept).append(mount)
    return kept, masks


def _holds_code(folder: Path) -> bool:
    """Whether ``folder`` or a folder in it holds a source file (a bounded look)."""
    if not folder.is_dir():
        return False
    names = (name for _, _, files in os.walk(folder) for name in files)
    return any(
        posixpath.splitext(name)[1].lower() in _CODE_SUFFIXES or name.lower() in _CODE_FILES
        for name in itertools.islice(names, _LOOK_AT)
    )


def _absolute(path: Path) -> Path:
    """``path`` made absolute with ``..`` resolved, without following links."""
    return Path(os.path.normpath(path.absolute()))
