"""One ``ask`` session per answers file: ``FILE.lock`` says which process owns FILE.

Two sessions saving to one file would each overwrite the other's answers. The lock is created
with ``O_CREAT | O_EXCL`` (atomic on local file systems), removed on every way out of the
session, and taken over silently when the process that left it behind is gone.

The lock holds the owner's pid on its first line and, on Linux, a second line
``start=TICKS boot=BOOT_ID``: the process's start time (field 22 of ``/proc/PID/stat``, in
clock ticks since boot) and the kernel's boot id. A pid alone is trusted for as long as any
process has it; with the second line, a lock whose pid now belongs to another process (it
started at another time, or the machine rebooted since) is known to be stale. A lock with a
pid only (older versions, or systems without ``/proc``) is judged by the pid alone.

A folder the lock needed is created with it and removed with it when nothing else was put
there, so a session refused early (no terminal) leaves no folder behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from advisor.domain.errors import AdvisorError, OutputError
from advisor.formats.files import file_kind, process_exists

# A lock file without a pid is being written by a session that started this instant; older
# than this, it was left by a crash between creating and writing it.
_WRITING_SECONDS = 2.0
# More than any lock of ours holds: a larger file is not one.
_MAX_LOCK_BYTES = 256
_PID = re.compile(r"[0-9]{1,7}")
_IDENTITY = re.compile(r"start=([0-9]{1,20}) boot=([-0-9a-f]{1,64})")


class SessionLockedError(AdvisorError):
    """Another live session owns the answers file."""


@dataclass(frozen=True)
class Owner:
    """What a lock says of its owner: the pid, and when known its start time and boot id."""

    pid: int
    start: str | None = None
    boot: str | None = None

    def alive(self) -> bool:
        """Whether the owner still runs: its pid exists and, when the lock says when it
        started, the process with that pid started then, in this boot."""
        if not process_exists(self.pid):
            return False
        if self.start is None or self.boot is None:
            return True
        now = _identity(self.pid)
        if now is None:  # /proc cannot tell (another system, or it just ended): trust the pid
            return process_exists(self.pid)
        return now == (self.start, self.boot)


def lock_path(answers: Path) -> Path:
    """The lock file that guards ``answers``: the same name plus ``.lock``."""
    return answers.with_name(answers.name + ".lock")


def lock_text(pid: int) -> str:
    """What the lock of process ``pid`` holds: its pid, then when it started if known."""
    identity = _identity(pid)
    if identity is None:
        return f"{pid}\n"
    return f"{pid}\nstart={identity[0]} boot={identity[1]}\n"


@contextmanager
def session_lock(answers: Path) -> Iterator[None]:
    """Own ``answers`` for the duration of the ``with`` block, or stop at once if taken."""
    lock = lock_path(answers)
    made = _acquire(lock, answers)
    try:
        yield
    finally:
        try:
            owner = _read(lock)
        except OutputError:  # replaced by something else meanwhile: not ours to remove
            owner = None
        if isinstance(owner, Owner) and owner.pid == os.getpid():
            lock.unlink(missing_ok=True)
        for folder in reversed(made):  # innermost last in ``made``: remove it first
            with contextlib.suppress(OSError):  # not empty: the session wrote there
                folder.rmdir()


def _acquire(lock: Path, answers: Path) -> list[Path]:
    """Take the lock; the folders created for it, outermost first."""
    made: list[Path] = []
    for _ in range(5):  # each round takes the lock, removes a stale one or makes a folder
        try:
            descriptor = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            _judge(lock, answers)
            continue
        except FileNotFoundError:
            folder = lock.parent
            try:
                missing = [folder, *(p for p in folder.parents if not p.exists())]
                folder.mkdir(parents=True, exist_ok=True)  # the answers file's folder is new
            except OSError as error:
                message = f"{lock.parent}: cannot create the folder: {error.strerror}"
                raise OutputError(message) from None
            made += [p for p in reversed(missing) if p not in made]
            continue
        except OSError as error:
            raise OutputError(f"{lock}: cannot create the lock file: {error.strerror}") from None
        try:
            with os.fdopen(descriptor, "w", encoding="ascii") as stream:
                stream.write(lock_text(os.getpid()))  # one write: a reader sees all or a prefix
        except OSError as error:  # a full disk: no lock left behind, and one line
            lock.unlink(missing_ok=True)
            for folder in reversed(made):
                with contextlib.suppress(OSError):
                    folder.rmdir()
            raise OutputError(f"{lock}: cannot write the lock file: {error.strerror}") from None
        return made
    raise SessionLockedError(_in_use(answers, lock, "it keeps changing hands"))


def _judge(lock: Path, answers: Path) -> None:
    """An existing lock: refuse when its owner may still run; remove it when stale."""
    found = _read(lock)
    if isinstance(found, Owner):
        if found.alive():
            raise SessionLockedError(_in_use(answers, lock, f"pid {found.pid}"))
    elif _age(lock) < _WRITING_SECONDS:
        if found == "":
            raise SessionLockedError(_in_use(answers, lock, "pid not yet written"))
        raise SessionLockedError(
            f"{lock}: not a pod-advisor lock: it holds {found}; if no pod-advisor "
            f"session is using {answers}, delete {lock}"
        )
    if _read(lock) == found:  # still the stale one: take it over
        try:
            lock.unlink(missing_ok=True)
        except OSError as error:
            raise OutputError(f"{lock}: cannot remove a stale lock: {error.strerror}") from None


def _in_use(answers: Path, lock: Path, who: str) -> str:
    return (
        f"{answers} is in use by another pod-advisor session ({who}); "
        f"if that session is gone, delete {lock}"
    )


def _read(lock: Path) -> Owner | str | None:
    """What ``lock`` says: its ``Owner``; ``""`` when empty or missing; else a short
    description of what it holds instead. Never waits (a FIFO) and never reads much."""
    try:
        status = os.lstat(lock)
    except FileNotFoundError:
        return ""
    except OSError as error:
        raise OutputError(f"{lock}: cannot read the lock file: {error.strerror}") from None
    if stat.S_ISDIR(status.st_mode):
        raise OutputError(f"{lock}: is a folder, not a lock file; remove it to use the answers")
    if not stat.S_ISREG(status.st_mode):
        kind = "a link" if stat.S_ISLNK(status.st_mode) else file_kind(status.st_mode)
        raise OutputError(f"{lock}: is {kind}, not a lock file; remove it to use the answers")
    try:
        descriptor = os.open(lock, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(descriptor, "rb") as stream:
            raw = stream.read(_MAX_LOCK_BYTES + 1)
    except FileNotFoundError:
        return ""
    except OSError as error:
        raise OutputError(f"{lock}: cannot read the lock file: {error.strerror}") from None
    return _parse(raw)


def _parse(raw: bytes) -> Owner | str:
    """The owner a lock's bytes name, or what they are instead (``""``: nothing yet)."""
    if len(raw) > _MAX_LOCK_BYTES:
        return f"more than {_MAX_LOCK_BYTES} bytes"
    text = raw.decode("ascii", "replace")
    lines = text.split("\n")
    if not text.strip():
        return ""
    if _PID.fullmatch(lines[0]) and int(lines[0]) > 0:
        found = _IDENTITY.fullmatch(lines[1].strip()) if len(lines) > 1 else None
        if found is not None:
            return Owner(int(lines[0]), found.group(1), found.group(2))
        return Owner(int(lines[0]))  # pid only: an older lock, or its second line unread yet
    shown = text.strip()
    return repr(shown if len(shown) <= 40 else shown[:40] + "...")


def _identity(pid: int) -> tuple[str, str] | None:
    """Process ``pid``'s start time (clock ticks since boot) and the boot id, from /proc."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stream:
            process = stream.read().decode("ascii", "replace")
        with open("/proc/sys/kernel/random/boot_id", "rb") as stream:
            boot = stream.read().decode("ascii", "replace").strip()
    except OSError:
        return None
    # Field 2, the command name, is in parentheses and may hold spaces or parentheses.
    fields = process[process.rfind(")") + 2 :].split()
    if len(fields) < 20 or not fields[19].isdigit():
        return None
    return fields[19], boot


def _age(lock: Path) -> float:
    try:
        return time.time() - lock.stat().st_mtime
    except OSError:
        return 0.0
