"""What the advice for running pods writes: native sidecars, split Jobs, the Services a split
needs, and the words explain and the report use for pods kept as they run."""

from __future__ import annotations

import copy
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from helpers import K8S_VERSION

from advisor.cli import main

DATA = Path(__file__).parent / "data" / "k8s"
MIGRATE = DATA / "migrate-job-cloudsql.yaml"


def plan(tmp_path: Path, inventory: Path, *extra: str) -> list[dict]:
    out = tmp_path / "out"
    assert main(["plan", str(inventory), "--out", str(out), *extra]) == 0
    documents = list(yaml.safe_load_all((out / "pods.yaml").read_text()))
    for document in documents:
        kubernetes_validate.validate(document, K8S_VERSION, strict=True)
    return documents


def report(tmp_path: Path) -> str:
    return (tmp_path / "out" / "report.md").read_text()


def pod_spec(document: dict) -> dict:
    spec = document["spec"]
    if document["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return spec if document["kind"] == "Pod" else spec["template"]["spec"]


def the_input(path: Path) -> dict:
    return next(d for d in yaml.safe_load_all(path.read_text()) if d["kind"] == "Job")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


# --- a helper that keeps a Job from completing ------------------------------------------


def test_native_sidecars_moves_a_kept_jobs_helper_to_a_restartable_init_container(
    tmp_path: Path,
) -> None:
    (job,) = plan(tmp_path, MIGRATE, "--native-sidecars")
    original = pod_spec(the_input(MIGRATE))
    proxy = original["containers"][1]
    assert pod_spec(job)["containers"] == original["containers"][:1]
    assert pod_spec(job)["initContainers"] == [{**proxy, "restartPolicy": "Always"}]
    assert (
        "migrate-cloud-sql-proxy keeps the Job from completing: written as a native sidecar"
        in report(tmp_path)
    )


def test_without_the_flag_the_job_is_kept_and_the_advice_names_the_flag(tmp_path: Path) -> None:
    (job,) = plan(tmp_path, MIGRATE)
    assert pod_spec(job) == pod_spec(the_input(MIGRATE))
    text = report(tmp_path)
    assert "migrate-cloud-sql-proxy keeps the Job from completing: make it a native sidecar" in text
    assert "--native-sidecars" in text


CRONJOB_WITH_INIT = """\
apiVersion: batch/v1
kind: CronJob
metadata: {name: backup}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          initContainers:
          - {name: wait, image: busybox, command: [sh, -c, "sleep 1"]}
          containers:
          - {name: backup, image: example/backup:1}
          - {name: ship, image: fluent/fluent-bit:3.0}
"""


def test_a_cronjobs_helper_goes_after_the_init_containers_that_run_once(tmp_path: Path) -> None:
    (cronjob,) = plan(tmp_path, write(tmp_path, "c.yaml", CRONJOB_WITH_INIT), "--native-sidecars")
    spec = pod_spec(cronjob)
    assert [c["name"] for c in spec["containers"]] == ["backup"]
    assert [(c["name"], c.get("restartPolicy")) for c in spec["initContainers"]] == [
        ("wait", None),  # ran before the helper started, and still does
        ("ship", "Always"),
    ]


def test_a_helper_that_is_already_a_native_sidecar_is_left_alone(tmp_path: Path) -> None:
    text = CRONJOB_WITH_INIT.replace(
        "          - {name: ship, image: fluent/fluent-bit:3.0}\n", ""
    ).replace(
        'command: [sh, -c, "sleep 1"]}',
        'command: [sh, -c, "sleep 1"]}\n          - {name: ship, image: fluent/fluent-bit:3.0, '
        "restartPolicy: Always}",
    )
    path = write(tmp_path, "c.yaml", text)
    (cronjob,) = plan(tmp_path, path, "--native-sidecars")
    assert cronjob == yaml.safe_load(text)
    assert "keeps the CronJob from completing" not in report(tmp_path)


# --- a helper split out of a Job ----------------------------------------------------------


def test_a_helper_split_out_of_a_job_serves_it_from_a_deployment(tmp_path: Path) -> None:
    documents = plan(tmp_path, MIGRATE, "--node", "cpu=1,memory=2Gi")
    job, deployment, service = documents
    original = pod_spec(the_input(MIGRATE))
    assert job["kind"] == "Job" and pod_spec(job)["containers"] == original["containers"][:1]
    assert deployment["kind"] == "Deployment"
    spec = pod_spec(deployment)
    assert spec["containers"] == original["containers"][1:]  # the spec carried over unchanged
    assert "restartPolicy" not in spec  # a Deployment's pods restart always
    assert spec["serviceAccountName"] == original["serviceAccountName"]
    assert deployment["spec"]["replicas"] == 1
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert service["spec"]["selector"].items() <= labels.items()
    text = report(tmp_path)
    assert "moves out to Deployment migrate-cloud-sql-proxy" in text
    assert "migrate-cloud-sql-proxy is a Deployment, not a Job" in text


def test_explain_takes_native_sidecars_and_says_what_plan_writes_with_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["explain", str(MIGRATE)]) == 0
    without = " ".join(capsys.readouterr().out.split())
    assert "make it a native sidecar" in without
    assert main(["explain", str(MIGRATE), "--native-sidecars"]) == 0
    written = " ".join(capsys.readouterr().out.split())
    assert "keeps the Job from completing: written as a native sidecar" in written
    assert "make it a native sidecar" not in written


KUBECTL_JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: report
  namespace: batch
  labels: {team: data}
spec:
  backoffLimit: 1
  activeDeadlineSeconds: 600
  selector:
    matchLabels: {batch.kubernetes.io/controller-uid: 0d5c}
  template:
    metadata:
      labels:
        batch.kubernetes.io/controller-uid: 0d5c
        batch.kubernetes.io/job-name: report
        controller-uid: 0d5c
        job-name: report
        team: data
    spec:
      restartPolicy: Never
      activeDeadlineSeconds: 600
      containers:
      - {name: report, image: example/report:1, env: [{name: DB, value: "localhost:5432"}]}
      - {name: pgbouncer, image: bitnami/pgbouncer:1, ports: [{containerPort: 5432}]}
status: {succeeded: 1}
"""


def test_a_split_out_of_a_job_as_kubectl_prints_it_drops_the_job_controllers_labels(
    tmp_path: Path,
) -> None:
    answers = write(
        tmp_path, "a.yaml", "version: 1\npairs:\n  report + report-pgbouncer:\n    same_host: no\n"
    )
    documents = plan(tmp_path, write(tmp_path, "j.yaml", KUBECTL_JOB), "--answers", str(answers))
    deployment = next(d for d in documents if d["kind"] == "Deployment")
    template = deployment["spec"]["template"]
    assert template["metadata"]["labels"] == {
        "team": "data",
        "pod-advisor.io/workload": "report-pgbouncer",
    }
    assert "activeDeadlineSeconds" not in template["spec"]
    assert deployment["metadata"] == {
        "name": "report-pgbouncer",
        "namespace": "batch",
        "labels": {"team": "data"},
    }


KUBECTL_KEPT_JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  namespace: batch
  uid: 0d5c6a2e-1111-4a4a-9999-3f2b1c0d5c6a
  resourceVersion: "48211"
  generation: 1
  creationTimestamp: "2024-05-01T10:00:00Z"
  managedFields: [{manager: kubectl-client-side-apply, operation: Update}]
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"batch/v1"}'
    team.example.com/owner: data
  labels:
    batch.kubernetes.io/controller-uid: 0d5c6a2e-1111-4a4a-9999-3f2b1c0d5c6a
    batch.kubernetes.io/job-name: migrate
    controller-uid: 0d5c6a2e-1111-4a4a-9999-3f2b1c0d5c6a
    job-name: migrate
spec:
  backoffLimit: 1
  selector:
    matchLabels: {batch.kubernetes.io/controller-uid: 0d5c6a2e-1111-4a4a-9999-3f2b1c0d5c6a}
  template:
    metadata:
      labels:
        batch.kubernetes.io/controller-uid: 0d5c6a2e-1111-4a4a-9999-3f2b1c0d5c6a
        batch.kubernetes.io/job-name: migrate
        controller-uid: 0d5c6a2e-1111-4a4a-9999-3f2b1c0d5c6a
        job-name: migrate
        team: data
    spec:
      restartPolicy: Never
      containers:
      - {name: migrate, image: example/app:1, env: [{name: DB, value: "localhost:5432"}]}
      - {name: pgbouncer, image: bitnami/pgbouncer:1, ports: [{containerPort: 5432}]}
status: {succeeded: 1, startTime: "2024-05-01T10:00:01Z"}
"""


def test_a_kept_job_as_kubectl_prints_it_applies_again_without_what_the_server_filled_in(
    tmp_path: Path,
) -> None:
    (job,) = plan(tmp_path, write(tmp_path, "j.yaml", KUBECTL_KEPT_JOB))
    assert "status" not in job
    assert job["metadata"] == {
        "name": "migrate",
        "namespace": "batch",
        "annotations": {"team.example.com/owner": "data"},
    }
    assert "selector" not in job["spec"]  # generated anew, with the new Job's uid
    assert job["spec"]["template"]["metadata"] == {"labels": {"team": "data"}}
    original = yaml.safe_load(KUBECTL_KEPT_JOB)
    assert pod_spec(job) == pod_spec(original)


# --- the kind the user chose for a pod (ask's review saves it under workloads:) ---------


def test_a_part_split_out_is_written_as_the_kind_chosen_for_it(tmp_path: Path) -> None:
    answers = write(
        tmp_path,
        "a.yaml",
        SPLIT_SELF + "workloads:\n  kube-state-metrics-kube-rbac-proxy-self: daemonset\n",
    )
    documents = plan(tmp_path, KSM, "--answers", str(answers))
    (daemonset,) = [d for d in documents if d["kind"] == "DaemonSet"]
    assert daemonset["metadata"]["name"] == "kube-state-metrics-kube-rbac-proxy-self"
    original = next(d for d in yaml.safe_load_all(KSM.read_text()) if d["kind"] == "Deployment")
    assert pod_spec(daemonset)["containers"] == pod_spec(original)["containers"][2:]
    labels = daemonset["spec"]["template"]["metadata"]["labels"]
    assert daemonset["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert "written as a DaemonSet, as you chose (it runs as a Deployment today)" in report(
        tmp_path
    )


def test_a_kept_pod_is_written_as_the_kind_chosen_for_it(tmp_path: Path) -> None:
    answers = write(
        tmp_path, "a.yaml", "version: 1\nworkloads:\n  kube-state-metrics: statefulset\n"
    )
    documents = plan(tmp_path, KSM, "--answers", str(answers))
    statefulset, headless = documents
    assert statefulset["kind"] == "StatefulSet"
    assert statefulset["spec"]["serviceName"] == headless["metadata"]["name"]
    assert headless["spec"]["clusterIP"] == "None"
    original = next(d for d in yaml.safe_load_all(KSM.read_text()) if d["kind"] == "Deployment")
    assert pod_spec(statefulset) == pod_spec(original)
    assert statefulset["spec"]["selector"] == original["spec"]["selector"]


@pytest.mark.parametrize(
    ("chosen", "kind"), [("deployment", "Deployment"), ("pod", "Pod"), ("cronjob", "Job")]
)
def test_a_job_chosen_to_run_as_another_kind_is_written_so(
    chosen: str, kind: str, tmp_path: Path
) -> None:
    answers = write(tmp_path, "a.yaml", f"version: 1\nworkloads:\n  migrate: {chosen}\n")
    (document,) = plan(tmp_path, MIGRATE, "--answers", str(answers))  # validated
    assert document["kind"] == kind
    original = pod_spec(the_input(MIGRATE))
    assert pod_spec(document)["containers"] == original["containers"]
    if chosen == "cronjob":
        assert (
            "is written as a Job, not a CronJob (as you chose): a CronJob needs a schedule"
            in report(tmp_path)
        )


SHIPPING = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: batch}
spec:
  selector: {matchLabels: {app: batch}}
  template:
    metadata: {labels: {app: batch}}
    spec:
      containers:
      - {name: batch, image: example/batch:1}
      - {name: shipper, image: fluent/fluent-bit:3}
"""


def test_a_deployment_chosen_to_run_as_a_job_gets_its_helper_as_a_native_sidecar(
    tmp_path: Path,
) -> None:
    manifests = write(tmp_path, "m.yaml", SHIPPING)
    answers = write(tmp_path, "a.yaml", "version: 1\nworkloads:\n  batch: job\n")
    (job,) = plan(tmp_path, manifests, "--answers", str(answers), "--native-sidecars")
    assert job["kind"] == "Job"
    assert [c["name"] for c in pod_spec(job)["initContainers"]] == ["shipper"]
    assert pod_spec(job)["initContainers"][0]["restartPolicy"] == "Always"
    assert "batch-shipper keeps the Job from completing: written as a native sidecar" in report(
        tmp_path
    )


def test_a_job_chosen_to_run_as_a_deployment_is_not_told_it_never_completes(
    tmp_path: Path,
) -> None:
    answers = write(tmp_path, "a.yaml", "version: 1\nworkloads:\n  migrate: deployment\n")
    plan(tmp_path, MIGRATE, "--answers", str(answers))
    text = report(tmp_path)
    assert "from completing" not in text
    assert "migrate-cloud-sql-proxy should start first: make it a native sidecar" in text


# --- the Service a split writes -----------------------------------------------------------

CLASH = """\
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata: {name: api}
  spec:
    selector: {app: api}
    ports: [{port: 80, targetPort: 8080}]
- apiVersion: v1
  kind: Service
  metadata: {name: api-2}
  spec:
    selector: {app: api}
    ports: [{port: 81, targetPort: 8080}]
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: api}
  spec:
    selector: {matchLabels: {app: api}}
    template:
      metadata: {labels: {app: api}}
      spec:
        containers:
        - {name: api, image: example/api:1, ports: [{containerPort: 8080}]}
        - name: auth
          image: quay.io/oauth2-proxy/oauth2-proxy:v7.6.0
          args: [--upstream=http://127.0.0.1:8080/, --http-address=0.0.0.0:4180]
"""
SPLIT_AUTH = "version: 1\npairs:\n  api + api-auth:\n    scale_together: no\n"


def test_a_splits_service_takes_a_name_no_service_of_the_input_has(tmp_path: Path) -> None:
    answers = write(tmp_path, "a.yaml", SPLIT_AUTH)
    documents = plan(tmp_path, write(tmp_path, "m.yaml", CLASH), "--answers", str(answers))
    (service,) = [d for d in documents if d["kind"] == "Service"]
    assert service["metadata"]["name"] == "api-3"  # api and api-2 are the input's
    assert service["spec"]["ports"] == [{"name": "port-8080", "port": 8080, "targetPort": 8080}]
    kept = next(d for d in documents if d["metadata"]["name"] == "api")
    assert service["spec"]["selector"].items() <= (
        kept["spec"]["template"]["metadata"]["labels"].items()
    )
    assert "it must reach Service api-3 port 8080 instead" in report(tmp_path)


def test_the_services_name_is_the_same_every_run_and_in_explain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = write(tmp_path, "a.yaml", SPLIT_AUTH)
    manifests = write(tmp_path, "m.yaml", CLASH)
    first = plan(tmp_path, manifests, "--answers", str(answers))
    assert plan(tmp_path, manifests, "--answers", str(answers)) == first
    capsys.readouterr()
    assert main(["explain", str(manifests), "--answers", str(answers)]) == 0
    assert "Service api-3 port 8080" in " ".join(capsys.readouterr().out.split())


def test_a_service_in_another_file_of_the_folder_is_a_name_taken(tmp_path: Path) -> None:
    folder = tmp_path / "manifests"
    folder.mkdir()
    items = yaml.safe_load(CLASH)["items"]
    (folder / "a-service.yaml").write_text(yaml.safe_dump(items[0]))
    (folder / "b-deployment.yaml").write_text(yaml.safe_dump(items[2]))
    answers = write(tmp_path, "a.yaml", SPLIT_AUTH)
    documents = plan(tmp_path, folder, "--answers", str(answers))
    assert [d["metadata"]["name"] for d in documents if d["kind"] == "Service"] == ["api-2"]


# --- what explain and the report say of pods kept as they run, and of splits -------------

THREE_OVER_THE_NODE = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: nginx, resources: {requests: {cpu: "1"}}}
      - {name: proxy, image: envoyproxy/envoy, resources: {requests: {cpu: "1"}}}
      - {name: agent, image: fluent/fluent-bit, resources: {requests: {cpu: "1"}}}
"""


def test_a_running_pod_over_the_node_splits_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Each pair fits the node, the three do not: no pair was answered, so no tension.
    manifests = write(tmp_path, "w.yaml", THREE_OVER_THE_NODE)
    documents = plan(tmp_path, manifests, "--node", "cpu=2.5")
    assert [d["metadata"]["name"] for d in documents] == ["web", "web-agent"]
    why = "the pod as it runs cannot stay whole: their CPU requests add up to 3 of the node's 2.5"
    assert f"split: web-agent moves out to Deployment web-agent ({why})" in report(tmp_path)
    capsys.readouterr()
    assert main(["explain", str(manifests), "--node", "cpu=2.5"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "0 tensions" in out and why in out
    assert main(["explain", str(manifests), "--node", "cpu=2.5", "web", "web-agent"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert f"Why: apart: they run in one pod today, but {why}" in out


KSM = DATA / "kube-state-metrics.yaml"
SPLIT_SELF = """\
version: 1
pairs:
  kube-state-metrics + kube-state-metrics-kube-rbac-proxy-self:
    scale_together: no
"""


def test_a_split_names_the_loopback_listen_the_service_cannot_reach(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = write(tmp_path, "a.yaml", SPLIT_SELF)
    documents = plan(tmp_path, KSM, "--answers", str(answers))
    listen = (
        "kube-state-metrics listens on the loopback address only (args[2] "
        "--telemetry-host=127.0.0.1): Service kube-state-metrics-2 cannot reach it there; "
        "make it listen on 0.0.0.0 (or the pod IP)"
    )
    text = " ".join(report(tmp_path).split())
    assert listen in text
    assert "--host=127.0.0.1" not in text  # port 8081: the kept proxy still reaches it
    assert main(["explain", str(KSM), "--answers", str(answers)]) == 0
    assert listen in " ".join(capsys.readouterr().out.split())
    original = next(d for d in yaml.safe_load_all(KSM.read_text()) if d["kind"] == "Deployment")
    assert pod_spec(documents[0])["containers"][0] == pod_spec(original)["containers"][0]


def test_explain_after_a_split_says_what_stays_unreviewed_and_what_moved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = write(tmp_path, "a.yaml", SPLIT_SELF)
    assert main(["explain", str(KSM), "--answers", str(answers)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "all five answers yes" not in out  # nobody answered the pair that stays
    assert (
        "kube-state-metrics + kube-state-metrics-kube-rbac-proxy-main: together as they run "
        "today, not yet reviewed (3 of 5 questions open)" in out
    )
    assert "split: kube-state-metrics-kube-rbac-proxy-self moves out" in out
    assert "keep as it runs" not in out
    assert (
        "kept together as they run, not yet reviewed: "
        "kube-state-metrics + kube-state-metrics-kube-rbac-proxy-main" in out
    )
    main_self = (
        "kube-state-metrics-kube-rbac-proxy-main",
        "kube-state-metrics-kube-rbac-proxy-self",
    )
    assert main(["explain", str(KSM), "--answers", str(answers), *main_self]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "do not share a pod" in out
    assert "rule of thumb" not in out
    assert (
        "Why: apart: they run in one pod today, but kube-state-metrics + "
        "kube-state-metrics-kube-rbac-proxy-self: answered no to scale_together" in out
    )


def test_a_pair_kept_as_it_runs_is_explained_as_shared_not_apart(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["explain", str(MIGRATE), "migrate", "migrate-cloud-sql-proxy"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "share pod migrate" in out
    assert "Why: together in pod migrate as they run today: not yet reviewed" in out
    assert "apart" not in out.split("Answers:")[0]


def test_a_helper_role_read_from_a_running_pod_is_not_called_the_users(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["explain", str(MIGRATE), "migrate", "migrate-cloud-sql-proxy"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "migrate-cloud-sql-proxy runs as a helper of migrate" in out
    assert "was named" not in out  # nobody named it: the manifest shows it


def test_plan_says_unanswered_running_pods_are_kept_as_they_run(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["plan", str(MIGRATE)]) == 0
    err = capsys.readouterr().err
    assert "1 pair unanswered, kept as they run" in err and "kept apart" not in err


def test_a_copy_of_the_input_is_not_changed_by_planning(tmp_path: Path) -> None:
    before = copy.deepcopy(list(yaml.safe_load_all(MIGRATE.read_text())))
    plan(tmp_path, MIGRATE, "--native-sidecars", "--node", "cpu=1,memory=2Gi")
    assert list(yaml.safe_load_all(MIGRATE.read_text())) == before


def test_an_answer_that_the_containers_share_processes_is_written(tmp_path: Path) -> None:
    answers = write(
        tmp_path,
        "a.yaml",
        "version: 1\nprocesses:\n  migrate + migrate-cloud-sql-proxy: yes\npairs: {}\n",
    )
    (job,) = plan(tmp_path, MIGRATE, "--answers", str(answers))
    assert pod_spec(job)["shareProcessNamespace"] is True


TWO_WORKLOADS = """\
apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web}
  spec:
    selector: {matchLabels: {app: web}}
    template:
      metadata: {labels: {app: web}}
      spec:
        containers:
        - {name: app, image: example/web:1, ports: [{containerPort: 8080}]}
        - {name: proxy, image: envoyproxy/envoy:v1.30, ports: [{containerPort: 9901}]}
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: api}
  spec:
    selector: {matchLabels: {app: api}}
    template:
      metadata: {labels: {app: api}}
      spec:
        containers:
        - {name: app, image: example/api:1, ports: [{containerPort: 7070}]}
"""
ACROSS = """\
version: 1
roles: {api-app: helper of web-app}
pairs:
  web-app + web-proxy + api-app:
    same_host: yes
    single_unit: yes
    unified_whole: yes
    scale_together: yes
    fits_node: yes
"""


def test_containers_of_two_workloads_answered_together_stay_apart_and_every_output_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifests = write(tmp_path, "m.yaml", TWO_WORKLOADS)
    answers = write(tmp_path, "a.yaml", ACROSS)
    documents = plan(tmp_path, manifests, "--answers", str(answers))
    assert documents == yaml.safe_load(TWO_WORKLOADS)["items"]  # each as it runs
    layout = yaml.safe_load((tmp_path / "out" / "layout.yaml").read_text())
    assert sorted(sorted(pod["containers"]) for pod in layout["pods"]) == [
        ["api-app"],
        ["web-app", "web-proxy"],
    ]  # the layout agrees with the manifests
    why = (
        "they run in different workloads (Deployment/api, Deployment/web), and the audit "
        "never merges two"
    )
    err = capsys.readouterr().err
    assert f"warning: {answers}: api-app + web-proxy answered together, but {why}" in err
    assert why in " ".join(report(tmp_path).split())
    assert main(["explain", str(manifests), "--answers", str(answers), "web-proxy", "api-app"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert f"Why: answered together, but {why}" in out
    assert "answer no for api-app + web-proxy" in out


SHARED_PROCESSES = """\
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  shareProcessNamespace: true
  containers:
  - {name: app, image: example/web:1, ports: [{containerPort: 8080}]}
  - {name: rotate, image: example/logrotate:1}
"""


def test_a_pod_that_shares_processes_as_it_runs_answers_the_question_as_computed(
    tmp_path: Path,
) -> None:
    from advisor.commands.load import load_questionnaire

    manifests = write(tmp_path, "m.yaml", SHARED_PROCESSES)
    questionnaire = load_questionnaire(manifests, None, must_exist=False)
    pod = ("web-app", "web-rotate")
    assert questionnaire.shares_processes(pod) is True
    assert questionnaire.processes_answer(pod) is None  # a fact, not the user's answer
    assert questionnaire.processes_as_running(pod) == "Pod/web"
    assert questionnaire.pods_to_ask_about_processes([pod]) == []
    (written,) = plan(tmp_path, manifests)
    assert written["spec"]["shareProcessNamespace"] is True


def test_a_no_to_sharing_processes_removes_it_from_the_written_pod(tmp_path: Path) -> None:
    manifests = write(tmp_path, "m.yaml", SHARED_PROCESSES)
    answers = write(tmp_path, "a.yaml", "version: 1\nprocesses:\n  web-app + web-rotate: no\n")
    (written,) = plan(tmp_path, manifests, "--answers", str(answers))
    assert "shareProcessNamespace" not in written["spec"]
    assert written["spec"]["containers"] == yaml.safe_load(SHARED_PROCESSES)["spec"]["containers"]


def test_a_split_that_parts_a_shared_emptydir_says_the_files_no_longer_cross(
    tmp_path: Path,
) -> None:
    answers = write(
        tmp_path,
        "a.yaml",
        "version: 1\npairs:\n  two-containers-nginx-container + two-containers-debian-container:\n"
        "    scale_together: no\n",
    )
    plan(tmp_path, DATA / "two-container-pod.yaml", "--answers", str(answers))
    assert (
        "two-containers-nginx-container and two-containers-debian-container exchange files in "
        "emptyDir shared-data; split, each pod has its own, empty" in report(tmp_path)
    )


def test_a_link_that_names_no_port_gets_a_headless_service(tmp_path: Path) -> None:
    text = KUBECTL_JOB.replace('value: "localhost:5432"', 'value: "localhost"').replace(
        ", ports: [{containerPort: 5432}]", ""
    )
    answers = write(
        tmp_path, "a.yaml", "version: 1\npairs:\n  report + report-pgbouncer:\n    same_host: no\n"
    )
    documents = plan(tmp_path, write(tmp_path, "j.yaml", text), "--answers", str(answers))
    (service,) = [d for d in documents if d["kind"] == "Service"]
    assert service["spec"] == {
        "clusterIP": "None",
        "selector": {"pod-advisor.io/workload": "report-pgbouncer"},
    }
    assert "it must reach Service report-pgbouncer instead" in report(tmp_path)


# --- every output names the kind pods.yaml writes ------------------------------------------


def test_without_answers_the_kind_is_the_one_it_runs_as_not_one_you_chose(
    tmp_path: Path,
) -> None:
    plan(tmp_path, KSM)
    text = report(tmp_path)
    assert "as you said" not in text
    assert (
        "**kube-state-metrics**: a Deployment (as Deployment/monitoring/kube-state-metrics runs "
        "today)" in text
    )
    layout = yaml.safe_load((tmp_path / "out" / "layout.yaml").read_text())
    assert layout["pods"][0]["workload"] == {
        "kind": "Deployment",
        "why": "as Deployment/monitoring/kube-state-metrics runs today",
    }


def test_a_helper_split_out_of_a_job_is_a_deployment_in_every_output(tmp_path: Path) -> None:
    answers = write(
        tmp_path,
        "a.yaml",
        "version: 1\npairs:\n  migrate + migrate-cloud-sql-proxy:\n    scale_together: no\n",
    )
    documents = plan(tmp_path, MIGRATE, "--answers", str(answers))
    assert [d["kind"] for d in documents] == ["Job", "Deployment", "Service"]
    assert (
        "**migrate-cloud-sql-proxy**: a Deployment (split out of Job/migrate: a helper never "
        "completes)" in report(tmp_path)
    )
    layout = yaml.safe_load((tmp_path / "out" / "layout.yaml").read_text())
    kinds = {p["name"]: p["workload"]["kind"] for p in layout["pods"]}
    assert kinds == {"migrate": "Job", "migrate-cloud-sql-proxy": "Deployment"}
