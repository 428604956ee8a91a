"""Answers are written by one background process that repeats the user's actions on its own
copy of the session: in order, never lost at the end, and the same file as written in line."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from advisor.domain.errors import OutputError
from advisor.terminal import saver as saver_module
from advisor.terminal.saver import BackgroundSaver


class Session:
    """A stand-in for the questionnaire: a state the user's actions change, told to the
    saver as the questionnaire tells them."""

    def __init__(self, path: Path, delay: float = 0.0) -> None:
        self.path, self.delay, self.state = path, delay, 0
        self.recorder = None

    def set(self, state: int) -> None:
        self.state = state
        if self.recorder is not None:
            self.recorder(("set", (state,), {}))


def write(session: Session) -> None:
    time.sleep(session.delay)  # a slow disk, or a large file
    session.path.write_text(f"{session.state} written by {os.getpid()}")


def saver_for(session: Session, write=write) -> BackgroundSaver[Session]:
    saver = BackgroundSaver(session, write)
    session.recorder = saver.record
    return saver


def on_disk(session: Session) -> str:
    return session.path.read_text().split(" written by ")[0]


def test_the_session_goes_on_while_the_file_is_written_and_close_waits_for_it(tmp_path):
    session = Session(tmp_path / "answers.yaml", delay=0.5)
    saver = saver_for(session)
    saver.save()
    saver.start()
    assert not session.path.exists()  # the write is still under way in the child
    saver.close()
    assert on_disk(session) == "0"


def test_the_write_starts_only_when_asked_to(tmp_path):
    session = Session(tmp_path / "answers.yaml")
    saver = saver_for(session)
    saver.save()  # an answer: nothing is written yet, the next question comes first
    assert not session.path.exists()
    saver.start()
    saver.close()
    assert on_disk(session) == "0"


def test_one_process_writes_every_state_in_order_and_the_last_one_stays(tmp_path):
    session = Session(tmp_path / "answers.yaml", delay=0.05)
    saver = saver_for(session)
    writers = set()
    for state in range(1, 6):
        session.set(state)
        saver.save()
        saver.start()
        saver.flush()
        assert on_disk(session) == str(state)  # the child's copy followed the actions
        writers.add(session.path.read_text().split(" written by ")[1])
    saver.close()
    assert on_disk(session) == "5"
    assert len(writers) == 1 and writers != {str(os.getpid())}


def test_flush_writes_an_answer_whose_write_never_started(tmp_path):
    session = Session(tmp_path / "answers.yaml", delay=0.05)
    saver = saver_for(session)
    saver.save()
    saver.start()
    session.set(1)  # the last answer: no question follows it, so no start
    saver.save()
    saver.close()
    assert on_disk(session) == "1"


def test_start_without_a_change_writes_nothing(tmp_path):
    session = Session(tmp_path / "answers.yaml")
    saver = saver_for(session)
    saver.start()  # a prompt drawn again (help, going back) with nothing new to save
    saver.close()
    assert not session.path.exists()


def test_a_write_that_fails_in_the_background_fails_again_for_the_user(tmp_path):
    def failing(session: Session) -> None:
        raise OutputError(f"{session.path}: no space left on device")

    saver = saver_for(Session(tmp_path / "answers.yaml"), failing)
    saver.save()
    saver.start()
    with pytest.raises(OutputError, match="no space left"):
        saver.close()


def test_a_failed_background_write_stops_the_session_at_the_next_answer(tmp_path):
    """Not only after the last question: the user learns of a full disk at once."""

    def failing(session: Session) -> None:
        raise OutputError(f"{session.path}: no space left on device")

    session = Session(tmp_path / "answers.yaml")
    saver = saver_for(session, failing)
    saver.save()
    saver.start()
    time.sleep(0.5)  # the child has tried by now
    session.set(1)
    saver.save()
    with pytest.raises(OutputError, match="no space left"):
        saver.start()
    saver.close = lambda: None  # the error is the user's; nothing more to write


def test_a_writer_that_died_is_replaced_and_nothing_is_lost(tmp_path):
    session = Session(tmp_path / "answers.yaml")
    saver = saver_for(session)
    saver.save()
    saver.start()
    saver.flush()
    child = saver._child
    assert child is not None
    os.kill(child.pid, signal.SIGKILL)
    os.waitpid(child.pid, 0)
    session.set(7)
    saver.save()
    saver.start()
    saver.close()
    assert on_disk(session) == "7"


def test_without_fork_the_file_is_written_in_line(tmp_path, monkeypatch):
    monkeypatch.setattr(saver_module, "can_fork", lambda: False)
    session = Session(tmp_path / "answers.yaml", delay=0.2)
    saver = saver_for(session)
    saver.save()
    saver.start()
    assert on_disk(session) == "0"
    assert session.path.read_text().endswith(str(os.getpid()))
