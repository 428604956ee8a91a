"""An answer a prompt shows as given is on disk: the answers file is written in the key
handler that closes the prompt, before its closing line (``? What is shop? a primary
application``) is drawn and before the engine works out what the answer implies. In
process, the order of the write and the drawing; end to end, a ``kill -9`` the instant the
closing line appears, for a role, a yes/no answer and a choice in the review."""

from __future__ import annotations

import os
import re
import signal
import sys

import pexpect
import pytest
import yaml
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output

from advisor.domain.answers import AnswersFile
from advisor.domain.model import Answer, Pair
from advisor.engine.known import KEPT
from advisor.engine.questionnaire import Questionnaire
from advisor.formats.inventory import inventory_from_data
from advisor.terminal.session import run_session
from tests.helpers import REPO, container, inventory_dict

DOWN = "\x1b[B"
# A prompt's closing line: the question, then the answer in the answer style.
STYLED = r"\x1b\[[0-9;]*m"


class Screen:
    """A terminal's output as text, written by prompt_toolkit's own VT100 renderer."""

    encoding = "utf-8"

    def __init__(self) -> None:
        self.text = ""

    def write(self, data: str) -> int:
        self.text += data
        return len(data)

    def flush(self) -> None:
        pass


def drawn_and_written(
    questionnaire: Questionnaire, keys: str, written: list[AnswersFile] | None = None
) -> tuple[str, list[int]]:
    """Run a session on ``keys`` (then Ctrl-D): what it drew, and how much of it was on
    screen at each write of the answers (which go to ``written``)."""
    screen = Screen()
    output = Vt100_Output(screen, lambda: Size(rows=40, columns=120), enable_cpr=False)
    written_at: list[int] = []

    def write(answers: AnswersFile) -> None:
        written_at.append(len(screen.text))
        if written is not None:
            written.append(answers)

    with create_pipe_input() as pipe:
        pipe.send_text(keys + "\x04")
        with pytest.raises(EOFError):
            run_session(questionnaire, lambda: None, input=pipe, output=output, write_answers=write)
    return screen.text, written_at


def closing_line(text: str, question: str, answer: str) -> int:
    """Where in ``text`` the closing line showing ``answer`` to ``question`` starts."""
    found = re.search(re.escape(question) + " " + STYLED + re.escape(answer), text)
    assert found is not None, text
    return found.start()


def test_a_yes_no_answer_is_written_before_its_closing_line_is_drawn(rules) -> None:
    inventory = inventory_from_data(inventory_dict(container("web"), container("db")), "x.yaml")
    questionnaire = Questionnaire(inventory, rules, exhaustive=True)
    text, written_at = drawn_and_written(questionnaire, "y")
    shown = closing_line(text, "Do web and db have to run on the same host?", "Yes")
    assert written_at and written_at[0] < shown


def test_a_role_is_written_before_its_closing_line_is_drawn(rules) -> None:
    inventory = inventory_from_data(inventory_dict(container("web"), container("db")), "x.yaml")
    questionnaire = Questionnaire(inventory, rules)
    # The roles screen: "Change web" (second); its list: a primary application.
    text, written_at = drawn_and_written(questionnaire, DOWN + "\r" + "\r")
    shown = closing_line(text, "What is web?", "a primary application")
    assert written_at and written_at[0] < shown


def test_the_roles_kept_are_written_before_the_screens_closing_line_is_drawn(rules) -> None:
    inventory = inventory_from_data(inventory_dict(container("web"), container("db")), "x.yaml")
    questionnaire = Questionnaire(inventory, rules)
    text, written_at = drawn_and_written(questionnaire, "\r")
    shown = closing_line(text, "Are these roles right?", "Yes, they are right")
    assert written_at and written_at[0] < shown


def test_keeping_a_contradicted_answer_is_written_before_its_closing_line(rules) -> None:
    names = ("a", "b", "c")
    inventory = inventory_from_data(inventory_dict(*map(container, names)), "x.yaml")
    yes, no = Answer(True), Answer(False)
    said = {Pair.of("a", "b"): {"same_host": yes}, Pair.of("b", "c"): {"same_host": yes}}
    said[Pair.of("a", "c")] = {"same_host": no}  # against what the other two imply
    questionnaire = Questionnaire(inventory, rules, AnswersFile(pairs=said))
    assert questionnaire.contradictions
    written: list[AnswersFile] = []
    text, written_at = drawn_and_written(questionnaire, "y", written)
    question = "Keep your answer for a + c (no)? n uses the inferred answer (yes)"
    shown = closing_line(text, question, "Yes")
    assert written_at and written_at[0] < shown
    kept = written[0].pairs[Pair.of("a", "c")]["same_host"]
    assert (kept.value, kept.reason) == (False, KEPT)


def test_the_answers_written_at_the_key_are_the_users_with_the_new_answer(rules) -> None:
    inventory = inventory_from_data(inventory_dict(container("web"), container("db")), "x.yaml")
    questionnaire = Questionnaire(inventory, rules, exhaustive=True)
    given = questionnaire.given(("pair", ("db", "web"), "same_host"), False)
    assert {p.label(): {q: a.value for q, a in s.items()} for p, s in given.pairs.items()} == {
        "db + web": {"same_host": False}
    }
    assert given.asked == 1
    assert questionnaire.own_answers().pairs == {}  # nothing recorded in the engine yet


# --- end to end: kill -9 the instant the closing line appears ------------------------------


def spawn(folder, *arguments):
    return pexpect.spawn(
        sys.executable,
        [
            "-m",
            "advisor",
            "ask",
            "app.yaml",
            "--answers",
            "answers.yaml",
            "--out",
            "out",
            *arguments,
        ],
        cwd=str(folder),
        env={**os.environ, "TERM": "xterm", "PYTHONPATH": str(REPO), "PROMPT_TOOLKIT_NO_CPR": "1"},
        dimensions=(40, 120),
        encoding="utf-8",
        timeout=20,
    )


def kill_at_closing_line(child, question: str, answer: str) -> None:
    """Kill ``child`` outright the instant it shows ``answer`` given to ``question``."""
    child.expect(re.escape(question) + " " + STYLED + re.escape(answer))
    child.kill(signal.SIGKILL)
    child.close()


def saved(folder):
    return yaml.safe_load((folder / "answers.yaml").read_text())


def test_roles_killed_at_the_first_second_and_third_closing_line_are_on_disk(
    write_yaml, tmp_path
) -> None:
    names = ["shop", "cart", "db"]
    write_yaml(inventory_dict(*(container(n) for n in names)), "app.yaml")
    for number, name in enumerate(names, start=1):
        child = spawn(tmp_path)  # each resumes the last, taking over its stale lock
        child.expect_exact("Are these roles right?")
        child.send(DOWN * number + "\r")  # "Change NAME"
        child.expect_exact(f"What is {name}?")
        child.send("\r")
        kill_at_closing_line(child, f"What is {name}?", "a primary application")
        assert saved(tmp_path)["roles"] == {n: "primary" for n in names[:number]}
        assert saved(tmp_path)["asked"] == number


def test_the_roles_kept_killed_at_the_screens_closing_line_are_on_disk(
    write_yaml, tmp_path
) -> None:
    write_yaml(inventory_dict(container("web"), container("db")), "app.yaml")
    child = spawn(tmp_path)
    child.expect_exact("Are these roles right?")
    child.send("\r")
    kill_at_closing_line(child, "Are these roles right?", "Yes, they are right")
    assert saved(tmp_path)["roles"] == {"web": "primary", "db": "primary"}
    assert saved(tmp_path)["asked"] == 1


def test_a_yes_no_answer_killed_at_its_closing_line_is_on_disk(write_yaml, tmp_path) -> None:
    write_yaml(inventory_dict(container("web"), container("db")), "app.yaml")
    child = spawn(tmp_path, "--exhaustive")
    child.expect(r"\(y/n")
    child.send("n")
    kill_at_closing_line(child, "Do web and db have to run on the same host?", "No")
    assert saved(tmp_path)["pairs"] == {"web + db": {"same_host": False}}


def test_a_review_choice_killed_at_its_closing_line_is_on_disk(write_yaml, tmp_path) -> None:
    write_yaml(inventory_dict(container("web"), container("db")), "app.yaml")
    (tmp_path / "answers.yaml").write_text("version: 1\npairs:\n  web + db: {same_host: no}\n")
    child = spawn(tmp_path, "--exhaustive")
    child.expect_exact("All questions are answered.")
    child.send(DOWN + DOWN + "\r")  # change how a pod runs
    child.expect_exact("Which pod?")
    child.send("\r")  # the first
    child.expect(r"How does (\w+) run\?")
    pod = child.match.group(1)
    child.send(DOWN + DOWN + "\r")  # a Job
    kill_at_closing_line(child, f"How does {pod} run?", "a Job")
    assert saved(tmp_path)["workloads"] == {pod: "job"}
