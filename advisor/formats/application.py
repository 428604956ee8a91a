"""Any application file the tool reads: a docker-compose file, Kubernetes manifests or
its own inventory.

The YAML is read once and the format picked from its top-level keys: documents that are all
Kubernetes objects (``apiVersion`` and ``kind``) are manifests, and so is a folder; ``services:``
(or the legacy v1 layout of services at the top) means Compose; anything else is an
inventory, whose loader explains what is missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from advisor.domain.errors import InputError
from advisor.domain.model import Inventory
from advisor.formats.compose.detect import is_compose
from advisor.formats.inventory import inventory_from_data
from advisor.formats.kubernetes.detect import is_kubernetes
from advisor.formats.yamlfile import parse_yaml, parse_yaml_documents, read_text


def load_application(
    path: Path, profiles: Sequence[str] = (), files: Sequence[Path] = ()
) -> Inventory:
    """Read ``path`` as a compose file (with the services of ``profiles``) or an inventory,
    whichever it is; ``files`` are compose files named with ``-f`` (``path`` is the first)."""
    if path.is_dir():
        return _load_folder(path)
    text = read_text(path)
    documents = _documents(text, str(path))
    if is_kubernetes(documents):
        from advisor.formats.kubernetes.reader import kubernetes_from_documents

        return kubernetes_from_documents([(str(path), documents)], str(path), path.stem)
    if len(documents) > 1:
        parse_yaml(text, str(path))  # raises: the file must hold one document
    data = documents[0] if documents else None
    if is_compose(data):
        from advisor.formats.compose.project import load_project  # an inventory never needs it

        return load_project(path, data, text, profiles, files)
    if len(files) > 1:
        raise InputError(str(path), "-f merges compose files; this is not one (no 'services:')")
    return inventory_from_data(data, str(path), default_name=path.stem)


def _documents(text: str, source: str) -> list[Any]:
    """The file's YAML documents: one, as every format but manifests holds, or several."""
    try:
        data = parse_yaml(text, source)
    except InputError as error:
        if "a second document starts here" not in error.detail:
            raise
        return parse_yaml_documents(text, source)
    return [] if data is None else [data]


def _load_folder(path: Path) -> Inventory:
    """A folder of Kubernetes manifests, every YAML file in it read in name order."""
    from advisor.formats.kubernetes.reader import kubernetes_from_documents, manifest_files

    files = []
    for file in manifest_files(path):
        documents = _documents(read_text(file), str(file))
        if not is_kubernetes(documents):
            raise InputError(str(file), "not a Kubernetes manifest (no apiVersion and kind)")
        files.append((str(file), documents))
    if not files:
        raise InputError(str(path), "a folder without Kubernetes manifests (*.yaml, *.yml, *.json)")
    return kubernetes_from_documents(files, str(path), path.resolve().name)
