"""Settings apart from secrets: an env_file's plain values in a ConfigMap, its secret ones in a
Secret, both read with envFrom; the report names which key went where, never a value."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from helpers import K8S_VERSION, pods_of

from advisor.cli import main
from advisor.domain.secretnames import secret_name, secret_value


def project(tmp_path: Path, env_file: str, service: dict[str, Any]) -> Path:
    (tmp_path / "app.env").write_text(env_file)
    compose = tmp_path / "compose.yaml"
    data = {"services": {"web": {"image": "web:1", "env_file": "app.env", **service}}}
    compose.write_text(yaml.safe_dump(data))
    return compose


def planned(compose: Path) -> tuple[list[dict[str, Any]], str]:
    out = compose.parent / "out"
    assert main(["plan", str(compose), "--out", str(out)]) == 0
    documents = [d for d in yaml.safe_load_all((out / "pods.yaml").read_text()) if d]
    for document in documents:
        kubernetes_validate.validate(document, K8S_VERSION, strict=True)
    return documents, (out / "report.md").read_text()


def by_kind(documents: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in documents if d["kind"] == kind}


def web(documents: list[dict[str, Any]]) -> dict[str, Any]:
    (pod,) = pods_of(documents)
    return pod["spec"]["containers"][0]  # type: ignore[no-any-return]


ENV_FILE = (
    "SITE_URL=https://shop.example.com\n"
    "LOG_LEVEL=info\n"
    "SECRET_KEY_BASE=f00d\n"
    "API_KEY=abc123\n"
    "DATABASE_URL=postgres://app:hunter2@db/app\n"
    "KEYBOARD_LAYOUT=us\n"
)


def test_an_env_files_settings_go_to_a_config_map_and_its_secrets_to_a_secret(
    tmp_path: Path,
) -> None:
    documents, _ = planned(project(tmp_path, ENV_FILE, {}))
    config = by_kind(documents, "ConfigMap")["web-env"]["data"]
    assert config == {
        "SITE_URL": "https://shop.example.com",
        "LOG_LEVEL": "info",
        "KEYBOARD_LAYOUT": "us",
    }
    secret = by_kind(documents, "Secret")["web-env"]["data"]
    assert {k: base64.b64decode(v).decode() for k, v in secret.items()} == {
        "SECRET_KEY_BASE": "f00d",
        "API_KEY": "abc123",
        "DATABASE_URL": "postgres://app:hunter2@db/app",
    }


def test_both_objects_are_read_whole_with_env_from(tmp_path: Path) -> None:
    documents, _ = planned(project(tmp_path, ENV_FILE, {}))
    container = web(documents)
    assert container["envFrom"] == [
        {"configMapRef": {"name": "web-env"}},
        {"secretRef": {"name": "web-env"}},
    ]
    assert "env" not in container


def test_no_secret_value_is_in_a_config_map(tmp_path: Path) -> None:
    documents, _ = planned(project(tmp_path, ENV_FILE, {}))
    text = yaml.safe_dump_all(by_kind(documents, "ConfigMap").values())
    for value in ("f00d", "abc123", "hunter2"):
        assert value not in text


def test_environment_over_an_env_file_value_stays_on_the_container(tmp_path: Path) -> None:
    service = {"environment": {"LOG_LEVEL": "debug", "API_KEY": "override"}}
    documents, _ = planned(project(tmp_path, ENV_FILE, service))
    container = web(documents)
    assert container["env"] == [
        {"name": "LOG_LEVEL", "value": "debug"},
        {"name": "API_KEY", "valueFrom": {"secretKeyRef": {"name": "web-env", "key": "API_KEY"}}},
    ]
    # env wins over envFrom in Kubernetes, as environment over env_file in compose.
    assert "LOG_LEVEL" not in by_kind(documents, "ConfigMap")["web-env"]["data"]
    secret = by_kind(documents, "Secret")["web-env"]["data"]
    assert base64.b64decode(secret["API_KEY"]) == b"override"


def test_a_plain_env_file_makes_no_secret(tmp_path: Path) -> None:
    documents, _ = planned(project(tmp_path, "TZ=UTC\n", {}))
    assert by_kind(documents, "Secret") == {}
    assert web(documents)["envFrom"] == [{"configMapRef": {"name": "web-env"}}]


def test_the_report_lists_where_each_name_went_without_values(tmp_path: Path) -> None:
    service = {"environment": {"DB_PASSWORD": "pw1234"}}
    _, report = planned(project(tmp_path, ENV_FILE, service))
    section = report.split("## Settings and secrets", 1)[1].split("\n## ", 1)[0]
    assert (
        "- web: ConfigMap web-env (envFrom): SITE_URL, LOG_LEVEL, KEYBOARD_LAYOUT; "
        "Secret web-env (envFrom): SECRET_KEY_BASE, API_KEY, DATABASE_URL; "
        "Secret web-env (secretKeyRef): DB_PASSWORD"
    ) in section
    for value in ("shop.example.com", "f00d", "abc123", "hunter2", "pw1234"):
        assert value not in section


@pytest.mark.parametrize(
    "name",
    [
        "API_KEY",
        "WP_AUTH_SALT",
        "GOOGLE_CREDENTIAL",
        "SSH_PRIVATE",
        "apiKey",
        "DB_PASSWD",
        # a secret word glued to another, at either end
        "SECRETKEY",
        "PASSPHRASE",
        "PASSWORDS",
        "TOKENS",
    ],
)
def test_more_names_that_say_secret(name: str) -> None:
    assert secret_name(name)


@pytest.mark.parametrize("name", ["KEYBOARD", "MONKEY_MODE", "SALTY_SNACK", "PUBLIC_URL"])
def test_names_with_a_secret_word_inside_another_word_do_not(name: str) -> None:
    assert not secret_name(name)


@pytest.mark.parametrize(
    "value",
    [
        "host=db user=app password=hunter2 dbname=app",
        "Server=db;Database=app;User Id=sa;Password=hunter2;",
        "Driver={PostgreSQL};Server=db;Pwd=hunter2",
        "mysql:host=db;dbname=app?password=x",
    ],
)
def test_dsns_with_a_password_hold_a_secret(value: str) -> None:
    assert secret_value(value)


@pytest.mark.parametrize("value", ["host=db user=app dbname=app", "password=", "reset-password=1"])
def test_dsns_without_a_password_do_not(value: str) -> None:
    assert not secret_value(value)


PEM = "-----BEGIN RSA PRIVATE KEY-----MIIEpAIBAAKCAQEA-----END RSA PRIVATE KEY-----"


def test_a_private_key_in_a_value_goes_to_the_secret_whatever_its_name(tmp_path: Path) -> None:
    env_file = f"SAML_IDP_CERT={PEM}\nSITE=https://example.org\n"
    documents, _ = planned(project(tmp_path, env_file, {"environment": {"CERT_PEM": PEM}}))
    config_maps = yaml.safe_dump_all(by_kind(documents, "ConfigMap").values())
    workloads = yaml.safe_dump_all(d for d in documents if d["kind"] == "Deployment")
    assert "PRIVATE KEY" not in config_maps and "PRIVATE KEY" not in workloads
    assert "SITE" in config_maps  # the setting beside it stays a setting
