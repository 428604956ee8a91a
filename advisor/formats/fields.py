"""Typed access to a loaded YAML mapping, with errors that name the file, line and key."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, NoReturn

from advisor.domain.errors import InputError
from advisor.formats.compose.detect import is_extension
from advisor.formats.yamlfile import MarkedList, mark_of


def kind_of(value: Any) -> str:
    """How a YAML value reads to a person: 'a list', 'a number', 'nothing'."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a yes/no value"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class Fields:
    """One mapping of a YAML file, addressed by ``path`` (e.g. ``containers[2]``) in messages."""

    def __init__(
        self, source: str, data: Any, path: str, parent: Any = None, key: Any = None
    ) -> None:
        self.source = source
        self.path = path
        if not isinstance(data, dict):
            where = mark_of(parent, key) if parent is not None else getattr(data, "mark", None)
            self._raise(
                f"{path or 'the file'} must be a mapping (key: value lines), not {kind_of(data)}",
                where,
            )
        self.data: dict[Any, Any] = data

    def _raise(self, message: str, where: tuple[int, int] | None) -> NoReturn:
        line, column = where if where else (None, None)
        # A value merged in from another compose file carries that file's name.
        raise InputError(getattr(where, "source", self.source), message, line, column)

    def refuse(self, message: str) -> NoReturn:
        """Raise an ``InputError`` about this mapping as a whole."""
        self._raise(f"{self.path or 'the file'}: {message}", self.where())

    def where(self, key: Any = None) -> tuple[int, int] | None:
        """Line and column of ``key`` (or of the mapping itself)."""
        if key is None:
            return getattr(self.data, "mark", None)
        return mark_of(self.data, key)

    def fail(self, key: Any, message: str) -> NoReturn:
        """Raise an ``InputError`` about ``key`` of this mapping."""
        self._raise(f"{self.dotted(key)}: {message}", self.where(key))

    def dotted(self, key: Any) -> str:
        """``path.key`` as messages show it; an odd key (blank, non-text) is quoted."""
        plain = isinstance(key, str) and key.isprintable() and key.strip() == key and key
        shown = key if plain else repr(key)
        return f"{self.path}.{shown}" if self.path else str(shown)

    def check_keys(self, allowed: Iterable[str]) -> None:
        """Refuse keys the format does not know (a typo would otherwise be ignored silently)."""
        allowed = list(allowed)
        for key in self.data:
            if key in allowed or is_extension(key):
                continue
            import difflib  # only for a mistake: start-up is quicker without it

            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            known = ", ".join(allowed)
            self.fail(key, f"unknown key{hint}; known keys: {known}")

    def text(self, key: str, required: bool = False) -> str | None:
        """A non-empty string (numbers are accepted and turned into text, as YAML users expect)."""
        value = self.data.get(key)
        if value is None:
            if required:
                if key in self.data:
                    self.fail(key, "is empty")
                self._raise(f"{self.path or 'the file'}: missing '{key}'", self.where())
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(key, f"must be text, not {kind_of(value)}")
        text = str(value).strip()
        if not text:
            self.fail(key, "is empty")
        return text

    def items(self, key: str) -> Iterator[tuple[int, Any, MarkedList | list[Any]]]:
        """The items of the list under ``key`` (absent means empty) with their indices."""
        value = self.data.get(key)
        if value is None:
            return
        if not isinstance(value, list):
            self.fail(key, f"must be a list, not {kind_of(value)}")
        for index, item in enumerate(value):
            yield index, item, value

    def sub(self, key: str) -> Fields | None:
        """The mapping under ``key`` as ``Fields``, or None when absent."""
        value = self.data.get(key)
        if value is None:
            return None
        return Fields(self.source, value, self.dotted(key), self.data, key)

    def item_fail(self, key: str, items: Any, index: int, message: str) -> NoReturn:
        """Raise an ``InputError`` about item ``index`` of the list under ``key``."""
        separator = " " if message.startswith("(") else ": "
        self._raise(f"{self.dotted(key)}[{index}]{separator}{message}", mark_of(items, index))


def scalar_text(value: Any) -> str:
    """A YAML scalar as the text a program receives (``true``, not ``True``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def words(fields: Fields, key: str) -> tuple[str, ...] | None:
    """A command (``command``, ``args``, ``entrypoint``): a list as written, or a string
    split into words as a shell would."""
    value = fields.data.get(key)
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (scalar_text(value),)  # a number, as interpolation can leave one ("$CMD")
    if isinstance(value, str):
        import shlex  # for a command written as one string only

        try:
            return tuple(shlex.split(value))
        except ValueError as error:
            fields.fail(key, f"cannot be split into words: {error}")
    if not isinstance(value, list):
        fields.fail(key, f"must be a list of words or a command line, not {kind_of(value)}")
    for index, word in enumerate(value):
        if isinstance(word, (dict, list)) or word is None:
            fields.item_fail(key, value, index, f"must be text, not {kind_of(word)}")
    return tuple(scalar_text(word) for word in value)
