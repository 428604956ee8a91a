"""A running pod whose containers talk over localhost, split: each variable or argument that
names localhost is in "Needs attention" with the Service name to write instead."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from helpers import assert_valid_pod

from advisor.cli import main
from advisor.formats.application import load_application

APP = """\
apiVersion: apps/v1
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
        ports: [{containerPort: 8000}]
        args: [--cache=localhost:6379]
        env:
        - {name: DB_HOST, value: "127.0.0.1:3306"}
        - {name: QUEUE_URL, value: "redis://localhost:6379/0"}
      - name: mysql
        image: mysql:8
        ports: [{containerPort: 3306}]
      - name: cache
        image: redis:7
        ports: [{containerPort: 6379}]
"""
APART = """\
version: 1
pairs:
  app + app-mysql: {scale_together: no}
  app + app-cache: {scale_together: no}
  app-cache + app-mysql: {scale_together: no}
"""


def attention(tmp_path: Path, answers: str) -> list[str]:
    (tmp_path / "app.yaml").write_text(APP)
    (tmp_path / "answers.yaml").write_text(answers)
    out = tmp_path / "out"
    given = ["--answers", str(tmp_path / "answers.yaml")]
    assert main(["plan", str(tmp_path / "app.yaml"), *given, "--out", str(out)]) == 0
    layout = yaml.safe_load((out / "layout.yaml").read_text())
    return [f"{i['subject']}: {i['what']}" for i in layout["needs_attention"]]


def test_a_host_variable_on_localhost_names_the_service_to_use(tmp_path):
    found = attention(tmp_path, APART)
    line = next(t for t in found if "DB_HOST" in t)
    assert line.startswith("app: DB_HOST=127.0.0.1:3306 reaches app-mysql over localhost")
    assert "set DB_HOST=app-mysql:3306 (Service app-mysql)" in line


def test_a_url_on_localhost_names_the_service_to_use(tmp_path):
    line = next(t for t in attention(tmp_path, APART) if "QUEUE_URL" in t)
    assert "set QUEUE_URL=redis://app-cache:6379/0 (Service app-cache)" in line


def test_an_argument_on_localhost_names_the_service_to_use(tmp_path):
    line = next(t for t in attention(tmp_path, APART) if "--cache" in t)
    assert "write --cache=app-cache:6379 (Service app-cache)" in line


def test_a_pod_kept_whole_needs_no_change_to_its_localhost_names(tmp_path):
    assert not any("localhost" in t for t in attention(tmp_path, "version: 1\n"))


def test_running_manifests_are_not_told_to_add_services(tmp_path):
    assert not any("--services" in t for t in attention(tmp_path, APART))


# redis declares no port: only its image says it listens on 6379 (rules/ports.yaml).
SHOP = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: shop}
spec:
  selector: {matchLabels: {app: shop}}
  template:
    metadata: {labels: {app: shop}}
    spec:
      containers:
      - name: app
        image: example/shop:1
        ports: [{containerPort: 8000}]
        env:
        - {name: CACHE_URL, value: "redis://localhost:6379/0"}
        - {name: DB_HOST, value: "127.0.0.1:3306"}
      - name: mysql
        image: mysql:8
        ports: [{containerPort: 3306}]
      - name: redis
        image: redis:7
"""
ALL_PRIMARY = "version: 1\nroles: {shop-app: primary, shop-mysql: primary, shop-redis: primary}\n"


def split_shop(tmp_path: Path, manifest: str = SHOP) -> tuple[str, list[dict[str, Any]]]:
    """report.md and the documents of pods.yaml, each checked strictly."""
    (tmp_path / "m.yaml").write_text(manifest)
    (tmp_path / "a.yaml").write_text(ALL_PRIMARY)
    out = tmp_path / "out"
    given = ["--answers", str(tmp_path / "a.yaml"), "--network-policies", "--out", str(out)]
    assert main(["plan", str(tmp_path / "m.yaml"), *given]) == 0
    documents = list(yaml.safe_load_all((out / "pods.yaml").read_text()))
    for document in documents:
        assert_valid_pod(document)
    return (out / "report.md").read_text(), documents


def test_a_localhost_url_reaching_an_image_s_undeclared_port_names_the_service(tmp_path):
    report, _ = split_shop(tmp_path)
    attention = report.split("## Needs attention")[1].split("\n## ")[0]
    assert (
        "CACHE_URL=redis://localhost:6379/0 reaches shop-redis over localhost, which a split "
        "puts in another pod: set CACHE_URL=redis://shop-redis:6379/0 (Service shop-redis)"
    ) in attention


def test_the_image_reached_on_its_undeclared_port_gets_a_service_on_it(tmp_path):
    _, documents = split_shop(tmp_path)
    service = next(
        d for d in documents if d["kind"] == "Service" and d["metadata"]["name"] == "shop-redis"
    )
    assert [(p["port"], p["targetPort"]) for p in service["spec"]["ports"]] == [(6379, 6379)]


def test_the_pod_reaching_an_image_s_undeclared_port_is_let_in_on_it(tmp_path):
    _, documents = split_shop(tmp_path)
    policy = next(
        d
        for d in documents
        if d["kind"] == "NetworkPolicy" and d["metadata"]["name"] == "shop-redis-ingress"
    )
    assert policy["spec"]["ingress"] == [
        {"from": [{"podSelector": {"matchLabels": {"app": "shop"}}}],
         "ports": [{"port": 6379, "protocol": "TCP"}]}
    ]  # fmt: skip


def test_two_members_of_one_image_leave_its_undeclared_port_unattributed(tmp_path):
    twins = SHOP + "      - name: sessions\n        image: redis:7\n"
    (tmp_path / "m.yaml").write_text(twins)
    inventory = load_application(tmp_path / "m.yaml")
    assert not [link for link in inventory.links if "CACHE_URL" in link.where]
