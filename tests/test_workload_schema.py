"""The API's types shipped in rules/workload-schema.json are those of kubernetes-validate's
schema for the Kubernetes version the tests validate against."""

from __future__ import annotations

import subprocess
import sys

from helpers import K8S_VERSION, REPO


def test_the_shipped_types_are_made_from_the_schema_the_tests_validate_against() -> None:
    made = subprocess.run(
        [sys.executable, str(REPO / "tools" / "workload_schema.py"), K8S_VERSION],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert made == (REPO / "rules" / "workload-schema.json").read_text()
