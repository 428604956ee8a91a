"""The quick dumper writes what PyYAML's safe dumper (on the same emitter) writes, and what
it writes reads back as the same data."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.formats.yamlout import BaseDumper, ManifestDumper, PlainDumper, YesNoDumper

SCALARS = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["yes", "no", "null", "~", "1.0", "0x1F", "2026-11-25", "- a", "a: b", "#x"]),
    st.integers(),
    st.booleans(),
    st.none(),
)
TREES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=12), children, max_size=4),
    ),
    max_leaves=30,
)
# The files written are mappings.
DOCUMENTS = st.dictionaries(st.text(max_size=12), TREES, max_size=5)


class _ReferenceYesNo(BaseDumper):  # type: ignore[valid-type,misc]
    pass


_ReferenceYesNo.add_representer(
    bool, lambda d, v: d.represent_scalar("tag:yaml.org,2002:bool", "yes" if v else "no")
)


def _dump(data: Any, dumper: type, **options: Any) -> str:
    return yaml.dump(data, Dumper=dumper, sort_keys=False, width=100, **options)


@settings(max_examples=300, deadline=None)
@given(DOCUMENTS)
def test_plain_data_is_written_as_the_safe_dumper_writes_it(tree: Any) -> None:
    assert _dump(tree, PlainDumper) == _dump(tree, BaseDumper)
    assert _dump(tree, PlainDumper, allow_unicode=True) == _dump(
        tree, BaseDumper, allow_unicode=True
    )
    assert _dump(tree, YesNoDumper, allow_unicode=True) == _dump(
        tree, _ReferenceYesNo, allow_unicode=True
    )


@settings(max_examples=100, deadline=None)
@given(DOCUMENTS)
def test_what_is_written_reads_back_as_the_same_data(tree: Any) -> None:
    assert yaml.safe_load(_dump(tree, PlainDumper, allow_unicode=True)) == tree
    assert yaml.safe_load(_dump(tree, YesNoDumper, allow_unicode=True)) == tree


def test_other_values_still_go_through_pyyaml_and_sorting_is_honoured() -> None:
    data = {"b": 1.5, "a": [float("inf"), 1e17]}
    assert _dump(data, PlainDumper) == _dump(data, BaseDumper)
    assert yaml.dump(data, Dumper=PlainDumper) == yaml.dump(data, Dumper=BaseDumper)


def test_manifests_quote_text_that_go_reads_as_a_number() -> None:
    data = {"env": ["1e3", "-1.5E-3", "0o17", "0X1F", "0B1", "1e3x", "e3", 7]}
    written = yaml.dump(data, Dumper=ManifestDumper, sort_keys=False)
    assert written == "env:\n- '1e3'\n- '-1.5E-3'\n- '0o17'\n- '0X1F'\n- '0B1'\n- 1e3x\n- e3\n- 7\n"
    assert yaml.safe_load(written) == data
