"""A mesh-injected pod (Istio's istio-init and istio-proxy, as istioctl kube-inject writes
them): the proxy is a helper, the init container runs once, and nothing ties the two to
one host but the answers."""

from __future__ import annotations

from pathlib import Path

import kubernetes_validate
import yaml
from helpers import K8S_VERSION

from advisor.cli import main
from advisor.formats.application import load_application

ISTIO = Path(__file__).parent / "data" / "k8s" / "istio-hello-injected.yaml"


def plan(tmp_path: Path, *extra: str) -> list[dict]:
    out = tmp_path / "out"
    assert main(["plan", str(ISTIO), "--out", str(out), *extra]) == 0
    documents = list(yaml.safe_load_all((out / "pods.yaml").read_text()))
    for document in documents:
        kubernetes_validate.validate(document, K8S_VERSION, strict=True)
    return documents


def test_with_no_answers_the_injected_deployment_comes_back_as_it_was(tmp_path: Path) -> None:
    assert plan(tmp_path) == [yaml.safe_load(ISTIO.read_text())]


def test_the_istio_proxy_is_a_helper_of_the_app() -> None:
    inventory = load_application(ISTIO)
    (pod,) = inventory.running
    assert pod.primary == "hello"
    proxy = inventory.container("hello-istio-proxy")
    assert (proxy.role.value, proxy.complements) == ("sidecar", "hello")


def test_istio_init_runs_once_and_is_no_member() -> None:
    inventory = load_application(ISTIO)
    assert [c.name for c in inventory.containers] == ["hello", "hello-istio-proxy"]
    assert inventory.running[0].container("hello-istio-init").place == "initContainers"


def test_the_proxys_own_status_probe_is_no_localhost_link() -> None:
    # istio-proxy is probed on 15020, a port it serves but does not declare: not a reach.
    assert load_application(ISTIO).links == ()


def test_a_split_keeps_istio_init_with_the_app_and_moves_the_proxy_unchanged(
    tmp_path: Path,
) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("version: 1\npairs:\n  hello + hello-istio-proxy:\n    single_unit: no\n")
    kept, moved = plan(tmp_path, "--answers", str(answers))
    spec = yaml.safe_load(ISTIO.read_text())["spec"]["template"]["spec"]
    assert kept["spec"]["template"]["spec"]["containers"] == spec["containers"][:1]
    assert kept["spec"]["template"]["spec"]["initContainers"] == spec["initContainers"]
    assert moved["metadata"]["name"] == "hello-istio-proxy"
    assert moved["spec"]["template"]["spec"]["containers"] == spec["containers"][1:]
    mounted = {m["name"] for m in spec["containers"][1]["volumeMounts"]}
    assert {v["name"] for v in moved["spec"]["template"]["spec"]["volumes"]} == mounted
