"""Standard output that cannot be written (a full disk, a closed pipe, an I/O error) ends a
command with one line and exit code 2, or, for a reader that went away (``| head -1``),
quietly with the code a shell shows for SIGPIPE; never with a traceback, and never exit 0
with part of the output lost."""

from __future__ import annotations

import errno
import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from advisor.commands.status import EXIT_BAD_INPUT
from advisor.domain.errors import AdvisorError, OutputError

# 128 + SIGPIPE: what a shell reports for a writer whose reader left.
EXIT_BROKEN_PIPE = 141


class _Broken(AdvisorError):
    """A write to standard output failed with ``error``."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


class _Guarded:
    """Standard output whose write errors are told apart from any other OSError, and whose
    every write is checked to its last byte."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return _write_whole(self._stream, text)
        except OSError as error:
            raise _Broken(error) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as error:
            raise _Broken(error) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _write_whole(stream: Any, text: str) -> int:
    """Write ``text`` to ``stream`` to the end (see ``_write_bytes``)."""
    if getattr(stream, "buffer", None) is None:  # a plain text stream (a test's): whole or not
        return int(stream.write(text))
    _write_bytes(stream, text.encode(stream.encoding or "utf-8", stream.errors or "strict"))
    if getattr(stream, "line_buffering", False) and "\n" in text:
        stream.buffer.flush()
    return len(text)


def _write_bytes(stream: Any, data: bytes) -> None:
    """Write ``data`` to the buffer under the text stream ``stream``, to the end.

    A buffered write longer than the buffer goes straight to the file, and a pipe whose
    reader leaves half-way takes part of it: the buffered layer then returns the part, and
    the text layer drops the rest without a word (exit 0, most of the output lost). Here
    the bytes are written again until every one is taken, so a reader that left is an error
    (EPIPE) like any other."""
    stream.flush()  # what the text layer holds goes first, in order
    left = memoryview(data)
    while left:
        taken = stream.buffer.write(left)
        if not taken:
            raise OSError(errno.EIO, "standard output took nothing")
        left = left[taken:]


def write_binary(data: bytes) -> None:
    """Write ``data`` (a picture) on standard output, inside ``guarded_stdout``."""
    try:
        _write_bytes(sys.stdout, data)
    except OSError as error:
        raise _Broken(error) from None


class _Discard(io.TextIOBase):
    """Takes the place of a standard output that failed, so what the program writes after
    it is not tried again."""

    def write(self, text: str) -> int:
        return len(text)


def _silence(stream: Any) -> None:
    """Point the file under ``stream`` at /dev/null: what the failed stream still holds is
    then flushed there when the interpreter exits, instead of failing again (a traceback
    of ``Exception ignored``, or the exit code changed) when the reader went away."""
    with suppress(OSError, ValueError, AttributeError, io.UnsupportedOperation):
        descriptor = stream.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, descriptor)
        finally:
            os.close(null)


def _stopped(stream: Any, broken: _Broken) -> SystemExit | OutputError:
    """The exit of a command whose standard output failed with ``broken``."""
    _silence(stream)
    if broken.error.errno == errno.EPIPE:
        return SystemExit(EXIT_BROKEN_PIPE)
    reason = broken.error.strerror or broken.error
    return OutputError(f"standard output: cannot write: {reason}")


@contextmanager
def guarded_stdout() -> Iterator[None]:
    """Run the block with standard output guarded, flushing it at the end."""
    original = sys.stdout
    guarded = _Guarded(original)
    sys.stdout = guarded
    try:
        yield
        guarded.flush()
    except _Broken as broken:
        sys.stdout = _Discard()
        raise _stopped(original, broken) from None
    finally:
        if sys.stdout is guarded:
            sys.stdout = original


def flush_at_exit(code: int) -> int:
    """The exit code once standard output is flushed for the last time, as the process ends
    (what was printed outside a guarded block, too): 141 for a reader that went away, 2
    with one line for any other failure, else ``code``."""
    from advisor.commands.notices import report_error

    try:
        with guarded_stdout():
            pass
    except SystemExit as stop:
        return int(stop.code or 0)
    except OutputError as error:
        report_error(str(error))
        return EXIT_BAD_INPUT
    return code
