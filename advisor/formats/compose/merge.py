"""Two compose files merged as ``docker compose -f a -f b`` merges them.

The rules are the Compose Specification's "Merge and override" (``13-merge.md``): a mapping
merges key by key, a sequence appends, ``command``, ``entrypoint`` and ``healthcheck.test``
are replaced, and the "unique resources" (``ports``, ``volumes``, ``secrets``, ``configs``)
merge the entries that share a key. The finer rules are those of the reference loader,
compose-go's ``override/merge.go`` and ``override/uncity.go``: ``environment`` and ``labels``
merge by variable (map or ``KEY=value`` list alike), ``depends_on`` and ``networks`` lists
become mappings, ``build: DIR`` is ``build: {context: DIR}``, and the other keyed lists
(``expose``, ``env_file``, ``dns``, ``cap_add``, ...) keep one entry per key, the later one.

Every merged value keeps the mark it was read with, and a mark of a file merged in names that
file (``FileMark``), so an error about a value still points into the file that wrote it. Each
level is copied once before it changes (YAML anchors share values between services), so the
work stays linear in the size of the two files.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from advisor.domain.errors import InputError
from advisor.formats.fields import kind_of
from advisor.formats.yamlbuild import Mark, MarkedDict, MarkedList, Tagged
from advisor.formats.yamlfile import mark_of


class FileMark(tuple[int, int]):
    """A line and column that also name the file they are in."""

    source: str

    def __new__(cls, mark: Mark, source: str) -> FileMark:
        made = super().__new__(cls, mark)
        made.source = source
        return made


def tag_source(data: Any, source: str) -> None:
    """Make every mark in ``data`` (a file just read) name ``source``."""
    stack, seen = [data], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, MarkedDict):
            node.mark = FileMark(node.mark, source)
            node.marks = {k: FileMark(m, source) for k, m in node.marks.items()}
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, MarkedList):
            node.mark = FileMark(node.mark, source)
            node.marks = [FileMark(m, source) for m in node.marks]
            stack.extend(v for v in node if isinstance(v, (dict, list)))


def untagged(data: Any) -> None:
    """``data`` without ``!reset`` values (gone, as the files before had nothing to reset)
    and with the values under ``!override`` in place, as one file alone reads."""
    stack, seen = [data], set()
    while stack:
        node = stack.pop()
        if id(node) in seen or not isinstance(node, (dict, list)):
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            for key, value in list(node.items()):
                if isinstance(value, Tagged) and value.tag == "!reset":
                    del node[key]
                elif isinstance(value, Tagged):
                    node[key] = value.value
            stack.extend(node.values())
        else:
            node[:] = [v.value if isinstance(v, Tagged) else v for v in node]
            stack.extend(node)


def merge_files(base: Any, other: Any) -> Any:
    """The top-level mappings of two compose files merged; ``other`` wins."""
    return _merge(base, other, ())


def merge_service(base: Any, own: Any, path: tuple[str, ...]) -> Any:
    """A service (``extends``' base) overridden by ``own``, by the same rules."""
    return _merge(base, own, path)


def _merge(base: Any, other: Any, path: tuple[str, ...]) -> Any:
    rule = _RULES.get(_pattern(path))
    if rule is not None:
        return rule(base, other, path)
    if other is None:
        return base
    if isinstance(base, dict):
        if not isinstance(other, dict):
            _cannot(other, path, "a mapping")
        return _mappings(base, other, path)
    if isinstance(base, list):
        if not isinstance(other, list):
            _cannot(other, path, "a list")
        return _joined(base, other)
    return other


def _pattern(path: tuple[str, ...]) -> str:
    """``services.web.ports`` as the rule tables spell it: ``services.*.ports``."""
    if len(path) == 4 and path[0] == "services" and path[2] == "ulimits":
        return "services.*.ulimits.*"
    if len(path) >= 2 and path[0] in ("services", "volumes", "networks"):
        return ".".join((path[0], "*", *path[2:]))
    return ".".join(path)


class _Mismatch(Exception):
    """A value of one kind over a value of another (a list over a mapping)."""


def _cannot(other: Any, path: tuple[str, ...], wanted: str) -> None:
    raise _Mismatch(f"{'.'.join(path)}: {kind_of(other)} cannot override {wanted}")


def copied(data: MarkedDict | dict[Any, Any]) -> MarkedDict:
    """A shallow copy of a mapping that keeps its marks."""
    made = MarkedDict(data)
    made.mark = getattr(data, "mark", (1, 1))
    made.marks = dict(getattr(data, "marks", {}))
    return made


def _mappings(base: dict[Any, Any], other: dict[Any, Any], path: tuple[str, ...]) -> MarkedDict:
    merged = copied(base)
    for key, value in other.items():
        mark = mark_of(other, key)
        if isinstance(value, Tagged):  # !reset drops the key, !override replaces its value
            if value.tag == "!reset":
                merged.pop(key, None)
                merged.marks.pop(key, None)
                continue
            merged[key] = value.value
            if mark is not None:
                merged.marks[key] = mark
            continue
        try:
            merged[key] = _merge(merged[key], value, (*path, str(key))) if key in merged else value
        except _Mismatch as error:
            line, column = mark if mark else (None, None)
            source = getattr(mark, "source", "compose file")
            raise InputError(source, f"{error} (compose refuses it too)", line, column) from None
        if mark is not None:
            merged.marks[key] = mark
    return merged


def _joined(base: list[Any], other: list[Any]) -> MarkedList:
    made = MarkedList([*base, *other])
    made.mark = getattr(base, "mark", getattr(other, "mark", (1, 1)))
    made.marks = [mark_of(base, i) or made.mark for i in range(len(base))]
    made.marks += [mark_of(other, i) or made.mark for i in range(len(other))]
    return made


def _override(base: Any, other: Any, path: tuple[str, ...]) -> Any:
    return other


def _as_mapping(value: Any, default: Any) -> Any:
    """``depends_on``/``networks`` as a list: the mapping it stands for."""
    if not isinstance(value, list):
        return value
    made = MarkedDict()
    made.mark = getattr(value, "mark", (1, 1))
    made.marks = {}
    for index, name in enumerate(value):
        made[name] = dict(default) if default is not None else None
        made.marks[name] = mark_of(value, index) or made.mark
    return made


def _depends(base: Any, other: Any, path: tuple[str, ...]) -> Any:
    started = {"condition": "service_started", "required": True}
    return _mappings(_as_mapping(base, started), _as_mapping(other, started), path)


def _networks(base: Any, other: Any, path: tuple[str, ...]) -> Any:
    if base is None or other is None:
        return other if base is None else base
    return _mappings(_as_mapping(base, None), _as_mapping(other, None), path)


def _build(base: Any, other: Any, path: tuple[str, ...]) -> Any:
    def as_build(value: Any) -> Any:
        return {"context": value} if isinstance(value, str) else value

    if other is None:
        return base
    return _mappings(as_build(base), as_build(other), path)


def _logging(base: Any, other: Any, path: tuple[str, ...]) -> Any:
    """The options merge only when both name the same driver (or one names none)."""
    if isinstance(base, dict) and isinstance(other, dict):
        drivers = base.get("driver"), other.get("driver")
        if None in drivers or drivers[0] == drivers[1]:
            return _mappings(base, other, path)
    return other if other is not None else base


def _as_sequence(value: Any) -> MarkedList:
    """An ``environment``-like mapping as its ``KEY=value`` list (a bare key: ``KEY``)."""
    if isinstance(value, list):
        return value if isinstance(value, MarkedList) else _joined(value, [])
    made = MarkedList()
    made.mark = getattr(value, "mark", (1, 1))
    made.marks = []
    if isinstance(value, dict):
        for key, item in value.items():
            made.append(str(key) if item is None else f"{key}={_text(item)}")
            made.marks.append(mark_of(value, key) or made.mark)
    elif value is not None:
        made.append(value)
        made.marks.append(made.mark)
    return made


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _by_variable(base: Any, other: Any, path: tuple[str, ...]) -> Any:
    """``environment``/``labels``: one entry per name, the later value, in either form."""
    if other is None:
        return base
    if isinstance(base, dict) and isinstance(other, dict):
        return _mappings(base, other, path)
    return _unique(_as_sequence(base), _as_sequence(other), _before_equals)


def _keyed(index: Callable[[Any], str]) -> Callable[[Any, Any, tuple[str, ...]], Any]:
    """A rule for a list whose entries are unique by ``index``: a later entry with a key
    already there replaces it in place, a new one is appended."""

    def rule(base: Any, other: Any, path: tuple[str, ...]) -> Any:
        if other is None or base is None:
            return base if other is None else other
        if not isinstance(other, list):
            _cannot(other, path, "a list")
        if not isinstance(base, list):
            return other
        return _unique(base, other, index)

    return rule


def _unique(base: list[Any], other: list[Any], index: Callable[[Any], str]) -> MarkedList:
    merged = _joined(base, [])
    where = {index(item): position for position, item in enumerate(merged)}
    for position, item in enumerate(other):
        key = index(item)
        mark = mark_of(other, position) or merged.mark
        if key in where:
            merged[where[key]] = item
            merged.marks[where[key]] = mark
        else:
            where[key] = len(merged)
            merged.append(item)
            merged.marks.append(mark)
    return merged


def _before_equals(item: Any) -> str:
    return _text(item).partition("=")[0]


def _whole(item: Any) -> str:
    return repr(item) if isinstance(item, (dict, list)) else _text(item)


def _volume_target(item: Any) -> str:
    if isinstance(item, dict):
        return _text(item.get("target"))
    parts = _text(item).split(":")
    return parts[1] if len(parts) > 1 else parts[0]


def _port_key(item: Any) -> str:
    if isinstance(item, dict):
        published, target = item.get("published"), item.get("target")
        protocol = item.get("protocol") or "tcp"
        return f"{item.get('host_ip') or '0.0.0.0'}:{published}:{target}/{protocol}"
    return _text(item)


def _mount_key(folder: str) -> Callable[[Any], str]:
    def key(item: Any) -> str:
        if isinstance(item, dict):
            target = item.get("target")
            return _text(target) if target else f"{folder}/{item.get('source')}"
        return f"{folder}/{item}"

    return key


def _env_file_key(item: Any) -> str:
    return _text(item.get("path")) if isinstance(item, dict) else _text(item)


_RULES: dict[str, Callable[[Any, Any, tuple[str, ...]], Any]] = {
    "services.*.command": _override,
    "services.*.entrypoint": _override,
    "services.*.healthcheck.test": _override,
    "services.*.ulimits.*": _override,
    "services.*.depends_on": _depends,
    "services.*.networks": _networks,
    "services.*.build": _build,
    "services.*.logging": _logging,
    "services.*.ports": _keyed(_port_key),
    "services.*.volumes": _keyed(_volume_target),
    "services.*.secrets": _keyed(_mount_key("/run/secrets")),
    "services.*.configs": _keyed(_mount_key("")),
    "services.*.env_file": _keyed(_env_file_key),
    "services.*.expose": _keyed(_whole),
    "services.*.devices": _keyed(_volume_target),
    "services.*.extra_hosts": _keyed(_whole),
    **{
        f"services.*.{key}": _keyed(_before_equals)
        for key in ("cap_add", "cap_drop", "dns", "dns_opt", "dns_search", "links")
    },
    **{f"services.*.{key}": _keyed(_before_equals) for key in ("profiles", "tmpfs")},
    **{
        pattern: _by_variable
        for pattern in (
            "services.*.environment",
            "services.*.labels",
            "services.*.annotations",
            "services.*.sysctls",
            "services.*.deploy.labels",
            "services.*.build.args",
            "services.*.build.labels",
            "networks.*.labels",
            "volumes.*.labels",
        )
    },
}
