"""Answers are written in a background process, in order, and never lost at the end."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from advisor import saver as saver_module
from advisor.errors import OutputError
from advisor.saver import BackgroundSaver


class Session:
    """A stand-in for the questionnaire: a state that changes between saves."""

    def __init__(self, path: Path, delay: float = 0.0) -> None:
        self.path, self.delay, self.state = path, delay, 0

    def write(self) -> None:
        time.sleep(self.delay)  # a slow disk, or a large file
        self.path.write_text(str(self.state))


def test_the_session_goes_on_while_the_file_is_written_and_flush_waits_for_it(tmp_path):
    session = Session(tmp_path / "answers.yaml", delay=0.5)
    saver = BackgroundSaver(session.write)
    saver.save()
    saver.start()
    assert not session.path.exists()  # the write is still under way in the child
    saver.flush()
    assert session.path.read_text() == "0"


def test_the_write_starts_only_when_asked_to(tmp_path):
    session = Session(tmp_path / "answers.yaml")
    saver = BackgroundSaver(session.write)
    saver.save()  # an answer: nothing is written yet, the next question comes first
    assert not session.path.exists()
    saver.start()
    saver.flush()
    assert session.path.read_text() == "0"


def test_writes_land_in_order_and_the_last_state_is_the_one_on_disk(tmp_path):
    session = Session(tmp_path / "answers.yaml", delay=0.05)
    saver = BackgroundSaver(session.write)
    for state in range(1, 6):
        session.state = state
        saver.save()
        saver.start()
    saver.flush()
    assert session.path.read_text() == "5"


def test_flush_writes_an_answer_whose_write_never_started(tmp_path):
    session = Session(tmp_path / "answers.yaml", delay=0.05)
    saver = BackgroundSaver(session.write)
    saver.save()
    saver.start()
    session.state = 1  # the last answer: no question follows it, so no start
    saver.save()
    saver.flush()
    assert session.path.read_text() == "1"


def test_start_without_a_change_writes_nothing(tmp_path):
    session = Session(tmp_path / "answers.yaml")
    saver = BackgroundSaver(session.write)
    saver.start()  # a prompt drawn again (help, going back) with nothing new to save
    saver.flush()
    assert not session.path.exists()


def test_a_write_that_fails_in_the_background_fails_again_for_the_user(tmp_path):
    def write() -> None:
        raise OutputError(f"{tmp_path / 'answers.yaml'}: no space left on device")

    saver = BackgroundSaver(write)
    saver.save()
    saver.start()
    with pytest.raises(OutputError, match="no space left"):
        saver.flush()


def test_without_fork_the_file_is_written_in_line(tmp_path, monkeypatch):
    monkeypatch.setattr(saver_module, "_can_fork", lambda: False)
    session = Session(tmp_path / "answers.yaml", delay=0.2)
    saver = BackgroundSaver(session.write)
    saver.save()
    saver.start()
    assert session.path.read_text() == "0"
