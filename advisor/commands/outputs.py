"""What ask and plan write: the export options, the output set, the summary table."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from advisor.domain.errors import AdvisorError

if TYPE_CHECKING:
    from advisor.exporters.kubernetes import ExportOptions
    from advisor.layout.advice import Advice


def export_options(args: argparse.Namespace) -> ExportOptions:
    """The export options from the command line; a bad --volume-size is bad input."""
    from advisor.domain.model import Workload
    from advisor.exporters.kubernetes import ExportOptions

    check_volume_size(args.volume_size)
    return ExportOptions(
        workload=None if args.workload is None else Workload(args.workload),
        services=args.services,
        native_sidecars=args.native_sidecars,
        volume_size=args.volume_size,
    )


def check_volume_size(size: str) -> None:
    """``--volume-size`` must be a storage quantity such as 10Gi."""
    from advisor.domain.quantities import QuantityError, parse_quantity

    try:
        parse_quantity(size, "memory")
    except QuantityError as error:
        raise AdvisorError(f"--volume-size: {error}".replace("memory ", "", 1)) from None


def write_outputs(
    advice: Advice, out: Path, options: ExportOptions, kustomize: bool = False
) -> None:
    """Render every output first, then write each atomically: nothing is left half-written."""
    from advisor.exporters.kubernetes import dump_manifests, kustomization, manifests
    from advisor.exporters.layout import dump_layout
    from advisor.exporters.report import render_report
    from advisor.formats.files import write_atomically

    # The report and layout.yaml say which kind runs each pod, --workload's included.
    advice = dataclasses.replace(advice, workload=options.workload, services=options.services)
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


def print_summary(advice: Advice, out: Path) -> None:
    from advisor.exporters.table import layout_table

    print(layout_table(advice))
    print(f"\nWrote {out / 'pods.yaml'}, {out / 'layout.yaml'} and {out / 'report.md'}.")


def check_outputs(out: Path | None, drawing: Path | None, inputs: list[Path | None]) -> None:
    """Refuse, before any work, an --out that cannot be written or an output over an input."""
    from advisor.formats.files import check_not_an_input, check_output_folder

    outputs = [out / name for name in ("pods.yaml", "layout.yaml", "report.md")] if out else []
    if out is not None:
        check_output_folder(out)
    check_not_an_input([*outputs, *([drawing] if drawing else [])], inputs)


def quote(path: Path) -> str:
    import shlex

    return shlex.quote(str(path))
