"""Every real compose file of the shared corpus imports and exports valid Kubernetes manifests.

Each file is planned twice through the batch command: with no answers (every pair apart)
and with an answers file saying yes to every question for every pair (as together as the
constraints allow). Every manifest must pass the strict Kubernetes 1.37 schema.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from helpers import corpus_folder

from advisor.cli import main
from advisor.formats.application import load_application
from advisor.formats.rules import load_rules

KUBERNETES_VERSION = "1.37.0"


CORPUS = corpus_folder()
FILES = sorted(CORPUS.glob("*.yaml")) if CORPUS else []


def staged(source: Path, folder: Path) -> Path:
    """A copy of ``source`` with its companion files (``_aux/<stem>/``) beside it."""
    folder.mkdir()
    aux = source.parent / "_aux" / source.stem
    if aux.is_dir():
        for companion in aux.iterdir():
            shutil.copy(companion, folder / companion.name)
    target = folder / source.name
    shutil.copy(source, target)
    return target


def all_yes(compose: Path, answers: Path) -> None:
    """An answers file saying yes to every question for every pair."""
    names = [c.name for c in load_application(compose).containers]
    questions = load_rules().question_ids
    pairs = {
        f"{a} + {b}": {q: "yes" for q in questions}
        for i, a in enumerate(names)
        for b in names[i + 1 :]
    }
    answers.write_text(yaml.safe_dump({"version": 1, "pairs": pairs}))


def check_manifests(out: Path) -> list[dict[str, object]]:
    documents = [d for d in yaml.safe_load_all((out / "pods.yaml").read_text()) if d]
    assert documents
    for document in documents:
        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)
    return documents


def test_the_corpus_is_there() -> None:
    if CORPUS is None:
        pytest.skip("no shared/corpus/compose beside the repository; set POD_ADVISOR_CORPUS")
    assert len(FILES) >= 20


@pytest.mark.parametrize("source", FILES, ids=[f.stem for f in FILES])
def test_corpus_file_plans_apart(source: Path, tmp_path: Path) -> None:
    compose = staged(source, tmp_path / "project")
    assert main(["plan", str(compose), "--out", str(tmp_path / "out")]) == 0
    documents = check_manifests(tmp_path / "out")
    pods = [d for d in documents if d["kind"] == "Pod"]
    assert len(pods) == len(load_application(compose).containers)


@pytest.mark.parametrize("source", FILES, ids=[f.stem for f in FILES])
def test_corpus_file_plans_together(source: Path, tmp_path: Path) -> None:
    compose = staged(source, tmp_path / "project")
    answers = tmp_path / "answers.yaml"
    all_yes(compose, answers)
    out = tmp_path / "out"
    assert main(["plan", str(compose), "--answers", str(answers), "--out", str(out)]) == 0
    check_manifests(out)


@pytest.mark.parametrize("source", FILES, ids=[f.stem for f in FILES])
def test_corpus_file_exports_deployments(source: Path, tmp_path: Path) -> None:
    compose = staged(source, tmp_path / "project")
    out = tmp_path / "out"
    assert main(["plan", str(compose), "--workload", "deployment", "--out", str(out)]) == 0
    kinds = {d["kind"] for d in check_manifests(out)}
    assert kinds <= {"ConfigMap", "Secret", "Deployment", "PersistentVolumeClaim", "Service"}


@pytest.mark.parametrize("source", FILES, ids=[f.stem for f in FILES])
def test_every_service_named_in_depends_on_or_links_resolves(source: Path, tmp_path: Path) -> None:
    # In compose every service name resolves; in Kubernetes only a Service's name does.
    compose = staged(source, tmp_path / "project")
    out = tmp_path / "out"
    assert main(["plan", str(compose), "--out", str(out)]) == 0
    services = {d["metadata"]["name"] for d in check_manifests(out) if d["kind"] == "Service"}
    data = yaml.safe_load(compose.read_text())
    named = set()
    for service in (data.get("services") or {}).values():
        depends = (service or {}).get("depends_on") or []
        named.update(str(n) for n in depends)
        named.update(str(link).split(":")[-1] for link in (service or {}).get("links") or [])
    names = {c.name for c in load_application(compose).containers}
    assert {n for n in named if n in names} <= services
