"""Command line: parse arguments, wire the pieces, turn errors into one line and an exit code.

Heavy modules (prompt_toolkit, questionary, the engine) are imported inside the commands so
``--help`` and ``--version`` start fast.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from advisor import __version__
from advisor.domain.errors import AdvisorError, MissingAnswersError
from advisor.exporters import DEFAULT_VOLUME_SIZE, WORKLOADS

if TYPE_CHECKING:
    from advisor.domain.answers import AnswersFile
    from advisor.domain.model import Inventory, Pair
    from advisor.engine.questionnaire import Questionnaire
    from advisor.exporters.kubernetes import ExportOptions
    from advisor.layout.advice import Advice
    from advisor.terminal.saver import HangUps

EXIT_OK = 0
EXIT_MISSING_ANSWERS = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130


class _Parser(argparse.ArgumentParser):
    """Argument errors read like every other error: one line, pointing at the help."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"pod-advisor: error: {message}; see {self.prog} --help\n")


def build_parser() -> argparse.ArgumentParser:
    """The ``pod-advisor`` argument parser."""
    parser: argparse.ArgumentParser = _Parser(
        prog="pod-advisor",
        description="Decide which containers share a Kubernetes Pod, and write the manifests.",
        epilog="Rule of thumb: containers go in separate pods unless all five questions "
        "(same host, single unit, unified whole, scale together, fits one node) say yes.",
    )
    parser.add_argument("--version", action="version", version=f"pod-advisor {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    export = _export_options()

    ask = commands.add_parser(
        "ask",
        parents=[export],
        help="answer the questions in the terminal",
        description="Ask the five questions per pair in the terminal, "
        "saving every answer as you go, then write the pod layout.",
    )
    ask.add_argument(
        "inventory",
        type=Path,
        metavar="INVENTORY",
        help="the application's containers (inventory YAML)",
    )
    ask.add_argument(
        "--answers",
        type=Path,
        metavar="FILE",
        help="answers file to resume from and save to "
        "(default: INVENTORY-NAME.answers.yaml in the current folder)",
    )
    ask.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="where to write pods.yaml, layout.yaml and report.md "
        "(default: INVENTORY-NAME-pods in the current folder)",
    )

    ask.add_argument(
        "--exhaustive",
        action="store_true",
        help="ask the five questions for every pair (no triage, no inference)",
    )
    ask.add_argument(
        "--ask",
        dest="reask",
        action="append",
        default=[],
        metavar="GLOB",
        help="answer again the pairs whose name ('a + b', either order) matches GLOB, "
        "e.g. 'web + *'; every other answer is kept (repeatable)",
    )

    plan = commands.add_parser(
        "plan",
        parents=[export],
        help="make the layout from an answers file (no prompts)",
        description="Make the pod layout from an answers file without "
        "asking anything. Unanswered pairs are kept apart.",
    )
    plan.add_argument(
        "inventory",
        type=Path,
        metavar="INVENTORY",
        help="the application's containers (inventory YAML)",
    )
    plan.add_argument(
        "--answers",
        type=Path,
        metavar="FILE",
        help="the answers (without it every pair is unanswered: all apart)",
    )
    plan.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="write pods.yaml, layout.yaml and report.md here instead of printing the manifests",
    )
    plan.add_argument(
        "--strict", action="store_true", help="fail, listing them, when any pair is left unanswered"
    )
    plan.add_argument(
        "--format",
        choices=("dot", "png", "svg"),
        help="draw the layout as a Graphviz graph (dot) or picture (png, svg; needs Graphviz)",
    )
    plan.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="where to write the drawing (the format follows the suffix unless --format says)",
    )
    _add_explain(commands)
    return parser


def _add_explain(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    explain = commands.add_parser(
        "explain",
        help="say why two containers share a pod or not, or explain the whole layout",
        description="Explain the layout: for a pair A B, whether they share a pod and the "
        "answers and constraints behind it; without a pair, every pod's reasons and every "
        "tension with the smallest change that would resolve it.",
    )
    explain.add_argument(
        "inventory", type=Path, metavar="INVENTORY", help="the application's containers"
    )
    explain.add_argument(
        "--answers", type=Path, metavar="FILE", required=True, help="the answers file"
    )
    explain.add_argument("a", nargs="?", metavar="A", help="a container name")
    explain.add_argument("b", nargs="?", metavar="B", help="another container name")


def _export_options() -> argparse.ArgumentParser:
    """Options of the written manifests, shared by ask and plan."""
    export = argparse.ArgumentParser(add_help=False)
    group = export.add_argument_group("Kubernetes output")
    group.add_argument(
        "--workload",
        choices=WORKLOADS,
        default="pod",
        help="the kind of each pod's manifest (default: pod)",
    )
    group.add_argument(
        "--services", action="store_true", help="add a Service in front of each pod's ports"
    )
    group.add_argument(
        "--native-sidecars",
        action="store_true",
        help="write helpers as restartable init containers (Kubernetes 1.29+): "
        "they start before and stop after the primary",
    )
    group.add_argument(
        "--volume-size",
        default=DEFAULT_VOLUME_SIZE,
        metavar="SIZE",
        help=f"storage each PersistentVolumeClaim asks for (default: {DEFAULT_VOLUME_SIZE})",
    )
    group.add_argument(
        "--kustomize",
        action="store_true",
        help="with --out: also write DIR/kustomize/, one file per manifest and "
        "a kustomization.yaml listing them",
    )
    return export


def _options(args: argparse.Namespace) -> ExportOptions:
    """The export options from the command line; a bad --volume-size is bad input."""
    from advisor.exporters.kubernetes import ExportOptions

    _check_volume_size(args.volume_size)
    return ExportOptions(
        workload=args.workload,
        services=args.services,
        native_sidecars=args.native_sidecars,
        volume_size=args.volume_size,
    )


def _check_volume_size(size: str) -> None:
    """``--volume-size`` must be a storage quantity such as 10Gi."""
    from advisor.domain.quantities import QuantityError, parse_quantity

    try:
        parse_quantity(size, "memory")
    except QuantityError as error:
        raise AdvisorError(f"--volume-size: {error}".replace("memory ", "", 1)) from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parse(build_parser(), argv)
    from advisor.formats.gcpause import release

    try:
        if args.command == "ask":
            return _ask_alone(args)
        if args.command == "explain":
            return _explain(args)
        return _plan(args)
    except MissingAnswersError as error:
        print(f"pod-advisor: error: {error}", file=sys.stderr)
        return EXIT_MISSING_ANSWERS
    except KeyboardInterrupt:  # outside a session (a session saves and says how to resume)
        print("\npod-advisor: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except AdvisorError as error:
        print(f"pod-advisor: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        release()  # for a caller that goes on (the tests): the heap as it was


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse ``argv``; explain's names may follow ``--answers FILE``, which argparse's
    positional matching (before Python 3.12) would otherwise reject."""
    args, extra = parser.parse_known_args(argv)
    if args.command == "explain":
        names = [n for n in (args.a, args.b) if n is not None] + extra
        if any(n.startswith("-") for n in extra) or len(names) not in (0, 2):
            parser.error(f"explain takes two container names A B or none, not: {' '.join(names)}")
        args.a, args.b = names if names else (None, None)
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def _load(
    inventory_path: Path,
    answers_path: Path | None,
    must_exist: bool,
    exhaustive: bool = False,
    reask: Sequence[str] = (),
    lenient: bool = False,
) -> Questionnaire:
    """The application and its answers read into a questionnaire (see ``gcpause`` for why
    the garbage collector waits)."""
    from advisor.engine.questionnaire import Questionnaire
    from advisor.formats.answers import load_answers
    from advisor.formats.application import load_application
    from advisor.formats.gcpause import collection_paused
    from advisor.formats.rules import load_rules

    with collection_paused(freeze_after=True):
        rules = load_rules()
        inventory = load_application(inventory_path)
        for warning in inventory.warnings:
            print(f"pod-advisor: warning: {inventory.source}: {warning}", file=sys.stderr)
        answers = None
        if answers_path is not None and (must_exist or answers_path.exists()):
            answers = load_answers(answers_path, inventory, rules, lenient=lenient)
            if lenient:
                _report_changed_inventory(answers_path, answers, inventory)
        pairs = _matching_pairs(inventory, reask)
        if answers is not None:
            for pair in pairs:  # their answers are given again; every other one is kept
                answers.pairs.pop(pair, None)
        return Questionnaire(inventory, rules, answers, exhaustive=exhaustive, reask=pairs)


def _matching_pairs(inventory: Inventory, patterns: Sequence[str]) -> list[Pair]:
    """The pairs whose name, in either order, matches one of the ``--ask`` globs."""
    import fnmatch

    from advisor.domain.model import Pair

    names = [c.name for c in inventory.containers]
    matched: list[Pair] = []
    for pattern in patterns:
        found = [
            Pair.of(a, b)
            for i, a in enumerate(names)
            for b in names[i + 1 :]
            if fnmatch.fnmatchcase(f"{a} + {b}", pattern)
            or fnmatch.fnmatchcase(f"{b} + {a}", pattern)
        ]
        if not found:
            raise AdvisorError(
                f"--ask {pattern!r}: no pair of {inventory.source} matches; "
                "pairs are written 'a + b', e.g. --ask 'web + *'"
            )
        matched += [pair for pair in found if pair not in matched]
    return matched


def _plan(args: argparse.Namespace) -> int:
    from advisor.exporters.kubernetes import dump_manifests, manifests
    from advisor.layout.advice import advise

    questionnaire = _load(args.inventory, args.answers, must_exist=True)
    _check_outputs(args.out, args.output, [args.inventory, args.answers])
    advice = advise(questionnaire)
    if args.strict and advice.unanswered:
        missing = ", ".join(p.label() for p in advice.unanswered)
        if advice.unanswered_more:
            missing += f" and {advice.unanswered_more} more"
        count = advice.unanswered_count
        raise MissingAnswersError(
            f"{args.answers or args.inventory}: {count} {'pair' if count == 1 else 'pairs'} "
            f"unanswered (--strict): {missing}"
        )
    if args.format is not None or args.output is not None:
        _draw(advice, args.format, args.output)
        if args.out is None:
            return EXIT_OK
    if args.out is None:
        sys.stdout.write(dump_manifests(manifests(advice, _options(args))))
        if advice.unanswered:
            count = advice.unanswered_count
            print(
                f"pod-advisor: {count} {'pair' if count == 1 else 'pairs'} unanswered, kept apart "
                "(see report.md with --out, or use --strict)",
                file=sys.stderr,
            )
        return EXIT_OK
    _write_outputs(advice, args.out, _options(args), args.kustomize)
    _print_summary(advice, args.out)
    return EXIT_OK


def _draw(advice: Advice, image_format: str | None, output: Path | None) -> None:
    """Write the layout as DOT, PNG or SVG (``plan --format ... -o FILE``)."""
    from advisor.exporters.diagram import FORMATS, picture, render_dot, render_image
    from advisor.formats.files import write_atomically

    if image_format is None:
        assert output is not None
        suffix = output.suffix.lstrip(".").lower()
        image_format = "dot" if suffix == "gv" else suffix
        if image_format not in FORMATS:
            raise AdvisorError(
                f"{output}: cannot tell the drawing's format from its name; "
                "add --format dot, png or svg"
            )
    dot_text = render_dot(picture(advice))
    if output is None:
        if image_format != "dot":
            raise AdvisorError(f"--format {image_format} needs -o FILE to write the picture to")
        sys.stdout.write(dot_text)
    else:
        if image_format == "dot":
            write_atomically(output, dot_text)
        else:
            render_image(dot_text, image_format, output)
        print(f"Wrote {output}.")


def _explain(args: argparse.Namespace) -> int:
    from advisor.layout.advice import advise
    from advisor.layout.explain import explain_pair, render_layout, render_pair

    advice = advise(_load(args.inventory, args.answers, must_exist=True))
    if args.a is None:
        print(render_layout(advice))
    else:
        print(render_pair(explain_pair(advice, args.a, args.b)))
    return EXIT_OK


def _ask(args: argparse.Namespace, hangups: HangUps) -> int:
    # advise (and networkx behind it) is imported only once the questions are answered:
    # the first question should be on screen as soon as possible.
    from advisor.terminal.preload import BackgroundLoad

    stem = args.inventory.stem
    answers_path = args.answers or Path(f"{stem}.answers.yaml")
    out = args.out or Path(f"{stem}-pods")
    loading = BackgroundLoad(
        functools.partial(
            _load_for_asking, args.inventory, answers_path, args.exhaustive, args.reask
        )
    )
    try:
        if sys.stdin.isatty():
            # The terminal's modules (0.2 s) import here while the child reads the application.
            import advisor.terminal.session  # noqa: F401
        questionnaire = loading.result()
    finally:
        loading.close()
    _check_outputs(out, None, [args.inventory, answers_path])
    _check_volume_size(args.volume_size)  # before the questions, not after them
    resume = (
        f"pod-advisor ask {_quote(args.inventory)} --answers {_quote(answers_path)}"
        + (f" --out {_quote(out)}" if args.out else "")
        + (" --exhaustive" if args.exhaustive else "")
    )
    if questionnaire.next_step() is not None:
        if not sys.stdin.isatty():
            left = questionnaire.progress().at_most_left
            raise AdvisorError(
                f"ask needs a terminal, and up to {left} questions are still open; answer them "
                f"in {answers_path} and run: pod-advisor plan {_quote(args.inventory)} "
                f"--answers {_quote(answers_path)}"
            )
        from advisor.terminal.promptapp import stop_question
        from advisor.terminal.session import run_session

        hangups.stop_question = stop_question

        print(f"Answers are saved to {answers_path} after every answer.")
        try:
            # A full save after every answer, in line (the engine records no actions to replay).
            run_session(questionnaire, lambda: _save(questionnaire, answers_path))
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
        _save(questionnaire, answers_path)
    from advisor.layout.advice import advise

    advice = advise(questionnaire)
    _write_outputs(advice, out, _options(args), args.kustomize)
    _print_summary(advice, out)
    return EXIT_OK


def _load_for_asking(
    inventory: Path, answers: Path, exhaustive: bool, reask: Sequence[str]
) -> Questionnaire:
    """The questionnaire ``ask`` starts from, with its first question and the count of
    those left worked out."""
    questionnaire = _load(inventory, answers, False, exhaustive, reask, lenient=True)
    questionnaire.progress()
    return questionnaire


def _ask_alone(args: argparse.Namespace) -> int:
    """``ask`` holding ``FILE.lock``, so two sessions never save over each other's answers."""
    from advisor.formats.files import check_output_folder
    from advisor.formats.lock import session_lock
    from advisor.terminal.saver import stop_on_hangup

    # The same default as _ask's; the lock guards the file that _ask saves to.
    answers_path = args.answers or Path(f"{args.inventory.stem}.answers.yaml")
    check_output_folder(answers_path.parent, "--answers")
    # A closed terminal or a kill stops the session as Ctrl-C does, up to the lock's removal.
    with stop_on_hangup() as hangups, session_lock(answers_path):
        return _ask(args, hangups)


def _report_changed_inventory(path: Path, answers: AnswersFile, inventory: Inventory) -> None:
    """Warn about answers dropped for containers that are gone, and count the new pairs."""
    from advisor.formats.answers import new_pairs

    if answers.stale:
        count = len(answers.stale)
        what = "answer names a container" if count == 1 else "answers name containers"
        print(
            f"pod-advisor: warning: {path}: {count} {what} no longer in {inventory.source} "
            f"({', '.join(answers.stale)}); they are dropped on the next save",
            file=sys.stderr,
        )
    # A saved session lists every container's role: one without is new, and so are its pairs.
    added = new_pairs(answers, inventory) if answers.stale or answers.roles else []
    if added:
        print(
            f"pod-advisor: {inventory.source}: {len(added)} "
            f"{'pair is' if len(added) == 1 else 'pairs are'} new since {path} was saved",
            file=sys.stderr,
        )


def _save(questionnaire: Questionnaire, path: Path) -> None:
    from advisor.formats.answers import dump_answers
    from advisor.formats.files import write_atomically

    write_atomically(
        path,
        dump_answers(questionnaire.answers_file(), questionnaire.inventory, questionnaire.rules),
    )


def _write_outputs(
    advice: Advice, out: Path, options: ExportOptions, kustomize: bool = False
) -> None:
    """Render every output first, then write each atomically: nothing is left half-written."""
    from advisor.exporters.kubernetes import dump_manifests, kustomization, manifests
    from advisor.exporters.layout import dump_layout
    from advisor.exporters.report import render_report
    from advisor.formats.files import write_atomically

    documents = manifests(advice, options)
    rendered = {
        Path("pods.yaml"): dump_manifests(documents),
        Path("layout.yaml"): dump_layout(advice),
        Path("report.md"): render_report(advice),
    }
    if kustomize:
        for file_name, text in kustomization(documents).items():
            rendered[Path("kustomize") / file_name] = text
    for path, text in rendered.items():
        write_atomically(out / path, text)


def _print_summary(advice: Advice, out: Path) -> None:
    from advisor.exporters.table import layout_table

    print(layout_table(advice))
    print(f"\nWrote {out / 'pods.yaml'}, {out / 'layout.yaml'} and {out / 'report.md'}.")


def _check_outputs(out: Path | None, drawing: Path | None, inputs: list[Path | None]) -> None:
    """Refuse, before any work, an --out that cannot be written or an output over an input."""
    from advisor.formats.files import check_not_an_input, check_output_folder

    outputs = [out / name for name in ("pods.yaml", "layout.yaml", "report.md")] if out else []
    if out is not None:
        check_output_folder(out)
    check_not_an_input([*outputs, *([drawing] if drawing else [])], inputs)


def _quote(path: Path) -> str:
    import shlex

    return shlex.quote(str(path))
