"""The triage on screen: confirm the inventory's roles, or pick each container's: a primary
application, a one-off job, a node agent, or a helper of another container."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from advisor.domain.model import Workload
from advisor.domain.words import plural
from advisor.engine.questionnaire import Progress, Questionnaire, RolesStep, RoleStep
from advisor.terminal.choose import filters_as_you_type
from advisor.terminal.screen import Terminal, toolbar
from advisor.terminal.yesno import GoBack

PRIMARY_CHOICE = "a primary application"
JOB_CHOICE = "a one-off job"
AGENT_CHOICE = "a node agent (one per node)"
_RUNS_AS = {JOB_CHOICE: Workload.JOB, AGENT_CHOICE: Workload.DAEMONSET}
ROLES_HELP = (
    "A primary application is what a pod is for; a helper complements one (a proxy in "
    "front of it, a log shipper reading its files) and may share its pod. A one-off job "
    "runs to completion, a migration or a backup: a Job. A node agent runs once on every "
    "node, reading the node's own logs or metrics: a DaemonSet."
)

BACK_CHOICE = "<- back to the previous question"

# The roles of a long inventory are listed up to this many, then summed up: a screenful to
# check them by, not a thousand lines scrolling the question's context away.
ROLES_SHOWN = 20


KEEP_ROLES = "Yes, they are right"
ASK_EACH = "No: ask me what each one is"
CHANGE_PREFIX = "Change "


def confirm_roles(
    step: RolesStep,
    progress: Progress,
    source: str,
    terminal: Terminal,
    can_go_back: bool,
    on_answer: Callable[[bool], None] = lambda value: None,
) -> bool | str:
    """The proposed roles on one screen, each with why it is proposed: True to keep them,
    False to be asked each one, or the name of the one container to change (``on_answer``
    gets a keep or a decline before the prompt shows it; a change is answered by its list)."""
    shown = step.roles[:ROLES_SHOWN]
    width = max(len(name) for name, _ in shown)
    kinds = dict(step.kinds)
    what = [role_words(helps, kinds.get(name)) for name, helps in shown]
    what_width = max(len(w) for w in what)
    lines = [("", "\nWhat each container is:")]
    for (name, _), words, why in zip(shown, what, step.evidence, strict=False):
        lines.append(("", f"\n  {name.ljust(width)}  {words.ljust(what_width)}"))
        lines.append(("class:dim", f"  {why}"))
    rest = step.roles[ROLES_SHOWN:]
    if rest:
        helpers = sum(1 for _, helps in rest if helps is not None)
        lines.append(
            (
                "class:dim",
                f"\n  and {len(rest)} more as {source} gives them: "
                f"{plural(len(rest) - helpers, 'primary application')}, "
                f"{plural(helpers, 'helper')}",
            )
        )
    for name in step.undecided:
        lines.append(("", f"\n  {name.ljust(width)}  a helper: of which? (asked next)"))
    if terminal.first_time("roles"):
        lines.append(("class:help", f"\n\n{ROLES_HELP}"))
    terminal.print(*lines)
    terminal.print(("class:dim", f"\n{toolbar(progress, help_key=False)}"))
    changes = [f"{CHANGE_PREFIX}{name}" for name, _ in step.roles]
    choices = [KEEP_ROLES, *changes, ASK_EACH]
    if can_go_back:
        choices.append(BACK_CHOICE)
    choice = terminal.choose().ask(
        "Are these roles right?",
        choices,
        default=KEEP_ROLES,
        instruction="(Enter keeps them, or pick one to change"
        + ("; type to filter)" if filters_as_you_type(len(choices)) else ")"),
        on_answer=lambda picked: (
            on_answer(picked == KEEP_ROLES) if picked in (KEEP_ROLES, ASK_EACH) else None
        ),
    )
    if choice == BACK_CHOICE:
        raise GoBack
    if choice in (KEEP_ROLES, ASK_EACH):
        return choice == KEEP_ROLES
    return choice.removeprefix(CHANGE_PREFIX)


def role_words(helps: str | None, runs_as: Workload | None = None) -> str:
    """A role as the roles screen says it."""
    if helps is not None:
        return f"helper of {helps}"
    if runs_as is Workload.DAEMONSET:
        return "node agent"
    return "one-off job" if runs_as is Workload.JOB else "primary application"


class RoleAnswer(NamedTuple):
    """What a container is: the container it helps (None: it is a primary), and how a
    primary runs when the user said (a one-off job, a node agent)."""

    helps: str | None
    workload: Workload | None = None


def ask_role(
    step: RoleStep,
    progress: Progress,
    terminal: Terminal,
    can_go_back: bool = False,
    on_answer: Callable[[RoleAnswer], None] = lambda role: None,
) -> RoleAnswer:
    """One container's role, picked from a list (the inventory's guess preselected); the
    first time, what the roles mean. ``on_answer`` gets the role before the list shows it
    picked."""
    if terminal.first_time("roles"):
        terminal.print(("class:help", f"\n{ROLES_HELP}"))
    helpers = (f"a helper of {name}" for name in step.candidates)
    choices = [PRIMARY_CHOICE, JOB_CHOICE, AGENT_CHOICE, *helpers]
    if can_go_back:
        choices.append(BACK_CHOICE)
    default = PRIMARY_CHOICE
    if step.has_proposal and step.proposed is not None:
        default = f"a helper of {step.proposed}"
    elif step.runs_as is not None:  # what its schedule, restart or host paths say
        default = next(c for c, kind in _RUNS_AS.items() if kind is step.runs_as)
    terminal.print(("class:dim", f"\n{toolbar(progress, help_key=False)}"))
    choice = terminal.choose().ask(
        f"What is {step.container}?",
        choices,
        default=default,
        instruction="(what it is, or which container it complements"
        + ("; type to filter)" if filters_as_you_type(len(choices)) else ")"),
        on_answer=lambda picked: None if picked == BACK_CHOICE else on_answer(_role(picked)),
    )
    if choice == BACK_CHOICE:
        raise GoBack
    return _role(choice)


def keeping_role(
    questionnaire: Questionnaire, terminal: Terminal, container: str
) -> Callable[[RoleAnswer], None]:
    """What the role prompt calls with ``container``'s role, before it shows it: the answers
    with it, written (``Terminal.keep_answer``)."""
    entry = ("role", (container,), "")
    return lambda role: terminal.keep_answer(questionnaire, entry, role.helps, role.workload)


def _role(choice: str) -> RoleAnswer:
    """The role a choice of the list names."""
    if choice == PRIMARY_CHOICE or choice in _RUNS_AS:
        return RoleAnswer(None, _RUNS_AS.get(choice))
    return RoleAnswer(choice.removeprefix("a helper of "))
