"""``--network-policies``: ingress is denied to the application's pods but for the flows the
input names (a host in a URL or a variable, ``depends_on``, ``links``, published ports, the
localhost links of a split), each on its ports; the report lists every flow with why."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from helpers import K8S_VERSION

from advisor.cli import main
from tests.helpers import plan_compose_files

NAME = "app.kubernetes.io/name"
OUTSIDE: dict[str, str] = {}  # the labels of a client outside the application


def template_labels(document: dict[str, Any]) -> dict[str, str]:
    if document["kind"] == "Pod":
        return document["metadata"].get("labels") or {}
    spec = document["spec"]
    spec = spec["jobTemplate"]["spec"] if document["kind"] == "CronJob" else spec
    return spec["template"]["metadata"].get("labels") or {}


def pod_labels(documents: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """Each workload's pod labels, by the workload's name."""
    kinds = {"Pod", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"}
    return {d["metadata"]["name"]: template_labels(d) for d in documents if d["kind"] in kinds}


def selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    return selector.get("matchLabels", {}).items() <= labels.items()


def allowed(documents: list[dict[str, Any]], source: dict, target: dict, port: int) -> bool:
    """Whether the NetworkPolicies let a pod labelled ``source`` reach one labelled
    ``target`` at TCP ``port``, as the API's semantics say."""
    policies = [
        d
        for d in documents
        if d["kind"] == "NetworkPolicy" and selects(d["spec"]["podSelector"], target)
    ]
    if not policies:
        return True
    for policy in policies:
        for rule in policy["spec"].get("ingress", []):
            sources = rule.get("from")
            if sources is not None and not any(selects(s["podSelector"], source) for s in sources):
                continue
            ports = rule.get("ports")
            if ports is None or any(p["port"] == port and p["protocol"] == "TCP" for p in ports):
                return True
    return False


def planned(tmp_path: Path, services: dict[str, Any], *options: str) -> list[dict[str, Any]]:
    documents, _ = plan_compose_files(tmp_path, services, "--network-policies", *options)
    return documents


def report(tmp_path: Path) -> str:
    return (tmp_path / "out" / "report.md").read_text()


APP = {
    "web": {
        "image": "example/web:1",
        "ports": ["8000:80"],
        "environment": {"API_URL": "http://api:8080/", "API_USER": "worker"},
    },
    "api": {
        "image": "example/api:1",
        "expose": [8080],
        "environment": {"DATABASE_URL": "postgres://u:p@db:5432/app"},
    },
    "db": {"image": "postgres:16"},
    "worker": {"image": "example/worker:1", "depends_on": ["queue"]},
    "queue": {"image": "example/queue:1"},
}


def test_the_default_deny_selects_every_pod_of_the_application(tmp_path):
    documents = planned(tmp_path, APP)
    (deny,) = [d for d in documents if d["metadata"]["name"].endswith("default-deny-ingress")]
    assert deny["spec"]["policyTypes"] == ["Ingress"] and "ingress" not in deny["spec"]
    assert "egress" not in deny["spec"]  # egress stays open
    for labels in pod_labels(documents).values():
        assert selects(deny["spec"]["podSelector"], labels)


def test_a_pod_lets_in_the_pods_that_reach_it_on_the_port_they_use(tmp_path):
    documents = planned(tmp_path, APP)
    pods = pod_labels(documents)
    assert allowed(documents, pods["web"], pods["api"], 8080)
    assert not allowed(documents, pods["web"], pods["api"], 9999)
    assert not allowed(documents, pods["worker"], pods["api"], 8080)
    assert allowed(documents, pods["api"], pods["db"], 5432)
    assert not allowed(documents, pods["web"], pods["db"], 5432)


def test_a_value_that_equals_a_service_name_lets_nothing_in(tmp_path):
    documents = planned(tmp_path, APP)  # web's API_USER is "worker": no host
    pods = pod_labels(documents)
    assert not any(allowed(documents, pods["web"], pods["worker"], p) for p in (80, 8080))


def test_a_target_whose_port_nothing_says_lets_its_client_in_on_any_port(tmp_path):
    documents = planned(tmp_path, APP)
    pods = pod_labels(documents)
    assert allowed(documents, pods["worker"], pods["queue"], 12345)
    assert not allowed(documents, pods["web"], pods["queue"], 12345)


def test_a_published_port_lets_anyone_in_there_only(tmp_path):
    documents = planned(tmp_path, APP)
    pods = pod_labels(documents)
    assert allowed(documents, OUTSIDE, pods["web"], 80)
    assert not allowed(documents, OUTSIDE, pods["web"], 8000)  # the host's port, not the pod's
    assert not allowed(documents, OUTSIDE, pods["api"], 8080)


def test_a_port_an_ingress_routes_to_lets_anyone_in_there_only(tmp_path):
    # The Ingress controller runs outside the application: nothing says its labels.
    blog = {"image": "wordpress", "expose": [80, 9000]}
    blog["environment"] = {"VIRTUAL_HOST": "blog.example.org", "VIRTUAL_PORT": "80"}
    documents = planned(tmp_path, {"blog": blog})
    pods = pod_labels(documents)
    assert any(d["kind"] == "Ingress" for d in documents)
    assert allowed(documents, OUTSIDE, pods["blog"], 80)
    assert not allowed(documents, OUTSIDE, pods["blog"], 9000)


def test_the_report_lists_each_flow_with_its_evidence_and_what_it_cannot_see(tmp_path):
    planned(tmp_path, APP)
    text = report(tmp_path)
    assert "- pod web -> pod api on 8080/TCP: web reaches api (env API_URL)" in text
    assert "- anyone -> pod web on 80/TCP: compose publishes 8000:80 of web" in text
    assert "- pod worker -> pod queue on any port" in text
    assert "A name used only inside code or a configuration file" in text
    assert "added by hand" in text


def test_without_the_option_no_policy_is_written(tmp_path):
    documents, _ = plan_compose_files(tmp_path, APP)
    assert not [d for d in documents if d["kind"] == "NetworkPolicy"]
    assert "## Network" not in report(tmp_path)


def test_containers_of_one_pod_need_no_policy_between_them(tmp_path):
    services = {
        "app": {"image": "example/app:1", "environment": {"CACHE": "cache:6379"}},
        "cache": {"image": "example/cache:1"},
    }
    documents, _ = plan_compose_files(
        tmp_path, services, "--network-policies", together=["app + cache"]
    )
    (policy,) = [d for d in documents if d["kind"] == "NetworkPolicy"]
    assert policy["metadata"]["name"].endswith("default-deny-ingress")


# --- generated applications: every flow the evidence names is allowed, and no other --------


def generated(rng: random.Random) -> tuple[dict[str, Any], set[tuple[str, str, int | None]]]:
    """A compose application and the flows its evidence names: (source, target, port), the
    port None for any port, the source "" for anyone (a published port)."""
    names = [f"s{i}" for i in range(rng.randint(2, 7))]
    services: dict[str, Any] = {n: {"image": f"example/{n}:1", "environment": {}} for n in names}
    declared = {n: [rng.choice([80, 8080, 9000])] if rng.random() < 0.5 else [] for n in names}
    for name in names:
        if declared[name]:
            services[name]["expose"] = declared[name]
    written: dict[str, set[int]] = {n: set() for n in names}
    loose: set[tuple[str, str]] = set()  # reached at no written port
    exact: set[tuple[str, str, int]] = set()
    for a in names:
        env = services[a]["environment"]
        for b in names:
            if a == b:
                continue
            form = rng.choice(["none", "none", "host", "url", "hostport", "depends", "decoy"])
            key = f"{b.upper()}_"
            if form == "host":
                env[key + "HOST"] = b
                loose.add((a, b))
            elif form == "url":
                port = rng.choice([5432, 6379, 8080])
                env[key + "URL"] = f"http://user:pw@{b}:{port}/x"
                written[b].add(port)
                exact.add((a, b, port))
            elif form == "hostport":
                port = rng.choice([11211, 9092])
                env[key + "SERVERS"] = f"{b}:{port}"
                written[b].add(port)
                exact.add((a, b, port))
            elif form == "depends":
                services[a].setdefault("depends_on", []).append(b)
                loose.add((a, b))
            elif form == "decoy":
                env[key + rng.choice(["USER", "DB", "PASSWORD", "NAME", "DATABASE"])] = b
    flows: set[tuple[str, str, int | None]] = set(exact)
    for name in names:
        if rng.random() < 0.3:
            port = rng.choice([80, 443])
            services[name]["ports"] = [f"{port + 8000}:{port}"]
            declared[name].append(port)
            flows.add(("", name, port))
    for a, b in loose:
        ports = set(declared[b]) | written[b]
        flows |= {(a, b, p) for p in ports} if ports else {(a, b, None)}
    return services, flows


@pytest.mark.parametrize("seed", range(12))
def test_generated_apps_allow_every_flow_in_evidence_and_no_other(seed, tmp_path):
    services, flows = generated(random.Random(seed))
    documents = planned(tmp_path, services)
    pods = {**pod_labels(documents), "": OUTSIDE}
    probe_ports = {80, 443, 8080, 9000, 5432, 6379, 11211, 9092, 12345}
    for source in pods:
        for target in pods:
            if target == "" or source == target:
                continue
            for port in probe_ports:
                expected = (
                    any(flow in flows for flow in ((source, target, port), (source, target, None)))
                    or ("", target, port) in flows
                )  # a published port lets anyone in
                assert allowed(documents, pods[source], pods[target], port) == expected, (
                    source,
                    target,
                    port,
                )


# --- manifests that already run ------------------------------------------------------------

RUNNING = """\
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata: {name: app}
  spec:
    selector: {app: app}
    ports: [{port: 80, targetPort: http}]
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: app}
  spec:
    selector: {matchLabels: {app: app}}
    template:
      metadata: {labels: {app: app}}
      spec:
        containers:
        - name: app
          image: example/app:1
          ports: [{containerPort: 8000, name: http}]
          env: [{name: CACHE_URL, value: "redis://localhost:6379/0"}]
        - name: cache
          image: example/cache:1
          ports: [{containerPort: 6379}]
"""


def running(tmp_path: Path, answers: str) -> list[dict[str, Any]]:
    (tmp_path / "app.yaml").write_text(RUNNING)
    (tmp_path / "answers.yaml").write_text(answers)
    out = tmp_path / "out"
    arguments = ["plan", str(tmp_path / "app.yaml"), "--answers", str(tmp_path / "answers.yaml")]
    assert main([*arguments, "--out", str(out), "--network-policies", "--kustomize"]) == 0
    documents = list(yaml.safe_load_all((out / "pods.yaml").read_text()))
    for document in documents:
        kubernetes_validate.validate(document, K8S_VERSION, strict=True)
    return documents


SPLIT = "version: 1\npairs:\n  app + app-cache: {scale_together: no}\n"


def test_running_workloads_let_in_what_their_services_serve(tmp_path):
    documents = running(tmp_path, SPLIT)
    pods = pod_labels(documents)
    assert allowed(documents, OUTSIDE, pods["app"], 8000)  # Service app, targetPort http
    assert not allowed(documents, OUTSIDE, pods["app"], 6379)


def test_a_split_lets_the_localhost_client_in_on_the_port_it_used(tmp_path):
    documents = running(tmp_path, SPLIT)
    pods = pod_labels(documents)
    assert allowed(documents, pods["app"], pods["app-cache"], 6379)
    assert not allowed(documents, OUTSIDE, pods["app-cache"], 6379)
    text = report(tmp_path)
    assert "- workload app -> workload app-cache on 6379/TCP: app reaches app-cache over" in text


def test_a_link_alias_lets_the_linking_pod_in_on_the_targets_ports(tmp_path):
    services = {
        "web": {"image": "example/web:1", "links": ["db:database"]},
        "db": {"image": "example/db:1", "expose": [5432]},
    }
    documents = planned(tmp_path, services)
    pods = pod_labels(documents)
    assert allowed(documents, pods["web"], pods["db"], 5432)
    assert not allowed(documents, pods["web"], pods["db"], 5433)
    assert "web reaches database (links)" in report(tmp_path)
