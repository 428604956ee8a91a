"""A workload an owner of the input makes (``kubectl get all -o yaml``: a Deployment, its
ReplicaSet, their pods) is passed over with a warning, so that the app runs once; an owner
not in the input keeps the workload read."""

from __future__ import annotations

from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from helpers import K8S_VERSION

from advisor.cli import main

TEMPLATE = """\
      metadata: {labels: {app: web}}
      spec:
        containers: [{name: web, image: nginx}]
"""

GET_ALL = f"""\
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata:
    name: web-5d8f-abcde
    labels: {{app: web}}
    ownerReferences:
    - {{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d8f, uid: b2, controller: true}}
  spec:
    containers: [{{name: web, image: nginx}}]
- apiVersion: apps/v1
  kind: Deployment
  metadata: {{name: web}}
  spec:
    selector: {{matchLabels: {{app: web}}}}
    template:
{TEMPLATE}- apiVersion: apps/v1
  kind: ReplicaSet
  metadata:
    name: web-5d8f
    ownerReferences:
    - {{apiVersion: apps/v1, kind: Deployment, name: web, uid: a1, controller: true}}
  spec:
    selector: {{matchLabels: {{app: web}}}}
    template:
{TEMPLATE}"""


def plan(tmp_path: Path, text: str) -> list[dict]:
    """``plan``'s pods.yaml for the manifests ``text``, each document valid (strict)."""
    manifests = tmp_path / "m.yaml"
    manifests.write_text(text)
    out = tmp_path / "out"
    assert main(["plan", str(manifests), "--out", str(out)]) == 0
    documents = [d for d in yaml.safe_load_all((out / "pods.yaml").read_text()) if d]
    for document in documents:
        kubernetes_validate.validate(document, K8S_VERSION, strict=True)
    return documents


def test_a_deployment_with_its_replica_set_and_pod_is_written_once(tmp_path: Path) -> None:
    documents = plan(tmp_path, GET_ALL)
    assert [(d["kind"], d["metadata"]["name"]) for d in documents] == [("Deployment", "web")]


def test_each_workload_its_owner_makes_is_named_in_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan(tmp_path, GET_ALL)
    err = capsys.readouterr().err
    assert (
        "Pod/web-5d8f-abcde: owned by ReplicaSet/web-5d8f in the input, which makes it when "
        "applied: passed over"
    ) in err
    assert (
        "ReplicaSet/web-5d8f: owned by Deployment/web in the input, which makes it when "
        "applied: passed over"
    ) in err


def test_a_job_its_cron_job_made_is_passed_over(tmp_path: Path) -> None:
    job_spec = "template: {spec: {restartPolicy: Never, containers: [{name: t, image: busybox}]}}"
    text = f"""\
apiVersion: batch/v1
kind: CronJob
metadata: {{name: nightly}}
spec:
  schedule: "0 3 * * *"
  jobTemplate: {{spec: {{{job_spec}}}}}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: nightly-29000000
  ownerReferences: [{{apiVersion: batch/v1, kind: CronJob, name: nightly, uid: c3}}]
spec: {{{job_spec}}}
"""
    documents = plan(tmp_path, text)
    assert [(d["kind"], d["metadata"]["name"]) for d in documents] == [("CronJob", "nightly")]


def replica_set_and_pod(replica_set_namespace: str, pod_namespace: str) -> str:
    """A ReplicaSet ``web-5d8f`` and a Pod it owns, each in the namespace given (none: "")."""
    replica_set_namespace = replica_set_namespace and f", namespace: {replica_set_namespace}"
    pod_namespace = pod_namespace and f"\n  namespace: {pod_namespace}"
    return f"""\
apiVersion: apps/v1
kind: ReplicaSet
metadata: {{name: web-5d8f{replica_set_namespace}}}
spec:
  selector: {{matchLabels: {{app: web}}}}
  template:
{TEMPLATE}---
apiVersion: v1
kind: Pod
metadata:
  name: web-5d8f-abcde{pod_namespace}
  ownerReferences: [{{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d8f, uid: b2}}]
spec:
  containers: [{{name: web, image: nginx}}]
"""


def test_no_namespace_is_the_default_one_its_owner_is_in(tmp_path: Path) -> None:
    documents = plan(tmp_path, replica_set_and_pod("default", ""))
    assert [(d["kind"], d["metadata"]["name"]) for d in documents] == [("ReplicaSet", "web-5d8f")]


def test_an_owner_of_its_name_in_another_namespace_keeps_the_pod(tmp_path: Path) -> None:
    documents = plan(tmp_path, replica_set_and_pod("", "other"))
    assert [d["kind"] for d in documents] == ["ReplicaSet", "Pod"]


def test_a_pod_whose_owner_is_not_in_the_input_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = """\
apiVersion: v1
kind: Pod
metadata:
  name: db-0
  ownerReferences: [{apiVersion: example.com/v1, kind: PostgresCluster, name: db, uid: d4}]
spec:
  containers: [{name: db, image: postgres}]
"""
    documents = plan(tmp_path, text)
    assert [(d["kind"], d["metadata"]["name"]) for d in documents] == [("Pod", "db-0")]
    assert "passed over" not in capsys.readouterr().err


def test_pods_that_name_each_other_as_owner_are_both_kept(tmp_path: Path) -> None:
    pod = """\
apiVersion: v1
kind: Pod
metadata:
  name: {0}
  ownerReferences: [{{apiVersion: v1, kind: Pod, name: {1}, uid: e5}}]
spec:
  containers: [{{name: {0}, image: nginx}}]
"""
    documents = plan(tmp_path, pod.format("a", "b") + "---\n" + pod.format("b", "a"))
    assert [d["metadata"]["name"] for d in documents] == ["a", "b"]
