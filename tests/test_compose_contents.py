"""File contents where they belong: key material in Secrets, directories of configuration in
one ConfigMap, the service's own code left to its image, a secret's mode kept; each on a
small compose project with real files, every manifest valid."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from helpers import K8S_VERSION, QUESTIONS, corpus_folder, pods_of
from test_compose_corpus import staged

from advisor.cli import main
from advisor.domain.secretnames import key_material
from advisor.formats.compose.reader import load_compose

PEM_KEY = (
    "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n"
)
PEM_CERT = "-----BEGIN CERTIFICATE-----\nMIIDazCCAlOgAwIBAgIU\n-----END CERTIFICATE-----\n"


def write(folder: Path, services: dict[str, Any], **top: Any) -> Path:
    path = folder / "compose.yaml"
    path.write_text(yaml.safe_dump({"services": services, **top}, sort_keys=False))
    return path


def plan(compose: Path, together: bool = False) -> list[dict[str, Any]]:
    out = compose.parent / "out"
    command = ["plan", str(compose), "--out", str(out), "--workload", "deployment"]
    if together:
        names = [c.name for c in load_compose(compose).containers]
        pairs = {f"{a} + {b}": {q: "yes" for q in QUESTIONS} for a in names for b in names if a < b}
        answers = compose.parent / "answers.yaml"
        answers.write_text(yaml.safe_dump({"version": 1, "pairs": pairs}))
        command += ["--answers", str(answers)]
    assert main(command) == 0
    documents = [d for d in yaml.safe_load_all((out / "pods.yaml").read_text()) if d]
    for document in documents:
        kubernetes_validate.validate(document, K8S_VERSION, strict=True)
    return documents


def named(documents: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in documents if d["kind"] == kind}


def spec(documents: list[dict[str, Any]]) -> dict[str, Any]:
    (pod,) = pods_of(documents)
    return pod["spec"]  # type: ignore[no-any-return]


def notes(compose: Path) -> list[str]:
    return list(load_compose(compose).warnings)


def config_map_text(documents: list[dict[str, Any]]) -> str:
    maps = named(documents, "ConfigMap").values()
    decoded = [base64.b64decode(v) for m in maps for v in (m.get("binaryData") or {}).values()]
    return yaml.safe_dump_all(maps) + "".join(b.decode("latin-1") for b in decoded)


# --- key material -------------------------------------------------------------------


def test_a_bound_pem_private_key_goes_to_a_secret_never_a_config_map(tmp_path: Path) -> None:
    (tmp_path / "certs").mkdir()
    (tmp_path / "certs" / "key.pem").write_text(PEM_KEY)
    compose = write(
        tmp_path, {"web": {"image": "web:1", "volumes": ["./certs/key.pem:/key.pem:ro"]}}
    )
    documents = plan(compose)
    assert named(documents, "ConfigMap") == {}
    secret = named(documents, "Secret")["certs-key-pem"]
    assert base64.b64decode(secret["data"]["key.pem"]).decode() == PEM_KEY
    assert spec(documents)["containers"][0]["volumeMounts"] == [
        {
            "name": "secret-certs-key-pem",
            "mountPath": "/key.pem",
            "readOnly": True,
            "subPath": "key.pem",
        }
    ]
    assert {"name": "secret-certs-key-pem", "secret": {"secretName": "certs-key-pem"}} in spec(
        documents
    )["volumes"]


def test_the_report_says_where_the_key_went(tmp_path: Path) -> None:
    (tmp_path / "key.pem").write_text(PEM_KEY)
    compose = write(tmp_path, {"web": {"image": "web:1", "volumes": ["./key.pem:/key.pem:ro"]}})
    assert any(
        "./key.pem holds key material: it goes to the Secret 'key-pem', never a ConfigMap" in n
        for n in notes(compose)
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("id_rsa", b"anything"),
        ("id_ed25519", b"anything"),
        ("server.key", b"not a PEM"),
        ("client.p12", b"\x30\x82\x01\x00binary"),
        ("keystore.jks", b"\xfe\xed\xfe\xed"),
        ("tls.pem", b"-----BEGIN EC PRIVATE KEY-----\n"),
        ("anything.txt", b"-----BEGIN OPENSSH PRIVATE KEY-----\n"),
    ],
)
def test_key_material_by_name_or_content(name: str, content: bytes) -> None:
    assert key_material(name, content)


@pytest.mark.parametrize(
    ("name", "content"),
    [("cert.pem", PEM_CERT.encode()), ("id_rsa.pub", b"ssh-rsa AAAA"), ("keys.conf", b"a=1")],
)
def test_certificates_and_public_keys_are_no_key_material(name: str, content: bytes) -> None:
    assert not key_material(name, content)


def test_a_certificate_alone_stays_a_config_map(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_text(PEM_CERT)
    compose = write(tmp_path, {"web": {"image": "web:1", "volumes": ["./ca.pem:/ca.pem:ro"]}})
    documents = plan(compose)
    assert named(documents, "ConfigMap")["ca-pem"]["data"] == {"ca.pem": PEM_CERT}
    assert named(documents, "Secret") == {}


def test_a_directory_holding_a_key_is_one_secret(tmp_path: Path) -> None:
    certs = tmp_path / "certs"
    certs.mkdir()
    (certs / "tls.crt").write_text(PEM_CERT)
    (certs / "tls.key").write_text(PEM_KEY)
    compose = write(tmp_path, {"web": {"image": "web:1", "volumes": ["./certs:/etc/tls:ro"]}})
    documents = plan(compose)
    assert named(documents, "ConfigMap") == {}
    assert sorted(named(documents, "Secret")["certs"]["data"]) == ["tls.crt", "tls.key"]
    assert spec(documents)["containers"][0]["volumeMounts"] == [
        {"name": "secret-certs", "mountPath": "/etc/tls", "readOnly": True}
    ]


def test_a_compose_config_holding_a_key_goes_to_a_secret(tmp_path: Path) -> None:
    (tmp_path / "signing.key").write_text(PEM_KEY)
    compose = write(
        tmp_path,
        {"app": {"image": "app:1", "configs": ["signing"]}},
        configs={"signing": {"file": "./signing.key"}},
    )
    documents = plan(compose)
    assert named(documents, "ConfigMap") == {}
    assert "signing" in named(documents, "Secret")
    mount = spec(documents)["containers"][0]["volumeMounts"][0]
    assert mount["name"] == "secret-signing" and mount["mountPath"] == "/signing"


# --- directories of configuration ---------------------------------------------------


def test_a_read_only_directory_of_configs_is_one_config_map_text_and_binary(
    tmp_path: Path,
) -> None:
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "app.ini").write_text("[main]\nx = 1\n")
    (conf / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\xff")
    compose = write(tmp_path, {"app": {"image": "app:1", "volumes": ["./conf:/etc/app:ro"]}})
    documents = plan(compose)
    config = named(documents, "ConfigMap")["conf"]
    assert config["data"] == {"app.ini": "[main]\nx = 1\n"}
    assert base64.b64decode(config["binaryData"]["logo.png"]) == b"\x89PNG\r\n\x1a\n\xff"
    assert {"name": "config-conf", "configMap": {"name": "conf"}} in spec(documents)["volumes"]
    assert named(documents, "PersistentVolumeClaim") == {}


def test_a_file_name_no_key_can_carry_is_put_back_by_items(tmp_path: Path) -> None:
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "my site.conf").write_text("x\n")
    compose = write(tmp_path, {"app": {"image": "app:1", "volumes": ["./conf:/etc/app:ro"]}})
    volume = spec(plan(compose))["volumes"][0]
    assert volume["configMap"]["items"] == [{"key": "my_site.conf", "path": "my site.conf"}]


def test_a_read_only_directory_over_a_mebibyte_is_a_read_only_claim(tmp_path: Path) -> None:
    big = tmp_path / "models"
    big.mkdir()
    (big / "a.bin").write_bytes(b"\0" * (600 * 1024))
    (big / "b.bin").write_bytes(b"\0" * (600 * 1024))
    compose = write(tmp_path, {"app": {"image": "app:1", "volumes": ["./models:/models:ro"]}})
    documents = plan(compose)
    assert named(documents, "ConfigMap") == {}
    assert "models" in named(documents, "PersistentVolumeClaim")
    mount = spec(documents)["containers"][0]["volumeMounts"][0]
    assert mount == {"name": "models", "mountPath": "/models", "readOnly": True}
    assert any("holds over 1 MiB" in n and "read-only claim" in n for n in notes(compose))


def test_a_bound_script_stays_executable(tmp_path: Path) -> None:
    script = tmp_path / "start.sh"
    script.write_text("#!/bin/sh\nexec app\n")
    script.chmod(0o755)
    compose = write(tmp_path, {"app": {"image": "app:1", "volumes": ["./start.sh:/start.sh:ro"]}})
    (volume,) = spec(plan(compose))["volumes"]
    assert volume == {
        "name": "config-start-sh-m755",
        "configMap": {"name": "start-sh", "defaultMode": 0o755},
    }


# --- the service's own code ---------------------------------------------------------


def app_with_code(tmp_path: Path, volumes: list[str], build: Any = ".") -> Path:
    (tmp_path / "src").mkdir(exist_ok=True)
    (tmp_path / "src" / "main.py").write_text("print('hi')\n")
    (tmp_path / "Dockerfile").write_text("FROM python:3.12\nCOPY . /app\n")
    return write(tmp_path, {"app": {"build": build, "image": "app:1", "volumes": volumes}})


def test_the_build_context_bound_over_the_code_is_left_out(tmp_path: Path) -> None:
    compose = app_with_code(tmp_path, [".:/app"])
    documents = plan(compose)
    assert named(documents, "PersistentVolumeClaim") == {}
    assert "volumeMounts" not in spec(documents)["containers"][0]
    assert any(
        n == "services.app.volumes: . at /app is left out: the image carries the code (built "
        "from it); rebuild the image to change it"
        for n in notes(compose)
    )


def test_a_source_folder_inside_the_context_is_left_out(tmp_path: Path) -> None:
    compose = app_with_code(tmp_path, ["./src:/app/src"], build={"context": "."})
    assert named(plan(compose), "PersistentVolumeClaim") == {}


def test_a_folder_above_the_context_is_code_too(tmp_path: Path) -> None:
    (tmp_path / "backend").mkdir()
    compose = app_with_code(tmp_path, [".:/srv"], build="./backend")
    assert named(plan(compose), "PersistentVolumeClaim") == {}


def test_a_data_folder_inside_the_context_stays_a_claim(tmp_path: Path) -> None:
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "cat.jpg").write_bytes(b"\xff\xd8")
    compose = app_with_code(tmp_path, ["./uploads:/app/uploads"])
    assert "uploads" in named(plan(compose), "PersistentVolumeClaim")


def test_a_source_folder_of_a_service_without_build_stays_a_claim(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.py").write_text("x\n")
    compose = write(tmp_path, {"app": {"image": "python:3", "volumes": ["./src:/app"]}})
    assert "src" in named(plan(compose), "PersistentVolumeClaim")


def test_anonymous_volumes_that_masked_the_code_mount_go_with_it(tmp_path: Path) -> None:
    volumes = [".:/app", "/app/node_modules", "cache:/app/.cache"]
    compose = app_with_code(tmp_path, volumes)
    text = compose.read_text() + "volumes:\n  cache: {}\n"
    compose.write_text(text)
    documents = plan(compose)
    assert list(named(documents, "PersistentVolumeClaim")) == ["cache"]
    mounts = spec(documents)["containers"][0]["volumeMounts"]
    assert [m["mountPath"] for m in mounts] == ["/app/.cache"]
    assert any("anonymous volume at /app/node_modules is left out" in n for n in notes(compose))


def test_a_tmpfs_under_the_code_mount_stays(tmp_path: Path) -> None:
    compose = app_with_code(tmp_path, [".:/app", {"type": "tmpfs", "target": "/app/tmp"}])
    mounts = spec(plan(compose))["containers"][0]["volumeMounts"]
    assert [m["mountPath"] for m in mounts] == ["/app/tmp"]


# --- a secret's mode, uid and gid ---------------------------------------------------


def secret_project(tmp_path: Path, entry: dict[str, Any], other: Any = "db-password") -> Path:
    (tmp_path / "pw.txt").write_text("hunter2")
    return write(
        tmp_path,
        {
            "db": {"image": "postgres:16", "secrets": [entry]},
            "app": {"image": "app:1", "secrets": [other]},
        },
        secrets={"db-password": {"file": "./pw.txt"}},
    )


def test_a_secrets_mode_becomes_the_volumes_default_mode(tmp_path: Path) -> None:
    compose = secret_project(tmp_path, {"source": "db-password", "mode": 0o440})
    documents = plan(compose, together=True)
    volumes = {v["name"]: v for v in spec(documents)["volumes"]}
    assert volumes["secret-db-password-m440"]["secret"] == {
        "secretName": "db-password",
        "defaultMode": 0o440,
    }
    # The other service mounts the same Secret with the default mode, from its own volume.
    assert volumes["secret-db-password"]["secret"] == {"secretName": "db-password"}


def test_a_mode_written_as_text_is_octal(tmp_path: Path) -> None:
    compose = secret_project(tmp_path, {"source": "db-password", "mode": "0400"})
    (mount,) = [m for c in load_compose(compose).containers for m in c.files if m.mode]
    assert mount.mode == 0o400


def test_a_mode_beyond_0777_is_refused(tmp_path: Path) -> None:
    compose = secret_project(tmp_path, {"source": "db-password", "mode": "1777"})
    assert main(["plan", str(compose)]) == 2


def test_uid_and_gid_get_an_fs_group_note(tmp_path: Path) -> None:
    compose = secret_project(tmp_path, {"source": "db-password", "uid": "999", "gid": "999"})
    assert any(
        "uid 999, gid 999" in n and "securityContext.fsGroup: 999" in n for n in notes(compose)
    )


# --- over the corpus ----------------------------------------------------------------

CORPUS = corpus_folder()
FILES = sorted(CORPUS.glob("*.yaml")) if CORPUS else []


def plant_keys(compose: Path) -> int:
    """A PEM private key at every project path a service binds (a file, or a file in a
    directory): the number planted."""
    data = yaml.safe_load(compose.read_text())
    services = data.get("services", data) if isinstance(data, dict) else {}
    planted = 0
    for service in services.values():
        for entry in (service or {}).get("volumes") or [] if isinstance(service, dict) else []:
            source = entry.get("source") if isinstance(entry, dict) else str(entry).split(":")[0]
            if not isinstance(source, str) or not source.startswith("./") or "$" in source:
                continue
            path = compose.parent / source
            if path.suffix:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(PEM_KEY)
            else:
                path.mkdir(parents=True, exist_ok=True)
                (path / "server.pem").write_text(PEM_KEY)
            planted += 1
    return planted


@pytest.mark.parametrize("source", FILES, ids=[f.stem for f in FILES])
def test_no_corpus_config_map_ever_holds_key_material(source: Path, tmp_path: Path) -> None:
    compose = staged(source, tmp_path / "project")
    plant_keys(compose)
    out = tmp_path / "out"
    assert main(["plan", str(compose), "--out", str(out)]) == 0
    documents = [d for d in yaml.safe_load_all((out / "pods.yaml").read_text()) if d]
    for document in documents:
        kubernetes_validate.validate(document, K8S_VERSION, strict=True)
    assert "PRIVATE KEY" not in config_map_text(documents)


def test_the_corpus_binds_files_to_plant_keys_in(tmp_path: Path) -> None:
    if not FILES:
        pytest.skip("no corpus")
    planted = [plant_keys(staged(f, tmp_path / f.stem)) for f in FILES]
    assert sum(planted) >= 5  # the test above looks at real binds, not at nothing


def test_a_bad_mode_is_refused_naming_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    compose = secret_project(tmp_path, {"source": "db-password", "mode": "rw"})
    assert main(["plan", str(compose)]) == 2
    error = capsys.readouterr().err
    assert "compose.yaml:" in error
    assert "services.db.secrets[0].mode: must be an octal file mode such as 0440, not 'rw'" in error


def test_read_only_as_text_from_a_variable_is_read_only(tmp_path: Path) -> None:
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "a.yml").write_text("a: 1\n")
    entry = {"type": "bind", "source": "./conf", "target": "/etc/app", "read_only": "${RO:-true}"}
    compose = write(tmp_path, {"app": {"image": "app:1", "volumes": [entry]}})
    documents = plan(compose)
    assert named(documents, "ConfigMap")["conf"]["data"] == {"a.yml": "a: 1\n"}
    assert named(documents, "PersistentVolumeClaim") == {}


def test_a_directory_with_a_script_keeps_it_executable(tmp_path: Path) -> None:
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    (scripts / "start.sh").write_text("#!/bin/sh\n")
    (scripts / "start.sh").chmod(0o755)
    (scripts / "app.conf").write_text("x\n")
    compose = write(tmp_path, {"app": {"image": "app:1", "volumes": ["./scripts:/scripts:ro"]}})
    (volume,) = spec(plan(compose))["volumes"]
    assert volume["configMap"] == {"name": "scripts", "defaultMode": 0o755}
