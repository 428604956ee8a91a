"""Kubernetes manifests that already run: read, questioned inside their pods, advised."""

from __future__ import annotations

from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from helpers import K8S_VERSION

from advisor.cli import main
from advisor.commands.load import load_questionnaire
from advisor.formats.application import load_application
from advisor.layout.advice import advise
from advisor.layout.audit import audit_pods

DATA = Path(__file__).parent / "data" / "k8s"
MANIFESTS = sorted(DATA.glob("*.yaml"))
WORKLOADS = ("Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob")


def workloads_of(path: Path) -> list[dict]:
    found = []
    for document in yaml.safe_load_all(path.read_text()):
        items = document["items"] if document["kind"] == "List" else [document]
        found += [item for item in items if item["kind"] in WORKLOADS]
    return found


def plan(tmp_path: Path, inventory: Path, *extra: str) -> list[dict]:
    out = tmp_path / "out"
    assert main(["plan", str(inventory), "--out", str(out), *extra]) == 0
    return list(yaml.safe_load_all((out / "pods.yaml").read_text()))


def pod_spec(document: dict) -> dict:
    spec = document["spec"]
    if document["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return spec if document["kind"] == "Pod" else spec["template"]["spec"]


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.stem)
def test_without_answers_each_pod_round_trips_unchanged(path: Path, tmp_path: Path) -> None:
    assert plan(tmp_path, path) == workloads_of(path)


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.stem)
def test_every_output_is_valid(path: Path, tmp_path: Path) -> None:
    for document in plan(tmp_path, path):
        kubernetes_validate.validate(document, K8S_VERSION, strict=True)


def test_container_names_are_unique_dns_labels_named_after_their_workload() -> None:
    inventory = load_application(DATA)
    names = [c.name for c in inventory.containers]
    assert len(set(names)) == len(names)
    assert "kube-state-metrics" in names  # named like its workload: the workload's name alone
    assert "kube-state-metrics-kube-rbac-proxy-main" in names
    assert "web-linkerd-proxy" in names


def test_the_primary_is_the_container_that_is_no_known_helper() -> None:
    inventory = load_application(DATA / "emojivoto-web-linkerd.yaml")
    proxy = inventory.container("web-linkerd-proxy")
    assert (proxy.role.value, proxy.complements) == ("sidecar", "web-web-svc")
    assert inventory.running[0].primary == "web-web-svc"


def test_a_run_once_init_container_is_no_member() -> None:
    inventory = load_application(DATA / "emojivoto-web-linkerd.yaml")
    assert "web-linkerd-init" not in inventory.by_name


def test_other_kinds_are_passed_over_with_one_warning_each() -> None:
    inventory = load_application(DATA / "kube-state-metrics.yaml")
    assert inventory.warnings == ("Service/kube-state-metrics: not a workload, passed over",)


def test_a_localhost_upstream_answers_same_host_and_names_the_argument() -> None:
    questionnaire = load_questionnaire(DATA / "kube-state-metrics.yaml", None, must_exist=False)
    from advisor.domain.model import Pair

    answer = questionnaire.answer_for(
        Pair.of("kube-state-metrics", "kube-state-metrics-kube-rbac-proxy-main"), "same_host"
    )
    assert answer is not None and answer.value is True
    assert "args[2] --upstream=http://127.0.0.1:8081/" in (answer.reason or "")


def test_a_shared_emptydir_ties_its_users_to_one_host() -> None:
    inventory = load_application(DATA / "two-container-pod.yaml")
    (link,) = inventory.links
    assert link.reason == (
        "kubernetes: two-containers-nginx-container and two-containers-debian-container "
        "exchange files in emptyDir shared-data"
    )


def test_only_pairs_inside_running_pods_are_open() -> None:
    advice = advise(load_questionnaire(DATA, None, must_exist=False))
    inside = {
        frozenset((a, b))
        for pod in advice.inventory.running
        for i, a in enumerate(pod.members)
        for b in pod.members[i + 1 :]
    }
    assert {frozenset(p) for p in advice.questionnaire.open_pairs()} == inside


def test_strict_makes_unreviewed_pods_an_error(tmp_path: Path) -> None:
    assert main(["plan", str(DATA / "two-container-pod.yaml"), "--strict"]) != 0


def test_a_job_helper_is_advised_to_become_a_native_sidecar() -> None:
    advice = advise(load_questionnaire(DATA / "migrate-job-cloudsql.yaml", None, False))
    (audit,) = audit_pods(advice)
    assert any("keeps the Job from completing" in line for line in audit.lines)


SPLIT = """\
version: 1
pairs:
  kube-state-metrics + kube-state-metrics-kube-rbac-proxy-self:
    scale_together: no
"""


def test_a_split_moves_containers_unchanged_and_adds_the_service(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(SPLIT)
    documents = plan(tmp_path, DATA / "kube-state-metrics.yaml", "--answers", str(answers))
    (original,) = workloads_of(DATA / "kube-state-metrics.yaml")
    by_name = {c["name"]: c for c in pod_spec(original)["containers"]}
    kinds = [(d["kind"], d["metadata"]["name"]) for d in documents]
    assert kinds == [
        ("Deployment", "kube-state-metrics"),
        ("Deployment", "kube-state-metrics-kube-rbac-proxy-self"),
        ("Service", "kube-state-metrics-2"),  # the input's Service keeps its own name
    ]
    for document in documents[:2]:
        for container in pod_spec(document)["containers"]:
            assert container == by_name[container["name"]]
        assert pod_spec(document)["serviceAccountName"] == "kube-state-metrics"
    assert documents[2]["spec"]["ports"][0]["port"] == 8082
    for document in documents:
        kubernetes_validate.validate(document, K8S_VERSION, strict=True)
    report = (tmp_path / "out" / "report.md").read_text()
    assert "split: kube-state-metrics-kube-rbac-proxy-self moves out" in report
    assert "--upstream=http://127.0.0.1:8082/" in report


def test_the_same_manifests_give_the_same_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        assert main(["plan", str(DATA), "--out", str(out)]) == 0
    assert (first / "pods.yaml").read_bytes() == (second / "pods.yaml").read_bytes()


def test_summed_requests_over_the_node_split_the_pod(tmp_path: Path) -> None:
    documents = plan(tmp_path, DATA / "migrate-job-cloudsql.yaml", "--node", "cpu=1,memory=2Gi")
    assert [(d["kind"], d["metadata"]["name"]) for d in documents] == [
        ("Job", "migrate"),
        ("Deployment", "migrate-cloud-sql-proxy"),
        ("Service", "migrate-cloud-sql-proxy"),
    ]
    report = (tmp_path / "out" / "report.md").read_text()
    assert "their CPU requests add up to 1.5 of the node's 1" in report
    assert "Service migrate-cloud-sql-proxy port 5432" in report


def test_a_bad_node_option_is_one_line_of_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", str(DATA / "two-container-pod.yaml"), "--node", "cpu"]) == 2
    assert capsys.readouterr().err.startswith("pod-advisor: error: --node 'cpu'")


SPLIT_NAME_TAKEN = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-proxy}
spec:
  selector: {matchLabels: {app: wp}}
  template:
    metadata: {labels: {app: wp}}
    spec: {containers: [{name: web-proxy, image: nginx}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: nginx, ports: [{containerPort: 80}]}
      - {name: proxy, image: envoyproxy/envoy, args: ["--upstream=http://localhost:80"]}
"""


def test_a_split_names_its_part_apart_from_every_workload_and_its_service_selects_pods(
    tmp_path: Path,
) -> None:
    manifests = tmp_path / "sp.yaml"
    manifests.write_text(SPLIT_NAME_TAKEN)
    answers = tmp_path / "answers.yaml"
    answers.write_text("version: 1\npairs:\n  web + web-proxy-2:\n    scale_together: no\n")
    documents = plan(tmp_path, manifests, "--answers", str(answers))
    names = [(d["kind"], d["metadata"]["name"]) for d in documents]
    assert len(names) == len(set(names)), names
    services = [d for d in documents if d["kind"] == "Service"]
    pods = [d for d in documents if d["kind"] == "Deployment"]
    for service in services:  # each selects the pods of some workload
        wanted = service["spec"]["selector"].items()
        assert any(wanted <= d["spec"]["template"]["metadata"]["labels"].items() for d in pods)
    kept = next(d for d in pods if d["metadata"]["name"] == "web")
    assert kept["spec"]["selector"] == {"matchLabels": {"app": "web"}}  # unchanged on apply


def test_a_list_whose_items_are_no_list_is_one_line(tmp_path: Path, capsys) -> None:
    manifests = tmp_path / "l.yaml"
    manifests.write_text("apiVersion: v1\nkind: List\nitems: 5\n")
    assert main(["plan", str(manifests)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "items: must be a list, not a number" in err


@pytest.mark.parametrize("kind", ["StatefulSet", "CronJob"])
def test_a_split_out_part_of_a_long_named_workload_is_named_as_the_api_server_takes(
    tmp_path: Path, kind: str
) -> None:
    name = "y" * 50
    pod = {
        "containers": [{"name": "app", "image": "example/app"}, {"name": "worker", "image": "w"}]
    }
    template = {"metadata": {"labels": {"app": "y"}}, "spec": pod}
    if kind == "CronJob":
        pod["restartPolicy"] = "Never"
        spec: dict = {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": template}}}
    else:
        selector = {"matchLabels": {"app": "y"}}
        spec = {"serviceName": "y", "selector": selector, "template": template}
    api = "batch/v1" if kind == "CronJob" else "apps/v1"
    document = {"apiVersion": api, "kind": kind, "metadata": {"name": name}, "spec": spec}
    manifest = tmp_path / "running.yaml"
    manifest.write_text(yaml.safe_dump(document))
    answers = tmp_path / "answers.yaml"
    apart = {f"{name}-app + {name}-worker": {"same_host": "no"}}
    answers.write_text(yaml.safe_dump({"version": 1, "pairs": apart}))
    documents = plan(tmp_path, manifest, "--answers", str(answers))
    assert len(documents) >= 2
    for document in documents:
        if document["kind"] in ("StatefulSet", "CronJob"):
            assert len(document["metadata"]["name"]) <= 52
        kubernetes_validate.validate(document, K8S_VERSION, strict=True)
