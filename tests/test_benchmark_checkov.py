"""benchmarks/checkov.py without checkov: its reading of checkov's JSON report, recorded
from checkov 3.3.30 on the plan of tests/data/checkov/shop-compose.yaml with --namespace
bench (trimmed to the fields the script reads), and its generated applications."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
import yaml

from advisor import cli

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "tests" / "data" / "checkov" / "shop-report.json"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location(
        "bench_checkov", ROOT / "benchmarks" / "checkov.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_checkov"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def report():
    return json.loads(REPORT.read_text())


def _check(resource, check_id, path="/plans/shop/out/pods.yaml"):
    return {"check_id": check_id, "check_name": check_id, "resource": resource, "file_path": path}


def test_only_workloads_count_and_each_is_named_by_namespace_and_name(bench, report):
    assert {f.workload for f in bench.failures(report)} == {"bench/web", "bench/api"}
    assert bench.workloads_scanned(report) == 2  # the Secret and the Service are left out


def test_the_failures_are_counted_per_workload_and_check(bench, report):
    summary = bench.summarize(bench.failures(report), bench.workloads_scanned(report))
    assert (summary.failures, summary.workloads, summary.per_workload) == (30, 2, 15.0)
    by_check = {check: count for check, _, count in summary.by_check}
    # api is read_only with no-new-privileges; web set nothing.
    assert by_check["CKV_K8S_22"] == by_check["CKV_K8S_20"] == 1
    assert by_check["CKV2_K8S_6"] == 2  # no NetworkPolicy for either


def test_the_checks_that_the_platform_defaults_answer_do_not_fail(bench, report):
    # the namespace, the service-account token and the seccomp profile
    failed = {f.check_id for f in bench.failures(report)}
    assert failed.isdisjoint({"CKV_K8S_21", "CKV_K8S_38", "CKV_K8S_31"})


def test_a_check_failed_by_a_workload_and_its_pod_template_counts_once(bench):
    template = "Pod.bench.web.app.kubernetes.io/name-web"
    report = {
        "check_type": "kubernetes",
        "results": {
            "failed_checks": [
                _check("Deployment.bench.web", "CKV_K8S_8"),
                _check(template, "CKV_K8S_8"),
            ]
        },
    }
    assert len(bench.failures(report)) == 1


def test_the_same_workload_name_in_two_applications_is_two_workloads(bench):
    report = [
        {
            "check_type": "kubernetes",
            "results": {
                "failed_checks": [
                    _check("Deployment.bench.web", "CKV_K8S_8", "/a/out/pods.yaml"),
                    _check("Deployment.bench.web", "CKV_K8S_8", "/b/out/pods.yaml"),
                ]
            },
        },
        {"check_type": "dockerfile", "results": {"failed_checks": [_check("x", "CKV_D_1")]}},
    ]
    assert bench.workloads_scanned(report) == 2
    assert bench.summarize(bench.failures(report), 2).by_check == [("CKV_K8S_8", "CKV_K8S_8", 2)]


def test_the_table_lists_each_check_with_the_workloads_failing_it(bench, report):
    summary = bench.summarize(bench.failures(report), bench.workloads_scanned(report))
    table = bench.render(summary, apps=1)
    assert "15.0 per workload" in table
    assert (
        "| CKV_K8S_22 | Use read-only filesystem for containers where possible | 1 of 2 |" in table
    )


def test_the_generated_applications_plan_into_valid_manifests(bench, tmp_path):
    for app in bench.generated_apps(2):
        compose = tmp_path / f"{app['name']}.yaml"
        compose.write_text(yaml.safe_dump({k: v for k, v in app.items() if k != "name"}))
        out = tmp_path / app["name"]
        assert cli.main(["plan", str(compose), "--out", str(out), *bench.plan_options()]) == 0
        documents = [d for d in yaml.safe_load_all((out / "pods.yaml").read_text()) if d]
        assert {d["metadata"]["namespace"] for d in documents} == {"bench"}
