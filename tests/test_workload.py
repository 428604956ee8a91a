"""``plan --workload``: each pod as a Pod, a Deployment or a StatefulSet, all schema-valid."""

from __future__ import annotations

from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from advisor.cli import main

COMPOSE = {
    "services": {
        "web": {"image": "nginx", "ports": ["80:80"], "volumes": ["data:/srv"]},
        "db": {"image": "postgres", "volumes": ["/var/lib/postgresql/data"]},
    },
    "volumes": {"data": None},
}


@pytest.mark.parametrize(
    ("workload", "kind"),
    [("pod", "Pod"), ("deployment", "Deployment"), ("statefulset", "StatefulSet")],
)
def test_workload_kind_is_valid_kubernetes(tmp_path: Path, workload: str, kind: str) -> None:
    compose = tmp_path / "compose.yaml"
    compose.write_text(yaml.safe_dump(COMPOSE))
    out = tmp_path / "out"
    assert main(["plan", str(compose), "--workload", workload, "--out", str(out)]) == 0
    text = (out / "pods.yaml").read_text()
    assert "&id" not in text  # no YAML anchors: people read and diff these files
    documents = list(yaml.safe_load_all(text))
    # Each service's own volume is its data: a claim each, then the two workloads.
    assert [d["kind"] for d in documents] == ["PersistentVolumeClaim"] * 2 + [kind, kind]
    for document in documents:
        kubernetes_validate.validate(document, "1.37.0", strict=True)


def test_workload_selector_matches_its_template(tmp_path: Path) -> None:
    compose = tmp_path / "compose.yaml"
    compose.write_text(yaml.safe_dump(COMPOSE))
    out = tmp_path / "out"
    assert main(["plan", str(compose), "--workload", "deployment", "--out", str(out)]) == 0
    for document in yaml.safe_load_all((out / "pods.yaml").read_text()):
        if document["kind"] == "PersistentVolumeClaim":
            continue
        labels = document["spec"]["template"]["metadata"]["labels"]
        assert document["spec"]["selector"]["matchLabels"].items() <= labels.items()
