"""The direct construction of ``advisor/sources/yamlbuild.py`` gives what PyYAML's generic
``construct_object`` path gave before it: the same values of the same types, the same marks,
the same sharing of aliased values, the same errors; with or without libyaml."""

from __future__ import annotations

import gc
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import REPO, corpus_folder
from hypothesis import given
from hypothesis import strategies as st
from test_properties import PROPERTY, trees

from advisor.domain.errors import InputError
from advisor.formats import yamlfile
from advisor.formats.yamlbuild import DuplicateKey, MarkedDict, MarkedList, node_mark
from advisor.formats.yamlfile import parse_yaml

CORPUS = corpus_folder()
FILES = [
    *(sorted(CORPUS.glob("*.yaml")) if CORPUS else []),
    *sorted((REPO / "examples").glob("*/*.yaml")),
    *sorted((REPO / "rules").glob("*.yaml")),
]
# Aliases, merge keys, every implicit scalar type, tags PyYAML constructs itself.
TEXTS = [
    "a: &x {p: 1, q: [1]}\nb: {<<: *x, q: 2}\nc: *x\n",
    "a: &x [1, 2]\nb: *x\nc: [*x, *x]\n",
    "a: &x {p: 1}\nb: &y {r: 2}\nc: {<<: [*x, *y], p: 3}\n",
    "a: &x {<<: {p: 1}, q: 2}\nb: {<<: *x}\n",
    "{<<: {a: 1}, <<: {b: 2}, a: 3}",
    "{a: &x 1, b: *x}",
    "x: [&a {k: 1}, *a, *a]",
    "a: &x k\n? *x\n: 2\n",
    "a: [~, null, Null, '', yes, No, on, 0o17, 0b11, 0x1F, 1_000, 1:30, -.inf, 1e3, '1', 'yes']",
    "a: [yes, 'yes', !!str yes, 1, '1', !!str 1, !!float 1, ~, '~', !!null '', 1.5, 2001-12-14]",
    "a: !!set {x, y}\nb: !!omap [{x: 1}, {y: [2]}]\nc: !!pairs [{x: {z: 1}}]\nd: !!binary aGk=\n",
    "!!omap [{x: 1}, {y: {z: [2]}}]",
    "a: !!timestamp 2001-12-14t21:59:43.10-05:00",
    "[a, b, [c, {d: e}]]",
    "{? [1, 2] : 3}",
    "",
    "just text",
    # Keys are text as written: these were duplicates while YAML 1.1 read them as values.
    "{1: a, 1.0: b}",
    "{1: a, true: b}",
    "{0x10: a, 16: b}",
]
# Each refused the same way on both paths.
BAD_TEXTS = [
    "{.nan: 1, .nan: 2}",
    "a: 1\na: 2\n",
    "x: {a: 1, b: !!bad 2, a: 3}",
    "a: [1, 2]\n? [1]\n: 3",
    "? !!set {a}\n: x",
    "{<<: {a: !badv 1, !badk k: 2}}",
    "a: {=: 1}",
    "x: <<",
    "{<<: 1}",
    "{<<: [1]}",
    "x: !!str {a: 1}",
    "a: !foo 1",
    "!foo {a: 1}",
]


TEXT_KEY_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("bool", "null", "int", "float")}


def _generic_key(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """A key as the tool reads it: a plain yes/no, number or null key stays its text."""
    if isinstance(node, yaml.ScalarNode) and node.tag in TEXT_KEY_TAGS:
        return node.value
    return loader.construct_object(node, deep=True)


def _generic_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Any:
    """The mapping constructor as it was, through ``construct_object``."""
    data = MarkedDict()
    data.mark = node_mark(node)
    data.marks = {}
    yield data
    seen: dict[Any, tuple[int, int]] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = _generic_key(loader, key_node)
        try:
            if key in seen:
                raise DuplicateKey(key, seen[key], *node_mark(key_node))
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            ) from None
        seen[key] = node_mark(key_node)
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = _generic_key(loader, key_node)
        data[key] = loader.construct_object(value_node, deep=True)
        data.marks[key] = node_mark(key_node)


def _generic_sequence(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> Any:
    data = MarkedList()
    data.mark = node_mark(node)
    data.marks = []
    yield data
    for item in node.value:
        data.append(loader.construct_object(item, deep=True))
        data.marks.append(node_mark(item))


class GenericLoader(yaml.SafeLoader):
    """PyYAML's own parser, resolver and generic constructor with the old constructors."""


GenericLoader.add_constructor("tag:yaml.org,2002:map", _generic_mapping)
GenericLoader.add_constructor("tag:yaml.org,2002:seq", _generic_sequence)


def shape(value: Any) -> Any:
    """Everything a caller can see of a loaded value: types, values, marks, in order."""
    marks = getattr(value, "marks", None)
    if isinstance(value, dict):
        items = [(shape(k), shape(v), marks and marks[k]) for k, v in value.items()]
        return (type(value).__name__, getattr(value, "mark", None), items, marks)
    if isinstance(value, (list, tuple)):  # tuples: the entries of an !!omap
        items = [shape(v) for v in value]
        return (type(value).__name__, getattr(value, "mark", None), items, marks)
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    if isinstance(value, (set, frozenset)):
        return (type(value).__name__, sorted(map(repr, value)))
    return (type(value).__name__, repr(value))


def sharing(value: Any) -> list[list[str]]:
    """Which places of ``value`` hold one and the same mapping or list."""
    places: dict[int, list[str]] = {}

    def walk(current: Any, place: str) -> None:
        if isinstance(current, (dict, list)):
            places.setdefault(id(current), []).append(place)
            items = current.items() if isinstance(current, dict) else enumerate(current)
            for key, item in items:
                walk(item, f"{place}/{key!r}")

    walk(value, "")
    return sorted(group for group in places.values() if len(group) > 1)


def outcome(text: str) -> Any:
    try:
        value = parse_yaml(text, "f.yaml")
    except InputError as error:
        return str(error)
    return shape(value), sharing(value)


def generic_outcome(text: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    with monkeypatch.context() as patch:
        patch.setattr(yamlfile, "_loader_for", lambda text: GenericLoader)
        return outcome(text)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_files_load_as_through_the_generic_constructor(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = path.read_text(encoding="utf-8")
    assert outcome(text) == generic_outcome(text, monkeypatch)


@pytest.mark.parametrize("text", TEXTS + BAD_TEXTS)
def test_texts_load_or_fail_as_through_the_generic_constructor(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert outcome(text) == generic_outcome(text, monkeypatch)


@PROPERTY
@given(tree=trees, flow=st.booleans())
def test_random_trees_load_as_through_the_generic_constructor(tree: Any, flow: bool) -> None:
    text = yaml.safe_dump(tree, default_flow_style=flow, allow_unicode=True)
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert outcome(text) == generic_outcome(text, monkeypatch)


def test_the_bad_texts_are_refused() -> None:
    for text in BAD_TEXTS:
        with pytest.raises(InputError):
            parse_yaml(text, "f.yaml")


def test_a_scalar_keeps_its_type_however_often_its_text_recurs() -> None:
    text = "[yes, 'yes', !!str yes, yes, 1, '1', !!str 1, !!float 1, 1, ~, '~', ~, .nan, .nan]"
    value = parse_yaml(text, "f.yaml")
    kinds = [type(item).__name__ for item in value]
    assert kinds == [
        *("bool", "str", "str", "bool", "int", "str", "str", "float", "int"),
        *("NoneType", "str", "NoneType", "float", "float"),
    ]
    assert value[-1] is value[-2]  # PyYAML's one .nan, as before


def test_a_plain_key_stays_the_text_the_user_wrote() -> None:
    value = parse_yaml("{no: 1, yes: 2, on: 3, 1e3: 4, 010: 5, ~: 6, 'off': 7}", "f.yaml")
    assert list(value) == ["no", "yes", "on", "1e3", "010", "~", "off"]


def test_an_integer_python_cannot_read_is_one_line() -> None:
    with pytest.raises(InputError, match="a number of 5,000 digits; at most 4,300 are read"):
        parse_yaml("a: " + "1" * 5000, "f.yaml")


def test_aliased_values_are_one_object_and_merge_keys_keep_their_marks() -> None:
    value = parse_yaml("base: &b {p: [1], q: 2}\nuse: {<<: *b, q: 3}\nagain: *b\n", "f.yaml")
    assert value["again"] is value["base"]
    assert value["use"]["p"] is value["base"]["p"]
    assert value["use"] == {"p": [1], "q": 3}
    assert value["use"].marks == {"p": (1, 11), "q": (2, 15)}


def test_a_collection_tag_on_the_wrong_kind_of_node_is_a_yaml_error() -> None:
    for text, found in [("x: !!map foo", "scalar"), ("!!seq {a: 1}", "mapping")]:
        with pytest.raises(InputError, match=f"but found {found}"):
            parse_yaml(text, "f.yaml")


def test_the_tag_cache_assumes_no_path_resolvers() -> None:
    for loader in (yamlfile._Loader, yamlfile._TrustedShapeLoader, yamlfile._PythonParserLoader):
        assert not loader.yaml_path_resolvers


@pytest.mark.parametrize("was_enabled", [True, False])
def test_the_cycle_collector_is_left_as_it_was(was_enabled: bool) -> None:
    (gc.enable if was_enabled else gc.disable)()
    try:
        parse_yaml("a: 1", "f.yaml")
        assert gc.isenabled() is was_enabled
        with pytest.raises(InputError):
            parse_yaml("a: 1\na: 2", "f.yaml")
        assert gc.isenabled() is was_enabled
    finally:
        gc.enable()


WITHOUT_LIBYAML = """
import sys, yaml
del yaml.CSafeLoader
sys.path.insert(0, sys.argv[1])
from advisor.formats import yamlfile
assert yamlfile._BaseLoader is yaml.SafeLoader
from test_yamlbuild import outcome
print(repr([outcome(open(f, encoding="utf-8").read()) for f in sys.argv[2:]]))
"""


def test_the_pure_python_loader_gives_the_same(tmp_path: Path) -> None:
    texts = [path.read_text(encoding="utf-8") for path in FILES] + TEXTS + BAD_TEXTS
    names = []
    for index, text in enumerate(texts):
        names.append(str(tmp_path / f"{index}.yaml"))
        Path(names[-1]).write_text(text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_LIBYAML, str(REPO), *names],
        cwd=Path(__file__).parent,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == repr([outcome(text) for text in texts])
