"""Writing YAML quickly: plain data (dicts, lists, text, numbers, booleans) straight to
libyaml's emitter.

PyYAML's representer looks every value up in a table and keeps a table of objects seen for
aliases; the data written here never shares an object, so a direct walk builds the same
nodes several times faster. The emitter asks, for every scalar, whether it would read back
as the same type; the answer depends on the text alone and is remembered. Anything but
plain data goes through PyYAML's own representer, as before.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:  # libyaml's emitter is several times faster; the pure-Python one writes the same text
    BaseDumper: type[yaml.SafeDumper] = yaml.CSafeDumper  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    BaseDumper = yaml.SafeDumper

_STR, _INT, _BOOL, _NULL = (f"tag:yaml.org,2002:{name}" for name in ("str", "int", "bool", "null"))
_MAP, _SEQ = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"


class PlainDumper(BaseDumper):  # type: ignore[valid-type,misc]
    """``yaml.SafeDumper``'s output for plain data, built without its lookups."""

    true_word, false_word = "true", "false"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._resolved: dict[tuple[str, bool, bool], str] = {}

    def represent(self, data: Any) -> None:
        self.serialize(self._node(data))
        # What BaseRepresenter.represent resets: the alias tables of any fallback values.
        self.represented_objects: dict[int, Node] = {}
        self.object_keeper: list[Any] = []
        self.alias_key = None

    def _node(self, data: Any) -> Node:
        kind = type(data)
        if kind is str:
            return ScalarNode(_STR, data, style=self.default_style)
        if kind is dict:
            items = sorted(data.items()) if self.sort_keys else data.items()
            pairs = [(self._node(key), self._node(value)) for key, value in items]
            return MappingNode(_MAP, pairs, flow_style=self.default_flow_style)
        if kind is list:
            items = [self._node(item) for item in data]
            return SequenceNode(_SEQ, items, flow_style=self.default_flow_style)
        if kind is bool:
            word = self.true_word if data else self.false_word
            return ScalarNode(_BOOL, word, style=self.default_style)
        if kind is int:
            return ScalarNode(_INT, str(data), style=self.default_style)
        if data is None:
            return ScalarNode(_NULL, "null", style=self.default_style)
        node: Node = self.represent_data(data)  # floats and the rest: PyYAML's own way
        return node

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not ScalarNode:
            return super().resolve(kind, value, implicit)
        key = (value, implicit[0], implicit[1])
        tag = self._resolved.get(key)
        if tag is None:
            tag = self._resolved[key] = super().resolve(kind, value, implicit)
        return tag


# Text that YAML 1.1 (PyYAML) reads as text but Go's YAML readers (kubectl, kustomize) read
# as something else: a number (exponents without a dot or sign, 1e3, and Go's 0o, 0X, 0B
# prefixes), or a boolean (y, Y, n, N, which go-yaml takes from YAML 1.1 and PyYAML does not).
GO_NOT_TEXT = re.compile(
    r"[-+]?(?:0[xX][0-9a-fA-F_]+|0[oObB][0-7_]+"
    r"|(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)|[yYnN]"
)
_FLOAT = "tag:yaml.org,2002:float"


class ManifestDumper(PlainDumper):
    """``PlainDumper`` that also quotes text Go's YAML would read as a number or a boolean,
    so an env value of ``1e3`` or ``y`` reaches the cluster as the text it is."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not ScalarNode:
            return super().resolve(kind, value, implicit)
        key = (value, implicit[0], implicit[1])
        tag = self._manifest_tags.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if tag == _STR and implicit[0] and GO_NOT_TEXT.fullmatch(value):
                tag = _FLOAT  # not what a plain scalar reads as: the emitter quotes it
            self._manifest_tags[key] = tag
        return tag

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._manifest_tags: dict[tuple[str, bool, bool], str] = {}


class YesNoDumper(PlainDumper):
    """Booleans as yes and no, the words the questions are answered with."""

    true_word, false_word = "yes", "no"


# A scalar written as it is reads back as the same text when it starts with a letter, holds
# only these characters (single spaces between words) and is not a word YAML reads as a
# boolean or null; anything else is written in double quotes.
_PLAIN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9_.+/-]*(?: [A-Za-z0-9_.+/-]+)*")
_NOT_TEXT = frozenset({"yes", "no", "y", "n", "true", "false", "on", "off", "null"})


def block_yaml(document: dict[str, Any]) -> str:
    """``document`` (mappings of text to mappings, text, booleans or whole numbers) as the
    block YAML ``yaml.dump`` writes for it, booleans as yes and no: built as text directly,
    with none of PyYAML's per-value work."""
    lines: list[str] = []
    _block_lines(document, "", lines)
    return "\n".join(lines) + "\n"


def _block_lines(mapping: dict[str, Any], indent: str, lines: list[str]) -> None:
    for key, value in mapping.items():
        if type(value) is dict:
            if value:
                lines.append(f"{indent}{_scalar(key)}:")
                _block_lines(value, indent + "  ", lines)
            else:
                lines.append(f"{indent}{_scalar(key)}: {{}}")
        else:
            lines.append(f"{indent}{_scalar(key)}: {_scalar(value)}")


def _scalar(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return _text(value)
    if kind is bool:
        return "yes" if value else "no"
    if kind is int:
        return str(value)
    raise TypeError(f"block_yaml writes text, booleans and whole numbers, not {kind}")


@functools.lru_cache(maxsize=2**16)  # the same names and words, file after file
def _text(value: str) -> str:
    if _PLAIN_TEXT.fullmatch(value) and value.lower() not in _NOT_TEXT:
        return value
    # JSON's double-quoted strings are YAML's too, escapes included; JSON leaves a few
    # characters as they are that YAML reads as line breaks or refuses.
    import json  # for the rare quoted text only: plan comes sooner without it

    return _UNSAFE_IN_QUOTES.sub(_escaped, json.dumps(value, ensure_ascii=False))


_UNSAFE_IN_QUOTES = re.compile("[\x7f-\x9f\u2028\u2029\ufeff]")


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match[0]):04x}"
