"""Cyclic garbage collection paused while an application and its answers are read (the
whole load in ``cli``, and every YAML parse on its own), and during an interactive session,
which collects while the user reads each question instead (see ``ui``).

Reading 125,000 answers builds millions of objects that all live until the command ends.
The cyclic collector would walk them again and again as they pile up (a quarter of ``plan``'s
time at 5,000 containers) and find nothing to free: the data holds no reference cycles, and
reference counting frees everything else as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused(freeze_after: bool = False) -> Iterator[None]:
    """Run the block without cyclic collection, then restore it. With ``freeze_after``,
    what the block built is frozen out of later collections too (the data a command keeps
    to its end, which a long interactive session would otherwise have walked again)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze_after:
            gc.freeze()
        if enabled:
            gc.enable()


def release() -> None:
    """Hand frozen objects back to the collector (when the command is over)."""
    gc.unfreeze()


def leave_to_exit() -> None:
    """Freeze the whole heap when the command was the whole process and it ends now:
    Python's last collection at exit would otherwise walk it all to free the reference
    cycles among what was read (the questionnaire's), 50 to 100 ms at 2,000 containers,
    for memory that the process's exit hands back anyway."""
    gc.freeze()
