"""One ``ask`` session per answers file: ``FILE.lock`` holds the pid of the session that owns FILE.

Two sessions saving to one file would each overwrite the other's answers. The lock is created
with ``O_CREAT | O_EXCL`` (atomic on local file systems), removed on every way out of the
session, and taken over silently when the process that left it behind is gone.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from advisor.domain.errors import AdvisorError, OutputError

# A lock file without a pid is being written by a session that started this instant; older
# than this, it was left by a crash between creating and writing it.
_WRITING_SECONDS = 2.0


class SessionLockedError(AdvisorError):
    """Another live session owns the answers file."""


def lock_path(answers: Path) -> Path:
    """The lock file that guards ``answers``: the same name plus ``.lock``."""
    return answers.with_name(answers.name + ".lock")


@contextmanager
def session_lock(answers: Path) -> Iterator[None]:
    """Own ``answers`` for the duration of the ``with`` block, or stop at once if taken."""
    lock = lock_path(answers)
    _acquire(lock, answers)
    try:
        yield
    finally:
        if _owner(lock) == os.getpid():
            lock.unlink(missing_ok=True)


def _acquire(lock: Path, answers: Path) -> None:
    for _ in range(5):  # each round either takes the lock or removes a stale one
        try:
            descriptor = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            pid = _owner(lock)
            if pid is None and _age(lock) < _WRITING_SECONDS:
                raise SessionLockedError(_in_use(answers, lock, "pid not yet written")) from None
            if pid is not None and _alive(pid):
                raise SessionLockedError(_in_use(answers, lock, f"pid {pid}")) from None
            if _owner(lock) == pid:  # still the stale one: take it over
                lock.unlink(missing_ok=True)
            continue
        except FileNotFoundError:
            try:
                lock.parent.mkdir(parents=True, exist_ok=True)  # the answers file's folder is new
            except OSError as error:
                message = f"{lock.parent}: cannot create the folder: {error.strerror}"
                raise OutputError(message) from None
            continue
        except OSError as error:
            raise OutputError(f"{lock}: cannot create the lock file: {error.strerror}") from None
        with os.fdopen(descriptor, "w", encoding="ascii") as stream:
            stream.write(f"{os.getpid()}\n")
        return
    raise SessionLockedError(_in_use(answers, lock, "it keeps changing hands"))


def _in_use(answers: Path, lock: Path, who: str) -> str:
    return (
        f"{answers} is in use by another pod-advisor session ({who}); "
        f"if that session is gone, delete {lock}"
    )


def _owner(lock: Path) -> int | None:
    """The pid written in ``lock``; None when it is missing, empty or not a number."""
    try:
        text = lock.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _age(lock: Path) -> float:
    try:
        return time.time() - lock.stat().st_mtime
    except OSError:
        return 0.0


def _alive(pid: int) -> bool:
    """Whether process ``pid`` exists (a process of another user counts as alive)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True
