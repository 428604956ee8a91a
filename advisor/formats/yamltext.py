"""Block YAML as text, written directly: byte for byte what ``yamlout``'s dumpers write
through libyaml's emitter, in a fraction of the time, for the plain data the outputs hold.

Only what is sure to come out the same is written here: mappings with text keys shorter
than 123 characters, lists, whole numbers, booleans, None, and text of printable ASCII on
one line (written plain or in single quotes, folded at spaces past ``width`` as the
emitter folds it). Anything else raises ``NotWritable`` and the caller hands the document
to PyYAML, as before. A property test compares both on random documents.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from advisor.formats.yamlout import GO_NOT_TEXT


class NotWritable(Exception):
    """A value this writer leaves to PyYAML."""


def dump_block(
    document: Any, width: int = 100, go_numbers: bool = False, explicit_start: bool = False
) -> str:
    """``document`` (a non-empty mapping) as ``yaml.dump`` writes it with ``PlainDumper`` or,
    with ``go_numbers``, ``ManifestDumper`` (``sort_keys=False``, block style); raises
    ``NotWritable`` for what only PyYAML writes the same."""
    if type(document) is not dict or not document:
        raise NotWritable(document)
    writer = _Writer(width, *((_go_texts, _go_keys) if go_numbers else (_texts, _keys)))
    writer.mapping(document, 0, "")
    return ("---\n" if explicit_start else "") + "\n".join(writer.lines) + "\n"


class _Writer:
    """The lines of one document; each block collection knows the column its entries start
    at, and a scalar folds to two columns past that (as libyaml indents it)."""

    def __init__(self, width: int, texts: dict[str, str], keys: dict[str, str]) -> None:
        self.width = width
        self.texts = texts
        self.keys = keys
        self.lines: list[str] = []

    def mapping(self, mapping: dict[Any, Any], column: int, first: str) -> None:
        """Entries at ``column``; the first line begins with ``first`` (a list's dash)."""
        indent = " " * column
        prefix = first or indent
        texts, append = self.texts, self.lines.append
        for key, value in mapping.items():
            written = self.keys.get(key)
            if written is None:
                written = _key(key, texts, self.keys)
            if type(value) is str:  # most values: inline, for speed
                text = texts.get(value) or _text(value, texts)
                if len(prefix) + len(written) + 2 + len(text) > self.width and " " in text:
                    text = _fold(text, len(prefix) + len(written) + 2, column + 2, self.width)
                append(f"{prefix}{written}: {text}")
            else:
                self.value(value, f"{prefix}{written}:", column, in_mapping=True)
            prefix = indent

    def sequence(self, items: list[Any], column: int, first: str) -> None:
        indent = " " * column
        prefix = first or indent
        for item in items:
            self.value(item, prefix + "- ", column, in_mapping=False)
            prefix = indent

    def value(self, value: Any, head: str, column: int, in_mapping: bool) -> None:
        """``value`` after ``head`` (``key:`` or a dash), its collection at ``column``."""
        kind = type(value)
        if kind is dict:
            if not value:
                self.lines.append(head + (" {}" if in_mapping else "{}"))
            elif in_mapping:
                self.lines.append(head)
                self.mapping(value, column + 2, "")
            else:
                self.mapping(value, column + 2, head)
        elif kind is list:
            if not value:
                self.lines.append(head + (" []" if in_mapping else "[]"))
            elif in_mapping:  # a list in a mapping is not indented further
                self.lines.append(head)
                self.sequence(value, column, "")
            else:
                self.sequence(value, column + 2, head)
        else:
            start = head + " " if in_mapping else head
            text = self.scalar(value)
            if len(start) + len(text) > self.width and " " in text:
                text = _fold(text, len(start), column + 2, self.width)
            self.lines.append(start + text)

    def scalar(self, value: Any) -> str:
        kind = type(value)
        if kind is str:
            return self.texts.get(value) or _text(value, self.texts)
        if kind is bool:
            return "true" if value else "false"
        if kind is int:
            return str(value)
        if value is None:
            return "null"
        raise NotWritable(value)


# Text as written, by the text: one table for layouts, one for manifests (which quote more).
_texts: dict[str, str] = {}
_REMEMBERED = 2**16
_go_texts: dict[str, str] = {}
_keys: dict[str, str] = {}  # the same, for the texts checked as keys too
_go_keys: dict[str, str] = {}
_REMEMBERED = 2**16
_PRINTABLE = re.compile(r"[\x20-\x7e]*")
# What the emitter will not write plain in block context: a leading indicator, "- ", "? "
# or ": " at the start, ": " or " #" inside, a colon at the end, a space at either end, or
# a document marker at the start.
_NOT_PLAIN = re.compile(
    r"[#,\[\]{}&*!|>'\"%@`]|[-?:](?: |$)|---|\.\.\.| |.*(?:: | #|:$| $)", re.DOTALL
)
_STR = "tag:yaml.org,2002:str"


def _text(value: str, texts: dict[str, str]) -> str:
    """How ``value`` is written: plain when it reads back as the same text, else in single
    quotes; remembered in ``texts``."""
    if not _PRINTABLE.fullmatch(value):
        raise NotWritable(value)
    plain = (
        bool(value)
        and not _NOT_PLAIN.match(value)
        and _reads_as_text(value)
        and not (texts is _go_texts and GO_NOT_TEXT.fullmatch(value))
    )
    written = value if plain else "'" + value.replace("'", "''") + "'"
    if len(texts) >= _REMEMBERED:
        texts.clear()
    texts[value] = written
    return written


def _key(key: Any, texts: dict[str, str], keys: dict[str, str]) -> str:
    # A long key, or an empty one, may be written as a complex key ("? "): libyaml and
    # PyYAML's own emitter draw that line in different places (past 128 characters, or 123
    # when PyYAML counts the implicit tag "!!str" in), and an empty key differently too.
    if type(key) is not str or not 0 < len(key) < 123:
        raise NotWritable(key)
    written = texts.get(key) or _text(key, texts)
    if len(keys) >= _REMEMBERED:
        keys.clear()
    keys[key] = written
    return written


@functools.lru_cache(maxsize=2**16)
def _reads_as_text(value: str) -> bool:
    """Whether ``value`` written plain reads back as text (not a number, boolean or null)."""
    tag = _RESOLVER.resolve(ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    return bool(tag == _STR)


_RESOLVER = Resolver()
_SPACE = re.compile(r"(?<! ) (?! )")  # a single space: where the emitter may fold


def _fold(text: str, column: int, indent: int, width: int) -> str:
    """``text`` written from ``column``, a single space becoming a line break and ``indent``
    spaces wherever the line has passed ``width`` (a quoted text never at its ends)."""
    quoted = text[0] == "'"
    pieces: list[str] = []
    line_start = 0  # where the current line begins in ``text``
    start = 0  # where the text not yet in ``pieces`` begins
    for match in _SPACE.finditer(text):
        at = match.start()
        if quoted and (at == 1 or at == len(text) - 2):
            continue
        if column + at - line_start > width:
            pieces.append(text[start:at])
            pieces.append("\n" + " " * indent)
            start = line_start = at + 1
            column = indent
    pieces.append(text[start:])
    return "".join(pieces)
