"""The command line end to end: batch planning, strict mode, bad input, and ask without a
terminal."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
import yaml
from helpers import (
    REPO,
    SHOP_ANSWERS,
    SHOP_INVENTORY,
    assert_valid_pod,
    container,
    inventory_dict,
    pods_of,
)

from advisor import cli
from advisor.cli import main

OUTPUTS = ("pods.yaml", "layout.yaml", "report.md")


def run_advisor(*args, cwd=None):
    """``python -m advisor ARGS`` with stdin not a terminal."""
    return subprocess.run(
        [sys.executable, "-m", "advisor", *map(str, args)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd=cwd or REPO,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def assert_one_line_error(result):
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


# --- plan -------------------------------------------------------------------------


def test_plan_prints_valid_manifests(capsys):
    assert cli.main(["plan", str(SHOP_INVENTORY), "--answers", str(SHOP_ANSWERS)]) == 0
    manifests = list(yaml.safe_load_all(capsys.readouterr().out))
    assert len(pods_of(manifests)) == 3
    for manifest in manifests:
        assert_valid_pod(manifest)


def test_plan_as_a_module_prints_valid_manifests():
    result = run_advisor("plan", SHOP_INVENTORY, "--answers", SHOP_ANSWERS)
    assert result.returncode == 0, result.stderr
    manifests = list(yaml.safe_load_all(result.stdout))
    assert sorted(m["metadata"]["name"] for m in pods_of(manifests)) == ["api", "db", "web"]
    for manifest in manifests:
        assert_valid_pod(manifest)


def test_plan_with_out_writes_the_three_files(tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["plan", str(SHOP_INVENTORY), "--answers", str(SHOP_ANSWERS), "--out", str(out)]
    assert cli.main(argv) == 0
    assert sorted(os.listdir(out)) == sorted(OUTPUTS)
    for manifest in yaml.safe_load_all((out / "pods.yaml").read_text()):
        assert_valid_pod(manifest)
    layout = yaml.safe_load((out / "layout.yaml").read_text())
    assert len(layout["pods"]) == 3
    assert (out / "report.md").read_text().startswith("# Pod layout for shop")


def test_plan_without_answers_keeps_everything_apart(capsys):
    assert cli.main(["plan", str(SHOP_INVENTORY)]) == 0
    captured = capsys.readouterr()
    assert len(pods_of(yaml.safe_load_all(captured.out))) == 6
    assert "unanswered" in captured.err


def test_strict_with_missing_answers_lists_every_missing_pair(write_yaml):
    inventory = write_yaml(
        inventory_dict(container("web"), container("proxy"), container("db"), container("cache"))
    )
    answers = write_yaml({"pairs": {"web + proxy": {"same_host": "no"}}}, "answers.yaml")
    result = run_advisor("plan", inventory, "--answers", answers, "--strict")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    for pair in ("web + db", "web + cache", "proxy + db", "proxy + cache", "db + cache"):
        a, b = pair.split(" + ")
        assert pair in result.stderr or f"{b} + {a}" in result.stderr, pair
    assert "web + proxy" not in result.stderr and "proxy + web" not in result.stderr


def test_strict_with_every_pair_answered_succeeds():
    result = run_advisor("plan", SHOP_INVENTORY, "--answers", SHOP_ANSWERS, "--strict")
    assert result.returncode == 0, result.stderr


# --- bad input ------------------------------------------------------------------------


# Each returns (inventory, answers or None, the file the error must name).


def bad_port(write_yaml):
    inventory = write_yaml("containers:\n  - name: web\n    image: a\n    ports: [70000]\n")
    return inventory, None, inventory


def bad_yaml(write_yaml):
    inventory = write_yaml("containers: [\n")
    return inventory, None, inventory


def unknown_container_in_answers(write_yaml):
    inventory = write_yaml(inventory_dict(container("web"), container("db")))
    answers = write_yaml("pairs:\n  web + cache:\n    same_host: no\n", "answers.yaml")
    return inventory, answers, answers


def missing_answers_file(write_yaml):
    inventory = write_yaml(inventory_dict(container("web"), container("db")))
    answers = inventory.parent / "nope.yaml"
    return inventory, answers, answers


@pytest.mark.parametrize(
    "make",
    [bad_port, bad_yaml, unknown_container_in_answers, missing_answers_file],
    ids=lambda f: f.__name__,
)
def test_bad_input_is_one_line_and_writes_nothing(write_yaml, tmp_path, make):
    inventory, answers, named = make(write_yaml)
    out = tmp_path / "out"
    args = ["plan", inventory, "--out", out]
    if answers is not None:
        args += ["--answers", answers]
    result = run_advisor(*args)
    line = assert_one_line_error(result)
    assert line.startswith("pod-advisor")
    assert str(named) in line
    assert not out.exists() or os.listdir(out) == []


def test_missing_inventory_is_one_line(tmp_path):
    result = run_advisor("plan", tmp_path / "app.yaml", "--out", tmp_path / "out")
    line = assert_one_line_error(result)
    assert str(tmp_path / "app.yaml") in line
    assert not (tmp_path / "out").exists()


def test_bad_input_keeps_earlier_outputs_untouched(write_yaml, tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["plan", str(SHOP_INVENTORY), "--answers", str(SHOP_ANSWERS), "--out", str(out)]
    assert cli.main(argv) == 0
    before = {name: (out / name).read_bytes() for name in OUTPUTS}
    broken = write_yaml("containers:\n  - name: web\n", "broken.yaml")
    assert cli.main(["plan", str(broken), "--out", str(out)]) == 2
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == before


def test_main_returns_exit_code_two_on_bad_input(write_yaml, capsys):
    broken = write_yaml("containers:\n  - name: web\n")
    assert cli.main(["plan", str(broken)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert str(broken) in captured.err


# --- ask without a terminal ------------------------------------------------------------


def test_ask_without_a_terminal_points_to_plan(write_yaml, tmp_path):
    inventory = write_yaml(inventory_dict(container("web"), container("db")))
    result = run_advisor(
        "ask", inventory, "--answers", tmp_path / "answers.yaml", "--out", tmp_path / "out"
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "plan" in result.stderr
    assert not (tmp_path / "out").exists()


def test_ask_without_a_terminal_and_nothing_open_writes_the_outputs(tmp_path):
    answers = tmp_path / "answers.yaml"
    shutil.copy(SHOP_ANSWERS, answers)
    out = tmp_path / "out"
    result = run_advisor("ask", SHOP_INVENTORY, "--answers", answers, "--out", out)
    assert result.returncode == 0, result.stderr
    assert sorted(os.listdir(out)) == sorted(OUTPUTS)


def test_the_summary_uses_a_wide_terminals_width(tmp_path):
    child = pexpect.spawn(
        sys.executable,
        [
            "-m",
            "advisor",
            "plan",
            str(SHOP_INVENTORY),
            "--answers",
            str(SHOP_ANSWERS),
            "--out",
            str(tmp_path / "out"),
        ],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        dimensions=(40, 160),
        encoding="utf-8",
        timeout=20,
    )
    child.expect(pexpect.EOF)
    lines = child.before.splitlines()
    (counts,) = [line for line in lines if "containers," in line]
    assert "pairs left unanswered" in counts  # the whole line, not wrapped at 80 columns
    assert len(counts) > 80


def test_explain_reads_no_default_answers_file_when_its_name_would_be_too_long(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A 245-character inventory name is legal; NAME.answers.yaml would not be: there is none.
    inventory = tmp_path / ("n" * 245 + ".yaml")
    inventory.write_text("containers:\n  - {name: web, image: nginx}\n  - {name: db, image: pg}\n")
    monkeypatch.chdir(tmp_path)
    assert main(["explain", inventory.name]) == 0
    out, err = capsys.readouterr()
    assert "pod web: web" in out and err == ""
