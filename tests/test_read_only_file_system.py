"""File systems that take no more: an output on one mounted read-only is refused before any
work, with one line that says so (EROFS), naming the path (no permission would help there);
a full one stops ``ask`` with one line, no traceback and no lock left behind."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor.cli import main

APP = "containers:\n  - {name: web, image: nginx}\n  - {name: db, image: postgres}\n"


def mounted(folder: Path, options: str) -> Iterator[Path]:
    """``folder`` with an empty tmpfs mounted on it with ``options`` (needs root)."""
    folder.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a file system needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a file system here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A folder with an empty tmpfs mounted read-only on it."""
    yield from mounted(tmp_path / "ro", "ro")


@pytest.fixture
def full(tmp_path: Path) -> Iterator[Path]:
    """A folder on a tmpfs of two pages, both taken."""
    for folder in mounted(tmp_path / "full", "size=8k"):
        (folder / "filler").write_bytes(b"x" * 8192)
        yield folder


@pytest.mark.parametrize("where", ["out", "out/deeper", "."])
def test_plan_out_on_a_read_only_file_system_says_so(
    tmp_path: Path, read_only: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    (tmp_path / "app.yaml").write_text(APP)
    out = read_only / where
    assert main(["plan", str(tmp_path / "app.yaml"), "--out", str(out)]) == 2
    assert capsys.readouterr().err == (
        f"pod-advisor: error: {out}: cannot write there: {read_only} is on a read-only "
        "file system; choose another --out\n"
    )


def test_ask_answers_on_a_read_only_file_system_says_so(
    tmp_path: Path, read_only: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "app.yaml").write_text(APP)
    answers = read_only / "answers.yaml"
    code = main(["ask", str(tmp_path / "app.yaml"), "--answers", str(answers)])
    assert code == 2
    assert capsys.readouterr().err == (
        f"pod-advisor: error: {answers}: cannot be written: it is on a read-only file system; "
        "choose another --answers\n"
    )


def test_ask_with_its_answers_on_a_full_disk_is_one_line_and_no_lock(
    tmp_path: Path, full: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "app.yaml").write_text(APP)
    answers = full / "answers.yaml"
    assert main(["ask", str(tmp_path / "app.yaml"), "--answers", str(answers)]) == 2
    assert capsys.readouterr().err == (
        f"pod-advisor: error: {answers}.lock: cannot write the lock file: No space left on device\n"
    )
    assert sorted(p.name for p in full.iterdir()) == ["filler"]
