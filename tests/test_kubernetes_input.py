"""Bad Kubernetes manifests: each mistake is one line naming the file, the line, the
workload (or the document, before its name is read) and the field; exit code 2; no
traceback; nothing written."""

# ruff: noqa: E501  (each case spells out the exact line a user sees)

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from advisor.cli import main

POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web"},
    "spec": {
        "initContainers": [{"name": "setup", "image": "busybox"}],
        "containers": [
            {"name": "web", "image": "nginx", "ports": [{"containerPort": 80}]},
            {"name": "proxy", "image": "envoyproxy/envoy", "args": ["--port", "9901"]},
        ],
    },
}


def mutated(path: tuple, value: object) -> dict:
    """``POD`` with ``value`` at ``path`` (``...`` removes the key)."""
    document = yaml.safe_load(yaml.safe_dump(POD))
    node = document
    for key in path[:-1]:
        node = node[key]
    if value is ...:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return document


CASES = [
    (
        ("metadata", "name"),
        5,
        "Pod (document 2).metadata.name: must be text (quote it), not a number",
    ),
    (("metadata", "name"), ..., "Pod (document 2).metadata: missing 'name'"),
    (("metadata",), ..., "Pod (document 2).metadata: missing: a workload needs metadata.name"),
    (
        ("metadata", "name"),
        "Web_App",
        "Pod (document 2).metadata.name: 'Web_App' is no DNS-1123 subdomain (lowercase letters, digits, - and .)",
    ),
    (
        ("metadata", "name"),
        "web\x07",
        "Pod (document 2).metadata.name: 'web\\x07' is no DNS-1123 subdomain (lowercase letters, digits, - and .)",
    ),
    (
        ("metadata", "namespace"),
        "My.Space",
        "Pod (document 2).metadata.namespace: 'My.Space' is no DNS label (lowercase letters, digits and -)",
    ),
    (
        ("spec", "volumes"),
        [{"name": "Data_1", "emptyDir": {}}],
        "Pod/web.spec.volumes[0].name: 'Data_1' is no DNS label (lowercase letters, digits and -)",
    ),
    (
        ("spec", "containers", 1, "imagePullPolicyy"),
        "Always",
        "Pod/web.spec.containers[1].imagePullPolicyy: no such field (did you mean 'imagePullPolicy'?)",
    ),
    (
        ("metadata", "labels"),
        {"version": 2},
        "Pod/web.metadata.labels.version: must be text (quote it), not a number",
    ),
    (("spec", "containers", 0, "image"), ..., "Pod/web.spec.containers[0]: missing 'image'"),
    (
        ("spec", "containers", 0, "image"),
        ["nginx"],
        "Pod/web.spec.containers[0].image: must be text (quote it), not a list",
    ),
    (
        ("spec", "containers", 0, "name"),
        ...,
        "Pod/web.spec.containers[0].name: missing: the API requires it",
    ),
    (
        ("spec", "containers", 0, "name"),
        "Web_1",
        "Pod/web.spec.containers[0].name: 'Web_1' is no DNS label (lowercase letters, digits and -)",
    ),
    (
        ("spec", "containers", 1, "args"),
        "--port 9901",
        "Pod/web.spec.containers[1].args: must be a list of text, not text",
    ),
    (
        ("spec", "containers", 1, "args", 1),
        9901,
        "Pod/web.spec.containers[1].args[1]: must be text (quote it), not a number",
    ),
    (
        ("spec", "containers", 1, "command"),
        [["envoy"]],
        "Pod/web.spec.containers[1].command[0]: must be text (quote it), not a list",
    ),
    (
        ("spec", "containers", 1, "name"),
        "setup",
        "Pod/web.spec.containers[1].name: 'setup' is also the name of Pod/web.spec.initContainers[0]",
    ),
    (
        ("spec", "containers", 1, "name"),
        "web",
        "Pod/web.spec.containers[1].name: 'web' is also the name of Pod/web.spec.containers[0]",
    ),
    (
        ("spec", "containers", 0, "ports"),
        80,
        "Pod/web.spec.containers[0].ports: must be a list, not a number",
    ),
    (
        ("spec", "containers", 0, "ports", 0),
        80,
        "Pod/web.spec.containers[0].ports[0]: must be a mapping, not a number",
    ),
    (
        ("spec", "containers", 0, "ports", 0, "containerPort"),
        "80",
        "Pod/web.spec.containers[0].ports[0].containerPort: must be a whole number, not text",
    ),
    (
        ("spec", "containers", 0, "ports", 0, "containerPort"),
        70000,
        "Pod/web.spec.containers[0].ports[0].containerPort: must be a port number from 1 to 65535, not 70000",
    ),
    (
        ("spec", "containers", 0, "ports", 0, "protocol"),
        "HTTP",
        "Pod/web.spec.containers[0].ports[0].protocol: 'HTTP' is none of TCP, UDP, SCTP",
    ),
    (
        ("spec", "containers", 0, "env"),
        [{"name": "A", "value": 1}],
        "Pod/web.spec.containers[0].env[0].value: must be text (quote it), not a number",
    ),
    (
        ("spec", "containers", 0, "env"),
        [{"value": "x"}],
        "Pod/web.spec.containers[0].env[0].name: missing: the API requires it",
    ),
    (
        ("spec", "containers", 0, "resources"),
        {"requests": {"cpu": [1]}},
        "Pod/web.spec.containers[0].resources.requests.cpu: must be a quantity (such as 500m, 2 or 1Gi), not a list",
    ),
    (
        ("spec", "containers", 0, "volumeMounts"),
        [{"name": "data"}],
        "Pod/web.spec.containers[0].volumeMounts[0].mountPath: missing: the API requires it",
    ),
    (
        ("spec", "initContainers", 0, "restartPolicy"),
        "Never",
        "Pod/web.spec.initContainers[0].restartPolicy: an init container's can only be Always",
    ),
    (("spec", "hostNetwork"), "yes", "Pod/web.spec.hostNetwork: must be true or false, not text"),
    (
        ("spec", "serviceAccountName"),
        7,
        "Pod/web.spec.serviceAccountName: must be text (quote it), not a number",
    ),
    (
        ("spec", "nodeSelector"),
        {"disk": True},
        "Pod/web.spec.nodeSelector.disk: must be text (quote it), not a yes/no value",
    ),
    (("spec", "containers"), [], "Pod/web.spec.containers: the pod runs no container"),
    (
        ("spec", "volumes"),
        [{"name": "data", "emptyDir": "yes"}],
        "Pod/web.spec.volumes[0].emptyDir: must be a mapping, not text",
    ),
    (
        ("apiVersion",),
        "apps/v1",
        "Pod/web.apiVersion: 'apps/v1': a Pod is v1 (the only one served)",
    ),
    (
        ("spec", "securityContext"),
        {"runAsUser": "1000"},
        "Pod/web.spec.securityContext.runAsUser: must be a whole number, not text",
    ),
    (
        ("spec", "containers", 1, "securityContext"),
        {"capabilities": {"drop": "ALL"}},
        "Pod/web.spec.containers[1].securityContext.capabilities.drop: must be a list of text, not text",
    ),
    (
        ("spec", "volumes"),
        [{"name": "data", "emptyDir": {}}, {"name": "data", "emptyDir": {}}],
        "Pod/web.spec.volumes[1].name: 'data' is also the name of Pod/web.spec.volumes[0]",
    ),
    (
        ("spec", "containers", 0, "volumeMounts"),
        [{"name": "a", "mountPath": "/data"}, {"name": "b", "mountPath": "/data"}],
        "Pod/web.spec.containers[0].volumeMounts[1].mountPath: '/data' is also the mountPath of Pod/web.spec.containers[0].volumeMounts[0]",
    ),
    (
        ("spec", "containers", 0, "ports", 0, "name"),
        "http-metrics-port",
        "Pod/web.spec.containers[0].ports[0].name: 'http-metrics-port' is no port name (at most 15 lowercase letters, digits and single -, a letter among them)",
    ),
    (
        ("spec", "containers", 0, "resources"),
        {"requests": {"cpu": "2"}, "limits": {"cpu": "500m"}},
        "Pod/web.spec.containers[0].resources: the cpu request 2 is above its limit 500m",
    ),
    (
        ("spec", "containers", 0, "resources"),
        {"requests": {"cpu": None}},
        "Pod/web.spec.containers[0].resources.requests.cpu: must be a quantity (such as 500m, 2 or 1Gi), not nothing",
    ),
    (
        ("metadata", "labels"),
        {"app": None},
        "Pod/web.metadata.labels.app: must be text (quote it), not nothing",
    ),
    (
        ("spec", "volumes"),
        [{"name": "data"}],
        "Pod/web.spec.volumes[0]: has no source (emptyDir, configMap, secret, persistentVolumeClaim...)",
    ),
    (
        ("spec", "volumes"),
        [{"name": "data", "emptyDir": {}, "configMap": {"name": "c"}}],
        "Pod/web.spec.volumes[0]: has 2 sources (emptyDir, configMap): the API takes one",
    ),
    (
        ("spec", "containers", 0, "livenessProbe"),
        {"periodSeconds": 5},
        "Pod/web.spec.containers[0].livenessProbe: has no handler (exec, httpGet, tcpSocket, grpc)",
    ),
    (
        ("spec", "initContainers", 0, "readinessProbe"),
        {"tcpSocket": {"port": 80}},
        "Pod/web.spec.initContainers[0].readinessProbe: an init container that runs once takes no probe",
    ),
    # Fields carried over as they are, checked against the API's types (rules/workload-schema.json)
    (
        ("spec", "containers", 0, "livenessProbe"),
        {"httpGet": {"port": [80]}},
        "Pod/web.spec.containers[0].livenessProbe.httpGet.port: must be a number or a name, "
        "not a list",
    ),
    (
        ("spec", "tolerations"),
        [{"key": "gpu", "tolerationSeconds": "60"}],
        "Pod/web.spec.tolerations[0].tolerationSeconds: must be a whole number, not text",
    ),
    (
        ("spec", "affinity"),
        {"nodeAffinty": {}},
        "Pod/web.spec.affinity.nodeAffinty: no such field (did you mean 'nodeAffinity'?)",
    ),
    (
        ("spec", "containers", 0, "env"),
        [{"name": "A", "valueFrom": {"secretKeyRef": {"name": "s", "key": 1}}}],
        "Pod/web.spec.containers[0].env[0].valueFrom.secretKeyRef.key: must be text (quote "
        "it), not a number",
    ),
    (
        ("spec", "containers", 0, "envFrom"),
        [{"configMapRef": "settings"}],
        "Pod/web.spec.containers[0].envFrom[0].configMapRef: must be a mapping, not text",
    ),
    (
        ("spec", "containers", 0, "volumeMounts"),
        [{"name": "v", "mountPath": "/v", "mountPropagation": 1}],
        "Pod/web.spec.containers[0].volumeMounts[0].mountPropagation: must be text (quote it), "
        "not a number",
    ),
    (
        ("spec", "containers", 0, "resources"),
        {"limits": {"cpu": [1]}},
        "Pod/web.spec.containers[0].resources.limits.cpu: must be a quantity (such as 500m, 2 or 1Gi), not a list",
    ),
    (
        ("spec", "containers", 0, "readinessProbe"),
        {"exec": {"command": "ls"}},
        "Pod/web.spec.containers[0].readinessProbe.exec.command: must be a list of text, not text",
    ),
    (
        ("spec", "containers", 0, "lifecycle"),
        {"preStop": {"sleep": {}}},
        "Pod/web.spec.containers[0].lifecycle.preStop.sleep.seconds: missing: the API requires it",
    ),
]


@pytest.mark.parametrize(
    ("path", "value", "message"), CASES, ids=[c[2].split(": ")[0] for c in CASES]
)
def test_a_wrong_field_is_one_line_naming_the_file_the_workload_and_the_field(
    path: tuple,
    value: object,
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    manifests = tmp_path / "m.yaml"
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}}
    manifests.write_text(yaml.safe_dump_all([service, mutated(path, value)], sort_keys=False))
    out = tmp_path / "out"
    assert main(["plan", str(manifests), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "warning" not in line]
    assert len(lines) == 1, err
    assert lines[0].startswith(f"pod-advisor: error: {manifests}:")
    assert lines[0].endswith(f": {message}"), lines[0]
    assert not out.exists()


def test_a_deployment_with_replicas_as_text_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {
            "replicas": "2",
            "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": POD["spec"]},
        },
    }
    manifests = tmp_path / "d.yaml"
    manifests.write_text(yaml.safe_dump(deployment))
    assert main(["plan", str(manifests)]) == 2
    assert capsys.readouterr().err.endswith(
        "Deployment/web.spec.replicas: must be a whole number, not text\n"
    )


def test_a_fifo_named_like_a_manifest_in_a_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "manifests"
    folder.mkdir()
    (folder / "a.yaml").write_text(yaml.safe_dump(POD))
    os.mkfifo(folder / "b.yaml")
    (folder / "notes.txt").write_text("not read")
    out = tmp_path / "out"
    assert main(["plan", str(folder), "--out", str(out)]) == 2
    assert capsys.readouterr().err == (
        f"pod-advisor: error: {folder / 'b.yaml'}: is a FIFO (named pipe), not a regular file\n"
    )
    assert not out.exists()


def test_files_of_other_names_in_a_folder_are_passed_over(tmp_path: Path) -> None:
    folder = tmp_path / "manifests"
    folder.mkdir()
    (folder / "a.yaml").write_text(yaml.safe_dump(POD))
    os.mkfifo(folder / "pipe")
    (folder / "notes.yaml.d").mkdir()
    assert main(["plan", str(folder)]) == 0


def test_two_workloads_of_one_kind_name_and_namespace_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = mutated(("spec", "containers"), [{"name": "other", "image": "redis"}])
    elsewhere = mutated(("metadata", "namespace"), "staging")
    manifests = tmp_path / "m.yaml"
    manifests.write_text(yaml.safe_dump_all([POD, elsewhere, other], sort_keys=False))
    out = tmp_path / "out"
    assert main(["plan", str(manifests), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"pod-advisor: error: {manifests}:"), err
    assert err.endswith(
        f"Pod/web.metadata.name: a Pod of this name is read already, at {manifests}:4\n"
    )
    assert len(err.splitlines()) == 1
    assert not out.exists()
