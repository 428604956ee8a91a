"""What needs attention before applying: listed second in report.md and in layout.yaml, so
nothing the tool dropped or left to the cluster lives only in the terminal."""

import pytest
import yaml
from layout_helpers import advice_for, box

from advisor.cli import main
from advisor.exporters.layout import layout_document
from advisor.exporters.report import render_report
from advisor.layout.attention import is_valid_image


def sections(report: str) -> list[str]:
    return [line[3:] for line in report.splitlines() if line.startswith("## ")]


@pytest.mark.parametrize(
    "image",
    [
        "nginx",
        "nginx:1.27",
        "library/nginx:1.27-alpine",
        "ghcr.io/org/app:v1.2.3",
        "localhost:5000/team/app",
        "registry.example.com:443/a/b/c:latest",
        "redis@sha256:" + "a" * 64,
        "my_app__x-y.z:TAG_1",
    ],
)
def test_pullable_image_references_are_valid(image):
    assert is_valid_image(image)


@pytest.mark.parametrize(
    "image",
    [
        "apache/airflow:|version|",
        "Nginx",
        "nginx:",
        "a:b:c",
        "nginx:1.27 ",
        "-app",
        "a//b",
        "x" * 256,
    ],
)
def test_placeholders_and_malformed_references_are_not(image):
    assert not is_valid_image(image)


def test_the_imports_warnings_come_second_in_the_report_named_by_service(tmp_path):
    compose = tmp_path / "compose.yaml"
    compose.write_text(
        yaml.safe_dump(
            {"services": {"web": {"image": "nginx", "volumes": ["./site:/srv"], "dns": "1.1.1.1"}}}
        )
    )
    out = tmp_path / "out"
    assert main(["plan", str(compose), "--out", str(out)]) == 0
    report = (out / "report.md").read_text()
    assert sections(report)[0] == "Needs attention"
    part = report.split("## Needs attention")[1].split("## ")[0]
    assert "- **web**: dns: not supported, ignored" in part
    assert "copy the files of ./site into it" in part
    listed = yaml.safe_load((out / "layout.yaml").read_text())["needs_attention"]
    assert {"subject": "web", "what": "dns: not supported, ignored"} in listed


def test_an_image_placeholder_is_flagged(tmp_path):
    advice = advice_for(tmp_path, [box("web", image="apache/airflow:|version|")], {})
    report = render_report(advice)
    assert "**web**: image 'apache/airflow:|version|' is not a valid image reference" in report


def test_a_volume_two_pods_mount_is_flagged_for_read_write_many(tmp_path):
    advice = advice_for(tmp_path, [box("a", volumes=["data"]), box("b", volumes=["data"])], {})
    (item,) = layout_document(advice)["needs_attention"]
    assert item["subject"] == "data"
    assert "ReadWriteMany" in item["what"] and "a, b" in item["what"]


def test_nothing_to_check_says_so(tmp_path):
    advice = advice_for(tmp_path, [box("web")], {})
    assert layout_document(advice)["needs_attention"] == []
    assert "Nothing: every container" in render_report(advice)


def _plan_compose(tmp_path, service):
    compose = tmp_path / "compose.yaml"
    compose.write_text(yaml.safe_dump({"services": {"agent": service}}))
    out = tmp_path / "out"
    assert main(["plan", str(compose), "--out", str(out)]) == 0
    return yaml.safe_load((out / "layout.yaml").read_text())["needs_attention"]


def test_a_probe_reading_a_host_path_left_out_is_flagged(tmp_path):
    listed = _plan_compose(
        tmp_path,
        {
            # Host system paths, but not a node agent's: the pod leaves them out.
            "image": "example/agent:1",
            "volumes": ["/etc/ssl/private:/etc/ssl/private", "/etc/letsencrypt:/certs:ro"],
            "healthcheck": {"test": "test -f /etc/ssl/private/key.pem && ls /certs/live"},
        },
    )
    probes = [i["what"] for i in listed if "healthcheck" in i["what"] and i["subject"] == "agent"]
    assert len(probes) == 2
    assert "uses /etc/ssl/private/key.pem, from the host path /etc/ssl/private" in probes[0]
    assert "uses /certs/live, from the host path /etc/letsencrypt bound at /certs" in probes[1]


def test_a_probe_on_paths_the_pod_has_is_not_flagged(tmp_path):
    listed = _plan_compose(
        tmp_path,
        {
            "image": "example/agent:1",
            "volumes": ["/var/log:/host/log:ro", "data:/host/logbook"],
            "healthcheck": {"test": ["CMD", "cat", "/host/logbook/ok", "/host/log2"]},
        },
    )
    assert not [i for i in listed if "healthcheck" in i["what"]]
