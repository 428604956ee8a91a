"""The statements of a dotenv file (``.env``, an ``env_file``) as Docker Compose reads them.

Compose's own parser (compose-go ``dotenv``) decides what a file means: ``KEY=value`` or
``KEY: value``, an optional ``export``, a bare ``KEY`` taken from the environment, ``#``
comments (inline only after a space on unquoted values), single quotes literal, double
quotes with backslash escapes, either kind of quotes spanning lines. This module only cuts
the text into statements; expanding ``${...}`` in them is the caller's (it knows which
variables a value may use).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

_KEY_CHARS = re.compile(r"[\w.\-\[\]]")
_EXPORT = re.compile(r"export\s+")
_SPACE = "\t\v\f\r \x85\xa0"  # compose's spaces: every blank but the line break
# Double-quoted escapes compose expands: \$ stays a literal dollar ("$$" for the expansion
# that follows), the others as Go spells them; any other backslash is kept as written.
_ESCAPE = re.compile(r"\\(?:[abcfnrtv$\"\\]|0[0-7]{0,3})")
_ESCAPED = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


@dataclass(frozen=True)
class Statement:
    """One ``KEY=value`` (``value`` None: a bare ``KEY``, from the environment); whether the
    value is expanded (single quotes keep it literal); where the value starts."""

    key: str
    value: str | None
    expands: bool
    line: int
    column: int


class DotenvError(ValueError):
    """A statement compose cannot read; ``key`` names it when there is one (the line is
    never shown: it may hold a secret)."""

    def __init__(self, line: int, key: str | None, why: str = "") -> None:
        super().__init__(why)
        self.line = line
        self.key = key
        self.why = why


def statements(text: str) -> Iterator[Statement]:
    """The statements of a dotenv file, in order; raises ``DotenvError``."""
    text = text.removeprefix("\ufeff")
    starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def place(offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    index = 0
    while True:
        index = _statement_start(text, index)
        if index >= len(text):
            return
        line, _ = place(index)
        if match := _EXPORT.match(text, index):
            index = match.end()
        key, index, bare = _key(text, index, line)
        if bare:
            yield Statement(key, None, False, line, 1)
            continue
        while index < len(text) and text[index] in _SPACE:
            index += 1
        value_line, column = place(index)
        value, expands, index = _value(text, index, value_line, key)
        yield Statement(key, value, expands, value_line, column)


def raw_statements(text: str) -> Iterator[Statement]:
    """The statements of an env file read as ``docker run --env-file`` reads it (compose's
    ``format: raw``): one a line, the value as written after the first ``=``, nothing
    expanded; ``#`` starts a comment line only."""
    for number, line in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        stripped = line.lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        key, equals, value = stripped.partition("=")
        if not key:
            raise DotenvError(number, None)
        if key != key.strip() or " " in key or "\t" in key:
            raise DotenvError(number, key.split()[0])
        yield Statement(key, value if equals else None, False, number, len(line) - len(value) + 1)


def _statement_start(text: str, index: int) -> int:
    """The offset of the next statement, past blanks and comment lines."""
    while index < len(text):
        if text[index].isspace():
            index += 1
        elif text[index] == "#":
            end = text.find("\n", index)
            index = len(text) if end < 0 else end
        else:
            break
    return index


def _key(text: str, index: int, line: int) -> tuple[str, int, bool]:
    """The key, the offset after its ``=``/``:`` (or line break), and whether it is bare."""
    start = index
    while index < len(text):
        char = text[index]
        if char in "=:\n":
            key = text[start:index].rstrip()
            if not key:
                raise DotenvError(line, None)
            if " " in key or "\t" in key:
                raise DotenvError(line, key.split()[0])
            return key, index + 1, char == "\n"
        if char not in _SPACE and not _KEY_CHARS.match(char):
            raise DotenvError(line, text[start:index].strip() or None)
        index += 1
    key = text[start:].rstrip()
    if " " in key or "\t" in key:
        raise DotenvError(line, key.split()[0])
    return key, index, True  # a bare name on the last line


def _value(text: str, index: int, line: int, key: str) -> tuple[str, bool, int]:
    """The value starting at ``index``, whether it is expanded, and the offset after it."""
    quote = text[index] if index < len(text) and text[index] in "'\"" else ""
    if not quote:
        end = text.find("\n", index)
        end = len(text) if end < 0 else end
        value = text[index:end].split(" #", 1)[0].rstrip()
        return value, True, end
    chars: list[str] = []
    escaped = False
    for offset in range(index + 1, len(text)):
        char = text[offset]
        if char == quote and not escaped:
            value = "".join(chars)
            if quote == "'":
                return value, False, offset + 1
            return _ESCAPE.sub(_unescape, value), True, offset + 1
        if char == "\\" and not escaped:
            escaped = True
            continue
        if escaped and char != quote:
            chars.append("\\")
        escaped = False
        chars.append(char)
    kind = "double" if quote == '"' else "single"
    raise DotenvError(line, key, f"the {kind} quote of the value never closes")


def _unescape(match: re.Match[str]) -> str:
    escape = match[0][1:]
    if escape == "$":
        return "$$"  # a literal dollar through the expansion that follows
    if escape.startswith("0"):  # "\0ddd", three octal digits, else kept as written
        code = int(escape[1:], 8) if len(escape) == 4 else 256
        return chr(code) if code < 256 else match[0]
    return _ESCAPED.get(escape, escape)
