"""A running pod whose containers talk over localhost, split: each variable or argument that
names localhost is in "Needs attention" with the Service name to write instead."""

from __future__ import annotations

from pathlib import Path

import yaml

from advisor.cli import main

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
