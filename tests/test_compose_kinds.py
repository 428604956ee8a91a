"""Kinds from strong signals, the user's answer last: the Docker socket is something to
check, not a node agent; the node's logs, /proc, /sys and ``deploy.mode: global`` are; a
role the user gives decides the kind over any of them; datastores are recognised under a
vendor's prefix."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
import yaml
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from advisor.cli import main
from advisor.domain.images import is_datastore
from advisor.engine.questionnaire import Questionnaire
from advisor.exporters.kubernetes import manifests
from advisor.formats.compose.reader import load_compose
from advisor.layout.advice import advise
from advisor.terminal.session import run_session

DOWN = "\x1b[B"
UP = "\x1b[A"
SOCKET = "/var/run/docker.sock:/var/run/docker.sock"


def project(folder: Path, services: dict[str, Any], answers: dict[str, Any] | None = None) -> Path:
    compose = folder / "compose.yaml"
    compose.write_text(yaml.safe_dump({"services": services}))
    if answers is not None:
        (folder / "answers.yaml").write_text(yaml.safe_dump({"version": 1, **answers}))
    return compose


def plan(compose: Path) -> tuple[dict[str, str], dict[str, Any], str]:
    """Each workload's kind by name, layout.yaml and report.md of ``plan``."""
    out = compose.parent / "out"
    answers = compose.parent / "answers.yaml"
    given = ["--answers", str(answers)] if answers.exists() else []
    assert main(["plan", str(compose), "--out", str(out), *given]) == 0
    documents = [d for d in yaml.safe_load_all((out / "pods.yaml").read_text()) if d]
    kinds = {d["metadata"]["name"]: d["kind"] for d in documents if d["kind"] != "Service"}
    layout = yaml.safe_load((out / "layout.yaml").read_text())
    return kinds, layout, (out / "report.md").read_text()


def test_the_docker_socket_alone_makes_no_node_agent(tmp_path: Path) -> None:
    compose = project(tmp_path, {"worker": {"image": "example/tasks:1", "volumes": [SOCKET]}})
    kinds, layout, _ = plan(compose)
    assert kinds == {"worker": "Deployment"}
    notes = [item["what"] for item in layout["needs_attention"] if item["subject"] == "worker"]
    assert any(
        "the Docker socket /var/run/docker.sock is left out" in note
        and "has no Docker socket" in note
        and "fails" in note
        for note in notes
    ), notes
    assert "docker.sock" not in (tmp_path / "out" / "pods.yaml").read_text()


@pytest.mark.parametrize(
    "signal",
    [
        {"volumes": ["/var/log:/host/log:ro"]},
        {"volumes": ["/proc:/host/proc:ro"]},
        {"volumes": ["/sys:/host/sys:ro"]},
        {"volumes": ["/var/lib/docker/containers:/containers:ro", SOCKET]},
        {"deploy": {"mode": "global"}},
    ],
    ids=["var-log", "proc", "sys", "container-logs", "global"],
)
def test_node_paths_and_global_mode_still_make_a_node_agent(
    tmp_path: Path, signal: dict[str, Any]
) -> None:
    compose = project(tmp_path, {"collector": {"image": "example/collector:1", **signal}})
    assert plan(compose)[0] == {"collector": "DaemonSet"}


def test_a_primary_application_the_user_named_is_no_node_agent(tmp_path: Path) -> None:
    # The task worker: evidence of a node agent, and the user's answer against it.
    worker = {"image": "example/tasks:1", "volumes": [SOCKET, "/var/log:/host/log:ro"]}
    compose = project(tmp_path, {"worker": worker}, {"roles": {"worker": "primary"}})
    kinds, _, report = plan(compose)
    assert kinds == {"worker": "Deployment"}
    assert "you named worker a primary application" in report


@pytest.mark.parametrize(
    "evidence",
    [{"restart": "no"}, {"labels": {"pod-advisor.schedule": "0 3 * * *"}}],
    ids=["restart-no", "schedule"],
)
def test_a_primary_application_the_user_named_is_no_job(
    tmp_path: Path, evidence: dict[str, Any]
) -> None:
    compose = project(
        tmp_path,
        {"worker": {"image": "example/tasks:1", **evidence}},
        {"roles": {"worker": "primary"}},
    )
    assert plan(compose)[0] == {"worker": "Deployment"}


def test_a_node_agent_the_user_named_is_one_without_evidence(tmp_path: Path) -> None:
    compose = project(
        tmp_path,
        {"agent": {"image": "example/agent:1"}},
        {"roles": {"agent": "primary"}, "workloads": {"agent": "daemonset"}},
    )
    assert plan(compose)[0] == {"agent": "DaemonSet"}


def test_a_named_primary_datastore_keeps_its_own_data(tmp_path: Path) -> None:
    db = {"image": "bitnami/postgresql:16", "volumes": ["data:/bitnami"], "restart": "no"}
    compose = project(tmp_path, {"db": db}, {"roles": {"db": "primary"}})
    (tmp_path / "compose.yaml").write_text(
        yaml.safe_dump({"services": {"db": db}, "volumes": {"data": {}}})
    )
    assert plan(compose)[0] == {"db": "StatefulSet"}


def test_confirmed_inventory_roles_leave_the_evidence_its_say(tmp_path: Path) -> None:
    # Every service labelled primary, the labels confirmed: no word on how each runs.
    labelled = {"labels": {"pod-advisor.role": "primary"}}
    services = {
        "web": {"image": "nginx", **labelled},
        "shipper": {"image": "example/shipper:1", "volumes": ["/var/log:/l:ro"], **labelled},
    }
    compose = project(tmp_path, services, {"roles": {"web": "primary", "shipper": "primary"}})
    assert plan(compose)[0] == {"web": "Deployment", "shipper": "DaemonSet"}


def drive(questionnaire: Questionnaire, keys: str) -> None:
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()  # more questions than keys: Ctrl-D, not a wait
        with contextlib.suppress(EOFError):
            run_session(questionnaire, lambda: None, input=pipe, output=DummyOutput())


@pytest.mark.parametrize(
    ("keys", "kind"),
    # The roles screen shows shipper as a node agent: Enter keeps it; or "Change shipper",
    # then "a primary application" in its list (two above the preselected node agent), then
    # Enter keeps the rest. Last, "write" in the review.
    [("\r\r", "DaemonSet"), (DOWN + "\r" + UP * 2 + "\r" + "\r\r", "Deployment")],
    ids=["default-node-agent", "primary-application"],
)
def test_the_role_question_offers_the_evidence_and_the_answer_decides(
    tmp_path: Path, rules: Any, keys: str, kind: str
) -> None:
    shipper = {"image": "example/shipper:1", "volumes": ["/var/log:/l"]}
    compose = project(tmp_path, {"shipper": shipper, "web": {"image": "example/web:1"}})
    questionnaire = Questionnaire(load_compose(compose), rules)
    drive(questionnaire, keys)
    kinds = {d["metadata"]["name"]: d["kind"] for d in manifests(advise(questionnaire))}
    assert kinds == {"shipper": kind, "web": "Deployment"}


@pytest.mark.parametrize(
    "image",
    [
        "someorg/someorg-postgresql:14",
        "bitnami/postgresql:16",
        "supabase/postgres:15",
        "bitnami/mariadb-galera:11",
        "yobasystems/alpine-mariadb",
        "mysql/mysql-server:8.0",
        "percona/percona-server-mongodb:7",
        "valkey/valkey:8",
        "eqalpha/keydb",
        "docker.elastic.co/elasticsearch/elasticsearch:8.15.0",
        "opensearchproject/opensearch:2",
        "cassandra:5",
        "clickhouse/clickhouse-server:24",
        "mcr.microsoft.com/mssql/server:2022-latest",
        "registry.example.com:5000/team/redis-stack-server",
    ],
)
def test_datastores_are_recognised_under_vendor_names(image: str) -> None:
    assert is_datastore(image)


@pytest.mark.parametrize(
    "image",
    [
        "prometheuscommunity/postgres-exporter",
        "oliver006/redis_exporter",
        "mongo-express:1",
        "rediscommander/redis-commander",
        "postgrest/postgrest",
        "opensearchproject/opensearch-dashboards:2",
        "dpage/pgadmin4",
        "edoburu/pgbouncer",
        "example/webapp:1",
    ],
)
def test_tools_around_a_datastore_are_not_one(image: str) -> None:
    assert not is_datastore(image)


def test_a_vendor_datastore_with_its_own_volume_is_a_stateful_set(tmp_path: Path) -> None:
    compose = tmp_path / "compose.yaml"
    compose.write_text(
        "services:\n  db:\n    image: someorg/someorg-postgresql:14\n"
        "    volumes: [pgdata:/var/lib/postgresql/data]\nvolumes:\n  pgdata: {}\n"
    )
    assert plan(compose)[0] == {"db": "StatefulSet"}
