"""From compose to manifests you can apply: secrets, configs, bind mounts, secret environment
values and process settings, each rule on a small inline compose file, every manifest valid."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from helpers import DNS_LABEL, K8S_VERSION, QUESTIONS, pods_of

from advisor.cli import main
from advisor.domain.errors import InputError
from advisor.domain.model import HostMount
from advisor.domain.secretnames import secret_name, secret_value
from advisor.formats.compose.reader import load_compose


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DB_PASSWORD_VALUE", "UNSET_SECRET"):
        monkeypatch.delenv(name, raising=False)


def write(folder: Path, data: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "compose.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def plan(compose: Path, together: bool = False) -> list[dict[str, Any]]:
    """The manifests of ``plan`` (every pair apart, or all together), each checked valid."""
    out = compose.parent / "out"
    command = ["plan", str(compose), "--out", str(out), "--workload", "pod"]  # specs as Pods
    if together:
        names = [c.name for c in load_compose(compose).containers]
        pairs = {
            f"{a} + {b}": {q: "yes" for q in QUESTIONS}
            for i, a in enumerate(names)
            for b in names[i + 1 :]
        }
        answers = compose.parent / "answers.yaml"
        answers.write_text(yaml.safe_dump({"version": 1, "pairs": pairs}))
        command += ["--answers", str(answers)]
    assert main(command) == 0
    documents = [d for d in yaml.safe_load_all((out / "pods.yaml").read_text()) if d]
    for document in documents:
        kubernetes_validate.validate(document, K8S_VERSION, strict=True)
    return documents


def one(documents: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    found = [d for d in documents if d["kind"] == kind and d["metadata"]["name"] == name]
    assert len(found) == 1, [(d["kind"], d["metadata"]["name"]) for d in documents]
    return found[0]


def spec_of(documents: list[dict[str, Any]], pod: str) -> dict[str, Any]:
    return one(documents, "Pod", pod)["spec"]


def container_of(documents: list[dict[str, Any]], name: str) -> dict[str, Any]:
    for pod in pods_of(documents):
        for entry in pod["spec"]["containers"]:
            if entry["name"] == name:
                return entry  # type: ignore[no-any-return]
    raise AssertionError(name)


def volume(spec: dict[str, Any], name: str) -> dict[str, Any]:
    return next(v for v in spec["volumes"] if v["name"] == name)


def notes(compose: Path) -> list[str]:
    return list(load_compose(compose).warnings)


# --- secrets ------------------------------------------------------------------------


def test_a_secret_file_becomes_a_secret_mounted_at_run_secrets(tmp_path: Path) -> None:
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "password.txt").write_bytes(b"s3cr\xffet\n")
    compose = write(
        tmp_path,
        {
            "services": {"db": {"image": "mariadb", "secrets": ["db-password"]}},
            "secrets": {"db-password": {"file": "db/password.txt"}},
        },
    )
    documents = plan(compose)
    secret = one(documents, "Secret", "db-password")
    assert base64.b64decode(secret["data"]["db-password"]) == b"s3cr\xffet\n"
    mount = container_of(documents, "db")["volumeMounts"][0]
    assert mount == {
        "name": "secret-db-password",
        "mountPath": "/run/secrets/db-password",
        "readOnly": True,
        "subPath": "db-password",
    }
    assert volume(spec_of(documents, "db"), "secret-db-password") == {
        "name": "secret-db-password",
        "secret": {"secretName": "db-password"},
    }


def test_a_secret_target_is_a_path_or_a_name_under_run_secrets(tmp_path: Path) -> None:
    compose = write(
        tmp_path,
        {
            "services": {
                "app": {
                    "image": "app",
                    "secrets": [
                        {"source": "a", "target": "/etc/app/key.pem"},
                        {"source": "b", "target": "token"},
                    ],
                }
            },
            "secrets": {"a": {"content": "A"}, "b": {"content": "B"}},
        },
    )
    paths = [m.mount_path for m in load_compose(compose).containers[0].files]
    assert paths == ["/etc/app/key.pem", "/run/secrets/token"]
    plan(compose)


def test_an_environment_secret_takes_the_variables_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DB_PASSWORD_VALUE", "hunter2")
    compose = write(
        tmp_path,
        {
            "services": {"db": {"image": "db", "secrets": ["pw"]}},
            "secrets": {"pw": {"environment": "DB_PASSWORD_VALUE"}},
        },
    )
    secret = one(plan(compose), "Secret", "pw")
    assert base64.b64decode(secret["data"]["pw"]) == b"hunter2"


def test_a_secret_that_cannot_be_read_is_an_empty_placeholder_with_a_note(tmp_path: Path) -> None:
    compose = write(
        tmp_path,
        {
            "services": {"db": {"image": "db", "secrets": ["pw", "env"]}},
            "secrets": {"pw": {"file": "missing.txt"}, "env": {"environment": "UNSET_SECRET"}},
        },
    )
    documents = plan(compose)
    assert one(documents, "Secret", "pw")["data"] == {"pw": ""}
    assert one(documents, "Secret", "env")["data"] == {"env": ""}
    found = notes(compose)
    assert any(
        n.startswith("secrets.pw: missing.txt is not beside the compose file")
        and "kubectl create secret generic pw --from-file=pw=missing.txt" in n
        for n in found
    )
    assert any(n.startswith("secrets.env: the variable UNSET_SECRET is not set") for n in found)


def test_an_external_secret_is_referenced_never_written(tmp_path: Path) -> None:
    compose = write(
        tmp_path,
        {
            "services": {"db": {"image": "db", "secrets": ["pw"]}},
            "secrets": {"pw": {"external": True, "name": "prod-db-pw"}},
        },
    )
    documents = plan(compose)
    assert not [d for d in documents if d["kind"] == "Secret"]
    assert volume(spec_of(documents, "db"), "secret-prod-db-pw")["secret"] == {
        "secretName": "prod-db-pw"
    }
    assert any("'prod-db-pw' must exist in the namespace" in n for n in notes(compose))


def test_a_secret_no_service_mounts_is_not_written(tmp_path: Path) -> None:
    compose = write(
        tmp_path, {"services": {"a": {"image": "a"}}, "secrets": {"pw": {"content": "x"}}}
    )
    assert not [d for d in plan(compose) if d["kind"] == "Secret"]


# --- configs ------------------------------------------------------------------------


def test_configs_become_config_maps_text_in_data_bytes_in_binary_data(tmp_path: Path) -> None:
    (tmp_path / "nginx.conf").write_text("server {}\n")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\xff\x00")
    compose = write(
        tmp_path,
        {
            "services": {
                "web": {
                    "image": "nginx",
                    "configs": [
                        {"source": "nginx", "target": "/etc/nginx/nginx.conf"},
                        "logo",
                        "inline",
                    ],
                }
            },
            "configs": {
                "nginx": {"file": "nginx.conf"},
                "logo": {"file": "logo.png"},
                "inline": {"content": "hello"},
            },
        },
    )
    documents = plan(compose)
    assert one(documents, "ConfigMap", "nginx")["data"] == {"nginx": "server {}\n"}
    logo = one(documents, "ConfigMap", "logo")
    assert base64.b64decode(logo["binaryData"]["logo"]) == b"\x89PNG\xff\x00"
    assert one(documents, "ConfigMap", "inline")["data"] == {"inline": "hello"}
    paths = [m["mountPath"] for m in container_of(documents, "web")["volumeMounts"]]
    assert paths == ["/etc/nginx/nginx.conf", "/logo", "/inline"]


# --- environment values that are secret ---------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "MYSQL_ROOT_PASSWORD",
        "SECRET_KEY_BASE",
        "API_TOKEN",
        "AWS_ACCESS_KEY_ID",
        "dbPassword",
        "MYSQL_PWD",
        "SMTP_PASS",
        "dbPwd",
    ],
)
def test_names_that_say_secret(name: str) -> None:
    assert secret_name(name)


@pytest.mark.parametrize(
    "name",
    ["KEYCLOAK_URL", "MYSQL_ROOT_PASSWORD_FILE", "TOKENIZER_MODE", "PWD", "OLDPWD", "MONKEY"],
)
def test_names_that_do_not(name: str) -> None:
    assert not secret_name(name)


@pytest.mark.parametrize(
    "value",
    [
        "postgres://admin:hunter2@db:5432/app",
        "redis://:s3cr3t@cache:6379/0",
        "amqp://guest:p@ss@rabbit/",  # an @ left unescaped in the password
        "http://a:b@one,http://c:d@two",
    ],
)
def test_urls_with_a_password_hold_a_secret(value: str) -> None:
    assert secret_value(value)


@pytest.mark.parametrize(
    "value",
    [
        "postgres://admin@db/app",  # a user, no password
        "postgres://admin:@db/app",  # an empty one
        "http://example.com/a:b@c",  # in the path, not the user part
        "db:5432",
        "user:pw@host",  # no scheme: not a URL
    ],
)
def test_values_without_a_password_in_a_url_do_not(value: str) -> None:
    assert not secret_value(value)


def test_connection_urls_with_a_password_and_pwd_names_go_to_the_secret(
    tmp_path: Path,
) -> None:
    environment = {
        "DATABASE_URL": "postgres://admin:hunter2@db:5432/app",
        "REDIS_URL": "redis://:s3cr3t@cache:6379/0",
        "MYSQL_PWD": "hunter2",
        "PUBLIC_URL": "https://example.com/",
    }
    compose = write(tmp_path, {"services": {"app": {"image": "a:1", "environment": environment}}})
    documents = plan(compose)
    text = yaml.safe_dump_all(documents)
    assert "hunter2" not in text and "s3cr3t" not in text
    env = {e["name"]: e for e in container_of(documents, "app")["env"]}
    for name in ("DATABASE_URL", "REDIS_URL", "MYSQL_PWD"):
        assert env[name]["valueFrom"]["secretKeyRef"] == {"name": "app-env", "key": name}
    assert env["PUBLIC_URL"]["value"] == "https://example.com/"
    secret = one(documents, "Secret", "app-env")["data"]
    assert base64.b64decode(secret["DATABASE_URL"]) == b"postgres://admin:hunter2@db:5432/app"


def test_secret_env_values_go_to_a_secret_read_in_order(tmp_path: Path) -> None:
    (tmp_path / "app.env").write_text("FROM_FILE=abc\nOVERRIDDEN=file\n")
    compose = write(
        tmp_path,
        {
            "services": {
                "api": {
                    "image": "api",
                    "env_file": "app.env",
                    "environment": {
                        "MODE": "prod",
                        "DB_PASSWORD": "pw",
                        "KEYCLOAK_URL": "http://kc",
                        "OVERRIDDEN": "inline",
                    },
                }
            }
        },
    )
    documents = plan(compose)
    api = container_of(documents, "api")
    # What the compose file spells out stays on the container, in its order; the env_file's
    # plain setting is read whole from the ConfigMap.
    assert [e["name"] for e in api["env"]] == ["OVERRIDDEN", "MODE", "DB_PASSWORD", "KEYCLOAK_URL"]
    by_name = {e["name"]: e for e in api["env"]}
    assert by_name["MODE"] == {"name": "MODE", "value": "prod"}
    assert by_name["OVERRIDDEN"] == {"name": "OVERRIDDEN", "value": "inline"}
    assert by_name["KEYCLOAK_URL"]["value"] == "http://kc"
    assert by_name["DB_PASSWORD"] == {
        "name": "DB_PASSWORD",
        "valueFrom": {"secretKeyRef": {"name": "api-env", "key": "DB_PASSWORD"}},
    }
    assert api["envFrom"] == [{"configMapRef": {"name": "api-env"}}]
    assert one(documents, "ConfigMap", "api-env")["data"] == {"FROM_FILE": "abc"}
    secret = one(documents, "Secret", "api-env")
    assert {k: base64.b64decode(v).decode() for k, v in secret["data"].items()} == {
        "DB_PASSWORD": "pw"
    }


def test_the_inventory_formats_secret_env_names_go_to_a_secret(tmp_path: Path) -> None:
    inventory = tmp_path / "app.yaml"
    inventory.write_text(
        yaml.safe_dump(
            {
                "containers": [
                    {"name": "web", "image": "web:1", "env": {"API_TOKEN": "t", "TZ": "UTC"}}
                ]
            }
        )
    )
    out = tmp_path / "out"
    assert main(["plan", str(inventory), "--out", str(out)]) == 0
    documents = [d for d in yaml.safe_load_all((out / "pods.yaml").read_text()) if d]
    env = container_of(documents, "web")["env"]
    assert env[0]["valueFrom"]["secretKeyRef"] == {"name": "web-env", "key": "API_TOKEN"}
    assert env[1] == {"name": "TZ", "value": "UTC"}
    one(documents, "Secret", "web-env")


# --- bind mounts --------------------------------------------------------------------


def test_a_writable_project_directory_is_a_claim_shared_by_who_binds_it(tmp_path: Path) -> None:
    compose = write(
        tmp_path,
        {
            "services": {
                "app": {"image": "app", "volumes": ["./data:/data"]},
                "worker": {"image": "worker", "volumes": ["./data:/work/data"]},
            }
        },
    )
    inventory = load_compose(compose)
    assert [m.host_path for c in inventory.containers for m in c.volumes] == ["./data", "./data"]
    # One note for the claim, under the first service, naming the others.
    notes = [w for w in inventory.warnings if "becomes the claim" in w]
    assert notes == [
        "services.app.volumes: ./data becomes the claim 'data' (also mounted by worker), which "
        "starts empty: copy the files of ./data into it before the first start"
    ]
    documents = plan(compose, together=True)
    assert one(documents, "PersistentVolumeClaim", "data")
    (pod,) = [d["spec"] for d in documents if d["kind"] == "Pod"]
    assert volume(pod, "data")["persistentVolumeClaim"] == {"claimName": "data"}


def test_a_bind_claim_never_takes_a_named_volumes_name(tmp_path: Path) -> None:
    compose = write(
        tmp_path,
        {
            "services": {"app": {"image": "app", "volumes": ["data:/a", "./data:/b"]}},
            "volumes": {"data": {}},
        },
    )
    names = [m.name for m in load_compose(compose).containers[0].volumes]
    assert names[0] == "data" and names[1].startswith("data-") and len(set(names)) == 2
    plan(compose)


def test_a_bound_file_is_a_config_map_mounted_through_sub_path(tmp_path: Path) -> None:
    (tmp_path / "nginx.conf").write_text("events {}\n")
    compose = write(
        tmp_path,
        {
            "services": {
                "web": {"image": "nginx", "volumes": ["./nginx.conf:/etc/nginx/nginx.conf:ro"]}
            }
        },
    )
    documents = plan(compose)
    assert one(documents, "ConfigMap", "nginx-conf")["data"] == {"nginx.conf": "events {}\n"}
    assert container_of(documents, "web")["volumeMounts"] == [
        {
            "name": "config-nginx-conf",
            "mountPath": "/etc/nginx/nginx.conf",
            "readOnly": True,
            "subPath": "nginx.conf",
        }
    ]
    assert notes(compose) == []


def test_a_read_only_directory_is_a_config_map_with_its_subfolders_as_items(
    tmp_path: Path,
) -> None:
    conf = tmp_path / "conf"
    (conf / "nested").mkdir(parents=True)
    (conf / "b.yml").write_text("b: 1\n")
    (conf / "a.yml").write_text("a: 1\n")
    (conf / "nested" / "c.yml").write_text("c: 1\n")
    compose = write(
        tmp_path, {"services": {"app": {"image": "app", "volumes": ["./conf:/etc/app:ro"]}}}
    )
    documents = plan(compose)
    assert one(documents, "ConfigMap", "conf")["data"] == {
        "a.yml": "a: 1\n",
        "b.yml": "b: 1\n",
        "nested_c.yml": "c: 1\n",
    }
    mount = container_of(documents, "app")["volumeMounts"][0]
    assert mount == {"name": "config-conf", "mountPath": "/etc/app", "readOnly": True}
    assert volume(spec_of(documents, "app"), "config-conf")["configMap"]["items"] == [
        {"key": "a.yml", "path": "a.yml"},
        {"key": "b.yml", "path": "b.yml"},
        {"key": "nested_c.yml", "path": "nested/c.yml"},
    ]
    assert notes(compose) == []


def test_a_missing_bound_file_is_an_empty_config_map_with_a_note(tmp_path: Path) -> None:
    compose = write(
        tmp_path,
        {"services": {"web": {"image": "nginx", "volumes": ["./site.conf:/etc/site.conf:ro"]}}},
    )
    assert one(plan(compose), "ConfigMap", "site-conf")["data"] == {"site.conf": ""}
    assert any("written with an empty 'site.conf'; fill it" in n for n in notes(compose))


def agent_compose(tmp_path: Path) -> Path:
    return write(
        tmp_path,
        {
            "services": {
                "agent": {
                    "image": "agent",
                    "volumes": [
                        "/var/run/docker.sock:/var/run/docker.sock:ro",
                        {"type": "bind", "source": "/var/log", "target": "/host/log"},
                    ],
                }
            }
        },
    )


def test_a_service_reading_the_nodes_paths_is_a_daemon_set_mounting_them(tmp_path: Path) -> None:
    compose = agent_compose(tmp_path)
    container = load_compose(compose).containers[0]
    assert container.host_mounts == (
        HostMount("/var/run/docker.sock", "/var/run/docker.sock", True),
        HostMount("/var/log", "/host/log", False),
    )
    assert container.volumes == () and container.files == ()
    out = tmp_path / "agent-out"
    assert main(["plan", str(compose), "--out", str(out)]) == 0
    (daemon,) = [d for d in yaml.safe_load_all((out / "pods.yaml").read_text()) if d]
    kubernetes_validate.validate(daemon, K8S_VERSION, strict=True)
    assert daemon["kind"] == "DaemonSet"
    spec = daemon["spec"]["template"]["spec"]
    assert spec["volumes"] == [
        {
            "name": "host-var-run-docker-sock",
            "hostPath": {"path": "/var/run/docker.sock", "type": "Socket"},
        },
        {"name": "host-var-log", "hostPath": {"path": "/var/log"}},
    ]
    assert spec["containers"][0]["volumeMounts"] == [
        {"name": "host-var-run-docker-sock", "mountPath": "/var/run/docker.sock", "readOnly": True},
        {"name": "host-var-log", "mountPath": "/host/log"},
    ]
    report = (out / "report.md").read_text()
    assert "a DaemonSet (agent reads the node's /var/log)" in report  # the socket is no sign
    assert "nodes that run containerd" in report and "is left out" not in report


def test_host_paths_are_left_out_of_any_other_pod_with_a_note(tmp_path: Path) -> None:
    compose = agent_compose(tmp_path)
    assert "volumes" not in spec_of(plan(compose), "agent")  # --workload pod
    out = tmp_path / "out"
    layout = yaml.safe_load((out / "layout.yaml").read_text())
    found = [item["what"] for item in layout["needs_attention"]]
    assert any("the Docker socket /var/run/docker.sock is left out" in n for n in found)
    assert any("the host path /var/log is left out" in n for n in found)


def test_long_bind_names_stay_dns_labels_and_unique(tmp_path: Path) -> None:
    deep = "./" + "/".join(["a-very-long-folder-name"] * 4)
    compose = write(
        tmp_path,
        {
            "services": {
                "app": {
                    "image": "app",
                    "volumes": [f"{deep}/one:/one", f"{deep}/two:/two", f"{deep}/x.conf:/x.conf"],
                }
            }
        },
    )
    documents = plan(compose)
    names = [d["metadata"]["name"] for d in documents if d["kind"] != "Pod"]
    assert len(names) == len(set(names)) == 3
    assert all(DNS_LABEL.match(n) for n in names)


# --- security and processes ---------------------------------------------------------


def test_user_capabilities_privileged_read_only_and_working_dir(tmp_path: Path) -> None:
    compose = write(
        tmp_path,
        {
            "services": {
                "app": {
                    "image": "app",
                    "user": "1000:2000",
                    "cap_add": ["CAP_NET_ADMIN", "SYS_TIME"],
                    "cap_drop": ["ALL"],
                    "privileged": True,
                    "read_only": True,
                    "working_dir": "/srv",
                }
            }
        },
    )
    entry = container_of(plan(compose), "app")
    assert entry["workingDir"] == "/srv"
    assert entry["securityContext"] == {
        "runAsUser": 1000,
        "runAsGroup": 2000,
        "capabilities": {"add": ["NET_ADMIN", "SYS_TIME"], "drop": ["ALL"]},
        "privileged": True,
        "readOnlyRootFilesystem": True,
        "seccompProfile": {"type": "Unconfined"},  # as Docker runs a privileged container
    }
    assert notes(compose) == []


def test_a_user_name_gets_a_note_and_root_is_zero(tmp_path: Path) -> None:
    compose = write(
        tmp_path,
        {
            "services": {
                "a": {"image": "a", "user": "postgres"},
                "b": {"image": "b", "user": "root"},
            }
        },
    )
    documents = plan(compose)
    assert "securityContext" not in container_of(documents, "a")
    assert container_of(documents, "b")["securityContext"] == {"runAsUser": 0}
    assert any(n.startswith("services.a.user: 'postgres' is a name") for n in notes(compose))


def test_the_pods_grace_period_is_the_longest_of_its_members(tmp_path: Path) -> None:
    compose = write(
        tmp_path,
        {
            "services": {
                "a": {"image": "a", "stop_grace_period": "1m30s"},
                "b": {"image": "b", "stop_grace_period": "20s"},
            }
        },
    )
    pods = [d for d in plan(compose, together=True) if d["kind"] == "Pod"]
    assert [p["spec"]["terminationGracePeriodSeconds"] for p in pods] == [90]


def test_shm_size_is_a_memory_empty_dir_at_dev_shm(tmp_path: Path) -> None:
    compose = write(tmp_path, {"services": {"db": {"image": "postgres", "shm_size": "1g"}}})
    documents = plan(compose)
    assert volume(spec_of(documents, "db"), "dshm") == {
        "name": "dshm",
        "emptyDir": {"medium": "Memory", "sizeLimit": "1Gi"},
    }
    assert {"name": "dshm", "mountPath": "/dev/shm"} in container_of(documents, "db")[
        "volumeMounts"
    ]


@pytest.mark.parametrize("tmpfs", ["/tmp", ["/tmp", "/run:size=64m,mode=1777"]])
def test_service_tmpfs_is_a_memory_empty_dir_at_its_path(tmp_path: Path, tmpfs: Any) -> None:
    service = {"image": "nginx", "read_only": True, "tmpfs": tmpfs}
    compose = write(tmp_path, {"services": {"web": service}})
    assert not [n for n in notes(compose) if "tmpfs" in n]
    documents = plan(compose)
    spec, container = spec_of(documents, "web"), container_of(documents, "web")
    assert volume(spec, "web-tmp") == {"name": "web-tmp", "emptyDir": {"medium": "Memory"}}
    assert {"name": "web-tmp", "mountPath": "/tmp"} in container["volumeMounts"]
    if isinstance(tmpfs, list):
        assert volume(spec, "web-run")["emptyDir"] == {"medium": "Memory", "sizeLimit": "64Mi"}
        assert {"name": "web-run", "mountPath": "/run"} in container["volumeMounts"]


def test_a_bad_service_tmpfs_is_refused_with_its_place(tmp_path: Path) -> None:
    compose = write(tmp_path, {"services": {"web": {"image": "a", "tmpfs": ["tmp"]}}})
    with pytest.raises(InputError, match=r"services\.web\.tmpfs\[0\]: must be an absolute"):
        load_compose(compose)
    compose = write(tmp_path, {"services": {"web": {"image": "a", "tmpfs": "/t:size=lots"}}})
    with pytest.raises(InputError, match=r"services\.web\.tmpfs: size 'lots'"):
        load_compose(compose)


def test_a_tmpfs_volume_is_in_memory_with_its_size(tmp_path: Path) -> None:
    tmpfs = {"type": "tmpfs", "target": "/cache", "tmpfs": {"size": 1048576}}
    compose = write(tmp_path, {"services": {"app": {"image": "a", "volumes": [tmpfs]}}})
    emptydir = volume(spec_of(plan(compose), "app"), "app-cache")["emptyDir"]
    assert emptydir == {"medium": "Memory", "sizeLimit": "1Mi"}


def test_shm_size_sizes_a_tmpfs_volume_at_dev_shm(tmp_path: Path) -> None:
    shm = {"type": "tmpfs", "target": "/dev/shm"}
    service = {"image": "a", "shm_size": "1g", "volumes": [shm]}
    compose = write(tmp_path, {"services": {"app": service}})
    spec = spec_of(plan(compose), "app")
    assert spec["volumes"] == [
        {"name": "app-dev-shm", "emptyDir": {"medium": "Memory", "sizeLimit": "1Gi"}}
    ]
    assert container_of(plan(compose), "app")["volumeMounts"] == [
        {"name": "app-dev-shm", "mountPath": "/dev/shm"}
    ]


def test_network_mode_naming_the_service_itself_is_refused(tmp_path: Path) -> None:
    service = {"image": "a", "network_mode": "service:a"}
    compose = write(tmp_path, {"services": {"a": service}})
    with pytest.raises(InputError) as raised:
        load_compose(compose)
    assert "services.a.network_mode: 'service:a' names the service itself" in str(raised.value)
    assert "no service" not in str(raised.value) and str(raised.value).count("\n") == 0


@pytest.mark.parametrize(
    ("depends", "where"),
    [
        (["ghost"], "depends_on[0]"),
        ({"ghost": {"condition": "service_started"}}, "depends_on.ghost"),
    ],
)
def test_depends_on_a_service_that_does_not_exist_is_one_note(
    tmp_path: Path, depends: Any, where: str
) -> None:
    # Compose refuses such a file alone; merged with another (-f) it may be whole.
    services = {"web": {"image": "a", "depends_on": depends}, "db": {"image": "b"}}
    compose = write(tmp_path, {"services": services})
    found = [n for n in notes(compose) if "ghost" in n]
    assert found == [
        f"services.web.{where}: no service 'ghost' in this file (compose refuses it unless "
        "another file defines it), ignored"
    ]


def test_depends_on_itself_is_refused(tmp_path: Path) -> None:
    compose = write(tmp_path, {"services": {"web": {"image": "a", "depends_on": ["web"]}}})
    with pytest.raises(InputError, match=r"depends_on\[0\]: names the service itself"):
        load_compose(compose)


def test_ulimits_and_stop_signal_get_notes(tmp_path: Path) -> None:
    compose = write(
        tmp_path,
        {
            "services": {
                "a": {"image": "a", "ulimits": {"nofile": 65535}, "stop_signal": "SIGQUIT"},
                "b": {"image": "b", "stop_signal": "SIGTERM"},
            }
        },
    )
    found = notes(compose)
    assert any(n.startswith("services.a.ulimits: Kubernetes sets no limits per pod") for n in found)
    assert any(n.startswith("services.a.stop_signal:") and "SIGQUIT" in n for n in found)
    assert not any(n.startswith("services.b.") for n in found)


def test_the_same_input_gives_the_same_bytes(tmp_path: Path) -> None:
    (tmp_path / "pw.txt").write_text("x")
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "a.ini").write_text("a=1")
    data = {
        "services": {
            "app": {
                "image": "app",
                "secrets": ["pw"],
                "environment": {"API_KEY": "k"},
                "volumes": ["./conf:/conf:ro", "./data:/data"],
                "user": "1000",
            }
        },
        "secrets": {"pw": {"file": "pw.txt"}},
    }
    compose = write(tmp_path, data)
    first = (plan(compose), (tmp_path / "out" / "pods.yaml").read_bytes())[1]
    plan(compose)
    assert (tmp_path / "out" / "pods.yaml").read_bytes() == first


def test_the_report_says_pods_yaml_holds_secret_values(tmp_path: Path) -> None:
    compose = write(
        tmp_path, {"services": {"api": {"image": "api", "environment": {"API_TOKEN": "t"}}}}
    )
    plan(compose)
    report = (tmp_path / "out" / "report.md").read_text()
    assert "**pods.yaml**: holds the values of the Secrets api-env in base64" in report
