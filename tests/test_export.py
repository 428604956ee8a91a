"""The outputs: Kubernetes manifests valid against the API, DNS-1123 names, shared volumes as
claims, byte-stable output, and layout.yaml / report.md that say what was decided."""

import itertools
import os
import subprocess
import sys

import yaml
from helpers import (
    QUESTIONS,
    REPO,
    SHOP_ANSWERS,
    SHOP_INVENTORY,
    assert_valid_pod,
    container,
    inventory_dict,
    pods_of,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor import cli
from advisor.domain.errors import InputError
from advisor.domain.model import Answer, Pair
from advisor.engine.questionnaire import Questionnaire
from advisor.exporters.kubernetes import dump_manifests, pod_manifests
from advisor.exporters.layout import layout_document
from advisor.exporters.report import render_report
from advisor.formats.answers import load_answers
from advisor.formats.inventory import inventory_from_data, load_inventory
from advisor.formats.rules import load_rules
from advisor.layout.advice import advise

RULES = load_rules()


def pods(advice):
    """The Pod manifests of ``advice`` (claims for volumes come first in the stream)."""
    return pods_of(pod_manifests(advice))


def shop_advice():
    inventory = load_inventory(SHOP_INVENTORY)
    return advise(Questionnaire(inventory, RULES, load_answers(SHOP_ANSWERS, inventory, RULES)))


def advice_for(data, together=(), sheet=None):
    inventory = inventory_from_data(data, "app.yaml")
    answers = dict(sheet or {})
    for a, b in together:
        answers[Pair.of(a, b)] = {q: Answer(True) for q in QUESTIONS}
    return advise(Questionnaire(inventory, RULES, answers))


def manifest_named(manifests, name):
    return next(m for m in manifests if m["metadata"]["name"] == name)


# --- Kubernetes manifests ---------------------------------------------------------


def test_shop_manifests_are_valid_pods():
    manifests = pods(shop_advice())
    assert len(manifests) == 3
    for manifest in manifests:
        assert manifest["kind"] == "Pod"
        assert_valid_pod(manifest)


def test_each_container_keeps_image_ports_and_requests():
    web_pod = manifest_named(pods(shop_advice()), "web")
    web = next(c for c in web_pod["spec"]["containers"] if c["name"] == "web")
    assert web["image"] == "nginx:1.27"
    assert web["ports"] == [{"containerPort": 8080, "protocol": "TCP"}]
    assert web["resources"]["requests"] == {"cpu": "250m", "memory": "128Mi"}


def test_pod_holds_exactly_its_members():
    manifests = pods(shop_advice())
    members = {
        m["metadata"]["name"]: sorted(c["name"] for c in m["spec"]["containers"]) for m in manifests
    }
    assert members == {
        "web": ["content-agent", "tls-proxy", "web"],
        "api": ["api", "log-collector"],
        "db": ["db"],
    }


def test_a_data_volume_shared_in_a_pod_is_one_claim_mounted_by_each_member_naming_it():
    web_pod = manifest_named(pods(shop_advice()), "web")
    claim = {"name": "webroot", "persistentVolumeClaim": {"claimName": "webroot"}}
    assert web_pod["spec"]["volumes"] == [claim]
    mounts = {
        c["name"]: [(m["name"], m["mountPath"]) for m in c.get("volumeMounts", [])]
        for c in web_pod["spec"]["containers"]
    }
    assert mounts == {
        "web": [("webroot", "/usr/share/nginx/html")],
        "content-agent": [("webroot", "/data/site")],
        "tls-proxy": [],
    }


def test_read_only_mount_is_kept():
    api_pod = manifest_named(pods(shop_advice()), "api")
    collector = next(c for c in api_pod["spec"]["containers"] if c["name"] == "log-collector")
    assert collector["volumeMounts"][0]["readOnly"] is True


def test_names_become_dns_labels():
    advice = advice_for(
        inventory_dict(
            container("my_App", role="primary", volumes=["Web_Root"]), container("Side.Car")
        ),
        together=[("my_App", "Side.Car")],
    )
    (manifest,) = pods(advice)
    assert_valid_pod(manifest)
    assert manifest["metadata"]["name"] == "my-app"
    assert sorted(c["name"] for c in manifest["spec"]["containers"]) == ["my-app", "side-car"]
    # One container's own volume is its data: a claim, under its DNS-1123 name.
    assert manifest["spec"]["volumes"] == [
        {"name": "web-root", "persistentVolumeClaim": {"claimName": "web-root"}}
    ]


def test_env_command_and_args_are_passed_through():
    advice = advice_for(
        inventory_dict(
            container("api", env={"DB_HOST": "db", "PORT": 5432}, command="run --fast", args=["-v"])
        )
    )
    (manifest,) = pods(advice)
    assert_valid_pod(manifest)
    (api,) = manifest["spec"]["containers"]
    assert api["env"] == [{"name": "DB_HOST", "value": "db"}, {"name": "PORT", "value": "5432"}]
    assert api["command"] == ["run", "--fast"]
    assert api["args"] == ["-v"]


def load_or_refuse(data):
    """The advice for ``data``, or None when the inventory is refused with an InputError."""
    try:
        return advice_for(data)
    except InputError:
        return None


def test_long_volume_name_is_exported_as_a_valid_label_or_refused():
    advice = load_or_refuse(inventory_dict(container("web", volumes=["v" * 70])))
    if advice is not None:
        for manifest in pods(advice):
            assert_valid_pod(manifest)


def test_volume_named_twice_in_a_container_is_exported_validly_or_refused():
    advice = load_or_refuse(inventory_dict(container("web", volumes=["data", "data"])))
    if advice is not None:
        for manifest in pods(advice):
            assert_valid_pod(manifest)


def test_volumes_colliding_as_labels_are_exported_validly_or_refused():
    advice = load_or_refuse(inventory_dict(container("web", volumes=["data_1", "data-1"])))
    if advice is not None:
        for manifest in pods(advice):
            assert_valid_pod(manifest)


def test_port_name_is_a_valid_service_name_or_refused():
    # Kubernetes names ports with IANA_SVC_NAME: at most 15 lower-case letters, digits, '-'.
    advice = load_or_refuse(
        inventory_dict(container("web", ports=[{"containerPort": 80, "name": "Public_HTTP_Port"}]))
    )
    if advice is not None:
        (manifest,) = pods(advice)
        (port,) = manifest["spec"]["containers"][0]["ports"]
        name = port.get("name", "http")
        assert len(name) <= 15 and name == name.lower() and "_" not in name, name


# --- property: whatever the inventory, the manifests are valid ------------------------

IMAGES = st.sampled_from(["nginx:1.27", "example/app:2", "registry.io/x/y@sha256:" + "a" * 64])
BASES = ["web", "api", "db", "log-agent", "proxy", "cache", "worker"]


def spelled(base, upper, underscore):
    name = base.upper() if upper else base
    return name.replace("-", "_") if underscore else name


@st.composite
def exportable(draw):
    count = draw(st.integers(min_value=1, max_value=6))
    bases = draw(st.permutations(BASES))[:count]
    containers = []
    for base in bases:
        entry = container(
            spelled(base, draw(st.booleans()), draw(st.booleans())),
            draw(IMAGES),
        )
        ports = draw(st.lists(st.integers(min_value=1, max_value=65535), max_size=2, unique=True))
        if ports:
            protocol = draw(st.sampled_from(["TCP", "UDP", "SCTP"]))
            entry["ports"] = [{"containerPort": ports[0], "protocol": protocol}, *ports[1:]]
        requests = {}
        if draw(st.booleans()):
            requests["cpu"] = draw(st.sampled_from(["100m", "1", "0.5", 2]))
        if draw(st.booleans()):
            requests["memory"] = draw(st.sampled_from(["64Mi", "1G", "512Ki", 1048576]))
        if requests:
            entry["resources"] = requests
        volumes = draw(st.lists(st.sampled_from(["data", "Shared_Logs", "tmp"]), unique=True))
        if volumes:
            entry["volumes"] = [
                v if draw(st.booleans()) else {"name": v, "mountPath": f"/srv/{i}"}
                for i, v in enumerate(volumes)
            ]
        if draw(st.booleans()):
            entry["env"] = {"MODE": draw(st.sampled_from(["fast", "1", "yes"]))}
        if draw(st.booleans()):
            entry["command"] = "serve --port 80"
        containers.append(entry)
    names = [c["name"] for c in containers]
    pairs = list(itertools.combinations(names, 2))
    together = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    return inventory_dict(*containers, name="My_Shop"), together


@settings(max_examples=25, deadline=None)
@given(exportable())
def test_generated_inventories_export_valid_pods(app):
    data, together = app
    manifests = pod_manifests(advice_for(data, together))
    assert sum(len(m["spec"]["containers"]) for m in pods_of(manifests)) == len(data["containers"])
    for manifest in manifests:
        assert_valid_pod(manifest)


@settings(max_examples=30, deadline=None)
@given(exportable())
def test_manifests_survive_a_yaml_round_trip(app):
    data, together = app
    manifests = pod_manifests(advice_for(data, together))
    assert list(yaml.safe_load_all(dump_manifests(manifests))) == manifests


# --- byte-stable output ---------------------------------------------------------------


def test_same_input_gives_same_bytes(tmp_path, capsys):
    outputs = []
    for run in ("one", "two"):
        out = tmp_path / run
        argv = ["plan", str(SHOP_INVENTORY), "--answers", str(SHOP_ANSWERS), "--out", str(out)]
        assert cli.main(argv) == 0
        files = ("pods.yaml", "layout.yaml", "report.md")
        outputs.append({name: (out / name).read_bytes() for name in files})
    assert outputs[0] == outputs[1]


def test_same_bytes_across_processes_with_different_hash_seeds(tmp_path):
    # Two separate runs, so nothing may depend on set or dict order from string hashing.
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "advisor",
                "plan",
                str(SHOP_INVENTORY),
                "--answers",
                str(SHOP_ANSWERS),
                "--out",
                str(out),
            ],
            capture_output=True,
            text=True,
            cwd=REPO,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)},
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        files = ("pods.yaml", "layout.yaml", "report.md")
        outputs.append({name: (out / name).read_bytes() for name in files})
    assert outputs[0] == outputs[1]


def test_same_input_gives_same_bytes_on_stdout(capsys):
    argv = ["plan", str(SHOP_INVENTORY), "--answers", str(SHOP_ANSWERS)]
    printed = []
    for _ in range(2):
        assert cli.main(argv) == 0
        printed.append(capsys.readouterr().out)
    assert printed[0] == printed[1]
    assert printed[0].startswith("---")


# --- layout.yaml and report.md ----------------------------------------------------------


def chain_advice():
    """a+b and b+c together, a+c apart (a tension), and d never answered."""
    data = inventory_dict(container("a"), container("b"), container("c"), container("d"))
    return advice_for(
        data,
        together=[("a", "b"), ("b", "c")],
        sheet={Pair.of("a", "c"): {"same_host": Answer(False)}},
    )


def test_layout_lists_pods_with_their_containers():
    document = layout_document(shop_advice())
    pods = {p["name"]: sorted(p["containers"]) for p in document["pods"]}
    assert pods == {
        "web": ["content-agent", "tls-proxy", "web"],
        "api": ["api", "log-collector"],
        "db": ["db"],
    }
    web = next(p for p in document["pods"] if p["name"] == "web")
    assert web["shared_volumes"] == ["webroot"]
    assert web["why"]


def test_layout_lists_tensions_and_unanswered_pairs():
    document = layout_document(chain_advice())
    assert len(document["tensions"]) == 1
    assert document["tensions"][0]["pair"] in ("a + b", "b + c")
    assert document["tensions"][0]["reason"]
    assert sorted(document["unanswered"]) == ["a + d", "b + d", "c + d"]


def test_layout_yaml_text_is_plain_yaml():
    from advisor.exporters.layout import dump_layout

    assert yaml.safe_load(dump_layout(shop_advice())) == layout_document(shop_advice())


def test_report_names_every_pod_and_its_members():
    report = render_report(shop_advice())
    assert report.startswith("# Pod layout for shop")
    assert "| web | web, content-agent, tls-proxy |" in report
    assert "| db | db |" in report


def test_report_lists_tensions_and_unanswered_pairs():
    advice = chain_advice()
    report = render_report(advice)
    tensions = report.split("## Tensions")[1].split("##")[0]
    assert advice.layout.tensions[0].pair.label() in tensions
    unanswered = report.split("## Unanswered pairs")[1]
    for label in ("a + d", "b + d", "c + d"):
        assert f"- {label}" in unanswered


def test_report_says_none_when_nothing_is_left_open():
    report = render_report(shop_advice())
    assert "None: every pair answered together shares a pod." in report
    assert report.split("## Unanswered pairs")[1].strip().endswith("None.")
