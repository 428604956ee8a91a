"""The prompts' Applications seen from outside: a hook for the moment a question is first on
screen (``ask`` starts the answers file's write then, see saver.py), and a way to end the
question on screen as Ctrl-C does (a closed terminal or a ``kill`` does, see saver.py)."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from prompt_toolkit.application import Application

# Every prompt's Application (a session has two, one per kind of prompt).
_PROMPTS: weakref.WeakSet[Application[Any]] = weakref.WeakSet()


def stop_question() -> bool:
    """End the question on screen as Ctrl-C ends it (its prompt raises KeyboardInterrupt);
    False when no question is on screen or its answer is already in."""
    for app in list(_PROMPTS):
        if app.is_running and app.future is not None and not app.future.done():
            app.exit(exception=KeyboardInterrupt, style="class:aborting")
            return True
    return False


class FirstDrawing:
    """Calls ``hook`` after the first drawing of each question: ``new_question`` arms it."""

    def __init__(self, app: Application[Any], hook: Callable[[], None]) -> None:
        self._hook = hook
        self._drawn = False
        app.after_render += self._after_render
        _PROMPTS.add(app)

    def new_question(self) -> None:
        self._drawn = False

    def _after_render(self, _: object) -> None:
        if not self._drawn:  # later drawings redraw the same question (a key, a filter)
            self._drawn = True
            self._hook()
