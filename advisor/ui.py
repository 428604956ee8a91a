"""The terminal: questionary prompts for the engine's steps. The only module that talks to a
terminal; everything it asks comes from ``engine.Questionnaire.next_step()``."""

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

from advisor.engine import Progress, Questionnaire, QuestionStep, RolesStep, RoleStep
from advisor.model import Pair, Source

INSTRUCTION = "(y/n, ? why) "
PRIMARY_CHOICE = "a primary application"
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
    """Where prompts read and print: the real terminal, or pipes in tests."""

    def __init__(self, input: Input | None = None, output: Output | None = None) -> None:
        self.input = input
        self.output = output

    def print(self, *fragments: tuple[str, str]) -> None:
        print_formatted_text(FormattedText(list(fragments)), style=_STYLE, output=self.output)


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
    terminal = Terminal(input, output)
    _settle_contradictions(questionnaire, save, terminal)
    current: tuple[str, ...] | None = None
    while (step := questionnaire.next_step()) is not None:
        progress = questionnaire.progress()
        if isinstance(step, RolesStep):
            questionnaire.confirm_roles(_confirm_roles(step, progress, terminal))
        elif isinstance(step, RoleStep):
            questionnaire.answer_role(step.container, _ask_role(step, progress, terminal))
        else:
            if step.members != current:
                current = step.members
                _print_header(step, progress, questionnaire, terminal)
            terminal.print(("class:dim", f"  why: {step.question.short}"))
            questionnaire.answer(step, ask_question(step, progress, terminal))
        save()


def _settle_contradictions(
    questionnaire: Questionnaire, save: Callable[[], None], terminal: Terminal
) -> None:
    """Answers in the file that earlier answers contradict: the user picks which stands."""
    for pair, question_id, inferred in list(questionnaire.contradictions):
        mine = questionnaire.answers_for(pair)[question_id].value
        terminal.print(
            (
                "class:warn",
                f"\n{pair.label()}: you answered {question_id} "
                f"{_word(mine)}, but {inferred.reason} says "
                f"{_word(inferred.value)}.",
            )
        )
        keep = _yes_no(
            f"Keep your answer ({_word(mine)})? n uses {_word(inferred.value)}",
            "y keeps yours, n takes the inferred answer",
            None,
            terminal,
        )
        questionnaire.resolve_contradiction(pair, question_id, keep_mine=keep)
        save()


def _print_header(
    step: QuestionStep, progress: Progress, questionnaire: Questionnaire, terminal: Terminal
) -> None:
    """The names asked about, where the user is, and what is already known about them."""
    fragments = [
        ("", "\n"),
        ("class:pair", " + ".join(step.members)),
        (
            "class:dim",
            f"   {progress.unit} {progress.number} of {progress.count} · "
            f"{progress.answered} answered · at most "
            f"{progress.at_most_left} left",
        ),
    ]
    pairs = [Pair.of(a, b) for i, a in enumerate(step.members) for b in step.members[i + 1 :]]
    known = [questionnaire.answers_for(pair) for pair in pairs]
    for question_id in questionnaire.rules.question_ids:
        answers = [a.get(question_id) for a in known]
        if any(a is None or a.source is Source.ASKED for a in answers):
            continue
        values = {a.value for a in answers if a is not None}
        first = answers[0]
        assert first is not None
        if len(pairs) == 1:
            detail = f"{first.source.value}: {first.reason}"
        else:
            sources = sorted({a.source.value for a in answers if a is not None})
            detail = f"{' and '.join(sources)} for every pair"
        word = _word(values.pop()) if len(values) == 1 else "mixed"
        fragments.append(("class:dim", f"\n  {question_id}: {word} ({detail})"))
    terminal.print(*fragments)


def ask_question(step: QuestionStep, progress: Progress, terminal: Terminal) -> bool:
    """One yes/no prompt naming the containers; ``?`` prints why the question matters."""
    return _yes_no(step.text(), _toolbar(progress), step.question.help, terminal)


def _toolbar(progress: Progress) -> str:
    return (
        f"{progress.unit} {progress.number}/{progress.count} · {progress.answered} "
        f"answered · at most {progress.at_most_left} left · ? why · Ctrl-C saves and quits"
    )


def _yes_no(message: str, toolbar: str, help_text: str | None, terminal: Terminal) -> bool:
    question = questionary.confirm(
        message,
        instruction=INSTRUCTION if help_text else "(y/n) ",
        auto_enter=True,
        bottom_toolbar=HTML(f" {_escape(toolbar)}"),
        style=_STYLE,
        input=terminal.input,
        output=terminal.output,
    )
    app = question.application
    assert app.key_bindings is not None  # questionary's confirm always sets its own
    app.key_bindings = merge_key_bindings([app.key_bindings, _extra_keys(help_text, terminal)])
    return bool(_unsafe_ask(question))


def _confirm_roles(step: RolesStep, progress: Progress, terminal: Terminal) -> bool:
    width = max(len(name) for name, _ in step.roles)
    lines = [("", "\nRoles from the inventory:")]
    for name, helps in step.roles:
        what = "primary application" if helps is None else f"helper of {helps}"
        lines.append(("", f"\n  {name.ljust(width)}  {what}"))
    terminal.print(*lines)
    return _yes_no(
        "Are these roles right?",
        _toolbar(progress),
        "A primary application never shares a pod with another primary; a helper "
        "is asked about only together with what it helps.",
        terminal,
    )


def _ask_role(step: RoleStep, progress: Progress, terminal: Terminal) -> str | None:
    choices = [PRIMARY_CHOICE, *(f"a helper of {name}" for name in step.candidates)]
    default = PRIMARY_CHOICE
    if step.has_proposal and step.proposed is not None:
        default = f"a helper of {step.proposed}"
    many = len(choices) > 10
    question = questionary.select(
        f"What is {step.container}?",
        choices=choices,
        default=default,
        instruction="(a primary application, or which container it complements"
        + ("; type to filter)" if many else ")"),
        use_search_filter=many,
        use_jk_keys=not many,
        bottom_toolbar=HTML(f" {_escape(_toolbar(progress))}"),
        style=_STYLE,
        input=terminal.input,
        output=terminal.output,
    )
    choice = str(_unsafe_ask(question))
    return None if choice == PRIMARY_CHOICE else choice.removeprefix("a helper of ")


def _unsafe_ask(question: questionary.Question) -> Any:
    answer = question.unsafe_ask()
    if answer is None:  # questionary reports an aborted prompt as None
        raise KeyboardInterrupt
    return answer


def _extra_keys(help_text: str | None, terminal: Terminal) -> KeyBindings:
    bindings = KeyBindings()

    if help_text:

        @bindings.add("?")
        def _show_help(event: KeyPressEvent) -> None:
            run_in_terminal(lambda: terminal.print(("class:help", help_text.rstrip())))

    @bindings.add("enter", eager=True)
    def _no_default(event: KeyPressEvent) -> None:
        """Enter alone does nothing: there is no safe default for these questions."""

    @bindings.add("c-d", eager=True)
    def _end_of_input(event: KeyPressEvent) -> None:
        event.app.exit(exception=EOFError)

    return bindings


def _word(value: bool) -> str:
    return "yes" if value else "no"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
