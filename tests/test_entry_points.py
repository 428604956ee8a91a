"""Every port compose publishes on the host is an entry point: a ClusterIP Service in front
of it, and a line in report.md's "How to reach it" saying how to open it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from advisor.cli import main
from tests.helpers import plan_compose_files


def services(tmp_path: Path, compose: dict[str, Any], *options: str) -> dict[str, Any]:
    documents, _ = plan_compose_files(tmp_path, compose, *options)
    return {d["metadata"]["name"]: d for d in documents if d["kind"] == "Service"}


def report(tmp_path: Path) -> str:
    return (tmp_path / "out" / "report.md").read_text()


def test_a_published_port_gets_a_clusterip_service_on_the_container_port(tmp_path):
    found = services(tmp_path, {"web": {"image": "example/web:1", "ports": ["8000:80"]}})
    spec = found["web"]["spec"]
    assert "clusterIP" not in spec and "type" not in spec  # ClusterIP, the default
    assert spec["ports"] == [{"name": "tcp-80", "port": 80, "targetPort": 80, "protocol": "TCP"}]


def test_an_exposed_port_is_no_entry_point(tmp_path):
    assert services(tmp_path, {"worker": {"image": "example/worker:1", "expose": [9000]}}) == {}


def test_the_report_says_how_to_open_each_entry_point(tmp_path):
    services(tmp_path, {"web": {"image": "example/web:1", "ports": ["8000:80", "9000"]}})
    text = report(tmp_path)
    assert "## How to reach it" in text
    assert "`kubectl port-forward svc/web 8000:80`, then open localhost:8000" in text
    assert "`kubectl port-forward svc/web 9000:9000`" in text  # Docker picked the host's port


def test_a_udp_entry_point_is_not_offered_a_port_forward(tmp_path):
    services(tmp_path, {"dns": {"image": "example/dns:1", "ports": ["53:53/udp"]}})
    line = next(line for line in report(tmp_path).splitlines() if "published 53:53/udp" in line)
    assert "does not carry" in line and "port-forward svc" not in line


def test_a_long_syntax_published_port_is_an_entry_point_with_its_host_port(tmp_path):
    compose = {"web": {"image": "example/web:1", "ports": [{"target": 80, "published": 8080}]}}
    assert [p["port"] for p in services(tmp_path, compose)["web"]["spec"]["ports"]] == [80]
    assert "`kubectl port-forward svc/web 8080:80`" in report(tmp_path)


def test_an_entry_point_reached_by_name_too_is_one_service(tmp_path):
    compose = {
        "api": {"image": "example/api:1", "ports": ["8080:8080"], "expose": [9090]},
        "web": {"image": "example/web:1", "environment": {"API_URL": "http://api:8080"}},
    }
    found = services(tmp_path, compose)
    assert set(found) == {"api"}
    assert [p["port"] for p in found["api"]["spec"]["ports"]] == [8080, 9090]


def test_an_entry_point_whose_name_another_pods_service_holds_is_flagged(tmp_path):
    # api answers to "web" on the network and is reached so: web's own entry Service clashes.
    compose = {
        "api": {
            "image": "example/api:1",
            "expose": [8080],
            "networks": {"default": {"aliases": ["web"]}},
        },
        "client": {"image": "example/client:1", "environment": {"TARGET": "web:8080"}},
        "web": {"image": "example/web:1", "ports": ["80:80"]},
    }
    documents, layout = plan_compose_files(tmp_path, compose)
    (web,) = [d for d in documents if d["kind"] == "Service" and d["metadata"]["name"] == "web"]
    assert web["spec"]["selector"] == {"app.kubernetes.io/name": "api"}
    texts = [i["what"] for i in layout["needs_attention"] if i["subject"] == "web"]
    assert any("its Service would be named 'web', which pod api's" in t for t in texts)


def test_with_services_an_entry_point_merges_into_its_pods_service(tmp_path):
    found = services(
        tmp_path, {"web": {"image": "example/web:1", "ports": ["80:80"]}}, "--services"
    )
    assert list(found) == ["web"]


RUNNING = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: example/web:1
        ports: [{containerPort: 80, hostPort: 8080}]
"""


def test_running_manifests_get_no_entry_point_services(tmp_path):
    (tmp_path / "app.yaml").write_text(RUNNING)
    out = tmp_path / "out"
    assert main(["plan", str(tmp_path / "app.yaml"), "--out", str(out)]) == 0
    kinds = [d["kind"] for d in yaml.safe_load_all((out / "pods.yaml").read_text())]
    assert kinds == ["Deployment"]
    assert "## How to reach it" not in (out / "report.md").read_text()
