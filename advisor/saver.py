"""Saving the answers file after every answer without making the user wait for the write.

At 1,000 containers the file holds thousands of pairs with their inferred answers, and
writing it takes a few hundred milliseconds late in a session: too long to sit between an
answer and the next question. A forked child process writes it from its own copy of the
session, taken in the instant of the fork, while the session goes straight on to the next
question. One child at a time, so the writes land in order; the session waits for the last
one before it ends or stops. The child ignores Ctrl-C and a closed terminal, so a write
that has started always finishes. Where there is no fork (Windows), or other threads run
(forking those is unsafe), the file is written in line, as before.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable


class BackgroundSaver:
    """Calls ``write`` in a forked child on ``save``; ``flush`` waits for it to finish."""

    def __init__(self, write: Callable[[], None]) -> None:
        self._write = write
        self._child: int | None = None

    def save(self) -> None:
        """Write the session as it is now, in the background when possible."""
        self._wait()  # the previous write first: the last one to land is the newest
        if not _can_fork():
            self._write()
            return
        pid = os.fork()
        if pid == 0:  # the child: write, then leave without running the parent's clean-up
            code = 1
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                signal.signal(signal.SIGHUP, signal.SIG_IGN)
                self._write()
                code = 0
            finally:
                os._exit(code)
        self._child = pid

    def flush(self) -> None:
        """Wait for the write in progress. If it failed, write again here, so that the
        error (a full disk, a folder gone) reaches the user as it would have in line."""
        self._wait()

    def _wait(self) -> None:
        if self._child is None:
            return
        _, status = os.waitpid(self._child, 0)
        self._child = None
        if os.waitstatus_to_exitcode(status) != 0:
            self._write()


def _can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1
