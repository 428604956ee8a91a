"""A pod whose workload cannot keep its name (a StatefulSet's or CronJob's past 52
characters is cut, then numbered when the cut name is another pod's) is named as its
manifest is in every output, and report.md and layout.yaml say it was renamed and why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from advisor.cli import main
from advisor.domain.names import MAX_WORKLOAD_NAME, fitted

LONG = "a" * 60
CUT = fitted(LONG, MAX_WORKLOAD_NAME)  # what a StatefulSet of LONG is cut to


def plan(folder: Path, *names: str) -> dict[str, Any]:
    """``plan --workload statefulset --out`` on one primary per name; what it wrote."""
    containers = "".join(f"  - {{name: {n}, image: postgres, role: primary}}\n" for n in names)
    (folder / "app.yaml").write_text("containers:\n" + containers)
    out = folder / "out"
    argv = ["plan", str(folder / "app.yaml"), "--workload", "statefulset", "--out", str(out)]
    assert main(argv) == 0
    return {
        "manifests": [
            d["metadata"]["name"]
            for d in yaml.safe_load_all((out / "pods.yaml").read_text())
            if d["kind"] == "StatefulSet"
        ],
        "layout": yaml.safe_load((out / "layout.yaml").read_text()),
        "report": (out / "report.md").read_text(),
    }


def test_a_cut_name_is_the_pods_name_in_every_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrote = plan(tmp_path, LONG, "web")
    assert sorted(wrote["manifests"]) == sorted([CUT, "web"])
    layout = wrote["layout"]
    assert [p["name"] for p in layout["pods"]] == [CUT, "web"]
    report = str(wrote["report"])
    assert f"| {CUT} | {LONG} |" in report
    assert f"**{CUT}**: a StatefulSet" in report
    header, *rows = capsys.readouterr().out.split("\n\n")[0].splitlines()
    column = header.index("CONTAINERS")  # the table's POD column, its cells wrapped
    assert "".join(row[:column].strip() for row in rows) == CUT + "web"


def test_the_report_and_layout_say_a_pod_was_renamed_and_why(tmp_path: Path) -> None:
    wrote = plan(tmp_path, LONG)
    reason = (
        f"the pod of {LONG}: a StatefulSet's name stops at 52 characters (its controller adds "
        f"to it to name what it makes), so {LONG} is cut and given a hash"
    )
    assert f"- **{CUT}**: {reason}\n" in str(wrote["report"])
    attention = wrote["layout"]["needs_attention"]
    assert {"subject": CUT, "what": reason} in attention


def test_a_cut_name_that_is_another_pods_is_numbered_and_says_so(tmp_path: Path) -> None:
    wrote = plan(tmp_path, LONG, CUT)
    manifests = wrote["manifests"]
    numbered = fitted(f"{LONG}-2", MAX_WORKLOAD_NAME)
    assert sorted(manifests) == sorted([numbered, CUT])
    assert sorted(p["name"] for p in wrote["layout"]["pods"]) == sorted(manifests)
    assert f"then numbered: {CUT} is another pod's name" in str(wrote["report"])


def test_a_pod_that_keeps_its_name_is_not_said_to_be_renamed(tmp_path: Path) -> None:
    wrote = plan(tmp_path, "web", "db")
    assert [p["name"] for p in wrote["layout"]["pods"]] == ["db", "web"]
    assert "renamed" not in str(wrote["report"]) and "is cut" not in str(wrote["report"])
