"""Commands that mean to the kubelet what they meant to compose.

Compose hands a process its command, args and variables as they are (``$$(cat $$FILE)``
in the file is ``$(cat $FILE)`` for the shell); the kubelet expands ``$(NAME)`` and ``$$``
in a container's command, args, env values and exec probe. Every string written runs
through the kubelet's rule (``kubelet.kubelet_expand``) and must give compose's back.
"""

from __future__ import annotations

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
from advisor.exporters.kubelet import kubelet_literal
from advisor.formats.compose.reader import load_compose

CORPUS = corpus_folder()
FILES = sorted(CORPUS.glob("*.yaml")) if CORPUS else []
# Text where the kubelet's rule bites: dollars, parentheses, braces, names, non-ASCII.
TRICKY = st.lists(
    st.sampled_from(["$", "(", ")", "{", "}", "A", "b", " ", "é", "$(", "$$", "$(A)"])
).map("".join)


def planned(compose: Path, *options: str) -> list[dict[str, Any]]:
    out = compose.parent / "out"
    assert main(["plan", str(compose), "--out", str(out), *options]) == 0
    return [d for d in yaml.safe_load_all((out / "pods.yaml").read_text()) if d]


def container_of(documents: list[dict[str, Any]], name: str) -> dict[str, Any]:
    for pod in pods_of(documents):
        for entry in pod["spec"]["containers"]:
            if entry["name"] == name:
                return entry  # type: ignore[no-any-return]
    raise AssertionError(name)


def static_env(entry: dict[str, Any]) -> dict[str, str]:
    """The variables the kubelet expands with: a Secret's value is unknown here, so it
    counts as defined and empty (as the probe's expansion takes it)."""
    return {item["name"]: item.get("value", "") for item in entry.get("env", [])}


def expanded(entry: dict[str, Any], variables: Any) -> dict[str, Any]:
    """The container's strings as the kubelet hands them over."""
    probe = entry.get("readinessProbe", {}).get("exec", {}).get("command")
    return {
        "command": [kubelet_expand(w, variables) for w in entry.get("command", [])],
        "args": [kubelet_expand(w, variables) for w in entry.get("args", [])],
        "env": {
            i["name"]: kubelet_expand(i["value"], variables)
            for i in entry.get("env", [])
            if "value" in i
        },
        "probe": None if probe is None else [kubelet_expand(w, variables) for w in probe],
    }


def test_the_rule_expands_defined_names_and_double_dollars() -> None:
    text = "$(A) $$(A) $(B) $x $$ $("
    assert kubelet_expand(text, {"A": "1"}) == "1 $(A) $(B) $x $ $("


@given(TRICKY)
def test_an_escaped_string_comes_back_whatever_names_are_defined(text: str) -> None:
    assert kubelet_expand(kubelet_literal(text), EveryName()) == text


def test_a_string_without_a_reference_is_written_as_it_is() -> None:
    assert kubelet_literal("echo $HOME ${PATH} $1") == "echo $HOME ${PATH} $1"


def test_a_compose_command_substitution_is_escaped_for_the_kubelet(tmp_path: Path) -> None:
    compose = tmp_path / "compose.yaml"
    compose.write_text(
        "services:\n  web:\n    image: nginx\n"
        "    environment: {FILE: /run/token}\n"
        "    entrypoint: [sh, -c]\n    command: ['exec app --token $$(cat $$FILE)']\n"
    )
    entry = container_of(planned(compose), "web")
    assert entry["args"] == ["exec app --token $$(cat $FILE)"]
    assert expanded(entry, static_env(entry))["args"] == ["exec app --token $(cat $FILE)"]


def test_an_env_value_with_a_reference_is_escaped(tmp_path: Path) -> None:
    compose = tmp_path / "compose.yaml"
    compose.write_text(
        "services:\n  web:\n    image: nginx\n    environment:\n"
        "      HOME_DIR: /srv\n      START: 'cd $$(HOME_DIR) && echo $$$$'\n"
    )
    entry = container_of(planned(compose), "web")
    assert expanded(entry, static_env(entry))["env"]["START"] == "cd $(HOME_DIR) && echo $$"


def test_a_healthcheck_command_is_escaped(tmp_path: Path) -> None:
    compose = tmp_path / "compose.yaml"
    compose.write_text(
        "services:\n  db:\n    image: postgres:16\n    environment: {USER_FILE: /run/u}\n"
        "    healthcheck:\n      test: [CMD-SHELL, 'pg_isready -U $$(cat $$USER_FILE)']\n"
    )
    entry = container_of(planned(compose), "db")
    probe = expanded(entry, static_env(entry))["probe"]
    assert probe == ["sh", "-c", "pg_isready -U $(cat $USER_FILE)"]


@settings(max_examples=20, deadline=None)
@given(TRICKY.filter(lambda t: t.strip() == t and t), TRICKY)
def test_generated_compose_strings_reach_the_process_unchanged(
    tmp_path_factory: pytest.TempPathFactory, word: str, value: str
) -> None:
    folder = tmp_path_factory.mktemp("app")
    compose = folder / "compose.yaml"
    escaped = {"command": [word.replace("$", "$$")], "environment": {"V": value.replace("$", "$$")}}
    compose.write_text(yaml.safe_dump({"services": {"app": {"image": "busybox", **escaped}}}))
    entry = container_of(planned(compose), "app")
    seen = expanded(entry, EveryName())
    assert seen["args"] == [word]
    assert seen["env"] == {"V": value}


def staged(source: Path, folder: Path) -> Path:
    folder.mkdir()
    aux = source.parent / "_aux" / source.stem
    if aux.is_dir():
        for companion in aux.iterdir():
            shutil.copy(companion, folder / companion.name)
    return Path(shutil.copy(source, folder / source.name))


@pytest.mark.parametrize("source", FILES, ids=[f.stem for f in FILES])
def test_corpus_strings_mean_to_the_kubelet_what_they_meant_to_compose(
    source: Path, tmp_path: Path
) -> None:
    compose = staged(source, tmp_path / "project")
    documents = planned(compose)
    for container in load_compose(compose).containers:
        entry = container_of(documents, container.name)
        seen = expanded(entry, EveryName())
        assert seen["command"] == list(container.command or ())
        assert seen["args"] == list(container.args or ())
        values = dict(container.env)  # those written as values (not from a Secret)
        assert {name: values[name] for name in seen["env"]} == seen["env"]
        if container.probe is not None:
            assert seen["probe"] == list(container.probe.command)


POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web"},
    "spec": {
        "containers": [
            {
                "name": "web",
                "image": "nginx",
                "env": [
                    {"name": "PORT", "value": "80"},
                    {"name": "URL", "value": "http://x:$(PORT)"},
                ],
                "args": ["--port", "$(PORT)"],
            },
            {"name": "proxy", "image": "envoyproxy/envoy", "args": ["--admin", "$(PORT)"]},
        ]
    },
}


@pytest.mark.parametrize("split", [False, True], ids=["kept", "split"])
def test_manifests_from_a_cluster_keep_their_references(tmp_path: Path, split: bool) -> None:
    # They already mean what the kubelet makes of them: nothing to escape.
    manifest = tmp_path / "pod.yaml"
    manifest.write_text(yaml.safe_dump(POD))
    options: list[str] = []
    if split:
        answers = tmp_path / "answers.yaml"
        answers.write_text(
            yaml.safe_dump({"version": 1, "pairs": {"web + web-proxy": {"same_host": "no"}}})
        )
        options = ["--answers", str(answers)]
    documents = planned(manifest, *options)
    web, proxy = container_of(documents, "web"), container_of(documents, "proxy")
    assert web["args"] == ["--port", "$(PORT)"]
    assert web["env"][1] == {"name": "URL", "value": "http://x:$(PORT)"}
    assert proxy["args"] == ["--admin", "$(PORT)"]


def test_the_inventory_format_passes_its_strings_through(tmp_path: Path) -> None:
    inventory = tmp_path / "app.yaml"
    web = {"name": "web", "image": "nginx", "args": ["--port", "$(PORT)"]}
    web["env"] = {"PORT": "80", "URL": "http://x:$(PORT)"}
    inventory.write_text(yaml.safe_dump({"containers": [web]}))
    entry = container_of(planned(inventory), "web")
    assert entry["args"] == ["--port", "$(PORT)"]
    assert {"name": "URL", "value": "http://x:$(PORT)"} in entry["env"]
