"""--namespace: every namespaced object written in it, kustomization.yaml naming it, a
Namespace object only with --create-namespace; Kubernetes input keeps its own otherwise."""

import yaml
from helpers import REPO, plan_compose_files
from test_kustomize_build import built

from advisor import cli

K8S = REPO / "tests" / "data" / "k8s"
# A Secret (API_KEY), a claim (data), a Service (db is reached), two workloads.
APP = {
    "web": {
        "image": "example/web:1",
        "environment": {"DB_HOST": "db", "API_KEY": "k"},
        "volumes": ["data:/data"],
    },
    "db": {"image": "postgres:16", "ports": ["5432"]},
}


def _compose(folder, services=None):
    path = folder / "compose.yaml"
    path.write_text(yaml.safe_dump({"services": services or APP, "volumes": {"data": {}}}))
    return path


def _plan(folder, *options):
    out = folder / "out"
    assert cli.main(["plan", str(_compose(folder)), "--out", str(out), *options]) == 0
    return out, [d for d in yaml.safe_load_all((out / "pods.yaml").read_text()) if d]


def test_every_object_is_written_in_the_namespace(tmp_path):
    documents, _ = plan_compose_files(tmp_path, APP, "--namespace", "shop")
    kinds = {d["kind"] for d in documents}
    assert {"Secret", "Deployment", "Service"} <= kinds
    assert {d["metadata"].get("namespace") for d in documents} == {"shop"}


def test_the_namespace_follows_the_name_in_the_metadata(tmp_path):
    documents, _ = plan_compose_files(tmp_path, APP, "--namespace", "shop")
    assert all(list(d["metadata"])[:2] == ["name", "namespace"] for d in documents)


def test_without_the_option_no_object_names_a_namespace(tmp_path):
    documents, _ = plan_compose_files(tmp_path, APP)
    assert all("namespace" not in d["metadata"] for d in documents)


def test_no_namespace_object_is_written_unless_asked_for(tmp_path):
    _, documents = _plan(tmp_path, "--namespace", "shop")
    assert "Namespace" not in {d["kind"] for d in documents}


def test_create_namespace_writes_the_namespace_first(tmp_path):
    _, documents = _plan(tmp_path, "--namespace", "shop", "--create-namespace")
    assert documents[0]["kind"] == "Namespace"
    assert documents[0]["metadata"]["name"] == "shop"
    assert "namespace" not in documents[0]["metadata"]  # a Namespace lives in none


def test_the_kustomization_names_the_namespace_and_builds_into_it(tmp_path):
    out, _ = _plan(tmp_path, "--namespace", "shop", "--kustomize")
    index = yaml.safe_load((out / "kustomize" / "kustomization.yaml").read_text())
    assert index["namespace"] == "shop"
    assert {d["metadata"]["namespace"] for d in built(out / "kustomize")} == {"shop"}


def test_the_printed_manifests_are_in_the_namespace_too(tmp_path, capsys):
    assert cli.main(["plan", str(_compose(tmp_path)), "--namespace", "shop"]) == 0
    documents = [d for d in yaml.safe_load_all(capsys.readouterr().out) if d]
    assert {d["metadata"]["namespace"] for d in documents} == {"shop"}


def test_a_namespace_that_is_no_dns_label_is_one_line_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    code = cli.main(["plan", str(_compose(tmp_path)), "--out", str(out), "--namespace", "Shop_1"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "--namespace: 'Shop_1' is no DNS label" in err
    assert not out.exists()


def test_create_namespace_without_a_namespace_is_refused(tmp_path, capsys):
    assert cli.main(["plan", str(_compose(tmp_path)), "--create-namespace"]) == 2
    assert "--namespace" in capsys.readouterr().err


def test_kubernetes_input_keeps_its_namespace_without_the_option(tmp_path):
    out = tmp_path / "out"
    assert cli.main(["plan", str(K8S / "kube-state-metrics.yaml"), "--out", str(out)]) == 0
    written = [d for d in yaml.safe_load_all((out / "pods.yaml").read_text()) if d]
    assert {d["metadata"].get("namespace") for d in written} == {"monitoring"}


def test_the_option_replaces_kubernetes_inputs_namespace_and_the_report_says_so(tmp_path):
    out = tmp_path / "out"
    source = K8S / "kube-state-metrics.yaml"
    assert cli.main(["plan", str(source), "--out", str(out), "--namespace", "metrics"]) == 0
    written = [d for d in yaml.safe_load_all((out / "pods.yaml").read_text()) if d]
    assert {d["metadata"]["namespace"] for d in written} == {"metrics"}
    report = (out / "report.md").read_text()
    assert "written in namespace metrics (--namespace), not in monitoring" in report


def test_kubernetes_input_in_a_namespace_builds_with_kustomize(tmp_path):
    out = tmp_path / "out"
    source = K8S / "kube-state-metrics.yaml"
    args = ["plan", str(source), "--out", str(out), "--namespace", "metrics", "--kustomize"]
    assert cli.main(args) == 0
    assert {d["metadata"]["namespace"] for d in built(out / "kustomize")} == {"metrics"}


def test_ask_refuses_a_bad_namespace_before_any_question(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["ask", str(_compose(tmp_path)), "--namespace", "Shop_1"]) == 2
    assert "--namespace: 'Shop_1'" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.answers.yaml"))  # no session was started
