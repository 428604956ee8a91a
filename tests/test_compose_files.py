"""The files docker compose reads for a project: the override file, -f, COMPOSE_FILE,
include:, merged by the Compose Specification's rules; and what compose refuses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from advisor.cli import main
from advisor.domain.errors import InputError
from advisor.formats.compose.merge import merge_files, tag_source
from advisor.formats.compose.reader import load_compose
from advisor.formats.yamlfile import parse_yaml

DATA = Path(__file__).parent / "data" / "compose_merge"
REPO = Path(__file__).parent.parent


def write(folder: Path, name: str, data: Any) -> Path:
    """A YAML file from a dict (or raw text) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
    return path


def plain(data: Any) -> Any:
    """A loaded tree as plain dicts and lists, for comparing."""
    if isinstance(data, dict):
        return {key: plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [plain(value) for value in data]
    return data


@pytest.fixture(autouse=True)
def no_compose_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("COMPOSE_FILE", "COMPOSE_PROFILES", "COMPOSE_PATH_SEPARATOR", "TAG"):
        monkeypatch.delenv(name, raising=False)


# --- the merge rules -----------------------------------------------------------------

SPEC = yaml.safe_load((DATA / "spec_examples.yaml").read_text())


@pytest.mark.parametrize("example", sorted(SPEC))
def test_merge_gives_the_compose_specifications_own_examples(example: str) -> None:
    case = SPEC[example]
    base = parse_yaml(yaml.safe_dump(case["base"]), "base.yaml")
    override = parse_yaml(yaml.safe_dump(case["override"]), "override.yaml")
    assert plain(merge_files(base, override)) == case["result"]


def loaded(text: str, source: str) -> Any:
    data = parse_yaml(text, source)
    tag_source(data, source)
    return data


def merged(base: str, override: str) -> Any:
    return plain(merge_files(loaded(base, "a.yaml"), loaded(override, "b.yaml")))


def test_environment_map_and_list_merge_by_variable() -> None:
    result = merged(
        "services: {a: {environment: {A: '1', B: '2'}}}",
        "services: {a: {environment: [B=3, C=4]}}",
    )
    assert result["services"]["a"]["environment"] == ["A=1", "B=3", "C=4"]


def test_ports_merge_by_their_key_and_append_new_ones() -> None:
    result = merged(
        "services: {a: {ports: ['8080:80', '443:443']}}",
        "services: {a: {ports: ['8080:80', '9090:90']}}",
    )
    assert result["services"]["a"]["ports"] == ["8080:80", "443:443", "9090:90"]


def test_entrypoint_and_healthcheck_test_are_replaced() -> None:
    result = merged(
        "services: {a: {entrypoint: [x, y], healthcheck: {test: [CMD, a], retries: 3}}}",
        "services: {a: {entrypoint: [z], healthcheck: {test: [CMD, b]}}}",
    )
    assert result["services"]["a"]["entrypoint"] == ["z"]
    assert result["services"]["a"]["healthcheck"] == {"test": ["CMD", "b"], "retries": 3}


def test_depends_on_list_and_mapping_merge_as_mappings() -> None:
    result = merged(
        "services: {a: {depends_on: [db]}}",
        "services: {a: {depends_on: {cache: {condition: service_healthy}}}}",
    )
    assert set(result["services"]["a"]["depends_on"]) == {"db", "cache"}


def test_an_anchor_shared_by_two_services_changes_only_in_the_one_overridden() -> None:
    result = merged(
        "x-env: &env {A: '1'}\nservices:\n  a: {environment: *env}\n  b: {environment: *env}\n",
        "services: {a: {environment: {A: '2'}}}",
    )
    assert result["services"]["b"]["environment"] == {"A": "1"}


def test_a_list_over_a_mapping_is_refused_naming_the_overriding_file() -> None:
    with pytest.raises(InputError, match=r"^b.yaml:1:16: services.a.deploy: a list cannot"):
        merged("services: {a: {deploy: {replicas: 2}}}", "services: {a: {deploy: [x]}}")


# --- which files ---------------------------------------------------------------------


def project(folder: Path) -> Path:
    """compose.yaml + compose.override.yaml + .env, as a project commonly ships them."""
    write(folder, ".env", "TAG=1.27\n")
    write(folder, "compose.override.yaml", {"services": {"web": {"environment": {"MODE": "dev"}}}})
    return write(folder, "compose.yaml", {"services": {"web": {"image": "nginx:${TAG}"}}})


def test_the_override_file_beside_compose_yaml_is_merged(tmp_path: Path) -> None:
    web = load_compose(project(tmp_path)).containers[0]
    assert (web.image, web.env) == ("nginx:1.27", (("MODE", "dev"),))


def test_the_inventory_names_every_file_read(tmp_path: Path) -> None:
    inventory = load_compose(project(tmp_path))
    assert inventory.files == (
        str(tmp_path / "compose.yaml"),
        str(tmp_path / "compose.override.yaml"),
    )


def test_a_file_of_its_own_name_is_read_alone(tmp_path: Path) -> None:
    project(tmp_path)
    path = write(tmp_path, "app.yaml", {"services": {"web": {"image": "nginx"}}})
    assert load_compose(path).containers[0].env == ()


def test_docker_compose_yml_takes_its_override_too(tmp_path: Path) -> None:
    write(tmp_path, "docker-compose.override.yml", {"services": {"web": {"image": "nginx:2"}}})
    path = write(tmp_path, "docker-compose.yml", {"services": {"web": {"image": "nginx:1"}}})
    assert load_compose(path).containers[0].image == "nginx:2"


def test_compose_file_in_dotenv_names_the_files(tmp_path: Path) -> None:
    project(tmp_path)
    write(tmp_path, "prod.yaml", {"services": {"web": {"environment": {"MODE": "prod"}}}})
    (tmp_path / ".env").write_text("TAG=1.27\nCOMPOSE_FILE=compose.yaml:prod.yaml\n")
    assert load_compose(tmp_path / "compose.yaml").containers[0].env == (("MODE", "prod"),)


def test_compose_file_from_the_environment_wins_over_dotenv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path)
    write(tmp_path, "prod.yaml", {"services": {"web": {"environment": {"MODE": "prod"}}}})
    (tmp_path / ".env").write_text("TAG=1.27\nCOMPOSE_FILE=compose.yaml\n")
    monkeypatch.setenv("COMPOSE_FILE", "compose.yaml;prod.yaml")
    monkeypatch.setenv("COMPOSE_PATH_SEPARATOR", ";")
    assert load_compose(tmp_path / "compose.yaml").containers[0].env == (("MODE", "prod"),)


def test_compose_profiles_in_dotenv_brings_in_a_profile(tmp_path: Path) -> None:
    project(tmp_path)
    write(
        tmp_path,
        "compose.override.yaml",
        {"services": {"dbg": {"image": "busybox", "profiles": ["debug"]}}},
    )
    (tmp_path / ".env").write_text("TAG=1\nCOMPOSE_PROFILES=debug\n")
    assert [c.name for c in load_compose(tmp_path / "compose.yaml").containers] == ["web", "dbg"]


def test_f_files_are_merged_in_order_without_the_override(tmp_path: Path) -> None:
    base = project(tmp_path)
    other = write(tmp_path, "other.yaml", {"services": {"web": {"image": "nginx:2"}}})
    web = load_compose(base, (base, other)).containers[0]
    assert (web.image, web.env) == ("nginx:2", ())


def test_an_error_in_the_override_names_the_override_file(tmp_path: Path) -> None:
    project(tmp_path)
    write(tmp_path, "compose.override.yaml", "services:\n  web:\n    ports: ['99999:80']\n")
    with pytest.raises(InputError) as caught:
        load_compose(tmp_path / "compose.yaml")
    assert str(caught.value).startswith(f"{tmp_path / 'compose.override.yaml'}:3:")


def test_an_overlay_service_without_image_or_build_is_refused(tmp_path: Path) -> None:
    project(tmp_path)
    write(tmp_path, "compose.override.yaml", "services:\n  worker:\n    command: [run]\n")
    with pytest.raises(
        InputError, match=r"compose.override.yaml:3:5: services.worker: has neither"
    ):
        load_compose(tmp_path / "compose.yaml")


def test_a_build_only_service_gets_the_image_compose_would_build(tmp_path: Path) -> None:
    path = write(tmp_path, "compose.yaml", {"name": "shop", "services": {"api": {"build": "."}}})
    assert load_compose(path).containers[0].image == "shop-api"


# --- include -------------------------------------------------------------------------


def test_include_brings_in_services_with_paths_relative_to_the_included_file(
    tmp_path: Path,
) -> None:
    write(tmp_path / "db", "db.env", "PGDATA=/data\n")
    write(
        tmp_path / "db",
        "compose.yaml",
        {"services": {"db": {"image": "postgres", "env_file": "db.env"}}},
    )
    path = write(
        tmp_path,
        "compose.yaml",
        {"include": ["db/compose.yaml"], "services": {"web": {"image": "nginx"}}},
    )
    inventory = load_compose(path)
    assert inventory.container("db").env == (("PGDATA", "/data"),)


def test_include_long_form_reads_its_env_file(tmp_path: Path) -> None:
    write(tmp_path / "db", "db.env", "VERSION=16\n")
    write(tmp_path / "db", "compose.yaml", {"services": {"db": {"image": "postgres:${VERSION}"}}})
    path = write(
        tmp_path,
        "compose.yaml",
        {
            "include": [{"path": "db/compose.yaml", "env_file": "db/db.env"}],
            "services": {"web": {"image": "nginx"}},
        },
    )
    assert load_compose(path).container("db").image == "postgres:16"


def test_include_of_a_service_defined_differently_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "other.yaml", {"services": {"web": {"image": "httpd"}}})
    path = write(
        tmp_path,
        "compose.yaml",
        {"include": ["other.yaml"], "services": {"web": {"image": "nginx"}}},
    )
    with pytest.raises(InputError, match=r"services\.web: an included file defines it too"):
        load_compose(path)


def test_an_include_cycle_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "other.yaml", {"include": ["compose.yaml"], "services": {"b": {"image": "x"}}})
    path = write(
        tmp_path, "compose.yaml", {"include": ["other.yaml"], "services": {"a": {"image": "x"}}}
    )
    with pytest.raises(InputError, match="include cycle"):
        load_compose(path)


# --- the command line ----------------------------------------------------------------


def test_plan_f_twice_merges_both_and_the_report_names_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = project(tmp_path)
    other = write(tmp_path, "other.yaml", {"services": {"cache": {"image": "redis"}}})
    out = tmp_path / "out"
    assert main(["plan", "-f", str(base), "-f", str(other), "--out", str(out)]) == 0
    header = (out / "report.md").read_text().splitlines()[2]
    assert f"`{base}`, `{other}`" in header
    assert "compose.override.yaml" not in header
    assert capsys.readouterr().err.splitlines()[0] == f"pod-advisor: read {base}, {other}"


def test_the_installed_command_takes_f(tmp_path: Path) -> None:
    base = project(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "advisor", "plan", "-f", str(base)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "image: nginx:1.27" in result.stdout


def test_inventory_and_f_together_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = project(tmp_path)
    with pytest.raises(SystemExit):
        main(["plan", str(base), "-f", str(base)])
    assert "either as INVENTORY or with -f" in capsys.readouterr().err


def test_explain_takes_names_after_f(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = write(tmp_path, "app.yaml", {"services": {"a": {"image": "x"}, "b": {"image": "y"}}})
    assert main(["explain", "-f", str(base), "a", "b"]) == 0
    assert "a" in capsys.readouterr().out


# --- what compose refuses ------------------------------------------------------------


def test_scale_that_disagrees_with_deploy_replicas_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "compose.yaml",
        "services:\n  web:\n    image: nginx\n    scale: 2\n    deploy:\n      replicas: 3\n",
    )
    with pytest.raises(
        InputError, match=r"compose.yaml:6:7: services.web.deploy.replicas: 3 disagrees"
    ):
        load_compose(path)


def test_scale_equal_to_deploy_replicas_is_taken(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "compose.yaml",
        {"services": {"web": {"image": "nginx", "scale": 3, "deploy": {"replicas": 3}}}},
    )
    assert load_compose(path).containers[0].runs.replicas == 3


def test_an_extends_loop_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "compose.yaml",
        "services:\n  a:\n    image: x\n    extends: b\n  b:\n    extends: a\n",
    )
    with pytest.raises(
        InputError, match=r"compose.yaml:6:5: services.b.extends: extends loops \(a -> b -> a\)"
    ):
        load_compose(path)


def test_a_chain_of_extends_is_followed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "compose.yaml",
        {
            "services": {
                "base": {"image": "python:3", "environment": {"A": "1"}},
                "mid": {"extends": "base", "environment": {"B": "2"}},
                "top": {"extends": "mid", "command": ["run"]},
            }
        },
    )
    top = load_compose(path).container("top")
    assert (top.image, dict(top.env), top.args) == ("python:3", {"A": "1", "B": "2"}, ("run",))


def test_extends_of_a_missing_service_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "compose.yaml", "services:\n  a:\n    extends: nothing\n")
    with pytest.raises(
        InputError, match=r"compose.yaml:3:5: services.a.extends: no service 'nothing'"
    ):
        load_compose(path)


def test_a_service_name_made_by_interpolation_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "compose.yaml", "services:\n  ${NAME}:\n    image: nginx\n")
    with pytest.raises(
        InputError, match=r"compose.yaml:2:3: services.\$\{NAME\}: a service name cannot"
    ):
        load_compose(path)


# The examples of 13-merge.md's "Reset value" and "Replace value", as written there (the
# spec's commit is noted in data/compose_merge/spec_examples.yaml).
def test_reset_in_an_override_removes_what_the_file_before_set(tmp_path: Path) -> None:
    write(
        tmp_path,
        "compose.yaml",
        "services:\n  app:\n    image: myapp\n    ports: ['8080:80']\n"
        "    environment:\n      FOO: BAR\n",
    )
    write(
        tmp_path,
        "compose.override.yaml",
        "services:\n  app:\n    image: myapp\n    ports: !reset []\n"
        "    environment:\n      FOO: !reset null\n",
    )
    app = load_compose(tmp_path / "compose.yaml").containers[0]
    assert (app.ports, app.env) == ((), ())


def test_override_replaces_a_list_instead_of_merging_it(tmp_path: Path) -> None:
    write(tmp_path, "compose.yaml", "services:\n  app:\n    image: myapp\n    ports: ['8080:80']\n")
    write(
        tmp_path,
        "compose.override.yaml",
        "services:\n  app:\n    ports: !override\n      - '8443:443'\n",
    )
    app = load_compose(tmp_path / "compose.yaml").containers[0]
    assert [p.number for p in app.ports] == [443]


def test_a_healthcheck_list_not_starting_with_cmd_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "compose.yaml",
        "services:\n  web:\n    image: nginx\n    healthcheck:\n      test: [curl, localhost]\n",
    )
    with pytest.raises(InputError, match=r"compose.yaml:5:14: services.web.healthcheck.test\[0\]"):
        load_compose(path)


def test_a_secret_no_file_defines_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "compose.yaml",
        "services:\n  web:\n    image: nginx\n    secrets: [db_password]\n",
    )
    with pytest.raises(InputError, match=r"compose.yaml:4:15: services.web.secrets\[0\]: 'db_pass"):
        load_compose(path)


def test_a_secret_the_override_defines_is_taken(tmp_path: Path) -> None:
    write(tmp_path, "db_password.txt", "s3cret\n")
    write(
        tmp_path,
        "compose.yaml",
        "services:\n  web:\n    image: nginx\n    secrets: [db_password]\n",
    )
    write(
        tmp_path, "compose.override.yaml", "secrets:\n  db_password:\n    file: db_password.txt\n"
    )
    inventory = load_compose(tmp_path / "compose.yaml")
    assert [m.mount_path for m in inventory.containers[0].files] == ["/run/secrets/db_password"]


def test_ask_without_a_terminal_names_the_f_files_in_its_hint(tmp_path: Path) -> None:
    base = write(tmp_path, "a.yaml", {"services": {"web": {"image": "nginx"}}})
    other = write(tmp_path, "b.yaml", {"services": {"db": {"image": "postgres:16"}}})
    result = subprocess.run(
        [sys.executable, "-m", "advisor", "ask", "-f", str(base), "-f", str(other)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd=tmp_path,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 2, result.stderr
    assert f"run: pod-advisor plan -f {base} -f {other} --answers FILE" in result.stderr


def test_an_unquoted_port_in_the_override_is_read_as_written_there(tmp_path: Path) -> None:
    project(tmp_path)
    write(tmp_path, "compose.override.yaml", "services:\n  web:\n    ports:\n      - 22:22\n")
    web = load_compose(tmp_path / "compose.yaml").containers[0]
    assert [p.number for p in web.ports] == [22]


def test_an_included_files_bind_mount_is_found_beside_that_file(tmp_path: Path) -> None:
    write(tmp_path / "proxy", "nginx.conf", "events {}\n")
    write(
        tmp_path / "proxy",
        "compose.yaml",
        {
            "services": {
                "proxy": {"image": "nginx", "volumes": ["./nginx.conf:/etc/nginx/nginx.conf:ro"]}
            }
        },
    )
    path = write(tmp_path, "compose.yaml", {"include": ["proxy/compose.yaml"], "services": {}})
    inventory = load_compose(path)
    assert [f.files for f in inventory.file_sets] == [(("nginx.conf", b"events {}\n"),)]
