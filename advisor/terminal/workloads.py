"""How a pod runs, changed in the review: the pod, then the kind of object that runs it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from advisor.domain.model import Workload
from advisor.engine.questionnaire import Questionnaire
from advisor.terminal.screen import Terminal

if TYPE_CHECKING:
    from advisor.layout.advice import Advice

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

    advice = advise(questionnaire)
    if advice.inventory.running:
        labels = running_kinds(advice)
    else:
        plans = advice.workload_plans()
        labels = {f"{p.pod}: a {p.kind.kind} ({p.why})": p.pod for p in plans.values()}
    picked = terminal.choose().ask("Which pod?", list(labels))
    pod = labels[picked]
    return pod, pick_kind(
        pod, terminal, advice.has_schedule(pod), keeping_kind(questionnaire, terminal, pod)
    )


def running_kinds(advice: Advice) -> dict[str, str]:
    """Each pod of manifests that already run, with the kind it is written as (the pod's
    own, one the user chose, or a Deployment for a helper split out of a Job), by label."""
    from advisor.layout.audit import audit_pods

    labels = {}
    for audit in audit_pods(advice):
        for part, kind, why in zip(audit.parts, audit.kinds, audit.whys, strict=True):
            pod = advice.layout.pod_of(part[0]).name
            labels[f"{pod}: a {kind} ({why})"] = pod
    return labels


def pick_kind(
    pod: str,
    terminal: Terminal,
    scheduled: bool,
    on_answer: Callable[[Workload], None] = lambda kind: None,
) -> Workload:
    """The kind of object that runs ``pod``; a CronJob only when there is a schedule to
    give it (without one it would be written as a Job). ``on_answer`` gets it before the
    list shows it picked."""
    choices = [c for c, kind in KIND_CHOICES.items() if scheduled or kind is not Workload.CRONJOB]
    picked = terminal.choose().ask(
        f"How does {pod} run?", choices, on_answer=lambda choice: on_answer(KIND_CHOICES[choice])
    )
    return KIND_CHOICES[picked]


def keeping_kind(
    questionnaire: Questionnaire, terminal: Terminal, pod: str
) -> Callable[[Workload], None]:
    """What the kind prompt calls with ``pod``'s kind, before it shows it: the answers with
    it, written (``Terminal.keep_answer``)."""
    return lambda kind: terminal.keep_answer(questionnaire, ("workload", (pod,), ""), kind.value)


def ask_replicas(
    questionnaire: Questionnaire, save: Callable[[], None], terminal: Terminal
) -> None:
    """A pod scales as a whole: where its members declare different replica counts, the
    user picks the pod's."""
    from advisor.layout.advice import advise

    for plan in advise(questionnaire).workload_plans().values():
        if plan.declared and plan.pod not in questionnaire.replicas():
            keep = keeping_replicas(questionnaire, terminal, plan.pod)
            count = pick_replicas(plan.pod, plan.declared, terminal, keep)
            questionnaire.answer_replicas(plan.pod, count)
            save()


def keeping_replicas(
    questionnaire: Questionnaire, terminal: Terminal, pod: str
) -> Callable[[int], None]:
    """What the replicas prompt calls with ``pod``'s count, before it shows it: the answers
    with it, written (``Terminal.keep_answer``)."""
    return lambda count: terminal.keep_answer(questionnaire, ("replicas", (pod,), ""), count)


def pick_replicas(
    pod: str,
    declared: tuple[tuple[str, int], ...],
    terminal: Terminal,
    on_answer: Callable[[int], None] = lambda count: None,
) -> int:
    """One of the counts the pod's members declare (``on_answer`` gets it before the list
    shows it picked)."""
    listed = ", ".join(f"{name} {count}" for name, count in declared)
    choices = {f"{count} (as {name} declares)": count for name, count in declared}
    picked = terminal.choose().ask(
        f"How many replicas does {pod}'s pod run?",
        list(choices),
        instruction=f"(a pod scales as a whole; its members declare {listed})",
        on_answer=lambda choice: on_answer(choices[choice]),
    )
    return choices[picked]
