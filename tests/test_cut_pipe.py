"""A reader of standard output that goes away (``| head -1``) ends the command with 141,
quietly, whatever the size of the output: every write is checked to its last byte, the
last flush at exit too. ``-o -`` is standard output for every drawing format."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.commands.stdout import EXIT_BROKEN_PIPE

REPO = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(REPO)}
SMALL = "containers:\n  - {name: web, image: nginx}\n  - {name: db, image: postgres}\n"


def inventory(folder: Path, containers: int, command_size: int = 0) -> Path:
    """An inventory of ``containers`` primaries, each with a command of ``command_size``
    characters (the output grows with both)."""
    lines = ["containers:"]
    for i in range(containers):
        command = f", command: [sh, -c, 'echo {'x' * command_size}']" if command_size else ""
        lines.append(
            f"  - {{name: c{i}, image: nginx, role: primary, ports: [{8000 + i}]{command}}}"
        )
    path = folder / "app.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def command(*argv: str) -> list[str]:
    return [sys.executable, "-m", "advisor", *argv]


def output_size(folder: Path, argv: list[str]) -> int:
    result = subprocess.run(
        command(*argv), cwd=folder, env=ENV, capture_output=True, timeout=120, check=True
    )
    return len(result.stdout)


def read_one_line_then_close(folder: Path, argv: list[str]) -> subprocess.CompletedProcess[str]:
    """Run the command into a pipe whose reader reads one line and leaves, as ``head -1``."""
    with subprocess.Popen(
        command(*argv),
        cwd=folder,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()
        process.stdout.close()
        error = process.stderr.read().decode()
        code = process.wait(timeout=120)
    return subprocess.CompletedProcess(argv, code, "", error)


def read_nothing(folder: Path, argv: list[str]) -> subprocess.CompletedProcess[str]:
    """Run the command into a pipe whose reader left before the first byte."""
    reading, writing = os.pipe()
    os.close(reading)
    try:
        return subprocess.run(
            command(*argv),
            cwd=folder,
            env=ENV,
            stdout=writing,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(writing)


@pytest.mark.parametrize(
    ("containers", "command_size", "at_least"),
    [(300, 0, 100_000), (40, 100_000, 3_000_000)],
    ids=["over-the-pipe-buffer", "megabytes"],
)
def test_plan_into_a_reader_that_leaves_after_a_line_exits_141(
    tmp_path: Path, containers: int, command_size: int, at_least: int
) -> None:
    inventory(tmp_path, containers, command_size)
    assert output_size(tmp_path, ["plan", "app.yaml"]) > at_least  # more than a pipe holds
    result = read_one_line_then_close(tmp_path, ["plan", "app.yaml"])
    assert (result.returncode, result.stderr) == (EXIT_BROKEN_PIPE, "")


def test_explain_into_a_reader_that_leaves_after_a_line_exits_141(tmp_path: Path) -> None:
    inventory(tmp_path, 1500)
    assert output_size(tmp_path, ["explain", "app.yaml"]) > 100_000
    result = read_one_line_then_close(tmp_path, ["explain", "app.yaml"])
    assert (result.returncode, result.stderr) == (EXIT_BROKEN_PIPE, "")


@pytest.mark.parametrize(
    "argv",
    [
        ["plan", "app.yaml"],
        ["explain", "app.yaml"],
        ["explain", "app.yaml", "web", "db"],
        ["plan", "app.yaml", "--format", "dot"],
        ["plan", "app.yaml", "--format", "dot", "-o", "-"],
        ["--help"],
        ["plan", "--help"],
        ["--version"],
    ],
)
def test_a_small_output_into_a_reader_that_reads_nothing_exits_141(
    tmp_path: Path, argv: list[str]
) -> None:
    (tmp_path / "app.yaml").write_text(SMALL)
    result = read_nothing(tmp_path, argv)
    assert (result.returncode, result.stderr) == (EXIT_BROKEN_PIPE, "")


def test_a_small_output_read_whole_exits_0(tmp_path: Path) -> None:
    (tmp_path / "app.yaml").write_text(SMALL)
    result = subprocess.run(
        command("plan", "app.yaml"), cwd=tmp_path, env=ENV, capture_output=True, timeout=60
    )
    assert result.returncode == 0
    assert result.stdout.startswith(b"---\napiVersion:")


# --- -o - -----------------------------------------------------------------------------------


def draw_to_stdout(folder: Path, image_format: str) -> subprocess.CompletedProcess[bytes]:
    (folder / "app.yaml").write_text(SMALL)
    return subprocess.run(
        command("plan", "app.yaml", "--format", image_format, "-o", "-"),
        cwd=folder,
        env=ENV,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def test_dot_to_dash_goes_to_standard_output_not_a_file(tmp_path: Path) -> None:
    result = draw_to_stdout(tmp_path, "dot")
    assert result.returncode == 0
    assert result.stdout.startswith(b'digraph "app" {')
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.yaml"]


def test_png_to_dash_writes_the_picture_on_standard_output(tmp_path: Path) -> None:
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed")
    result = draw_to_stdout(tmp_path, "png")
    assert (result.returncode, result.stderr) == (0, b"")
    assert result.stdout.startswith(b"\x89PNG\r\n\x1a\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.yaml"]


def test_png_to_dash_on_a_terminal_is_refused_with_one_line(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    (tmp_path / "app.yaml").write_text(SMALL)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "advisor", "plan", "app.yaml", "--format", "png", "-o", "-"],
        cwd=str(tmp_path),
        env=ENV,
        encoding="utf-8",
        timeout=60,
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2
    assert child.before.strip() == (
        "pod-advisor: error: --format png -o -: standard output is a terminal, which shows "
        "no picture; redirect it to a file or a pipe, or give -o FILE"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.yaml"]


def test_png_to_dash_with_out_leaves_standard_output_to_the_picture(tmp_path: Path) -> None:
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed")
    (tmp_path / "app.yaml").write_text(SMALL)
    result = subprocess.run(
        command("plan", "app.yaml", "--format", "png", "-o", "-", "--out", "out"),
        cwd=tmp_path,
        env=ENV,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert result.returncode == 0
    assert result.stdout.startswith(b"\x89PNG") and result.stdout.endswith(b"IEND\xaeB`\x82")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "layout.yaml",
        "pods.yaml",
        "report.md",
    ]
