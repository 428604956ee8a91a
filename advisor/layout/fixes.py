"""The smallest change that would resolve a tension or lift a constraint, in words.

A tension is a pair answered together that the layout split. It goes away when the pair
can share a pod (the missing together-answers are given, or the constraint in the way is
lifted) or when one of the together-answers involved is withdrawn. Each candidate answer
change is checked by planning the layout again, so a fix offered is a fix that works.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from advisor.domain.model import Inventory, Pair
from advisor.engine.constraints import pod_conflict
from advisor.engine.together import Together
from advisor.layout.advice import Advice
from advisor.layout.constraintfix import constraint_fix
from advisor.layout.partition import Layout, Tension, plan_layout

_T = TypeVar("_T")
# A withdrawal is checked by planning the pair's group of together-answers again, while that
# group is this small; past it the exact search is too slow to run once per candidate, and
# a local check stands in (the pair could then share a pod, all else staying as it is).
REPLAN_LIMIT = 10
Replans = dict[frozenset[Pair], Layout]


@dataclass(frozen=True)
class _Shared:
    """What every tension's fix reads, worked out once: what the answers put together and
    the groups planned again so far."""

    graph: Together
    replans: Replans


def _shared(advice: Advice, replans: Replans | None = None) -> _Shared:
    """The together-answers and replans of ``advice``, kept in its cache: every output asks
    for the fixes, and explain for one at a time."""
    shared: _Shared | None = advice.cache.get("tension_fixes")
    if shared is None:
        graph = advice.answered_together()
        shared = advice.cache["tension_fixes"] = _Shared(graph, {})
    return shared if replans is None else _Shared(shared.graph, replans)


def tension_fixes(advice: Advice) -> dict[Pair, str]:
    """The fix for every tension of ``advice``'s layout, sharing the replanning work."""
    if not advice.layout.tensions:
        return {}
    shared = _shared(advice)
    return {t.pair: t.fix or _tension_fix(t, advice, shared) for t in advice.layout.tensions}


def tension_fix(tension: Tension, advice: Advice, replans: Replans | None = None) -> str:
    """The smallest change that resolves ``tension``: answers to give, or a constraint to lift.

    For a + b and b + c answered together and a + c apart, split as {b, c} and {a}:
    ``answer yes for a + c's scale_together, or no for one of a + b, b + c``.
    """
    if tension.fix is not None:
        return tension.fix
    if tension.by_roles:  # no answer of the pair's own can join two applications
        return (
            f"answer no for {tension.pair.label()}, or change the roles so both belong "
            "to one application"
        )
    return _tension_fix(tension, advice, _shared(advice, replans))


def _tension_fix(tension: Tension, advice: Advice, shared: _Shared) -> str:
    graph, layout = shared.graph, advice.layout
    pair = tension.pair
    yes_options: list[str] = []
    withdraw: dict[Pair, bool] = {}  # a pair whose no might resolve it: does it, locally?
    for mover, stayer in ((pair.second, pair.first), (pair.first, pair.second)):
        pod = layout.pod_of(stayer)
        blockers = [m for m in pod.members if m != stayer and not graph.has(m, mover)]
        members = [advice.inventory.container(n) for n in (*pod.members, mover)]
        lift = constraint_fix(members, advice.inventory.node, advice.rules)
        if blockers:
            answers = _yes_for_all([Pair.of(b, mover) for b in blockers], advice)
            if lift is not None and not any(lift in answer for answer in answers):
                answers.append(lift)  # the pod as a whole breaks a constraint too
            yes_options.append(" and ".join(_unique(answers)))
            rest = [advice.inventory.container(m) for m in pod.members if m not in blockers]
            alone = [*rest, advice.inventory.container(mover)]
            fits = len(blockers) == 1 and pod_conflict(alone, advice.inventory.node, advice.rules)
            for blocker in blockers:
                withdraw.setdefault(Pair.of(stayer, blocker), fits is None)
        else:
            if lift is not None:
                yes_options.append(lift)
            # The mover may be held in its own pod by the wishes it honours there.
            for m in layout.pod_of(mover).members:
                if m != mover:
                    withdraw.setdefault(Pair.of(mover, m), False)
    group = _group_within(graph, pair.first, REPLAN_LIMIT)
    no_options = [pair] + [
        p
        for p, locally in withdraw.items()
        if p != pair
        and (locally if group is None else _resolves(p, pair, graph, group, advice, shared.replans))
    ]
    options = [*_unique(yes_options), "no for " + _one_of(no_options)]
    text = ""
    after_answer = False
    for option in options:
        is_answer = option.startswith(("yes for", "no for"))
        text += (", or " if text else "") + ("answer " if is_answer and not after_answer else "")
        text += option
        after_answer = is_answer
    return text


def _yes_for_all(pairs: list[Pair], advice: Advice) -> list[str]:
    """``yes for`` each pair, pairs missing the same answers named together:
    ``yes for a + c, b + c's same_host, single_unit``."""
    by_missing: dict[tuple[str, ...], list[Pair]] = {}
    split_by_facts = []
    for pair in pairs:
        if _split_without_answers(pair, advice) is not None:
            split_by_facts.append(_yes_for(pair, advice))
        else:
            by_missing.setdefault(tuple(_missing(pair, advice)), []).append(pair)
    grouped = [
        f"yes for {', '.join(p.label() for p in group)}'s {', '.join(missing)}"
        for missing, group in by_missing.items()
    ]
    return grouped + split_by_facts


def _split_without_answers(pair: Pair, advice: Advice) -> str | None:
    """The constraint or triage that keeps ``pair`` apart whatever the answers, if any."""
    return advice.questionnaire.blocker(pair) or advice.questionnaire.triage_split(pair)


def triage_fix(pair: Pair) -> str:
    """What to change when the triage (each container's role) puts ``pair`` apart."""
    return (
        f"change the roles so {pair.first} and {pair.second} belong with one application "
        "(roles in the answers file)"
    )


def _missing(pair: Pair, advice: Advice) -> list[str]:
    answers = advice.questionnaire.answers_for(pair)
    return [q for q in advice.rules.question_ids if q not in answers or not answers[q].value]


def _yes_for(pair: Pair, advice: Advice) -> str:
    """``yes for a + c's scale_together``; when facts split the pair, the change to the
    inventory first (and then the answers still missing)."""
    missing = _missing(pair, advice)
    give = f"yes for {pair.label()}'s {', '.join(missing)}" if missing else ""
    blocked = advice.questionnaire.blocker(pair)
    if blocked is not None:
        members = [advice.inventory.container(n) for n in pair]
        lift = constraint_fix(members, advice.inventory.node, advice.rules) or blocked
    elif advice.questionnaire.triage_split(pair) is not None:
        lift = triage_fix(pair)
    else:
        return give
    return f"{lift} and answer {give}" if give else lift


def _group_within(graph: Together, node: str, limit: int) -> set[str] | None:
    """The containers reachable from ``node`` through together-answers, or None once they
    are more than ``limit``: a tension's fix looks no further, whatever the group's size."""
    group = {node}
    frontier = [node]
    while frontier:
        for other in graph.neighbours(frontier.pop()):
            if other not in group:
                group.add(other)
                if len(group) > limit:
                    return None
                frontier.append(other)
    return group


def _one_of(pairs: list[Pair]) -> str:
    labels = [p.label() for p in pairs]
    return labels[0] if len(labels) == 1 else "one of " + ", ".join(labels)


def _resolves(
    withdrawn: Pair,
    tension: Pair,
    graph: Together,
    group: set[str],
    advice: Advice,
    replans: Replans | None,
) -> bool:
    """Whether answering no for ``withdrawn`` lets ``tension``'s pair share a pod.

    Only ``group`` (the pair's connected together-answers) is planned again: the layout
    of every other group is independent of it.
    """
    kept = frozenset(
        Pair.of(a, b)
        for a in group
        for b in graph.neighbours(a)
        if a < b and Pair.of(a, b) != withdrawn
    )
    layout = replans.get(kept) if replans is not None else None
    if layout is None:
        inventory = advice.inventory
        part = Inventory(
            name=inventory.name,
            containers=tuple(inventory.container(n) for n in sorted(group)),
            node=inventory.node,
            source=inventory.source,
        )
        layout = plan_layout(part, advice.rules, kept, advice.questionnaire.reason_apart)
        if replans is not None:
            replans[kept] = layout
    return layout.pod_of(tension.first) == layout.pod_of(tension.second)


def _unique(items: Iterable[_T]) -> list[_T]:
    seen: list[_T] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
