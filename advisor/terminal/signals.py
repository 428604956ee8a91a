"""Stopping ``ask`` from outside: a closed terminal (SIGHUP), a plain ``kill`` (SIGTERM), and
a ``kill -INT`` (SIGINT) end the session as Ctrl-C at a prompt does. (The terminal stays in
raw mode from the first question to the last, see ``Terminal.raw_mode``: a Ctrl-C typed
between two prompts is a key the next prompt reads, not a SIGINT.)

Python raises an exception from a signal handler wherever the program happens to be: in the
middle of an answer being recorded or saved, or inside prompt_toolkit's event loop, which
prints it as an unhandled error. So during a session the handler only asks for a stop, and
the stop happens at a safe point:

- a question on screen ends through its Application, from the event loop, as the Ctrl-C key
  ends it (unless its answer is already in: then the answer is recorded and saved first);
- between questions, ``check`` raises ``KeyboardInterrupt`` once the last answer is saved.

Before the session, the three signals raise ``KeyboardInterrupt`` at once (nothing is being
saved then), until ``ignore``: once the last answer is given, while the answers and the
outputs are written, more signals change nothing (a closing terminal sends several: the
terminal's, then the shell's; and a stop half-way would leave a partial output folder).
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from types import FrameType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from prompt_toolkit.application import Application

# Ctrl-C (or kill -INT), a closed terminal and a plain kill, where the platform has them.
_STOP_SIGNALS = [
    getattr(signal, name) for name in ("SIGINT", "SIGHUP", "SIGTERM") if hasattr(signal, name)
]


class Stopping:
    """Whether the user (or the system) asked the session to stop, and where it stops."""

    def __init__(self) -> None:
        self.requested = False
        self.ignored = False
        self._in_session = False
        self._prompt: Application[Any] | None = None  # the last prompt drawn

    def handle(self, signum: int, frame: FrameType | None) -> None:
        """The signal handler: stop now outside a session, at a safe point inside one."""
        if self.ignored:
            return
        if not self._in_session:
            raise KeyboardInterrupt
        self.requested = True
        prompt = self._prompt
        loop = None if prompt is None else prompt.loop
        if prompt is not None and loop is not None:
            with suppress(RuntimeError):  # the loop is closed: the prompt has returned
                loop.call_soon_threadsafe(_end_question, prompt)

    def prompt_drawn(self) -> None:
        """A question is on screen (called from its Application's drawing): remember it, so
        that a signal can end it, and end it now if a stop came before it was drawn."""
        from prompt_toolkit.application import get_app_or_none

        prompt = get_app_or_none()
        self._prompt = prompt
        if self.requested and prompt is not None and prompt.loop is not None:
            prompt.loop.call_soon(_end_question, prompt)

    def check(self) -> None:
        """A safe point between questions: stop here if a stop was asked for."""
        if self.requested and not self.ignored:
            raise KeyboardInterrupt

    def ignore(self) -> None:
        """From now on a signal changes nothing: the answers are being written."""
        self.ignored = True

    @contextmanager
    def session(self) -> Iterator[None]:
        """Within this block signals stop at safe points; after it, the session is over and
        signals are ignored (see ``ignore``) until ``stop_signals`` ends."""
        self._in_session = True
        try:
            yield
        finally:
            self.ignore()
            self._in_session = False
            self._prompt = None


def _end_question(prompt: Application[Any]) -> None:
    """End the question on ``prompt`` as the Ctrl-C key does, unless it has already ended
    (with an answer, which is then saved before the session stops)."""
    if prompt.is_running and prompt.future is not None and not prompt.future.done():
        prompt.exit(exception=KeyboardInterrupt, style="class:aborting")


@contextmanager
def stop_signals(exiting: bool = False) -> Iterator[Stopping]:
    """Within this block Ctrl-C, a closed terminal or a plain ``kill`` stops ``ask`` as the
    Ctrl-C key does, so the answers are written and the lock is released; by default SIGHUP
    and SIGTERM end Python on the spot. The handler stays ours to the end of the block, the
    outputs written: restoring Python's SIGINT handler when the session ends let a Ctrl-C
    cut the final writes short. (And a signal whose handler changed while it was pending
    makes Python raise an error of its own.) With ``exiting`` (the process ends with the
    block), a session that ran to its end leaves the signals ignored: a Ctrl-C between the
    block's end and the exit would otherwise report an interruption of finished work."""
    stopping = Stopping()
    previous = {number: signal.signal(number, stopping.handle) for number in _STOP_SIGNALS}
    try:
        yield stopping
    finally:
        for number, handler in previous.items():
            if exiting and stopping.ignored:
                signal.signal(number, signal.SIG_IGN)
            elif handler is not None:  # None: not set from Python, and not ours to restore
                signal.signal(number, handler)
