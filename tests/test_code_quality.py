"""The house rules that CI enforces: ruff (lint and format) and mypy are clean, and CI runs
exactly the README's test command."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_ruff_lint_is_clean() -> None:
    result = run("ruff", "check", "advisor", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean() -> None:
    result = run("ruff", "format", "--check", "advisor")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean() -> None:
    result = run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"```sh\n(.+?)\n```", readme)
    assert len(commands) >= 2, "the README opens with two set-up commands"
    assert commands[1] in (ROOT / ".ci" / "run").read_text()


# The pipeline as folders: each may import only from the folders below it (DESIGN.md).
ALLOWED_IMPORTS = {
    "domain": {"domain"},
    "formats": {"domain", "formats"},
    "engine": {"domain", "engine"},
    "layout": {"domain", "engine", "layout"},
    "exporters": {"domain", "formats", "engine", "layout", "exporters"},
    "terminal": {"domain", "formats", "engine", "layout", "terminal"},
    "commands": {"domain", "formats", "engine", "layout", "exporters", "terminal", "commands"},
}


def advisor_modules() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text())) for p in sorted((ROOT / "advisor").rglob("*.py"))]


def imported_modules(tree: ast.Module) -> list[str]:
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
    return names


def test_each_layer_imports_only_the_layers_below_it() -> None:
    wrong = []
    for path, tree in advisor_modules():
        layer = path.relative_to(ROOT / "advisor").parts[0]
        if layer not in ALLOWED_IMPORTS:
            continue  # cli.py and the package's own files sit at the top
        for module in imported_modules(tree):
            parts = module.split(".")
            if parts[0] == "advisor" and len(parts) > 1 and parts[1] not in ALLOWED_IMPORTS[layer]:
                wrong.append(f"{path.relative_to(ROOT)} imports {module}")
    assert wrong == []


def test_only_the_terminal_folder_imports_the_prompt_libraries() -> None:
    outside = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path, tree in advisor_modules()
        for module in imported_modules(tree)
        if module.split(".")[0] in ("prompt_toolkit", "questionary")
        and path.relative_to(ROOT / "advisor").parts[0] != "terminal"
    ]
    assert outside == []


def test_modules_and_classes_stay_small() -> None:
    too_big = []
    for path, tree in advisor_modules():
        lines = len(path.read_text().splitlines())
        if lines > 450:
            too_big.append(f"{path.relative_to(ROOT)}: {lines} lines")
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.end_lineno is not None:
                size = node.end_lineno - node.lineno + 1
                if size > 350:
                    too_big.append(f"{path.relative_to(ROOT)}: class {node.name}, {size} lines")
    assert too_big == []


def test_every_package_of_the_code_is_shipped() -> None:
    # A package left out of pyproject's list works in a checkout and fails once installed.
    listed = re.search(r"^packages = \[(.*?)\]", (ROOT / "pyproject.toml").read_text(), re.M | re.S)
    assert listed is not None
    shipped = set(re.findall(r'"([a-z.]+)"', listed.group(1)))
    packages = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "advisor").rglob("__init__.py")
    }
    assert packages <= shipped, sorted(packages - shipped)
