"""The terminal: the engine's steps as prompts, asked on one yes/no prompt (``yesno``) and
one list prompt (``choose``) for the whole session, both drawn as questionary draws them.
With the modules of those two prompts, the only code that talks to a terminal; everything
it asks comes from ``engine.Questionnaire.next_step()``."""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable

from prompt_toolkit.application import get_app_session
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.input import Input
from prompt_toolkit.output import Output
from prompt_toolkit.renderer import print_formatted_text as print_fragments
from prompt_toolkit.styles import BaseStyle, Style, default_ui_style, merge_styles

from advisor.domain.model import Pair, Source
from advisor.engine.questionnaire import (
    Entry,
    Progress,
    Questionnaire,
    QuestionStep,
    RolesStep,
    RoleStep,
    UserAnswer,
    list_names,
)
from advisor.formats.gcpause import collection_paused
from advisor.terminal.choose import ChoicePrompt, filters_as_you_type
from advisor.terminal.promptapp import QUESTIONARY_STYLE
from advisor.terminal.yesno import GoBack, YesNoPrompt

PRIMARY_CHOICE = "a primary application"
BACK_CHOICE = "<- back to the previous question"
WRITE_CHOICE = "Write the pod layout"
# The roles of a long inventory are listed up to this many, then summed up: a screenful to
# check them by, not a thousand lines scrolling the question's context away.
ROLES_SHOWN = 20
CHANGE_CHOICE = "Change an answer"


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
    (``ask`` lets a signal end the question on screen from there, see ``signals``)."""

    def __init__(
        self,
        input: Input | None = None,
        output: Output | None = None,
        after_prompt_drawn: Callable[[], None] = lambda: None,
    ) -> None:
        self.input = input
        self.output = output
        self.after_prompt_drawn = after_prompt_drawn
        self._yes_no: YesNoPrompt | None = None
        self._choose: ChoicePrompt | None = None
        self._warmed_up = False

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
            # After the last question the pods are worked out (advise, and networkx behind
            # it, 0.2 to 0.4 s to import): loading them now keeps that pause out of the way.
            import advisor.layout.advice  # noqa: F401

            # What lives now (modules, the prompts, the session) lives to the end: out of the
            # collections after each question, which then walk only what the answers made
            # (20 to 30 ms each at 1,000 containers, 1 ms after this).
            gc.collect()
            gc.freeze()

    def print(self, *fragments: tuple[str, str]) -> None:
        # prompt_toolkit's print_formatted_text merges and parses the styles afresh on every
        # call (5 to 10 ms, twice per question); the renderer's own printer takes them merged.
        output = self.output or get_app_session().output
        print_fragments(output, FormattedText([*fragments, ("", "\n")]), _print_style())
        output.flush()

    def choose(self) -> ChoicePrompt:
        """The session's one list prompt, made at the first list question."""
        if self._choose is None:
            self._choose = ChoicePrompt(_prompt_style(), self.prompt_drawn, self.input, self.output)
        return self._choose

    def yes_no(self) -> YesNoPrompt:
        """The session's one yes/no prompt, made at the first question."""
        if self._yes_no is None:
            self._yes_no = YesNoPrompt(
                _prompt_style(),
                lambda text: self.print(("class:help", text)),
                self.prompt_drawn,
                self.input,
                self.output,
            )
        return self._yes_no


def run_session(
    questionnaire: Questionnaire,
    save: Callable[[], None],
    input: Input | None = None,
    output: Output | None = None,
    review: bool = True,
    after_prompt_drawn: Callable[[], None] = lambda: None,
) -> None:
    """Ask until the engine is done, calling ``save`` after every answer and
    ``after_prompt_drawn`` once each question is first on screen.

    Ctrl-C raises ``KeyboardInterrupt`` and Ctrl-D ``EOFError``, both after ``save`` was
    called for the last answer, so the caller can finish the write and print how to resume.
    With ``review`` (the terminal's default), the questions about the finished pods follow
    (must they share processes?), then the user sees every answer before the outputs are
    written and may change any.
    """
    terminal = Terminal(input, output, after_prompt_drawn)
    with collection_paused():  # collected once each prompt is on screen instead
        _settle_contradictions(questionnaire, save, terminal)
        while True:
            _ask_until_done(questionnaire, save, terminal)
            if not review:
                return
            _ask_about_processes(questionnaire, save, terminal)
            if not questionnaire.user_answers():
                return
            if not _review(questionnaire, save, terminal):
                return


def _ask_until_done(
    questionnaire: Questionnaire, save: Callable[[], None], terminal: Terminal
) -> None:
    current: tuple[str, ...] | None = None
    while (step := questionnaire.next_step()) is not None:
        progress = questionnaire.progress()
        back = bool(questionnaire.history)  # "b back" only with something to take back
        try:
            if isinstance(step, RolesStep):
                questionnaire.confirm_roles(
                    _confirm_roles(step, progress, questionnaire.inventory.source, terminal, back)
                )
            elif isinstance(step, RoleStep):
                choice = _ask_role(step, progress, terminal, can_go_back=back)
                questionnaire.answer_role(step.container, choice)
            else:
                if step.members != current:
                    current = step.members
                    _print_header(step, progress, questionnaire, terminal)
                terminal.print(("class:dim", f"  why: {step.question.short}"))
                questionnaire.answer(step, ask_question(step, progress, terminal, back))
        except GoBack:
            undone = questionnaire.undo()
            current = None
            terminal.print(
                (
                    "class:dim",
                    "  back: answer that question again"
                    if undone
                    else "  nothing to go back to in this session",
                )
            )
        save()


PROCESSES_HELP = (
    "Containers of a pod each see only their own processes unless the pod shares one process "
    "namespace (shareProcessNamespace). Say yes when one must signal another (a log rotator "
    "sending SIGHUP, a debugger) or read its /proc; otherwise keep them isolated."
)


def _ask_about_processes(
    questionnaire: Questionnaire, save: Callable[[], None], terminal: Terminal
) -> None:
    """Once the pods are known: must each multi-container pod share one process namespace?"""
    from advisor.layout.advice import advise

    pods = [pod.members for pod in advise(questionnaire).layout.pods]
    for members in questionnaire.pods_to_ask_about_processes(pods):
        shared = _yes_no(
            _processes_question(members),
            "one question per pod of two or more containers",
            PROCESSES_HELP,
            terminal,
            can_go_back=False,
        )
        questionnaire.answer_processes(members, shared)
        save()


def _review(questionnaire: Questionnaire, save: Callable[[], None], terminal: Terminal) -> bool:
    """Before the outputs are written: list the answers; True when one was changed."""
    answers = questionnaire.user_answers()
    labels = [answer_label(answer) for answer in answers]
    terminal.print(("", "\nYour answers:"), *(("", f"\n  {label}") for label in labels))
    choice = terminal.choose().ask(
        "All questions are answered.", [WRITE_CHOICE, CHANGE_CHOICE], default=WRITE_CHOICE
    )
    if choice == WRITE_CHOICE:
        return False
    picked = terminal.choose().ask("Which answer?", labels)
    entry = answers[labels.index(picked)].entry
    questionnaire.change(entry, _new_value(entry, questionnaire, terminal))
    save()
    return True


def answer_label(answer: UserAnswer) -> str:
    """How one of the user's answers reads in the review: ``web + db: same_host no``."""
    kind, _, question_id = answer.entry
    if kind == "role":
        helps = answer.value
        what = "primary application" if helps is None else f"helper of {helps}"
        return f"{answer.members[0]}: {what}"
    said = "yes" if answer.value else "no"
    what = "share processes" if kind == "processes" else question_id
    return f"{' + '.join(answer.members)}: {what} {said}"


def _processes_question(members: tuple[str, ...]) -> str:
    return f"Must {list_names(members)} see or signal each other's processes?"


def _new_value(entry: Entry, questionnaire: Questionnaire, terminal: Terminal) -> bool | str | None:
    kind, names, question_id = entry
    if kind == "processes":
        return _yes_no(
            _processes_question(names),
            "the new answer replaces the old one",
            PROCESSES_HELP,
            terminal,
            can_go_back=False,
        )
    if kind == "role":
        name = names[0]
        others = tuple(n for n in questionnaire.application_candidates(name))
        step = RoleStep(name, others, None, False)
        return _ask_role(step, questionnaire.progress(), terminal, can_go_back=False)
    question = questionnaire.rules.question(question_id)
    return _yes_no(
        QuestionStep(names, question).text(),
        "the new answer replaces the old one",
        question.help,
        terminal,
        can_go_back=False,
    )


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
            can_go_back=False,
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


def ask_question(
    step: QuestionStep, progress: Progress, terminal: Terminal, can_go_back: bool = True
) -> bool:
    """One yes/no prompt naming the containers; ``?`` prints why the question matters."""
    return _yes_no(step.text(), _toolbar(progress), step.question.help, terminal, can_go_back)


def _toolbar(progress: Progress, help_key: bool = True) -> str:
    keys = "? why · Ctrl-C saves and quits" if help_key else "Ctrl-C saves and quits"
    return (
        f"{progress.unit} {progress.number}/{progress.count} · {progress.answered} "
        f"answered · at most {progress.at_most_left} left · {keys}"
    )


def _yes_no(
    message: str,
    toolbar: str,
    help_text: str | None,
    terminal: Terminal,
    can_go_back: bool = True,
) -> bool:
    return terminal.yes_no().ask(message, toolbar, help_text, can_go_back)


def _confirm_roles(
    step: RolesStep, progress: Progress, source: str, terminal: Terminal, can_go_back: bool
) -> bool:
    shown = step.roles[:ROLES_SHOWN]
    width = max(len(name) for name, _ in shown)
    lines = [("", "\nRoles from the inventory:")]
    for name, helps in shown:
        what = "primary application" if helps is None else f"helper of {helps}"
        lines.append(("", f"\n  {name.ljust(width)}  {what}"))
    rest = step.roles[ROLES_SHOWN:]
    if rest:
        helpers = sum(1 for _, helps in rest if helps is not None)
        lines.append(
            (
                "class:dim",
                f"\n  and {len(rest)} more as {source} gives them: "
                f"{len(rest) - helpers} primary applications, {helpers} helpers",
            )
        )
    terminal.print(*lines)
    return _yes_no(
        "Are these roles right?",
        _toolbar(progress),
        "A primary application never shares a pod with another primary; a helper "
        "is asked about only together with what it helps.",
        terminal,
        can_go_back,
    )


def _ask_role(
    step: RoleStep, progress: Progress, terminal: Terminal, can_go_back: bool = False
) -> str | None:
    choices = [PRIMARY_CHOICE, *(f"a helper of {name}" for name in step.candidates)]
    if can_go_back:
        choices.append(BACK_CHOICE)
    default = PRIMARY_CHOICE
    if step.has_proposal and step.proposed is not None:
        default = f"a helper of {step.proposed}"
    terminal.print(("class:dim", f"\n{_toolbar(progress, help_key=False)}"))
    choice = terminal.choose().ask(
        f"What is {step.container}?",
        choices,
        default=default,
        instruction="(a primary application, or which container it complements"
        + ("; type to filter)" if filters_as_you_type(len(choices)) else ")"),
    )
    if choice == BACK_CHOICE:
        raise GoBack
    return None if choice == PRIMARY_CHOICE else choice.removeprefix("a helper of ")


@functools.cache
def _prompt_style() -> BaseStyle:
    """The style questionary's prompts use: its colours, then ours."""
    return merge_styles([QUESTIONARY_STYLE, _STYLE])


@functools.cache
def _print_style() -> BaseStyle:
    """The style ``print_formatted_text`` would use: prompt_toolkit's defaults, then ours."""
    return merge_styles([default_ui_style(), _STYLE])


def _word(value: bool) -> str:
    return "yes" if value else "no"
