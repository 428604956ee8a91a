"""What the answers add up to: the sheet to save, the pairs together, the user's answers."""

from __future__ import annotations

from advisor.domain.answers import AnswersFile, AnswerSheet
from advisor.domain.model import Answer, Pair, Source
from advisor.domain.names import join_key
from advisor.engine.known import KEPT_PREFIX
from advisor.engine.pairfacts import bits
from advisor.engine.state import State
from advisor.engine.steps import UserAnswer, Verdict


def verdict(state: State, pair: Pair) -> Verdict:
    """Together, apart, or still open, by the policy: all yes together, any no apart."""
    known = state.known.state(pair)
    if known < 0:
        return Verdict.APART
    return Verdict.OPEN if known else Verdict.TOGETHER


def reason_apart(state: State, pair: Pair) -> str:
    """Why ``pair`` does not share a pod: a constraint, the triage, a no, or no answer."""
    known = state.known
    reason = known.blocker(pair) or triage_split(state, pair)
    if reason is not None:
        return reason
    for question_id in known.questions:
        answer = known.answer_for(pair, question_id)
        if answer is not None and not answer.value:
            how = "" if answer.source is Source.ASKED else f" ({answer.reason})"
            return f"answered no to {question_id}{how}"
    return "not answered, so kept apart by the rule of thumb"


def deciding_no(state: State, pair: Pair, question_id: str) -> Pair | None:
    """The pair whose own no an inferred no of ``pair`` follows from (a transitive
    question's classes: a no across them), or None when the no is not inferred so."""
    known = state.known
    classes = known.classes.get(question_id)
    if classes is None or question_id in known.asked.get(pair, {}):
        return None
    links = classes.chain(pair.first, pair.second)
    return next((Pair.of(a, b) for a, b, yes in links if not yes), None)


def narrow_groups(
    state: State, answers: AnswersFile, pair: Pair, question_id: str, settled: bool = False
) -> list[str]:
    """Make the user's group answers in ``answers`` agree with their newer answer for
    ``pair`` (recorded in ``state``); what changed, as text.

    A group yes the pair's no contradicts holds on for the group's other pairs, as their
    own answers (the group key is split). A group no (some pair is apart) goes once every
    pair of the group is yes: the pairs' answers say all there is. With ``settled`` (the
    user chose the pair's answer over the group's), the other pairs' answers say so: the
    tension they leave with the pair's answer is not asked about again.
    """
    known = state.known
    value = known.answer_for(pair, question_id)
    if value is None:
        return []
    changes = []
    for group, said in list(answers.groups.items()):
        old = said.get(question_id)
        if old is None or pair.first not in group or pair.second not in group:
            continue
        key = join_key(sorted(group, key=known.order.__getitem__))
        pairs = [Pair.of(a, b) for i, a in enumerate(group) for b in group[i + 1 :]]
        if old.value and not value.value:
            for other in pairs:
                own = answers.pairs.setdefault(other, {})
                if other != pair and question_id not in own:
                    kept = join_key(sorted(pair, key=known.order.__getitem__))
                    reason = f"from your group answer, {KEPT_PREFIX}{kept}"
                    own[question_id] = Answer(True, Source.ASKED, reason if settled else None)
            changes.append(f"your {question_id} yes for {key} now holds for its other pairs only")
        elif not old.value and all((known.known(p, question_id) or (False,))[0] for p in pairs):
            changes.append(f"your {question_id} no for {key} is dropped: each pair is yes")
        else:
            continue
        del said[question_id]
        if not said:
            del answers.groups[group]
    return changes


def triage_split(state: State, pair: Pair) -> str | None:
    """Why the roles put ``pair`` in different applications, if they do (guided mode)."""
    return None if state.exhaustive else state.roles.triage_split(pair)


def sheet(state: State) -> AnswerSheet:
    """Every known answer for the pairs answered directly or by inference, and for every
    pair that shares an application."""
    known = state.known
    return {pair: answers for pair in _sheet_pairs(state) if (answers := known.answers_for(pair))}


def _sheet_pairs(state: State) -> list[Pair]:
    """The pairs answered directly or by inference, plus every pair inside an application."""
    known = state.known
    pairs = set(known.asked) | known.direct
    if not state.exhaustive:
        if state.roles.complete:
            for members in state.roles.applications():
                pairs.update(Pair.of(a, b) for i, a in enumerate(members) for b in members[i + 1 :])
        names = known.names
        for question_id in known.transitive:
            classes = known.classes[question_id]
            for name in names:
                yes, no = classes.masks(name)
                for other in bits(yes | no):
                    if known.order[name] < other:
                        pairs.add(Pair.of(name, names[other]))
    return sorted(pairs)


def answers_file(state: State) -> AnswersFile:
    """What to save: the user's own answers, plus inferred and computed ones for the record."""
    known = state.known
    pairs: AnswerSheet = {}
    for pair, every in sheet(state).items():
        # A group's answers are written once, under the group's key.
        own = known.asked.get(pair, {})
        answers = {q: a for q, a in every.items() if a.source is not Source.ASKED or q in own}
        if not answers:
            continue
        if (
            pair in known.asked
            or verdict(state, pair) is not Verdict.APART
            or any(a.source is Source.INFERRED for a in answers.values())
        ):
            pairs[pair] = answers
    return AnswersFile(
        pairs=pairs,
        groups=dict(known.groups),
        roles=dict(state.roles.given),
        roles_declined=state.roles_declined,
        asked=state.asked_count,
        processes=dict(state.processes),
        workloads=dict(state.workloads),
        replicas=dict(state.replicas),
    )


def user_answers(state: State) -> list[UserAnswer]:
    """Every answer the user gave (any session), in review order: roles, groups, pairs,
    then the pods' processes and how they run."""
    known, order = state.known, state.known.order
    result: list[UserAnswer] = []

    def in_order(names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(sorted(names, key=order.__getitem__))

    given = state.roles.given
    for name in known.names:
        if name in given:
            result.append(UserAnswer(("role", (name,), ""), (name,), given[name]))
    for group, answers in sorted(known.groups.items()):
        for question_id, answer in answers.items():
            result.append(UserAnswer(("group", group, question_id), in_order(group), answer.value))
    for pair in sorted(known.asked, key=lambda p: sorted(map(order.__getitem__, p))):
        for question_id in known.questions:
            own = known.asked[pair].get(question_id)
            if own is not None:
                entry = ("pair", tuple(pair), question_id)
                result.append(UserAnswer(entry, in_order(tuple(pair)), own.value))
    for members, shared in sorted(state.processes.items()):
        result.append(UserAnswer(("processes", members, ""), in_order(members), shared))
    for name in known.names:
        if name in state.workloads:
            result.append(
                UserAnswer(("workload", (name,), ""), (name,), state.workloads[name].value)
            )
    for name in known.names:
        if name in state.replicas:
            entry = ("replicas", (name,), "")
            result.append(UserAnswer(entry, (name,), str(state.replicas[name])))
    return result
