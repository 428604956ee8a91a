"""The triage on screen: confirm the inventory's roles, or pick each container's: a primary
application, a one-off job, a node agent, or a helper of another container."""

from __future__ import annotations

from advisor.engine.questionnaire import Progress, RolesStep, RoleStep
from advisor.terminal.choose import filters_as_you_type
from advisor.terminal.screen import Terminal, toolbar, yes_no
from advisor.terminal.yesno import GoBack

PRIMARY_CHOICE = "a primary application"

BACK_CHOICE = "<- back to the previous question"

# The roles of a long inventory are listed up to this many, then summed up: a screenful to
# check them by, not a thousand lines scrolling the question's context away.
ROLES_SHOWN = 20


def confirm_roles(
    step: RolesStep, progress: Progress, source: str, terminal: Terminal, can_go_back: bool
) -> bool:
    shown = step.roles[:ROLES_SHOWN]
    width = max(len(name) for name, _ in shown)
    lines = [("", "\nRoles from the inventory:")]
    for name, helps in shown:
        what = "primary application" if helps is None else f"helper of {helps}"
        lines.append(("", f"\n  {name.ljust(width)}  {what}"))
    rest = step.roles[ROLES_SHOWN:]
    if rest:
        helpers = sum(1 for _, helps in rest if helps is not None)
        lines.append(
            (
                "class:dim",
                f"\n  and {len(rest)} more as {source} gives them: "
                f"{len(rest) - helpers} primary applications, {helpers} helpers",
            )
        )
    terminal.print(*lines)
    return yes_no(
        "Are these roles right?",
        toolbar(progress),
        "A primary application never shares a pod with another primary; a helper "
        "is asked about only together with what it helps.",
        terminal,
        can_go_back,
    )


def ask_role(
    step: RoleStep, progress: Progress, terminal: Terminal, can_go_back: bool = False
) -> str | None:
    choices = [PRIMARY_CHOICE, *(f"a helper of {name}" for name in step.candidates)]
    if can_go_back:
        choices.append(BACK_CHOICE)
    default = PRIMARY_CHOICE
    if step.has_proposal and step.proposed is not None:
        default = f"a helper of {step.proposed}"
    terminal.print(("class:dim", f"\n{toolbar(progress, help_key=False)}"))
    choice = terminal.choose().ask(
        f"What is {step.container}?",
        choices,
        default=default,
        instruction="(a primary application, or which container it complements"
        + ("; type to filter)" if filters_as_you_type(len(choices)) else ")"),
    )
    if choice == BACK_CHOICE:
        raise GoBack
    return None if choice == PRIMARY_CHOICE else choice.removeprefix("a helper of ")
