"""docker-compose import: each mapping rule on a small inline compose file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from advisor.cli import main
from advisor.domain.errors import InputError
from advisor.domain.model import Answer, Link, Pair, Port, Role, Source, VolumeMount
from advisor.engine.questionnaire import Questionnaire
from advisor.formats.application import load_application
from advisor.formats.compose.interpolation import InterpolationError, Interpolator
from advisor.formats.compose.reader import load_compose
from advisor.formats.rules import load_rules
from tests.helpers import pods_of


def write(folder: Path, data: Any, name: str = "compose.yaml") -> Path:
    """A compose file from a dict (or raw text) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
    return path


def services(**definitions: Any) -> dict[str, Any]:
    return {"services": definitions}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TAG", "REGISTRY", "HOME_DIR", "NEEDED", "GREETING", "FROM_SHELL"):
        monkeypatch.delenv(name, raising=False)


# --- names and images ---------------------------------------------------------------


def test_service_names_become_container_names(tmp_path: Path) -> None:
    path = write(tmp_path, services(web={"image": "nginx", "container_name": "x"}))
    inventory = load_compose(path)
    assert [c.name for c in inventory.containers] == ["web"]
    assert inventory.containers[0].image == "nginx"


def test_project_name_is_the_top_level_name(tmp_path: Path) -> None:
    path = write(tmp_path, {"name": "Shop", **services(web={"image": "nginx"})})
    assert load_compose(path).name == "shop"


def test_project_name_defaults_to_the_folder_name(tmp_path: Path) -> None:
    path = write(tmp_path / "my-app", services(web={"image": "nginx"}))
    assert load_compose(path).name == "my-app"


def test_build_only_service_gets_project_service_image_and_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, {"name": "shop", **services(api={"build": "api"})})
    inventory = load_compose(path)
    assert inventory.containers[0].image == "shop-api"
    assert any("services.api" in w and "shop-api" in w for w in inventory.warnings)


def test_image_wins_over_build(tmp_path: Path) -> None:
    path = write(tmp_path, services(api={"image": "me/api:2", "build": "."}))
    inventory = load_compose(path)
    assert inventory.containers[0].image == "me/api:2"
    assert inventory.warnings == ()


# --- command and entrypoint ---------------------------------------------------------


def test_entrypoint_is_command_and_command_is_args(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        services(app={"image": "a", "entrypoint": ["/init", "-v"], "command": "run --port 80"}),
    )
    container = load_compose(path).containers[0]
    assert container.command == ("/init", "-v")
    assert container.args == ("run", "--port", "80")


def test_string_command_is_split_like_a_shell(tmp_path: Path) -> None:
    path = write(tmp_path, services(app={"image": "a", "command": "sh -c 'echo hi there'"}))
    assert load_compose(path).containers[0].args == ("sh", "-c", "echo hi there")


# --- environment --------------------------------------------------------------------


def test_environment_list_and_map_forms(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        services(
            a={"image": "a", "environment": ["A=1", "B=x=y"]},
            b={"image": "b", "environment": {"C": 3, "D": True, "discovery.type": "one"}},
        ),
    )
    inventory = load_compose(path)
    assert inventory.container("a").env == (("A", "1"), ("B", "x=y"))
    assert inventory.container("b").env == (("C", "3"), ("D", "true"), ("discovery.type", "one"))


def test_bare_environment_name_takes_the_shell_value_or_stays_unset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FROM_SHELL", "hello")
    path = write(tmp_path, services(a={"image": "a", "environment": ["FROM_SHELL", "NEEDED"]}))
    assert load_compose(path).containers[0].env == (("FROM_SHELL", "hello"),)


def test_environment_entry_without_equals_sign_is_warned_about(tmp_path: Path) -> None:
    path = write(tmp_path, services(a={"image": "a", "environment": ["URL:-http://x"]}))
    inventory = load_compose(path)
    assert inventory.containers[0].env == ()
    assert any("'URL:-http://x' is not a variable name" in w for w in inventory.warnings)


@pytest.mark.parametrize(
    "env_file", ["app.env", ["app.env"], [{"path": "app.env"}]], ids=["string", "list", "path"]
)
def test_env_file_forms_are_read_relative_to_the_compose_file(
    tmp_path: Path, env_file: Any
) -> None:
    (tmp_path / "app.env").write_text("# comment\nHELLO=WORLD\nQUOTED='a b'\n")
    path = write(tmp_path, services(a={"image": "a", "env_file": env_file}))
    assert load_compose(path).containers[0].env == (("HELLO", "WORLD"), ("QUOTED", "a b"))


def test_environment_wins_over_env_file(tmp_path: Path) -> None:
    (tmp_path / "app.env").write_text("HELLO=file\nOTHER=1\n")
    path = write(
        tmp_path, services(a={"image": "a", "env_file": "app.env", "environment": {"HELLO": "x"}})
    )
    assert dict(load_compose(path).containers[0].env) == {"HELLO": "x", "OTHER": "1"}


def test_missing_env_file_is_refused_as_compose_refuses_it(tmp_path: Path) -> None:
    path = write(tmp_path, services(a={"image": "a", "env_file": "nope.env"}))
    with pytest.raises(InputError, match=r"compose.yaml:4:5: services.a.env_file: nope.env is not"):
        load_compose(path)


def test_missing_env_file_in_a_list_names_its_item(tmp_path: Path) -> None:
    path = write(tmp_path, services(a={"image": "a", "env_file": [{"path": "x.env"}]}))
    with pytest.raises(InputError, match=r"compose.yaml:5:7: services.a.env_file\[0\]: x.env is"):
        load_compose(path)


def test_optional_missing_env_file_is_silent(tmp_path: Path) -> None:
    path = write(
        tmp_path, services(a={"image": "a", "env_file": [{"path": "x.env", "required": False}]})
    )
    assert load_compose(path).warnings == ()


# --- ports --------------------------------------------------------------------------


def ports_of(tmp_path: Path, **service: Any) -> tuple[Port, ...]:
    path = write(tmp_path, services(a={"image": "a", **service}))
    return load_compose(path).containers[0].ports


def test_short_port_syntax_keeps_the_container_port(tmp_path: Path) -> None:
    ports = ports_of(tmp_path, ports=["8080:80", "127.0.0.1:5432:5432", "9000", 3000, "53:53/udp"])
    assert ports == (Port(80), Port(5432), Port(9000), Port(3000), Port(53, "UDP"))


def test_port_ranges_expand(tmp_path: Path) -> None:
    ports = ports_of(tmp_path, ports=["9090-9091:8080-8081", "127.0.0.1:5000-5001:5000-5001"])
    assert ports == (Port(8080), Port(8081), Port(5000), Port(5001))


def test_same_port_tcp_and_udp_are_two_ports_and_repeats_are_dropped(tmp_path: Path) -> None:
    ports = ports_of(tmp_path, ports=["5000:5000/tcp", "5000:5000/udp", "5001:5000"])
    assert ports == (Port(5000), Port(5000, "UDP"))


def test_long_port_syntax(tmp_path: Path) -> None:
    ports = ports_of(
        tmp_path, ports=[{"target": 80, "published": 8080, "protocol": "udp", "mode": "host"}]
    )
    assert ports == (Port(80, "UDP"),)


def test_expose_adds_container_ports(tmp_path: Path) -> None:
    assert ports_of(tmp_path, expose=["3000", 8000]) == (Port(3000), Port(8000))


def test_unquoted_yaml_11_sexagesimal_port_is_read_as_written(tmp_path: Path) -> None:
    text = "services:\n  a:\n    image: a\n    ports:\n      - 22:22\n"
    assert load_compose(write(tmp_path, text)).containers[0].ports == (Port(22),)


def test_bad_port_names_file_and_line(tmp_path: Path) -> None:
    text = "services:\n  a:\n    image: a\n    ports:\n      - '80:http'\n"
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_compose(path)
    assert caught.value.line == 5
    assert str(caught.value).startswith(f"{path}:5:")


# --- volumes ------------------------------------------------------------------------


def test_named_volume_becomes_a_mount(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        {
            **services(db={"image": "pg", "volumes": ["data:/var/lib/pg:ro"]}),
            "volumes": {"data": {}},
        },
    )
    inventory = load_compose(path)
    assert inventory.containers[0].volumes == (VolumeMount("data", "/var/lib/pg", True),)
    assert inventory.warnings == ()


def test_long_syntax_named_volume(tmp_path: Path) -> None:
    volume = {"type": "volume", "source": "data", "target": "/d", "read_only": True}
    path = write(
        tmp_path, {**services(db={"image": "pg", "volumes": [volume]}), "volumes": {"data": None}}
    )
    assert load_compose(path).containers[0].volumes == (VolumeMount("data", "/d", True),)


def test_anonymous_volume_is_data_private_to_its_service(tmp_path: Path) -> None:
    # Compose keeps an anonymous volume when it recreates the container: it holds data.
    path = write(tmp_path, services(db={"image": "pg", "volumes": ["/var/data"]}))
    assert load_compose(path).containers[0].volumes == (VolumeMount("db-var-data", "/var/data"),)


def test_tmpfs_volume_is_scratch(tmp_path: Path) -> None:
    tmpfs = {"type": "tmpfs", "target": "/run/cache"}
    path = write(tmp_path, services(web={"image": "nginx", "volumes": [tmpfs]}))
    (mount,) = load_compose(path).containers[0].volumes
    assert mount.scratch and mount.mount_path == "/run/cache"


def test_a_named_volume_shared_by_services_in_one_pod_stays_a_claim(tmp_path: Path) -> None:
    # Both services mount the project's files; put in one pod, an emptyDir would wipe them.
    path = write(
        tmp_path,
        {
            **services(
                app={"image": "php:fpm", "volumes": ["code:/var/www"]},
                web={"image": "nginx", "volumes": ["code:/var/www:ro"]},
            ),
            "volumes": {"code": {}},
        },
    )
    answers = tmp_path / "answers.yaml"
    yes = dict.fromkeys(load_rules().question_ids, "yes")
    answers.write_text(yaml.safe_dump({"version": 1, "pairs": {"app + web": yes}}))
    out = tmp_path / "out"
    assert main(["plan", str(path), "--answers", str(answers), "--out", str(out)]) == 0
    documents = list(yaml.safe_load_all((out / "pods.yaml").read_text()))
    (pod,) = pods_of(documents)
    assert pod["spec"]["volumes"] == [
        {"name": "code", "persistentVolumeClaim": {"claimName": "code"}}
    ]
    assert [d["metadata"]["name"] for d in documents if d["kind"] == "PersistentVolumeClaim"] == [
        "code"
    ]


def test_volumes_from_mounts_the_same_volumes_and_links_the_pair(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        services(
            app={"image": "alpine", "volumes_from": ["db:ro"]},
            db={"image": "alpine", "volumes": ["/var/data"]},
        ),
    )
    inventory = load_compose(path)
    assert inventory.container("app").volumes == (VolumeMount("db-var-data", "/var/data", True),)
    assert inventory.links == (Link("volumes_from", "app", "db"),)


def test_volumes_from_is_transitive(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        services(
            bar={"image": "b", "volumes_from": ["foo"]},
            foo={"image": "b", "volumes": ["/foo"], "volumes_from": ["cat"]},
            cat={"image": "b", "volumes": ["/cat"]},
        ),
    )
    mounts = {m.mount_path for m in load_compose(path).container("bar").volumes}
    assert mounts == {"/foo", "/cat"}


def test_volumes_from_unknown_service_is_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, services(app={"image": "a", "volumes_from": ["ghost"]}))
    inventory = load_compose(path)
    assert inventory.links == ()
    assert "services.app.volumes_from: no service 'ghost', ignored" in inventory.warnings


# --- resources ----------------------------------------------------------------------


def test_deploy_reservations_are_requests_and_limits_are_limits(tmp_path: Path) -> None:
    resources = {"limits": {"cpus": "0.5", "memory": "1.5G"}, "reservations": {"memory": "50M"}}
    path = write(tmp_path, services(a={"image": "a", "deploy": {"resources": resources}}))
    container = load_compose(path).containers[0]
    assert container.limits.cpu is not None and container.limits.cpu.text == "500m"
    assert container.limits.memory is not None and container.limits.memory.text == "1536Mi"
    assert container.resources.memory is not None and container.resources.memory.text == "50Mi"


def test_legacy_mem_limit_and_cpus(tmp_path: Path) -> None:
    path = write(tmp_path, services(a={"image": "a", "mem_limit": "10000Mb", "cpus": 2}))
    limits = load_compose(path).containers[0].limits
    assert limits.memory is not None and limits.memory.value == 10000 * 2**20
    assert limits.cpu is not None and limits.cpu.text == "2"


def test_bad_memory_amount_is_an_error_with_its_place(tmp_path: Path) -> None:
    path = write(tmp_path, "services:\n  a:\n    image: a\n    mem_limit: lots\n")
    with pytest.raises(InputError, match=r"services\.a\.mem_limit") as caught:
        load_compose(path)
    assert caught.value.line == 4


# --- interpolation ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${TAG}", "1.0"),
        ("$TAG-x", "1.0-x"),
        ("${MISSING:-dflt}", "dflt"),
        ("${EMPTY:-dflt}", "dflt"),
        ("${EMPTY-dflt}", ""),
        ("${MISSING-dflt}", "dflt"),
        ("${TAG:+set}", "set"),
        ("$${TAG}", "${TAG}"),
        ("${MISSING:-${TAG}}", "1.0"),
        ("${REGISTRY-}foo:${TAG:-latest}", "foo:1.0"),
    ],
)
def test_interpolation_forms(text: str, expected: str) -> None:
    assert Interpolator({"TAG": "1.0", "EMPTY": ""}).substitute(text) == expected


def test_required_variable_raises() -> None:
    with pytest.raises(InterpolationError, match="NEEDED is not set: set it"):
        Interpolator({}).substitute("${NEEDED:?set it}")


def test_unset_variable_is_empty_with_one_warning(tmp_path: Path) -> None:
    path = write(tmp_path, services(a={"image": "a:${NEEDED}", "command": "echo ${NEEDED}"}))
    inventory = load_compose(path)
    assert inventory.containers[0].image == "a:"
    assert inventory.warnings == ("variable NEEDED is not set; using an empty string",)


def test_several_unset_variables_make_one_warning(tmp_path: Path) -> None:
    path = write(tmp_path, services(a={"image": "a:${TAG}", "command": "echo ${X} ${TAG} ${Y}"}))
    assert load_compose(path).warnings == ("variables TAG, X, Y are not set; using empty strings",)


def test_dotenv_beside_the_file_and_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text("TAG=from-dotenv\nGREETING=hi\n")
    monkeypatch.setenv("TAG", "from-shell")
    path = write(tmp_path, services(a={"image": "a:${TAG}", "environment": ["G=${GREETING}"]}))
    container = load_compose(path).containers[0]
    assert container.image == "a:from-shell"
    assert container.env == (("G", "hi"),)


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_a_dotenv_that_is_no_file_is_one_warning(tmp_path: Path, kind: str) -> None:
    # A virtualenv is often called .env: its folder holds no variables, and says so.
    dotenv = tmp_path / ".env"
    dotenv.mkdir() if kind == "folder" else os.mkfifo(dotenv)
    inventory = load_compose(write(tmp_path, services(a={"image": "a"})))
    what = "a folder" if kind == "folder" else "a FIFO (named pipe)"
    note = f"{dotenv} is {what}, not a file of KEY=value lines: no variables read from it"
    assert inventory.warnings == (note,)


def test_required_variable_error_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "services:\n  a:\n    image: 'a:${NEEDED:?give a tag}'\n")
    with pytest.raises(InputError, match="NEEDED is not set: give a tag") as caught:
        load_compose(path)
    assert caught.value.line == 3


def test_anchor_reused_is_interpolated_once(tmp_path: Path) -> None:
    text = (
        "x-env: &env\n  PRICE: $$5\n"
        "services:\n  a:\n    image: a\n    environment: *env\n"
        "  b:\n    image: b\n    environment: *env\n"
    )
    inventory = load_compose(write(tmp_path, text))
    assert inventory.container("a").env == inventory.container("b").env == (("PRICE", "$5"),)


def test_merge_keys_are_honoured(tmp_path: Path) -> None:
    text = (
        "x-base: &base\n  image: base:1\n  command: run\n"
        "services:\n  a:\n    <<: *base\n    command: other\n"
    )
    container = load_compose(write(tmp_path, text)).containers[0]
    assert (container.image, container.args) == ("base:1", ("other",))


# --- warnings -----------------------------------------------------------------------


def test_unsupported_keys_warn_once_each_and_x_fields_are_ignored(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        {
            **services(a={"image": "a", "dns": ["8.8.8.8"], "sysctls": {}, "x-note": 1}),
            "models": {"m": {}},
            "x-anything": {"a": 1},
        },
    )
    assert load_compose(path).warnings == (
        "models: not supported, ignored",
        "services.a.dns: not supported, ignored",
        "services.a.sysctls: not supported, ignored",
    )


def test_cli_prints_warnings_to_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, services(a={"image": "a", "dns": ["8.8.8.8"]}))
    assert main(["plan", str(path)]) == 0
    err = capsys.readouterr().err
    assert f"pod-advisor: warning: {path}: services.a.dns: not supported, ignored" in err


def test_cli_reports_compose_errors_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "services:\n  a:\n    image: a\n    ports: [{target: web}]\n")
    assert main(["plan", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"pod-advisor: error: {path}:4:") and err.count("\n") == 1


def test_empty_services_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="'services:' is empty"):
        load_compose(write(tmp_path, "services: {}\n"))


def test_service_names_that_collide_in_kubernetes_are_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, services(my_app={"image": "a"}, **{"my-app": {"image": "b"}}))
    with pytest.raises(InputError, match="both become 'my-app'"):
        load_compose(path)


# --- extends ------------------------------------------------------------------------


def test_extends_from_the_same_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        services(
            base={"image": "b:1", "environment": {"A": "1"}},
            child={"extends": "base", "environment": {"B": "2"}},
        ),
    )
    child = load_compose(path).container("child")
    assert child.image == "b:1"
    assert child.env == (("A", "1"), ("B", "2"))


def test_extends_from_another_file(tmp_path: Path) -> None:
    write(tmp_path, services(foo={"image": "bar"}), name="common.yaml")
    path = write(tmp_path, services(test={"extends": {"file": "common.yaml", "service": "foo"}}))
    assert load_compose(path).container("test").image == "bar"


def test_extends_from_a_missing_file_is_refused_as_compose_refuses_it(tmp_path: Path) -> None:
    path = write(tmp_path, services(test={"extends": {"file": "none.yaml", "service": "foo"}}))
    with pytest.raises(
        InputError, match=r"compose.yaml:4:\d+: services.test.extends.file: none.yaml is not there"
    ):
        load_compose(path)


# --- format detection ---------------------------------------------------------------


def test_legacy_v1_layout_is_compose(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        {"web": {"image": "nginx", "links": ["db:database"]}, "db": {"image": "mongo"}},
    )
    inventory = load_application(path)
    assert [c.name for c in inventory.containers] == ["web", "db"]


def test_inventory_still_loads_through_the_dispatcher(tmp_path: Path) -> None:
    path = write(tmp_path, {"containers": [{"name": "web", "image": "nginx"}]}, "app.yaml")
    inventory = load_application(path)
    assert inventory.name == "app" and inventory.warnings == ()


def test_neither_format_gets_the_inventory_message(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="missing 'containers:'"):
        load_application(write(tmp_path, {"name": "x"}))


# --- facts and roles ----------------------------------------------------------------


def test_network_mode_service_links_the_pair_and_answers_same_host(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        services(mydb={"image": "mariadb", "network_mode": "service:db"}, db={"image": "db"}),
    )
    inventory = load_compose(path)
    assert inventory.links == (Link("network_mode", "mydb", "db"),)
    questionnaire = Questionnaire(inventory, load_rules())
    answer = questionnaire.answer_for(Pair.of("db", "mydb"), "same_host")
    assert answer == Answer(True, Source.COMPUTED, "compose: mydb network_mode service:db")


def test_joined_service_is_primary_and_the_joiner_has_no_role(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        services(mydb={"image": "mariadb", "network_mode": "service:db"}, db={"image": "db"}),
    )
    inventory = load_compose(path)
    assert inventory.container("db").role is Role.PRIMARY
    assert inventory.container("mydb").role is None


def test_only_the_root_of_a_volumes_from_chain_is_primary(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        services(
            bar={"image": "b", "volumes_from": ["foo"]},
            foo={"image": "b", "volumes_from": ["cat"]},
            cat={"image": "b"},
        ),
    )
    roles = {c.name: c.role for c in load_compose(path).containers}
    assert roles == {"bar": None, "foo": None, "cat": Role.PRIMARY}


def test_proxy_in_front_of_one_service_is_a_sidecar(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        services(proxy={"image": "nginx:1.27", "depends_on": ["app"]}, app={"image": "app"}),
    )
    assert load_compose(path).container("proxy").role is Role.SIDECAR


def test_proxy_in_front_of_several_services_has_no_role(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        services(
            proxy={"image": "nginx", "depends_on": ["a", "b"]}, a={"image": "a"}, b={"image": "b"}
        ),
    )
    assert load_compose(path).container("proxy").role is None


def test_log_shipper_reading_host_paths_is_not_a_sidecar(tmp_path: Path) -> None:
    volumes = ["/var/lib/docker/containers:/var/lib/docker/containers:ro"]
    path = write(tmp_path, services(ship={"image": "fluent/fluent-bit", "volumes": volumes}))
    inventory = load_compose(path)
    assert inventory.containers[0].role is None
    assert any("DaemonSet" in w for w in inventory.warnings)


def test_metrics_exporter_is_a_sidecar(tmp_path: Path) -> None:
    path = write(tmp_path, services(m={"image": "prom/mysqld-exporter:v0.15"}))
    assert load_compose(path).containers[0].role is Role.SIDECAR


def test_role_label_overrides_the_guess(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        services(
            mydb={"image": "mariadb", "network_mode": "service:db"},
            db={"image": "db", "labels": ["pod-advisor.role=none"]},
        ),
    )
    assert load_compose(path).container("db").role is None


def test_a_kompose_service_group_proposes_its_services_as_one_application(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        services(
            dind={"image": "docker:dind", "labels": {"kompose.service.group": "cup"}},
            cup={"image": "cup", "labels": ["kompose.service.group=cup"]},
        ),
    )
    inventory = load_compose(path)
    dind = inventory.container("dind")
    assert (dind.role, dind.complements) == (Role.SIDECAR, "cup")
    assert any(
        "proposed as a helper of cup (kompose.service.group: cup)" in warning
        for warning in inventory.warnings
    )


def test_a_cron_runner_beside_its_app_is_proposed_as_its_helper(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        {
            **services(
                app={"image": "nextcloud:29", "ports": ["80:80"], "volumes": ["html:/var/www"]},
                cron={
                    "image": "nextcloud:29",
                    "entrypoint": "/cron.sh",
                    "volumes": ["html:/var/www"],
                },
            ),
            "volumes": {"html": {}},
        },
    )
    inventory = load_compose(path)
    cron = inventory.container("cron")
    assert (cron.role, cron.complements) == (Role.SIDECAR, "app")
    assert inventory.container("app").role is None
    assert any("the same image and volume as app" in w for w in inventory.warnings)


def test_a_config_generator_beside_its_proxy_is_proposed_as_its_helper(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        {
            **services(
                proxy={
                    "image": "nginx:1.27",
                    "ports": ["80:80"],
                    "volumes": ["conf:/etc/nginx/conf.d:ro"],
                },
                gen={"image": "nginxproxy/docker-gen", "volumes": ["conf:/etc/nginx/conf.d"]},
            ),
            "volumes": {"conf": {}},
        },
    )
    gen = load_compose(path).container("gen")
    assert (gen.role, gen.complements) == (Role.SIDECAR, "proxy")


def test_an_app_writing_logs_a_shipper_reads_is_not_the_shippers_helper(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        {
            **services(
                app={
                    "image": "example/app:1",
                    "ports": ["80:80"],
                    "volumes": ["logs:/var/log/app"],
                },
                tail={"image": "example/tail:1", "volumes": ["logs:/logs:ro"]},
            ),
            "volumes": {"logs": {}},
        },
    )
    assert load_compose(path).container("app").role is None


def test_a_kompose_group_of_two_datastores_is_not_followed_and_says_so(tmp_path: Path) -> None:
    label = {"kompose.service.group": "data"}
    path = write(
        tmp_path,
        services(
            db={"image": "postgres:16", "labels": label},
            cache={"image": "redis:7", "labels": label},
            data={"image": "example/app:1", "labels": label},
        ),
    )
    inventory = load_compose(path)
    assert all(c.role is None for c in inventory.containers)
    assert any(
        "puts datastores db and cache in one pod; not followed" in w for w in inventory.warnings
    )


def test_services_behind_a_profile_are_left_out_and_listed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        services(
            app={"image": "example/app:1"},
            debug={"image": "busybox", "profiles": ["debug", "tools"]},
        ),
    )
    inventory = load_compose(path)
    assert [c.name for c in inventory.containers] == ["app"]
    assert (
        "services.debug: left out: it runs only with the profile debug or tools "
        "(bring it in with --profile debug)"
    ) in inventory.warnings


def test_a_profile_brings_its_services_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        services(app={"image": "example/app:1"}, debug={"image": "busybox", "profiles": ["debug"]}),
    )
    out = tmp_path / "out"
    assert main(["plan", str(path), "--profile", "debug", "--out", str(out)]) == 0
    assert "debug" in (out / "layout.yaml").read_text()
    assert main(["plan", str(path), "--out", str(out)]) == 0
    report = (out / "report.md").read_text()
    assert "**debug**: left out: it runs only with the profile debug" in report


def test_compose_profiles_from_the_environment_count_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPOSE_PROFILES", "tools,debug")
    path = write(
        tmp_path,
        services(app={"image": "example/app:1"}, debug={"image": "busybox", "profiles": ["debug"]}),
    )
    assert [c.name for c in load_compose(path).containers] == ["app", "debug"]


def test_a_file_of_profiles_only_asks_for_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, services(debug={"image": "busybox", "profiles": ["debug"]}))
    assert main(["plan", str(path)]) == 2
    err = capsys.readouterr().err
    assert "every service runs under a profile (debug); choose one with --profile NAME" in err


def test_services_named_like_yaml_booleans_keep_their_names(tmp_path: Path) -> None:
    path = tmp_path / "compose.yaml"
    path.write_text("services:\n  no:\n    image: a\n  yes:\n    image: b\n  on:\n    image: c\n")
    assert [c.name for c in load_compose(path).containers] == ["no", "yes", "on"]


def test_a_zero_mem_limit_or_cpus_is_no_limit_as_for_docker(tmp_path: Path) -> None:
    path = tmp_path / "compose.yaml"
    path.write_text("services:\n  web:\n    image: a\n    mem_limit: 0\n    cpus: '0'\n")
    limits = load_compose(path).containers[0].limits
    assert limits.memory is None and limits.cpu is None


def test_a_value_interpolation_makes_a_number_is_a_number(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("HEALTHCHECK_RETRIES=10\n")
    path = tmp_path / "compose.yaml"
    path.write_text(
        "services:\n  web:\n    image: a\n    environment: {N: $HEALTHCHECK_RETRIES}\n"
        "    healthcheck: {test: [CMD, 'true'], retries: $HEALTHCHECK_RETRIES}\n"
    )
    web = load_compose(path).containers[0]
    assert web.probe is not None and web.probe.failure_threshold == 10
    assert ("N", "10") in web.env


def test_a_chosen_profile_is_not_called_unsupported_and_an_unused_one_is_named(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path, services(app={"image": "a:1"}, debug={"image": "b:1", "profiles": ["dbg"]})
    )
    from advisor.formats.application import load_application as load

    inventory = load(path, ["dbg", "nope"])
    assert [c.name for c in inventory.containers] == ["app", "debug"]
    assert not [w for w in inventory.warnings if "profiles: not supported" in w]
    assert "--profile nope: no service runs under it" in inventory.warnings
