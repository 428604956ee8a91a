"""Where the session's prompts read and print: the terminal (or pipes in tests), its two
prompts made once, and the styles they draw with."""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from contextlib import AbstractContextManager

from prompt_toolkit.application import get_app_session
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.input import Input
from prompt_toolkit.output import Output
from prompt_toolkit.renderer import print_formatted_text as print_fragments
from prompt_toolkit.styles import BaseStyle, Style, default_ui_style, merge_styles

from advisor.domain.answers import AnswersFile
from advisor.domain.model import Workload
from advisor.engine.questionnaire import Entry, Progress, Questionnaire
from advisor.terminal.choose import ChoicePrompt
from advisor.terminal.promptapp import QUESTIONARY_STYLE
from advisor.terminal.yesno import YesNoPrompt

_STYLE = Style.from_dict(
    {
        "bottom-toolbar": "noreverse #888888",
        "pair": "bold",
        "dim": "#888888",
        "help": "#5f87af",
        "warn": "#d7875f",
    }
)


class Terminal:
    """Where prompts read and print: the real terminal, or pipes in tests.
    ``after_prompt_drawn`` runs once each prompt is first on screen, inside its Application
    (``ask`` lets a signal end the question on screen from there, see ``signals``);
    ``write_answers`` writes the user's answers the instant one is given (``keep_answer``)."""

    def __init__(
        self,
        input: Input | None = None,
        output: Output | None = None,
        after_prompt_drawn: Callable[[], None] = lambda: None,
        write_answers: Callable[[AnswersFile], None] = lambda answers: None,
    ) -> None:
        self.write_answers = write_answers
        self.input = input
        self.output = output
        self.after_prompt_drawn = after_prompt_drawn
        self._yes_no: YesNoPrompt | None = None
        self._choose: ChoicePrompt | None = None
        self._warmed_up = False
        self._shown: set[str] = set()

    def first_time(self, what: str) -> bool:
        """True the first time ``what`` is asked about in this session (to explain it once)."""
        if what in self._shown:
            return False
        self._shown.add(what)
        return True

    def keep_answer(
        self,
        questionnaire: Questionnaire,
        entry: Entry,
        value: bool | str | int | None,
        workload: Workload | None = None,
    ) -> None:
        """Write the user's answers with ``value`` given for ``entry``: a prompt calls this
        the instant the user answers, before its closing line shows the answer as given and
        before the engine works out what follows (``Questionnaire.given``)."""
        self.write_answers(questionnaire.given(entry, value, workload))

    def raw_mode(self) -> AbstractContextManager[None]:
        """The terminal in raw mode for a whole session, not only while a prompt is on screen.

        Between two prompts (an answer saved, the next question worked out) a terminal back
        in its normal mode edits what is typed as a line: a Ctrl-D typed ahead is taken as the
        end of a line and reaches the next prompt as a NUL, a Ctrl-C becomes SIGINT and throws
        away the keys typed before it, and every key is echoed. Raw throughout, every key
        waits, in order, for the next prompt (each prompt's own raw mode nests in this one)."""
        return (self.input or get_app_session().input).raw_mode()

    def prompt_drawn(self) -> None:
        """A prompt is on screen: collect garbage, run the caller's hook, and the first
        time, load what the end of the session needs, all while the user reads."""
        # Every prompt leaves a few thousand objects in reference cycles (an Application, its
        # layout, a list's choices). Collected by the automatic collector, whenever it
        # happened to run, they cost 20 to 80 ms between an answer and the next question;
        # here they cost the same while the user reads.
        gc.collect()
        self.after_prompt_drawn()
        if not self._warmed_up:
            self._warmed_up = True
            # After the last question the pods are worked out (advise, and networkx when
            # the answers need a search, 0.2 to 0.4 s to import): loading them now keeps
            # that pause out of the way.
            import networkx  # noqa: F401

            import advisor.layout.advice  # noqa: F401

            # What lives now (modules, the prompts, the session) lives to the end: out of the
            # collections after each question, which then walk only what the answers made
            # (20 to 30 ms each at 1,000 containers, 1 ms after this).
            gc.collect()
            gc.freeze()

    def print(self, *fragments: tuple[str, str]) -> None:
        """Print between prompts; ``EOFError`` when the terminal went away (as a prompt
        raises then, see ``promptapp.run_question``)."""
        # prompt_toolkit's print_formatted_text merges and parses the styles afresh on every
        # call (5 to 10 ms, twice per question); the renderer's own printer takes them merged.
        output = self.output or get_app_session().output
        try:
            print_fragments(output, FormattedText([*fragments, ("", "\n")]), print_style())
            output.flush()
        except OSError as error:
            raise EOFError(f"the terminal went away: {error}") from error

    def choose(self) -> ChoicePrompt:
        """The session's one list prompt, made at the first list question."""
        if self._choose is None:
            self._choose = ChoicePrompt(prompt_style(), self.prompt_drawn, self.input, self.output)
        return self._choose

    def yes_no(self) -> YesNoPrompt:
        """The session's one yes/no prompt, made at the first question."""
        if self._yes_no is None:
            self._yes_no = YesNoPrompt(
                prompt_style(),
                lambda text: self.print(("class:help", text)),
                self.prompt_drawn,
                self.input,
                self.output,
            )
        return self._yes_no


def toolbar(progress: Progress, help_key: bool = True) -> str:
    keys = "? why · Ctrl-C saves and quits" if help_key else "Ctrl-C saves and quits"
    return (
        f"{progress.unit} {progress.number}/{progress.count} · {progress.answered} "
        f"answered · at most {progress.at_most_left} left · {keys}"
    )


def yes_no(
    message: str,
    toolbar: str,
    help_text: str | None,
    terminal: Terminal,
    can_go_back: bool = True,
    on_answer: Callable[[bool], None] = lambda value: None,
) -> bool:
    return terminal.yes_no().ask(message, toolbar, help_text, can_go_back, on_answer)


@functools.cache
def prompt_style() -> BaseStyle:
    """The style questionary's prompts use: its colours, then ours."""
    return merge_styles([QUESTIONARY_STYLE, _STYLE])


@functools.cache
def print_style() -> BaseStyle:
    """The style ``print_formatted_text`` would use: prompt_toolkit's defaults, then ours."""
    return merge_styles([default_ui_style(), _STYLE])


def word(value: bool) -> str:
    return "yes" if value else "no"
