"""The session: the engine's steps asked in order, on one yes/no prompt (``yesno``) and one
list prompt (``choose``) made once (``screen``); the triage (``roles``) and the review
(``review``) have modules of their own. Everything it asks comes from
``engine.Questionnaire.next_step()``."""

from __future__ import annotations

from collections.abc import Callable

from prompt_toolkit.input import Input
from prompt_toolkit.output import Output

from advisor.domain.answers import AnswersFile
from advisor.domain.model import Pair, Source
from advisor.engine.questionnaire import (
    Entry,
    Progress,
    Questionnaire,
    QuestionStep,
    RolesStep,
    RoleStep,
)
from advisor.formats.gcpause import collection_paused
from advisor.terminal.review import (
    PROCESSES_HELP,
    processes_as_running,
    processes_question,
    review_answers,
)
from advisor.terminal.roles import ask_role, confirm_roles, keeping_role
from advisor.terminal.screen import Terminal, toolbar, word, yes_no
from advisor.terminal.workloads import ask_replicas
from advisor.terminal.yesno import GoBack


def run_session(
    questionnaire: Questionnaire,
    save: Callable[[], None],
    input: Input | None = None,
    output: Output | None = None,
    review: bool = True,
    after_prompt_drawn: Callable[[], None] = lambda: None,
    pods_table: Callable[[], str] | None = None,
    write_answers: Callable[[AnswersFile], None] = lambda answers: None,
) -> None:
    """Ask until the engine is done, calling ``write_answers`` with the user's answers the
    instant one is given, before the prompt's closing line shows it (``save`` after the
    engine has taken it, for what it changed besides), and ``after_prompt_drawn`` once each
    question is first on screen.

    Ctrl-C raises ``KeyboardInterrupt`` and Ctrl-D ``EOFError``, both after ``save`` was
    called for the last answer, so the caller can finish the write and print how to resume.
    With ``review`` (the terminal's default), the questions about the finished pods follow
    (must they share processes?), then the user sees every answer before the outputs are
    written and may change any, below the pods those answers make (``pods_table``).
    """
    terminal = Terminal(input, output, after_prompt_drawn, write_answers)
    questionnaire.asks_processes = review  # the progress bound counts those questions
    # Raw from the first question to the last, so that keys typed ahead are kept (see
    # ``Terminal.raw_mode``); garbage is collected once each prompt is on screen instead.
    with terminal.raw_mode(), collection_paused():
        _settle_contradictions(questionnaire, save, terminal)
        while True:
            _ask_until_done(questionnaire, save, terminal)
            if not review:
                return
            if not _ask_about_processes(questionnaire, save, terminal):
                continue  # an answer was taken back: ask what it leaves open
            ask_replicas(questionnaire, save, terminal)
            if not questionnaire.user_answers():
                return
            if not review_answers(questionnaire, save, terminal, pods_table):
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
                source = questionnaire.inventory.source
                keep = _keeping(questionnaire, terminal, ("roles", (), ""))
                kept = confirm_roles(step, progress, source, terminal, back, keep)
                if isinstance(kept, str):  # one to change: its list, then the screen again
                    try:
                        role = ask_role(
                            questionnaire.role_step(kept),
                            progress,
                            terminal,
                            True,
                            keeping_role(questionnaire, terminal, kept),
                        )
                    except GoBack:  # back from the list is back to the screen, no undo
                        continue
                    questionnaire.answer_role(kept, role.helps, role.workload)
                else:
                    questionnaire.confirm_roles(kept)
            elif isinstance(step, RoleStep):
                role = ask_role(
                    step,
                    progress,
                    terminal,
                    back,
                    keeping_role(questionnaire, terminal, step.container),
                )
                questionnaire.answer_role(step.container, role.helps, role.workload)
            else:
                if step.members != current:
                    current = step.members
                    _print_header(step, progress, questionnaire, terminal)
                terminal.print(("class:dim", f"  why: {step.question.short}"))
                keep = _keeping(questionnaire, terminal, step.entry)
                questionnaire.answer(step, ask_question(step, progress, terminal, back, keep))
                for note in questionnaire.narrowed:  # a group answer the new one changed
                    terminal.print(("class:dim", f"  {note}"))
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


def _ask_about_processes(
    questionnaire: Questionnaire, save: Callable[[], None], terminal: Terminal
) -> bool:
    """Once the pods are known: must each multi-container pod share one process namespace?
    False when the user went back (``b``): the last answer is taken back."""
    from advisor.layout.advice import advise

    pods = [pod.members for pod in advise(questionnaire).layout.pods]
    for fact in processes_as_running(questionnaire, pods):
        terminal.print(("class:dim", f"  {fact.label}; change it in the review"))
    for members in questionnaire.pods_to_ask_about_processes(pods):
        try:
            shared = yes_no(
                processes_question(members),
                "one question per pod of two or more containers",
                PROCESSES_HELP,
                terminal,
                can_go_back=bool(questionnaire.history),
                on_answer=_keeping(
                    questionnaire, terminal, ("processes", tuple(sorted(members)), "")
                ),
            )
        except GoBack:
            questionnaire.undo()
            terminal.print(("class:dim", "  back: answer that question again"))
            save()
            return False
        questionnaire.answer_processes(members, shared)
        save()
    return True


def _settle_contradictions(
    questionnaire: Questionnaire, save: Callable[[], None], terminal: Terminal
) -> None:
    """Answers in the file that earlier answers contradict: the user picks which stands."""
    for pair, question_id, inferred in list(questionnaire.contradictions):
        mine = questionnaire.answers_for(pair)[question_id].value
        names = (pair.first, pair.second)
        group = questionnaire.against_group(pair, question_id)
        terminal.print(
            (
                "class:warn",
                f"\n{pair.label()}: you answered {question_id} "
                f"{word(mine)}, but {inferred.reason} says "
                f"{word(inferred.value)}.",
            )
        )
        keep = yes_no(
            f"Keep your answer for {pair.label()} ({word(mine)})? n uses "
            f"{'your group answer' if group else 'the inferred answer'} ({word(inferred.value)})",
            "y keeps your pair answer (the group answer then holds for its other pairs only), "
            "n takes your group answer"
            if group
            else "y keeps yours, n takes the inferred answer",
            None,
            terminal,
            can_go_back=False,
            on_answer=_keeping(questionnaire, terminal, ("contradiction", names, question_id)),
        )
        questionnaire.resolve_contradiction(pair, question_id, keep_mine=keep)
        for note in questionnaire.narrowed:  # the group answer the kept one narrowed
            terminal.print(("class:dim", f"  {note}"))
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
        said = word(values.pop()) if len(values) == 1 else "mixed"
        fragments.append(("class:dim", f"\n  {question_id}: {said} ({detail})"))
    terminal.print(*fragments)


def ask_question(
    step: QuestionStep,
    progress: Progress,
    terminal: Terminal,
    can_go_back: bool = True,
    on_answer: Callable[[bool], None] = lambda value: None,
) -> bool:
    """One yes/no prompt naming the containers; ``?`` prints why the question matters."""
    text, help_text = step.text(), step.question.help
    return yes_no(text, toolbar(progress), help_text, terminal, can_go_back, on_answer)


def _keeping(
    questionnaire: Questionnaire, terminal: Terminal, entry: Entry
) -> Callable[[bool], None]:
    """What a yes/no prompt calls with the answer to ``entry``, before it shows it."""
    return lambda value: terminal.keep_answer(questionnaire, entry, value)
