"""The terminal: questionary prompts for the engine's questions. The only module that talks
to a terminal; everything it asks comes from ``engine.Questionnaire.next_step()``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import questionary
from prompt_toolkit.application import run_in_terminal
from prompt_toolkit.formatted_text import HTML, FormattedText
from prompt_toolkit.input import Input
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent, merge_key_bindings
from prompt_toolkit.output import Output
from prompt_toolkit.shortcuts import print_formatted_text
from prompt_toolkit.styles import Style

from advisor.engine import Progress, Questionnaire, Step
from advisor.model import Source

INSTRUCTION = "(y/n, ? why) "
_STYLE = Style.from_dict(
    {"bottom-toolbar": "noreverse #888888", "pair": "bold", "dim": "#888888", "help": "#5f87af"}
)


def run_session(
    questionnaire: Questionnaire,
    save: Callable[[], None],
    input: Input | None = None,
    output: Output | None = None,
) -> None:
    """Ask until the engine is done, saving after every answer.

    Ctrl-C raises ``KeyboardInterrupt`` and Ctrl-D ``EOFError``, both after the last answer
    was saved, so the caller can print how to resume.
    """
    current_pair = None
    while (step := questionnaire.next_step()) is not None:
        progress = questionnaire.progress()
        if step.pair != current_pair:
            current_pair = step.pair
            _print_pair_header(step, progress, questionnaire, output)
        _print(output, FormattedText([("class:dim", f"  why: {step.question.short}")]))
        value = ask_question(step, progress, input=input, output=output)
        questionnaire.answer(step.pair, step.question.id, value)
        save()


def _print_pair_header(
    step: Step, progress: Progress, questionnaire: Questionnaire, output: Output | None
) -> None:
    """The pair's names, where the user is, and what the facts already answered for it."""
    lines = [
        ("", "\n"),
        ("class:pair", f"{step.a} + {step.b}"),
        (
            "class:dim",
            f"   pair {progress.pair_number} of {progress.pair_count} · "
            f"{progress.answered} answered · at most {progress.at_most_left} left",
        ),
    ]
    for question_id, answer in questionnaire.sheet.get(step.pair, {}).items():
        if answer.source is not Source.ASKED:
            word = "yes" if answer.value else "no"
            lines.append(
                ("class:dim", f"\n  {question_id}: {word} ({answer.source.value}: {answer.reason})")
            )
    _print(output, FormattedText(lines))


def ask_question(
    step: Step, progress: Progress, input: Input | None = None, output: Output | None = None
) -> bool:
    """One yes/no prompt naming both containers; ``?`` prints why the question matters."""
    toolbar = HTML(
        f" <b>pair {progress.pair_number}/{progress.pair_count}</b> · "
        f"{progress.answered} answered · at most {progress.at_most_left} left · "
        "? why it matters · Ctrl-C saves and quits"
    )
    question = questionary.confirm(
        step.question.ask_about(step.a, step.b),
        instruction=INSTRUCTION,
        auto_enter=True,
        bottom_toolbar=toolbar,
        style=_STYLE,
        input=input,
        output=output,
    )
    app = question.application
    assert app.key_bindings is not None  # questionary's confirm always sets its own
    app.key_bindings = merge_key_bindings([app.key_bindings, _extra_keys(step, output)])
    answer: Any = question.unsafe_ask()
    if answer is None:  # questionary reports an aborted prompt as None
        raise KeyboardInterrupt
    return bool(answer)


def _extra_keys(step: Step, output: Output | None) -> KeyBindings:
    bindings = KeyBindings()

    @bindings.add("?")
    def _show_help(event: KeyPressEvent) -> None:
        text = FormattedText([("class:help", step.question.help.rstrip())])
        run_in_terminal(lambda: _print(output, text))

    @bindings.add("enter", eager=True)
    def _no_default(event: KeyPressEvent) -> None:
        """Enter alone does nothing: there is no safe default for these questions."""

    @bindings.add("c-d", eager=True)
    def _end_of_input(event: KeyPressEvent) -> None:
        event.app.exit(exception=EOFError)

    return bindings


def _print(output: Output | None, text: FormattedText) -> None:
    print_formatted_text(text, style=_STYLE, output=output)
