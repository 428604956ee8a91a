"""The speed benchmark's quick run works and prints its tables (timings are not checked)."""

import subprocess
import sys

from helpers import REPO


def test_quick_speed_benchmark_prints_its_tables():
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "speed.py"), "--quick"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "`pod-advisor --help`" in text and "first question" in text
    assert "| 10 | exhaustive |" in text and "key press to next question" in text
    assert "| 100 | 10 |" in text
    assert "| a chain (each with the next) | 200 | 199 |" in text
    assert "| random pairs | 200 | 200 |" in text
