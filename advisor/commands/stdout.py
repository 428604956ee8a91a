"""Standard output that cannot be written (a full disk, a closed pipe, an I/O error) ends a
command with one line and exit code 2, or, for a reader that went away (``| head -1``),
quietly with the code a shell shows for SIGPIPE; never with a traceback."""

from __future__ import annotations

import errno
import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from advisor.domain.errors import AdvisorError, OutputError

# 128 + SIGPIPE: what a shell reports for a writer whose reader left.
EXIT_BROKEN_PIPE = 141


class _Broken(AdvisorError):
    """A write to standard output failed with ``error``."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


class _Guarded:
    """Standard output whose write errors are told apart from any other OSError."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(text))
        except OSError as error:
            raise _Broken(error) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as error:
            raise _Broken(error) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _Discard(io.TextIOBase):
    """Takes the place of a standard output that failed, so the interpreter's flush at exit
    does not fail again on what the broken stream still holds (and print a traceback)."""

    def write(self, text: str) -> int:
        return len(text)


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
        if broken.error.errno == errno.EPIPE:
            raise SystemExit(EXIT_BROKEN_PIPE) from None
        reason = broken.error.strerror or broken.error
        raise OutputError(f"standard output: cannot write: {reason}") from None
    finally:
        if sys.stdout is guarded:
            sys.stdout = original
