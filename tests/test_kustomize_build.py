"""Every ``--kustomize`` folder builds with ``kubectl kustomize`` into the documents of
``pods.yaml``: the compose corpus and the shop example, planned apart and as together as
the answers allow.

kubectl is required, not optional: CI installs it (``.ci/run``), so a machine without it
fails here with a line saying so rather than skipping the proof.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import SHOP_ANSWERS, SHOP_INVENTORY
from test_compose_corpus import FILES, all_yes, check_manifests, staged

from advisor.cli import main
from advisor.exporters.kubernetes import dump_manifests, kustomization


class _GoYamlLoader(yaml.SafeLoader):
    """Reads kustomize's output: Go writes ``=`` and ``<<`` plain, which YAML 1.1 would
    read as special values; both are text there."""


for _tag in ("tag:yaml.org,2002:value", "tag:yaml.org,2002:merge"):
    _GoYamlLoader.add_constructor(_tag, yaml.SafeLoader.construct_scalar)


def kubectl() -> str:
    found = shutil.which("kubectl")
    if found is None:
        pytest.fail("kubectl is not on PATH: .ci/run installs it (the kubernetes-client package)")
    return found


def built(folder: Path) -> list[dict[str, Any]]:
    """``kubectl kustomize folder``'s documents; the build must succeed."""
    run = subprocess.run(
        [kubectl(), "kustomize", str(folder)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    return [d for d in yaml.load_all(run.stdout, Loader=_GoYamlLoader) if d]


def by_kind_and_name(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(
        documents,
        key=lambda d: (d["kind"], d["metadata"]["name"], yaml.safe_dump(d, sort_keys=True)),
    )


def assert_builds_into_pods_yaml(out: Path) -> None:
    written = [d for d in yaml.safe_load_all((out / "pods.yaml").read_text()) if d]
    assert written
    assert by_kind_and_name(built(out / "kustomize")) == by_kind_and_name(written)


@pytest.mark.parametrize("source", FILES, ids=[f.stem for f in FILES])
def test_corpus_kustomize_folder_builds_into_pods_yaml(source: Path, tmp_path: Path) -> None:
    compose = staged(source, tmp_path / "project")
    out = tmp_path / "out"
    assert main(["plan", str(compose), "--kustomize", "--out", str(out)]) == 0
    assert_builds_into_pods_yaml(out)


@pytest.mark.parametrize("source", FILES, ids=[f.stem for f in FILES])
def test_corpus_network_policies_validate_and_build(source: Path, tmp_path: Path) -> None:
    compose = staged(source, tmp_path / "project")
    out = tmp_path / "out"
    assert main(["plan", str(compose), "--network-policies", "--kustomize", "--out", str(out)]) == 0
    documents = check_manifests(out)
    assert any(d["kind"] == "NetworkPolicy" for d in documents)
    assert_builds_into_pods_yaml(out)


@pytest.mark.parametrize("source", FILES, ids=[f.stem for f in FILES])
def test_corpus_kustomize_folder_builds_when_together(source: Path, tmp_path: Path) -> None:
    compose = staged(source, tmp_path / "project")
    answers, out = tmp_path / "answers.yaml", tmp_path / "out"
    all_yes(compose, answers)
    args = ["plan", str(compose), "--answers", str(answers), "--services", "--kustomize"]
    # and with every option of a platform's output: in a namespace, its Namespace written
    args += ["--namespace", "corpus", "--create-namespace", "--ingress-class", "nginx"]
    assert main([*args, "--out", str(out)]) == 0
    assert_builds_into_pods_yaml(out)


@pytest.mark.parametrize("workload", ["default", "pod", "statefulset", "job", "daemonset"])
def test_shop_kustomize_folder_builds_into_pods_yaml(workload: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["plan", str(SHOP_INVENTORY), "--answers", str(SHOP_ANSWERS), "--kustomize"]
    if workload != "default":
        args += ["--workload", workload]
    assert main([*args, "--services", "--out", str(out)]) == 0
    assert_builds_into_pods_yaml(out)


def test_text_that_go_reads_as_a_number_stays_text(tmp_path: Path) -> None:
    # PyYAML reads 1e3 and 0o17 as text, Go's YAML (kubectl, kustomize) as numbers.
    env = [{"name": n, "value": v} for n, v in (("A", "1e3"), ("B", "0o17"), ("C", "="))]
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web"},
        "spec": {"containers": [{"name": "web", "image": "nginx:1.27", "env": env}]},
    }
    _write(kustomization([pod]), tmp_path)
    assert built(tmp_path) == [pod]
    assert "'1e3'" in dump_manifests([pod])


def test_text_that_go_reads_as_a_boolean_stays_text(tmp_path: Path) -> None:
    # go-yaml reads y, Y, n and N as booleans (YAML 1.1), PyYAML as text: a service named y
    # in namespace n, with y and N as values, must reach the cluster as those texts.
    compose = tmp_path / "compose.yaml"
    compose.write_text(
        "services:\n  y:\n    image: nginx:1.27\n    command: [y]\n"
        "    environment: {DEBUG: 'y', QUIET: 'N'}\n"
    )
    out = tmp_path / "out"
    assert main(["plan", str(compose), "--namespace", "n", "--out", str(out), "--kustomize"]) == 0
    assert_builds_into_pods_yaml(out)
    workload = next(d for d in built(out / "kustomize") if d["kind"] == "Deployment")
    assert workload["metadata"]["namespace"] == "n"
    container = workload["spec"]["template"]["spec"]["containers"][0]
    assert container["name"] == "y" and container["args"] == ["y"]
    assert [e["value"] for e in container["env"]] == ["y", "N"]


def test_two_documents_of_one_kind_and_name_get_a_file_each(tmp_path: Path) -> None:
    claim = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"}}
    files = kustomization([claim, {**claim, "spec": {"accessModes": ["ReadWriteOnce"]}}])
    assert sorted(files) == [
        "kustomization.yaml",
        "persistentvolumeclaim-data-2.yaml",
        "persistentvolumeclaim-data.yaml",
    ]
    _write(files, tmp_path)
    run = subprocess.run([kubectl(), "kustomize", str(tmp_path)], capture_output=True, check=False)
    assert run.returncode != 0  # kustomize names the clash instead of losing a document


def test_running_pods_in_default_and_without_a_namespace_build(tmp_path: Path) -> None:
    # Without a namespace is default once applied: a Pod p in each would be one object,
    # refused on input; p in default and q without one are two, and the folder builds.
    pod = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: %s}\n"
        "spec: {containers: [{name: web, image: nginx}]}\n"
    )
    manifests = tmp_path / "m.yaml"
    manifests.write_text(pod % "p, namespace: default" + "---\n" + pod % "q")
    out = tmp_path / "out"
    assert main(["plan", str(manifests), "--out", str(out), "--kustomize"]) == 0
    assert_builds_into_pods_yaml(out)
    assert sorted(d["metadata"]["name"] for d in built(out / "kustomize")) == ["p", "q"]


def _write(files: dict[str, str], folder: Path) -> None:
    for name, text in files.items():
        (folder / name).write_text(text)


def test_running_manifests_with_network_policies_build(tmp_path: Path) -> None:
    from test_network_policies import RUNNING, SPLIT

    (tmp_path / "app.yaml").write_text(RUNNING)
    (tmp_path / "answers.yaml").write_text(SPLIT)
    out = tmp_path / "out"
    given = ["--answers", str(tmp_path / "answers.yaml"), "--network-policies", "--kustomize"]
    assert main(["plan", str(tmp_path / "app.yaml"), *given, "--out", str(out)]) == 0
    assert_builds_into_pods_yaml(out)
