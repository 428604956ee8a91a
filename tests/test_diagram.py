"""plan --format dot|png|svg: the layout as a Graphviz picture, written atomically."""

import json
import os
import shutil
import stat
import subprocess

import pytest
from layout_helpers import YES, advice_for, box, write

from advisor.cli import main
from advisor.exporters.diagram import picture, render_dot, render_mermaid

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def require_dot():
    """Graphviz's dot, or a skip on a developer machine without it; CI must have it."""
    dot = shutil.which("dot")
    if dot is None:
        if os.environ.get("CI"):
            pytest.fail("Graphviz's dot is not on PATH, and CI must install graphviz")
        pytest.skip("Graphviz's dot is not installed")
    return dot


def shop_like(tmp_path):
    """Two pods of two (web with its proxy over localhost, api with its logs volume), db."""
    containers = [
        box("web", role="primary", ports=[8080]),
        box("tls.proxy", ports=[8443], env={"UPSTREAM": "http://localhost:8080/"}),
        box("api", role="primary", ports=[9000], volumes=["app-logs"]),
        box("log_collector", volumes=["app-logs"]),
        box('db "main"'),
    ]
    pairs = {"web + tls.proxy": YES, "api + log_collector": YES}
    return containers, pairs


def test_dot_has_one_cluster_per_pod_and_parses(tmp_path):
    advice = advice_for(tmp_path, *shop_like(tmp_path))
    text = render_dot(picture(advice))
    assert text.count("subgraph cluster_") == len(advice.layout.pods) == 3
    dot = require_dot()
    parsed = json.loads(
        subprocess.run(
            [dot, "-Tjson"], input=text, capture_output=True, text=True, check=True
        ).stdout
    )
    clusters = [g for g in parsed.get("objects", []) if g["name"].startswith("cluster")]
    assert len(clusters) == 3
    labels = {node.get("label") for node in parsed["objects"] if "label" in node}
    assert 'db "main"' in labels


def test_links_are_shared_volumes_and_localhost(tmp_path):
    drawing = picture(advice_for(tmp_path, *shop_like(tmp_path)))
    dot = render_dot(drawing)
    web, proxy = drawing.ids["web"], drawing.ids["tls.proxy"]
    assert f'{proxy} -> {web} [label="localhost:8080", style=dashed];' in dot
    assert 'label="app-logs", dir=none' in dot
    mermaid = render_mermaid(drawing)
    assert f'{proxy} -.->|"localhost:8080"| {web}' in mermaid


def test_plan_format_png_writes_a_picture(tmp_path, capsys):
    require_dot()
    inventory, answers = write(tmp_path, *shop_like(tmp_path))
    out = tmp_path / "pictures" / "layout.png"
    code = main(
        ["plan", str(inventory), "--answers", str(answers), "--format", "png", "-o", str(out)]
    )
    assert code == 0
    data = out.read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 100
    assert sorted(p.name for p in out.parent.iterdir()) == ["layout.png"]
    assert "Wrote" in capsys.readouterr().out


def test_plan_format_svg_follows_the_suffix(tmp_path):
    require_dot()
    inventory, answers = write(tmp_path, *shop_like(tmp_path))
    out = tmp_path / "layout.svg"
    assert main(["plan", str(inventory), "--answers", str(answers), "-o", str(out)]) == 0
    assert "<svg" in out.read_text()


def test_plan_format_dot_writes_the_graph(tmp_path):
    inventory, answers = write(tmp_path, *shop_like(tmp_path))
    out = tmp_path / "layout.dot"
    code = main(
        ["plan", str(inventory), "--answers", str(answers), "--format", "dot", "-o", str(out)]
    )
    assert code == 0
    assert out.read_text().count("subgraph cluster_") == 3


def test_png_without_graphviz_is_one_clear_line_and_exit_2(tmp_path, monkeypatch, capsys):
    inventory, answers = write(tmp_path, *shop_like(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools-here"))
    out = tmp_path / "layout.png"
    code = main(
        ["plan", str(inventory), "--answers", str(answers), "--format", "png", "-o", str(out)]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "install Graphviz" in err
    assert not out.exists()


def test_failed_render_leaves_the_old_picture_and_no_temporary(tmp_path, monkeypatch, capsys):
    tools = tmp_path / "bin"
    tools.mkdir()
    fake = tools / "dot"
    fake.write_text("#!/bin/sh\necho 'Error: something broke' >&2\nexit 1\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(tools))
    inventory, answers = write(tmp_path, *shop_like(tmp_path))
    out = tmp_path / "pictures" / "layout.png"
    out.parent.mkdir()
    out.write_bytes(b"old picture")
    code = main(
        ["plan", str(inventory), "--answers", str(answers), "--format", "png", "-o", str(out)]
    )
    assert code == 2
    assert "something broke" in capsys.readouterr().err
    assert out.read_bytes() == b"old picture"
    assert [p.name for p in out.parent.iterdir()] == ["layout.png"]


def test_plan_without_format_still_prints_manifests(tmp_path, capsys):
    inventory, answers = write(tmp_path, *shop_like(tmp_path))
    assert main(["plan", str(inventory), "--answers", str(answers)]) == 0
    assert "kind: Deployment" in capsys.readouterr().out


def test_png_needs_an_output_file(tmp_path, capsys):
    inventory, answers = write(tmp_path, *shop_like(tmp_path))
    assert main(["plan", str(inventory), "--answers", str(answers), "--format", "png"]) == 2
    assert "needs -o FILE" in capsys.readouterr().err


def test_compose_links_are_drawn(tmp_path):
    compose = tmp_path / "compose.yaml"
    compose.write_text(
        "services:\n"
        "  web: {image: 'nginx:1.27'}\n"
        "  proxy: {image: 'envoy:1', network_mode: 'service:web'}\n"
        "  agent: {image: 'fetch:1', volumes_from: [web]}\n"
    )
    answers = tmp_path / "answers.yaml"
    all_yes = "{" + ", ".join(f"{q}: yes" for q in YES) + "}"
    answers.write_text(
        "version: 1\npairs:\n"
        + "".join(f"  {p}: {all_yes}\n" for p in ("web + proxy", "web + agent", "proxy + agent"))
    )
    out = tmp_path / "layout.dot"
    assert main(["plan", str(compose), "--answers", str(answers), "-o", str(out)]) == 0
    dot = out.read_text()
    assert 'label="localhost", style=dashed' in dot
    assert 'label="volumes_from", dir=none' in dot
