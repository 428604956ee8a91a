"""``ask`` on Kubernetes manifests, end to end in a pseudo-terminal: the questions of a
running multi-container pod answered so that it splits, and the manifests written."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import kubernetes_validate
import pexpect
import yaml
from helpers import K8S_VERSION, REPO

KSM = Path(__file__).parent / "data" / "k8s" / "kube-state-metrics.yaml"
SELF = "kube-state-metrics-kube-rbac-proxy-self"
MAIN = "kube-state-metrics-kube-rbac-proxy-main"


def spawn_ask(inventory: Path, cwd: Path) -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable,
        ["-m", "advisor", "ask", str(inventory), "--answers", "answers.yaml", "--out", "out"],
        cwd=str(cwd),
        # No terminal emulator answers prompt_toolkit's cursor position requests here.
        env={**os.environ, "TERM": "xterm", "PYTHONPATH": str(REPO), "PROMPT_TOOLKIT_NO_CPR": "1"},
        dimensions=(50, 300),  # wide enough that no question wraps
        encoding="utf-8",
        timeout=10,
    )


def answer(child: pexpect.spawn, prompt: str, key: str) -> None:
    child.expect_exact(prompt)
    child.send(key)


def the_input() -> dict:
    return next(d for d in yaml.safe_load_all(KSM.read_text()) if d["kind"] == "Deployment")


def test_answering_a_running_pod_apart_splits_it_and_moves_the_container_unchanged(
    tmp_path: Path,
) -> None:
    child = spawn_ask(KSM, tmp_path)
    group = f"kube-state-metrics, {MAIN} and {SELF}"
    answer(child, f"Should {group} be managed as a single unit?", "y")
    answer(child, f"Do {group} have to be scaled together?", "n")  # then helper by helper
    answer(child, f"Do kube-state-metrics and {MAIN} have to be scaled together?", "y")
    answer(
        child,
        f"Can a single node meet the combined resource needs of kube-state-metrics and {MAIN}?",
        "y",
    )
    answer(child, f"Do kube-state-metrics and {SELF} have to be scaled together?", "n")
    answer(child, f"Must kube-state-metrics and {MAIN} see or signal each other's processes?", "n")
    answer(child, "All questions are answered.", "\r")  # the review: write the layout
    child.expect_exact("Wrote out/pods.yaml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before

    documents = list(yaml.safe_load_all((tmp_path / "out" / "pods.yaml").read_text()))
    for document in documents:
        kubernetes_validate.validate(document, K8S_VERSION, strict=True)
    assert [(d["kind"], d["metadata"]["name"]) for d in documents] == [
        ("Deployment", "kube-state-metrics"),
        ("Deployment", SELF),
        ("Service", "kube-state-metrics-2"),  # kube-state-metrics is the input's own Service
    ]
    original = the_input()["spec"]["template"]["spec"]
    kept, moved, service = documents
    assert kept["spec"]["template"]["spec"]["containers"] == original["containers"][:2]
    assert moved["spec"]["template"]["spec"]["containers"] == original["containers"][2:]
    assert moved["spec"]["template"]["spec"]["serviceAccountName"] == original["serviceAccountName"]
    assert moved["metadata"]["namespace"] == "monitoring"
    labels = kept["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    report = (tmp_path / "out" / "report.md").read_text()
    assert f"split: {SELF} moves out to Deployment {SELF} (answered no to scale_together)" in report
    assert "must reach Service kube-state-metrics-2 port 8082 instead" in report


def test_the_kind_chosen_in_the_review_for_a_part_split_out_is_written(tmp_path: Path) -> None:
    (tmp_path / "answers.yaml").write_text(
        f"version: 1\npairs:\n  kube-state-metrics + {SELF}:\n    scale_together: no\n"
        f"  kube-state-metrics + {MAIN}:\n    same_host: yes\n    single_unit: yes\n"
        "    unified_whole: yes\n    scale_together: yes\n    fits_node: yes\n"
        f"processes:\n  kube-state-metrics + {MAIN}: no\n"
    )
    child = spawn_ask(KSM, tmp_path)
    down, enter = "\x1b[B", "\r"
    answer(child, "All questions are answered.", down + down + enter)  # how a pod runs
    child.expect_exact("Which pod?")
    child.expect_exact(f"{SELF}: a Deployment (split out of Deployment/monitoring/kube-state")
    child.send(down + enter)
    # a DaemonSet: the fourth kind, as no CronJob is offered to a pod without a schedule
    answer(child, f"How does {SELF} run?", down * 3 + enter)
    child.expect_exact(f"{SELF}: runs as a DaemonSet")
    answer(child, "All questions are answered.", enter)  # write the layout
    child.expect_exact("Wrote out/pods.yaml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before

    documents = list(yaml.safe_load_all((tmp_path / "out" / "pods.yaml").read_text()))
    for document in documents:
        kubernetes_validate.validate(document, K8S_VERSION, strict=True)
    assert [(d["kind"], d["metadata"]["name"]) for d in documents] == [
        ("Deployment", "kube-state-metrics"),
        ("DaemonSet", SELF),
        ("Service", "kube-state-metrics-2"),
    ]
    original = the_input()["spec"]["template"]["spec"]
    assert documents[1]["spec"]["template"]["spec"]["containers"] == original["containers"][2:]
    assert (
        "workloads:\n  kube-state-metrics-kube-rbac-proxy-self: daemonset"
        in (tmp_path / "answers.yaml").read_text()
    )
