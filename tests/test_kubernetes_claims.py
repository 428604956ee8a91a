"""A StatefulSet's volumeClaimTemplates are volumes of its pod (each replica's own claim):
read as data on a claim, carried over as they are, and kept with any part that mounts one."""

from __future__ import annotations

from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from helpers import K8S_VERSION

from advisor.cli import main

POSTGRES = Path(__file__).parent / "data" / "k8s" / "postgresql-metrics.yaml"
SPLIT = (
    "version: 1\npairs:\n  pg-postgresql-postgresql + pg-postgresql-metrics:\n"
    "    scale_together: no\n"
)


def plan(tmp_path: Path, manifests: Path, *extra: str) -> list[dict]:
    out = tmp_path / "out"
    assert main(["plan", str(manifests), "--out", str(out), *extra]) == 0
    documents = list(yaml.safe_load_all((out / "pods.yaml").read_text()))
    for document in documents:
        kubernetes_validate.validate(document, K8S_VERSION, strict=True)
    return documents


def report(tmp_path: Path) -> str:
    return " ".join((tmp_path / "out" / "report.md").read_text().split())


def statefulset(path: Path = POSTGRES) -> dict:
    return next(d for d in yaml.safe_load_all(path.read_text()) if d["kind"] == "StatefulSet")


def write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
    return path


def test_a_chart_statefulset_mounting_its_claim_template_is_kept_as_it_runs(
    tmp_path: Path,
) -> None:
    (kept,) = plan(tmp_path, POSTGRES)
    assert kept == statefulset()
    assert "keep as it runs: not yet reviewed" in report(tmp_path)


def test_the_claim_template_is_data_on_a_claim(tmp_path: Path) -> None:
    plan(tmp_path, POSTGRES)
    layout = yaml.safe_load((tmp_path / "out" / "layout.yaml").read_text())
    data = next(v for v in layout["volumes"] if v["name"] == "pg-postgresql-data")
    assert data["becomes"] == "claim-per-replica"
    assert data["containers"] == ["pg-postgresql-postgresql"]


def test_a_part_split_out_without_the_claim_goes_without_its_template(tmp_path: Path) -> None:
    answers = write(tmp_path, "a.yaml", SPLIT)
    kept, moved, governing, _service = plan(tmp_path, POSTGRES, "--answers", str(answers))
    assert moved["spec"]["serviceName"] == governing["metadata"]["name"]  # its own, headless
    assert governing["spec"]["clusterIP"] == "None"
    assert kept["spec"]["volumeClaimTemplates"] == statefulset()["spec"]["volumeClaimTemplates"]
    assert moved["kind"] == "StatefulSet"
    assert "volumeClaimTemplates" not in moved["spec"]


def test_a_part_split_out_with_the_claim_keeps_the_template_and_is_told_the_data_stays(
    tmp_path: Path,
) -> None:
    document = statefulset()
    metrics = document["spec"]["template"]["spec"]["containers"][1]
    metrics["volumeMounts"].append({"name": "data", "mountPath": "/data", "readOnly": True})
    manifests = write(tmp_path, "m.yaml", document)
    answers = write(tmp_path, "a.yaml", SPLIT)
    kept, moved, _governing, _service = plan(tmp_path, manifests, "--answers", str(answers))
    templates = document["spec"]["volumeClaimTemplates"]
    assert kept["spec"]["volumeClaimTemplates"] == templates  # it cannot be changed
    assert moved["kind"] == "StatefulSet"
    assert moved["spec"]["volumeClaimTemplates"] == templates
    assert moved["spec"]["template"]["spec"]["containers"] == [metrics]
    assert (
        "pg-postgresql-metrics mounts volumeClaimTemplates data: split out, StatefulSet "
        "pg-postgresql-metrics makes claims of its own (data-pg-postgresql-metrics-0, ...), "
        "empty; the data in data-pg-postgresql-0, ... stays with StatefulSet/default/pg-postgresql"
        in report(tmp_path)
    )


@pytest.mark.parametrize("how", ["answers", "--workload"])
def test_a_statefulset_chosen_as_a_deployment_stays_one_while_it_mounts_its_claims(
    how: str, tmp_path: Path
) -> None:
    if how == "answers":
        answers = "version: 1\nworkloads:\n  pg-postgresql-postgresql: deployment\n"
        extra = ["--answers", str(write(tmp_path, "a.yaml", answers))]
    else:
        extra = ["--workload", "deployment"]
    (kept,) = plan(tmp_path, POSTGRES, *extra)
    assert kept == statefulset()
    said = "as you chose" if how == "answers" else "--workload"
    assert (
        f"pg-postgresql is written as a StatefulSet, not a Deployment ({said}): it keeps its "
        "data on the claims of volumeClaimTemplates data" in report(tmp_path)
    )


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ({"spec": {}}, "spec.volumeClaimTemplates[0]: missing metadata.name"),
        (
            {"metadata": {"name": "Data"}},
            "spec.volumeClaimTemplates[0].metadata.name: 'Data' is no DNS label "
            "(lowercase letters, digits and -)",
        ),
    ],
)
def test_a_claim_template_without_a_good_name_is_refused(
    template: dict, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = statefulset()
    document["spec"]["volumeClaimTemplates"] = [template]
    manifests = write(tmp_path, "m.yaml", document)
    assert main(["plan", str(manifests)]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert err.startswith(f"pod-advisor: error: {manifests}:")
    assert err.endswith(f"StatefulSet/pg-postgresql.{message}\n"), err
