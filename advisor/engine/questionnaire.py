"""The questionnaire as a pure state machine: which question comes next, and what is known.

No terminal code lives here: the terminal (``ui``), an answers file and a test script are
three ways of answering the same ``next_step()``.

Guided mode (the default) asks as little as it can:

1. Triage: what each container is, a primary application or a helper of another (one
   choice per container; roles the inventory gives are confirmed on one screen). Containers
   that help different applications are apart without a question.
2. Each application with its helpers is asked the questions as a group ("Do web, proxy and
   agent have to run on the same host?"): one yes answers every pair in it. A no falls back
   to the helper-by-helper pairs.
3. Facts and inference fill in the rest: ``fits_node`` from the requests and the node,
   ``unified_whole`` from the triage (a helper and what it helps form a whole), and every
   transitive question from its classes (see ``inference``).

Exhaustive mode asks the five questions for every pair, stopping at a pair's first no.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Any, Concatenate, ParamSpec, TypeVar

from advisor.domain.answers import AnswersFile, AnswerSheet, Group
from advisor.domain.model import Answer, Inventory, Pair, Role, Source
from advisor.domain.rules import Question, Rules
from advisor.engine.constraints import PodLoad, pair_fits_node
from advisor.engine.inference import EquivalenceAnswers
from advisor.engine.pairfacts import PairFacts, bits
from advisor.engine.tally import AnswerRows, Contribution, Known, RowMasks, Tally

FITS_NODE = "fits_node"  # facts answer it: requests against the node's capacity
SAME_HOST = "same_host"  # facts answer it from a compose file's shared namespaces or volumes
UNIFIED_WHOLE = "unified_whole"  # the triage answers it: a helper and what it helps are a whole


# What a user did, as ``Questionnaire.recorder`` is told it: the method called and its
# arguments. Calling the same methods with the same arguments on a copy of the questionnaire
# taken before brings the copy to the same state (the background saver relies on it).
Action = tuple[str, tuple[Any, ...], dict[str, Any]]

_Args = ParamSpec("_Args")
_Result = TypeVar("_Result")


def _recorded(
    method: Callable[Concatenate[Questionnaire, _Args], _Result],
) -> Callable[Concatenate[Questionnaire, _Args], _Result]:
    """Marks a method that records what the user did: once it has run, the questionnaire's
    ``recorder`` (when set) is told the call."""

    @functools.wraps(method)
    def recorded(self: Questionnaire, /, *args: _Args.args, **kwargs: _Args.kwargs) -> _Result:
        result = method(self, *args, **kwargs)
        if self.recorder is not None:
            self.recorder((method.__name__, args, kwargs))
        return result

    return recorded


class Verdict(str, Enum):
    """Where the answers so far leave a pair."""

    OPEN = "open"  # some question still unknown, none known to be no
    TOGETHER = "together"  # every question yes
    APART = "apart"  # a question no, a constraint, or the triage separates them


@dataclass(frozen=True)
class RolesStep:
    """Confirm, on one screen, the roles the inventory gives every container."""

    roles: tuple[tuple[str, str | None], ...]  # (container, what it helps or None: primary)


@dataclass(frozen=True)
class RoleStep:
    """Ask what one container is: a primary application, or a helper of which container."""

    container: str
    candidates: tuple[str, ...]  # the containers it could help, in inventory order
    proposed: str | None  # what the inventory suggests: None (primary) or a container
    has_proposal: bool


@dataclass(frozen=True)
class QuestionStep:
    """One of the five questions about two containers, or about a whole group at once."""

    members: tuple[str, ...]  # in inventory order; two for a pair
    question: Question

    @property
    def pair(self) -> Pair:
        """The pair asked about (only for two members)."""
        return Pair.of(self.members[0], self.members[1])

    def text(self) -> str:
        """The question with the members' names filled in."""
        names = self.members
        if len(names) == 2:
            return self.question.ask_about(names[0], names[1])
        return self.question.ask_about(", ".join(names[:-1]), names[-1])


Step = RolesStep | RoleStep | QuestionStep


@dataclass
class _RolesView:
    """Each container's application and each application's members, as bit masks."""

    app_of: dict[str, str | None]
    app_masks: dict[str, int]
    known: int  # containers whose application is known
    complete: bool  # every container's role is known


# One answer the user gave in this session, to go back to or change:
# ("pair" | "group", members sorted by name, question id), ("role", (container,), ""),
# or ("roles", (), "") for confirming the inventory's roles.
Entry = tuple[str, tuple[str, ...], str]


@dataclass(frozen=True)
class Progress:
    """Prompts answered so far and an honest bound on how many more there can be."""

    answered: int
    at_most_left: int
    unit: str  # "application" (guided, with its helpers) or "pair"
    number: int  # which one is being asked about
    count: int


class Questionnaire:
    """The questions still worth asking about an inventory, given the answers so far."""

    def __init__(
        self,
        inventory: Inventory,
        rules: Rules,
        answers: AnswersFile | AnswerSheet | None = None,
        exhaustive: bool = False,
        reask: Iterable[Pair] = (),
    ) -> None:
        if answers is None or isinstance(answers, dict):
            answers = AnswersFile(pairs=dict(answers or {}))
        self.inventory = inventory
        self.rules = rules
        self.exhaustive = exhaustive
        self._names = [c.name for c in inventory.containers]
        self._order = {n: i for i, n in enumerate(self._names)}
        self._questions = rules.question_ids
        self._position = {q: k for k, q in enumerate(self._questions)}
        self._fits_at = self._questions.index(FITS_NODE) if FITS_NODE in self._questions else None
        self._transitive = tuple(q.id for q in rules.questions if q.transitive)
        self._blockers: dict[Pair, str | None] = {}
        self._computed: dict[Pair, Answer | None] = {}
        # What the user said: pair answers, group answers, roles.
        self._asked: AnswerSheet = {}
        self._groups: dict[Group, dict[str, Answer]] = {}
        self._roles: dict[str, str | None] = {}
        self._roles_confirmed = False
        # What follows from it, per transitive question (guided mode only).
        self._classes = {q: EquivalenceAnswers(self._names) for q in self._transitive}
        self._source_of_yes: dict[tuple[str, Pair], str] = {}  # why a yes link exists
        # Group yes answers to questions that are not transitive hold for each pair inside.
        self._group_yes: dict[tuple[str, Pair], str] = {}
        self._no_counts = {q: 0 for q in self._questions}
        self.contradictions: list[tuple[Pair, str, Answer]] = []
        self.asked_count = 0
        # Pairs the user asked to answer again (--ask): asked first, pairwise, inference aside.
        self._reask = list(reask)
        self.history: list[Entry] = []
        # Told every action of the user (see ``Action``), e.g. to repeat it elsewhere.
        self.recorder: Callable[[Action], None] | None = None
        self._processes: dict[Group, bool] = dict(answers.processes)
        self._cursor = 0  # all-pairs row before which every pair is decided
        self._app_cursor = 0  # applications before it have no open pair
        self._facts = PairFacts(inventory, rules, FITS_NODE in self._questions)
        self._linked_pairs = {Pair.of(link.a, link.b) for link in inventory.links}
        # Pairs answered directly (asked, a group yes, a link of the source file); what
        # every other pair is, the facts, roles and classes say row by row (see tally).
        self._direct: set[Pair] = set()
        # The same answers as bit masks, row by row, kept in step with those above.
        self._rows = AnswerRows(
            self._names,
            self._facts,
            [None if exhaustive else self._classes.get(q) for q in self._questions],
            self._fits_at,
            self._position.get(SAME_HOST),
        )
        self._tally: Tally | None = None
        self._pending: dict[Pair, Contribution] = {}  # contributions before this answer
        self._roles_view: _RolesView | None = None
        self._applications: list[list[str]] | None = None
        for pair in self._linked_pairs:
            self._direct.add(pair)
            self._rows.mark_linked(self._order[pair.first], self._order[pair.second])
        self._load(answers)

    # ------------------------------------------------------------------ loading answers
    def _load(self, answers: AnswersFile) -> None:
        for link in self.inventory.links:
            # A shared network namespace or shared volumes only work on one host.
            self._link(SAME_HOST, link.a, link.b, link.reason)
        inventory_roles = self._inventory_roles()
        if not self.exhaustive:
            self._roles = dict(answers.roles)
            self._roles_changed()
            if inventory_roles is not None and answers.roles == inventory_roles:
                self._roles_confirmed = True
            for name, helped in self._roles.items():
                if helped is not None:
                    self._link(
                        UNIFIED_WHOLE, name, helped, f"{name} was named a helper of {helped}"
                    )
        for group, group_answers in answers.groups.items():
            for question_id, answer in group_answers.items():
                if answer.source is Source.ASKED:
                    self._record_group(group, question_id, answer.value)
        for pair, pair_answers in answers.pairs.items():
            # The file's own dictionary when it holds only asked answers: thousands fewer
            # objects to make (and for the garbage collector to walk). They are never
            # changed here: an answer replaces its pair's dictionary (see _record_pair).
            own = pair_answers
            for answer in own.values():
                if answer.source is not Source.ASKED:
                    own = {q: a for q, a in own.items() if a.source is Source.ASKED}
                    break
            if own:  # as _record_pair, once per pair
                self._asked[pair] = own
                self._direct.add(pair)
                i, j = self._order[pair.first], self._order[pair.second]
                for question_id, answer in own.items():
                    self._rows.mark_asked(i, j, self._position[question_id], answer.value)
                    self._take_in(pair, question_id, answer, loading=True)
        counted = (
            len(self._roles)
            + sum(len(a) for a in self._groups.values())
            + sum(len(a) for a in self._asked.values())
        )
        self.asked_count = answers.asked if answers.asked is not None else counted
        self._settle()

    def _inventory_roles(self) -> dict[str, str | None] | None:
        """Roles when the inventory says, for every container, what it is; else None."""
        roles: dict[str, str | None] = {}
        for container in self.inventory.containers:
            if container.role is Role.PRIMARY:
                roles[container.name] = None
            elif container.role is Role.SIDECAR and container.complements is not None:
                roles[container.name] = container.complements
            else:
                return None
        return roles

    # ------------------------------------------------------------------ recording answers
    def _link(self, question_id: str, a: str, b: str, reason: str) -> None:
        """Add a yes of a transitive question to its classes (guided mode only)."""
        classes = self._classes.get(question_id)
        if classes is None or self.exhaustive:
            return
        if classes.known(a, b) is False:
            return  # an explicit no stands; the layout will show the tension
        self._source_of_yes.setdefault((question_id, Pair.of(a, b)), reason)
        if self._tally is not None:  # loading a file, there is nothing to update yet
            for x, y, _ in classes.settled_by_yes(a, b):
                self._before(Pair.of(x, y))
        classes.add_yes(a, b)

    def _record_pair(self, pair: Pair, question_id: str, answer: Answer) -> None:
        self._before(pair)
        own = self._asked.get(pair, {})
        if question_id in own:  # answered again
            self._mark_asked(pair, question_id, own[question_id].value, present=False)
        self._asked[pair] = {**own, question_id: answer}  # a new dictionary, see _load
        self._direct.add(pair)
        self._mark_asked(pair, question_id, answer.value)
        self._take_in(pair, question_id, answer)

    def _mark_asked(self, pair: Pair, question_id: str, value: bool, present: bool = True) -> None:
        """Set (or clear) an asked answer in the bit masks of the rows."""
        i, j = self._order[pair.first], self._order[pair.second]
        self._rows.mark_asked(i, j, self._position[question_id], value, present)

    def _take_in(self, pair: Pair, question_id: str, answer: Answer, loading: bool = False) -> None:
        """What follows from an asked answer about ``pair``: the classes of a transitive
        question take it in, unless the rest says otherwise (a contradiction, reported
        while loading a file)."""
        contradicted = self._contradicted(pair, question_id, answer.value)
        if loading and contradicted is not None:
            # The user's answer stands for this pair; they are told and may change it.
            self.contradictions.append((pair, question_id, contradicted))
        if not answer.value:
            self._no_counts[question_id] += 1
        classes = self._classes.get(question_id)
        if classes is None or self.exhaustive or contradicted is not None:
            return
        if answer.value:
            self._link(question_id, pair.first, pair.second, "asked")
        else:
            if self._tally is not None:  # loading a file, there is nothing to update yet
                for x, y, _ in classes.settled_by_no(pair.first, pair.second):
                    self._before(Pair.of(x, y))
            classes.add_no(pair.first, pair.second)

    def _contradicted(self, pair: Pair, question_id: str, value: bool) -> Answer | None:
        """What the rest says about one question for ``pair`` (with its reason), when it
        says otherwise than ``value``."""
        derived = self._derived_known(pair, question_id)
        if derived is None or derived[0] == value:
            return None
        return self._derived(pair, question_id)

    def _record_group(self, group: Group, question_id: str, value: bool) -> None:
        self._groups.setdefault(group, {})[question_id] = Answer(value, Source.ASKED)
        if not value:
            self._no_counts[question_id] += 1
            return
        label = f"asked about {list_names(sorted(group, key=self._order.__getitem__))} at once"
        if question_id in self._classes and not self.exhaustive:
            for other in group[1:]:
                self._link(question_id, group[0], other, label)
        else:
            for i, a in enumerate(group):
                for b in group[i + 1 :]:
                    self._before(Pair.of(a, b))
                    self._group_yes[(question_id, Pair.of(a, b))] = label
                    self._direct.add(Pair.of(a, b))
                    i, j = self._order[a], self._order[b]
                    self._rows.mark_grouped(i, j, self._position[question_id])

    @_recorded
    def answer(self, step: QuestionStep, value: bool) -> None:
        """Record the user's answer to a question about a pair or a group."""
        self.asked_count += 1
        if len(step.members) == 2:
            self._record_pair(step.pair, step.question.id, Answer(value, Source.ASKED))
            self.history.append(("pair", tuple(step.pair), step.question.id))
        else:
            self._record_group(tuple(sorted(step.members)), step.question.id, value)
            self.history.append(("group", tuple(sorted(step.members)), step.question.id))
        self._settle()

    @_recorded
    def answer_role(self, container: str, helps: str | None) -> None:
        """Record what ``container`` is: a primary application (None) or a helper of ``helps``."""
        self.asked_count += 1
        self._add_role(container, helps)
        self.history.append(("role", (container,), ""))
        if helps is not None:
            self._link(
                UNIFIED_WHOLE, container, helps, f"{container} was named a helper of {helps}"
            )
        self._settle()

    @_recorded
    def confirm_roles(self, confirmed: bool) -> None:
        """Accept the inventory's roles (True) or ask each container's role instead."""
        self.asked_count += 1
        self.history.append(("roles", (), ""))
        roles = self._inventory_roles()
        if confirmed and roles is not None:
            self._roles_confirmed = True
            self._roles.update(roles)
            self._roles_changed()
            for name, helps in roles.items():
                if helps is not None:
                    self._link(UNIFIED_WHOLE, name, helps, f"{name} helps {helps} (inventory)")
        else:
            self._roles_confirmed = True  # the per-container questions follow
        self._settle()

    @_recorded
    def resolve_contradiction(self, pair: Pair, question_id: str, keep_mine: bool) -> None:
        """Keep the user's answer against the inference, or drop it and let inference stand."""
        self.contradictions = [c for c in self.contradictions if c[:2] != (pair, question_id)]
        self._before(pair)
        own = dict(self._asked[pair])  # a new dictionary, see _load
        if keep_mine:
            own[question_id] = Answer(
                own[question_id].value, Source.ASKED, "kept against the inference"
            )
            self._asked[pair] = own
        else:
            self._mark_asked(pair, question_id, own.pop(question_id).value, present=False)
            if own:
                self._asked[pair] = own
            else:
                del self._asked[pair]
            # The pair may be open again.
            self._cursor = self._app_cursor = 0
        self._settle()

    # ------------------------------------------------------------------ going back, editing
    def shares_processes(self, members: Iterable[str]) -> bool | None:
        """Whether a pod of ``members`` needs one process namespace; None when not asked."""
        return self._processes.get(tuple(sorted(members)))

    def pods_to_ask_about_processes(self, pods: Iterable[tuple[str, ...]]) -> list[tuple[str, ...]]:
        """The pods of two or more whose members' need to share processes is not known yet."""
        return [p for p in pods if len(p) > 1 and self.shares_processes(p) is None]

    @_recorded
    def answer_processes(self, members: tuple[str, ...], shared: bool) -> None:
        """Record whether a pod's containers must see or signal each other's processes."""
        self.asked_count += 1
        key = tuple(sorted(members))
        self._processes[key] = shared
        self.history.append(("processes", key, ""))

    @_recorded
    def undo(self) -> Entry | None:
        """Take back this session's last answer; what followed from it is worked out again."""
        if not self.history:
            return None
        entry = self.history.pop()
        answers = self._editable_answers()
        kind, names, question_id = entry
        if kind == "pair":
            answers.pairs.get(Pair.of(*names), {}).pop(question_id, None)
        elif kind == "group":
            answers.groups.get(names, {}).pop(question_id, None)
        elif kind == "role":
            answers.roles.pop(names[0], None)
        elif kind == "processes":
            answers.processes.pop(names, None)
        else:  # the confirmation of the inventory's roles
            answers.roles.clear()
        answers.asked = max(0, self.asked_count - 1)
        self._rebuild(answers)
        return entry

    @_recorded
    def change(self, entry: Entry, value: bool | str | None) -> None:
        """Give a new answer for ``entry``: yes/no for a question, the helped container (or
        None for primary) for a role."""
        answers = self._editable_answers()
        kind, names, question_id = entry
        if kind == "pair":
            answers.pairs.setdefault(Pair.of(*names), {})[question_id] = Answer(bool(value))
        elif kind == "group":
            answers.groups.setdefault(names, {})[question_id] = Answer(bool(value))
        elif kind == "role":
            answers.roles[names[0]] = value if isinstance(value, str) else None
        elif kind == "processes":
            answers.processes[names] = bool(value)
        answers.asked = self.asked_count + 1
        self._rebuild(answers)

    def user_answers(self) -> list[tuple[Entry, str]]:
        """Every answer the user gave (any session), with how it reads, for a review."""
        result: list[tuple[Entry, str]] = []
        for name in self._names:
            if name in self._roles:
                helps = self._roles[name]
                what = "primary application" if helps is None else f"helper of {helps}"
                result.append((("role", (name,), ""), f"{name}: {what}"))
        for group, answers in sorted(self._groups.items()):
            label = " + ".join(sorted(group, key=self._order.__getitem__))
            for question_id, answer in answers.items():
                result.append(
                    (
                        ("group", group, question_id),
                        f"{label}: {question_id} {'yes' if answer.value else 'no'}",
                    )
                )
        for pair in sorted(self._asked, key=lambda p: sorted(map(self._order.__getitem__, p))):
            label = " + ".join(sorted(pair, key=self._order.__getitem__))
            for question_id in self._questions:
                given = self._asked[pair].get(question_id)
                if given is not None:
                    result.append(
                        (
                            ("pair", tuple(pair), question_id),
                            f"{label}: {question_id} {'yes' if given.value else 'no'}",
                        )
                    )
        for members, shared in sorted(self._processes.items()):
            label = " + ".join(sorted(members, key=self._order.__getitem__))
            result.append(
                (
                    ("processes", members, ""),
                    f"{label}: share processes {'yes' if shared else 'no'}",
                )
            )
        return result

    def own_answers(self) -> AnswersFile:
        """The user's own answers, without what follows from them: what resuming needs."""
        return self._editable_answers()

    def application_candidates(self, name: str) -> list[str]:
        """The containers ``name`` could be a helper of: all the others, in inventory order."""
        return [n for n in self._names if n != name]

    def _editable_answers(self) -> AnswersFile:
        """The user's own answers, copied so that editing them leaves this state untouched."""
        return AnswersFile(
            pairs={
                p: {q: a for q, a in answers.items() if a.source is Source.ASKED}
                for p, answers in self._asked.items()
            },
            groups={g: dict(answers) for g, answers in self._groups.items()},
            roles=dict(self._roles),
            asked=self.asked_count,
            processes=dict(self._processes),
        )

    def _rebuild(self, answers: AnswersFile) -> None:
        """Start over from ``answers``, keeping this session's history and re-asked pairs."""
        history, reask, recorder = self.history, self._reask, self.recorder
        self.__init__(self.inventory, self.rules, answers, self.exhaustive, reask)  # type: ignore[misc]
        self.history, self.recorder = history, recorder

    # ------------------------------------------------------------------ what is known
    def blocker(self, pair: Pair) -> str | None:
        """The constraint that keeps ``pair`` apart whatever the answers, if any."""
        if pair not in self._blockers:
            first, second = (self.inventory.container(n) for n in pair)
            load = PodLoad.empty(self.inventory.node, self.rules)
            load.add(first)
            self._blockers[pair] = load.conflict(second)
        return self._blockers[pair]

    def triage_split(self, pair: Pair) -> str | None:
        """Why the roles put ``pair`` in different applications, if they do (guided mode)."""
        if self.exhaustive:
            return None
        app_a, app_b = self.application_of(pair.first), self.application_of(pair.second)
        if app_a is None or app_b is None or app_a == app_b:
            return None
        return (
            f"{pair.first} belongs with {app_a} and {pair.second} with {app_b}"
            if {app_a, app_b} != set(pair)
            else f"{pair.first} and {pair.second} are separate applications"
        )

    def inventory_with_roles(self) -> Inventory:
        """The inventory with the roles the user gave in place of its own (a primary
        application, or a helper of another), so the pods are named after their primary and
        the manifests treat helpers as helpers whether the roles came from the file or not."""
        if not self._roles:
            return self.inventory
        containers = []
        for container in self.inventory.containers:
            if container.name in self._roles:
                helps = self._roles[container.name]
                role = Role.PRIMARY if helps is None else Role.SIDECAR
                container = dataclasses.replace(container, role=role, complements=helps)
            containers.append(container)
        return dataclasses.replace(self.inventory, containers=tuple(containers))

    def application_of(self, name: str) -> str | None:
        """The primary application ``name`` belongs with (following helper links), or None."""
        return self._roles_now().app_of[name]

    def _application_of(self, name: str) -> str | None:
        seen = {name}
        while True:
            if name not in self._roles:
                return None
            helps = self._roles[name]
            if helps is None or helps in seen:
                return name
            seen.add(helps)
            name = helps

    def _roles_changed(self) -> None:
        """Forget what was worked out from the roles; it is worked out again when needed."""
        self._roles_view = None
        self._applications = None
        self._tally = None

    def _add_role(self, name: str, helps: str | None) -> None:
        """Record one role; while roles stay incomplete, update the tally for the
        containers whose application it makes known, instead of counting again."""
        tally, old_view = self._tally, self._roles_view
        self._roles[name] = helps
        self._roles_changed()
        new_view = self._roles_now()
        if tally is None or old_view is None or new_view.complete or self.exhaustive:
            return  # counted again when needed (with the roles complete, per application)
        view = _RolesView(dict(old_view.app_of), dict(old_view.app_masks), old_view.known, False)
        self._roles_view = view
        for i, other in enumerate(self._names):
            app = new_view.app_of[other]
            if app == old_view.app_of[other]:
                continue
            assert app is not None and old_view.app_of[other] is None  # roles only get known
            # Every pair of the container, taken back as the roles stood and added as they
            # are now: of its row, only what the roles part it from changes.
            partners = self._facts.all & ~(1 << i)
            row = self._row(i, partners)
            tally.add_row(row, partners, None, -1)
            view.app_of[other] = app
            view.app_masks[app] = view.app_masks.get(app, 0) | 1 << i
            view.known |= 1 << i
            row.parted = self._parted(i)
            tally.add_row(row, partners, None, 1)
        self._roles_view = new_view
        self._tally = tally

    def _roles_now(self) -> _RolesView:
        if self._roles_view is None:
            app_of = {n: self._application_of(n) for n in self._names}
            masks: dict[str, int] = {}
            known = 0
            for i, name in enumerate(self._names):
                app = app_of[name]
                if app is not None:
                    masks[app] = masks.get(app, 0) | 1 << i
                    known |= 1 << i
            complete = all(n in self._roles for n in self._names)
            self._roles_view = _RolesView(app_of, masks, known, complete)
        return self._roles_view

    def _split_row(self, i: int) -> int:
        """The containers the roles put in another application than the ``i``-th."""
        if self.exhaustive:
            return 0
        view = self._roles_now()
        app = view.app_of[self._names[i]]
        return 0 if app is None else view.known & ~view.app_masks[app]

    def _computed_answer(self, pair: Pair) -> Answer | None:
        if pair not in self._computed:
            first, second = (self.inventory.container(n) for n in pair)
            fits = pair_fits_node(first, second, self.inventory.node)
            self._computed[pair] = (
                None if fits is None else Answer(fits[0], Source.COMPUTED, fits[1])
            )
        return self._computed[pair]

    def _linked(self, pair: Pair) -> Answer | None:
        """``same_host`` from the source file: a shared namespace or volumes tie them."""
        links = self.inventory.links_between(*pair)
        return Answer(True, Source.COMPUTED, links[0].reason) if links else None

    def _derived(self, pair: Pair, question_id: str) -> Answer | None:
        """What groups, inference and facts say about one question for ``pair``."""
        if question_id == SAME_HOST and self.inventory.links:
            linked = self._linked(pair)
            if linked is not None:
                return linked
        from_group = self._group_yes.get((question_id, pair))
        if from_group is not None:
            return Answer(True, Source.INFERRED, from_group)
        classes = self._classes.get(question_id)
        if classes is not None and not self.exhaustive:
            known = classes.known(pair.first, pair.second)
            if known is not None:
                return Answer(known, Source.INFERRED, self._chain_text(classes, pair, question_id))
        if question_id == FITS_NODE:
            return self._computed_answer(pair)
        return None

    def _chain_text(self, classes: EquivalenceAnswers, pair: Pair, question_id: str) -> str:
        links = classes.chain(pair.first, pair.second)
        if len(links) == 1 and links[0][2]:
            return self._source_of_yes.get((question_id, pair), "asked")
        parts = [f"{a}~{b} {'yes' if yes else 'no'}" for a, b, yes in links]
        return f"from {', '.join(parts)}"

    def answer_for(self, pair: Pair, question_id: str) -> Answer | None:
        """The answer that counts for one question about ``pair``: the user's own first."""
        asked = self._asked.get(pair, {}).get(question_id)
        return asked if asked is not None else self._derived(pair, question_id)

    def answers_for(self, pair: Pair) -> dict[str, Answer]:
        """Every known answer about ``pair``, in asking order."""
        result = {}
        for question_id in self._questions:
            answer = self.answer_for(pair, question_id)
            if answer is not None:
                result[question_id] = answer
        return result

    def verdict(self, pair: Pair) -> Verdict:
        """Together, apart, or still open, by the policy: all yes together, any no apart."""
        state = self._state(pair)
        if state < 0:
            return Verdict.APART
        return Verdict.OPEN if state else Verdict.TOGETHER

    def _known(self, pair: Pair, question_id: str) -> Known | None:
        """``answer_for`` without the reason: the value and its source, cheaply."""
        own = self._asked.get(pair)
        if own is not None:
            answer = own.get(question_id)
            if answer is not None:
                return answer.value, Source.ASKED
        return self._derived_known(pair, question_id)

    def _derived_known(self, pair: Pair, question_id: str) -> Known | None:
        """``_derived`` without the reason: what the rest says, without the user's own answer."""
        if question_id == SAME_HOST and pair in self._linked_pairs:
            return True, Source.COMPUTED
        if self._group_yes and (question_id, pair) in self._group_yes:
            return True, Source.INFERRED
        classes = self._classes.get(question_id)
        if classes is not None and not self.exhaustive:
            known = classes.known(pair.first, pair.second)
            if known is not None:
                return known, Source.INFERRED
        if question_id == FITS_NODE:
            i, j = self._order[pair.first], self._order[pair.second]
            if self._facts.fits_known[i] >> j & 1:
                return not self._facts.fits_no[i] >> j & 1, Source.COMPUTED
        return None

    def _state(self, pair: Pair) -> int:
        """-1 when ``pair`` is apart, else how many of its questions are unknown (0: together)."""
        i, j = self._order[pair.first], self._order[pair.second]
        if self._facts.blocked[i] >> j & 1 or self._split_row(i) >> j & 1:
            return -1
        own = self._asked.get(pair)
        if own is not None and any(not answer.value for answer in own.values()):
            return -1  # the user's own answers come first: one no parts them
        unknown = 0
        for question_id in self._questions:
            known = self._known(pair, question_id)
            if known is None:
                unknown += 1
            elif not known[0]:
                return -1
        return unknown

    def _before(self, pair: Pair) -> None:
        """Remember ``pair``'s contribution before the answer being recorded changes it."""
        if self._tally is not None and pair not in self._pending:
            self._pending[pair] = self._contribution(self._tally, pair)

    def _settle(self) -> None:
        """Replace, in the tally, each changed pair's old contribution by its new one."""
        tally = self._tally
        if tally is not None:
            for pair, old in self._pending.items():
                tally.apply(old, -1)
                tally.apply(self._contribution(tally, pair))
        self._pending = {}

    def _one_unit(self) -> bool:
        """Whether every pair may be asked (exhaustive, or roles not all known yet)."""
        return self.exhaustive or not self._roles_complete()

    def _contribution(self, tally: Tally, pair: Pair) -> Contribution:
        """What ``pair`` adds to the tally, from its answers one by one."""
        answers = [self._known(pair, question_id) for question_id in self._questions]
        i, j = self._order[pair.first], self._order[pair.second]
        return self._pair_contribution(tally, pair, i, j, answers)

    def _pair_contribution(
        self, tally: Tally, pair: Pair, i: int, j: int, answers: list[Known | None]
    ) -> Contribution:
        """What ``pair`` (the ``i``-th and ``j``-th container) adds to the tally, given its
        answers in question order."""
        facts = self._facts
        parted = bool(facts.blocked[i] >> j & 1 or self._split_row(i) >> j & 1)
        fits_known = bool(facts.fits_known[i] >> j & 1)
        app = None if tally.one_unit else self._shared_application(pair)
        return tally.count_pair(answers, app, parted, fits_known, pair in self._asked)

    def _shared_application(self, pair: Pair) -> str | None:
        app = self.application_of(pair.first)
        return app if app == self.application_of(pair.second) else None

    def _row(
        self,
        i: int,
        partners: int,
        cache: dict[tuple[int, str], tuple[int, int]] | None = None,
        direct: int | None = None,
    ) -> RowMasks:
        """Row ``i`` for its pairs with ``partners``, as the roles stand (see ``AnswerRows``)."""
        app_members = 0
        if not self._one_unit():
            view = self._roles_now()
            app = view.app_of[self._names[i]]
            assert app is not None  # the roles are complete
            app_members = view.app_masks[app]
        return self._rows.row(i, partners, self._parted(i), app_members, cache, direct)

    def _parted(self, i: int) -> int:
        """The containers constraints or the roles keep apart from the ``i``-th."""
        return self._facts.blocked[i] | self._split_row(i)

    def _tally_now(self) -> Tally:
        """The tally for the roles as they stand (built when they change)."""
        if self._tally is None:
            tally = Tally(self._one_unit(), self._fits_at)
            view = None if tally.one_unit else self._roles_now()
            cache: dict[tuple[int, str], tuple[int, int]] = {}
            direct = self._rows.direct_partners()
            for i, name in enumerate(self._names):
                if view is None:
                    app, partners = None, self._facts.after(i)
                else:
                    app = view.app_of[name]
                    assert app is not None  # the roles are complete
                    # Pairs across applications are parted: unless answered directly (and
                    # so counted by source), they add nothing.
                    partners = (view.app_masks[app] | direct[i]) >> (i + 1) << (i + 1)
                    if not direct[i] & partners:
                        # A few pairs inside one application (the rest are parted), none
                        # answered directly: faster one by one than through the masks.
                        for j in bits(partners):
                            pair = Pair.of(name, self._names[j])
                            tally.apply(self._contribution(tally, pair))
                        continue
                tally.add_row(self._row(i, partners, cache, direct[i]), partners, app)
            self._tally = tally
        return self._tally

    def reason_apart(self, pair: Pair) -> str:
        """Why ``pair`` does not share a pod: a constraint, the triage, a no, or no answer."""
        reason = self.blocker(pair) or self.triage_split(pair)
        if reason is not None:
            return reason
        for question_id in self._questions:
            answer = self.answer_for(pair, question_id)
            if answer is not None and not answer.value:
                how = "" if answer.source is Source.ASKED else f" ({answer.reason})"
                return f"answered no to {question_id}{how}"
        return "not answered, so kept apart by the rule of thumb"

    # ------------------------------------------------------------------ what to ask next
    def _open_in_rows(self, row: int = 0) -> Iterator[tuple[int, int]]:
        """Open pairs by position, in all-pairs order from row ``row`` on: read from each
        row's bit masks (see ``tally``), not pair by pair."""
        for i in range(row, len(self._names)):
            after = self._facts.after(i)
            for j in bits(self._row(i, after).opened(after)):
                yield i, j

    def _roles_complete(self) -> bool:
        return self._roles_now().complete

    def applications(self) -> list[list[str]]:
        """Each primary application with its helpers, in inventory order (guided mode)."""
        if self._applications is None:
            groups: dict[str, list[str]] = {}
            for name in self._names:
                groups.setdefault(self.application_of(name) or name, []).append(name)
            self._applications = [g for g in groups.values()]
        return [list(g) for g in self._applications]

    def next_step(self) -> Step | None:
        """The next thing to ask, or None when every pair is decided."""
        for pair in self._reask:
            step = self._reask_step(pair)
            if step is not None:
                return step
        if not self.exhaustive and not self._roles_complete():
            # Roles only matter while some pair is open: a complete answers file asks nothing.
            if self._first_open_pair() is None:
                return None
            return self._next_role_step()
        if self.exhaustive:
            found = self._first_open_pair()
            if found is None:
                return None
            return QuestionStep(
                found, self.rules.question(self._next_question_for(Pair.of(*found)))
            )
        # One application at a time: its group questions, then (after a no) its pairs, so a
        # no is followed by the questions it opens, not by every other application first.
        # The cursor skips the applications already settled: a decided pair stays decided
        # until an answer is taken back (which resets it), and a group question is only
        # asked while one of its pairs is open.
        applications = self.applications()
        for index in range(self._app_cursor, len(applications)):
            members = applications[index]
            step = self._next_group_step(members)
            if step is not None:
                self._app_cursor = index
                return step
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    pair = Pair.of(a, b)
                    if self._state(pair) > 0:
                        self._app_cursor = index
                        return QuestionStep(
                            (a, b), self.rules.question(self._next_question_for(pair))
                        )
        self._app_cursor = len(applications)
        return None

    def _reask_step(self, pair: Pair) -> QuestionStep | None:
        """The next question of a pair the user wants to answer again: inference aside,
        facts still answer (requests, compose links), and the first no ends the pair."""
        if self.blocker(pair) is not None:
            return None
        asked = self._asked.get(pair, {})
        if any(not answer.value for answer in asked.values()):
            return None
        for question_id in self._question_order():
            if question_id in asked:
                continue
            fact = (
                self._computed_answer(pair)
                if question_id == FITS_NODE
                else (self._linked(pair) if question_id == SAME_HOST else None)
            )
            if fact is None:
                a, b = sorted(pair, key=self._order.__getitem__)
                return QuestionStep((a, b), self.rules.question(question_id))
        return None

    def _first_open_pair(self) -> tuple[str, str] | None:
        for i, j in self._open_in_rows(self._cursor):
            self._cursor = i
            return self._names[i], self._names[j]
        self._cursor = len(self._names)
        return None

    def _next_role_step(self) -> Step:
        inventory_roles = self._inventory_roles()
        if inventory_roles is not None and not self._roles_confirmed:
            return RolesStep(tuple((n, inventory_roles[n]) for n in self._names))
        name = next(n for n in self._names if n not in self._roles)
        container = self.inventory.container(name)
        proposed = container.complements if container.role is Role.SIDECAR else None
        has_proposal = container.role is not None
        return RoleStep(name, tuple(n for n in self._names if n != name), proposed, has_proposal)

    def _next_group_step(self, members: list[str]) -> QuestionStep | None:
        """A question about a whole application with its helpers, when one would help.

        Only while the group is intact: once any of its pairs is known to be apart, the
        pairs are asked one by one.
        """
        if len(members) < 3:
            return None  # a pair's own questions are just as short
        group = tuple(sorted(members))
        pairs = [Pair.of(a, b) for i, a in enumerate(members) for b in members[i + 1 :]]
        if any(self._state(p) < 0 for p in pairs):
            return None
        asked = self._groups.get(group, {})
        if any(not answer.value for answer in asked.values()):
            return None  # some member does not belong: find out helper by helper
        for question_id in self._question_order():
            if question_id in asked:
                continue
            if any(self._known(p, question_id) is None for p in pairs):
                return QuestionStep(tuple(members), self.rules.question(question_id))
        return None

    def _next_question_for(self, pair: Pair) -> str:
        return next(q for q in self._question_order() if self._known(pair, q) is None)

    def _question_order(self) -> list[str]:
        """Transitive questions first, the one answered no most often so far leading.

        A no settles a pair at once, and a no on a transitive question also settles every
        pair across the two classes, so the question most likely to say no goes first; ties
        keep the order of rules/questions.yaml.
        """
        position = {q: i for i, q in enumerate(self._questions)}
        return sorted(
            self._questions,
            key=lambda q: (q not in self._transitive, -self._no_counts[q], position[q]),
        )

    # ------------------------------------------------------------------ progress and results
    def progress(self) -> Progress:
        """Prompts answered, and at most how many more (a bound that shrinks with inference).

        The bound counts every still unknown question of every pair that may still be asked,
        plus one group question per question for each application of three or more. It is
        kept up to date answer by answer (see ``tally``), not counted pair by pair.
        """
        guided = not self.exhaustive
        roles_complete = self._roles_complete()
        tally = self._tally_now()
        left = tally.unknown_total
        if guided and not roles_complete:
            missing = sum(1 for n in self._names if n not in self._roles)
            confirm = self._inventory_roles() is not None and not self._roles_confirmed
            left += missing + (1 if confirm else 0)
        units = self.applications() if guided and roles_complete else [self._names]
        if guided:
            view = self._roles_now() if roles_complete else None
            for members in units:
                if len(members) < 3:
                    continue
                if view is None:
                    opened = tally.open_total
                else:
                    opened = tally.open_by_app.get(view.app_of[members[0]] or members[0], 0)
                if opened:
                    left += len(self._questions)
        step = self.next_step()
        current_members = set(step.members) if isinstance(step, QuestionStep) else set()
        position = 0
        count = 0
        if guided and len(units) > 1:
            unit = "application"
            for members in units:
                if len(members) > 1:
                    count += 1
                    if current_members and current_members <= set(members):
                        position = count
        else:  # one unit: count pairs instead
            unit = "pair"
            count = self._facts.unblocked_count()
            if isinstance(step, QuestionStep) and len(step.members) == 2:
                i, j = sorted(self._order[n] for n in step.members)
                position = self._facts.unblocked_rank(i, j)
        if guided and not roles_complete:
            unit, position, count = "role", len(self._roles) + 1, len(self._names)
        return Progress(
            answered=self.asked_count,
            at_most_left=left,
            unit=unit,
            number=position or count,
            count=count,
        )

    def _sheet_pairs(self) -> list[Pair]:
        """The pairs answered directly or by inference, plus every pair inside an application."""
        pairs = set(self._asked) | self._direct
        if not self.exhaustive:
            if self._roles_complete():
                for members in self.applications():
                    pairs.update(
                        Pair.of(a, b) for i, a in enumerate(members) for b in members[i + 1 :]
                    )
            for question_id in self._transitive:
                classes = self._classes[question_id]
                for name in self._names:
                    yes, no = classes.masks(name)
                    for other in bits(yes | no):
                        if self._order[name] < other:
                            pairs.add(Pair.of(name, self._names[other]))
        return sorted(pairs)

    @property
    def sheet(self) -> AnswerSheet:
        """Every known answer for the pairs answered directly or by inference, and for
        every pair that shares an application (pairs whose only answer is a computed
        ``fits_node`` are left out; ``source_counts`` counts them)."""
        return {
            pair: answers for pair in self._sheet_pairs() if (answers := self.answers_for(pair))
        }

    def source_counts(self) -> dict[Source, int]:
        """How many answers came from each source, over every pair that may be asked (all
        pairs, or once the roles are known the pairs inside an application) and the pairs
        asked about. Counted with the tally, not pair by pair."""
        return dict(self._tally_now().sources)

    def answers_file(self) -> AnswersFile:
        """What to save: the user's own answers, plus inferred and computed ones for the record."""
        pairs: AnswerSheet = {}
        for pair, answers in self.sheet.items():
            if (
                pair in self._asked
                or self.verdict(pair) is not Verdict.APART
                or any(a.source is Source.INFERRED for a in answers.values())
            ):
                pairs[pair] = answers
        return AnswersFile(
            pairs=pairs,
            groups=dict(self._groups),
            roles=dict(self._roles),
            asked=self.asked_count,
            processes=dict(self._processes),
        )

    def together_pairs(self) -> list[Pair]:
        """Pairs whose answers say: same pod."""
        # A no of the user's own parts a pair whatever else is known (most asked pairs).
        candidates = {p for p, own in self._asked.items() if all(a.value for a in own.values())}
        if not self.exhaustive and self._transitive:
            # A together pair shares a class of every transitive question, so the classes of
            # one of them hold every candidate that was not asked directly.
            classes = self._classes[self._transitive[0]]
            seen: set[str] = set()
            for name in self._names:
                if name in seen:
                    continue
                members = sorted(classes.members(name), key=self._order.__getitem__)
                seen.update(members)
                candidates.update(
                    Pair.of(a, b) for i, a in enumerate(members) for b in members[i + 1 :]
                )
        candidates.update(pair for _, pair in self._group_yes)
        return sorted(p for p in candidates if self._state(p) == 0)

    def open_pairs(self, limit: int | None = None) -> list[Pair]:
        """Pairs not decided yet (kept apart by the rule of thumb), in asking order: all
        pairs in inventory order, or application by application once the roles are known.
        At most ``limit`` of them; ``open_pair_count`` says how many there are."""
        found: list[Pair] = []
        if limit == 0:
            return found
        if not self.exhaustive and self._roles_complete():
            for members in self.applications():
                for i, a in enumerate(members):
                    for b in members[i + 1 :]:
                        if self._state(Pair.of(a, b)) > 0:
                            found.append(Pair.of(a, b))
                            if len(found) == limit:
                                return found
            return found
        for i, j in self._open_in_rows():
            found.append(Pair.of(self._names[i], self._names[j]))
            if len(found) == limit:
                break
        return found

    def open_pair_count(self) -> int:
        """How many pairs are not decided yet, without visiting the untouched ones."""
        return self._tally_now().open_total


def list_names(names: Iterable[str]) -> str:
    """``web, proxy and agent``: names as a sentence lists them."""
    listed = list(names)
    return ", ".join(listed[:-1]) + f" and {listed[-1]}" if len(listed) > 1 else listed[0]
