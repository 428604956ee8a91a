"""``plan --workload``: each pod as a Pod, a Deployment or a StatefulSet, all schema-valid."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from advisor.cli import main
from tests.helpers import assert_valid_pod, plan_compose_files

COMPOSE = {
    "services": {
        "web": {"image": "nginx", "ports": ["80:80"], "volumes": ["data:/srv"]},
        "db": {"image": "postgres", "volumes": ["/var/lib/postgresql/data"]},
    },
    "volumes": {"data": None},
}

CLAIMS = ["PersistentVolumeClaim"] * 2


@pytest.mark.parametrize(
    ("workload", "kinds"),
    [
        # web publishes port 80: its entry point's Service follows the workloads.
        ("pod", [*CLAIMS, "Pod", "Pod", "Service"]),
        (
            "deployment",
            [*CLAIMS, "Deployment", "Deployment", "Service"],
        ),
        # Each pod's own volume becomes a claim template, and each set gets its headless Service.
        ("statefulset", ["StatefulSet", "StatefulSet", "Service", "Service", "Service"]),
        ("job", [*CLAIMS, "Job", "Job", "Service"]),
        ("daemonset", [*CLAIMS, "DaemonSet", "DaemonSet", "Service"]),
    ],
)
def test_workload_kind_is_valid_kubernetes(tmp_path: Path, workload: str, kinds: list[str]) -> None:
    compose = tmp_path / "compose.yaml"
    compose.write_text(yaml.safe_dump(COMPOSE))
    out = tmp_path / "out"
    assert main(["plan", str(compose), "--workload", workload, "--out", str(out)]) == 0
    text = (out / "pods.yaml").read_text()
    assert "&id" not in text  # no YAML anchors: people read and diff these files
    documents = list(yaml.safe_load_all(text))
    assert [d["kind"] for d in documents] == kinds
    for document in documents:
        assert_valid_pod(document)


def test_workload_selector_matches_its_template(tmp_path: Path) -> None:
    compose = tmp_path / "compose.yaml"
    compose.write_text(yaml.safe_dump(COMPOSE))
    out = tmp_path / "out"
    assert main(["plan", str(compose), "--workload", "deployment", "--out", str(out)]) == 0
    for document in yaml.safe_load_all((out / "pods.yaml").read_text()):
        if document["kind"] in ("PersistentVolumeClaim", "Service"):
            continue
        labels = document["spec"]["template"]["metadata"]["labels"]
        assert document["spec"]["selector"]["matchLabels"].items() <= labels.items()


def plan_compose(tmp_path: Path, services: dict, *options: str, together=()) -> dict:
    """Plan a compose file; the documents by (kind, name), and layout.yaml's pods by name."""
    documents, layout = plan_compose_files(tmp_path, services, *options, together=together)
    return {
        "docs": {(d["kind"], d["metadata"]["name"]): d for d in documents},
        "pods": {p["name"]: p for p in layout["pods"]},
        "attention": layout["needs_attention"],
        "report": (tmp_path / "out" / "report.md").read_text(),
    }


def test_a_long_running_service_is_a_deployment_with_its_replicas(tmp_path: Path) -> None:
    result = plan_compose(
        tmp_path,
        {"web": {"image": "nginx", "deploy": {"replicas": 3}}, "api": {"image": "a:1", "scale": 2}},
    )
    assert result["docs"][("Deployment", "web")]["spec"]["replicas"] == 3
    assert result["docs"][("Deployment", "api")]["spec"]["replicas"] == 2
    assert result["pods"]["web"]["workload"] == {
        "kind": "Deployment",
        "why": "a long-running service",
    }


def test_a_database_on_its_own_volume_is_a_stateful_set_with_its_headless_service(
    tmp_path: Path,
) -> None:
    compose = {"db": {"image": "postgres:16", "volumes": ["pgdata:/var/lib/postgresql/data"]}}
    result = plan_compose(tmp_path, compose)
    db = result["docs"][("StatefulSet", "db")]
    assert db["spec"]["serviceName"] == "db-headless"
    assert [t["metadata"]["name"] for t in db["spec"]["volumeClaimTemplates"]] == ["pgdata"]
    headless = result["docs"][("Service", "db-headless")]
    assert headless["spec"]["clusterIP"] == "None"
    assert ("PersistentVolumeClaim", "pgdata") not in result["docs"]
    assert "keeps its data on its own volume pgdata" in result["pods"]["db"]["workload"]["why"]


def test_an_init_job_others_wait_for_is_a_job_that_completes(tmp_path: Path) -> None:
    services = {
        "migrate": {"image": "example/app:1", "command": "migrate", "restart": "no"},
        "app": {
            "image": "example/app:1",
            "depends_on": {"migrate": {"condition": "service_completed_successfully"}},
        },
    }
    result = plan_compose(tmp_path, services)
    job = result["docs"][("Job", "migrate")]
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    assert ("Deployment", "app") in result["docs"]
    assert "others wait for migrate to complete" in result["report"]


def test_a_jobs_helper_is_a_native_sidecar_so_the_job_can_complete(tmp_path: Path) -> None:
    services = {
        "backup": {
            "image": "example/backup:1",
            "restart": "on-failure",
            "labels": {"pod-advisor.role": "primary"},
        },
        "proxy": {"image": "example/sql-proxy:1", "labels": {"pod-advisor.role": "sidecar"}},
    }
    result = plan_compose(tmp_path, services, together=["backup + proxy"])
    spec = result["docs"][("Job", "backup")]["spec"]["template"]["spec"]
    assert spec["restartPolicy"] == "OnFailure"
    assert [c["name"] for c in spec["containers"]] == ["backup"]
    assert spec["initContainers"] == [{**spec["initContainers"][0], "restartPolicy": "Always"}]
    assert spec["initContainers"][0]["name"] == "proxy"


def test_a_schedule_label_makes_a_cron_job(tmp_path: Path) -> None:
    labels = {"pod-advisor.schedule": "0 3 * * *"}
    result = plan_compose(tmp_path, {"report": {"image": "example/report:1", "labels": labels}})
    cron = result["docs"][("CronJob", "report")]
    assert cron["spec"]["schedule"] == "0 3 * * *"
    assert cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["restartPolicy"] == "OnFailure"


def test_a_global_service_is_a_daemon_set_on_the_hosts_namespaces(tmp_path: Path) -> None:
    services = {
        "agent": {
            "image": "example/agent:1",
            "deploy": {"mode": "global"},
            "network_mode": "host",
            "pid": "host",
        }
    }
    result = plan_compose(tmp_path, services)
    spec = result["docs"][("DaemonSet", "agent")]["spec"]["template"]["spec"]
    assert (spec["hostNetwork"], spec["hostPID"]) == (True, True)
    assert spec["dnsPolicy"] == "ClusterFirstWithHostNet"
    assert not any("no pod equivalent" in item["what"] for item in result["attention"])


def test_members_declaring_different_replicas_are_flagged(tmp_path: Path) -> None:
    services = {
        "web": {
            "image": "nginx",
            "deploy": {"replicas": 3},
            "labels": {"pod-advisor.role": "primary"},
        },
        "tls": {"image": "example/tls:1", "deploy": {"replicas": 1}},
    }
    result = plan_compose(tmp_path, services, together=["web + tls"])
    assert result["docs"][("Deployment", "web")]["spec"]["replicas"] == 3
    (item,) = [i for i in result["attention"] if i["subject"] == "web"]
    assert "different replica counts (web: 3, tls: 1)" in item["what"]


def test_workload_pod_still_writes_bare_pods(tmp_path: Path) -> None:
    compose = {"db": {"image": "postgres:16", "volumes": ["pgdata:/var/lib/postgresql/data"]}}
    result = plan_compose(tmp_path, compose, "--workload", "pod")
    assert set(result["docs"]) == {("Pod", "db"), ("PersistentVolumeClaim", "pgdata")}
    assert result["pods"]["db"]["workload"] == {"kind": "Pod", "why": "--workload pod"}


def test_a_bad_replica_count_is_bad_input(tmp_path: Path, capsys) -> None:
    compose = tmp_path / "compose.yaml"
    compose.write_text(yaml.safe_dump({"services": {"web": {"image": "nginx", "scale": -1}}}))
    assert main(["plan", str(compose)]) == 2
    assert "scale: must be a whole number from 0 to 10,000, not -1" in capsys.readouterr().err


def test_a_stateful_sets_headless_service_never_takes_a_name_in_use(tmp_path: Path) -> None:
    services = {
        "db": {"image": "postgres:16", "volumes": ["pg:/var/lib/postgresql/data"]},
        "db-headless": {"image": "nginx", "ports": ["80"]},
        "app": {"image": "busybox", "environment": {"URL": "http://db-headless:80"}},
    }
    result = plan_compose(tmp_path, services)
    db = result["docs"][("StatefulSet", "db")]
    assert db["spec"]["serviceName"] == "db-headless-2"
    assert result["docs"][("Service", "db-headless-2")]["spec"]["clusterIP"] == "None"
    fronting = result["docs"][("Service", "db-headless")]
    assert fronting["spec"]["selector"] == {"app.kubernetes.io/name": "db-headless"}


def test_waiting_for_a_job_to_complete_is_no_connection_to_it(tmp_path: Path) -> None:
    services = {
        "migrate": {"image": "example/app:1", "restart": "no"},
        "web": {
            "image": "nginx",
            "depends_on": {"migrate": {"condition": "service_completed_successfully"}},
        },
    }
    result = plan_compose(tmp_path, services)
    assert ("Service", "migrate") not in result["docs"]
    assert not [i for i in result["attention"] if "reached by name" in i["what"]]


def test_answers_keyed_by_any_member_of_a_pod_apply_to_the_pod(tmp_path: Path) -> None:
    services = {
        "app": {"image": "myapp:1", "deploy": {"replicas": 3}, "ports": ["8080:8080"]},
        "proxy": {"image": "envoyproxy/envoy:v1", "scale": 5, "network_mode": "service:app"},
    }
    compose = tmp_path / "compose.yaml"
    compose.write_text(yaml.safe_dump({"services": services}))
    yes = dict.fromkeys(
        ("same_host", "single_unit", "unified_whole", "scale_together", "fits_node"), "yes"
    )
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        yaml.safe_dump(
            {
                "version": 1,
                "roles": {"app": "primary", "proxy": "helper of app"},
                "replicas": {"proxy": 2},
                "pairs": {"app + proxy": yes},
            }
        )
    )
    out = tmp_path / "out"
    assert main(["plan", str(compose), "--answers", str(answers), "--out", str(out)]) == 0
    documents = [d for d in yaml.safe_load_all((out / "pods.yaml").read_text()) if d]
    (deployment,) = [d for d in documents if d["kind"] == "Deployment"]
    assert deployment["spec"]["replicas"] == 2


def test_a_pod_that_does_not_scale_is_not_asked_its_replicas(tmp_path: Path) -> None:
    from advisor.formats.application import load_application
    from advisor.layout.partition import Layout, Pod
    from advisor.layout.workloads import plan_workloads

    services = {
        "agent": {"image": "a:1", "deploy": {"mode": "global", "replicas": 3}},
        "helper": {"image": "h:1", "scale": 5},
    }
    compose = tmp_path / "compose.yaml"
    compose.write_text(yaml.safe_dump({"services": services}))
    inventory = load_application(compose)
    layout = Layout(pods=(Pod("agent", ("agent", "helper")),), tensions=())
    (plan,) = plan_workloads(inventory, layout).values()
    assert plan.kind.value == "daemonset" and plan.declared == () and plan.problem is None


def test_a_long_stateful_set_name_leaves_room_for_its_pods_names(tmp_path: Path) -> None:
    name = "a" * 63
    result = plan_compose(
        tmp_path, {name: {"image": "postgres:16", "volumes": ["pg:/var/lib/postgresql/data"]}}
    )
    (stateful,) = [d for (kind, _), d in result["docs"].items() if kind == "StatefulSet"]
    assert len(stateful["metadata"]["name"]) <= 52
    labels = stateful["spec"]["template"]["metadata"]["labels"]
    assert stateful["spec"]["selector"]["matchLabels"].items() <= labels.items()


def test_a_long_cron_job_name_leaves_room_for_its_jobs_names(tmp_path: Path) -> None:
    # The API server refuses a CronJob named past 52 characters: its Jobs are NAME-TIME.
    first, second = "c" * 55, "c" * 56
    schedule = {"pod-advisor.schedule": "0 3 * * *"}
    services = {n: {"image": "busybox", "labels": schedule} for n in (first, second)}
    result = plan_compose(tmp_path, services)
    names = [name for (kind, name) in result["docs"] if kind == "CronJob"]
    assert len(names) == 2 and len(set(names)) == 2
    assert all(len(name) <= 52 for name in names)
    (tmp_path / "again").mkdir()
    assert plan_compose(tmp_path / "again", services)["docs"].keys() == result["docs"].keys()


def test_a_cut_workload_name_never_takes_another_pods_name() -> None:
    from advisor.domain.names import fitted, unique_fitted

    long = "c" * 60
    taken = {fitted(long, 52)}  # a pod named what the long one's cut name comes to
    assert unique_fitted(long, 52, set(taken)) not in taken
    assert unique_fitted(long, 52, set(taken)) == unique_fitted(long, 52, set(taken))
