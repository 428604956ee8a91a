"""The answers file: what the user (or a script) said about each pair, and where it came from.

Hand-written files hold plain ``yes``/``no``; the tool adds ``{answer, source, reason}`` for
answers it computed or inferred. Saving is atomic so an interrupted session loses nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from advisor.model import Answer, Inventory, Pair, Source
from advisor.rules import Rules
from advisor.sources.fields import Fields, kind_of
from advisor.sources.yamlfile import load_yaml

FORMAT_VERSION = 1
AnswerSheet = dict[Pair, dict[str, Answer]]

_WORDS = {
    "yes": True,
    "y": True,
    "true": True,
    "on": True,
    "no": False,
    "n": False,
    "false": False,
    "off": False,
}


def load_answers(path: Path, inventory: Inventory, rules: Rules) -> AnswerSheet:
    """Read an answers file and check every pair and question against the inventory."""
    data = load_yaml(path)
    source = str(path)
    if data is None:
        return {}
    top = Fields(source, data, "")
    top.check_keys(("version", "inventory", "pairs"))
    version = top.data.get("version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        top.fail(
            "version",
            f"answers format version {version!r} is not supported; this "
            f"pod-advisor reads version {FORMAT_VERSION}",
        )
    pairs = top.sub("pairs")
    if pairs is None:
        return {}
    sheet: AnswerSheet = {}
    for key, value in pairs.data.items():
        pair = _pair(pairs, key, inventory)
        if pair in sheet:
            pairs.fail(key, f"the pair {pair.label()} is answered twice in this file")
        sheet[pair] = _pair_answers(pairs, key, value, rules)
    return sheet


def _pair(pairs: Fields, key: Any, inventory: Inventory) -> Pair:
    names = str(key).split("+") if isinstance(key, str) else []
    if len(names) != 2 or not all(n.strip() for n in names):
        pairs.fail(key, "a pair is written 'a + b' with two container names")
    a, b = (n.strip() for n in names)
    for name in (a, b):
        if name not in inventory.by_name:
            pairs.fail(key, f"no container named {name!r} in {inventory.source}")
    if a == b:
        pairs.fail(key, "a pair needs two different containers")
    return Pair.of(a, b)


def _pair_answers(pairs: Fields, key: Any, value: Any, rules: Rules) -> dict[str, Answer]:
    if value is None:
        return {}
    fields = Fields(pairs.source, value, f"pairs.{key}", pairs.data, key)
    fields.check_keys(rules.question_ids)
    answers: dict[str, Answer] = {}
    for question_id, raw in fields.data.items():
        answer = _answer(fields, question_id, raw)
        if answer is not None:
            answers[question_id] = answer
    return answers


def _answer(fields: Fields, question_id: str, raw: Any) -> Answer | None:
    if isinstance(raw, dict):
        entry = Fields(fields.source, raw, fields.dotted(question_id), fields.data, question_id)
        entry.check_keys(("answer", "source", "reason"))
        value = _yes_no(entry, "answer", raw.get("answer"))
        source_word = entry.text("source") or Source.ASKED.value
        try:
            source = Source(source_word)
        except ValueError:
            entry.fail(
                "source", f"{source_word!r} is not one of {', '.join(s.value for s in Source)}"
            )
        return None if value is None else Answer(value, source, entry.text("reason"))
    value = _yes_no(fields, question_id, raw)
    return None if value is None else Answer(value)


def _yes_no(fields: Fields, key: str, raw: Any) -> bool | None:
    if raw is None:
        return None  # left blank: not answered yet
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in _WORDS:
        return _WORDS[raw.strip().lower()]
    shown = repr(raw) if isinstance(raw, (str, int, float)) else kind_of(raw)
    fields.fail(key, f"the answer must be yes or no, not {shown}")


class _AnswersDumper(yaml.SafeDumper):
    """Writes booleans as yes/no, the words the questions are answered with."""


_AnswersDumper.add_representer(
    bool,
    lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:bool", "yes" if value else "no"
    ),
)


def dump_answers(sheet: AnswerSheet, inventory: Inventory, rules: Rules) -> str:
    """The answers file's text: pairs in inventory order, questions in asking order."""
    order = {c.name: i for i, c in enumerate(inventory.containers)}
    pairs: dict[str, dict[str, Any]] = {}
    for pair in sorted(sheet, key=lambda p: sorted((order[p.first], order[p.second]))):
        answers = sheet[pair]
        if all(a.source is Source.COMPUTED for a in answers.values()):
            continue  # facts alone: worked out again on every run, and noise until asked
        entry: dict[str, Any] = {}
        for question_id in rules.question_ids:
            answer = answers.get(question_id)
            if answer is None:
                continue
            if answer.source is Source.ASKED and answer.reason is None:
                entry[question_id] = answer.value
            else:
                entry[question_id] = {
                    "answer": answer.value,
                    "source": answer.source.value,
                    **({"reason": answer.reason} if answer.reason else {}),
                }
        first, second = sorted(pair, key=order.__getitem__)
        pairs[f"{first} + {second}"] = entry
    header = (
        f"# pod-advisor answers for {inventory.name} ({inventory.source}).\n"
        "# One entry per pair of containers; yes/no per question. Edit freely:\n"
        "# answers marked 'computed' or 'inferred' are worked out again on every run.\n"
    )
    body = yaml.dump(
        {"version": FORMAT_VERSION, "pairs": pairs},
        Dumper=_AnswersDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
    return header + body
