"""One list prompt for the whole session, drawn as questionary's select draws it.

questionary's ``select`` builds an Application for every question: its layout (through two
PromptSessions), a hundred key bindings for typing to filter, a merged style. That took about
25 ms between an answer and the next question, and every role question of an inventory
without roles is one. This keeps one Application with questionary's own list control in it,
and gives the control each question's choices. The layout is questionary's without the two
PromptSessions it borrows for the question line and a validation message a list never shows:
drawn the same, in half the time. Keys as in questionary's select:
arrows (and j/k in a short list) move, Enter picks, typing filters a long list, Ctrl-C
raises ``KeyboardInterrupt``.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Sequence
from typing import cast

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
from questionary.prompts.common import Choice, InquirerControl

from advisor.terminal.promptapp import prompt_application, question_line

LIST_ROWS = 12  # choices shown at a time; the list scrolls with the pointer


def filters_as_you_type(choices: int) -> bool:
    """Whether a list of this many choices filters as you type (else j and k move)."""
    return choices > 10


class _ShownRows(InquirerControl):
    """questionary's list control, formatting only the rows on screen: at 1,000 choices,
    formatting every one on every drawing was most of the time a role question took.
    (questionary leaves ``_get_choice_tokens`` unannotated, hence the type ignores.)"""

    top = 0  # the first choice on screen; it follows the pointer

    def _get_choice_tokens(self) -> list[tuple[str, str]]:
        shown = self.filtered_choices
        if len(shown) <= LIST_ROWS:
            return list(super()._get_choice_tokens())  # type: ignore[no-untyped-call]
        # Keep the rows full when the filter shrinks the list, and the pointer on screen.
        self.top = min(self.top, len(shown) - LIST_ROWS)
        self.top = min(max(self.top, self.pointed_at - LIST_ROWS + 1), self.pointed_at)
        # The parent formats self.choices around self.pointed_at: let it see only the rows
        # on screen, then put everything back.
        everything = self.choices, self.search_filter, self.pointed_at
        self.choices = shown[self.top : self.top + LIST_ROWS]
        self.search_filter, self.pointed_at = None, self.pointed_at - self.top
        try:
            return list(super()._get_choice_tokens())  # type: ignore[no-untyped-call]
        finally:
            self.choices, self.search_filter, self.pointed_at = everything


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
        # The layout and key bindings are bound to this control, so it stays, and each
        # question starts it afresh (see ``ask``).
        self._control = _ShownRows(["-"])
        # Built once: a title's Choice is the same on every question (see ``ask``).
        self._choices: dict[str, Choice] = {}
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
    ) -> str:
        """Show ``message`` over ``choices``, the pointer on ``default`` (else the first);
        the choice picked, or ``KeyboardInterrupt``."""
        # questionary's control keeps no state but what its constructor sets, and the
        # filter typed so far, which it leaves alone: both reset, it asks a new question.
        self._control.search_filter, self._control.top = None, 0
        # Choices without a shortcut key, which a list without shortcuts never shows, are
        # taken as they are: made afresh from strings, a thousand cost a millisecond each time.
        built = [self._choice(title) for title in choices]
        InquirerControl.__init__(
            self._control, built, default, use_indicator=False, initial_choice=default
        )
        if instruction is None:
            instruction = (
                "(Use arrow keys, type to filter)" if self._filtering else "(Use arrow keys)"
            )
        self._message, self._instruction = message, instruction
        self._first_drawing.new_question()
        return str(self._app.run())

    def _choice(self, title: str) -> Choice:
        choice = self._choices.get(title)
        if choice is None:
            choice = self._choices[title] = Choice(title, title, shortcut_key=False)
        return choice

    def _layout(self) -> Layout:
        """questionary's select layout: the question line, the list and the typed filter."""
        control = self._control
        return Layout(
            HSplit(
                [
                    Window(
                        FormattedTextControl(self._tokens), dont_extend_height=True, wrap_lines=True
                    ),
                    ConditionalContainer(
                        # A preferred height given, prompt_toolkit does not measure every choice.
                        Window(
                            control,
                            height=lambda: Dimension(
                                max=LIST_ROWS,
                                preferred=min(LIST_ROWS, max(1, control.choice_count)),
                            ),
                        ),
                        filter=~is_done,
                    ),
                    ConditionalContainer(
                        Window(
                            FormattedTextControl(control.get_search_string_tokens),
                            height=Dimension.exact(2),
                        ),
                        filter=Condition(lambda: control.search_filter is not None) & ~is_done,
                    ),
                ]
            )
        )

    @property
    def _filtering(self) -> bool:
        return filters_as_you_type(len(self._control.choices))

    def _tokens(self) -> FormattedText:
        control = self._control
        answer = str(control.get_pointed_at().title) if control.is_answered else None
        return question_line(self._message, self._instruction, answer)

    def _key_bindings(self) -> KeyBindings:
        bindings = KeyBindings()
        control = self._control
        filtering = Condition(lambda: self._filtering)

        def down(event: KeyPressEvent) -> None:
            control.select_next()
            while not control.is_selection_valid():
                control.select_next()

        def up(event: KeyPressEvent) -> None:
            control.select_previous()
            while not control.is_selection_valid():
                control.select_previous()

        def type_to_filter(event: KeyPressEvent) -> None:
            # questionary annotates Keys, and takes the typed characters as they come
            control.add_search_character(cast(Keys, event.key_sequence[0].key))

        for character in string.printable:
            bindings.add(character, eager=True, filter=filtering)(type_to_filter)
        bindings.add(Keys.Backspace, eager=True, filter=filtering)(type_to_filter)
        bindings.add(Keys.Down, eager=True)(down)
        bindings.add(Keys.Up, eager=True)(up)
        bindings.add("j", eager=True, filter=~filtering)(down)
        bindings.add("k", eager=True, filter=~filtering)(up)

        @bindings.add(Keys.ControlM, eager=True)
        def _pick(event: KeyPressEvent) -> None:
            control.is_answered = True
            event.app.exit(result=control.get_pointed_at().value)

        return bindings
