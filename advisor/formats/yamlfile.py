"""Read a YAML file safely and remember where every key and list item stands in it.

Errors about the *meaning* of a file (a port out of range, an unknown container) can then
name the line and column, as errors about its syntax do.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any, NoReturn

import yaml
from yaml.composer import Composer, ComposerError

from advisor.domain.errors import InputError
from advisor.formats.files import file_kind
from advisor.formats.gcpause import collection_paused
from advisor.formats.yamlbuild import DuplicateKey, Mark, MarkedConstructor, MarkedDict, MarkedList

__all__ = [
    "Mark",
    "MarkedDict",
    "MarkedList",
    "load_yaml",
    "mark_of",
    "parse_yaml",
    "parse_yaml_documents",
    "read_text",
]

# Large enough for an answers file of 125,000 pairs; small enough that a stray 50 MB
# file is refused before it is read.
MAX_FILE_BYTES = 32 * 2**20
_TOO_BIG = f"files over {MAX_FILE_BYTES // 2**20} MiB are refused"
# No inventory, compose or answers file nests a tenth as deep; a deeper document is refused
# before the recursive constructor could run out of stack.
MAX_DEPTH = 64
# Values that aliases (*name) may copy in all: generous for compose anchors and merge keys,
# far below an alias bomb (a few lines that expand to billions of values).
MAX_ALIAS_VALUES = 100_000

try:  # libyaml's parser is several times faster; the pure-Python one behaves the same
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader


class _Loader(MarkedConstructor, _BaseLoader):  # type: ignore[valid-type,misc]
    """The safe loader, building ``MarkedDict``/``MarkedList`` and refusing duplicate keys.

    It parses with libyaml but composes in Python: libyaml's composer is recursive C code that
    crashes the interpreter on a document nested a hundred thousand levels deep, and only a
    composer of our own can count depth and alias expansion before anything is built.
    """

    get_single_node = Composer.get_single_node
    compose_document = Composer.compose_document
    compose_scalar_node = Composer.compose_scalar_node
    compose_sequence_node = Composer.compose_sequence_node
    compose_mapping_node = Composer.compose_mapping_node

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.anchors: dict[str, yaml.Node] = {}
        self._depth = 0
        self._open_anchors: set[str] = set()
        self._alias_values = 0
        self._sizes: dict[int, int] = {}

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self._count_alias(event)
            return Composer.compose_node(self, parent, index)
        anchor = getattr(event, "anchor", None)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            _refuse(f"nested more than {MAX_DEPTH} levels deep", event)
        if anchor is not None:
            self._open_anchors.add(anchor)
        try:
            return Composer.compose_node(self, parent, index)
        finally:
            self._depth -= 1
            self._open_anchors.discard(anchor)

    def _count_alias(self, event: yaml.AliasEvent) -> None:
        """Refuse an alias to a value that contains it, and aliases that copy too much."""
        anchor = event.anchor or ""
        if anchor in self._open_anchors:
            _refuse(f"the alias *{anchor} refers to a value that contains it", event)
        node = self.anchors.get(anchor)
        if node is None:
            return  # the composer reports the undefined alias
        self._alias_values += _size(node, self._sizes)
        if self._alias_values > MAX_ALIAS_VALUES:
            _refuse(
                f"the alias *{anchor} expands the document past {MAX_ALIAS_VALUES} "
                "values; refused as an alias bomb",
                event,
            )


def _refuse(problem: str, event: yaml.Event) -> NoReturn:
    """Stop composing with ``problem`` at ``event``'s place (reported like a syntax error)."""
    raise ComposerError(None, None, problem, event.start_mark)  # type: ignore[arg-type]


def _size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """How many values ``node`` stands for once its aliases are copied out (memoized)."""
    if id(node) in sizes:
        return sizes[id(node)]
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    while stack:
        current, children_done = stack.pop()
        if id(current) in sizes:
            continue
        children: list[yaml.Node] = []
        if isinstance(current, yaml.SequenceNode):
            children = list(current.value)
        elif isinstance(current, yaml.MappingNode):
            children = [part for entry in current.value for part in entry]
        if children_done:
            sizes[id(current)] = 1 + sum(sizes[id(child)] for child in children)
            continue
        stack.append((current, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
    return sizes[id(node)]


class _TrustedShapeLoader(MarkedConstructor, _BaseLoader):  # type: ignore[valid-type,misc]
    """The same constructors, composing in libyaml's C code: for text that ``_nesting_bound``
    has shown to hold no alias and no deep nesting, the two things the guard exists for."""


class _PythonParserLoader(MarkedConstructor, yaml.SafeLoader):
    """The guarded composer over PyYAML's own parser, for text that may nest too deep."""

    compose_node = _Loader.compose_node
    _count_alias = _Loader._count_alias

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._open_anchors: set[str] = set()
        self._alias_values = 0
        self._sizes: dict[int, int] = {}


_INDENT = re.compile(r"^[ \t]*(?:-[ \t]+)*", re.MULTILINE)
_BRACKETS = re.compile(r"[\[\]{}]")


def _nesting_bound(text: str) -> int:
    """An upper bound on how deep ``text`` nests, or one past ``MAX_DEPTH`` when it may
    hold an alias (any ``&`` or ``*``: no anchor, no alias).

    A block level needs one more column of indentation (or one more ``- `` on the line) and
    a flow level one more open bracket, so their maxima bound the depth. This costs a
    fraction of what composing in Python does on a large answers file.
    """
    if "&" in text or "*" in text:
        return MAX_DEPTH + 1
    indent = max(map(len, _INDENT.findall(text)), default=0)  # no match objects: faster
    depth = deepest = 0
    if "[" in text or "{" in text:
        for bracket in _BRACKETS.findall(text):
            depth += 1 if bracket in "[{" else -1
            deepest = max(deepest, depth)
    return indent + deepest


def _loader_for(text: str) -> type[yaml.SafeLoader]:
    """libyaml's composer for plainly shallow text without aliases; the guarded composer
    otherwise; and, for text that may nest deeper than the guard allows, Python's parser
    too: some libyaml builds stop deep documents in the parser, with their own words and
    place, before the guard could name the level it refuses."""
    bound = _nesting_bound(text)
    if bound <= MAX_DEPTH:
        return _TrustedShapeLoader
    if "[" in text or "{" in text or bound > 4 * MAX_DEPTH:
        return _PythonParserLoader
    return _Loader


def read_text(path: Path) -> str:
    """The file's text, or an ``InputError`` that says plainly why it cannot be read."""
    source = str(path)
    try:
        # Looked at before opening: opening a FIFO that nobody writes to waits forever.
        status = os.stat(path)  # a link is followed: one to a regular file is fine
        if stat.S_ISDIR(status.st_mode):
            raise InputError(source, "is a folder, not a file")
        if not stat.S_ISREG(status.st_mode):
            raise InputError(source, f"is {file_kind(status.st_mode)}, not a regular file")
        if status.st_size > MAX_FILE_BYTES:
            raise InputError(source, f"is {status.st_size / 2**20:.0f} MiB; {_TOO_BIG}")
        with path.open("rb") as stream:  # bounded: the file may have grown since
            raw = stream.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise InputError(source, f"holds more than {MAX_FILE_BYTES // 2**20} MiB; {_TOO_BIG}")
    except FileNotFoundError:
        raise InputError(source, "no such file") from None
    except PermissionError:
        raise InputError(source, "permission denied: the file cannot be read") from None
    except OSError as error:
        raise InputError(source, f"cannot be read: {error.strerror}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise InputError(
            source,
            f"not UTF-8 text (byte 0x{raw[error.start]:02x}); save the file as UTF-8",
            line,
            column,
        ) from None


def load_yaml(path: Path) -> Any:
    """Parse one YAML document; syntax errors and duplicate keys name the line and column."""
    return parse_yaml(read_text(path), str(path))


def parse_yaml(text: str, source: str) -> Any:
    """Parse YAML ``text`` that came from ``source`` (used in error messages)."""
    return _parse(text, source, many=False)


def parse_yaml_documents(text: str, source: str) -> list[Any]:
    """Every document of YAML ``text`` (``---`` separated, as Kubernetes manifests are);
    empty documents are left out."""
    documents: list[Any] = _parse(text, source, many=True)
    return [document for document in documents if document is not None]


def _parse(text: str, source: str, many: bool) -> Any:
    loader = _loader_for(text)
    try:
        with collection_paused():
            if many:
                return list(yaml.load_all(text, Loader=loader))
            return yaml.load(text, Loader=loader)
    except DuplicateKey as dup:
        raise InputError(
            source,
            f"duplicate key {dup.key!r} (first at line {dup.first[0]})",
            dup.line,
            dup.column,
        ) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "invalid YAML"
        if mark is None:
            raise InputError(source, f"invalid YAML: {problem}") from None
        lines = text.splitlines()
        if mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
            problem = "a tab character; YAML indents with spaces only"
        elif problem == "but found another document":
            problem = "a second document starts here; the file must hold one YAML document"
        elif error.context and error.context_mark and error.problem:
            start = error.context_mark
            what = error.context.removeprefix("while parsing ").removeprefix("while scanning ")
            if what.startswith("a "):  # "a flow mapping", "a quoted scalar", ...
                problem += f" (in {what} that starts at line {start.line + 1}, column "
                problem += f"{start.column + 1})"
        raise InputError(
            source, f"invalid YAML: {problem}", mark.line + 1, mark.column + 1
        ) from None
    except yaml.reader.ReaderError as error:
        # libyaml counts UTF-8 bytes, the pure-Python reader characters.
        before = text.encode("utf-8")[: error.position].decode("utf-8", "ignore")
        if _BaseLoader is yaml.SafeLoader:  # pragma: no cover - depends on how PyYAML was built
            before = text[: error.position]
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        code = error.character if isinstance(error.character, int) else ord(error.character)
        raise InputError(
            source,
            f"invalid YAML: control character U+{code:04X} is not allowed",
            line,
            column,
        ) from None
    except yaml.YAMLError as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise InputError(source, f"invalid YAML: {first_line}") from None
    except RecursionError:
        raise InputError(source, "the YAML is nested too deeply to be an inventory") from None


def mark_of(container: Any, key: Any) -> Mark | None:
    """Where ``container[key]`` stands in its file, when the loader recorded it."""
    if isinstance(container, MarkedDict):
        return container.marks.get(key, container.mark)
    if isinstance(container, MarkedList) and isinstance(key, int) and key < len(container.marks):
        return container.marks[key]
    return getattr(container, "mark", None)
