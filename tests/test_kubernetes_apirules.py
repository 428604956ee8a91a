"""What the API server refuses on create, refused on input in one line or left out with a
note: ephemeral containers, what the server fills in, label values over 63 characters,
a workload twice in one namespace, a selector that does not select its template, a
restart policy its kind cannot run; and a Job named by ``generateName`` taken."""

# ruff: noqa: E501  (each case spells out the exact line a user sees)

from __future__ import annotations

from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from helpers import K8S_VERSION

from advisor.cli import main


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "m.yaml"
    path.write_text(text)
    return path


def plan(tmp_path: Path, manifests: Path, *extra: str) -> list[dict]:
    """``plan``'s pods.yaml, each document valid (strict)."""
    out = tmp_path / "out"
    assert main(["plan", str(manifests), "--out", str(out), *extra]) == 0
    documents = [d for d in yaml.safe_load_all((out / "pods.yaml").read_text()) if d]
    for document in documents:
        kubernetes_validate.validate(document, K8S_VERSION, strict=True)
    return documents


def refused(tmp_path: Path, manifests: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """The one line ``plan`` refuses ``manifests`` with (nothing written)."""
    out = tmp_path / "out"
    assert main(["plan", str(manifests), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1, err
    assert not out.exists()
    return err


DEBUGGED = """\
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - {name: web, image: nginx, resources: {requests: {cpu: "1"}}}
  - {name: agent, image: fluent/fluent-bit, resources: {requests: {cpu: "1"}}}
  ephemeralContainers:
  - {name: debugger-x7k2p, image: busybox, targetContainerName: web}
"""


def test_ephemeral_containers_are_left_out_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (pod,) = plan(tmp_path, write(tmp_path, DEBUGGED))
    assert "ephemeralContainers" not in pod["spec"]
    assert (
        "Pod/web: ephemeralContainers (debugger-x7k2p) left out: kubectl debug adds them to a "
        "running pod, and the API server takes none on create"
    ) in capsys.readouterr().err


def test_no_part_of_a_split_carries_the_ephemeral_containers(tmp_path: Path) -> None:
    documents = plan(tmp_path, write(tmp_path, DEBUGGED), "--node", "cpu=1.5")
    assert [d["metadata"]["name"] for d in documents] == ["web", "web-agent"]
    assert not any("ephemeralContainers" in d["spec"] for d in documents)


def test_a_templates_ephemeral_containers_are_left_out(tmp_path: Path) -> None:
    deployment = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx}]
      ephemeralContainers: [{name: debug, image: busybox}]
"""
    (written,) = plan(tmp_path, write(tmp_path, deployment))
    assert "ephemeralContainers" not in written["spec"]["template"]["spec"]


AS_KUBECTL_PRINTS_IT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  uid: 5d3c1a8e-7f7b-4a51-9d0b-2b1f7c9f1e11
  resourceVersion: "48213"
  generation: 3
  selfLink: /apis/apps/v1/namespaces/shop/deployments/web
  creationTimestamp: "2026-01-05T10:00:00Z"
  managedFields: [{manager: kubectl, operation: Update, apiVersion: apps/v1}]
  labels: {app: web}
  annotations:
    deployment.kubernetes.io/revision: "3"
    kubectl.kubernetes.io/last-applied-configuration: '{"kind":"Deployment"}'
    team.example.com/owner: shop
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      creationTimestamp: null
      labels: {app: web}
    spec:
      containers: [{name: web, image: nginx}]
status: {replicas: 1, readyReplicas: 1}
"""


def test_what_the_server_filled_in_is_left_out_as_kubectl_neat_does(tmp_path: Path) -> None:
    (written,) = plan(tmp_path, write(tmp_path, AS_KUBECTL_PRINTS_IT))
    assert "status" not in written
    assert written["metadata"] == {
        "name": "web",
        "namespace": "shop",
        "labels": {"app": "web"},
        "annotations": {"team.example.com/owner": "shop"},
    }
    assert written["spec"]["template"]["metadata"] == {"labels": {"app": "web"}}


LONG = "w" * 64  # a valid name; a label value stops at 63
LONG_POD = f"""\
apiVersion: v1
kind: Pod
metadata: {{name: {LONG}}}
spec:
  containers:
  - {{name: web, image: nginx, resources: {{requests: {{cpu: "1"}}}}}}
  - name: agent
    image: fluent/fluent-bit
    args: ["--upstream=http://localhost:80"]
    resources: {{requests: {{cpu: "1"}}}}
"""


def test_a_kept_workload_of_a_64_character_name_is_selected_by_a_label_cut_to_63(
    tmp_path: Path,
) -> None:
    documents = plan(tmp_path, write(tmp_path, LONG_POD), "--node", "cpu=1.5")
    kept = next(d for d in documents if d["metadata"]["name"] == LONG)
    (value,) = [v for k, v in kept["metadata"]["labels"].items() if k.startswith("pod-advisor")]
    assert len(value) == 63 and value.startswith("w" * 50)
    (service,) = [d for d in documents if d["kind"] == "Service"]  # in front of the kept pod
    assert service["spec"]["selector"] == {"pod-advisor.io/workload": value}


POD_IN = """\
apiVersion: v1
kind: Pod
metadata: {{name: {name}{namespace}}}
spec:
  containers: [{{name: web, image: nginx}}]
"""


def test_a_pod_in_default_and_one_of_its_name_without_a_namespace_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = POD_IN.format(name="p", namespace=", namespace: default")
    text += "---\n" + POD_IN.format(name="p", namespace="")
    err = refused(tmp_path, write(tmp_path, text), capsys)
    assert err.endswith(
        f"Pod/p.metadata.name: a Pod of this name is read already, at {tmp_path / 'm.yaml'}:3 "
        "(a workload without a namespace is applied to default, by convention)\n"
    )


def deployment(selector: str, labels: str = "{app: web}", policy: str = "") -> str:
    return f"""\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web}}
spec:
  selector: {selector}
  template:
    metadata: {{labels: {labels}}}
    spec:
      containers: [{{name: web, image: nginx}}]{policy}
"""


@pytest.mark.parametrize(
    ("selector", "message"),
    [
        (
            "{matchLabels: {app: api}}",
            "Deployment/web.spec.selector: selector does not match template labels (the template has no app: api)",
        ),
        (
            "{matchExpressions: [{key: tier, operator: Exists}]}",
            "Deployment/web.spec.selector: selector does not match template labels (matchExpressions[0] selects none of them)",
        ),
        (
            "{matchExpressions: [{key: app, operator: Has}]}",
            "Deployment/web.spec.selector.matchExpressions[0].operator: 'Has' is none of In, NotIn, Exists, DoesNotExist",
        ),
        (
            "{}",
            "Deployment/web.spec.selector: is empty: a Deployment must select its pods by their labels",
        ),
    ],
)
def test_a_selector_that_does_not_select_its_template_is_refused(
    selector: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = refused(tmp_path, write(tmp_path, deployment(selector)), capsys)
    assert err.startswith(f"pod-advisor: error: {tmp_path / 'm.yaml'}:5:")
    assert err.endswith(f": {message}\n"), err


def test_a_selector_of_expressions_that_selects_the_template_is_taken(tmp_path: Path) -> None:
    selector = (
        "{matchLabels: {app: web}, matchExpressions: [{key: tier, operator: NotIn, values: [db]}]}"
    )
    (written,) = plan(tmp_path, write(tmp_path, deployment(selector)))
    assert written["spec"]["selector"]["matchExpressions"][0]["operator"] == "NotIn"


def test_a_deployment_whose_pods_never_restart_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = deployment("{matchLabels: {app: web}}", policy="\n      restartPolicy: Never")
    err = refused(tmp_path, write(tmp_path, text), capsys)
    assert err.startswith(f"pod-advisor: error: {tmp_path / 'm.yaml'}:10:7: ")
    assert err.endswith(
        ": Deployment/web.spec.template.spec.restartPolicy: 'Never': a Deployment's pods can only be Always\n"
    )


JOB = """\
apiVersion: batch/v1
kind: Job
metadata: {{{metadata}}}
spec:
  template:
    spec:
      containers: [{{name: migrate, image: migrate/migrate}}]{policy}
"""


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        (
            "\n      restartPolicy: Always",
            "Job/migrate.spec.template.spec.restartPolicy: 'Always': a Job's pods can only be OnFailure or Never",
        ),
        (
            "",
            "Job/migrate.spec.template.spec.restartPolicy: missing: a Job's pods restart OnFailure or Never (the default, Always, would never let it complete)",
        ),
    ],
)
def test_a_job_whose_pods_restart_always_is_refused(
    policy: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = JOB.format(metadata="name: migrate", policy=policy)
    err = refused(tmp_path, write(tmp_path, text), capsys)
    assert err.endswith(f": {message}\n"), err


def test_a_pod_takes_any_restart_policy_the_api_knows(tmp_path: Path) -> None:
    text = POD_IN.format(name="p", namespace="") + "  restartPolicy: OnFailure\n"
    (pod,) = plan(tmp_path, write(tmp_path, text))
    assert pod["spec"]["restartPolicy"] == "OnFailure"


def test_a_job_named_by_generate_name_is_named_after_it_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    job = JOB.format(metadata="generateName: migrate-", policy="\n      restartPolicy: Never")
    documents = plan(tmp_path, write(tmp_path, job + "---\n" + job))
    assert [d["metadata"] for d in documents] == [{"name": "migrate"}, {"name": "migrate-2"}]
    err = capsys.readouterr().err
    assert (
        "Job/migrate: no metadata.name: named migrate after its metadata.generateName "
        "'migrate-' (the API server would add random characters to it on each create)"
    ) in err
    assert "Job/migrate-2: no metadata.name: named migrate-2" in err


def test_a_name_made_from_generate_name_takes_none_a_later_workload_has(
    tmp_path: Path,
) -> None:
    generated = JOB.format(metadata="generateName: migrate-", policy="\n      restartPolicy: Never")
    named = JOB.format(metadata="name: migrate", policy="\n      restartPolicy: Never")
    documents = plan(tmp_path, write(tmp_path, generated + "---\n" + named))
    assert [d["metadata"]["name"] for d in documents] == ["migrate-2", "migrate"]


NESTED = """\
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: List
  items:
  - {apiVersion: v1, kind: Pod, metadata: {name: inner}, spec: {containers: [{name: web, image: nginx}]}}
- {apiVersion: v1, kind: Pod, metadata: {name: outer}, spec: {containers: [{name: web, image: nginx}]}}
"""


def test_a_list_inside_a_list_is_read_with_its_pods(tmp_path: Path) -> None:
    documents = plan(tmp_path, write(tmp_path, NESTED))
    assert [d["metadata"]["name"] for d in documents] == ["inner", "outer"]


def test_a_mistake_in_a_nested_list_names_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = refused(tmp_path, write(tmp_path, NESTED.replace("name: inner}", "name: Inner}")), capsys)
    assert err.endswith(
        ": Pod (document 1 items[0] items[0]).metadata.name: 'Inner' is no DNS-1123 subdomain "
        "(lowercase letters, digits, - and .)\n"
    )


def test_lists_nested_deeper_than_the_bound_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"containers": [{"name": "web", "image": "nginx"}]}}  # fmt: skip
    document: dict = pod
    for _ in range(10):
        document = {"apiVersion": "v1", "kind": "List", "items": [document]}
    manifests = tmp_path / "m.yaml"
    manifests.write_text(yaml.safe_dump(document))
    err = refused(tmp_path, manifests, capsys)
    assert "items: a List in Lists more than 8 deep" in err


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (
            "{app: " + "x" * 64 + "}",
            "Deployment/web.spec.template.metadata.labels.app: '"
            + "x" * 64
            + "' is no label value (at most 63 letters, digits, -, _ and ., a letter or digit at each end)",
        ),
        (
            "{app: web, tier: -db}",
            "Deployment/web.spec.template.metadata.labels.tier: '-db' is no label value (at most 63 letters, digits, -, _ and ., a letter or digit at each end)",
        ),
        (
            "{app: web, Example.com/tier: db}",
            "Deployment/web.spec.template.metadata.labels.Example.com/tier: the prefix 'Example.com' is no DNS-1123 subdomain",
        ),
    ],
)
def test_a_label_the_api_server_refuses_is_refused(
    labels: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = deployment("{matchLabels: {app: web}}", labels=labels)
    err = refused(tmp_path, write(tmp_path, text), capsys)
    assert err.endswith(f": {message}\n"), err


def test_an_annotation_key_the_api_server_refuses_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = POD_IN.format(name="p", namespace=", annotations: {'has space': x}")
    err = refused(tmp_path, write(tmp_path, text), capsys)
    assert err.endswith(
        ": Pod/p.metadata.annotations.has space: 'has space' is no label name (at most 63 "
        "letters, digits, -, _ and ., a letter or digit at each end)\n"
    ), err


def test_a_cronjob_named_longer_than_its_jobs_leave_room_for_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = "c" * 53
    text = f"""\
apiVersion: batch/v1
kind: CronJob
metadata: {{name: {name}}}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{{name: backup, image: busybox}}]
"""
    err = refused(tmp_path, write(tmp_path, text), capsys)
    assert err.endswith(
        f": CronJob/{name}.metadata.name: has 53 characters: a CronJob's can have 52 at most\n"
    ), err


def test_a_statefulset_as_kubectl_prints_it_keeps_its_claim_templates_without_status(
    tmp_path: Path,
) -> None:
    statefulset = """\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, uid: 0a1b, resourceVersion: "7"}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {creationTimestamp: null, labels: {app: db}}
    spec:
      containers:
      - {name: db, image: postgres, volumeMounts: [{name: data, mountPath: /var/lib/postgresql}]}
  volumeClaimTemplates:
  - apiVersion: v1
    kind: PersistentVolumeClaim
    metadata: {name: data, creationTimestamp: null}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
    status: {phase: Pending}
status: {replicas: 1}
"""
    (written,) = plan(tmp_path, write(tmp_path, statefulset))
    (claim,) = written["spec"]["volumeClaimTemplates"]
    assert "status" not in claim and claim["metadata"] == {"name": "data"}


def test_a_job_named_longer_than_a_label_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = JOB.format(metadata=f"name: {LONG}", policy="\n      restartPolicy: Never")
    err = refused(tmp_path, write(tmp_path, text), capsys)
    assert err.endswith(".metadata.name: has 64 characters: a Job's can have 63 at most\n"), err
    assert ": Job/www" in err


def test_a_pod_of_a_64_character_name_written_as_a_job_takes_a_name_that_fits(
    tmp_path: Path,
) -> None:
    pod = POD_IN.format(name=LONG, namespace="")
    (job,) = plan(tmp_path, write(tmp_path, pod), "--workload", "job")
    name = job["metadata"]["name"]
    assert len(name) == 63 and name.startswith("w" * 50)
    report = (tmp_path / "out" / "report.md").read_text()
    assert f"written as Job {name}: a Job's name has 63 characters at most, {LONG} has 64" in report


def test_a_pod_of_a_64_character_name_written_as_a_deployment_keeps_it(tmp_path: Path) -> None:
    pod = POD_IN.format(name=LONG, namespace="")
    (deployment,) = plan(tmp_path, write(tmp_path, pod), "--workload", "deployment")
    assert deployment["metadata"]["name"] == LONG


def test_a_pod_on_the_nodes_network_binds_each_port_at_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = """\
apiVersion: v1
kind: Pod
metadata: {name: agent}
spec:
  hostNetwork: true
  containers:
  - {name: agent, image: node-exporter, ports: [{containerPort: 9100, hostPort: 9200}]}
"""
    err = refused(tmp_path, write(tmp_path, text), capsys)
    assert err.endswith(
        ": Pod/agent.spec.containers[0].ports[0].hostPort: must be the containerPort: the pod "
        "is on the node's network\n"
    ), err


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("apiVersion", "v2", "'v2': a claim template's is v1 or none"),
        ("kind", "~", "None: a claim template's is PersistentVolumeClaim or none"),
    ],
)
def test_a_claim_template_of_another_kind_is_refused(
    key: str, value: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    statefulset = f"""\
apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: db}}
spec:
  selector: {{matchLabels: {{app: db}}}}
  template:
    metadata: {{labels: {{app: db}}}}
    spec:
      containers: [{{name: db, image: postgres, volumeMounts: [{{name: data, mountPath: /d}}]}}]
  volumeClaimTemplates:
  - {{{key}: {value}, metadata: {{name: data}}, spec: {{accessModes: [ReadWriteOnce]}}}}
"""
    err = refused(tmp_path, write(tmp_path, statefulset), capsys)
    assert err.endswith(f"StatefulSet/db.spec.volumeClaimTemplates[0].{key}: {message}\n"), err
