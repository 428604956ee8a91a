"""One yes/no prompt for the whole session, drawn as questionary's confirm draws it.

questionary's ``confirm`` is a prompt_toolkit ``PromptSession`` whose message shows the
question and, once answered, the answer. Building a new one for every question (an
Application, its layout, its key bindings, its merged style) was most of the wait between an
answer and the next question. This keeps one Application for the session and changes only
what it shows; its layout is the two lines a confirm shows (the question, and the toolbar
at the foot of the terminal) without the input line, completion menus and toolbars of a
``PromptSession`` that a yes/no question never uses, which halves each drawing.
Keys: y and n answer at once; Enter alone does nothing
(there is no safe default); ``?`` prints why the question matters; ``b`` goes back; Ctrl-C
raises ``KeyboardInterrupt`` and Ctrl-D ``EOFError``.
"""

from __future__ import annotations

from collections.abc import Callable

from prompt_toolkit.application import Application, run_in_terminal
from prompt_toolkit.filters import Condition, is_done, renderer_height_is_known
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.input import Input
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.layout import (
    ConditionalContainer,
    Dimension,
    FormattedTextControl,
    HSplit,
    Layout,
    Window,
)
from prompt_toolkit.output import Output
from prompt_toolkit.styles import BaseStyle

from advisor.terminal.promptapp import (
    acknowledged,
    prompt_application,
    question_line,
    run_question,
)

YES, NO = "Yes", "No"  # the answer as questionary's confirm shows it


class GoBack(Exception):
    """The user pressed the back key: take back the last answer and ask it again."""


class YesNoPrompt:
    """Asks yes/no questions on one Application."""

    def __init__(
        self,
        style: BaseStyle,
        show_help: Callable[[str], None],
        after_drawn: Callable[[], None],
        input: Input | None = None,
        output: Output | None = None,
    ) -> None:
        self._show_help = show_help
        self._message = ""
        self._instruction = ""
        self._help: str | None = None
        self._can_go_back = False
        self._answer: bool | None = None
        self._toolbar = ""
        self._on_answer: Callable[[bool], None] = lambda value: None
        self._app: Application[None]
        self._app, self._first_drawing = prompt_application(
            self._layout(), self._key_bindings(), style, after_drawn, input, output
        )

    def ask(
        self,
        message: str,
        toolbar: str,
        help_text: str | None,
        can_go_back: bool,
        on_answer: Callable[[bool], None] = lambda value: None,
    ) -> bool:
        """Show ``message`` with ``toolbar`` below it; the answer, or an exception for the
        keys that leave the question (``GoBack``, ``KeyboardInterrupt``, ``EOFError``).
        ``on_answer`` gets the answer before the question closes showing it (see
        ``promptapp.acknowledged``)."""
        self._on_answer = on_answer
        keys = ["y/n"] + (["? why"] if help_text else []) + (["b back"] if can_go_back else [])
        self._message, self._instruction = message, f"({', '.join(keys)}) "
        self._help, self._can_go_back = help_text, can_go_back
        self._answer, self._toolbar = None, f" {toolbar}"
        self._first_drawing.new_question()
        run_question(self._app)
        assert self._answer is not None  # the prompt ends with an answer or an exception
        return self._answer

    def _tokens(self) -> FormattedText:
        answer = None if self._answer is None else (YES if self._answer else NO)
        return question_line(self._message, self._instruction, answer)

    def _layout(self) -> Layout:
        """A ``PromptSession``'s layout as a confirm shows it: the question, taking the rows
        below it, and the toolbar on the last one."""
        toolbar = Window(
            FormattedTextControl(lambda: self._toolbar, style="class:bottom-toolbar.text"),
            style="class:bottom-toolbar",
            dont_extend_height=True,
            height=Dimension(min=1),
        )
        return Layout(
            HSplit(
                [
                    Window(FormattedTextControl(self._tokens), wrap_lines=True),
                    # Shown once the rows below the prompt are known, as a PromptSession does.
                    ConditionalContainer(toolbar, filter=~is_done & renderer_height_is_known),
                ]
            )
        )

    def _key_bindings(self) -> KeyBindings:
        bindings = KeyBindings()

        def answer(value: bool) -> Callable[[KeyPressEvent], None]:
            def handler(event: KeyPressEvent) -> None:
                if acknowledged(event, lambda: self._on_answer(value)):
                    self._answer = value
                    event.app.exit()

            return handler

        for key in "yY":
            bindings.add(key)(answer(True))
        for key in "nN":
            bindings.add(key)(answer(False))

        @bindings.add("b", filter=Condition(lambda: self._can_go_back))
        def _go_back(event: KeyPressEvent) -> None:
            event.app.exit(exception=GoBack)

        @bindings.add("?", filter=Condition(lambda: self._help is not None))
        def _why(event: KeyPressEvent) -> None:
            help_text = self._help or ""
            run_in_terminal(lambda: self._show_help(help_text.rstrip()))

        @bindings.add("enter", eager=True)
        def _no_default(event: KeyPressEvent) -> None:
            """Enter alone does nothing: there is no safe default for these questions."""

        return bindings
