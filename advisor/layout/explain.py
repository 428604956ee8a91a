"""Why two containers share a pod or not, and why the layout is what it is, as text.

Plain data and strings only: the CLI prints them. One pair's explanation fits an 80x24
terminal; the whole-layout explanation lists each pod's reasons, then each tension with
the smallest change that would resolve it.
"""

from __future__ import annotations

import difflib
import shlex
import textwrap
from dataclasses import dataclass

from advisor.domain.errors import AdvisorError
from advisor.domain.model import Pair, Source
from advisor.domain.words import plural
from advisor.engine.questionnaire import Verdict
from advisor.layout.advice import Advice
from advisor.layout.audit import audit_pods, why_moved
from advisor.layout.constraintfix import constraint_fix
from advisor.layout.fixes import tension_fix, tension_fixes, triage_fix
from advisor.layout.partition import Tension
from advisor.layout.summary import summarize

WIDTH = 80
HEIGHT = 24
_NBSP = "\u00a0"
_QUESTION_COLUMN = 16  # widest question id (scale_together, unified_whole) plus a space


@dataclass(frozen=True)
class AnswerLine:
    """One of the five answers for a pair and where it came from."""

    question: str
    value: bool | None  # None: not answered
    source: str  # asked, computed, inferred, or why there is no answer
    reason: str | None = None


@dataclass(frozen=True)
class PairExplanation:
    """Whether a pair shares a pod, the deciding reason, the answers and what would change it."""

    a: str
    b: str
    same_pod: bool
    pod_a: str
    pod_b: str
    because: str
    answers: tuple[AnswerLine, ...]
    fix: str | None


def resolve_container(advice: Advice, name: str, argument: str) -> str:
    """The container ``name`` means: itself, or the one container whose name begins with it
    (``log`` for ``log-collector``); else a one-line error naming ``argument`` and close
    matches."""
    if name in advice.inventory.by_name:
        return name
    profiles = dict(advice.inventory.hidden).get(name)
    if profiles:  # a compose service this run leaves out
        raise AdvisorError(
            f"{argument}: {name!r} runs only with the profile {' or '.join(profiles)}: "
            f"add --profile {profiles[0]} to explain it"
        )
    names = list(advice.inventory.by_name)
    starting = [n for n in names if n.startswith(name)] if name else []
    if len(starting) == 1:
        return starting[0]
    # A name the user cut short (log for log-collector) first, then names spelt alike.
    close = starting[:3]
    close += difflib.get_close_matches(name, [n for n in names if n not in close], n=3, cutoff=0.5)
    close = close[:3]
    hint = f"did you mean {', '.join(close)}?" if close else "no close match"
    raise AdvisorError(
        f"{argument}: no container named {name!r} in {advice.inventory.source}; {hint}"
    )


def explain_pair(
    advice: Advice, a: str, b: str, ask: str | None = None, answers_file: str = "the answers file"
) -> PairExplanation:
    """Why ``a`` and ``b`` share a pod or not: the deciding reason and all five answers.

    ``ask`` is the command that asks a pair again (``pod-advisor ask APP``, with the
    ``--answers`` given), named in the fix with ``answers_file``, where the answers live."""
    a = resolve_container(advice, a, "A")
    b = resolve_container(advice, b, "B")
    if a == b:
        raise AdvisorError(f"A and B: both name {a!r}; give two different containers")
    pair = Pair.of(a, b)
    questionnaire = advice.questionnaire
    pod_a, pod_b = advice.layout.pod_of(a), advice.layout.pod_of(b)
    fix: str | None = None
    verdict = questionnaire.verdict(pair)
    blocker = questionnaire.blocker(pair)
    triage = questionnaire.triage_split(pair)
    if blocker is not None:
        because = f"apart, whatever the answers: {blocker}"
        members = [advice.inventory.container(n) for n in pair]
        fix = constraint_fix(members, advice.inventory.node, advice.rules)
    elif triage is not None:
        because = f"apart by the roles given in the triage: {triage}"
        fix = triage_fix(pair)
    elif verdict is Verdict.APART:
        because = "apart: " + _first_no(advice, pair, a, b)
        command = ask or f"pod-advisor ask {shlex.quote(advice.inventory.source)}"
        fix = _no_fix(advice, pair, command, answers_file)
    elif verdict is Verdict.TOGETHER and pod_a == pod_b:
        because = f"together in pod {pod_a.name}: all five answers are yes"
    elif verdict is Verdict.TOGETHER:
        tension = next((t for t in advice.layout.tensions if t.pair == pair), None)
        tension = tension or _clique_split(advice, pair)
        split_by = "their roles" if tension and tension.by_roles else "a third container"
        because = f"answered together, but split by {split_by}: " + (
            tension.reason if tension else "the layout could not keep every together-answer"
        )
        if tension is not None and tension.fix is not None:  # not the partition's doing
            because = f"answered together, but {tension.reason}"
        fix = tension_fix(tension, advice) if tension else None
    elif advice.inventory.running and (running := _as_running(advice, pair)) is not None:
        because, fix = running
    else:
        missing = _missing(advice, pair)
        because = (
            "apart: not answered, so kept apart by the rule of thumb "
            f"({len(missing)} of {len(advice.rules.questions)} questions open)"
        )
        fix = f"answer {', '.join(missing)} for {pair.label()}"
    return PairExplanation(
        a=a,
        b=b,
        same_pod=pod_a == pod_b,
        pod_a=pod_a.name,
        pod_b=pod_b.name,
        because=because,
        answers=_answer_lines(advice, pair),
        fix=fix,
    )


def _clique_split(advice: Advice, pair: Pair) -> Tension | None:
    """The tension that names the split of a clique holding both of ``pair`` (one packed
    into several pods is named once per pod split off, not once per pair)."""
    clique = advice.answered_together().clique_of(pair.first)
    if clique is None or pair.second not in clique:
        return None
    members = set(clique)
    return next((t for t in advice.layout.tensions if set(t.pair) <= members), None)


def _as_running(advice: Advice, pair: Pair) -> tuple[str, str] | None:
    """Why an unanswered pair of one running pod shares a pod or not, and what to answer."""
    audit = next((a for a in audit_pods(advice) if set(pair) <= set(a.pod.members)), None)
    if audit is None:
        return None
    missing = _missing(advice, pair)
    questions = len(advice.rules.questions)
    answer = f"answer {', '.join(missing)} for {pair.label()}"
    index = {n: i for i, part in enumerate(audit.parts) for n in part}
    first, second = sorted(pair, key=lambda n: index[n])
    if index[first] == index[second]:
        because = (
            f"together in pod {advice.layout.pod_of(first).name} as they run today: not yet "
            f"reviewed ({len(missing)} of {questions} questions open)"
        )
        return because, f"{answer}: all yes keeps them together, a no splits them"
    kept, moved = (
        (name, *(n for n in audit.parts[index[name]] if n != name)) for name in (first, second)
    )  # the pair first, so a reason about another pair names it
    why = why_moved(advice, kept, moved)
    return f"apart: they run in one pod today, but {why}", answer


def _first_no(advice: Advice, pair: Pair, a: str, b: str) -> str:
    answers = advice.questionnaire.answers_for(pair)
    for question in advice.rules.questions:
        answer = answers.get(question.id)
        if answer is not None and not answer.value:
            how = answer.source.value + (f": {answer.reason}" if answer.reason else "")
            asked = question.ask_about(a, b)
            return f"the first no is {question.id} ({how}): {asked} No."
    return advice.questionnaire.reason_apart(pair)  # pragma: no cover - verdict says a no


def _no_fix(advice: Advice, pair: Pair, ask: str, answers_file: str) -> str | None:
    """The user's answers to change for ``pair`` to share a pod: each no, under its key in
    the answers file, with the command that asks it again."""
    questionnaire = advice.questionnaire
    order = {c.name: i for i, c in enumerate(advice.inventory.containers)}
    changes: dict[Pair, list[str]] = {}
    for question_id, answer in questionnaire.answers_for(pair).items():
        if answer.value:
            continue
        source = (
            pair if answer.source is Source.ASKED else questionnaire.deciding_no(pair, question_id)
        )
        if source is not None:  # (a computed no comes with a constraint, fixed above)
            changes.setdefault(source, []).append(question_id)
    fixes = []
    for source, questions in changes.items():
        key = " + ".join(sorted(source, key=order.__getitem__))
        asked = ", ".join(questions)
        change = (
            f"answer yes to {asked} for {key}"
            if source == pair
            else f"the no to {asked} follows from {key}'s: answer yes to it there"
        )
        fixes.append(
            f"{change} (key '{key}' in {answers_file}), e.g. {ask} --ask {shlex.quote(key)}"
        )
    return "; ".join(fixes) or None


def _missing(advice: Advice, pair: Pair) -> list[str]:
    answers = advice.questionnaire.answers_for(pair)
    return [q for q in advice.rules.question_ids if q not in answers]


def _answer_lines(advice: Advice, pair: Pair) -> tuple[AnswerLine, ...]:
    answers = advice.questionnaire.answers_for(pair)
    q = advice.questionnaire
    blocked = q.blocker(pair) is not None or q.triage_split(pair) is not None
    settled = any(not a.value for a in answers.values())
    lines = []
    for question_id in advice.rules.question_ids:
        answer = answers.get(question_id)
        if answer is not None:
            lines.append(AnswerLine(question_id, answer.value, answer.source.value, answer.reason))
        elif blocked:
            lines.append(AnswerLine(question_id, None, "not needed: apart whatever it is"))
        elif settled:
            lines.append(AnswerLine(question_id, None, "not needed after a no"))
        else:
            lines.append(AnswerLine(question_id, None, "not answered"))
    return tuple(lines)


def render_pair(explanation: PairExplanation, width: int = WIDTH) -> str:
    """The explanation as at most 24 lines of at most ``width`` columns."""
    e = explanation
    where = (
        f"share pod {e.pod_a}"
        if e.same_pod
        else f"do not share a pod ({e.a} is in pod {e.pod_a}, {e.b} in pod {e.pod_b})"
    )
    head = _wrap(f"{e.a} + {e.b}: {where}", width)
    why = _wrap("Why: " + e.because, width, indent="  ")
    tail = _wrap("To change it: " + e.fix, width, indent="  ") if e.fix else []
    answers = _answers(e.answers, width, with_reasons=True)
    if len(head) + len(why) + len(answers) + len(tail) > HEIGHT:  # long names: drop details
        answers = _answers(e.answers, width, with_reasons=False)
    if len(tail) > HEIGHT // 3:  # a fix naming many pairs: its start, then where to read on
        tail = [*tail[: HEIGHT // 3 - 1], "  ... (pod-advisor explain without A B: every fix)"]
    room = HEIGHT - len(head) - len(answers) - len(tail)
    if len(why) > room:
        why = [*why[: room - 1], "  ..."]
    return "\n".join([*head, *why, *answers, *tail])


def _answers(answers: tuple[AnswerLine, ...], width: int, with_reasons: bool) -> list[str]:
    lines = ["Answers:"]
    for answer in answers:
        value = "-" if answer.value is None else ("yes" if answer.value else "no")
        head = f"  {answer.question.ljust(_QUESTION_COLUMN)}{value.ljust(4)}"
        text = answer.source
        if answer.reason and with_reasons:
            text += f": {answer.reason}"
        lines += _wrap(head + text, width, indent=" " * len(head))
    return lines


def render_layout(advice: Advice, width: int = WIDTH) -> str:
    """Every pod with why its members belong together, every tension with its fix."""
    layout = advice.layout
    lines = _wrap(
        f"{advice.inventory.name}: {plural(len(layout.pods), 'pod')}, "
        f"{plural(len(layout.tensions), 'tension')}, "
        f"{plural(advice.unanswered_count, 'pair')} unanswered",
        width,
    )
    for pod in layout.pods:
        lines.append("")
        title = advice.pod_title(pod.name)
        lines += _wrap(f"pod {title}: {', '.join(pod.members)}", width, indent="  ")
        for reason in summarize(pod, advice).reasons:
            lines += _wrap(f"  - {reason}", width, indent="    ")
    if layout.tensions:
        lines += ["", "Tensions (answered together, but in different pods):"]
        fixes = tension_fixes(advice)
        for tension in layout.tensions:
            lines += _wrap(f"  ! {tension.pair.label()}: {tension.reason}", width, indent="    ")
            lines += _wrap(f"    fix: {fixes[tension.pair]}", width, indent="      ")
    for audit in audit_pods(advice):
        lines += ["", f"{audit.pod.label} as it runs:"]
        for line in audit.lines:
            lines += _wrap(f"  - {line}", width, indent="    ")
    if advice.unanswered:
        lines.append("")
        lines += _wrap(
            f"Unanswered pairs ({advice.unanswered_kept}): "
            + ", ".join(p.label() for p in advice.unanswered)
            + (f" and {advice.unanswered_more} more" if advice.unanswered_more else ""),
            width,
            indent="  ",
        )
    return "\n".join(lines)


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    """Wrap ``text``, keeping each ``a + b`` on one line where it fits."""
    glued = text.replace(" + ", _NBSP + "+" + _NBSP)  # textwrap splits on ASCII spaces only
    lines = textwrap.wrap(glued, width, subsequent_indent=indent, break_on_hyphens=False)
    return [line.replace(_NBSP, " ") for line in lines] or [""]
