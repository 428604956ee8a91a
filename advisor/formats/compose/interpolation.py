"""Docker Compose variable interpolation: ``${VAR}``, ``${VAR:-default}``, ``$$`` and ``.env``.

Values come from the process environment first, then from the ``.env`` file beside the
compose file, as Docker Compose does. Strings are replaced in place inside the loaded YAML so
that every key keeps the line and column the loader recorded for it.
"""

from __future__ import annotations

import os
import re
from collections import ChainMap
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from advisor.domain.errors import InputError
from advisor.formats.compose.dotenv import DotenvError, raw_statements, statements
from advisor.formats.files import NOTHING, what_is_there
from advisor.formats.yamlfile import mark_of, read_text

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# "${A:-${B:-...}}" deeper than this is refused: no compose file nests defaults so far, and
# each level would recurse (and rescan the rest of the text for its closing brace).
MAX_NESTING = 16


class InterpolationError(ValueError):
    """A ``${VAR:?message}`` whose variable is unset (``required``), or a ``${`` that never
    closes or holds no variable."""

    def __init__(self, message: str, required: bool = False) -> None:
        super().__init__(message)
        self.required = required


_BAD_TEMPLATE = (
    "a '${' that never closes or names no variable (the value is not shown: it may hold a "
    "secret; write '$$' for a literal '$')"
)


def read_env_file(
    path: Path,
    lookup: MutableMapping[str, str] | None = None,
    earlier: dict[str, str] | None = None,
    raw: bool = False,
) -> dict[str, str]:
    """The variables a dotenv file sets, as compose reads them: ``${...}`` in a value
    resolved from ``lookup`` (the environment when None) first, then from the lines before
    it (and ``earlier``, what files read before this one set); a bare ``KEY`` takes its
    value from them too. ``raw``: every value as written (compose's ``format: raw``)."""
    values: dict[str, str] = {} if earlier is None else earlier
    known = ChainMap(os.environ if lookup is None else lookup, values)
    text = read_text(path)
    try:
        for statement in raw_statements(text) if raw else statements(text):
            if statement.value is None:
                if (value := known.get(statement.key)) is not None:
                    values[statement.key] = value
                continue
            text = statement.value
            if statement.expands:
                try:
                    text = Interpolator(known).substitute(text)
                except InterpolationError as error:
                    # The user's own message for a required variable; otherwise the text
                    # would show the value, which may be a secret.
                    why = str(error) if error.required else _BAD_TEMPLATE
                    raise InputError(
                        str(path), f"{statement.key}: {why}", statement.line, statement.column
                    ) from None
            values[statement.key] = text
    except DotenvError as error:
        raise InputError(str(path), _not_a_setting(error.key, error.why), error.line) from None
    return values


def project_variables(folder: Path) -> tuple[dict[str, str], str | None]:
    """``.env`` beside the compose file, overridden by the environment (as Compose does),
    and a warning when a ``.env`` is there that is no file (a virtualenv's folder, a FIFO)."""
    variables: dict[str, str] = {}
    dotenv = folder / ".env"
    there = what_is_there(dotenv)
    note = None
    if there is None:
        variables.update(read_env_file(dotenv))
    elif there != NOTHING:
        note = f"{dotenv} is {there}, not a file of KEY=value lines: no variables read from it"
    variables.update(os.environ)
    return variables, note


def _not_a_setting(key: str | None, why: str) -> str:
    """Why a statement is no ``KEY=value``, naming its variable but never showing the line:
    its value may be a secret, and an error line ends up in terminals and CI logs."""
    if why:
        return f"{key}: {why} (the value is not shown: it may hold a secret)"
    if key is None:
        return (
            "expected KEY=value, with a variable name first "
            "(the line is not shown: it may hold a secret)"
        )
    return f"{key}: expected KEY=value (the rest of the line is not shown: it may hold a secret)"


class Interpolator:
    """Replaces variables in strings; remembers the unset ones so each is reported once."""

    def __init__(self, variables: Mapping[str, str]) -> None:
        self.variables = variables
        self.unset: list[str] = []
        self.missing: list[str] = []  # the unset variables of the last ``substitute`` call

    def substitute(self, text: str, depth: int = 0) -> str:
        """``text`` with every variable replaced; raises ``InterpolationError``."""
        if "$" not in text:
            return text
        if depth > MAX_NESTING:
            raise InterpolationError(f"'${{' nested more than {MAX_NESTING} deep")
        if depth == 0:
            self.missing = []
        out: list[str] = []
        index = 0
        while index < len(text):
            char = text[index]
            if char != "$" or index + 1 >= len(text):
                out.append(char)
                index += 1
                continue
            following = text[index + 1]
            if following == "$":
                out.append("$")
                index += 2
            elif following == "{":
                end = _closing_brace(text, index + 2)
                out.append(self._braced(text[index + 2 : end], depth))
                index = end + 1
            else:
                match = _NAME.match(text, index + 1)
                if match is None:
                    out.append(char)
                    index += 1
                else:
                    out.append(self._value(match[0]) or "")
                    index = match.end()
        return "".join(out)

    def _value(self, name: str) -> str | None:
        value = self.variables.get(name)
        if value is None and name not in self.unset:
            self.unset.append(name)
        if value is None:
            self.missing.append(name)
        return value

    def _braced(self, body: str, depth: int) -> str:
        match = _NAME.match(body)
        if match is None:
            raise InterpolationError(f"invalid interpolation format: ${{{body}}}")
        name, rest = match[0], body[match.end() :]
        if not rest:
            return self._value(name) or ""
        value = self.variables.get(name)
        for operator in (":-", ":?", ":+", "-", "?", "+"):
            if rest.startswith(operator):
                word = rest[len(operator) :]
                break
        else:
            raise InterpolationError(f"invalid interpolation format: ${{{body}}}")
        missing = not value if operator.startswith(":") else value is None
        if operator.endswith("-"):
            return self.substitute(word, depth + 1) if missing else str(value)
        if operator.endswith("+"):
            return "" if missing else self.substitute(word, depth + 1)
        if missing:
            reason = self.substitute(word, depth + 1) or "is required"
            raise InterpolationError(f"variable {name} is not set: {reason}", required=True)
        return str(value)


def _closing_brace(text: str, start: int) -> int:
    depth = 1
    index = start
    while index < len(text):
        if text.startswith("${", index):
            depth += 1
            index += 2
            continue
        if text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    raise InterpolationError(f"unclosed '${{' in {text!r}")


def interpolate_tree(
    data: Any, interpolator: Interpolator, fail: Callable[[Any, Any, str], Exception]
) -> dict[tuple[int, int], list[str]]:
    """Interpolate every string value in ``data`` in place (keys are left as written); a
    value that becomes a number (``retries: $RETRIES``) becomes that number, as in Compose.

    Objects reached twice (YAML anchors, ``<<`` merges) are visited once, so ``$$`` never
    becomes a variable on a second pass. ``fail(container, key, message)`` builds the error.
    Returns where unset variables were used (line and column), with their names.
    """
    missing: dict[tuple[int, int], list[str]] = {}
    seen: set[int] = set()
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            entries: Any = list(node.items())
        elif isinstance(node, list):
            entries = list(enumerate(node))
        else:
            continue
        for key, value in entries:
            where = f"{path}[{key}]" if isinstance(node, list) else f"{path}.{key}".lstrip(".")
            if isinstance(value, str):
                try:
                    text = interpolator.substitute(value)
                except InterpolationError as error:
                    raise fail(node, key, f"{where}: {error}") from None
                node[key] = _number(text) if text != value else text
                if interpolator.missing and (mark := mark_of(node, key)) is not None:
                    missing[mark] = interpolator.missing
            elif isinstance(value, (dict, list)):
                stack.append((value, where))
    return missing


def _number(text: str) -> int | float | str:
    """``text`` as the number it spells when it spells it exactly ("10", "0.5"), else itself:
    a number written back as text is the same text, wherever the value goes."""
    if _INTEGER.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text) and repr(float(text)) == text:
        return float(text)
    return text


_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
_DECIMAL = re.compile(r"-?[0-9]{1,17}\.[0-9]{1,17}")


@contextmanager
def naming_unset(missing: dict[tuple[int, int], list[str]]) -> Iterator[None]:
    """An error about a value that an unset variable left empty or wrong says so."""
    try:
        yield
    except InputError as error:
        names = missing.get((error.line or 0, error.column or 0))
        if not names:
            raise
        unset = (
            f"variable {names[0]} is not set"
            if len(names) == 1
            else (f"variables {', '.join(names)} are not set")
        )
        raise InputError(
            error.source, f"{error.detail} ({unset})", error.line, error.column
        ) from None


def error_at(source: str) -> Callable[[Any, Any, str], Exception]:
    """An error factory for ``interpolate_tree`` that names ``source`` and the value's place."""

    def build(container: Any, key: Any, message: str) -> Exception:
        where = mark_of(container, key)
        line, column = where or (None, None)
        return InputError(getattr(where, "source", source), message, line, column)

    return build
