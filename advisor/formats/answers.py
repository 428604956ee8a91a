"""The answers file: what the user (or a script) said about each pair, and where it came from.

Hand-written files hold plain ``yes``/``no``; the tool adds ``{answer, source, reason}`` for
answers it computed or inferred. Saving is atomic so an interrupted session loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml

from advisor.domain.answers import AnswersFile, describe_cycle, helper_cycle
from advisor.domain.model import Answer, Inventory, Pair, Source, Workload
from advisor.domain.names import MAX_GROUP, split_key
from advisor.domain.rules import Rules
from advisor.formats.fields import Fields, kind_of
from advisor.formats.hiddenanswers import set_aside, with_hidden
from advisor.formats.yamlfile import load_yaml
from advisor.formats.yamlout import YesNoDumper, block_yaml

FORMAT_VERSION = 1
PRIMARY_WORD = "primary"
HELPER_PREFIX = "helper of "
# How every answers file the tool writes begins.
HEADER_START = "# pod-advisor answers for"


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


# The user said the inventory's roles are not right (``inventory_roles: declined``): a session
# resumed asks each container's role instead of the inventory's again.
INVENTORY_ROLES, DECLINED = "inventory_roles", "declined"


def load_answers(
    path: Path, inventory: Inventory, rules: Rules, lenient: bool = False
) -> AnswersFile:
    """Read an answers file and check every pair, group, role and question against the inventory.

    ``lenient`` (for ``ask``, after the inventory changed): entries naming containers the
    inventory no longer has are dropped and listed in ``stale`` instead of refused.
    """
    data = load_yaml(path)
    source = str(path)
    result = AnswersFile()
    data, result.hidden = set_aside(data, inventory)
    if data is None:
        return result
    top = Fields(source, data, "")
    top.check_keys(
        (
            "version",
            "inventory",
            "asked",
            INVENTORY_ROLES,
            "roles",
            "processes",
            "workloads",
            "replicas",
            "pairs",
        )
    )
    version = top.data.get("version", FORMAT_VERSION)
    if isinstance(version, (str, float)) and str(version).strip() in ("1", "1.0"):
        top.fail("version", f"must be the number {FORMAT_VERSION}, not {_shown(version)}")
    if isinstance(version, bool) or not isinstance(version, int) or version != FORMAT_VERSION:
        top.fail(
            "version",
            f"answers format version {_shown(version)} is not supported; this "
            f"pod-advisor reads version {FORMAT_VERSION}",
        )
    asked = top.data.get("asked")
    if asked is not None and (isinstance(asked, bool) or not isinstance(asked, int) or asked < 0):
        top.fail("asked", f"must be a count of questions, not {asked!r}")
    result.asked = asked
    declined = top.data.get(INVENTORY_ROLES)
    if declined is not None and declined != DECLINED:
        top.fail(INVENTORY_ROLES, f"can only be '{DECLINED}', not {_shown(declined)}")
    result.roles_declined = declined == DECLINED
    roles = top.sub("roles")
    if roles is not None:
        result.roles = _roles(roles, inventory, result.stale if lenient else None)
    processes = top.sub("processes")
    if processes is not None:
        for key, value in processes.data.items():
            names = _members(processes, key, inventory, lenient)
            shared = _yes_no(processes, key, value)
            if any(name not in inventory.by_name for name in names):
                result.stale.append(f"processes: {key}")
            elif shared is not None:
                result.processes[tuple(sorted(names))] = shared
    workloads = top.sub("workloads")
    if workloads is not None:
        result.workloads = _per_pod(
            workloads, inventory, result.stale if lenient else None, _workload
        )
    replicas = top.sub("replicas")
    if replicas is not None:
        result.replicas = _per_pod(
            replicas, inventory, result.stale if lenient else None, _replica_count
        )
    pairs = top.sub("pairs")
    if pairs is not None:
        _read_pairs(pairs, inventory, rules, lenient, result)
    return result


_WORKLOADS = {w.value: w for w in Workload} | {w.kind.lower(): w for w in Workload}
_T = TypeVar("_T")


def _per_pod(
    fields: Fields,
    inventory: Inventory,
    stale: list[str] | None,
    read: Callable[[Fields, Any, Any], _T],
) -> dict[str, _T]:
    """A section keyed by the container a pod is named after (``workloads:``, ``replicas:``),
    each value read by ``read``; keys naming containers that are gone are refused, or with
    ``stale`` (a lenient load) dropped and listed."""
    found: dict[str, _T] = {}
    for key, value in fields.data.items():
        name = str(key)
        if name not in inventory.by_name:
            if stale is not None:
                stale.append(f"{fields.path}: {name}")
                continue
            fields.fail(key, _gone(name, inventory))
        found[name] = read(fields, key, value)
    return found


def _replica_count(fields: Fields, key: Any, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10_000:
        fields.fail(key, f"must be a whole number from 0 to 10,000, not {_shown(value)}")
    return value


def _workload(fields: Fields, key: Any, value: Any) -> Workload:
    word = value.strip().lower() if isinstance(value, str) else None
    if word not in _WORKLOADS:
        kinds = ", ".join(w.value for w in Workload)
        fields.fail(key, f"must be one of {kinds}, not {_shown(value)}")
    return _WORKLOADS[word]


def _read_pairs(
    pairs: Fields, inventory: Inventory, rules: Rules, lenient: bool, result: AnswersFile
) -> None:
    """The pair and group answers into ``result`` (and stale keys, when ``lenient``)."""
    questions = frozenset(rules.question_ids)
    for key, value in pairs.data.items():
        members = _members(pairs, key, inventory, lenient)
        if len(members) > MAX_GROUP:
            pairs.fail(
                key,
                f"a group names at most {MAX_GROUP} containers, not {len(members)}; answer "
                "for smaller groups or pairs",
            )
        answers = _pair_answers(pairs, key, value, rules, questions)
        # Without ``lenient``, _members has refused names the inventory lacks.
        if lenient and any(name not in inventory.by_name for name in members):
            result.stale.append(str(key))
            continue
        if len(members) == 2:
            pair = Pair.of(*members)
            if pair in result.pairs:
                pairs.fail(key, f"the pair {pair.label()} is answered twice in this file")
            result.pairs[pair] = answers
        else:
            group = tuple(sorted(members))
            if group in result.groups:
                pairs.fail(key, "this group is answered twice in this file")
            result.groups[group] = answers


def _gone(name: str, inventory: Inventory) -> str:
    return (
        f"no container named {name!r} in {inventory.source}; if it was removed or renamed, "
        "'pod-advisor ask' drops its answers"
    )


def _shown(value: Any) -> str:
    """A YAML scalar as the user wrote it, more or less: yes, 'one', 1.5, (empty)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "(empty)"
    if isinstance(value, (dict, list)):
        return kind_of(value)
    return repr(value)


def _roles(roles: Fields, inventory: Inventory, stale: list[str] | None) -> dict[str, str | None]:
    """The roles; with a ``stale`` list, roles naming missing containers are dropped into it."""
    result: dict[str, str | None] = {}
    for name, value in roles.data.items():
        if name not in inventory.by_name and stale is not None:
            stale.append(f"roles.{name}")
            continue
        if name not in inventory.by_name:
            roles.fail(name, _gone(name, inventory))
        word = value.strip() if isinstance(value, str) else None
        if word == PRIMARY_WORD:
            result[name] = None
            continue
        helped = (
            word[len(HELPER_PREFIX) :].strip() if word and word.startswith(HELPER_PREFIX) else ""
        )
        if not helped:
            roles.fail(name, f"a role is 'primary' or 'helper of NAME', not {value!r}")
        if helped not in inventory.by_name and helped != name and stale is not None:
            stale.append(f"roles.{name}")
            continue
        if helped not in inventory.by_name or helped == name:
            roles.fail(name, f"{helped!r} is not another container of {inventory.source}")
        result[name] = helped
    circle = helper_cycle(result)
    if circle:
        roles.fail(
            circle[0],
            f"{describe_cycle(circle)}: helper roles go round in a circle with no primary; "
            "make one of them 'primary'",
        )
    return result


def _members(pairs: Fields, key: Any, inventory: Inventory, lenient: bool) -> list[str]:
    # A hand-written "a+b" is split on the bare "+".
    names = split_key(key) if isinstance(key, str) else []
    if len(names) < 2 or "" in names:
        pairs.fail(key, "a pair is written 'a + b' with two container names")
    if len(set(names)) != len(names):
        repeated = next(name for name in names if names.count(name) > 1)
        pairs.fail(key, f"the name {repeated!r} is repeated; name each container once")

    if not lenient:
        for name in names:
            if name not in inventory.by_name:
                pairs.fail(key, _gone(name, inventory))
    return names


# Answers are immutable: these two stand for every plain yes and no of a file.
_PLAIN_ANSWERS = {True: Answer(True), False: Answer(False)}


def _pair_answers(
    pairs: Fields, key: Any, value: Any, rules: Rules, questions: frozenset[str]
) -> dict[str, Answer]:
    if value is None:
        return {}
    if isinstance(value, dict):
        # The common entry, known questions answered plainly yes or no, has nothing to refuse;
        # anything else goes the long way below, which words the errors.
        plain: dict[str, Answer] = {}
        for question_id, raw in value.items():
            if raw.__class__ is not bool or question_id not in questions:
                break
            plain[question_id] = _PLAIN_ANSWERS[raw]
        else:
            return plain
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
    return None if value is None else _PLAIN_ANSWERS[value]


def _yes_no(fields: Fields, key: str, raw: Any) -> bool | None:
    if raw is None:
        return None  # left blank: not answered yet
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in _WORDS:
        return _WORDS[raw.strip().lower()]
    shown = repr(raw) if isinstance(raw, (str, int, float)) else kind_of(raw)
    fields.fail(key, f"the answer must be yes or no, not {shown}")


def new_pairs(answers: AnswersFile, inventory: Inventory) -> list[Pair]:
    """Pairs with a container the answers file never mentions (added or renamed since).

    Empty when the file mentions no container at all: then every pair is simply unanswered.
    Empty too when the file was saved while the roles were being asked (they come first, in
    inventory order): the containers it does not name are not asked about yet, not new.
    """
    mentioned = {name for pair in answers.pairs for name in pair}
    mentioned.update(name for group in answers.groups for name in group)
    mentioned.update(answers.roles)
    past_the_roles = (
        answers.groups
        or answers.processes
        or any(a.source is Source.ASKED for given in answers.pairs.values() for a in given.values())
    )
    if not mentioned or not past_the_roles:
        return []
    names = [c.name for c in inventory.containers]
    return [
        Pair.of(a, b)
        for index, a in enumerate(names)
        for b in names[index + 1 :]
        if a not in mentioned or b not in mentioned
    ]


def dump_answers(answers: AnswersFile, inventory: Inventory, rules: Rules) -> str:
    """The answers file's text: roles, then pairs and groups in inventory order."""
    return _header(inventory) + yaml.dump(
        _document(answers, inventory, rules),
        Dumper=YesNoDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )


def dump_own_answers(answers: AnswersFile, inventory: Inventory, rules: Rules) -> str:
    """``dump_answers`` for the user's own answers alone, the file ``ask`` saves after every
    answer: the same document, written as text directly (a tenth of the time for a
    thousand roles, which matters between an answer and the next question)."""
    return _header(inventory) + block_yaml(_document(answers, inventory, rules))


def _header(inventory: Inventory) -> str:
    about = f"{inventory.name} ({inventory.source})".replace("\n", " ").replace("\r", " ")
    return (
        f"{HEADER_START} {about}.\n"
        "# yes/no per question for each pair ('a + b') or group ('a + b + c'). Edit freely:\n"
        "# answers marked 'computed' or 'inferred' are worked out again on every run.\n"
    )


def _document(answers: AnswersFile, inventory: Inventory, rules: Rules) -> dict[str, Any]:
    """The answers file as plain data, keys in the order they are written."""
    order = {c.name: i for i, c in enumerate(inventory.containers)}

    def in_order(names: tuple[str, ...]) -> list[str]:
        return sorted(names, key=order.__getitem__)

    entries: list[tuple[list[int], str, dict[str, Answer]]] = []
    for pair, pair_answers in answers.pairs.items():
        if all(a.source is Source.COMPUTED for a in pair_answers.values()):
            continue  # facts alone: worked out again on every run, and noise until asked
        names = in_order(pair)
        entries.append(([order[n] for n in names], " + ".join(names), pair_answers))
    for group, group_answers in answers.groups.items():
        names = in_order(group)
        entries.append(([order[n] for n in names], " + ".join(names), group_answers))
    pairs: dict[str, dict[str, Any]] = {}
    for _, label, entry_answers in sorted(entries, key=lambda e: e[0]):
        pairs[label] = {
            q: _dump_answer(entry_answers[q]) for q in rules.question_ids if q in entry_answers
        }
    document: dict[str, Any] = {"version": FORMAT_VERSION}
    if answers.asked is not None:
        document["asked"] = answers.asked
    if answers.roles_declined:
        document[INVENTORY_ROLES] = DECLINED
    if answers.roles:
        document["roles"] = {
            name: PRIMARY_WORD
            if answers.roles[name] is None
            else f"{HELPER_PREFIX}{answers.roles[name]}"
            for name in sorted(answers.roles, key=order.__getitem__)
        }
    if answers.processes:
        document["processes"] = {
            " + ".join(in_order(members)): shared
            for members, shared in sorted(
                answers.processes.items(), key=lambda item: [order[n] for n in in_order(item[0])]
            )
        }
    if answers.workloads:
        document["workloads"] = {
            name: answers.workloads[name].value
            for name in sorted(answers.workloads, key=order.__getitem__)
        }
    if answers.replicas:
        document["replicas"] = {
            name: answers.replicas[name] for name in sorted(answers.replicas, key=order.__getitem__)
        }
    document["pairs"] = pairs
    return with_hidden(document, answers.hidden)


def _dump_answer(answer: Answer) -> Any:
    if answer.source is Source.ASKED and answer.reason is None:
        return answer.value
    return {
        "answer": answer.value,
        "source": answer.source.value,
        **({"reason": answer.reason} if answer.reason else {}),
    }
