"""Before the outputs are written: every answer the user gave, to keep or change, and how
each pod runs, to change."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from advisor.domain.model import Workload
from advisor.domain.words import plural
from advisor.engine.questionnaire import (
    Entry,
    Questionnaire,
    QuestionStep,
    UserAnswer,
    list_names,
)
from advisor.terminal.roles import ask_role, keeping_role
from advisor.terminal.screen import Terminal, yes_no
from advisor.terminal.workloads import (
    choose_workload,
    keeping_kind,
    keeping_replicas,
    pick_kind,
    pick_replicas,
)

WRITE_CHOICE = "Write the pod layout"
WORKLOAD_CHOICE = "Change how a pod runs (Deployment, StatefulSet, Job...)"

CHANGE_CHOICE = "Change an answer"

PROCESSES_HELP = (
    "Containers of a pod each see only their own processes unless the pod shares one process "
    "namespace (shareProcessNamespace). Say yes when one must signal another (a log rotator "
    "sending SIGHUP, a debugger) or read its /proc; otherwise keep them isolated."
)


def review_answers(
    questionnaire: Questionnaire,
    save: Callable[[], None],
    terminal: Terminal,
    pods_table: Callable[[], str] | None = None,
) -> bool:
    """Before the outputs are written: list the answers and the pods they make (when a
    ``pods_table`` is given); True when an answer was changed."""
    from advisor.layout.advice import advise

    answers = questionnaire.user_answers()
    labels = [answer_label(answer) for answer in answers]
    terminal.print(("", "\nYour answers:"), *(("", f"\n  {label}") for label in labels))
    facts = processes_as_running(
        questionnaire, [p.members for p in advise(questionnaire).layout.pods]
    )
    if facts:  # facts of the manifests, changed like an answer
        terminal.print(("", "\n\nAs they run:"), *(("", f"\n  {fact.label}") for fact in facts))
        answers += [fact.answer for fact in facts]
        labels += [fact.label for fact in facts]
    if pods_table is not None:
        terminal.print(("", "\n\nThe pods they make:\n"), ("", pods_table()))
    choice = terminal.choose().ask(
        "All questions are answered.",
        [WRITE_CHOICE, CHANGE_CHOICE, WORKLOAD_CHOICE],
        default=WRITE_CHOICE,
    )
    if choice == WRITE_CHOICE:
        return False
    if choice == WORKLOAD_CHOICE:
        pod, kind = choose_workload(questionnaire, terminal)
        questionnaire.answer_workload(pod, kind)
    else:
        picked = terminal.choose().ask("Which answer?", labels)
        entry = answers[labels.index(picked)].entry
        if entry[0] == "role":
            name = entry[1][0]
            step = questionnaire.role_step(name)
            keep = keeping_role(questionnaire, terminal, name)
            role = ask_role(step, questionnaire.progress(), terminal, False, keep)
            questionnaire.change_role(name, role.helps, role.workload)
        elif entry[0] == "workload":
            from advisor.layout.advice import advise

            pod = entry[1][0]
            scheduled = advise(questionnaire).has_schedule(pod)
            keep_kind = keeping_kind(questionnaire, terminal, pod)
            questionnaire.answer_workload(pod, pick_kind(pod, terminal, scheduled, keep_kind))
        elif entry[0] == "replicas":
            from advisor.layout.advice import advise

            pod = entry[1][0]
            plan = advise(questionnaire).workload_plans().get(pod)
            if plan is not None and plan.declared:  # the pod may have changed since
                keep_count = keeping_replicas(questionnaire, terminal, pod)
                count = pick_replicas(pod, plan.declared, terminal, keep_count)
                questionnaire.answer_replicas(pod, count)
        else:
            questionnaire.change(entry, _new_value(entry, questionnaire, terminal))
    save()
    return True


def answer_label(answer: UserAnswer) -> str:
    """How one of the user's answers reads in the review: ``web + db: same_host no``."""
    kind, _, question_id = answer.entry
    if kind == "role":
        helps = answer.value
        what = "primary application" if helps is None else f"helper of {helps}"
        return f"{answer.members[0]}: {what}"
    if kind == "workload" and isinstance(answer.value, str):
        return f"{answer.members[0]}: runs as a {Workload(answer.value).kind}"
    if kind == "replicas":
        return f"{answer.members[0]}: {plural(int(str(answer.value)), 'replica')}"
    said = "yes" if answer.value else "no"
    what = "share processes" if kind == "processes" else question_id
    return f"{' + '.join(answer.members)}: {what} {said}"


@dataclass(frozen=True)
class ProcessesFact:
    """A pod whose members share one process namespace as they run (a manifest's
    ``shareProcessNamespace: true``): computed, not asked, and the review can change it."""

    answer: UserAnswer
    label: str


def processes_as_running(
    questionnaire: Questionnaire, pods: Iterable[tuple[str, ...]]
) -> list[ProcessesFact]:
    """The pods of ``pods`` whose process sharing the manifests answer (none the user's)."""
    facts = []
    for members in pods:
        running = questionnaire.processes_as_running(members)
        if running is None or questionnaire.processes_answer(members) is not None:
            continue
        names = tuple(sorted(members))
        answer = UserAnswer(("processes", names, ""), tuple(members), True)
        label = (
            f"{' + '.join(members)}: share processes yes (computed: as it runs, "
            f"shareProcessNamespace: true in {running})"
        )
        facts.append(ProcessesFact(answer, label))
    return facts


def processes_question(members: tuple[str, ...]) -> str:
    return f"Must {list_names(members)} see or signal each other's processes?"


def _new_value(entry: Entry, questionnaire: Questionnaire, terminal: Terminal) -> bool | str | None:
    kind, names, question_id = entry

    def keep(value: bool) -> None:  # written before the prompt shows the new answer
        terminal.keep_answer(questionnaire, entry, value)

    if kind == "processes":
        return yes_no(
            processes_question(names),
            "the new answer replaces the old one",
            PROCESSES_HELP,
            terminal,
            can_go_back=False,
            on_answer=keep,
        )
    question = questionnaire.rules.question(question_id)
    return yes_no(
        QuestionStep(names, question).text(),
        "the new answer replaces the old one",
        question.help,
        terminal,
        can_go_back=False,
        on_answer=keep,
    )
