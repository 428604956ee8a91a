"""The ``pod-advisor`` entry point (``[project.scripts]``, and ``python -m advisor``).

It imports nothing of the program before it can catch a Ctrl-C: one pressed while Python
is still loading the modules (the first tenth of a second) ends with one line and exit code
130, as any Ctrl-C outside an ``ask`` session does, instead of a traceback from inside an
import. The command line itself is ``commandline``.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Sequence

EXIT_INTERRUPTED = 130  # commands.status's, not imported: that is already an import to cover


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line (``sys.argv`` without ``argv``: the process is ours); return
    the exit code."""
    try:
        try:
            from advisor.commandline import run

            return run(argv)
        finally:
            if argv is None:
                # The work is done or stopped: a Ctrl-C now would end Python while it exits
                # (its handlers are reset then), by the signal instead of the exit code.
                signal.signal(signal.SIGINT, signal.SIG_IGN)
    except KeyboardInterrupt:
        # A second Ctrl-C, or no terminal left to print on, changes nothing.
        with contextlib.suppress(KeyboardInterrupt, OSError):
            print("\npod-advisor: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
