"""Fixtures: the shipped rules and small YAML files written to tmp_path; the slow mark."""

import pytest
import yaml

from advisor.formats.rules import load_rules


@pytest.fixture
def rules():
    return load_rules()


@pytest.fixture
def write_yaml(tmp_path):
    """Write a small inline dict (or raw text) to tmp_path and return the path."""

    def write(data, name="inventory.yaml"):
        path = tmp_path / name
        text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    return write


# Whole modules that are slow by what they do: the benchmarks, every corpus file, and
# kustomize builds (a kubectl process per case).
SLOW_MODULES = frozenset(
    {
        "test_benchmark_questions",
        "test_benchmark_speed",
        "test_compose_corpus",
        "test_kustomize_build",
    }
)


def is_slow(item: pytest.Item) -> bool:
    """A test is slow when it drives the real command in a pseudo-terminal (its module uses
    pexpect), runs a hypothesis search, or belongs to a module slow by what it does."""
    module = getattr(item, "module", None)
    if module is None:
        return False
    function = getattr(item, "function", None)
    return (
        module.__name__.rpartition(".")[2] in SLOW_MODULES
        or hasattr(module, "pexpect")
        or getattr(function, "is_hypothesis_test", False)
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the slow tests, so that `pytest -m "not slow"` is the quick loop."""
    for item in items:
        if is_slow(item):
            item.add_marker(pytest.mark.slow)
