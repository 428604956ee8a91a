"""Compose ``secrets:`` and ``configs:`` as Secrets and ConfigMaps mounted where compose
mounts them.

A secret is the file at ``/run/secrets/NAME`` (or its ``target``), a config the file at
``/NAME`` (or its ``target``), read-only. The object is filled from the ``file`` beside the
compose file, an ``environment`` variable or inline ``content``; when none of those can be
read it is written with an empty value and a note says how to fill it. An ``external`` one
must already exist in the cluster: it is referenced by name and never written.
"""

from __future__ import annotations

from pathlib import Path

from advisor.domain.model import FileKind, FileMount, FileSet
from advisor.formats.compose.bindfiles import file_kind
from advisor.formats.compose.context import Context
from advisor.formats.compose.filemodes import file_mode, owner_note
from advisor.formats.compose.filesets import FileSets, data_key, read_file
from advisor.formats.fields import Fields, kind_of

_SECTIONS = {"secrets": FileKind.SECRET, "configs": FileKind.CONFIG_MAP}


class ProjectSecrets:
    """The top-level ``secrets:`` and ``configs:`` of a file, made into objects as services
    mount them (one never mounted is not written)."""

    def __init__(self, top: Fields, context: Context, sets: FileSets) -> None:
        self._context = context
        self._sets = sets
        self._defined: dict[str, Fields] = {}
        for section in _SECTIONS:
            found = top.sub(section) if isinstance(top.data.get(section), dict) else None
            if found is not None:
                self._defined[section] = found

    def mounts(self, fields: Fields) -> list[FileMount]:
        """The secrets and configs one service lists, as read-only file mounts."""
        mounts: list[FileMount] = []
        for section, kind in _SECTIONS.items():
            for index, item, items in fields.items(section):
                mode: int | None = None
                if isinstance(item, str):
                    source, target = item, None
                elif isinstance(item, dict) and isinstance(item.get("source"), str):
                    source = item["source"]
                    raw = item.get("target")
                    target = str(raw) if raw is not None else None
                    entry = Fields(fields.source, item, f"{fields.dotted(section)}[{index}]")
                    mode = file_mode(entry)
                    owner_note(entry, self._context)
                else:
                    fields.item_fail(
                        section, items, index, f"must be a name or {{source: ...}}, not {item!r}"
                    )
                made = self._object(section, kind, source, fields)
                if made is not None:
                    path = _mount_path(section, source, target)
                    mounts.append(
                        FileMount(made.kind, made.name, path, data_key(source), mode=mode)
                    )
        return mounts

    def _object(self, section: str, kind: FileKind, name: str, fields: Fields) -> FileSet | None:
        origin = f"{section}:{name}"
        known = self._sets.known(kind, origin) or self._sets.known(FileKind.SECRET, origin)
        if known is not None:
            return known
        defined = self._defined.get(section)
        if defined is None or name not in defined.data:
            self._context.warn(
                f"{fields.dotted(section)}: {name!r} is not defined under the top-level "
                f"'{section}:', ignored"
            )
            return None
        raw = defined.data[name]
        entry = Fields(defined.source, raw if isinstance(raw, dict) else {}, defined.dotted(name))
        return self._make(section, kind, name, entry)

    def _make(self, section: str, kind: FileKind, name: str, entry: Fields) -> FileSet:
        origin = f"{section}:{name}"
        key = data_key(name)
        external = entry.data.get("external")
        if external is True or isinstance(external, dict):
            real = entry.text("name") or (
                str(external.get("name")) if isinstance(external, dict) else None
            )
            made = self._sets.add(kind, origin, real or name, external=True)
            self._context.warn(
                f"{entry.path}: external: the {kind.value} {made.name!r} must exist in the "
                f"namespace, with the key {key!r}, before the pods start"
            )
            return made
        content, problem = _content(entry, self._context)
        if content is None:
            made = self._sets.add(kind, origin, name, ((key, b""),))
            self._context.warn(f"{entry.path}: {problem}; {_fill_hint(made, key, entry)}")
            return made
        file_name = Path(entry.text("file") or name).name
        if kind is FileKind.CONFIG_MAP and file_kind(file_name, content) is FileKind.SECRET:
            kind = FileKind.SECRET
            self._context.warn(
                f"{entry.path}: holds key material: it goes to a Secret, never a ConfigMap"
            )
        return self._sets.add(kind, origin, name, ((key, content),))


def _mount_path(section: str, source: str, target: str | None) -> str:
    """Where compose puts the file: ``/run/secrets/NAME`` or ``/NAME``, or the target."""
    if target and target.startswith("/"):
        return target
    folder = "/run/secrets/" if section == "secrets" else "/"
    return f"{folder}{target or source}"


def _content(entry: Fields, context: Context) -> tuple[bytes | None, str]:
    """The bytes that fill the object, or None and why there are none."""
    file_name = entry.text("file")
    if file_name is not None:
        path = Path(file_name).expanduser()
        path = path if path.is_absolute() else context.folder / path
        if not path.is_file():
            return None, f"{file_name} is not beside the compose file"
        read = read_file(path)
        return (read, "") if isinstance(read, bytes) else (None, read)
    variable = entry.text("environment")
    if variable is not None:
        value = context.variables.get(variable)
        if value is None:
            return None, f"the variable {variable} is not set"
        return value.encode(), ""
    content = entry.data.get("content")
    if content is not None:
        if isinstance(content, (dict, list)):
            entry.fail("content", f"must be text, not {kind_of(content)}")
        return str(content).encode(), ""
    return None, "it names no file, environment variable or content"


def _fill_hint(made: FileSet, key: str, entry: Fields) -> str:
    """How to fill a placeholder object by hand."""
    what = "secret generic" if made.kind is FileKind.SECRET else "configmap"
    source = entry.text("file") or "FILE"
    return (
        f"the {made.kind.value} {made.name!r} is written with an empty {key!r}: fill it "
        f"(kubectl create {what} {made.name} --from-file={key}={source} "
        "--dry-run=client -o yaml | kubectl apply -f -)"
    )
