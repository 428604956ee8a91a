"""Control characters from the input (ESC, BEL, backspace) never reach the terminal raw:
warnings and explain's output escape them, as errors do."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.cli import main

RAW = ("\x1b", "\x07", "\x08")


def assert_escaped(text: str) -> None:
    assert not any(c in text for c in RAW), text


def test_a_passed_over_manifests_kind_and_name_are_escaped_in_its_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = tmp_path / "in.yaml"
    manifest.write_text(
        'apiVersion: foo/v1\nkind: "Wid\\e[2J\\e]0;pwned\\aget"\nmetadata: {name: "\\e[31mred"}\n'
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
        "spec:\n  containers:\n  - {name: a, image: busybox}\n"
    )
    assert main(["plan", str(manifest)]) == 0
    err = capsys.readouterr().err
    assert "Wid\\x1b[2J\\x1b]0;pwned\\x07get/\\x1b[31mred: not a workload" in err
    assert_escaped(err)


def test_an_unknown_compose_key_is_escaped_in_its_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    compose = tmp_path / "compose.yaml"
    compose.write_text('services:\n  web:\n    image: nginx\n"volumes\\b\\bx": {}\n')
    assert main(["plan", str(compose)]) == 0
    err = capsys.readouterr().err
    assert "volumes\\x08\\x08x: not supported" in err
    assert_escaped(err)


def test_a_bind_mount_source_is_escaped_in_its_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    compose = tmp_path / "compose.yaml"
    compose.write_text(
        'services:\n  web:\n    image: nginx\n    volumes: ["./conf\\e[2J.d/x.conf:/etc/x.conf"]\n'
    )
    assert main(["plan", str(compose)]) == 0
    err = capsys.readouterr().err
    assert "./conf\\x1b[2J.d/x.conf is not there" in err
    assert_escaped(err)


@pytest.mark.parametrize("pair", [[], ["red-a", "red-b"]], ids=["layout", "pair"])
def test_explain_escapes_what_it_quotes_on_standard_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], pair: list[str]
) -> None:
    manifest = tmp_path / "pod\x1b[2J.yaml"  # a file's name, as any text it holds
    manifest.write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: red}\nspec:\n  containers:\n"
        "  - {name: a, image: busybox, ports: [{containerPort: 8081}]}\n"
        '  - {name: b, image: busybox, args: ["--upstream=http://127.0.0.1:8081/\\e[31mRED"]}\n'
    )
    assert main(["explain", str(manifest), *pair]) == 0
    out, err = capsys.readouterr()
    assert_escaped(out)
    assert_escaped(err)
    # The layout names the application after the file; a pair quotes the argument it read.
    assert ("\\x1b[31mRED" if pair else "pod\\x1b[2J") in out
