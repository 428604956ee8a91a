"""What ``ask`` writes to its answers file, and when: every answer on screen is on disk
whatever ends the process, old answers stay until new ones replace them, links and
read-only files are handled, an unchanged file is left alone, and a signal stops a session
as Ctrl-C does. The real command in a pseudo-terminal, as a user runs it."""

from __future__ import annotations

import os
import random
import re
import shlex
import signal
import subprocess
import sys

import pexpect
import pytest
import yaml
from helpers import REPO, container, inventory_dict, random_inventory

from advisor.engine.questionnaire import Questionnaire, QuestionStep, RolesStep, RoleStep
from advisor.formats.answercomments import holds_comments
from advisor.formats.answers import dump_answers, dump_own_answers
from advisor.formats.lock import lock_path, lock_text

QUESTION = r"\(y/n"  # the instruction of a question not answered yet
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def spawn(folder, *arguments):
    return pexpect.spawn(
        sys.executable,
        ["-m", "advisor", "ask", *arguments],
        cwd=str(folder),
        env={**os.environ, "TERM": "xterm", "PYTHONPATH": str(REPO), "PROMPT_TOOLKIT_NO_CPR": "1"},
        dimensions=(40, 120),
        encoding="utf-8",
        timeout=10,
    )


def ask(folder, answers="answers.yaml", *options):
    return spawn(folder, "app.yaml", "--exhaustive", "--answers", answers, "--out", "out", *options)


def finish(child):
    """Wait for ``child`` to end; everything it printed since the last match, and its code."""
    child.expect(pexpect.EOF)
    child.close()
    return ANSI.sub("", child.before), child.exitstatus


def given(path):
    """The answers in the file at ``path``, per pair, as plain yes/no."""
    data = yaml.safe_load(path.read_text()) or {}
    return {
        key: {q: (v["answer"] if isinstance(v, dict) else v) for q, v in (answers or {}).items()}
        for key, answers in (data.get("pairs") or {}).items()
    }


def count(pairs):
    return sum(len(answers) for answers in pairs.values())


@pytest.fixture
def app(write_yaml):
    """Four containers, c0 to c3, in app.yaml."""
    return write_yaml(inventory_dict(*(container(f"c{i}") for i in range(4))), "app.yaml")


# --- 1. an answer on screen is on disk, whatever kills the process next -------------------


def test_an_answer_on_screen_is_on_disk_when_the_session_is_killed_as_the_next_question_appears(
    app, tmp_path
):
    answers = tmp_path / "answers.yaml"
    keys = "ynyyn"
    for number, key in enumerate(keys, start=1):
        child = ask(tmp_path)  # each session resumes the last one, taking over its stale lock
        child.expect(QUESTION)
        child.send(key)
        child.expect(QUESTION)  # the next question is on screen: the answer was acknowledged
        child.kill(signal.SIGKILL)
        child.close()
        assert lock_path(answers).exists()  # left behind, as a kill -9 leaves it
        assert count(given(answers)) == number, number
        assert yaml.safe_load(answers.read_text())["asked"] == number
    assert given(answers) == {
        "c0 + c1": {"same_host": True, "single_unit": False},
        "c0 + c2": {"same_host": True, "single_unit": True, "unified_whole": False},
    }


# --- 2. --ask keeps each old answer until a new one replaces it ---------------------------

TEN_ANSWERS = """\
version: 1
pairs:
  c0 + c1:
    {same_host: yes, single_unit: yes, unified_whole: yes, scale_together: yes, fits_node: yes}
  c0 + c2: {same_host: no}
  c0 + c3: {same_host: yes, single_unit: no}
  c1 + c2: {same_host: no}
  c2 + c3: {same_host: no}
"""


def test_ask_again_keeps_the_old_answers_until_the_session_gives_new_ones(app, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text(TEN_ANSWERS)
    child = ask(tmp_path, "answers.yaml", "--ask", "c0 + *")
    child.expect_exact("Do c0 and c1 have to run on the same host?")
    child.expect(QUESTION)
    child.send("n")
    child.expect(QUESTION)
    # The answer is saved before the next question is drawn: the others are all still there.
    saved = given(answers)
    assert count(saved) == 10 and saved["c0 + c1"]["same_host"] is False
    child.sendcontrol("c")
    printed, code = finish(child)
    assert code == 130 and "answers are saved in answers.yaml" in printed
    saved = given(answers)
    assert saved["c0 + c1"] == {
        "same_host": False,
        "single_unit": True,
        "unified_whole": True,
        "scale_together": True,
        "fits_node": True,
    }
    assert saved["c0 + c2"] == {"same_host": False}
    assert saved["c0 + c3"] == {"same_host": True, "single_unit": False}
    assert saved["c1 + c2"] == saved["c2 + c3"] == {"same_host": False}


# --- 3. links and read-only files ---------------------------------------------------------


def test_the_lock_is_the_real_files_so_a_link_to_a_file_in_use_is_refused(app, tmp_path):
    (tmp_path / "real.yaml").write_text("version: 1\npairs: {}\n")
    (tmp_path / "link.yaml").symlink_to("real.yaml")
    holder = ask(tmp_path, "real.yaml")
    holder.expect(QUESTION)
    assert lock_path(tmp_path / "real.yaml").read_text() == lock_text(holder.pid)

    printed, code = finish(ask(tmp_path, "link.yaml"))
    assert code == 2
    assert f"real.yaml is in use by another pod-advisor session (pid {holder.pid})" in printed
    assert not lock_path(tmp_path / "link.yaml").exists()
    holder.sendcontrol("c")
    assert finish(holder)[1] == 130


def test_answers_are_written_through_a_link_which_stays_a_link(app, tmp_path):
    (tmp_path / "kept").mkdir()
    real = tmp_path / "kept" / "answers.yaml"
    real.write_text("version: 1\npairs: {}\n")
    link = tmp_path / "answers.yaml"
    link.symlink_to(real)
    child = ask(tmp_path)
    child.expect_exact("Do c0 and c1 have to run on the same host?")
    assert lock_path(real).exists() and not lock_path(link).exists()
    child.expect(QUESTION)
    child.send("y")
    child.expect(QUESTION)
    child.sendcontrol("c")
    _, code = finish(child)
    assert code == 130
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert given(real) == {"c0 + c1": {"same_host": True}}
    assert not lock_path(real).exists()


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_answers_file_is_refused_before_the_first_question(what, app, tmp_path):
    folder = tmp_path / "answers"
    folder.mkdir()
    answers = folder / "answers.yaml"
    answers.write_text("version: 1\npairs: {}\n")
    read_only = answers if what == "file" else folder
    read_only.chmod(0o555)
    try:
        printed, code = finish(ask(tmp_path, "answers/answers.yaml"))
    finally:
        read_only.chmod(0o755)
    assert code == 2
    assert "same host" not in printed  # no question was asked
    (line,) = printed.strip().splitlines()
    assert line.startswith("pod-advisor: error: answers/answers.yaml: ")
    assert "read-only" in line
    assert answers.read_text() == "version: 1\npairs: {}\n"


# --- 4. a file in which nothing changed is left alone -------------------------------------

FINISHED = """\
# my notes: web and db stay apart, decided with the DBA
version: 1
pairs:
  c0 + c1: {same_host: no}  # the DBA said so
  c0 + c2: {same_host: no}
  c0 + c3: {same_host: no}
  c1 + c2: {same_host: no}
  c1 + c3: {same_host: no}
  c2 + c3: {same_host: no}
"""


def test_ask_on_a_finished_file_leaves_it_as_it_is(app, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text(FINISHED)
    os.utime(answers, ns=(1_000_000_000, 1_000_000_000))
    child = ask(tmp_path)
    child.expect_exact("All questions are answered.")  # the review, as a session ends
    child.send("\r")
    printed, code = finish(child)
    assert code == 0, printed
    assert answers.read_text() == FINISHED
    assert answers.stat().st_mtime_ns == 1_000_000_000
    assert "comments" not in printed


def test_ctrl_c_before_any_answer_leaves_the_file_as_it_is(app, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text("# mine\nversion: 1\npairs:\n  c0 + c1: {same_host: no}\n")
    before = answers.read_bytes(), answers.stat().st_mtime_ns
    child = ask(tmp_path)
    child.expect(QUESTION)
    child.sendcontrol("c")
    printed, code = finish(child)
    assert code == 130 and "Stopped; 1 answer is saved in answers.yaml" in printed
    assert (answers.read_bytes(), answers.stat().st_mtime_ns) == before
    assert not lock_path(answers).exists()


def test_the_comments_warning_comes_once_before_the_first_write(app, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text("version: 1  # started by hand\npairs: {}\n")
    child = ask(tmp_path)
    child.logfile_read = log = _Log()
    for _ in range(3):
        child.expect(QUESTION)
        child.send("y")
    child.expect(QUESTION)
    child.sendcontrol("c")
    _, code = finish(child)
    assert code == 130
    shown = ANSI.sub("", log.text)
    assert shown.count("pod-advisor: warning: answers.yaml: the comments in this file are not") == 1
    assert shown.index("comments in this file") < shown.index("managed as a single unit")
    assert "started by hand" not in answers.read_text()


class _Log:
    """Everything a child printed (pexpect's ``logfile_read``)."""

    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def test_comments_are_told_apart_from_the_header_the_tool_writes_and_quoted_text():
    header = "# pod-advisor answers for app (app.yaml).\n# two\nversion: 1\n"
    assert not holds_comments(header + "pairs: {}\n")
    assert holds_comments(header + "pairs: {}  # mine\n")
    assert holds_comments("# mine\nversion: 1\n")
    assert not holds_comments("pairs:\n  a + b: {same_host: {answer: yes, reason: 'x # y'}}\n")


# --- 5. a signal during a key press stops the session as Ctrl-C does ----------------------


# When the signal is sent: at once after the key (it may arrive before the key is read, or
# while it is), once the answer is shown, and once the next question is being drawn.
MOMENTS = (None, "Yes", "why: A pod is created")


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_right_after_a_key_press_stops_cleanly_with_the_answer_shown_saved(
    number, write_yaml, tmp_path
):
    write_yaml(inventory_dict(container("web"), container("db")), "app.yaml")
    answers = tmp_path / "answers.yaml"
    for moment in MOMENTS * 5:
        answers.unlink(missing_ok=True)
        child = ask(tmp_path)
        child.expect_exact("Do web and db have to run on the same host?")
        child.expect(QUESTION)
        child.send("y")
        if moment is not None:
            child.expect_exact(moment)
        child.kill(number)
        printed, code = finish(child)
        assert code == 130, printed
        assert "Traceback" not in printed and "exception" not in printed, printed
        shown = moment is not None or "host? Yes" in printed
        saved = given(answers) if answers.exists() else {}
        said = (
            "Stopped; 1 answer is saved in answers.yaml"
            if answers.exists()
            else "Stopped; no answer was given, so nothing is saved"
        )
        assert said in printed, printed
        assert saved == ({"web + db": {"same_host": True}} if shown else {})
        assert not lock_path(answers).exists()


# --- the file a session saves after every answer -------------------------------------------


def _act(questionnaire: Questionnaire, rng: random.Random) -> bool:
    """Answer the next question at random, or take an answer back; False when done."""
    if questionnaire.history and rng.random() < 0.1:
        questionnaire.undo()
        return True
    step = questionnaire.next_step()
    if isinstance(step, RolesStep):
        questionnaire.confirm_roles(rng.random() < 0.7)
    elif isinstance(step, RoleStep):
        questionnaire.answer_role(step.container, rng.choice([None, *step.candidates]))
    elif isinstance(step, QuestionStep):
        questionnaire.answer(step, rng.random() < 0.7)
    else:
        return False
    return True


def test_the_own_answers_file_reads_back_as_the_same_document(rules):
    """What is written after every answer is the YAML ``dump_answers`` writes for the same
    answers, and holds every answer of the user's."""
    rng = random.Random(13)
    for trial in range(30):
        questionnaire = Questionnaire(
            random_inventory(rng, rng.randint(2, 8)), rules, exhaustive=trial % 3 == 0
        )
        while _act(questionnaire, rng):
            own = questionnaire.own_answers()
            text = dump_own_answers(own, questionnaire.inventory, rules)
            assert yaml.safe_load(text) == yaml.safe_load(
                dump_answers(own, questionnaire.inventory, rules)
            ), trial
            assert len(questionnaire.user_answers()) == len(own.roles) + sum(
                len(a) for a in [*own.pairs.values(), *own.groups.values()]
            ) + len(own.processes)


def test_the_resume_command_goes_on_with_the_pairs_left_and_the_same_outputs(app, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text(TEN_ANSWERS)
    child = ask(
        tmp_path, "answers.yaml", "--ask", "c0 + *", "--workload", "deployment", "--services"
    )
    child.expect_exact("Do c0 and c1 have to run on the same host?")
    child.expect(QUESTION)
    child.send("n")  # c0 + c1 is done: a no ends the pair
    child.expect(QUESTION)
    child.sendcontrol("c")
    printed, code = finish(child)
    assert code == 130
    resume = " ".join(printed.split()).split("To continue: ")[1]
    assert resume == (
        "pod-advisor ask app.yaml --answers answers.yaml --out out --exhaustive "
        "--ask 'c0 + c2' --ask 'c0 + c3' --workload deployment --services"
    )
    # The printed command asks the pairs left, not the one already answered again.
    again = spawn(tmp_path, *shlex.split(resume)[2:])
    again.expect(QUESTION)
    assert "c0 and c1" not in ANSI.sub("", again.before)
    assert "c0 and c2" in ANSI.sub("", again.before)
    again.sendcontrol("c")
    finish(again)


def test_ctrl_c_with_no_answers_file_says_nothing_is_saved_and_writes_none(app, tmp_path):
    child = ask(tmp_path, "new.answers.yaml")
    child.expect(QUESTION)
    child.sendcontrol("c")
    printed, code = finish(child)
    assert code == 130 and "Stopped; no answer was given, so nothing is saved." in printed
    assert not (tmp_path / "new.answers.yaml").exists()


def test_without_a_terminal_ask_names_no_answers_file_that_does_not_exist(app, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "advisor", "ask", "app.yaml"],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
    )
    assert result.returncode == 2
    assert "answer them in an answers file" in result.stderr
    assert "--answers FILE" in result.stderr and "app.answers.yaml" not in result.stderr


def test_process_answers_of_pods_that_no_longer_exist_are_dropped(app, tmp_path):
    answers = tmp_path / "answers.yaml"
    pairs = "".join(
        f"  c{a} + c{b}: {{same_host: no}}\n" for a in range(4) for b in range(a + 1, 4)
    )
    answers.write_text(f"version: 1\nprocesses:\n  c0 + c1: yes\npairs:\n{pairs}")
    child = ask(tmp_path)
    child.expect_exact("All questions are answered.")
    child.send("\r")  # write the pod layout
    _, code = finish(child)
    assert code == 0
    assert "processes" not in yaml.safe_load(answers.read_text())
