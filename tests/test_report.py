"""The terminal summary, report.md and layout.yaml: reasons, tensions with fixes, a diagram."""

import re

import yaml
from layout_helpers import YES, advice_for, box, triangle

from advisor.exporters.layout import layout_document
from advisor.exporters.report import render_report
from advisor.exporters.table import layout_table
from advisor.layout.summary import counts


def long_names(count=20):
    return [f"long-container-name-number-{i:03d}" for i in range(count)]


def crowd(tmp_path):
    """20 containers with 30-character names: a pod of four, then pods of two."""
    names = long_names()
    assert {len(n) for n in names} == {30}
    volume = "a-shared-volume-with-a-long-name"
    containers = [
        box(n, resources={"cpu": "100m", "memory": "64Mi"}, volumes=[volume]) for n in names
    ]
    pairs = {f"{a} + {b}": YES for i, a in enumerate(names[:4]) for b in names[i + 1 : 4]}
    pairs.update({f"{names[i]} + {names[i + 1]}": YES for i in range(4, 20, 2)})
    pairs[f"{names[0]} + {names[4]}"] = {"same_host": "no"}
    return advice_for(tmp_path, containers, pairs, node={"cpu": "4", "memory": "8Gi"})


def test_table_fits_80_columns_with_long_names(tmp_path):
    advice = crowd(tmp_path)
    table = layout_table(advice)
    assert all(len(line) <= 80 for line in table.splitlines()), table
    for name in long_names():
        assert name in table.replace("\n", " ") or name[:10] in table


def test_table_counts_line(tmp_path):
    advice = crowd(tmp_path)
    numbers = counts(advice)
    table = layout_table(advice)
    line = " ".join(table.split("\n\n", 1)[1].split())
    derived = numbers["answers computed"] + numbers["answers inferred"]
    assert line.startswith(
        f"20 containers, 9 pods, {numbers['questions asked']} questions asked, "
        f"{derived} answers computed or inferred, 168 pairs left unanswered"
    )
    assert numbers["questions asked"] > 0 and derived > 0


def test_table_shows_tension_with_its_fix(tmp_path):
    table = layout_table(triangle(tmp_path))
    assert "1 tension" in table and "1 tensions" not in table
    assert "fix: answer yes for a + c's scale_together" in " ".join(table.split())


def mermaid_block(report):
    match = re.search(r"```mermaid\n(.*?)```", report, re.S)
    assert match, report
    return match.group(1)


def test_report_has_one_mermaid_subgraph_per_pod(tmp_path):
    advice = crowd(tmp_path)
    block = mermaid_block(render_report(advice))
    assert block.startswith("flowchart")
    assert len(re.findall(r"^\s*subgraph ", block, re.M)) == len(advice.layout.pods)
    assert block.count("\n  end") + block.count("\n    end") >= len(advice.layout.pods)


def test_mermaid_ids_are_safe_and_labels_quoted(tmp_path):
    names = ["web.v2", "web_v2-proxy", "end"]
    advice = advice_for(
        tmp_path,
        [box(n, volumes=["data.vol"]) for n in names],
        {f"{a} + {b}": YES for i, a in enumerate(names) for b in names[i + 1 :]},
    )
    block = mermaid_block(render_report(advice))
    for line in block.splitlines()[1:]:
        line = line.strip()
        if line == "end":
            continue
        ident = re.match(r"(?:subgraph )?([A-Za-z_][A-Za-z0-9_]*)", line)
        assert ident, line
        assert ident.group(1) not in {"end", "graph", "subgraph"}, line
    for name in names:
        assert f'["{name}"]' in block
    assert '|"data.vol"|' in block


def test_report_lists_reasons_tensions_with_fixes_and_unanswered(tmp_path):
    report = render_report(triangle(tmp_path))
    assert "## Why these pods" in report and "all five answers yes" in report
    assert "## Tensions" in report
    assert "Fix: answer yes for a + c's scale_together" in report
    assert "## Unanswered pairs" in report


def test_layout_yaml_carries_reasons_and_tension_fixes(tmp_path):
    document = yaml.safe_load(yaml.safe_dump(layout_document(triangle(tmp_path))))
    assert all(pod["why"] for pod in document["pods"])
    (tension,) = document["tensions"]
    assert set(tension) >= {"pair", "reason", "fix"}
    assert tension["fix"].startswith("answer yes for a + c's scale_together")
