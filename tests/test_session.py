"""Sessions keep every answer: going back, reviewing and changing, re-asking, and a kill."""

import os
import shutil
import signal
import sys
import time

import pexpect
import pytest
import yaml
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from advisor.domain.model import Pair
from advisor.engine.questionnaire import Questionnaire, QuestionStep, Verdict
from advisor.formats.inventory import inventory_from_data
from advisor.terminal.review import answer_label
from advisor.terminal.session import run_session
from tests.helpers import REPO, SHOP_ANSWERS, SHOP_INVENTORY, container, inventory_dict

DOWN = "\x1b[B"


def two(rules, exhaustive=True):
    inventory = inventory_from_data(inventory_dict(container("web"), container("db")), "x.yaml")
    return Questionnaire(inventory, rules, exhaustive=exhaustive)


def drive(questionnaire, keys, review=False):
    saved = []
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        run_session(
            questionnaire,
            lambda: saved.append(questionnaire.user_answers()),
            input=pipe,
            output=DummyOutput(),
            review=review,
        )
    return saved


def test_back_takes_the_last_answer_back_and_asks_it_again(rules):
    questionnaire = two(rules)
    saved = drive(questionnaire, "ybn")
    assert [len(s) for s in saved] == [1, 0, 1]  # saved after the answer, the back, the new one
    assert answer_label(questionnaire.user_answers()[0]) == "web + db: same_host no"
    assert questionnaire.verdict(Pair.of("web", "db")) is Verdict.APART
    assert questionnaire.asked_count == 1


def test_going_back_recomputes_what_was_inferred(rules):
    inventory = inventory_from_data(inventory_dict(*(container(n) for n in "abc")), "x.yaml")
    questionnaire = Questionnaire(inventory, rules)
    scale = rules.question("scale_together")
    questionnaire.answer(QuestionStep(("a", "b"), scale), True)
    questionnaire.answer(QuestionStep(("b", "c"), scale), True)
    assert questionnaire.answer_for(Pair.of("a", "c"), "scale_together").value is True
    questionnaire.undo()
    assert questionnaire.answer_for(Pair.of("a", "c"), "scale_together") is None
    assert questionnaire.answer_for(Pair.of("a", "b"), "scale_together").value is True


def test_back_with_nothing_to_take_back_keeps_asking(rules):
    questionnaire = two(rules)
    drive(questionnaire, "bn")
    assert answer_label(questionnaire.user_answers()[0]) == "web + db: same_host no"


def test_the_review_lets_the_user_change_an_answer_before_writing(rules):
    questionnaire = two(rules)
    # same_host no; review: "Change an answer", the only answer, new value yes; then the
    # pair is open again: four more yes; the new pod's process question: yes; review: write.
    drive(questionnaire, "n" + DOWN + "\r" + "\r" + "y" + "yyyy" + "y" + "\r", review=True)
    assert questionnaire.verdict(Pair.of("web", "db")) is Verdict.TOGETHER
    assert questionnaire.shares_processes(("web", "db")) is True


def test_a_reasked_pair_is_asked_even_when_inference_knows_it(rules):
    inventory = inventory_from_data(inventory_dict(*(container(n) for n in "abc")), "x.yaml")
    scale = rules.question("scale_together")
    questionnaire = Questionnaire(inventory, rules, reask=[Pair.of("a", "c")])
    questionnaire.answer(QuestionStep(("a", "b"), scale), True)
    questionnaire.answer(QuestionStep(("b", "c"), scale), True)
    step = questionnaire.next_step()
    assert step.members == ("a", "c")


def test_ask_option_reasks_only_the_matching_pairs(tmp_path):
    answers = tmp_path / "answers.yaml"
    shutil.copy(SHOP_ANSWERS, answers)
    child = spawn(
        [
            "ask",
            str(SHOP_INVENTORY),
            "--answers",
            str(answers),
            "--out",
            str(tmp_path / "out"),
            "--ask",
            "api + log-*",
        ],
        tmp_path,
    )
    child.expect_exact("Do api and log-collector have to run on the same host?")
    child.send("n")
    child.expect_exact("Must web, content-agent and tls-proxy see or signal")
    child.send("n")
    child.expect_exact("All questions are answered.")
    child.send("\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    pairs = yaml.safe_load(answers.read_text())["pairs"]
    assert pairs["api + log-collector"]["same_host"] is False
    assert "single_unit" not in pairs["api + log-collector"]  # the old yes is gone
    assert pairs["web + tls-proxy"]["same_host"] is True  # every other answer kept


def test_ask_option_matching_nothing_is_an_error(tmp_path, capsys):
    from advisor.cli import main

    code = main(
        ["ask", str(SHOP_INVENTORY), "--answers", str(tmp_path / "a.yaml"), "--ask", "nope + *"]
    )
    assert code == 2
    assert "--ask 'nope + *': no pair" in capsys.readouterr().err


def test_a_session_killed_between_answers_loses_nothing(write_yaml, tmp_path):
    inventory = write_yaml(
        inventory_dict(container("web"), container("proxy"), container("db")), "app.yaml"
    )
    answers = tmp_path / "answers.yaml"
    command = [
        "ask",
        str(inventory),
        "--answers",
        str(answers),
        "--exhaustive",
        "--out",
        str(tmp_path / "out"),
    ]
    child = spawn(command, tmp_path)
    child.expect_exact("Do web and proxy have to run on the same host?")
    child.send("y")
    child.expect_exact("Should web and proxy be managed as a single unit?")
    child.send("y")
    child.expect_exact("Do web and proxy form a unified whole")
    time.sleep(0.3)  # the user reads the question; the session is then killed outright
    child.kill(signal.SIGKILL)
    child.close()
    # The write of the last answer runs in its own process, which outlives the session.
    expected = {"web + proxy": {"same_host": True, "single_unit": True}}
    deadline = time.monotonic() + 5
    while _saved_pairs(answers) != expected and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _saved_pairs(answers) == expected
    child = spawn(command, tmp_path)
    child.expect_exact("Do web and proxy form a unified whole")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)


AT_THE_REVIEW = ("yn", "All questions are answered.")  # nothing is written yet there
AT_A_QUESTION = ("y", "Should web and proxy be managed as a single unit?")


@pytest.mark.parametrize(
    ("where", "signals"),
    [
        (AT_THE_REVIEW, [signal.SIGHUP]),  # a closed terminal
        (AT_THE_REVIEW, [signal.SIGTERM]),  # a plain kill
        (AT_THE_REVIEW, [signal.SIGINT]),  # kill -INT, or Ctrl-C as a prompt ends
        (AT_A_QUESTION, [signal.SIGINT]),
        # A closing terminal sends SIGHUP more than once (the terminal, then the shell
        # passing it on): the later ones must not cut the saving short, or end the process
        # before the lock is removed.
        (AT_A_QUESTION, [signal.SIGHUP, signal.SIGHUP, signal.SIGTERM, signal.SIGHUP]),
    ],
)
def test_a_closed_terminal_or_a_kill_stops_the_session_with_every_answer_saved(
    where, signals, write_yaml, tmp_path
):
    keys, screen = where
    inventory = write_yaml(inventory_dict(container("web"), container("proxy")), "app.yaml")
    answers = tmp_path / "answers.yaml"
    command = ["ask", str(inventory), "--answers", str(answers), "--exhaustive"]
    child = spawn([*command, "--out", str(tmp_path / "out")], tmp_path)
    child.expect_exact("Do web and proxy have to run on the same host?")
    child.send("y")
    child.expect_exact("Should web and proxy be managed as a single unit?")
    if keys == "yn":
        child.send("n")
        child.expect_exact(screen)
    for number in signals:  # at once: the write of the last answer may not have started
        child.kill(number)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    expected = {"same_host": True, "single_unit": False} if keys == "yn" else {"same_host": True}
    assert _saved_pairs(answers) == {"web + proxy": expected}
    assert not (tmp_path / "answers.yaml.lock").exists()  # the next session can start


def test_hang_ups_stop_the_session_until_it_is_stopping_then_change_nothing():
    from advisor.terminal.signals import stop_signals

    with stop_signals() as hangups:
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGHUP)
            time.sleep(1)  # the handler runs at the next bytecode
        with pytest.raises(KeyboardInterrupt):  # not stopping yet (the first one was lost)
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(1)
        hangups.ignore()  # the session is stopping: the answers are being written
        os.kill(os.getpid(), signal.SIGHUP)  # the shell passing the hang-up on: ignored
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.1)
    assert signal.getsignal(signal.SIGHUP) is signal.SIG_DFL  # as it was before


def _saved_pairs(answers):
    return yaml.safe_load(answers.read_text())["pairs"] if answers.exists() else None


def spawn(arguments, cwd):
    return pexpect.spawn(
        sys.executable,
        ["-m", "advisor", *arguments],
        cwd=str(cwd),
        env={**os.environ, "TERM": "xterm", "PYTHONPATH": str(REPO), "PROMPT_TOOLKIT_NO_CPR": "1"},
        dimensions=(40, 120),
        encoding="utf-8",
        timeout=10,
    )


def test_inside_a_session_a_signal_waits_for_a_safe_point_then_the_rest_are_ignored():
    from advisor.terminal.signals import stop_signals

    with stop_signals() as stopping:
        with stopping.session():
            os.kill(os.getpid(), signal.SIGTERM)  # no exception here, mid-answer
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C between prompts, the same
            assert stopping.requested
            with pytest.raises(KeyboardInterrupt):
                stopping.check()  # once the answer is saved
        os.kill(os.getpid(), signal.SIGHUP)  # the session is over: the last write goes on
        stopping.check()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_back_at_the_processes_question_takes_the_last_answer_back(rules):
    questionnaire = two(rules)
    # five yes: one pod; at its processes question, back: the last yes is asked again
    # (answered no this time, so the pod is gone and so is its processes question); review.
    drive(questionnaire, "yyyyy" + "b" + "n" + "\r", review=True)
    assert questionnaire.verdict(Pair.of("web", "db")) is Verdict.APART
    assert questionnaire.shares_processes(("web", "db")) is None


def test_the_review_shows_the_pods_the_answers_make_and_the_summary_does_not_repeat_them(
    write_yaml, tmp_path
):
    inventory = write_yaml(inventory_dict(container("web"), container("db")), "app.yaml")
    out = tmp_path / "out"
    child = spawn(["ask", str(inventory), "--exhaustive", "--out", str(out)], tmp_path)
    child.expect(r"Do (web and db|db and web) have to run on the same host\?")
    child.send("n")
    child.expect_exact("The pods they make:")
    child.expect_exact("All questions are answered.")
    apart = child.before
    assert "POD" in apart and "CONTAINERS" in apart
    assert "2 pods" in apart  # one pod each: the no keeps them apart
    child.send(DOWN + "\r")  # change an answer
    child.expect_exact("Which answer?")
    child.send("\r")
    child.expect(r"Do (web and db|db and web) have to run on the same host\?")
    child.send("y")
    for _ in range(4):  # the pair is open again: the other four questions
        child.expect(r"\?")
        child.send("y")
    child.expect_exact("see or signal each other's processes?")
    child.send("n")
    child.expect_exact("The pods they make:")
    child.expect_exact("All questions are answered.")
    together = child.before
    assert "1 pod" in together
    assert "web, db" in together or "db, web" in together
    child.send("\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert "Wrote" in child.before and "CONTAINERS" not in child.before  # shown once, above
    assert (out / "pods.yaml").exists()


def test_a_pair_answer_against_the_users_group_answer_is_asked_once_in_their_words(tmp_path):
    shutil.copy(SHOP_INVENTORY, tmp_path / "app.yaml")
    names = [c["name"] for c in yaml.safe_load(SHOP_INVENTORY.read_text())["containers"]]
    assert {"web", "tls-proxy", "content-agent"} <= set(names)
    (tmp_path / "app.answers.yaml").write_text(
        "version: 1\npairs:\n"
        "  web + tls-proxy + content-agent: {same_host: yes, single_unit: yes,"
        " unified_whole: yes, scale_together: yes}\n"
        "  web + content-agent: {scale_together: no}\n"
    )
    child = spawn(["ask", "app.yaml"], tmp_path)
    child.expect_exact("your answer for the group web + tls-proxy + content-agent says yes")
    child.expect_exact("n uses your group answer (yes)")
    child.send("y")
    child.expect_exact("now holds for its other pairs only")
    child.expect(r"\?")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    child = spawn(["ask", "app.yaml"], tmp_path)
    index = child.expect([r"Keep your answer", r"\? "])
    assert index == 1  # settled: not asked again
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
