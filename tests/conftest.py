"""Fixtures: the shipped rules and small YAML files written to tmp_path."""

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
