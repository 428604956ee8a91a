"""The text writer writes what the dumpers write through libyaml (and PyYAML's own emitter),
or refuses and leaves the document to them."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.formats.yamlout import ManifestDumper, PlainDumper
from advisor.formats.yamltext import NotWritable, dump_block

ASCII = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
# Pieces that reach the edges of plain and quoted style: indicators, YAML 1.1 and Go
# numbers, booleans, document markers, spaces that may fold.
INDICATORS = ["- x", "'q'", "#c", "a#b", "a #b", "x: y", '"', "%", "@", "`", "?", ":", "-", "b:"]
NUMBERS_AND_WORDS = ["yes", "null", "~", "1e3", "0x1F", "0o7", "1.5", "12", "---", "..."]
PIECES = st.sampled_from([*INDICATORS, *NUMBERS_AND_WORDS, "a", "word", " ", "  "])
WORDS = st.sampled_from(["word", "w", "longerword", " ", "'", "a: b"])
TEXT = st.one_of(
    st.text(ASCII, max_size=30),
    st.text(" a:#-'", max_size=12),
    st.lists(PIECES, max_size=40).map("".join),
    st.lists(WORDS, max_size=80).map(" ".join),  # long lines, folded
)
KEYS = TEXT.filter(bool)
SCALARS = st.one_of(TEXT, st.integers(), st.booleans(), st.none())
TREES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=4)
    ),
    max_leaves=30,
)
DOCUMENTS = st.dictionaries(KEYS, TREES, min_size=1, max_size=5)


def _reference(document: Any, width: int, manifest: bool, dumper: Any = None) -> str:
    options: dict[str, Any] = {"sort_keys": False, "default_flow_style": False, "width": width}
    if manifest:
        return yaml.dump(document, Dumper=ManifestDumper, explicit_start=True, **options)
    return yaml.dump(document, Dumper=dumper or PlainDumper, allow_unicode=True, **options)


@settings(max_examples=400, deadline=None)
@given(DOCUMENTS, st.sampled_from([20, 40, 100]), st.booleans())
def test_plain_data_is_written_as_the_dumpers_write_it(
    document: Any, width: int, manifest: bool
) -> None:
    try:
        written = dump_block(document, width=width, go_numbers=manifest, explicit_start=manifest)
    except NotWritable:
        return
    assert written == _reference(document, width, manifest)
    if not manifest:  # PyYAML's own emitter, where libyaml is missing
        assert written == _reference(document, width, False, yaml.SafeDumper)


def test_long_text_folds_at_spaces_two_columns_in() -> None:
    document = {"why": ["a: " + "word " * 30 + "end"], "n": {"k": "x " * 60}}
    written = dump_block(document, width=40)
    assert written == _reference(document, 40, False)
    assert "\n  word" in written  # the list item's text goes on two columns past its dash


def test_manifests_quote_what_go_reads_as_a_number() -> None:
    document = {"env": ["1e3", "0o17", "1e3x", 7, True, None, "", "yes"]}
    written = dump_block(document, go_numbers=True, explicit_start=True)
    assert written == "---\nenv:\n- '1e3'\n- '0o17'\n- 1e3x\n- 7\n- true\n- null\n- ''\n- 'yes'\n"
    assert written == _reference(document, 100, True)


@pytest.mark.parametrize(
    "document",
    [
        {"name": "caf\u00e9"},  # beyond ASCII: escaped or not, by allow_unicode
        {"a": "two\nlines"},
        {"a": 1.5},
        {"": 1},  # an empty key
        {"k" * 123: 1},  # a key PyYAML's emitter writes as a complex key
        {1: "a"},
        {},
        ["a"],
    ],
)
def test_what_only_pyyaml_writes_the_same_is_refused(document: Any) -> None:
    with pytest.raises(NotWritable):
        dump_block(document)
