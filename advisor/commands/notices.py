"""The lines the tool writes on standard error besides its errors: warnings and notes. What
they quote comes from the user's files (a kind, a path, a key), so control characters are
escaped as they are in errors: a file cannot move the cursor or clear the screen."""

from __future__ import annotations

import sys

from advisor.domain.errors import printable


def warn(message: str) -> None:
    """``pod-advisor: warning: MESSAGE`` on standard error, as one line."""
    tell(f"warning: {message}")


def tell(message: str) -> None:
    """``pod-advisor: MESSAGE`` on standard error, as one line."""
    print(f"pod-advisor: {printable(message)}", file=sys.stderr)
