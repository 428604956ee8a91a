"""Docker's own defaults carried over: no service-account token, the runtime's seccomp
profile; compose's privileged, security_opt and read_only as Docker applied them; nothing
stricter than Docker (no runAsNonRoot, no dropped capabilities). Kubernetes input is kept."""

import yaml
from helpers import REPO, plan_compose_files, pods_of

from advisor import cli


def _pod(tmp_path, **service):
    documents, _ = plan_compose_files(tmp_path, {"app": {"image": "example/app:1", **service}})
    (pod,) = pods_of(documents)
    return pod["spec"]


def _container_context(tmp_path, **service):
    return _pod(tmp_path, **service)["containers"][0].get("securityContext", {})


def test_a_compose_pod_mounts_no_service_account_token(tmp_path):
    assert _pod(tmp_path)["automountServiceAccountToken"] is False


def test_a_compose_pod_runs_under_the_runtimes_default_seccomp_profile(tmp_path):
    assert _pod(tmp_path)["securityContext"] == {"seccompProfile": {"type": "RuntimeDefault"}}


def test_nothing_stricter_than_docker_is_added(tmp_path):
    spec = _pod(tmp_path)
    assert "securityContext" not in spec["containers"][0]
    assert "runAsNonRoot" not in spec["securityContext"]


def test_a_privileged_container_runs_unconfined_as_under_docker(tmp_path):
    context = _container_context(tmp_path, privileged=True)
    assert context == {"privileged": True, "seccompProfile": {"type": "Unconfined"}}


def test_seccomp_unconfined_in_security_opt_is_an_unconfined_profile(tmp_path):
    context = _container_context(tmp_path, security_opt=["seccomp:unconfined"])
    assert context == {"seccompProfile": {"type": "Unconfined"}}


def test_a_seccomp_profile_file_is_a_localhost_profile_with_a_note(tmp_path):
    documents, layout = plan_compose_files(
        tmp_path, {"app": {"image": "example/app:1", "security_opt": ["seccomp=./sec/app.json"]}}
    )
    context = pods_of(documents)[0]["spec"]["containers"][0]["securityContext"]
    assert context == {"seccompProfile": {"type": "Localhost", "localhostProfile": "app.json"}}
    notes = " ".join(item["what"] for item in layout["needs_attention"])
    assert "/var/lib/kubelet/seccomp/app.json" in notes


def test_no_new_privileges_in_each_spelling_forbids_privilege_escalation(tmp_path):
    for index, option in enumerate(
        ["no-new-privileges:true", "no-new-privileges=true", "no-new-privileges"]
    ):
        folder = tmp_path / str(index)
        folder.mkdir()
        context = _container_context(folder, security_opt=[option])
        assert context == {"allowPrivilegeEscalation": False}, option


def test_no_new_privileges_false_leaves_escalation_as_docker_does(tmp_path):
    assert _container_context(tmp_path, security_opt=["no-new-privileges:false"]) == {}


def test_no_new_privileges_beside_privileged_is_left_to_privileged(tmp_path):
    # The API server refuses allowPrivilegeEscalation: false with privileged: true.
    context = _container_context(tmp_path, privileged=True, security_opt=["no-new-privileges:true"])
    assert "allowPrivilegeEscalation" not in context


def test_read_only_is_a_read_only_root_file_system(tmp_path):
    assert _container_context(tmp_path, read_only=True) == {"readOnlyRootFilesystem": True}


def test_an_apparmor_option_is_a_note_naming_the_field(tmp_path):
    _, layout = plan_compose_files(
        tmp_path, {"app": {"image": "example/app:1", "security_opt": ["apparmor:unconfined"]}}
    )
    notes = [item["what"] for item in layout["needs_attention"]]
    assert any("appArmorProfile" in text for text in notes)


def test_a_container_with_the_docker_socket_gets_a_note_not_a_token(tmp_path):
    service = {
        "image": "example/app:1",
        "volumes": ["/var/run/docker.sock:/var/run/docker.sock"],
    }
    documents, layout = plan_compose_files(tmp_path, {"app": service})
    assert pods_of(documents)[0]["spec"]["automountServiceAccountToken"] is False
    notes = " ".join(item["what"] for item in layout["needs_attention"])
    assert "ServiceAccount" in notes


def test_kubernetes_input_keeps_its_settings_and_the_report_names_them(tmp_path):
    out = tmp_path / "out"
    source = REPO / "tests" / "data" / "k8s" / "two-container-pod.yaml"
    assert cli.main(["plan", str(source), "--out", str(out)]) == 0
    for pod in pods_of([d for d in yaml.safe_load_all((out / "pods.yaml").read_text()) if d]):
        assert "automountServiceAccountToken" not in pod["spec"]
    assert "the service-account token is mounted" in (out / "report.md").read_text()
