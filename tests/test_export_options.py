"""Export options: claims for data, Services, native sidecars, probes, process sharing and
kustomize; every document they add passes the Kubernetes schema."""

import pytest
import yaml
from helpers import SHOP_ANSWERS, SHOP_INVENTORY, assert_valid_pod, pods_of

from advisor import cli


def plan(tmp_path, *options, inventory=SHOP_INVENTORY, answers=SHOP_ANSWERS):
    out = tmp_path / "out"
    arguments = ["plan", str(inventory), "--out", str(out), *options]
    if answers is not None:
        arguments += ["--answers", str(answers)]
    assert cli.main(arguments) == 0
    documents = list(yaml.safe_load_all((out / "pods.yaml").read_text()))
    for document in documents:
        assert_valid_pod(document)
    return out, documents


def named(documents, kind, name):
    """The document of this kind and name; for "Pod", the pod of any workload."""
    found = pods_of(documents) if kind == "Pod" else documents
    return next(d for d in found if d["kind"] == kind and d["metadata"]["name"] == name)


def test_a_databases_own_volume_is_a_claim_template_of_the_default_size(tmp_path):
    # postgres keeps its data on pgdata: a StatefulSet, whose every replica gets its claim.
    _, documents = plan(tmp_path)
    db = named(documents, "StatefulSet", "db")
    (template,) = db["spec"]["volumeClaimTemplates"]
    assert template == {
        "metadata": {"name": "pgdata"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}},
    }
    assert "volumes" not in db["spec"]["template"]["spec"]
    assert not [d for d in documents if d["metadata"]["name"] == "pgdata" and "kind" in d]


def test_a_single_containers_own_volume_in_a_deployment_is_a_claim(tmp_path):
    _, documents = plan(tmp_path, "--workload", "deployment")
    claim = named(documents, "PersistentVolumeClaim", "pgdata")
    assert claim["spec"] == {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": "1Gi"}},
    }
    db = named(documents, "Pod", "db")
    assert db["spec"]["volumes"] == [
        {"name": "pgdata", "persistentVolumeClaim": {"claimName": "pgdata"}}
    ]


def test_the_claim_size_can_be_chosen(tmp_path):
    _, documents = plan(tmp_path, "--volume-size", "20Gi")
    claim = named(documents, "PersistentVolumeClaim", "webroot")
    assert claim["spec"]["resources"]["requests"]["storage"] == "20Gi"
    (template,) = named(documents, "StatefulSet", "db")["spec"]["volumeClaimTemplates"]
    assert template["spec"]["resources"]["requests"]["storage"] == "20Gi"


def test_a_bad_claim_size_is_bad_input(tmp_path, capsys):
    assert cli.main(["plan", str(SHOP_INVENTORY), "--volume-size", "lots"]) == 2
    assert "--volume-size" in capsys.readouterr().err


def test_data_shared_inside_a_pod_stays_on_a_claim_and_is_not_wiped_with_the_pod(tmp_path):
    _, documents = plan(tmp_path)
    web = named(documents, "Pod", "web")
    claim = {"name": "webroot", "persistentVolumeClaim": {"claimName": "webroot"}}
    assert web["spec"]["volumes"] == [claim]
    assert named(documents, "PersistentVolumeClaim", "webroot")["spec"]["accessModes"] == [
        "ReadWriteOnce"
    ]


def test_scratch_space_shared_inside_a_pod_is_an_empty_dir_and_gets_no_claim(tmp_path):
    _, documents = plan(tmp_path)
    api = named(documents, "Pod", "api")
    assert api["spec"]["volumes"] == [{"name": "app-logs", "emptyDir": {}}]
    claims = [d["metadata"]["name"] for d in documents if d["kind"] == "PersistentVolumeClaim"]
    assert "app-logs" not in claims


def test_a_volume_two_pods_need_is_one_read_write_many_claim_and_is_flagged(tmp_path):
    out, documents = plan(tmp_path, answers=None)  # no answers: every container alone
    claim = named(documents, "PersistentVolumeClaim", "webroot")
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
    for pod in ("web", "content-agent"):
        assert {"name": "webroot", "persistentVolumeClaim": {"claimName": "webroot"}} in named(
            documents, "Pod", pod
        )["spec"]["volumes"]
    assert "webroot: **needs ReadWriteMany storage**" in (out / "report.md").read_text()


def test_services_front_each_pod_with_ports(tmp_path):
    _, documents = plan(tmp_path, "--services")
    service = named(documents, "Service", "web")
    assert service["spec"]["selector"] == {"app.kubernetes.io/name": "web"}
    assert [p["port"] for p in service["spec"]["ports"]] == [8080, 8443]


def test_native_sidecars_become_restartable_init_containers(tmp_path):
    _, documents = plan(tmp_path, "--native-sidecars")
    web = named(documents, "Pod", "web")
    assert [c["name"] for c in web["spec"]["containers"]] == ["web"]
    assert [(c["name"], c["restartPolicy"]) for c in web["spec"]["initContainers"]] == [
        ("content-agent", "Always"),
        ("tls-proxy", "Always"),
    ]


@pytest.mark.parametrize(
    ("workload", "kinds"),
    [
        ("deployment", {"Deployment", "Service", "PersistentVolumeClaim"}),
        # Every claim of the shop is one pod's own: each StatefulSet makes them per replica.
        ("statefulset", {"StatefulSet", "Service"}),
    ],
)
def test_options_combine_with_workloads(tmp_path, workload, kinds):
    _, documents = plan(tmp_path, "--workload", workload, "--services", "--native-sidecars")
    assert {d["kind"] for d in documents} == kinds


def test_a_compose_healthcheck_becomes_a_readiness_probe(tmp_path, write_yaml):
    compose = write_yaml(
        {
            "services": {
                "api": {
                    "image": "api:1",
                    "healthcheck": {
                        "test": ["CMD", "curl", "-f", "http://localhost/health"],
                        "interval": "1m30s",
                        "timeout": "10s",
                        "retries": 3,
                        "start_period": "40s",
                    },
                }
            }
        },
        "compose.yaml",
    )
    _, documents = plan(tmp_path, inventory=compose, answers=None)
    probe = named(documents, "Pod", "api")["spec"]["containers"][0]["readinessProbe"]
    assert probe == {
        "exec": {"command": ["curl", "-f", "http://localhost/health"]},
        "periodSeconds": 90,
        "timeoutSeconds": 10,
        "failureThreshold": 3,
        "initialDelaySeconds": 40,
    }


def test_a_shell_healthcheck_runs_through_sh(tmp_path, write_yaml):
    compose = write_yaml(
        {"services": {"api": {"image": "api:1", "healthcheck": {"test": "pg_isready -U app"}}}},
        "compose.yaml",
    )
    _, documents = plan(tmp_path, inventory=compose, answers=None)
    probe = named(documents, "Pod", "api")["spec"]["containers"][0]["readinessProbe"]
    assert probe == {"exec": {"command": ["sh", "-c", "pg_isready -U app"]}}


def test_a_pod_whose_containers_share_processes_says_so(tmp_path):
    answers = tmp_path / "answers.yaml"
    data = yaml.safe_load(SHOP_ANSWERS.read_text())
    data["processes"] = {"web + tls-proxy + content-agent": True, "api + log-collector": False}
    answers.write_text(yaml.safe_dump(data, sort_keys=False))
    _, documents = plan(tmp_path, answers=answers)
    assert named(documents, "Pod", "web")["spec"]["shareProcessNamespace"] is True
    assert "shareProcessNamespace" not in named(documents, "Pod", "api")["spec"]


def test_kustomize_writes_one_file_per_manifest_and_an_index(tmp_path):
    out, documents = plan(tmp_path, "--kustomize", "--services")
    folder = out / "kustomize"
    index = yaml.safe_load((folder / "kustomization.yaml").read_text())
    assert index["kind"] == "Kustomization"
    assert len(index["resources"]) == len(documents)
    rebuilt = [next(yaml.safe_load_all((folder / name).read_text())) for name in index["resources"]]
    assert rebuilt == documents


@pytest.mark.parametrize("size", ["1", "1.1M", "1.5Ki", "1e3"])
def test_a_claim_size_of_whole_bytes_is_taken_as_written(tmp_path, size):
    _, documents = plan(tmp_path, "--volume-size", size)
    claim = named(documents, "PersistentVolumeClaim", "webroot")
    assert claim["spec"]["resources"]["requests"]["storage"] == size


@pytest.mark.parametrize("size", ["0", "0Gi", "100m", "0.5", "1.0000001", "1.1k5"])
def test_a_claim_size_below_a_byte_or_of_a_fraction_of_one_is_refused(tmp_path, capsys, size):
    assert cli.main(["plan", str(SHOP_INVENTORY), "--volume-size", size]) == 2
    err = capsys.readouterr().err
    assert err.startswith("pod-advisor: error: --volume-size: ") and err.count("\n") == 1
