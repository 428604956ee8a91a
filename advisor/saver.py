"""Saving the answers file after every answer without making the user wait for the write.

At 1,000 containers the file holds thousands of pairs with their inferred answers, and
writing it takes a few hundred milliseconds late in a session: too long to sit between an
answer and the next question. So an answer only marks the session as changed (``save``);
once the next question is on screen, ``start`` forks a child process that writes the file
from its own copy of the session while the user reads. Forking then, not straight after the
answer, keeps the fork and the copy-on-write faults it leaves behind (10 ms and more, in
the engine's work and in drawing the question) out of the time between an answer and the
next question.

One child at a time, so the writes land in order; ``flush`` waits for the last one and writes
what is still pending before the session ends or stops. The child ignores Ctrl-C and a closed
terminal, so a write that has started always finishes. Where there is no fork (Windows), or
other threads run (forking those is unsafe), the file is written in line.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class BackgroundSaver:
    """``save`` marks the session changed, ``start`` writes it in a forked child, ``flush``
    finishes every write before the caller goes on."""

    def __init__(self, write: Callable[[], None]) -> None:
        self._write = write
        self._child: int | None = None
        self._pending = False

    def save(self) -> None:
        """The session changed: write it at the next ``start`` or ``flush``."""
        self._pending = True

    def start(self) -> None:
        """Write the session as it is now, in the background when possible."""
        if not self._pending:
            return
        self._wait()  # the previous write first: the last one to land is the newest
        self._pending = False
        if not _can_fork():
            self._write()
            return
        # A signal that arrived during the fork would run its handler inside the interpreter's
        # fork hooks, which swallow the exception it raises (see stop_on_hangup): hold
        # signals back until the fork is done.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING_SIGNALS)
        pid = os.fork()
        if pid == 0:  # the child: write, then leave without running the parent's clean-up
            code = 1
            try:
                for number in _STOPPING_SIGNALS:
                    signal.signal(number, signal.SIG_IGN)
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
                self._write()
                code = 0
            finally:
                os._exit(code)
        self._child = pid
        signal.pthread_sigmask(signal.SIG_SETMASK, held)

    def flush(self) -> None:
        """Wait for the write in progress, then write in line what is still pending. If the
        background write failed, write again here, so that the error (a full disk, a folder
        gone) reaches the user as it would have in line."""
        self._wait()
        if self._pending:
            self._pending = False
            self._write()

    def _wait(self) -> None:
        if self._child is None:
            return
        _, status = os.waitpid(self._child, 0)
        self._child = None
        if os.waitstatus_to_exitcode(status) != 0:
            self._write()


# A closed terminal and a plain kill (where the platform has them): see stop_on_hangup.
_HANGUP_SIGNALS = [getattr(signal, name) for name in ("SIGHUP", "SIGTERM") if hasattr(signal, name)]
# Those and Ctrl-C: none of them stops a write that has started.
_STOPPING_SIGNALS = {signal.SIGINT, *_HANGUP_SIGNALS}


def _can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


@contextmanager
def stop_on_hangup() -> Iterator[None]:
    """Within this block a closed terminal (SIGHUP) or a plain ``kill`` (SIGTERM) stops the
    session the way Ctrl-C does, so the answers still pending are written and the lock is
    released; by default either signal ends Python on the spot."""

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = {number: signal.signal(number, stop) for number in _HANGUP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
