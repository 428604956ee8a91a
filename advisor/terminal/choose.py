"""One list prompt for the whole session, drawn as questionary's select draws it.

questionary's ``select`` builds an Application for every question: its layout (through two
PromptSessions), a hundred key bindings for typing to filter, a merged style, and a list
control that formats every choice on every drawing. Every role question of an inventory
without roles is one, with a choice per container. This keeps one Application for the
session, built from prompt_toolkit's public pieces, with a list of its own (``ChoiceList``)
that formats only the rows on screen, in questionary's tokens and style classes. Keys as in
questionary's select: arrows (and j/k in a short list) move, Enter picks, typing filters a
long list, Ctrl-C raises ``KeyboardInterrupt`` and Ctrl-D ``EOFError``.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Sequence

from prompt_toolkit.application import Application
from prompt_toolkit.filters import Condition, is_done
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.input import Input
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.keys import Keys
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

LIST_ROWS = 12  # choices shown at a time; the list scrolls with the pointer
POINTER = "»"  # questionary's pointer, in front of the choice pointed at


def filters_as_you_type(choices: int) -> bool:
    """Whether a list of this many choices filters as you type (else j and k move)."""
    return choices > 10


class ChoiceList:
    """A question's choices, the pointer and the filter typed so far, and the rows they
    draw: questionary's select list, but only the rows on screen are formatted (a role
    question at 1,000 containers has 1,000 choices)."""

    def __init__(self) -> None:
        self.choices: Sequence[str] = ()
        self.default: str | None = None
        self.typed: str | None = None  # the filter; None until a character is typed
        self.pointed_at = 0  # an index into ``shown``
        self.top = 0  # the first row on screen (in ``shown``); it follows the pointer
        self._kept: tuple[str, list[str]] | None = None  # the last filter and what it kept

    def start(self, choices: Sequence[str], default: str | None = None) -> None:
        """A new question: these choices, no filter, the pointer on ``default`` (else the
        first choice), which is drawn as questionary draws a select's default."""
        if not choices:
            raise ValueError("a list question needs choices")
        self.choices, self.default = tuple(choices), default
        self.typed, self.top, self._kept = None, 0, None
        self.pointed_at = 0 if default is None else self.choices.index(default)

    @property
    def shown(self) -> Sequence[str]:
        """The choices the filter keeps; all of them when it keeps none, as in questionary."""
        kept = self._filtered()
        return kept if kept else self.choices

    @property
    def found(self) -> bool:
        """Whether the filter typed keeps any choice."""
        return bool(self._filtered())

    def pointed(self) -> str:
        """The choice the pointer is on."""
        return self.shown[self.pointed_at]

    def move(self, step: int) -> None:
        """Move the pointer ``step`` rows down (up when negative), round the ends."""
        self.pointed_at = (self.pointed_at + step) % len(self.shown)

    def type(self, character: str) -> None:
        """Add a character to the filter; the pointer goes to the first choice kept."""
        self.typed = (self.typed or "") + character
        self.pointed_at = 0

    def erase(self) -> None:
        """Take the filter's last character back (no filter once it is empty)."""
        self.typed = (self.typed[:-1] or None) if self.typed else None
        self.pointed_at = 0

    def rows(self) -> FormattedText:
        """The rows on screen, at most ``LIST_ROWS`` around the pointer, drawn as
        questionary's select draws its list."""
        shown = self.shown
        self.top = min(self.top, max(0, len(shown) - LIST_ROWS))  # rows full, filter or not
        self.top = min(max(self.top, self.pointed_at - LIST_ROWS + 1), self.pointed_at)
        tokens: list[tuple[str, str]] = []
        for index in range(self.top, min(self.top + LIST_ROWS, len(shown))):
            title = shown[index]
            pointed = index == self.pointed_at
            if pointed:
                tokens += [("class:pointer", f" {POINTER} "), ("[SetCursorPosition]", "")]
            else:
                tokens.append(("class:text", " " * (2 + len(POINTER))))
            if title == self.default:
                tokens.append(("class:selected", title))
            else:
                tokens.append(("class:highlighted" if pointed else "class:text", title))
            tokens.append(("", "\n"))
        return FormattedText(tokens[:-1])  # no newline after the last row

    def filter_line(self) -> FormattedText:
        """The filter typed so far, under the list, as questionary's select shows it."""
        found = "class:search_success" if self.found else "class:search_none"
        return FormattedText(
            [
                ("", "\n"),
                ("class:question-mark", "/ "),
                (found, self.typed or ""),
                ("class:question-mark", "..."),
            ]
        )

    def _filtered(self) -> list[str]:
        typed = self.typed
        if not typed:
            return []
        if self._kept is None or self._kept[0] != typed:
            wanted = typed.lower()
            self._kept = typed, [c for c in self.choices if wanted in c.lower()]
        return self._kept[1]


class ChoicePrompt:
    """Asks "pick one of these" questions on one Application."""

    def __init__(
        self,
        style: BaseStyle,
        after_drawn: Callable[[], None],
        input: Input | None = None,
        output: Output | None = None,
    ) -> None:
        self._message = ""
        self._instruction = ""
        self._answered = False
        self._on_answer: Callable[[str], None] = lambda choice: None
        self._list = ChoiceList()
        self._control = FormattedTextControl(self._list.rows)
        self._app: Application[str]
        self._app, self._first_drawing = prompt_application(
            self._layout(), self._key_bindings(), style, after_drawn, input, output
        )

    def ask(
        self,
        message: str,
        choices: Sequence[str],
        default: str | None = None,
        instruction: str | None = None,
        on_answer: Callable[[str], None] = lambda choice: None,
    ) -> str:
        """Show ``message`` over ``choices``, the pointer on ``default`` (else the first);
        the choice picked, or ``KeyboardInterrupt`` (Ctrl-C) or ``EOFError`` (Ctrl-D).
        ``on_answer`` gets the choice before the question closes showing it (see
        ``promptapp.acknowledged``)."""
        self._on_answer = on_answer
        self._list.start(choices, default)
        if instruction is None:
            instruction = (
                "(Use arrow keys, type to filter)" if self._filtering else "(Use arrow keys)"
            )
        self._message, self._instruction, self._answered = message, instruction, False
        self._first_drawing.new_question()
        return run_question(self._app)

    def _layout(self) -> Layout:
        """questionary's select layout: the question line, the list and the typed filter."""
        choices = self._list
        return Layout(
            HSplit(
                [
                    Window(
                        FormattedTextControl(self._tokens), dont_extend_height=True, wrap_lines=True
                    ),
                    ConditionalContainer(
                        # A preferred height given, prompt_toolkit does not measure the rows.
                        # No maximum: as in questionary's layout, the list takes the rows
                        # left below it, which puts the typed filter at the terminal's foot.
                        Window(
                            self._control,
                            height=lambda: Dimension(preferred=min(LIST_ROWS, len(choices.shown))),
                        ),
                        filter=~is_done,
                    ),
                    ConditionalContainer(
                        Window(
                            FormattedTextControl(choices.filter_line), height=Dimension.exact(2)
                        ),
                        filter=Condition(lambda: choices.typed is not None) & ~is_done,
                    ),
                ]
            )
        )

    @property
    def _filtering(self) -> bool:
        return filters_as_you_type(len(self._list.choices))

    def _tokens(self) -> FormattedText:
        answer = self._list.pointed() if self._answered else None
        return question_line(self._message, self._instruction, answer)

    def _key_bindings(self) -> KeyBindings:
        bindings = KeyBindings()
        choices = self._list
        filtering = Condition(lambda: self._filtering)

        def down(event: KeyPressEvent) -> None:
            choices.move(1)

        def up(event: KeyPressEvent) -> None:
            choices.move(-1)

        def type_to_filter(event: KeyPressEvent) -> None:
            choices.type(event.data)

        def erase(event: KeyPressEvent) -> None:
            choices.erase()

        for character in string.printable:
            bindings.add(character, eager=True, filter=filtering)(type_to_filter)
        bindings.add(Keys.Backspace, eager=True, filter=filtering)(erase)
        bindings.add(Keys.Down, eager=True)(down)
        bindings.add(Keys.Up, eager=True)(up)
        bindings.add("j", eager=True, filter=~filtering)(down)
        bindings.add("k", eager=True, filter=~filtering)(up)

        @bindings.add(Keys.ControlM, eager=True)
        def _pick(event: KeyPressEvent) -> None:
            picked = choices.pointed()
            if acknowledged(event, lambda: self._on_answer(picked)):
                self._answered = True
                event.app.exit(result=picked)

        return bindings
