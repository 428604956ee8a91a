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


VOLUMES = """\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      volumes:
      - {name: scratch, emptyDir: {}}
      - {name: backups, persistentVolumeClaim: {claimName: db-backups}}
      containers:
      - name: db
        image: postgres:16
        volumeMounts:
        - {name: scratch, mountPath: /scratch}
        - {name: data, mountPath: /var/lib/postgresql/data}
        - {name: backups, mountPath: /backups}
      - name: agent
        image: example/agent:1
        volumeMounts:
        - {name: scratch, mountPath: /scratch}
        - {name: data, mountPath: /data, readOnly: true}
        - {name: backups, mountPath: /backups}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
"""
SPLIT_DB = "version: 1\npairs:\n  db + db-agent: {same_host: no}\n"


def test_the_volumes_of_a_split_are_described_as_pods_yaml_writes_them(tmp_path: Path) -> None:
    documents, report = plan(tmp_path, VOLUMES, SPLIT_DB)
    kept, moved = (d for d in documents if d["kind"] == "StatefulSet")
    for document in (kept, moved):  # each pod its own emptyDir; the claim as the input's
        volumes = {v["name"]: v for v in pod_spec(document)["volumes"]}
        assert volumes["scratch"] == {"name": "scratch", "emptyDir": {}}
        assert volumes["backups"]["persistentVolumeClaim"] == {"claimName": "db-backups"}
        assert [t["metadata"]["name"] for t in document["spec"]["volumeClaimTemplates"]] == ["data"]
    layout = yaml.safe_load((tmp_path / "out" / "layout.yaml").read_text())
    becomes = {v["name"]: (v["becomes"], v.get("source")) for v in layout["volumes"]}
    assert becomes == {
        "db-scratch": ("emptyDir-per-pod", None),
        "db-data": ("claim-per-replica", None),
        "db-backups": ("input-claim", "db-backups"),
    }
    assert "shared-claim" not in (tmp_path / "out" / "layout.yaml").read_text()
    assert "one claim mounted by pods" not in report
    volumes = report.split("## Volumes")[1].split("##")[0]
    assert "db-scratch: **an emptyDir in each of pods" in volumes
    assert "db-data: the StatefulSet's volumeClaimTemplates, a claim per replica" in volumes
    assert "db-backups: the manifest's PersistentVolumeClaim db-backups" in volumes
    attention = report.split("## Needs attention")[1].split("##")[0]
    assert "**db-scratch**: an emptyDir in each of pods" in attention
    assert "**db-data**: a volumeClaimTemplate: each StatefulSet" in attention
    assert "**db-backups**: the manifest's claim db-backups, mounted by pods" in attention


def test_an_emptydir_in_one_pod_stays_an_emptydir(tmp_path: Path) -> None:
    plan(tmp_path, VOLUMES, "version: 1\npairs:\n  db + db-agent: {same_host: yes}\n")
    layout = yaml.safe_load((tmp_path / "out" / "layout.yaml").read_text())
    becomes = {v["name"]: v["becomes"] for v in layout["volumes"]}
    assert becomes["db-scratch"] == "emptyDir"


CRON = """\
apiVersion: batch/v1
kind: CronJob
metadata: {name: report}
spec:
  schedule: "*/5 * * * *"
  concurrencyPolicy: Forbid
  jobTemplate:
    metadata: {labels: {team: data}}
    spec:
      activeDeadlineSeconds: 600
      backoffLimit: 1
      ttlSecondsAfterFinished: 60
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - {name: report, image: "example/report:1"}
"""


def test_a_cronjob_written_as_a_job_keeps_what_a_job_takes_and_says_what_it_drops(
    tmp_path: Path,
) -> None:
    (job,), report = plan(tmp_path, CRON, "version: 1\n", "--workload", "job")
    assert job["kind"] == "Job"
    assert job["metadata"]["labels"] == {"team": "data"}
    spec = {k: v for k, v in job["spec"].items() if k != "template"}
    assert spec == {"activeDeadlineSeconds": 600, "backoffLimit": 1, "ttlSecondsAfterFinished": 60}
    assert "report as a Job drops schedule, concurrencyPolicy: a Job runs on no schedule" in report


JOB = """\
apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      activeDeadlineSeconds: 300
      containers:
      - {name: migrate, image: "example/migrate:1"}
"""


def test_a_job_written_as_a_deployment_says_what_it_drops(tmp_path: Path) -> None:
    (deployment,), report = plan(tmp_path, JOB, "version: 1\n", "--workload", "deployment")
    assert deployment["kind"] == "Deployment"
    assert "backoffLimit" not in deployment["spec"]
    assert "migrate as a Deployment drops backoffLimit: a Deployment takes none" in report
    assert "the pod's activeDeadlineSeconds: a Deployment's pods run until stopped" in report
    assert "restartPolicy: Never: a Deployment's pods always restart" in report


SHM = """\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      volumes:
      - {name: dshm, emptyDir: {medium: Memory}}
      containers:
      - name: db
        image: postgres:16
        volumeMounts: [{name: dshm, mountPath: /dev/shm}]
      - name: agent
        image: example/agent:1
        volumeMounts: [{name: dshm, mountPath: /dev/shm}]
---
apiVersion: v1
kind: Service
metadata: {name: db-agent-headless}
spec: {clusterIP: None, selector: {app: db}}
"""


def test_a_statefulset_split_out_gets_its_own_governing_service(tmp_path: Path) -> None:
    documents, report = plan(tmp_path, SHM, SPLIT_DB)
    kept, moved = (d for d in documents if d["kind"] == "StatefulSet")
    assert kept["spec"]["serviceName"] == "db"
    governing = moved["spec"]["serviceName"]
    assert governing == "db-agent-headless-2"  # unlike the input's Service
    (service,) = (d for d in documents if d["kind"] == "Service")
    assert service["metadata"]["name"] == governing
    assert service["spec"]["clusterIP"] == "None"
    assert service["spec"]["selector"] == moved["spec"]["selector"]["matchLabels"]
    assert "db-agent names a headless Service of its own as its serviceName" in report


def test_an_in_memory_emptydir_split_is_no_case_for_readwritemany(tmp_path: Path) -> None:
    _documents, report = plan(tmp_path, SHM, SPLIT_DB)
    attention = report.split("## Needs attention")[1].split("##")[0]
    line = next(x for x in attention.splitlines() if "db-dshm" in x)
    assert "ReadWriteMany" not in line
    assert "no volume shares memory across pods" in line
    assert "share the in-memory emptyDir dshm" in report


HOST = """\
apiVersion: apps/v1
kind: {kind}
metadata: {{name: node}}
spec:
  selector: {{matchLabels: {{app: node}}}}
  template:
    metadata: {{labels: {{app: node}}}}
    spec:
      hostNetwork: true
      containers:
      - name: exporter
        image: prom/node-exporter:v1.8.0
        ports: [{{containerPort: 9100}}]
      - name: proxy
        image: example/proxy:1
        env: [{{name: UPSTREAM, value: "http://localhost:9100/metrics"}}]
"""
HOST_APART = "version: 1\npairs:\n  node-exporter + node-proxy: {same_host: no}\n"


def test_a_daemonset_on_the_node_network_split_still_reaches_over_localhost(
    tmp_path: Path,
) -> None:
    documents, report = plan(tmp_path, HOST.format(kind="DaemonSet"), HOST_APART)
    assert [d["kind"] for d in documents] == ["DaemonSet", "DaemonSet"]  # no Service
    assert all(pod_spec(d)["hostNetwork"] is True for d in documents)
    assert "node-proxy reaches node-exporter over localhost" in report
    assert "split, it still does" in report
    assert "must reach Service" not in report


def test_a_deployment_on_the_node_network_split_needs_the_service(tmp_path: Path) -> None:
    documents, report = plan(tmp_path, HOST.format(kind="Deployment"), HOST_APART)
    assert [d["kind"] for d in documents] == ["Deployment", "Deployment", "Service"]
    assert "must reach Service" in report
    assert "localhost reaches it only where both run on one node" in report
