"""Whatever a file holds, each loader either returns a valid model or raises one ``InputError``:
never another exception. Random bytes, random YAML trees, and trees shaped like each format
with random values in the places that matter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.domain.answers import AnswersFile
from advisor.domain.errors import InputError
from advisor.domain.model import Inventory
from advisor.formats.answers import load_answers
from advisor.formats.application import load_application
from advisor.formats.inventory import inventory_from_data, load_inventory
from advisor.formats.rules import load_rules

RULES = load_rules()
INVENTORY = inventory_from_data(
    {
        "containers": [
            {"name": "web", "image": "nginx"},
            {"name": "db", "image": "postgres"},
            {"name": "agent", "image": "fetcher"},
        ]
    },
    "app.yaml",
)
PROPERTY = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Words the loaders look for, so random trees reach past the first check more often.
KEYS = [
    "name",
    "image",
    "role",
    "complements",
    "ports",
    "resources",
    "limits",
    "volumes",
    "command",
    "args",
    "env",
    "node",
    "cpu",
    "memory",
    "containers",
    "containerPort",
    "protocol",
    "mountPath",
    "readOnly",
    "services",
    "build",
    "environment",
    "env_file",
    "expose",
    "deploy",
    "reservations",
    "mem_limit",
    "cpus",
    "network_mode",
    "volumes_from",
    "extends",
    "labels",
    "version",
    "pairs",
    "roles",
    "asked",
    "answer",
    "source",
    "reason",
    "same_host",
    "single_unit",
    "unified_whole",
    "scale_together",
    "fits_node",
    "web",
    "db",
    "agent",
    "x-extra",
]
words = st.sampled_from(KEYS) | st.text(max_size=12)
numbers = st.integers(min_value=-(2**70), max_value=2**70) | st.floats(allow_nan=True)
scalars = (
    st.none()
    | st.booleans()
    | numbers
    | words
    | st.sampled_from(
        [
            "500m",
            "1Gi",
            "500mb",
            "-1",
            "80:80",
            "8080/udp",
            "${HOME}",
            "${X:?no}",
            "$${",
            "${",
            "yes",
            "no",
            "maybe",
            "primary",
            "sidecar",
            "helper of web",
            "web + db",
            "web + web",
            "service:web",
            "./data:/data",
            "named:/data",
            "1.5",
            "0x1F",
            "~",
        ]
    )
)
trees = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(words, children, max_size=5),
    max_leaves=15,
)
# Values inside the shaped trees: small, since generating nested trees is what takes time.
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(words, children, max_size=3),
    max_leaves=4,
)
SHAPED = settings(PROPERTY, max_examples=100)


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def loads_cleanly(load: Any, path: Path, text: str | bytes, model: type) -> None:
    """``load(path)`` returns a ``model`` or raises ``InputError``; anything else fails."""
    path.write_bytes(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    try:
        result = load(path)
    except InputError as error:
        assert str(error).startswith(str(path)), str(error)
        assert "\n" not in str(error), str(error)
        return
    assert isinstance(result, model)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


def answers_loader(path: Path) -> AnswersFile:
    return load_answers(path, INVENTORY, RULES)


def lenient_answers_loader(path: Path) -> AnswersFile:
    return load_answers(path, INVENTORY, RULES, lenient=True)


LOADERS = [
    ("inventory", load_inventory, Inventory),
    ("application", load_application, Inventory),
    ("answers", answers_loader, AnswersFile),
    ("answers-lenient", lenient_answers_loader, AnswersFile),
]


@PROPERTY
@given(raw=st.binary(max_size=300))
def test_random_bytes(folder: Path, raw: bytes) -> None:
    for kind, load, model in LOADERS:
        loads_cleanly(load, folder / f"{kind}.yaml", raw, model)


@PROPERTY
@given(tree=trees)
def test_random_trees(folder: Path, tree: Any) -> None:
    text = dump(tree)
    for kind, load, model in LOADERS:
        loads_cleanly(load, folder / f"{kind}.yaml", text, model)


containers = st.lists(
    st.dictionaries(st.sampled_from(KEYS[:11]), values, min_size=1, max_size=5).map(
        lambda entry: {"name": "web", "image": "nginx", **entry}
    ),
    min_size=1,
    max_size=3,
)


@SHAPED
@given(
    items=containers,
    node=st.none() | st.dictionaries(st.sampled_from(["cpu", "memory"]), scalars),
)
def test_inventory_shaped_trees(folder: Path, items: list[Any], node: Any) -> None:
    data: dict[str, Any] = {"containers": items}
    if node is not None:
        data["node"] = node
    loads_cleanly(load_inventory, folder / "shaped-inventory.yaml", dump(data), Inventory)


services = st.dictionaries(
    st.sampled_from(["web", "db", "my_app", "my-app", "x-common"]),
    st.dictionaries(
        st.sampled_from([*KEYS[11:32], "image", "command", "ports", "volumes"]), values
    ).map(lambda service: {"image": "nginx", **service}),
    min_size=1,
    max_size=3,
)


@SHAPED
@given(
    services=services, top=st.dictionaries(st.sampled_from(["version", "name", "volumes"]), values)
)
def test_compose_shaped_trees(folder: Path, services: Any, top: Any) -> None:
    data = {**top, "services": services}
    loads_cleanly(load_application, folder / "shaped-compose.yaml", dump(data), Inventory)


questions = st.sampled_from([*list(RULES.question_ids), "same_hots"])
answer_values = scalars | st.dictionaries(st.sampled_from(["answer", "source", "reason"]), scalars)
pair_keys = (
    st.sampled_from(
        ["web + db", "db + web", "web + agent", "web + db + agent", "web + gone", "web", "web+db"]
    )
    | words
)


@SHAPED
@given(
    pairs=st.dictionaries(pair_keys, st.none() | st.dictionaries(questions, answer_values)),
    roles=st.none() | st.dictionaries(st.sampled_from(["web", "db", "gone"]), scalars),
    version=st.sampled_from([1, 1, 1, 2, "1", None]),
)
def test_answers_shaped_trees(folder: Path, pairs: Any, roles: Any, version: Any) -> None:
    data: dict[str, Any] = {"version": version, "pairs": pairs}
    if roles is not None:
        data["roles"] = roles
    for load in (answers_loader, lenient_answers_loader):
        loads_cleanly(load, folder / "shaped-answers.yaml", dump(data), AnswersFile)
