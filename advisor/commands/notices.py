"""The lines the tool writes on standard error: errors, warnings and notes. What they quote
comes from the user's files (a kind, a path, a key), so control characters are escaped: a
file cannot move the cursor or clear the screen. A standard error that cannot be written
(a full disk, closed) ends the command with exit code 2, as a standard output does."""

from __future__ import annotations

import contextlib
import errno
import io
import sys

from advisor.domain.errors import OutputError, printable


class ClosedStream(io.TextIOBase):
    """Stands for a standard stream the process was started without (``2>&-``): every
    write fails as a write to a closed file would."""

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "Bad file descriptor")


def report_error(message: str) -> None:
    """``pod-advisor: error: MESSAGE`` on standard error, if it can still take a line (the
    exit code says the rest)."""
    with contextlib.suppress(OSError, ValueError):
        _write(f"pod-advisor: error: {printable(message)}")


def warn(message: str) -> None:
    """``pod-advisor: warning: MESSAGE`` on standard error, as one line."""
    tell(f"warning: {message}")


def tell(message: str) -> None:
    """``pod-advisor: MESSAGE`` on standard error, as one line."""
    try:
        _write(f"pod-advisor: {printable(message)}")
    except (OSError, ValueError) as error:  # ValueError: the stream was closed
        reason = error.strerror if isinstance(error, OSError) else None
        raise OutputError(f"standard error: cannot write: {reason or error}") from None


class _Discard(io.TextIOBase):
    """Takes the place of a standard error that failed, so the interpreter's flush at exit
    does not fail again on what it still holds (which would make the exit code 120)."""

    def write(self, text: str) -> int:
        return len(text)


def _write(line: str) -> None:
    stream = sys.stderr
    try:
        stream.write(f"{line}\n")
        stream.flush()
    except (OSError, ValueError):
        sys.stderr = _Discard()
        raise
