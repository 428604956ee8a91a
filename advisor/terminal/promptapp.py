"""What the session's two prompts (``yesno``, ``choose``) share: one Application each for all
its questions, with the keys every question has and a hook for the moment a question is first
on screen (``signals`` learns there which prompt a signal must end); how a question runs (a
terminal that went away ends it as Ctrl-D does); the question line and the colours as
questionary draws them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from prompt_toolkit.application import Application
from prompt_toolkit.filters import is_done
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.input import Input
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent, merge_key_bindings
from prompt_toolkit.keys import Keys
from prompt_toolkit.layout import Layout
from prompt_toolkit.output import Output
from prompt_toolkit.styles import BaseStyle
from questionary import Style

Result = TypeVar("Result")

QUESTION_MARK = "?"  # questionary's, in front of every question

# The colours of questionary's prompts (its default style), by the style classes it draws
# with; classes it leaves unstyled (the pointer, the list's text) are left out.
QUESTIONARY_STYLE = Style(
    [
        ("qmark", "fg:#5f819d"),
        ("question", "bold"),
        ("answer", "fg:#FF9D00 bold"),
        ("search_success", "noinherit fg:#00FF00 bold"),
        ("search_none", "noinherit fg:#FF0000 bold"),
    ]
)


def prompt_application(
    layout: Layout,
    key_bindings: KeyBindings,
    style: BaseStyle,
    after_drawn: Callable[[], None],
    input: Input | None = None,
    output: Output | None = None,
) -> tuple[Application[Result], FirstDrawing]:
    """The Application a prompt asks all its questions on, with the keys every question has
    besides ``key_bindings`` (Ctrl-C or Ctrl-Q stop, Ctrl-D ends the input as at a shell
    prompt, any other key types nothing), and its
    hook calling ``after_drawn`` once each question is on screen."""
    app: Application[Result] = Application(
        layout=layout,
        key_bindings=merge_key_bindings([_shared_keys(), key_bindings]),
        style=style,
        input=input,
        output=output,
    )
    return app, FirstDrawing(app, after_drawn)


def run_question(app: Application[Result]) -> Result:
    """Run one question on ``app``: its answer, or the exception of the key that left it.

    SIGINT is left to Python's handler (``ask``'s ``signals``): prompt_toolkit's own turns it
    into a key, lost when it comes as the question ends, that ``ask`` could not tell from the
    others. A terminal that went away (closed: EIO on reading or drawing) raises
    ``EOFError``, as Ctrl-D does, rather than the ``OSError`` prompt_toolkit lets out."""
    try:
        return app.run(handle_sigint=False)
    except OSError as error:
        raise EOFError(f"the terminal went away: {error}") from error


def acknowledged(event: KeyPressEvent, keep: Callable[[], None]) -> bool:
    """Run ``keep`` (the answer written to disk) in the key handler that closes a question,
    before its closing line can show the answer as given; False when it failed, the question
    then ended with its error. (An exception let out of a key handler would be printed by
    prompt_toolkit's event loop as unhandled, and the question would stay open.)"""
    try:
        keep()
    except Exception as error:  # raised again, as it is, by run_question
        event.app.exit(exception=error)
        return False
    return True


def question_line(message: str, instruction: str, answer: str | None) -> FormattedText:
    """The question as questionary draws it: its mark, the question, then the instruction or,
    once answered, the answer."""
    tokens = [("class:qmark", QUESTION_MARK), ("class:question", f" {message} ")]
    if answer is None:
        tokens.append(("class:instruction", instruction))
    else:
        tokens.append(("class:answer", answer))
    # The cursor after the question, as questionary's input line has it: on a cell of its
    # own (prompt_toolkit puts a cursor past a line's last cell at its start).
    return FormattedText([*tokens, ("[SetCursorPosition]", ""), ("", " ")])


def _shared_keys() -> KeyBindings:
    bindings = KeyBindings()

    @bindings.add(Keys.ControlC, eager=True)
    @bindings.add(Keys.ControlQ, eager=True)
    def _stop(event: KeyPressEvent) -> None:
        event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

    @bindings.add(Keys.SIGINT, eager=True, filter=~is_done)
    def _signal(event: KeyPressEvent) -> None:
        """A SIGINT fed as a key (an Application run with prompt_toolkit's handler) stops
        too, rather than falling to the key below."""
        event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

    @bindings.add(Keys.ControlD, eager=True)
    def _end_of_input(event: KeyPressEvent) -> None:
        event.app.exit(exception=EOFError)

    @bindings.add(Keys.Any)
    def _other(event: KeyPressEvent) -> None:
        """Any other key types nothing."""

    return bindings


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
