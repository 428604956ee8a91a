"""``plan``: the layout from an answers file, never prompting; ``explain``: why."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from advisor.commands.load import load_questionnaire
from advisor.commands.notices import tell
from advisor.commands.outputs import (
    check_outputs,
    export_options,
    print_summary,
    quote,
    quote_input,
    write_outputs,
)
from advisor.commands.status import EXIT_OK
from advisor.commands.stdout import guarded_stdout, write_binary
from advisor.domain.errors import AdvisorError, MissingAnswersError, printable, printable_lines
from advisor.domain.words import plural

if TYPE_CHECKING:
    from advisor.layout.advice import Advice

STANDARD_OUTPUT = Path("-")  # -o -: the drawing on standard output, in any format


def run_plan(args: argparse.Namespace) -> int:
    """``plan``, its standard output guarded (``stdout.guarded_stdout``)."""
    with guarded_stdout():
        return _plan(args)


def _plan(args: argparse.Namespace) -> int:
    from advisor.exporters.kubernetes import dump_manifests, manifests
    from advisor.layout.advice import advise

    if args.kustomize and args.out is None:  # it writes DIR/kustomize/: there is no DIR
        raise AdvisorError("--kustomize writes DIR/kustomize/ beside pods.yaml: add --out DIR")
    questionnaire = load_questionnaire(
        args.inventory,
        args.answers,
        must_exist=True,
        profiles=args.profiles,
        node=args.node,
        files=args.files,
    )
    drawing = None if args.output == STANDARD_OUTPUT else args.output
    check_outputs(args.out, drawing, [args.inventory, *args.files, args.answers])
    if args.format is not None or args.output is not None:
        drawing_format(args.format, args.output)  # a drawing it cannot write: before the work
    advice = advise(questionnaire)
    for tension in advice.across:  # the outputs say it too; standard output may be the YAML
        print(
            f"pod-advisor: warning: {args.answers}: {tension.pair.label()} answered together, "
            f"but {tension.reason} (to change it: {tension.fix})",
            file=sys.stderr,
        )
    if args.strict and advice.unanswered:
        missing = ", ".join(p.label() for p in advice.unanswered)
        if advice.unanswered_more:
            missing += f" and {advice.unanswered_more} more"
        count = advice.unanswered_count
        raise MissingAnswersError(
            f"{args.answers or args.inventory}: {plural(count, 'pair')} "
            f"unanswered (--strict): {missing}"
        )
    drawing_on_stdout = False
    if args.format is not None or args.output is not None:
        draw(advice, args.format, args.output)
        if args.out is None:
            return EXIT_OK
        drawing_on_stdout = args.output in (None, STANDARD_OUTPUT)
    if args.out is None:
        sys.stdout.write(dump_manifests(manifests(advice, export_options(args))))
        if advice.unanswered:
            count = advice.unanswered_count
            tell(
                f"{plural(count, 'pair')} unanswered, "
                f"{advice.unanswered_kept} (see report.md with --out, or use --strict)"
            )
        return EXIT_OK
    written = write_outputs(advice, args.out, export_options(args), args.kustomize)
    if not drawing_on_stdout:  # standard output is the drawing's alone (a png is binary)
        print_summary(written, args.out)
    return EXIT_OK


def draw(advice: Advice, image_format: str | None, output: Path | None) -> None:
    """Write the layout as DOT, PNG or SVG (``plan --format ... -o FILE``); without FILE,
    or with ``-o -``, on standard output."""
    from advisor.exporters.diagram import image_bytes, picture, render_dot, render_image
    from advisor.formats.files import write_atomically

    image_format = drawing_format(image_format, output)
    dot_text = render_dot(picture(advice))
    if output is None or output == STANDARD_OUTPUT:
        if image_format == "dot":
            sys.stdout.write(dot_text)
        else:
            write_binary(image_bytes(dot_text, image_format))
        return
    if image_format == "dot":
        write_atomically(output, dot_text)
    else:
        render_image(dot_text, image_format, output)
    print(printable(f"Wrote {output}."))


def drawing_format(image_format: str | None, output: Path | None) -> str:
    """The drawing's format: ``--format``, else the suffix of ``-o FILE`` (dot for none, or
    for ``-o -``). A picture that standard output cannot take is refused before any work."""
    from advisor.exporters.diagram import FORMATS

    if image_format is None and output is not None and output != STANDARD_OUTPUT:
        suffix = output.suffix.lstrip(".").lower()
        image_format = "dot" if suffix == "gv" else suffix
        if image_format not in FORMATS:
            raise AdvisorError(
                f"{output}: cannot tell the drawing's format from its name; "
                "add --format dot, png or svg"
            )
    image_format = image_format or "dot"
    if output is None and image_format != "dot":
        raise AdvisorError(
            f"--format {image_format} needs -o FILE to write the picture to "
            "(-o - for standard output)"
        )
    if output == STANDARD_OUTPUT and image_format == "png" and sys.stdout.isatty():
        raise AdvisorError(
            "--format png -o -: standard output is a terminal, which shows no picture; "
            "redirect it to a file or a pipe, or give -o FILE"
        )
    return image_format


def run_explain(args: argparse.Namespace) -> int:
    """``explain``: the whole layout, or why A and B share a pod or not; with the output
    option that changes it (``--native-sidecars``) as plan would write them."""
    import dataclasses

    from advisor.formats.files import name_too_long
    from advisor.layout.advice import advise
    from advisor.layout.explain import explain_pair, render_layout, render_pair

    # As ask saves it: NAME.answers.yaml in the current folder, when there is one (there is
    # none when the name is too long for a file system: ask would have refused it).
    answers = args.answers or Path(f"{args.inventory.stem}.answers.yaml")
    readable = args.answers is not None or name_too_long(answers) is None
    with guarded_stdout():
        advice = advise(
            load_questionnaire(
                args.inventory,
                answers if readable else None,
                args.answers is not None,
                profiles=args.profiles,
                node=args.node,
                files=args.files,
            )
        )
        advice = dataclasses.replace(advice, native_sidecars=args.native_sidecars)
        if args.a is None:
            print(printable_lines(render_layout(advice)))
        else:
            ask = f"pod-advisor ask {quote_input(args)}"
            if args.answers is not None:
                ask += f" --answers {quote(args.answers)}"
            explanation = explain_pair(advice, args.a, args.b, ask, str(answers))
            print(printable_lines(render_pair(explanation)))
    return EXIT_OK
