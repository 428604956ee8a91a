"""Turn composed YAML nodes into values that remember the line and column of every key and item.

PyYAML's generic ``construct_object`` pays for tag dispatch, generators and recursion checks on
every value, and its resolver runs a regular expression or two on every plain scalar. An answers
file repeats the same few scalars (question ids, ``yes``/``no``) hundreds of thousands of times,
so here tags are resolved once per distinct scalar and the common tags are built directly; any
other tag goes through PyYAML's own constructor, as before.
"""

from __future__ import annotations

from typing import Any

from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

Mark = tuple[int, int]  # 1-based line and column

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_INT = "tag:yaml.org,2002:int"
# Tags whose scalars are immutable and equal whenever their text is: a value built once can
# stand for every later scalar with the same text. (PyYAML already returns one shared ``.nan``
# object, so two ``.nan`` keys were and stay a duplicate.)
_CACHED_TAGS = tuple(f"tag:yaml.org,2002:{name}" for name in ("bool", "null", "int", "float"))
# A plain key that YAML 1.1 would read as a yes/no, a number or nothing (``no:``, ``on:``,
# ``1e3:``) stays the text the user wrote: keys name things, and ``no`` is not ``False``.
_TEXT_KEY_TAGS = frozenset(_CACHED_TAGS)
# Python refuses to read integers of more digits (``sys.get_int_max_str_digits``).
MAX_INT_DIGITS = 4300


class MarkedDict(dict[Any, Any]):
    """A mapping that knows its own position and the position of each key."""

    mark: Mark = (1, 1)
    marks: dict[Any, Mark]


class MarkedList(list[Any]):
    """A sequence that knows its own position and the position of each item."""

    mark: Mark = (1, 1)
    marks: list[Mark]


class DuplicateKey(Exception):
    """A key written twice in one mapping (``first`` is where it was first written)."""

    def __init__(self, key: Any, first: Mark, line: int, column: int) -> None:
        self.key, self.first, self.line, self.column = key, first, line, column


def node_mark(node: Node) -> Mark:
    """Where ``node`` starts, 1-based."""
    start = node.start_mark
    return (start.line + 1, start.column + 1)


class MarkedConstructor(SafeConstructor, Resolver):
    """The safe constructor and resolver, building ``MarkedDict``/``MarkedList`` and refusing
    duplicate keys; mixed in before a PyYAML loader class (C or Python)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)  # type: ignore[call-arg]  # the loader class after us takes it
        # Plain scalar text -> its implicit tag. Without path resolvers (safe loaders have
        # none) the tag depends on nothing else.
        self._tags: dict[str, str] = {}
        self._scalars: dict[str, dict[str, Any]] = {tag: {} for tag in _CACHED_TAGS}

    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
        """``Resolver.resolve``, remembered per plain scalar (libyaml's composer calls it too)."""
        if kind is ScalarNode and implicit[0]:
            tag = self._tags.get(value)
            if tag is None:
                tag = self._tags[value] = self._resolve(kind, value, implicit)
            return tag
        return self._resolve(kind, value, implicit)

    def _resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
        tag: str = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        return tag

    def construct_document(self, node: Node) -> Any:
        """The document's value: built directly when it is a plain mapping or list."""
        if not _is_direct(node):
            return super().construct_document(node)
        data = self.build(node)
        self.constructed_objects = {}
        return data

    def build(self, node: Node) -> Any:
        """The value of ``node``; an aliased mapping or list is built once and shared."""
        if node.__class__ is ScalarNode:
            return self._scalar(node)
        if node in self.constructed_objects:
            return self.constructed_objects[node]
        if not _is_direct(node):
            return self.construct_object(node, deep=True)
        if node.__class__ is MappingNode:
            return self._mapping(node)
        return self._sequence(node)  # type: ignore[arg-type]

    def _scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        values = self._scalars.get(tag)
        if values is None:  # timestamps, binary, unknown tags (their error) ...
            return self.construct_object(node, deep=True)
        if node.value not in values:
            if tag == _INT and len(node.value) > MAX_INT_DIGITS:
                raise ConstructorError(
                    None,
                    None,
                    f"a number of {len(node.value):,} digits; at most {MAX_INT_DIGITS:,} are read",
                    node.start_mark,
                )
            values[node.value] = self.yaml_constructors[tag](self, node)
        return values[node.value]

    def _mapping(self, node: MappingNode) -> MarkedDict:
        data = MarkedDict()
        data.mark = node_mark(node)
        self.constructed_objects[node] = data
        # As PyYAML does: every key first (so a duplicate key is reported before any error
        # in the values), then "<<" merge keys flattened into plain entries, then the values.
        keys, data.marks = self._keys(node)
        if keys is None:
            self.flatten_mapping(node)
            data.marks = {}
            for key_node, value_node in node.value:
                key = self._key(key_node)
                data[key] = self.build(value_node)
                data.marks[key] = node_mark(key_node)
            return data
        for key, (_, value_node) in zip(keys, node.value, strict=True):
            data[key] = self.build(value_node)
        return data

    def _keys(self, node: MappingNode) -> tuple[list[Any] | None, dict[Any, Mark]]:
        """The keys in order (None when there are merge keys) and where each stands; refuses
        duplicates and keys that cannot be dictionary keys."""
        keys: list[Any] | None = []
        marks: dict[Any, Mark] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                keys = None
                continue
            key = self._key(key_node)
            try:
                first = marks.get(key)
            except TypeError:
                raise ConstructorError(
                    None, None, "a mapping key must be a plain value", key_node.start_mark
                ) from None
            mark = node_mark(key_node)
            if first is not None:
                raise DuplicateKey(key, first, *mark)
            marks[key] = mark
            if keys is not None:
                keys.append(key)
        return keys, marks

    def _key(self, node: Node) -> Any:
        """A mapping key: a plain scalar keeps its text unless YAML reads it as text anyway."""
        if node.__class__ is ScalarNode and node.tag in _TEXT_KEY_TAGS:
            return node.value
        return self.build(node)

    def _sequence(self, node: SequenceNode) -> MarkedList:
        data = MarkedList()
        data.mark = node_mark(node)
        data.marks = [node_mark(item) for item in node.value]
        self.constructed_objects[node] = data
        data.extend(self.build(item) for item in node.value)
        return data


def _is_direct(node: Node) -> bool:
    """Is ``node`` a mapping or list that ``build`` makes itself (not a set, omap, ...)?"""
    return (node.__class__ is MappingNode and node.tag == _MAP) or (
        node.__class__ is SequenceNode and node.tag == _SEQ
    )


def _construct(loader: MarkedConstructor, node: Node) -> Any:
    """A PyYAML constructor building mappings and lists as ``build`` does, for those inside
    values PyYAML constructs itself (an ``!!omap`` of mappings, say)."""
    kind = MappingNode if node.tag == _MAP else SequenceNode
    if node.__class__ is not kind:
        raise ConstructorError(
            None,
            None,
            f"expected a {kind.id} node, but found {node.id}",  # type: ignore[attr-defined]
            node.start_mark,
        )
    return loader._mapping(node) if kind is MappingNode else loader._sequence(node)  # type: ignore[arg-type]


class Tagged:
    """A value under compose's merge tags (the Compose Specification's ``13-merge.md``):
    ``!reset`` clears what earlier files set, ``!override`` replaces it whole. Only the
    compose reader takes them; every other format finds a value it refuses."""

    def __init__(self, tag: str, value: Any) -> None:
        self.tag, self.value = tag, value


def _merge_tag(loader: MarkedConstructor, node: Node) -> Tagged:
    tag = node.tag
    if node.__class__ is MappingNode:
        node.tag = _MAP
    elif node.__class__ is SequenceNode:
        node.tag = _SEQ
    else:
        node.tag = loader.resolve(ScalarNode, node.value, (True, False))
    return Tagged(tag, loader.build(node))


MarkedConstructor.yaml_constructors = {
    **SafeConstructor.yaml_constructors,
    _MAP: _construct,
    _SEQ: _construct,
    "!reset": _merge_tag,
    "!override": _merge_tag,
}
