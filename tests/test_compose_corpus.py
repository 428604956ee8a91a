"""Every real compose file of the shared corpus imports and exports valid Kubernetes manifests.

Each file is planned twice through the batch command: with no answers (every pair apart)
and with an answers file saying yes to every question for every pair (as together as the
constraints allow). Every manifest must pass the strict Kubernetes 1.37 schema.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from helpers import corpus_folder, pods_of

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
    assert len(pods_of(documents)) == len(load_application(compose).containers)


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
    made = {"ConfigMap", "Secret", "Deployment", "PersistentVolumeClaim", "Service", "Ingress"}
    assert kinds <= made  # an Ingress where a file names a host (traefik's labels)


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


def planned(name: str, tmp_path: Path) -> list[dict[str, object]]:
    """The manifests of one corpus file planned with no answers."""
    compose = staged(CORPUS / name, tmp_path / "project") if CORPUS else None
    if compose is None:
        pytest.skip("no corpus")
    assert main(["plan", str(compose), "--out", str(tmp_path / "out")]) == 0
    return check_manifests(tmp_path / "out")


def container_named(documents: list[dict[str, object]], name: str) -> dict[str, Any]:
    for pod in pods_of(documents):
        for entry in pod["spec"]["containers"]:
            if entry["name"] == name:
                return entry  # type: ignore[no-any-return]
    raise AssertionError(name)


def test_corpus_secrets_are_mounted_where_compose_mounts_them(tmp_path: Path) -> None:
    documents = planned("awesome-compose__react-java-mysql.yaml", tmp_path)
    mounts = container_named(documents, "db")["volumeMounts"]
    assert {
        "name": "secret-db-password",
        "mountPath": "/run/secrets/db-password",
        "readOnly": True,
        "subPath": "db-password",
    } in mounts
    secrets = [d for d in documents if d["kind"] == "Secret"]
    assert [d["metadata"]["name"] for d in secrets] == ["db-password"]  # type: ignore[index]


def test_corpus_node_agent_is_a_daemon_set_with_its_host_paths(tmp_path: Path) -> None:
    documents = planned("docker-elk__extensions-filebeat.yaml", tmp_path)
    assert [d["kind"] for d in documents if d["metadata"]["name"] == "filebeat"] == ["DaemonSet"]
    filebeat = container_named(documents, "filebeat")
    paths = [m["mountPath"] for m in filebeat["volumeMounts"]]
    assert paths == [
        "/usr/share/filebeat/filebeat.yml",  # the config file, from a ConfigMap
        "/var/lib/docker/containers",  # the node's, as hostPath volumes
        "/var/run/docker.sock",
    ]
    assert filebeat["securityContext"] == {"runAsUser": 0}
    assert all("valueFrom" in e for e in filebeat["env"])  # *_PASSWORD values
    compose = tmp_path / "project" / "docker-elk__extensions-filebeat.yaml"
    container = load_application(compose).containers[0]
    assert [m.source for m in container.host_mounts] == [
        "/var/lib/docker/containers",
        "/var/run/docker.sock",
    ]


def test_corpus_capabilities_and_privilege(tmp_path: Path) -> None:
    documents = planned("awesome-compose__pihole-cloudflared-DoH.yaml", tmp_path)
    pihole = container_named(documents, "pihole")
    assert pihole["securityContext"]["capabilities"] == {"add": ["NET_ADMIN"]}
    (tmp_path / "b").mkdir()
    dind = container_named(planned("kompose__security-contexts.yaml", tmp_path / "b"), "dind")
    assert dind["securityContext"] == {"privileged": True, "seccompProfile": {"type": "Unconfined"}}
