"""How a pod runs, changed in the review: the pod, then the kind of object that runs it."""

from __future__ import annotations

from advisor.domain.model import Workload
from advisor.engine.questionnaire import Questionnaire
from advisor.terminal.screen import Terminal

KIND_CHOICES = {
    "a Deployment: a long-running service, with replicas": Workload.DEPLOYMENT,
    "a StatefulSet: every replica keeps its own data": Workload.STATEFULSET,
    "a Job: runs once, to completion": Workload.JOB,
    "a CronJob: a Job on the schedule its label gives": Workload.CRONJOB,
    "a DaemonSet: one per node, a node agent": Workload.DAEMONSET,
    "a bare Pod: nothing restarts or reschedules it": Workload.POD,
}


def choose_workload(questionnaire: Questionnaire, terminal: Terminal) -> tuple[str, Workload]:
    """Which pod, shown with how it runs now and why, then its new kind."""
    from advisor.layout.advice import advise
    from advisor.layout.workloads import plan_workloads

    advice = advise(questionnaire)
    plans = plan_workloads(advice.inventory, advice.layout, None, advice.workloads)
    labels = {f"{p.pod}: a {p.kind.kind} ({p.why})": p.pod for p in plans.values()}
    picked = terminal.choose().ask("Which pod?", list(labels))
    pod = labels[picked]
    return pod, pick_kind(pod, terminal)


def pick_kind(pod: str, terminal: Terminal) -> Workload:
    """The kind of object that runs ``pod``."""
    picked = terminal.choose().ask(f"How does {pod} run?", list(KIND_CHOICES))
    return KIND_CHOICES[picked]
