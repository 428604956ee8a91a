"""Saving the answers file after every answer without making the user wait for the write.

At 1,000 containers the file holds thousands of pairs with their inferred answers, and
writing it takes a few hundred milliseconds late in a session: too long to sit between an
answer and the next question. So the file is written by a child process, forked once with a
copy of the session, on the machine's other core:

- the questionnaire tells the saver every action of the user (``record``, see
  ``Action``); an answer marks the session as changed (``save``);
- once the next question is on screen, ``start`` sends the child the actions since the last
  time, and the child repeats them on its copy, which brings it to the same state, and
  writes the file while the user reads;
- ``flush`` hands over what is left and waits until the file holds it (or writes it in line
  when the child could not), before the session ends or stops.

One child for the whole session, not one per answer: a fork marks every page of the
session's memory copy-on-write, and the faults that followed each one cost the next answer
6 to 7 ms at 1,000 containers. The child ignores Ctrl-C and a closed terminal, so a write
that has started always finishes; when the session dies without a word (``kill -9``), the
child writes what it was sent and exits. Where there is no fork (Windows), or other threads
run (forking those is unsafe), the file is written in line.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

State = TypeVar("State")
# A method called on the state and its arguments, to repeat on the child's copy.
Action = tuple[str, tuple[Any, ...], dict[str, Any]]

# From the parent: a list of actions, or this request to reply once the file holds them all.
_FLUSH = "flush"
# From the child: True (the file holds everything) or False (a write or an action failed;
# sent once unasked, then as the reply to every flush: only the parent writes from then on).


class BackgroundSaver(Generic[State]):
    """Keeps the file ``write(state)`` writes up to date with ``state``, in the background.
    ``record`` each action of the user, ``save`` after each answer, ``start`` when the next
    question is on screen, and ``close`` (or ``flush``) before going on."""

    def __init__(self, state: State, write: Callable[[State], None]) -> None:
        self._state = state
        self._write = write
        self._actions: list[Action] = []
        self._pending = False
        self._child: _Writer | None = None

    def record(self, action: Action) -> None:
        """An action of the user, to repeat on the child's copy."""
        self._actions.append(action)

    def save(self) -> None:
        """The session changed: write it at the next ``start`` or ``flush``."""
        self._pending = True

    def start(self) -> None:
        """Write the session as it is now, in the background when possible. When the child
        could not write, write here instead: the error reaches the user now, not after the
        last question."""
        if not self._pending:
            return
        self._pending = False
        actions, self._actions = self._actions, []
        if self._child is not None:
            if not self._child.failed() and self._child.send(actions):
                return
            self._stop_child()  # it could not write, or died: this write is in line
        elif can_fork():  # the child's copy holds every action so far, and writes it at once
            self._child = _Writer.fork(self._state, self._write)
            return
        self._write(self._state)

    def flush(self) -> None:
        """Return once the file holds the session as it is. When the child could not write
        it, write it here, so that the error (a full disk, a folder gone) reaches the user
        as it would have in line."""
        actions, self._actions = self._actions, []
        pending, self._pending = self._pending, False
        if self._child is not None:
            if self._child.send(actions) and self._child.flush():
                return
            self._stop_child()
            pending = True
        if pending:
            self._write(self._state)

    def close(self) -> None:
        """``flush``, then let the child go."""
        try:
            self.flush()
        finally:
            self._stop_child()

    def _stop_child(self) -> None:
        if self._child is not None:
            self._child.stop()
            self._child = None


class _Writer:
    """The parent's end of the writing child: a pipe each way and its pid."""

    def __init__(self, pid: int, requests: Connection, replies: Connection) -> None:
        self.pid, self._requests, self._replies = pid, requests, replies

    @classmethod
    def fork(cls, state: Any, write: Callable[[Any], None]) -> _Writer:
        from multiprocessing.connection import Pipe  # 25 ms to import: once, while one reads

        requests_in, requests_out = Pipe(duplex=False)
        replies_in, replies_out = Pipe(duplex=False)
        # A signal that arrived during the fork would run its handler inside the interpreter's
        # fork hooks, which swallow the exception it raises (see stop_on_hangup): hold
        # signals back until the fork is done.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING_SIGNALS)
        pid = os.fork()
        if pid == 0:  # the child: serve, then leave without running the parent's clean-up
            code = 1
            try:
                for number in _STOPPING_SIGNALS:
                    signal.signal(number, signal.SIG_IGN)
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
                requests_out.close()
                replies_in.close()
                _serve(state, write, requests_in, replies_out)
                code = 0
            finally:
                os._exit(code)
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        requests_in.close()
        replies_out.close()
        return cls(pid, requests_out, replies_in)

    def send(self, actions: list[Action]) -> bool:
        """Hand ``actions`` over; False when the child is gone."""
        try:
            if actions:
                self._requests.send(actions)
            return True
        except OSError:  # a broken pipe: the child died
            return False

    def failed(self) -> bool:
        """Whether the child said it could not write (or is gone), without waiting."""
        try:
            return self._replies.poll() and not self._replies.recv()
        except (OSError, EOFError):
            return True

    def flush(self) -> bool:
        """Wait until the file holds everything sent; False when the child could not."""
        try:
            self._requests.send(_FLUSH)
            return bool(self._replies.recv())
        except (OSError, EOFError):
            return False

    def stop(self) -> None:
        """Close the pipes and wait for the child to write what it has and exit."""
        self._requests.close()
        self._replies.close()
        with suppress(ChildProcessError):  # already waited for
            os.waitpid(self.pid, 0)


def _serve(
    state: State, write: Callable[[State], None], requests: Connection, replies: Connection
) -> None:
    """The child's work: write the copy, then repeat each batch of actions on it and write it
    again (once for all the batches waiting), answering each flush request with whether the
    file holds it all. Returns when the parent closes its end."""
    written = _write_safely(write, state)
    if not written:
        replies.send(False)
    while True:
        flushes = 0
        changed = False
        try:
            message = requests.recv()
            while True:
                if message == _FLUSH:
                    flushes += 1
                elif written:  # once a write or an action failed, only the parent writes
                    for name, args, kwargs in message:
                        getattr(state, name)(*args, **kwargs)
                    changed = True
                if not requests.poll():
                    break
                message = requests.recv()
        except EOFError:
            if changed and written:
                _write_safely(write, state)
            return
        except Exception:  # repeating an action failed: the copy is unusable
            written = changed = False
            replies.send(False)
        if changed:
            written = _write_safely(write, state)
            if not written:
                replies.send(False)
        for _ in range(flushes):
            replies.send(written)


def _write_safely(write: Callable[[State], None], state: State) -> bool:
    try:
        write(state)
    except Exception:  # the parent writes again and reports the error
        return False
    return True


# A closed terminal and a plain kill (where the platform has them): see stop_on_hangup.
_HANGUP_SIGNALS = [getattr(signal, name) for name in ("SIGHUP", "SIGTERM") if hasattr(signal, name)]
# Those and Ctrl-C: none of them stops a write that has started.
_STOPPING_SIGNALS = {signal.SIGINT, *_HANGUP_SIGNALS}


def can_fork() -> bool:
    """Whether a child process can be forked safely: the platform has fork, and no other
    thread runs (a forked child would inherit its locks, held, and not the thread)."""
    return hasattr(os, "fork") and threading.active_count() == 1


class HangUps:
    """What a hang-up does inside ``stop_on_hangup``: stop the session, until the session is
    stopping anyway (``ignore``)."""

    def __init__(self) -> None:
        self.ignored = False
        # Ends the question on screen as Ctrl-C does; False when none is (``ask`` sets it).
        # Raising KeyboardInterrupt from the signal handler instead lands wherever Python
        # is, and Python drops an exception raised in a finalizer (the garbage collector
        # runs while each question is read).
        self.stop_question: Callable[[], bool] = lambda: False

    def ignore(self) -> None:
        """From now on a hang-up changes nothing: the answers are being written."""
        self.ignored = True


@contextmanager
def stop_on_hangup() -> Iterator[HangUps]:
    """Within this block a closed terminal (SIGHUP) or a plain ``kill`` (SIGTERM) stops the
    session the way Ctrl-C does, so the answers still pending are written and the lock is
    released; by default either signal ends Python on the spot. Once the session is stopping
    (``HangUps.ignore``), more of them change nothing: a closing terminal sends several (the
    terminal, then the shell passing it on), and one arriving while the answers are being
    written would otherwise cut that short. (The handler stays ours throughout: a signal
    whose handler changed while it was pending makes Python raise an error of its own.)"""
    hangups = HangUps()

    def stop(signum: int, frame: object) -> None:
        if hangups.ignored:
            return
        if hangups.stop_question():
            hangups.ignore()  # the session stops when the prompt returns
        else:
            raise KeyboardInterrupt

    previous = {number: signal.signal(number, stop) for number in _HANGUP_SIGNALS}
    try:
        yield hangups
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
