"""What ask and plan write: the export options, the output set, the summary table."""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from advisor.domain.errors import AdvisorError, InputError, printable

if TYPE_CHECKING:
    from advisor.exporters.kubernetes import ExportOptions
    from advisor.layout.advice import Advice


def export_options(args: argparse.Namespace) -> ExportOptions:
    """The export options from the command line; a bad --volume-size, --namespace or
    --ingress-class is bad input."""
    from advisor.domain.model import Workload
    from advisor.exporters.ingress import check_ingress_class
    from advisor.exporters.kubernetes import ExportOptions
    from advisor.exporters.namespace import check_namespace

    check_volume_size(args.volume_size)
    if args.namespace is not None:
        check_namespace(args.namespace)
    if args.ingress_class is not None:
        check_ingress_class(args.ingress_class)
    if args.namespace is None and args.create_namespace:
        raise AdvisorError("--create-namespace writes the Namespace of --namespace: add it")
    return ExportOptions(
        workload=None if args.workload is None else Workload(args.workload),
        services=args.services,
        native_sidecars=args.native_sidecars,
        volume_size=args.volume_size,
        network_policies=args.network_policies,
        namespace=args.namespace,
        create_namespace=args.create_namespace,
        ingress_class=args.ingress_class,
    )


def check_volume_size(size: str) -> None:
    """``--volume-size`` must be a storage quantity such as 10Gi, of one byte or more and
    whole bytes: the API server refuses a claim of 0, and ``100m`` is a tenth of a byte."""
    from advisor.domain.quantities import QuantityError, exact_value, parse_quantity

    try:
        quantity = parse_quantity(size, "memory")
    except QuantityError as error:
        raise AdvisorError(f"--volume-size: {error}".replace("memory ", "", 1)) from None
    value = exact_value(quantity)
    if value < 1:
        raise AdvisorError(
            f"--volume-size: {quantity.text!r} is less than one byte; a claim asks for "
            "storage such as 10Gi"
        )
    if value != value.to_integral_value():
        exact = f"{value.normalize():f}"
        shown = quantity.text if exact == quantity.text else f"{quantity.text} ({exact})"
        raise AdvisorError(
            f"--volume-size: {shown} is not a whole number of bytes; "
            "write storage such as 10Gi or 1500M"
        )


def write_outputs(
    advice: Advice, out: Path, options: ExportOptions, kustomize: bool = False
) -> Advice:
    """Render every output, then write them as one set (``files.write_files``): a failed run
    leaves the previous set whole. With ``kustomize``, the files of ``DIR/kustomize`` that an
    earlier run wrote for manifests no longer in the set are removed. The advice as written
    (the options in it), for the summary to name the pods as the outputs do."""
    from advisor.exporters.kubernetes import dump_manifests, kustomization, manifests
    from advisor.exporters.layout import dump_layout
    from advisor.exporters.report import render_report
    from advisor.formats.files import write_files

    # The report and layout.yaml say which kind runs each pod, --workload's included.
    advice = dataclasses.replace(
        advice,
        workload=options.workload,
        services=options.services,
        native_sidecars=options.native_sidecars,
        network_policies=options.network_policies,
        namespace=options.namespace,
    )
    documents = manifests(advice, options)
    rendered = {
        out / "pods.yaml": dump_manifests(documents),
        out / "layout.yaml": dump_layout(advice),
        out / "report.md": render_report(advice),
    }
    stale: list[Path] = []
    if kustomize:
        files = kustomization(documents, options.namespace)
        for file_name, text in files.items():
            rendered[out / KUSTOMIZE / file_name] = text
        stale = [path for path in our_kustomize_files(out / KUSTOMIZE) if path.name not in files]
    write_files(rendered, remove=stale)
    return advice


KUSTOMIZE = "kustomize"
# A manifest file as ``kustomization`` names it: kind-name.yaml (kind-name-2.yaml for a clash).
_MANIFEST_FILE = re.compile(r"[a-z]+-[a-z0-9][-a-z0-9.]*\.yaml")


def our_kustomize_files(folder: Path) -> list[Path]:
    """The manifest files in ``folder`` that pod-advisor wrote: named as it names them, regular
    files (not links) and labelled managed-by pod-advisor near the top. A file of the user's
    own there is never among them."""
    from advisor.exporters.kubernetes import MANAGED_BY

    ours = f"app.kubernetes.io/managed-by: {MANAGED_BY}"
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return []
    found = []
    for entry in entries:
        if not _MANIFEST_FILE.fullmatch(entry.name) or not entry.is_file(follow_symlinks=False):
            continue
        try:
            with open(entry.path, "rb") as stream:
                head = stream.read(4096).decode("utf-8", "replace")
        except OSError:
            continue
        if ours in head:
            found.append(Path(entry.path))
    return found


def print_summary(advice: Advice, out: Path, table: bool = True) -> None:
    """The pods as a table (unless the user has just seen it) and what was written, on
    standard output (guarded: a full disk or closed pipe there is one line, not a traceback)."""
    from advisor.commands.stdout import guarded_stdout

    with guarded_stdout():
        if table:
            print(pods_table(advice))
        written = f"Wrote {out / 'pods.yaml'}, {out / 'layout.yaml'} and {out / 'report.md'}."
        print(f"\n{printable(written)}")


def pods_table(advice: Advice) -> str:
    """The pods as a table, as wide as the terminal that shows it (80 columns at least)."""
    from advisor.exporters.table import WIDTH, layout_table

    # A terminal's own width (the counts line wrapped at 80 in a wider one); a pipe gets 80.
    width = shutil.get_terminal_size().columns if _is_terminal(sys.stdout) else WIDTH
    return layout_table(advice, max(width, WIDTH))


def check_outputs(out: Path | None, drawing: Path | None, inputs: list[Path | None]) -> None:
    """Refuse, before any work, an --out that cannot be written, an output path that is not a
    regular file (a device, a FIFO) or an output over an input."""
    from advisor.formats.files import check_not_an_input, check_output_folder, output_target

    outputs = [out / name for name in ("pods.yaml", "layout.yaml", "report.md")] if out else []
    if out is not None:
        check_output_folder(out)
        for path in outputs:
            output_target(path, "--out")
    if drawing is not None:
        check_output_folder(drawing.parent, "-o")
        output_target(drawing, "-o")
    check_not_an_input([*outputs, *([drawing] if drawing else [])], inputs)


def check_path_names(args: argparse.Namespace) -> None:
    """Refuse, before any work, a path argument that no file system takes (a name past 255
    bytes): one line, not an OSError from deep inside. ``ask`` writes its answers file."""
    from advisor.formats.files import name_too_long

    given = (
        (args.inventory, False),
        (getattr(args, "answers", None), args.command == "ask"),
        (getattr(args, "out", None), False),
        (getattr(args, "output", None), True),
    )
    for path, written in given:
        if path is None:
            continue
        reason = name_too_long(path, written)
        if reason:
            raise InputError(_shortened(path), reason)


def default_path(path: Path, option: str, written: bool) -> Path:
    """``path``, the default a command makes of the inventory's name, when a file system
    takes it; else an error that says to name it with ``option``."""
    from advisor.formats.files import name_too_long

    reason = name_too_long(path, written)
    if reason:
        raise InputError(_shortened(path), f"{reason}; name it with {option}")
    return path


def _shortened(path: Path) -> str:
    """``path`` as an error line shows it: its middle left out when it is long."""
    text = str(path)
    return text if len(text) <= 100 else f"{text[:60]}...{text[-30:]}"


def quote(path: Path) -> str:
    import shlex

    return shlex.quote(str(path))


def quote_input(args: argparse.Namespace) -> str:
    """The application as the command was given it: INVENTORY, or every ``-f FILE``."""
    files: list[Path] = getattr(args, "files", [])
    return " ".join(f"-f {quote(f)}" for f in files) if files else quote(args.inventory)


def _is_terminal(stream: object) -> bool:
    """Whether ``stream`` is a terminal (a replaced or closed stream is not)."""
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return False
