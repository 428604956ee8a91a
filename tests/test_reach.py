"""A name counts as reached only where it stands as a host (a URL, ``host:port``, a host
variable's whole value, ``depends_on``, ``links``), and the port written there, or the image's
well-known one, becomes its Service's port."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from advisor.formats.rules import load_rules
from advisor.layout.reached import host_variable, hosts_in
from tests.helpers import plan_compose_files

PORTS = load_rules().ports


def service_ports(tmp_path: Path, services: dict[str, Any]) -> dict[str, list[int]]:
    """The Services pods.yaml writes for a compose file, with their ports."""
    documents, _ = plan_compose_files(tmp_path, services)
    return {
        d["metadata"]["name"]: [p["port"] for p in d["spec"].get("ports", [])]
        for d in documents
        if d["kind"] == "Service"
    }


def test_values_that_equal_a_service_name_but_are_no_host_reach_nothing(tmp_path):
    # The postgres image's own settings: the user, the database and the password are "app".
    services = {
        "app": {"image": "example/app:1", "expose": [8000]},
        "db": {
            "image": "postgres:16",
            "environment": {
                "POSTGRES_DB": "app",
                "POSTGRES_USER": "app",
                "POSTGRES_PASSWORD": "app",
                "DATABASE": "app",
                "APP_NAME": "app",
            },
        },
    }
    assert "app" not in service_ports(tmp_path, services)
    report = (tmp_path / "out" / "report.md").read_text()
    # (The password's name is listed with the Secret's keys, never as evidence of reach.)
    assert "reached as app" not in report and "env POSTGRES_PASSWORD" not in report


@pytest.mark.parametrize(
    ("name", "value", "found"),
    [
        ("DB_HOST", "db", [("db", None, False)]),
        ("REDIS_ADDR", "cache:6380", [("cache", 6380, False)]),
        ("KAFKA_BROKERS", "k1:9092,k2:9093", [("k1", 9092, False), ("k2", 9093, False)]),
        ("brokerUrl", "amqp://guest:guest@rabbit/", [("rabbit", 5672, True)]),
        ("MONGO", "mongodb://a:1,b:2/db?replicaSet=rs", [("a", 1, False), ("b", 2, False)]),
        ("CACHE", "memcached:11211", [("memcached", 11211, False)]),
        ("POSTGRES_USER", "db", []),
        ("POSTGRES_DB", "db", []),
        ("HOSTNAME", "db", []),  # the container's own name
        ("DB_HOST_PORT_NOTE", "db", []),
    ],
)
def test_a_host_stands_in_a_url_a_host_port_or_a_host_variable(name, value, found):
    assert list(hosts_in(value, PORTS, host_variable(name))) == found


def test_a_command_with_a_url_or_a_host_port_reaches_its_host():
    words = ("--db=postgres://db:5432/app", "wait-for", "cache:6379", "--name=worker")
    found = [h for w in words for h in hosts_in(w, PORTS)]
    assert found == [("db", 5432, False), ("cache", 6379, False)]


def test_the_port_in_a_url_becomes_the_service_port_of_a_target_declaring_none(tmp_path):
    services = {
        "app": {"image": "example/app:1", "environment": {"QUEUE": "redis://broker:6390/0"}},
        "broker": {"image": "example/broker:1"},
    }
    assert service_ports(tmp_path, services)["broker"] == [6390]


def test_a_host_variable_takes_its_port_from_the_port_variable_beside_it(tmp_path):
    services = {
        "app": {"image": "example/app:1", "environment": {"DB_HOST": "db", "DB_PORT": "5433"}},
        "db": {"image": "example/db:1"},
    }
    assert service_ports(tmp_path, services)["db"] == [5433]


def test_a_command_argument_reaches_its_host(tmp_path):
    services = {
        "app": {"image": "example/app:1", "command": ["serve", "--cache=memcached:11211"]},
        "memcached": {"image": "example/cache:1"},
    }
    assert service_ports(tmp_path, services)["memcached"] == [11211]


def test_a_well_known_image_reached_at_no_port_gets_its_usual_port_marked_assumed(tmp_path):
    services = {
        "app": {"image": "example/app:1", "environment": {"DB_HOST": "db"}},
        "db": {"image": "bitnami/postgresql:16"},
    }
    assert service_ports(tmp_path, services)["db"] == [5432]
    report = (tmp_path / "out" / "report.md").read_text()
    assert "port 5432 assumed, the usual port of postgresql images" in report


def test_a_target_reached_at_no_port_and_of_no_known_image_stays_headless(tmp_path):
    services = {
        "app": {"image": "example/app:1", "depends_on": ["worker"]},
        "worker": {"image": "example/worker:1"},
    }
    assert service_ports(tmp_path, services)["worker"] == []


def test_a_url_without_a_port_reaches_its_schemes_port_only_when_nothing_declares_one(tmp_path):
    services = {
        "web": {"image": "nginx", "environment": {"API": "http://api/", "AUTH": "http://auth/"}},
        "api": {"image": "example/api:1", "expose": [8080]},
        "auth": {"image": "example/auth:1"},
    }
    found = service_ports(tmp_path, services)
    assert (found["api"], found["auth"]) == ([8080], [80])
    report = (tmp_path / "out" / "report.md").read_text()
    assert "port 80 assumed from the URL scheme" in report
