"""``ask``: the questionnaire in a terminal, saving every answer, then the outputs."""

from __future__ import annotations

import argparse
import contextlib
import functools
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from advisor.commands.load import load_questionnaire
from advisor.commands.outputs import (
    check_outputs,
    check_volume_size,
    export_options,
    print_summary,
    quote,
    write_outputs,
)
from advisor.commands.status import EXIT_INTERRUPTED, EXIT_OK
from advisor.domain.errors import AdvisorError

if TYPE_CHECKING:
    from advisor.engine.questionnaire import Questionnaire
    from advisor.terminal.saver import HangUps


def run_ask(args: argparse.Namespace) -> int:
    """``ask`` holding ``FILE.lock``, so two sessions never save over each other's answers."""
    from advisor.formats.files import check_output_folder
    from advisor.formats.lock import session_lock
    from advisor.terminal.saver import stop_on_hangup

    # The same default as ask_holding_lock's: the lock guards the file it saves to.
    answers_path = args.answers or Path(f"{args.inventory.stem}.answers.yaml")
    check_output_folder(answers_path.parent, "--answers")
    # A closed terminal or a kill stops the session as Ctrl-C does, up to the lock's removal.
    with stop_on_hangup() as hangups, session_lock(answers_path):
        return ask_holding_lock(args, hangups)


def ask_holding_lock(args: argparse.Namespace, hangups: HangUps) -> int:
    # advise (and networkx behind it) is imported only once the questions are answered:
    # the first question should be on screen as soon as possible.
    from advisor.terminal.preload import BackgroundLoad

    stem = args.inventory.stem
    answers_path = args.answers or Path(f"{stem}.answers.yaml")
    out = args.out or Path(f"{stem}-pods")
    loading = BackgroundLoad(
        functools.partial(
            load_for_asking, args.inventory, answers_path, args.exhaustive, args.reask
        )
    )
    try:
        if sys.stdin.isatty():
            # The terminal's modules (0.2 s) import here while the child reads the application.
            import advisor.terminal.session  # noqa: F401
        questionnaire = loading.result()
    finally:
        loading.close()
    check_outputs(out, None, [args.inventory, answers_path])
    check_volume_size(args.volume_size)  # before the questions, not after them
    resume = (
        f"pod-advisor ask {quote(args.inventory)} --answers {quote(answers_path)}"
        + (f" --out {quote(out)}" if args.out else "")
        + (" --exhaustive" if args.exhaustive else "")
    )
    if questionnaire.next_step() is not None:
        if not sys.stdin.isatty():
            left = questionnaire.progress().at_most_left
            raise AdvisorError(
                f"ask needs a terminal, and up to {left} questions are still open; answer them "
                f"in {answers_path} and run: pod-advisor plan {quote(args.inventory)} "
                f"--answers {quote(answers_path)}"
            )
        from advisor.terminal.promptapp import stop_question
        from advisor.terminal.session import run_session

        hangups.stop_question = stop_question

        print(f"Answers are saved to {answers_path} after every answer.")
        try:
            # A full save after every answer, in line (the engine records no actions to replay).
            run_session(questionnaire, lambda: save_answers(questionnaire, answers_path))
        except (KeyboardInterrupt, EOFError):
            hangups.ignore()  # stopping: a closing terminal's next hang-up must not cut it short
            answered = questionnaire.asked_count
            with contextlib.suppress(OSError):  # a closed terminal takes no more text
                print(
                    f"\nStopped; {answered} answers are saved in {answers_path}. "
                    f"To continue: {resume}",
                    file=sys.stderr,
                )
            return EXIT_INTERRUPTED
        finally:
            hangups.ignore()
    else:
        save_answers(questionnaire, answers_path)
    from advisor.layout.advice import advise

    advice = advise(questionnaire)
    write_outputs(advice, out, export_options(args), args.kustomize)
    print_summary(advice, out)
    return EXIT_OK


def load_for_asking(
    inventory: Path, answers: Path, exhaustive: bool, reask: Sequence[str]
) -> Questionnaire:
    """The questionnaire ``ask`` starts from, with its first question and the count of
    those left worked out."""
    questionnaire = load_questionnaire(inventory, answers, False, exhaustive, reask, lenient=True)
    questionnaire.progress()
    return questionnaire


def save_answers(questionnaire: Questionnaire, path: Path) -> None:
    from advisor.formats.answers import dump_answers
    from advisor.formats.files import write_atomically

    write_atomically(
        path,
        dump_answers(questionnaire.answers_file(), questionnaire.inventory, questionnaire.rules),
    )
