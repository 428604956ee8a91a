"""Splits of running pods: every part is a pod the API server takes, and the report and
layout.yaml say what pods.yaml writes."""

from __future__ import annotations

from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from helpers import K8S_VERSION

from advisor.cli import main


def write(tmp_path: Path, manifest: str, answers: str) -> tuple[Path, Path]:
    (tmp_path / "app.yaml").write_text(manifest)
    (tmp_path / "answers.yaml").write_text(answers)
    return tmp_path / "app.yaml", tmp_path / "answers.yaml"


def plan(tmp_path: Path, manifest: str, answers: str, *extra: str) -> tuple[list[dict], str]:
    app, given = write(tmp_path, manifest, answers)
    out = tmp_path / "out"
    assert main(["plan", str(app), "--answers", str(given), "--out", str(out), *extra]) == 0
    documents = list(yaml.safe_load_all((out / "pods.yaml").read_text()))
    for document in documents:
        kubernetes_validate.validate(document, K8S_VERSION, strict=True)
    return documents, (out / "report.md").read_text()


def pod_spec(document: dict) -> dict:
    spec = document["spec"]
    if document["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return spec if document["kind"] == "Pod" else spec["template"]["spec"]


NATIVE = """\
apiVersion: apps/v1
kind: {kind}
metadata: {{name: web}}
spec:
  {extra}selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      initContainers:
      - {{name: log-agent, image: "fluent/fluent-bit:3.1", restartPolicy: Always}}
      containers:
      - {{name: web, image: "nginx:1.27"}}
"""
APART = "version: 1\npairs:\n  web + web-log-agent: {same_host: no}\n"


@pytest.mark.parametrize("kind", ["Deployment", "StatefulSet"])
@pytest.mark.parametrize("native", [(), ("--native-sidecars",)])
def test_a_native_sidecar_split_out_alone_is_its_pods_main_container(
    tmp_path: Path, kind: str, native: tuple[str, ...]
) -> None:
    extra = "serviceName: web\n  " if kind == "StatefulSet" else ""
    documents, report = plan(tmp_path, NATIVE.format(kind=kind, extra=extra), APART, *native)
    workloads = {d["metadata"]["name"]: d for d in documents if d["kind"] == kind}
    moved = pod_spec(workloads["web-log-agent"])
    assert moved["containers"] == [{"name": "log-agent", "image": "fluent/fluent-bit:3.1"}]
    assert "initContainers" not in moved
    assert pod_spec(workloads["web"])["containers"] == [{"name": "web", "image": "nginx:1.27"}]
    assert "initContainers" not in pod_spec(workloads["web"])
    assert "it is the main container of web-log-agent" in report
