"""Variables as ``docker compose`` resolves them: ``.env`` lines that use earlier ones,
``env_file`` values interpolated, ``${VAR:?message}`` refused with its place, ``$$`` a
literal dollar. Each rule on a small inline project, run through the command line."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import corpus_folder, pods_of
from hypothesis import given, settings
from hypothesis import strategies as st
from kubelet import EveryName, kubelet_expand

from advisor.cli import main


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DOMAIN", "SITE_URL", "TAG", "PORT", "NEEDED", "FROM_SHELL", "USER_NAME"):
        monkeypatch.delenv(name, raising=False)


def project(folder: Path, compose: str, **files: str) -> Path:
    """A compose file with its companion files (``dotenv`` is ``.env``) in ``folder``."""
    for name, text in files.items():
        (folder / (".env" if name == "dotenv" else name.replace("_", "."))).write_text(text)
    path = folder / "compose.yaml"
    path.write_text(compose)
    return path


def planned(compose: Path) -> list[dict[str, Any]]:
    out = compose.parent / "out"
    assert main(["plan", str(compose), "--out", str(out)]) == 0
    return [d for d in yaml.safe_load_all((out / "pods.yaml").read_text()) if d]


def env_of(documents: list[dict[str, Any]], container: str) -> dict[str, str]:
    """A container's variables as its process gets them: ``env`` values as the kubelet
    expands them, Secret and ConfigMap values (``envFrom`` or ``valueFrom``) as stored."""
    data = {
        (d["kind"], d["metadata"]["name"]): {
            k: base64.b64decode(v).decode() if d["kind"] == "Secret" else v
            for k, v in d.get("data", {}).items()
        }
        for d in documents
        if d["kind"] in ("Secret", "ConfigMap")
    }
    for pod in pods_of(documents):
        for entry in pod["spec"]["containers"]:
            if entry["name"] != container:
                continue
            env: dict[str, str] = {}
            for source in entry.get("envFrom", []):
                if "configMapRef" in source:
                    env.update(data["ConfigMap", source["configMapRef"]["name"]])
                else:
                    env.update(data["Secret", source["secretRef"]["name"]])
            for item in entry.get("env", []):
                if "value" in item:  # as the kubelet hands it over
                    env[item["name"]] = kubelet_expand(item["value"], EveryName())
                else:
                    ref = item["valueFrom"]["secretKeyRef"]
                    env[item["name"]] = data["Secret", ref["name"]][ref["key"]]
            return env
    raise AssertionError(container)


def refused(compose: Path, capsys: pytest.CaptureFixture[str]) -> str:
    out = compose.parent / "refused"
    assert main(["plan", str(compose), "--out", str(out)]) == 2
    assert not out.exists()
    return capsys.readouterr().err.strip()


WEB = "services:\n  web:\n    image: nginx\n    environment:\n{}"


def test_a_dotenv_value_uses_an_earlier_one(tmp_path: Path) -> None:
    compose = project(
        tmp_path,
        WEB.format("      SITE: ${SITE_URL}\n"),
        dotenv="DOMAIN=example.com\nSITE_URL=https://${DOMAIN}/app\n",
    )
    assert env_of(planned(compose), "web") == {"SITE": "https://example.com/app"}


def test_a_database_url_from_dotenv_reaches_its_secret_resolved(tmp_path: Path) -> None:
    compose = project(
        tmp_path,
        WEB.format("      DATABASE_URL: ${DATABASE_URL}\n"),
        dotenv=(
            "POSTGRES_USER=app\nPOSTGRES_PASSWORD=hunter2\n"
            "DATABASE_URL=postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@postgres:5432/db\n"
        ),
    )
    documents = planned(compose)
    assert env_of(documents, "web") == {"DATABASE_URL": "postgres://app:hunter2@postgres:5432/db"}
    entry = pods_of(documents)[0]["spec"]["containers"][0]["env"][0]
    assert "valueFrom" in entry  # a URL with a password stays out of the plain manifest


def test_a_dotenv_default_applies_when_the_variable_is_unset(tmp_path: Path) -> None:
    compose = project(
        tmp_path,
        WEB.format("      P: ${PORT}\n      H: ${HOST_NAME}\n"),
        dotenv="PORT=${PORT:-8080}\nEMPTY=\nHOST_NAME=${EMPTY:-localhost}\n",
    )
    assert env_of(planned(compose), "web") == {"P": "8080", "H": "localhost"}


def test_the_shell_wins_over_an_earlier_dotenv_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # compose looks a variable up in the environment first, then in the lines above
    monkeypatch.setenv("DOMAIN", "shell.example")
    compose = project(
        tmp_path,
        WEB.format("      SITE: ${SITE_URL}\n"),
        dotenv="DOMAIN=example.com\nSITE_URL=https://${DOMAIN}\n",
    )
    assert env_of(planned(compose), "web") == {"SITE": "https://shell.example"}


def test_single_quotes_in_dotenv_keep_the_value_literal(tmp_path: Path) -> None:
    compose = project(
        tmp_path,
        WEB.format("      LITERAL: ${LITERAL}\n"),
        dotenv="DOMAIN=example.com\nLITERAL='https://${DOMAIN}'\n",
    )
    assert env_of(planned(compose), "web") == {"LITERAL": "https://${DOMAIN}"}


def test_double_quotes_in_dotenv_expand_escapes_and_variables(tmp_path: Path) -> None:
    compose = project(
        tmp_path,
        WEB.format("      GREETING: ${GREETING}\n"),
        dotenv='USER_NAME=ann\nGREETING="hi ${USER_NAME} \\$5 # not a comment"\n',
    )
    assert env_of(planned(compose), "web") == {"GREETING": "hi ann $5 # not a comment"}


def test_an_unquoted_dotenv_value_ends_at_a_spaced_hash(tmp_path: Path) -> None:
    compose = project(
        tmp_path,
        WEB.format("      A: ${A}\n      B: ${B}\n"),
        dotenv="A=one # a comment\nB=two#three\n",
    )
    assert env_of(planned(compose), "web") == {"A": "one", "B": "two#three"}


def test_a_dotenv_double_dollar_is_one_dollar(tmp_path: Path) -> None:
    compose = project(tmp_path, WEB.format("      PRICE: ${PRICE}\n"), dotenv="PRICE=$$5\n")
    assert env_of(planned(compose), "web") == {"PRICE": "$5"}


def test_a_quoted_dotenv_value_may_span_lines(tmp_path: Path) -> None:
    compose = project(
        tmp_path,
        WEB.format("      KEY: ${KEY}\n      AFTER: ${AFTER}\n"),
        dotenv='KEY="line one\nline two"\nAFTER=x\n',
    )
    assert env_of(planned(compose), "web") == {"KEY": "line one\nline two", "AFTER": "x"}


def test_env_file_values_are_interpolated_with_the_project_variables(tmp_path: Path) -> None:
    compose = project(
        tmp_path,
        "services:\n  web:\n    image: nginx\n    env_file: app.env\n",
        dotenv="DOMAIN=example.com\n",
        app_env="API=https://${DOMAIN}/api\nDOCS=${API}/docs\nMODE=${MODE:-production}\n",
    )
    assert env_of(planned(compose), "web") == {
        "API": "https://example.com/api",
        "DOCS": "https://example.com/api/docs",
        "MODE": "production",
    }


def test_env_file_values_see_the_service_environment(tmp_path: Path) -> None:
    compose = project(
        tmp_path,
        "services:\n  web:\n    image: nginx\n    env_file: app.env\n"
        "    environment:\n      HOST_NAME: db\n",
        app_env="URL=postgres://${HOST_NAME}:5432\n",
    )
    assert env_of(planned(compose), "web") == {"URL": "postgres://db:5432", "HOST_NAME": "db"}


def test_a_bare_name_in_an_env_file_comes_from_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FROM_SHELL", "hello")
    compose = project(
        tmp_path,
        "services:\n  web:\n    image: nginx\n    env_file: app.env\n",
        app_env="FROM_SHELL\nNOWHERE\n",
    )
    assert env_of(planned(compose), "web") == {"FROM_SHELL": "hello"}


def test_a_required_variable_in_the_compose_file_is_refused_with_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    compose = project(tmp_path, "services:\n  web:\n    image: 'nginx:${TAG:?set TAG first}'\n")
    error = refused(compose, capsys)
    assert error.endswith(
        "compose.yaml:3:5: services.web.image: variable TAG is not set: set TAG first"
    )


def test_question_mark_without_colon_refuses_only_an_unset_variable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    compose = project(
        tmp_path, "services:\n  web:\n    image: 'nginx${TAG?needs a tag}'\n", dotenv="TAG=\n"
    )
    planned(compose)  # set, though empty: accepted
    (tmp_path / ".env").write_text("OTHER=1\n")
    assert refused(compose, capsys).endswith("variable TAG is not set: needs a tag")


def test_a_required_variable_in_dotenv_is_refused_with_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    compose = project(
        tmp_path, "services:\n  web:\n    image: nginx\n", dotenv="A=1\nB=x${NEEDED:?give it}\n"
    )
    error = refused(compose, capsys)
    assert error.endswith(".env:2:3: B: variable NEEDED is not set: give it")


def test_a_required_variable_in_an_env_file_is_refused_with_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    compose = project(
        tmp_path,
        "services:\n  web:\n    image: nginx\n    env_file: app.env\n",
        app_env="# settings\nexport  TOKEN = ${NEEDED:?the API token}\n",
    )
    error = refused(compose, capsys)
    assert error.endswith("app.env:2:17: TOKEN: variable NEEDED is not set: the API token")


def test_an_unclosed_quote_in_dotenv_is_refused_without_showing_the_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    compose = project(
        tmp_path, "services:\n  web:\n    image: nginx\n", dotenv="PASSWORD='hunter2\n"
    )
    error = refused(compose, capsys)
    assert error.endswith(
        ".env:1: PASSWORD: the single quote of the value never closes "
        "(the value is not shown: it may hold a secret)"
    )
    assert "hunter2" not in error


def test_double_dollar_in_the_compose_file_is_a_literal_dollar(tmp_path: Path) -> None:
    compose = project(tmp_path, WEB.format("      PRICE: $$5 and $${NOT_A_VARIABLE}\n"))
    assert env_of(planned(compose), "web") == {"PRICE": "$5 and ${NOT_A_VARIABLE}"}


OUTPUTS = ("pods.yaml", "layout.yaml", "report.md")
CORPUS = corpus_folder()
FILES = sorted(CORPUS.glob("*.yaml")) if CORPUS else []


def unresolved(out: Path) -> list[str]:
    """Every output line that still holds a ``${``."""
    return [
        f"{name}: {line}"
        for name in OUTPUTS
        for line in (out / name).read_text().splitlines()
        if "${" in line
    ]


@pytest.mark.parametrize("source", FILES, ids=[f.stem for f in FILES])
def test_no_corpus_output_holds_a_variable_compose_resolves(source: Path, tmp_path: Path) -> None:
    # No corpus file escapes a "${" as "$${": every one of them is compose's to resolve.
    aux = source.parent / "_aux" / source.stem
    for companion in aux.iterdir() if aux.is_dir() else ():
        shutil.copy(companion, tmp_path / companion.name)
    compose = Path(shutil.copy(source, tmp_path / source.name))
    assert "$${" not in compose.read_text()
    assert main(["plan", str(compose), "--out", str(tmp_path / "out")]) == 0
    assert unresolved(tmp_path / "out") == []


PIECE = st.one_of(
    st.text("abc:/@.-", min_size=1, max_size=4).map(lambda t: (t, t)),
    st.just(("${UNSET_ONE:-dflt}", "dflt")),
    st.just(("$$", "$")),
)


@st.composite
def dotenv_chains(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    """Lines ``V0=...`` to ``Vn=...``, each using earlier ones, and their resolved values."""
    lines: list[str] = []
    values: list[str] = []
    for index in range(draw(st.integers(1, 5))):
        text, value = "", ""
        for _ in range(draw(st.integers(1, 4))):
            if values and draw(st.booleans()):
                earlier = draw(st.integers(0, len(values) - 1))
                text, value = text + f"${{V{earlier}}}", value + values[earlier]
            else:
                piece, meant = draw(PIECE)
                text, value = text + piece, value + meant
        lines.append(f"V{index}={text}")
        values.append(value)
    return lines, values


@settings(max_examples=15, deadline=None)
@given(dotenv_chains(), st.booleans())
def test_generated_variable_chains_arrive_resolved(
    tmp_path_factory: pytest.TempPathFactory, chain: tuple[list[str], list[str]], in_env_file: bool
) -> None:
    lines, values = chain
    folder = tmp_path_factory.mktemp("app")
    environment = "".join(f"      E{i}: ${{V{i}}}\n" for i in range(len(values)))
    compose = "services:\n  web:\n    image: nginx\n    environment:\n" + environment
    if in_env_file:  # the same lines in an env_file, with the names the service reads
        compose = "services:\n  web:\n    image: nginx\n    env_file: app.env\n"
        (folder / "app.env").write_text("\n".join(lines) + "\n")
        expected = {f"V{i}": value for i, value in enumerate(values)}
    else:
        (folder / ".env").write_text("\n".join(lines) + "\n")
        expected = {f"E{i}": value for i, value in enumerate(values)}
    path = folder / "compose.yaml"
    path.write_text(compose)
    assert env_of(planned(path), "web") == expected
    assert unresolved(folder / "out") == []


def test_a_broken_variable_in_an_env_file_is_refused_without_showing_the_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    compose = project(
        tmp_path,
        "services:\n  web:\n    image: nginx\n    env_file: app.env\n",
        app_env="TOKEN=hunter2${oops\n",
    )
    error = refused(compose, capsys)
    assert error.endswith(
        "app.env:1:7: TOKEN: a '${' that never closes or names no variable "
        "(the value is not shown: it may hold a secret; write '$$' for a "
        "literal '$')"
    )
    assert "hunter2" not in error


def test_a_raw_env_file_keeps_its_values_as_written(tmp_path: Path) -> None:
    compose = project(
        tmp_path,
        "services:\n  web:\n    image: nginx\n    env_file: [{path: app.env, format: raw}]\n",
        dotenv="DOMAIN=example.com\n",
        app_env="# as docker run --env-file reads it\nSITE=https://${DOMAIN}\nQUOTED='a b' # c\n",
    )
    assert env_of(planned(compose), "web") == {
        "SITE": "https://${DOMAIN}",
        "QUOTED": "'a b' # c",
    }
