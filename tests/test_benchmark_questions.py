"""A small run of benchmarks/questions.py, so the benchmark cannot rot: the guided
questionnaire must reach the exhaustive questionnaire's pods (and the true ones)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from advisor.formats.rules import load_rules

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location(
        "bench_questions", ROOT / "benchmarks" / "questions.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_questions"] = module
    spec.loader.exec_module(module)
    return module


def test_guided_reaches_the_exhaustive_layout_on_every_small_case(bench):
    rules = load_rules()
    for case in bench.cases([4, 12], seeds=1, rules=rules):
        row = bench.measure(case, rules)
        assert row.same_layout, case.label


def test_guided_finds_the_true_pods_and_asks_exactly_the_lower_bound(bench):
    """A consistent user costs the bound and no more; fewer would mean the bound is wrong."""
    rules = load_rules()
    for case in bench.cases([10], seeds=1, rules=rules):
        asked, pods = bench.simulate(case, rules, exhaustive=False)
        assert sorted(map(sorted, pods)) == sorted(map(sorted, case.truth.pods)), case.label
        assert asked == bench.lower_bound(case, rules), case.label


def test_guided_asks_fewer_questions_than_exhaustive_on_the_shop_example(bench):
    rules = load_rules()
    row = bench.measure(bench.shop_case(rules), rules)
    assert row.same_layout
    assert row.guided < row.exhaustive / 2


def test_benchmark_prints_its_table(bench, capsys):
    assert bench.main(["--sizes", "4", "--seeds", "1"]) == 0
    out = capsys.readouterr().out
    assert "| containers |" in out and "examples/shop" in out


def test_real_compose_applications_cost_one_prompt_per_service_or_fewer(bench):
    """Answered as an expert would, the corpus applications reach the expert's pods in at
    most one prompt per service: the guessed roles are confirmed on one screen (issue 23)."""
    rules = load_rules()
    real = bench.corpus_cases(rules)
    if not real:
        pytest.skip("no shared/corpus/compose beside the repository")
    asked = services = 0
    for case in real:
        count, pods = bench.simulate(case, rules, exhaustive=False)
        assert sorted(map(sorted, pods)) == sorted(map(sorted, case.truth.pods)), case.label
        asked += count
        services += len(case.inventory.containers)
    assert asked / services <= 1.0
