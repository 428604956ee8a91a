"""Two sessions on one answers file: the second stops at once; a dead session's lock is taken
over; the lock goes away on every way out."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest

from advisor.formats.lock import SessionLockedError, lock_path, lock_text, session_lock

REPO = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(REPO)}
APP = "containers:\n  - {name: web, image: nginx}\n  - {name: db, image: postgres}\n"


def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_the_lock_holds_the_pid_and_goes_away_after(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    with session_lock(answers):
        assert lock_path(answers).read_text() == lock_text(os.getpid())
        assert lock_path(answers).read_text().startswith(f"{os.getpid()}\nstart=")
    assert not lock_path(answers).exists()


@pytest.mark.parametrize("stop", [ValueError, KeyboardInterrupt, SystemExit])
def test_the_lock_goes_away_when_the_session_ends_badly(
    tmp_path: Path, stop: type[BaseException]
) -> None:
    answers = tmp_path / "answers.yaml"
    with pytest.raises(stop), session_lock(answers):
        raise stop()
    assert not lock_path(answers).exists()


def test_a_dead_sessions_lock_is_taken_over_silently(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    lock_path(answers).write_text(f"{dead_pid()}\n")
    with session_lock(answers):
        assert lock_path(answers).read_text() == lock_text(os.getpid())
    assert not lock_path(answers).exists()


def test_an_old_lock_without_a_pid_is_taken_over(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    lock_path(answers).write_text("garbage")
    os.utime(lock_path(answers), (time.time() - 60, time.time() - 60))
    with session_lock(answers):
        pass
    assert not lock_path(answers).exists()


def test_a_lock_being_written_right_now_counts_as_taken(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    lock_path(answers).write_text("")
    with pytest.raises(SessionLockedError, match=r"\(pid not yet written\)"), session_lock(answers):
        pass
    assert lock_path(answers).exists()  # not ours to remove


def test_a_second_process_stops_at_once(tmp_path: Path) -> None:
    """A real holder process, and the real command as the second session."""
    (tmp_path / "app.yaml").write_text(APP)
    answers = tmp_path / "answers.yaml"
    answers.write_text("version: 1\npairs: {}\n")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from advisor.formats.lock import session_lock\n"
            "with session_lock(Path('answers.yaml')):\n"
            "    print('locked', flush=True); sys.stdin.read()\n",
        ],
        cwd=tmp_path,
        env=ENV,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        started = time.perf_counter()
        second = subprocess.run(
            [sys.executable, "-m", "advisor", "ask", "app.yaml", "--answers", "answers.yaml"],
            cwd=tmp_path,
            env=ENV,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        elapsed = time.perf_counter() - started
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    assert second.returncode == 2
    assert second.stderr == (
        f"pod-advisor: error: answers.yaml is in use by another pod-advisor session "
        f"(pid {holder.pid}); if that session is gone, delete answers.yaml.lock\n"
    )
    assert elapsed < 5
    assert answers.read_text() == "version: 1\npairs: {}\n"
    assert not (tmp_path / "app-pods").exists()
    assert not lock_path(answers).exists()  # the holder removed its lock on the way out


def spawn_ask(folder: Path) -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable,
        ["-m", "advisor", "ask", "app.yaml", "--exhaustive", "--answers", "answers.yaml"],
        cwd=str(folder),
        env={**ENV, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"},
        dimensions=(40, 120),
        encoding="utf-8",
        timeout=10,
    )


def test_two_real_sessions_and_ctrl_c(tmp_path: Path) -> None:
    """A session waiting at a prompt owns the file; Ctrl-C ends it and frees the file."""
    (tmp_path / "app.yaml").write_text(APP)
    first = spawn_ask(tmp_path)
    first.expect_exact("Do web and db have to run on the same host?")
    lock = tmp_path / "answers.yaml.lock"
    assert lock.read_text() == lock_text(first.pid)

    second = spawn_ask(tmp_path)
    second.expect(pexpect.EOF)
    second.close()
    assert second.exitstatus == 2
    assert second.before.strip() == (
        f"pod-advisor: error: answers.yaml is in use by another pod-advisor session "
        f"(pid {first.pid}); if that session is gone, delete answers.yaml.lock"
    )

    first.sendcontrol("c")
    first.expect(pexpect.EOF)
    first.close()
    assert first.exitstatus == 130
    assert not lock.exists()


def test_ask_takes_over_a_dead_sessions_lock_without_a_word(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from advisor.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "app.yaml").write_text(APP)
    (tmp_path / "answers.yaml").write_text("version: 1\npairs:\n  web + db: {same_host: no}\n")
    lock_path(tmp_path / "answers.yaml").write_text(f"{dead_pid()}\n")
    assert main(["ask", "app.yaml", "--answers", "answers.yaml", "--exhaustive"]) == 0
    assert capsys.readouterr().err == ""
    assert not lock_path(tmp_path / "answers.yaml").exists()
