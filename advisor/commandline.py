"""Command line: parse arguments, wire the pieces, turn errors into one line and an exit code.
(``cli.main``, the entry point, runs it, and turns a Ctrl-C anywhere into one line too.)

Heavy modules (prompt_toolkit, the engine) are imported inside the commands so
``--help`` and ``--version`` start fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from advisor import __version__
from advisor.commands.notices import ClosedStream, report_error
from advisor.commands.status import EXIT_BAD_INPUT, EXIT_MISSING_ANSWERS
from advisor.commands.stdout import flush_at_exit, guarded_stdout
from advisor.domain.errors import AdvisorError, MissingAnswersError, OutputError
from advisor.exporters import DEFAULT_VOLUME_SIZE, WORKLOADS

if TYPE_CHECKING:
    from _typeshed import SupportsWrite


class _Parser(argparse.ArgumentParser):
    """Argument errors read like every other error: one line, pointing at the help."""

    def error(self, message: str) -> NoReturn:
        report_error(f"{message}; see {self.prog} --help")
        self.exit(EXIT_BAD_INPUT)

    def print_help(self, file: SupportsWrite[str] | None = None) -> None:
        """The help on standard output; one that cannot be written is an error (exit 2)."""
        if file is not None:
            super().print_help(file)
        else:
            show(self.format_help())


class _Version(argparse.Action):
    """``--version``, shown as the help is."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the program's version and exit")

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        show(f"pod-advisor {__version__}\n")
        parser.exit()


def show(text: str) -> None:
    """Write ``text`` on standard output; one that cannot take it (a full disk) ends the
    command with one line and exit code 2 (141, quietly, for a reader that went away)."""
    try:
        with guarded_stdout():
            sys.stdout.write(text)
    except OutputError as error:
        report_error(str(error))
        raise SystemExit(EXIT_BAD_INPUT) from None


def build_parser() -> argparse.ArgumentParser:
    """The ``pod-advisor`` argument parser."""
    parser: argparse.ArgumentParser = _Parser(
        prog="pod-advisor",
        description="Decide which containers share a Kubernetes Pod, and write the manifests.",
        epilog="Rule of thumb: containers go in separate pods unless all five questions "
        "(same host, single unit, unified whole, scale together, fits one node) say yes.",
    )
    parser.add_argument("--version", action=_Version)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    export = _export_options()

    ask = commands.add_parser(
        "ask",
        parents=[export, _input_options()],
        help="answer the questions in the terminal",
        description="Ask the five questions per pair in the terminal, "
        "saving every answer as you go, then write the pod layout.",
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
        parents=[export, _input_options()],
        help="make the layout from an answers file (no prompts)",
        description="Make the pod layout from an answers file without "
        "asking anything. Unanswered pairs are kept apart.",
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
        parents=[_input_options(), _explained_output_options()],
        help="say why two containers share a pod or not, or explain the whole layout",
        description="Explain the layout: for a pair A B, whether they share a pod and the "
        "answers and constraints behind it; without a pair, every pod's reasons and every "
        "tension with the smallest change that would resolve it.",
    )
    explain.add_argument(
        "--answers",
        type=Path,
        metavar="FILE",
        help="the answers file (default: INVENTORY-NAME.answers.yaml in the current folder, "
        "as ask saves it)",
    )
    explain.add_argument("a", nargs="?", metavar="A", help="a container name")
    explain.add_argument("b", nargs="?", metavar="B", help="another container name")


def _input_options() -> argparse.ArgumentParser:
    """The application and how it is read, shared by every command."""
    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument(
        "inventory",
        type=Path,
        nargs="?",
        metavar="INVENTORY",
        help="the application's containers: a docker-compose file, Kubernetes manifests "
        "(a file or a folder), or the tool's own inventory YAML; a compose.yaml is read with "
        "the compose.override.yaml beside it, as docker compose reads it",
    )
    reading.add_argument(
        "-f",
        "--file",
        dest="files",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="a compose file, in place of INVENTORY; repeat it to merge several in order, "
        "as docker compose -f does (no override file is added then)",
    )
    reading.add_argument(
        "--profile",
        dest="profiles",
        action="append",
        default=[],
        metavar="NAME",
        help="bring in a compose file's services of profile NAME (repeatable, as in "
        "docker compose; COMPOSE_PROFILES works too)",
    )
    reading.add_argument(
        "--node",
        metavar="cpu=N,memory=SIZE",
        help="the allocatable capacity of the largest node, e.g. cpu=4,memory=8Gi "
        "(Kubernetes manifests carry none; it overrides an inventory's node:)",
    )
    return reading


def _explained_output_options() -> argparse.ArgumentParser:
    """The output options that change what explain says (as ask and plan take them)."""
    explained = argparse.ArgumentParser(add_help=False)
    group = explained.add_argument_group("Kubernetes output, as explained")
    group.add_argument(
        "--native-sidecars",
        action="store_true",
        help="explain the helpers as plan --native-sidecars writes them (restartable init "
        "containers, Kubernetes 1.29+)",
    )
    return explained


def _export_options() -> argparse.ArgumentParser:
    """Options of the written manifests, shared by ask and plan."""
    export = argparse.ArgumentParser(add_help=False)
    group = export.add_argument_group("Kubernetes output")
    group.add_argument(
        "--workload",
        choices=WORKLOADS,
        help="run every pod as this kind (default: each pod's own, from the evidence and "
        "your answers: a Deployment, StatefulSet, Job, CronJob or DaemonSet)",
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
        "--network-policies",
        action="store_true",
        help="add NetworkPolicies: deny ingress to the application's pods but the flows the "
        "input names (who reaches whom, on which port) and the published ports",
    )
    group.add_argument(
        "--volume-size",
        default=DEFAULT_VOLUME_SIZE,
        metavar="SIZE",
        help=f"storage each PersistentVolumeClaim asks for (default: {DEFAULT_VOLUME_SIZE})",
    )
    group.add_argument(
        "--namespace",
        metavar="NAME",
        help="write every namespaced object in namespace NAME (and name it in "
        "kustomization.yaml); Kubernetes input keeps its own namespaces unless given",
    )
    group.add_argument(
        "--create-namespace",
        action="store_true",
        help="with --namespace: write the Namespace object too (leave it out when the "
        "cluster's owners create namespaces)",
    )
    group.add_argument(
        "--ingress-class",
        metavar="NAME",
        help="the ingressClassName of the Ingresses written for the hosts a compose file "
        "routes (traefik rules, VIRTUAL_HOST); default: the cluster's default class",
    )
    group.add_argument(
        "--kustomize",
        action="store_true",
        help="with --out: also write DIR/kustomize/, one file per manifest and "
        "a kustomization.yaml listing them",
    )
    return export


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code. A Ctrl-C outside an ``ask`` session
    (which saves and says how to resume) raises ``KeyboardInterrupt``: see ``cli.main``."""
    if sys.stderr is None:  # started with it closed (2>&-): a warning or an error fails
        sys.stderr = ClosedStream()
    if sys.stdout is None:  # started with it closed (>&-): nothing could be shown
        report_error("standard output is closed; give the command somewhere to write")
        return EXIT_BAD_INPUT
    args = _parse(build_parser(), argv)
    args.own_process = argv is None  # sys.argv: the command is the whole process
    code = _run_command(args)
    # What standard output still holds is written here, checked as every other write, not
    # by the interpreter as it exits (a reader gone then would end the program with 0).
    return flush_at_exit(code) if args.own_process else code


def _run_command(args: argparse.Namespace) -> int:
    """Run the command ``args`` names; its exit code."""
    from advisor.formats.gcpause import leave_to_exit, release

    try:
        from advisor.commands.outputs import check_path_names

        check_path_names(args)
        if args.command == "ask":  # each command imports only what it needs
            from advisor.commands.ask import run_ask

            return run_ask(args)
        from advisor.commands.plan import run_explain, run_plan

        return run_explain(args) if args.command == "explain" else run_plan(args)
    except MissingAnswersError as error:
        report_error(str(error))
        return EXIT_MISSING_ANSWERS
    except AdvisorError as error:
        report_error(str(error))
        return EXIT_BAD_INPUT
    finally:
        if args.own_process:
            leave_to_exit()
        else:
            release()  # for a caller that goes on (the tests): the heap as it was


def _command_error(args: argparse.Namespace, message: str) -> NoReturn:
    """An argument error of one command, as that command's parser reports it."""
    report_error(f"{message}; see pod-advisor {args.command} --help")
    raise SystemExit(EXIT_BAD_INPUT)


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse ``argv``; explain's names may follow ``--answers FILE``, which argparse's
    positional matching (before Python 3.12) would otherwise reject."""
    args, extra = parser.parse_known_args(argv)
    if args.files:  # -f: every positional word is explain's names, none an INVENTORY
        if args.command == "explain":
            extra = [str(n) for n in (args.inventory, args.a, args.b) if n is not None] + extra
            args.a = args.b = None
        elif args.inventory is not None:
            _command_error(args, "give the compose files either as INVENTORY or with -f, not both")
        args.inventory = args.files[0]
    elif args.inventory is None:
        _command_error(args, "the following arguments are required: INVENTORY")
    if args.command == "explain":
        names = [n for n in (args.a, args.b) if n is not None] + extra
        if any(n.startswith("-") for n in extra) or len(names) not in (0, 2):
            parser.error(f"explain takes two container names A B or none, not: {' '.join(names)}")
        args.a, args.b = names if names else (None, None)
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return args
