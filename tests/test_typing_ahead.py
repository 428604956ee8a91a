"""Keys typed ahead of a question are kept, whenever they come: while one prompt hands over
to the next (the answer saved, the next question worked out), every key reaches the next
prompt in order, and a Ctrl-D or Ctrl-C typed ahead stops the session as it does at a
prompt, with every answer given before it saved. The real command in a pseudo-terminal,
the keys sent without waiting for the questions they answer."""

from __future__ import annotations

import os
import shutil
import sys
import time

import pexpect
import pytest
import yaml
from helpers import REPO, SHOP_INVENTORY

ENV = {**os.environ, "TERM": "xterm", "PYTHONPATH": str(REPO), "PROMPT_TOOLKIT_NO_CPR": "1"}
CTRL_D, CTRL_C = "\x04", "\x03"

# How the keys are typed: all in one write; one by one, each the moment the answer before it
# is saved (as one question hands over to the next); or so, but the last answer and the stop
# in one write.
TIMINGS = ("at once", "one by one", "last two together")

# The shop's first questions, their keys, and the answers they save: the roles, then the
# web group on the same host, then (no) as a single unit.
SHOP_KEYS = ("\ry", "\ryn")  # Enter keeps the roles on screen, then yes/no answers
WEB_GROUP = "web + tls-proxy + content-agent"
SAVED_AFTER = (
    {},
    {WEB_GROUP: {"same_host": True}},
    {WEB_GROUP: {"same_host": True, "single_unit": False}},
)


def spawn_ask(cwd, *arguments):
    return pexpect.spawn(
        sys.executable,
        ["-m", "advisor", "ask", *arguments],
        cwd=str(cwd),
        env=ENV,
        dimensions=(40, 120),
        encoding="utf-8",
        timeout=10,
    )


def type_keys(child, keys, timing, answers):
    """Send ``keys`` (one string per answer) as ``timing`` says; a key sent after an
    answer goes the moment ``answers`` is saved (the file is replaced on each save)."""
    child.delaybeforesend = 0
    if timing == "at once":
        writes = ["".join(keys)]
    elif timing == "one by one":
        writes = list(keys)
    else:
        writes = [*keys[:-2], "".join(keys[-2:])]
    for write in writes[:-1]:
        before = _identity(answers)
        child.send(write)
        deadline = time.monotonic() + 10
        while _identity(answers) == before and time.monotonic() < deadline:
            pass  # no sleep: the next key goes the moment the answer is saved
    child.send(writes[-1])


def _identity(path):
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return status.st_ino, status.st_mtime_ns


def stopped(child):
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130, child.before
    assert "Traceback" not in child.before, child.before
    return child.before


def asked_answers(path):
    """The answers the user gave, by pair or group, in the saved answers file."""
    pairs = yaml.safe_load(path.read_text())["pairs"] or {}
    return {
        members: kept
        for members, answers in pairs.items()
        if (kept := {q: a for q, a in (answers or {}).items() if not isinstance(a, dict)})
    }


@pytest.mark.parametrize("stop", [CTRL_D, CTRL_C], ids=["ctrl-d", "ctrl-c"])
def test_answers_typed_ahead_then_a_stop_are_all_saved(stop, tmp_path):
    """Two or three answers then Ctrl-D (or Ctrl-C), typed without waiting for the
    questions: the session stops (130) with every one of those answers saved, each time."""
    shutil.copy(SHOP_INVENTORY, tmp_path / "app.yaml")
    answers = tmp_path / "answers.yaml"
    runs = [(keys, timing) for keys in SHOP_KEYS for timing in TIMINGS] * 2
    for run, (keys, timing) in enumerate(runs):
        answers.unlink(missing_ok=True)
        child = spawn_ask(tmp_path, "app.yaml", "--answers", "answers.yaml")
        child.expect_exact("Are these roles right?")
        child.expect_exact("Enter keeps them")  # the question's keys: the prompt is drawn
        type_keys(child, [*keys, stop], timing, answers)
        printed = stopped(child)
        said = f"run {run}: {keys!r} then {stop!r}, {timing}"
        assert f"Stopped; {len(keys)} answer" in printed, (said, printed)
        assert yaml.safe_load(answers.read_text())["asked"] == len(keys), said
        assert asked_answers(answers) == SAVED_AFTER[len(keys) - 1], said


# A whole session of two containers the inventory gives no roles, one string per answer: on
# the roles screen "Change proxy" (third), a helper of web (the list's fourth choice), then
# the screen again, where Enter keeps web a primary; yes to the pair's
# same host, back (b), yes again, and to its three other questions (unified_whole follows
# from the roles); no to sharing processes; Enter at the review writes the outputs.
ENTER, DOWN = "\r", "\x1b[B"
WHOLE_SESSION = [
    DOWN * 2 + ENTER,
    DOWN * 3 + ENTER,
    ENTER,
    "y",
    "b",
    "y",
    "y",
    "y",
    "y",
    "n",
    ENTER,
]
ASKED_BEFORE = {3: 2, 9: 6, 10: 7}  # where a stop is typed: the answers given before it


def _two_containers(tmp_path):
    app = {"containers": [{"name": "web", "image": "nginx:1"}, {"name": "proxy", "image": "e:1"}]}
    (tmp_path / "app.yaml").write_text(yaml.safe_dump(app))


@pytest.mark.parametrize("timing", ["at once", "one by one"])
def test_a_whole_session_typed_ahead_is_answered_in_order(timing, tmp_path):
    """Every hand-off, from the role list to the first yes/no, after a back, from the last
    yes/no to the processes question, to the review: the keys of a whole session typed
    ahead answer its questions in order, and the outputs are written."""
    _two_containers(tmp_path)
    answers = tmp_path / "answers.yaml"
    child = spawn_ask(tmp_path, "app.yaml", "--answers", "answers.yaml", "--out", "out")
    child.expect_exact("Are these roles right?")
    type_keys(child, WHOLE_SESSION, timing, answers)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert (tmp_path / "out" / "pods.yaml").exists()
    saved = yaml.safe_load(answers.read_text())
    assert saved["asked"] == 7
    assert saved["roles"] == {"web": "primary", "proxy": "helper of web"}
    assert saved["processes"] == {"web + proxy": False}
    assert asked_answers(answers) == {
        "web + proxy": {
            q: True for q in ("same_host", "single_unit", "scale_together", "fits_node")
        }
    }


@pytest.mark.parametrize("timing", ["at once", "one by one"])
@pytest.mark.parametrize("where", sorted(ASKED_BEFORE))
def test_a_stop_typed_ahead_at_any_hand_off_stops_with_the_answers_before_it(
    where, timing, tmp_path
):
    """Ctrl-D (Ctrl-C once the pair is answered) typed ahead after the role list, after the
    last yes/no, after the processes question: the session stops there, every answer
    before it saved, none after it asked."""
    _two_containers(tmp_path)
    answers = tmp_path / "answers.yaml"
    stop = CTRL_D if where != 9 else CTRL_C
    child = spawn_ask(tmp_path, "app.yaml", "--answers", "answers.yaml", "--out", "out")
    child.expect_exact("Are these roles right?")
    type_keys(child, [*WHOLE_SESSION[:where], stop], timing, answers)
    printed = stopped(child)
    assert f"Stopped; {ASKED_BEFORE[where]} answers are saved" in printed, printed
    assert yaml.safe_load(answers.read_text())["asked"] == ASKED_BEFORE[where]
    assert not (tmp_path / "out").exists()
