"""Cyclic garbage collection paused while an application and its answers are read.

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
def collection_paused() -> Iterator[None]:
    """Run the block without cyclic collection; afterwards freeze what it built, so later
    collections (during a long interactive session, say) do not walk it either."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def release() -> None:
    """Hand frozen objects back to the collector (when the command is over)."""
    gc.unfreeze()
