"""``ask``: the questionnaire in a terminal, saving every answer, then the outputs."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from advisor.commands.load import load_session
from advisor.commands.outputs import (
    check_outputs,
    default_path,
    export_options,
    pods_table,
    print_summary,
    quote,
    quote_input,
    write_outputs,
)
from advisor.commands.status import EXIT_INTERRUPTED, EXIT_OK
from advisor.domain.errors import AdvisorError, printable
from advisor.domain.words import plural
from advisor.exporters import DEFAULT_VOLUME_SIZE

if TYPE_CHECKING:
    from advisor.engine.questionnaire import Questionnaire
    from advisor.terminal.signals import Stopping


def run_ask(args: argparse.Namespace) -> int:
    """``ask`` holding ``FILE.lock``, so two sessions never save over each other's answers
    (the lock of the file itself, when FILE is a link)."""
    from advisor.formats.files import check_file_writable
    from advisor.formats.lock import session_lock
    from advisor.terminal.signals import stop_signals

    shown = args.answers or default_path(
        Path(f"{args.inventory.stem}.answers.yaml"), "--answers FILE", written=True
    )
    path = _followed(shown)
    check_file_writable(path, shown, "--answers")
    # A closed terminal or a kill stops the session as Ctrl-C does, up to the lock's removal.
    # In the program itself (not a caller that goes on), a finished session ends it.
    with stop_signals(exiting=getattr(args, "own_process", False)) as stopping, session_lock(path):
        return ask_holding_lock(args, shown, path, stopping)


def ask_holding_lock(args: argparse.Namespace, shown: Path, path: Path, stopping: Stopping) -> int:
    """The session, then the outputs: ``shown`` is the answers file as the user named it,
    ``path`` the file itself."""
    from advisor.commands.saving import SessionFile

    out = args.out or default_path(Path(f"{args.inventory.stem}-pods"), "--out DIR", False)
    questionnaire, loaded = load_session(
        args.inventory,
        shown,
        False,
        args.exhaustive,
        args.reask,
        True,
        args.profiles,
        args.node,
        args.files,
    )
    check_outputs(out, None, [args.inventory, *args.files, shown])
    export_options(args)  # a bad --volume-size or --namespace before the questions, not after
    answers = SessionFile(questionnaire, loaded, path, shown)
    in_terminal = sys.stdin.isatty()
    # The review shows the pods last, just before "Write": the summary then need not repeat them.
    table_shown: list[bool] = []
    if questionnaire.next_step() is not None and not in_terminal:
        progress = questionnaire.progress()
        left = progress.at_most_left
        kept = " (with the roles as proposed)" if progress.if_roles_kept else ""
        # Point to the answers file only when there is one to edit.
        where = f"in {shown}" if path.exists() else "in an answers file (see docs/formats.md)"
        answers_file = quote(shown) if path.exists() else "FILE"
        raise AdvisorError(
            f"ask needs a terminal, and up to {plural(left, 'question is', 'questions are')} "
            f"still open{kept}; answer them "
            f"{where} and run: pod-advisor plan {quote_input(args)} --answers {answers_file}"
        )
    # In a terminal the session ends at the review whenever there are answers of the user's
    # to review, also when none is open: so a session stopped at the review (or at the
    # processes questions before it) continues there, and a finished one can be changed.
    if in_terminal and (questionnaire.next_step() is not None or questionnaire.user_answers()):
        from advisor.terminal.session import run_session

        def pods_now() -> str:
            from advisor.layout.advice import advise

            table_shown.append(True)
            return pods_table(advise(questionnaire))

        def after_answer() -> None:
            answers.save_own_answers()
            stopping.check()  # a signal during the answer stops here, with the answer saved

        print(printable(f"Answers are saved to {shown} after every answer."))
        with stopping.session():
            try:
                run_session(
                    questionnaire,
                    after_answer,
                    after_prompt_drawn=stopping.prompt_drawn,
                    pods_table=pods_now,
                    write_answers=answers.save_given,
                )
                stopping.check()  # a signal as the last answer was given: stop, write nothing
            except (KeyboardInterrupt, EOFError):
                stopping.ignore()  # a closing terminal's next hang-up must not cut this short
                answers.save_all(finished=False)
                _print_how_to_continue(args, shown, questionnaire)
                return EXIT_INTERRUPTED
    # Every answer is in: from here on a signal changes nothing, so the outputs are written
    # whole (a stop half-way would leave a partial or empty output folder).
    stopping.ignore()
    from advisor.layout.advice import advise

    advice = advise(questionnaire)
    # Process answers of pods the layout no longer has are stale: the saved file drops them.
    questionnaire.keep_processes_of(pod.members for pod in advice.layout.pods)
    answers.save_all(finished=True)
    written = write_outputs(advice, out, export_options(args), args.kustomize)
    print_summary(written, out, table=not table_shown)
    return EXIT_OK


def _print_how_to_continue(
    args: argparse.Namespace, shown: Path, questionnaire: Questionnaire
) -> None:
    """The one line a stopped session ends with: what is saved, and the command that goes on
    as this one would have, the pairs still to answer again (--ask) and every option that
    shapes the outputs included."""
    options: list[str] = []
    if args.out:
        options += ["--out", str(args.out)]
    if args.exhaustive:
        options.append("--exhaustive")
    for pair in questionnaire.reask_left():  # by name: the ones already answered are done
        options += ["--ask", pair.label()]
    for profile in args.profiles:
        options += ["--profile", profile]
    if args.node:
        options += ["--node", args.node]
    if args.workload:
        options += ["--workload", args.workload]
    for flag in ("services", "native_sidecars", "kustomize"):
        if getattr(args, flag):
            options.append(f"--{flag.replace('_', '-')}")
    if args.volume_size != DEFAULT_VOLUME_SIZE:
        options += ["--volume-size", args.volume_size]
    resume = f"pod-advisor ask {quote_input(args)} --answers {quote(shown)}" + "".join(
        f" {quote(Path(option)) if not option.startswith('--') else option}" for option in options
    )
    answered = questionnaire.asked_count
    saved = (
        f"{plural(answered, 'answer is', 'answers are')} saved in {shown}"
        if shown.exists()
        else "no answer was given, so nothing is saved"
    )
    with contextlib.suppress(OSError):  # a closed terminal takes no more text
        print(f"\n{printable(f'Stopped; {saved}. To continue: {resume}')}", file=sys.stderr)


def _followed(path: Path) -> Path:
    """``path`` with its links followed, as it was given when none is involved."""
    real = os.path.realpath(path)
    return path if real == os.path.abspath(path) else Path(real)
