"""A hook for the moment a question is first on screen (``ask`` starts the answers file's
write then, see saver.py), for prompts that ask many questions on one Application."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from prompt_toolkit.application import Application


class FirstDrawing:
    """Calls ``hook`` after the first drawing of each question: ``new_question`` arms it."""

    def __init__(self, app: Application[Any], hook: Callable[[], None]) -> None:
        self._hook = hook
        self._drawn = False
        app.after_render += self._after_render

    def new_question(self) -> None:
        self._drawn = False

    def _after_render(self, _: object) -> None:
        if not self._drawn:  # later drawings redraw the same question (a key, a filter)
            self._drawn = True
            self._hook()
