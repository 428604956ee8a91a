"""Reading the application on the other core while the terminal's modules load.

Before ``ask`` shows its first question it must import prompt_toolkit (about 0.2 s) and read
the application with its answers (about as long at 1,000 containers). Both are Python work,
which threads would only take turns at; a forked child process does the reading while the
parent imports, and hands the questionnaire back pickled (a tenth of the time it took to
build). What the child had to say on stderr (warnings) is handed back with
it and printed by the parent, in order.

Whatever goes wrong in the child (bad input, a signal, something that does not pickle), the
parent reads the application itself, so errors and their messages are exactly those of
reading in line. Where there is no fork (Windows), or other threads run, it reads in line.
"""

from __future__ import annotations

import io
import os
import pickle
import sys
from collections.abc import Callable
from typing import Generic, TypeVar

from advisor.formats.gcpause import collection_paused
from advisor.terminal.saver import can_fork

Result = TypeVar("Result")


class BackgroundLoad(Generic[Result]):
    """``load()`` started in a child process at once; ``result()`` waits for it."""

    def __init__(self, load: Callable[[], Result]) -> None:
        self._load = load
        self._child: tuple[int, int] | None = None
        if can_fork():
            self._child = _start(load)

    def result(self) -> Result:
        """What ``load()`` returned: from the child, or, when it failed, from loading here
        (which raises the error it met)."""
        if self._child is None:
            return self._load()
        pid, reader = self._child
        self._child = None
        with os.fdopen(reader, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            return self._load()
        # Like reading in line (see cli._load): what is built lives to the end of the command.
        with collection_paused(freeze_after=True):
            result, messages = pickle.loads(data)
        sys.stderr.write(messages)
        return result  # type: ignore[no-any-return]

    def close(self) -> None:
        """Let the child go unread (the command stopped before it needed the result)."""
        if self._child is not None:
            pid, reader = self._child
            self._child = None
            os.close(reader)  # a child still writing gets a broken pipe and exits
            os.waitpid(pid, 0)


def _start(load: Callable[[], object]) -> tuple[int, int]:
    """Fork a child that runs ``load`` and writes back what it returned and printed."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: leave without running the parent's clean-up
        code = 1
        try:
            os.close(reader)
            sys.stderr = printed = io.StringIO()
            result = load()
            data = pickle.dumps((result, printed.getvalue()), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(writer)
    return pid, reader
