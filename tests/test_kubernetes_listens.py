"""Where a container of a manifest listens on the loopback address only."""

from __future__ import annotations

from advisor.domain.running import Listen
from advisor.formats.kubernetes.listens import loopback_listens


def test_a_host_option_listens_on_the_port_beside_it() -> None:
    spec = {"args": ["--host=127.0.0.1", "--port=8081", "--telemetry-host=127.0.0.1",
                     "--telemetry-port=8082"]}  # fmt: skip
    assert loopback_listens(spec) == (
        Listen("args[0] --host=127.0.0.1", 8081),
        Listen("args[2] --telemetry-host=127.0.0.1", 8082),
    )


def test_a_listen_or_bind_address_gives_its_port_in_the_value() -> None:
    spec = {"command": ["manager", "--metrics-bind-address=127.0.0.1:8080",
                        "--listen-address", "localhost:9000"]}  # fmt: skip
    assert loopback_listens(spec) == (
        Listen("command[1] --metrics-bind-address=127.0.0.1:8080", 8080),
        Listen("command[2] --listen-address localhost:9000", 9000),
    )


def test_an_env_variable_that_sets_the_host() -> None:
    spec = {"env": [{"name": "HOST", "value": "127.0.0.1"}, {"name": "PORT", "value": "3000"}]}
    assert loopback_listens(spec) == (Listen("env HOST=127.0.0.1", 3000),)


def test_a_server_the_container_reaches_is_no_listen() -> None:
    spec = {
        "args": ["--upstream=http://127.0.0.1:8081/", "--db-host=localhost"],
        "env": [{"name": "DATABASE_URL", "value": "localhost:5432"}],
    }
    assert loopback_listens(spec) == ()


def test_a_listen_on_every_address_is_none_of_these() -> None:
    assert loopback_listens({"args": ["--host=0.0.0.0", "--listen-address=:8443"]}) == ()
