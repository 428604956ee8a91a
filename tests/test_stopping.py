"""Every way an ``ask`` session can be stopped ends as Ctrl-C does: exit code 130, one line
saying how to continue, no traceback, every answer written. The real command in a
pseudo-terminal: a terminal that goes away, Ctrl-C or ``kill -INT`` at any moment (a
question on screen, the outputs being written), Ctrl-D in a list, Ctrl-C while Python starts,
and a session stopped at the review continuing at the review."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pexpect
import pytest
import yaml
from helpers import REPO, SHOP_INVENTORY, container, inventory_dict
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from advisor.formats.lock import lock_path
from advisor.terminal.choose import ChoicePrompt
from advisor.terminal.screen import prompt_style

ENV = {**os.environ, "TERM": "xterm", "PYTHONPATH": str(REPO), "PROMPT_TOOLKIT_NO_CPR": "1"}
ASK = [sys.executable, "-m", "advisor", "ask"]
REVIEW = "All questions are answered."


def spawn(program, arguments, cwd):
    return pexpect.spawn(
        program,
        arguments,
        cwd=str(cwd),
        env=ENV,
        dimensions=(40, 120),
        encoding="utf-8",
        timeout=10,
    )


def spawn_ask(cwd, *arguments):
    return spawn(ASK[0], [*ASK[1:], *arguments], cwd)


def finish(child):
    child.expect(pexpect.EOF)
    child.close()
    return child.before, child.exitstatus, child.signalstatus


def wait_for(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert condition()


def close_terminal(child):
    """Close the terminal as a terminal emulator closing its window does: its master side
    goes, and reading or writing the terminal fails from then on (EIO). pexpect's own
    ``close`` would also signal the process, which a closing window does not."""
    child.ptyproc.fileobj.close()


def two_containers(write_yaml):
    write_yaml(inventory_dict(container("web"), container("db")), "app.yaml")


# --- 1. closing the terminal ---------------------------------------------------------------


def _shop_to_the_second_group_question(tmp_path, command):
    shutil.copy(SHOP_INVENTORY, tmp_path / "app.yaml")
    child = spawn("/bin/bash", ["-c", command], tmp_path)
    child.expect_exact("Are these roles right?")
    child.send("\r")  # Enter keeps the roles on screen
    child.expect_exact("have to run on the same host?")
    child.send("y")
    child.expect_exact("be managed as a single unit?")
    child.send("y")
    child.expect_exact("have to be scaled together?")  # unified_whole: naming the helpers
    return child


@pytest.mark.parametrize("hang_up", [False, True])
def test_closing_the_terminal_stops_with_every_answer_written_and_no_traceback(hang_up, tmp_path):
    """Without a hang-up signal (a shell between the terminal and ``ask`` that ignores it,
    as ``tmux kill-session`` leaves it), the terminal simply fails; with one, both come."""
    python = " ".join(ASK)
    if hang_up:  # ask is the terminal's session leader: the kernel sends it SIGHUP
        command = f"exec {python} app.yaml 2>err.txt"
    else:
        command = f"trap '' HUP; {python} app.yaml 2>err.txt; echo $? > rc.txt"
    child = _shop_to_the_second_group_question(tmp_path, command)
    close_terminal(child)
    if hang_up:
        child.ptyproc.wait()
        child.close()
        code = child.exitstatus
    else:
        wait_for(lambda: (tmp_path / "rc.txt").exists() and (tmp_path / "rc.txt").read_text())
        child.close()
        code = int((tmp_path / "rc.txt").read_text())
    errors = (tmp_path / "err.txt").read_text()
    assert code == 130, errors
    assert "Traceback" not in errors and "Error" not in errors, errors
    assert errors.strip().startswith("Stopped; 3 answers are saved in app.answers.yaml.")
    answers = tmp_path / "app.answers.yaml"
    text = answers.read_text()
    assert "source: computed" in text  # the file written when the session stops
    pairs = yaml.safe_load(text)["pairs"]
    assert pairs["web + tls-proxy + content-agent"]["single_unit"] is True
    assert not lock_path(answers).exists()
    assert not (tmp_path / "app-pods").exists()


# --- 2. a signal once the last answer is given -------------------------------------------


@pytest.mark.parametrize("how", ["key", "kill"])
def test_ctrl_c_as_the_layout_is_written_writes_it_whole_or_stops_before_it(
    how, write_yaml, tmp_path
):
    """Ctrl-C right after "Write the pod layout" (the terminal, back in its normal mode,
    sends SIGINT; or a ``kill -INT``) at several moments: the outputs are written whole and
    the command ends with 0, or it stops as Ctrl-C does before writing anything."""
    two_containers(write_yaml)
    out = tmp_path / "out"
    ends = set()
    for delay in (0, 0.005, 0.01, 0.02, 0.03, 0.05, 0.08, 0.12):
        shutil.rmtree(out, ignore_errors=True)
        (tmp_path / "answers.yaml").unlink(missing_ok=True)
        child = spawn_ask(
            tmp_path, "app.yaml", "--exhaustive", "--answers", "answers.yaml", "--out", "out"
        )
        child.expect_exact("same host?")
        child.send("n")
        child.expect_exact(REVIEW)
        child.send("\r")
        time.sleep(delay)
        if how == "key":
            child.sendcontrol("c")
        else:
            child.kill(signal.SIGINT)
        printed, code, killed = finish(child)
        assert killed is None and code in (0, 130), (delay, printed)
        assert "Traceback" not in printed and "interrupted" not in printed, printed
        if code == 0:
            assert sorted(p.name for p in out.iterdir()) == [
                "layout.yaml",
                "pods.yaml",
                "report.md",
            ]
        else:
            assert "Stopped; 1 answer is saved in answers.yaml" in printed, printed
            assert not out.exists()
        assert not lock_path(tmp_path / "answers.yaml").exists()
        ends.add(code)
    assert 0 in ends  # the signal came after the answer in some runs at least


# --- 3. kill -INT while a question is on screen ------------------------------------------


@pytest.mark.parametrize("where", ["question", "review"])
def test_kill_int_while_a_question_is_on_screen_stops_as_ctrl_c_does(where, write_yaml, tmp_path):
    two_containers(write_yaml)
    child = spawn_ask(tmp_path, "app.yaml", "--exhaustive", "--answers", "answers.yaml")
    child.expect_exact("same host?")
    child.send("y")
    child.expect_exact("single unit?")
    if where == "review":
        child.send("n")
        child.expect_exact(REVIEW)
    time.sleep(0.3)  # the user reads the question
    child.kill(signal.SIGINT)
    printed, code, _ = finish(child)
    assert code == 130, printed
    assert "Traceback" not in printed
    answered = 2 if where == "review" else 1
    saved_text = "1 answer is" if answered == 1 else f"{answered} answers are"
    assert f"Stopped; {saved_text} saved in answers.yaml" in printed, printed
    saved = yaml.safe_load((tmp_path / "answers.yaml").read_text())["pairs"]["web + db"]
    assert len(saved) == answered


# --- 4. Ctrl-D in a list -----------------------------------------------------------------


def test_ctrl_d_ends_a_list_question():
    with create_pipe_input() as pipe:
        pipe.send_text("\x04")
        prompt = ChoicePrompt(prompt_style(), lambda: None, input=pipe, output=DummyOutput())
        with pytest.raises(EOFError):
            prompt.ask("What is web?", ["a primary application", "a helper of db"])


def test_ctrl_d_at_the_review_stops_the_session(write_yaml, tmp_path):
    two_containers(write_yaml)
    child = spawn_ask(tmp_path, "app.yaml", "--exhaustive", "--answers", "answers.yaml")
    child.expect_exact("same host?")
    child.send("n")
    child.expect_exact(REVIEW)
    child.sendcontrol("d")
    printed, code, _ = finish(child)
    assert code == 130 and "Stopped; 1 answer is saved in answers.yaml" in printed, printed


# --- 5. Ctrl-C while Python starts ---------------------------------------------------------

# Ctrl-C at the moment a module of the program is imported (the first tenth of a second).
INTERRUPTED_IMPORT = """
import runpy, sys

class Interrupt:
    def find_spec(self, name, path=None, target=None):
        if name == "advisor.commands.ask":
            raise KeyboardInterrupt
        return None

sys.meta_path.insert(0, Interrupt())
sys.argv = ["pod-advisor", "ask", "app.yaml"]
runpy.run_module("advisor", run_name="__main__")
"""


def test_ctrl_c_while_the_program_is_loading_ends_with_one_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", INTERRUPTED_IMPORT],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=ENV,
        timeout=30,
    )
    assert result.returncode == 130
    assert result.stderr == "\npod-advisor: interrupted\n"


def test_ctrl_c_at_any_moment_of_the_start_gives_no_traceback_of_the_program(tmp_path):
    """The installed command, interrupted at moments through its start: it ends with one
    line (or in Python's own start, before our code), never with a traceback from our code."""
    script = shutil.which("pod-advisor", path=os.path.dirname(sys.executable))
    if script is None:
        pytest.skip("pod-advisor is not installed beside this Python")
    shutil.copy(SHOP_INVENTORY, tmp_path / "app.yaml")
    for delay in (0.02, 0.05, 0.08, 0.11, 0.15, 0.2):
        process = subprocess.Popen(
            [script, "plan", "app.yaml"],
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=30)
        # The console script imports advisor.cli before main() can catch anything: a Ctrl-C
        # in that import (a few lines of standard modules) is Python's, like its own start.
        ours = [
            line
            for line in errors.splitlines()
            if f'File "{REPO / "advisor"}' in line and not line.endswith("in <module>")
        ]
        assert not ours, (delay, errors)
        if "Fatal Python error" not in errors:  # Python's own start (site), not ours
            assert process.returncode in (0, 130, -signal.SIGINT), (delay, errors)


# --- 6. a session stopped at the review continues at the review ----------------------------


def test_a_session_stopped_at_the_review_continues_at_the_review(write_yaml, tmp_path):
    two_containers(write_yaml)
    command = ["app.yaml", "--exhaustive", "--answers", "answers.yaml", "--out", "out"]
    child = spawn_ask(tmp_path, *command)
    child.expect_exact("same host?")
    child.send("n")
    child.expect_exact(REVIEW)
    child.sendcontrol("c")
    printed, code, _ = finish(child)
    assert code == 130 and "To continue: pod-advisor ask app.yaml" in printed, printed
    assert not (tmp_path / "out").exists()

    child = spawn_ask(tmp_path, *command)  # the command printed
    child.expect_exact("web + db: same_host no")  # the answers, as a review lists them
    child.expect_exact(REVIEW)
    child.send("\r")
    printed, code, _ = finish(child)
    assert code == 0, printed
    assert (tmp_path / "out" / "pods.yaml").exists()
