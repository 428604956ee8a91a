"""What one answer changed in the user's own answers, to take it back exactly.

An answer may change more than itself: a pair's answer narrows a group answer it
contradicts (a group yes split into the other pairs' answers, a group no dropped). Going
back restores every one of those, not only the answer, so a session never loses an answer.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from advisor.domain.answers import AnswersFile
from advisor.domain.model import Answer, Pair, Workload
from advisor.engine.steps import Entry

_GONE = object()  # not there before the answer
_NESTED = ("pairs", "groups")  # by key, then by question
_FLAT = ("roles", "processes", "workloads", "replicas")
_SCALAR = ("roles_declined",)

# (field, key, question or None, the value before the answer or _GONE)
Change = tuple[str, Hashable, "str | None", Any]


def difference(before: AnswersFile, after: AnswersFile) -> list[Change]:
    """The values that differ from ``before`` in ``after``, each with its value before."""
    changes: list[Change] = []
    for name in _NESTED:
        old, new = getattr(before, name), getattr(after, name)
        for key in old.keys() | new.keys():
            was, now = old.get(key, {}), new.get(key, {})
            if was == now:
                continue
            for question in was.keys() | now.keys():
                if was.get(question, _GONE) != now.get(question, _GONE):
                    changes.append((name, key, question, was.get(question, _GONE)))
    for name in _FLAT:
        old, new = getattr(before, name), getattr(after, name)
        for key in old.keys() | new.keys():
            if old.get(key, _GONE) != new.get(key, _GONE):
                changes.append((name, key, None, old.get(key, _GONE)))
    for name in _SCALAR:
        if getattr(before, name) != getattr(after, name):
            changes.append((name, None, None, getattr(before, name)))
    return changes


def revert(answers: AnswersFile, changes: list[Change]) -> None:
    """Put back in ``answers`` the values ``changes`` had before (see ``difference``)."""
    for name, key, question, value in changes:
        if name in _SCALAR:
            setattr(answers, name, value)
            continue
        values = getattr(answers, name)
        if question is None:
            if value is _GONE:
                values.pop(key, None)
            else:
                values[key] = value
            continue
        inner = dict(values.get(key, {}))
        if value is _GONE:
            inner.pop(question, None)
        else:
            inner[question] = value
        if inner:
            values[key] = inner
        else:
            values.pop(key, None)


def settle(answers: AnswersFile, pair: Pair, question_id: str, keep: bool, reason: str) -> None:
    """Settle in ``answers`` the user's answer for ``pair`` that the rest contradicts: kept
    (marked with ``reason``, so a later load reports it no more) or dropped."""
    own = dict(answers.pairs.get(pair, {}))
    if keep:
        own[question_id] = Answer(own[question_id].value, reason=reason)
    else:
        own.pop(question_id, None)
    if own:
        answers.pairs[pair] = own
    else:
        answers.pairs.pop(pair, None)


def give(
    answers: AnswersFile,
    entry: Entry,
    value: bool | str | int | None,
    workload: Workload | None = None,
) -> None:
    """Set in ``answers`` the user's answer ``value`` for ``entry``: yes/no for a question
    or a pod's processes, the helped container (None: a primary, which may run as
    ``workload``) for a role, a workload kind's value, a replica count."""
    kind, names, question_id = entry
    if kind == "pair":
        answers.pairs.setdefault(Pair.of(*names), {})[question_id] = Answer(bool(value))
    elif kind == "group":
        answers.groups.setdefault(names, {})[question_id] = Answer(bool(value))
    elif kind == "role":
        helps = value if isinstance(value, str) else None
        answers.roles[names[0]] = helps
        answers.workloads.pop(names[0], None)  # said with the role
        if workload is not None and helps is None:
            answers.workloads[names[0]] = workload
    elif kind == "processes":
        answers.processes[names] = bool(value)
    elif kind == "workload" and isinstance(value, str):
        answers.workloads[names[0]] = Workload(value)
    elif kind == "replicas" and value is not None:
        answers.replicas[names[0]] = int(value)
