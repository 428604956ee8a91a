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

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from advisor.constraints import PodLoad, pair_fits_node
from advisor.inference import EquivalenceAnswers
from advisor.model import Answer, Inventory, Pair, Role, Source
from advisor.rules import Question, Rules
from advisor.sources.answers import AnswersFile, AnswerSheet, Group

FITS_NODE = "fits_node"  # facts answer it: requests against the node's capacity
SAME_HOST = "same_host"  # facts answer it from a compose file's shared namespaces or volumes
UNIFIED_WHOLE = "unified_whole"  # the triage answers it: a helper and what it helps are a whole


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
        self._cursor = 0  # all-pairs position before which every pair is decided
        # Pairs the user asked to answer again (--ask): asked first, pairwise, inference aside.
        self._reask = list(reask)
        self.history: list[Entry] = []
        self._load(answers)

    # ------------------------------------------------------------------ loading answers
    def _load(self, answers: AnswersFile) -> None:
        for link in self.inventory.links:
            # A shared network namespace or shared volumes only work on one host.
            self._link(SAME_HOST, link.a, link.b, link.reason)
        inventory_roles = self._inventory_roles()
        if not self.exhaustive:
            self._roles = dict(answers.roles)
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
            for question_id, answer in pair_answers.items():
                if answer.source is Source.ASKED:
                    self._record_pair(pair, question_id, answer, loading=True)
        counted = (
            len(self._roles)
            + sum(len(a) for a in self._groups.values())
            + sum(len(a) for a in self._asked.values())
        )
        self.asked_count = answers.asked if answers.asked is not None else counted

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
        for _ in classes.add_yes(a, b):
            pass

    def _record_pair(
        self, pair: Pair, question_id: str, answer: Answer, loading: bool = False
    ) -> None:
        known = self._derived(pair, question_id)
        if loading and known is not None and known.value != answer.value:
            # The user's answer stands for this pair; they are told and may change it.
            self.contradictions.append((pair, question_id, known))
        self._asked.setdefault(pair, {})[question_id] = answer
        if not answer.value:
            self._no_counts[question_id] += 1
        classes = self._classes.get(question_id)
        if (
            classes is None
            or self.exhaustive
            or (known is not None and known.value != answer.value)
        ):
            return
        if answer.value:
            self._link(question_id, pair.first, pair.second, "asked")
        else:
            for _ in classes.add_no(pair.first, pair.second):
                pass

    def _record_group(self, group: Group, question_id: str, value: bool) -> None:
        self._groups.setdefault(group, {})[question_id] = Answer(value, Source.ASKED)
        if not value:
            self._no_counts[question_id] += 1
            return
        label = f"asked about {_names(sorted(group, key=self._order.__getitem__))} at once"
        if question_id in self._classes and not self.exhaustive:
            for other in group[1:]:
                self._link(question_id, group[0], other, label)
        else:
            for i, a in enumerate(group):
                for b in group[i + 1 :]:
                    self._group_yes[(question_id, Pair.of(a, b))] = label

    def answer(self, step: QuestionStep, value: bool) -> None:
        """Record the user's answer to a question about a pair or a group."""
        self.asked_count += 1
        if len(step.members) == 2:
            self._record_pair(step.pair, step.question.id, Answer(value, Source.ASKED))
            self.history.append(("pair", tuple(step.pair), step.question.id))
        else:
            self._record_group(tuple(sorted(step.members)), step.question.id, value)
            self.history.append(("group", tuple(sorted(step.members)), step.question.id))

    def answer_role(self, container: str, helps: str | None) -> None:
        """Record what ``container`` is: a primary application (None) or a helper of ``helps``."""
        self.asked_count += 1
        self._roles[container] = helps
        self.history.append(("role", (container,), ""))
        if helps is not None:
            self._link(
                UNIFIED_WHOLE, container, helps, f"{container} was named a helper of {helps}"
            )

    def confirm_roles(self, confirmed: bool) -> None:
        """Accept the inventory's roles (True) or ask each container's role instead."""
        self.asked_count += 1
        self.history.append(("roles", (), ""))
        roles = self._inventory_roles()
        if confirmed and roles is not None:
            self._roles_confirmed = True
            for name, helps in roles.items():
                self._roles[name] = helps
                if helps is not None:
                    self._link(UNIFIED_WHOLE, name, helps, f"{name} helps {helps} (inventory)")
        else:
            self._roles_confirmed = True  # the per-container questions follow

    def resolve_contradiction(self, pair: Pair, question_id: str, keep_mine: bool) -> None:
        """Keep the user's answer against the inference, or drop it and let inference stand."""
        self.contradictions = [c for c in self.contradictions if c[:2] != (pair, question_id)]
        if keep_mine:
            old = self._asked[pair][question_id]
            self._asked[pair][question_id] = Answer(
                old.value, Source.ASKED, "kept against the inference"
            )
        else:
            del self._asked[pair][question_id]
            if not self._asked[pair]:
                del self._asked[pair]
            self._cursor = 0  # the pair may be open again

    # ------------------------------------------------------------------ going back, editing
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
        else:  # the confirmation of the inventory's roles
            answers.roles.clear()
        answers.asked = max(0, self.asked_count - 1)
        self._rebuild(answers)
        return entry

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
        return result

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
        )

    def _rebuild(self, answers: AnswersFile) -> None:
        """Start over from ``answers``, keeping this session's history and re-asked pairs."""
        history, reask = self.history, self._reask
        self.__init__(self.inventory, self.rules, answers, self.exhaustive, reask)  # type: ignore[misc]
        self.history = history

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

    def application_of(self, name: str) -> str | None:
        """The primary application ``name`` belongs with (following helper links), or None."""
        seen = {name}
        while True:
            if name not in self._roles:
                return None
            helps = self._roles[name]
            if helps is None or helps in seen:
                return name
            seen.add(helps)
            name = helps

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
        if self.blocker(pair) is not None or self.triage_split(pair) is not None:
            return Verdict.APART
        unknown = False
        for question_id in self._questions:
            answer = self.answer_for(pair, question_id)
            if answer is None:
                unknown = True
            elif not answer.value:
                return Verdict.APART
        return Verdict.OPEN if unknown else Verdict.TOGETHER

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
    def _pairs_to_consider(self, start: int = 0) -> Iterable[tuple[str, str]]:
        """Pairs questions could still decide, in inventory order (from pair ``start`` on,
        counted in all-pairs order)."""
        if self.exhaustive or not self._roles_complete():
            names = self._names
            first, offset = self._pair_position(start)
            for i in range(first, len(names)):
                a = names[i]
                for b in names[i + 1 + (offset if i == first else 0) :]:
                    yield a, b
            return
        for members in self.applications():
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    yield a, b

    def _pair_position(self, index: int) -> tuple[int, int]:
        """Row and offset of the ``index``-th pair in all-pairs order (a, b after a)."""
        row, count = 0, len(self._names)
        while row < count and index >= count - 1 - row:
            index -= count - 1 - row
            row += 1
        return row, index

    def _roles_complete(self) -> bool:
        return all(n in self._roles for n in self._names)

    def applications(self) -> list[list[str]]:
        """Each primary application with its helpers, in inventory order (guided mode)."""
        groups: dict[str, list[str]] = {}
        for name in self._names:
            groups.setdefault(self.application_of(name) or name, []).append(name)
        return [g for g in groups.values()]

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
        if not self.exhaustive:
            for members in self.applications():
                step = self._next_group_step(members)
                if step is not None:
                    return step
        # Over all pairs, scanning resumes where it stopped: a decided pair stays decided
        # until an answer is taken back (which resets the cursor).
        scanning_all = self.exhaustive or not self._roles_complete()
        start = self._cursor if scanning_all else 0
        for offset, (a, b) in enumerate(self._pairs_to_consider(start)):
            pair = Pair.of(a, b)
            if self.verdict(pair) is Verdict.OPEN:
                if scanning_all:
                    self._cursor = start + offset
                question_id = self._next_question_for(pair)
                return QuestionStep((a, b), self.rules.question(question_id))
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
        for offset, (a, b) in enumerate(self._pairs_to_consider(self._cursor)):
            if self.verdict(Pair.of(a, b)) is Verdict.OPEN:
                self._cursor += offset
                return a, b
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
        if any(self.verdict(p) is Verdict.APART for p in pairs):
            return None
        asked = self._groups.get(group, {})
        if any(not answer.value for answer in asked.values()):
            return None  # some member does not belong: find out helper by helper
        for question_id in self._question_order():
            if question_id in asked:
                continue
            if any(self.answer_for(p, question_id) is None for p in pairs):
                return QuestionStep(tuple(members), self.rules.question(question_id))
        return None

    def _next_question_for(self, pair: Pair) -> str:
        return next(q for q in self._question_order() if self.answer_for(pair, q) is None)

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
        plus one group question per question for each application of three or more.
        """
        left = 0
        guided = not self.exhaustive
        if guided and not self._roles_complete():
            missing = sum(1 for n in self._names if n not in self._roles)
            confirm = self._inventory_roles() is not None and not self._roles_confirmed
            left += missing + (1 if confirm else 0)
        units = self.applications() if guided and self._roles_complete() else [self._names]
        step = self.next_step()
        current_members = set(step.members) if isinstance(step, QuestionStep) else set()
        position = 0
        count = 0
        for members in units:
            pairs = [Pair.of(a, b) for i, a in enumerate(members) for b in members[i + 1 :]]
            open_pairs = [p for p in pairs if self.verdict(p) is Verdict.OPEN]
            if guided and len(members) >= 3 and open_pairs:
                left += len(self._questions)
            for pair in open_pairs:
                left += sum(1 for q in self._questions if self.answer_for(pair, q) is None)
            if guided and len(units) > 1:
                if len(members) > 1:
                    count += 1
                    if current_members and current_members <= set(members):
                        position = count
            else:  # one unit: count pairs instead
                for pair in pairs:
                    if self.blocker(pair) is None:
                        count += 1
                        if current_members == set(pair):
                            position = count
        unit = "application" if guided and len(units) > 1 else "pair"
        if guided and not self._roles_complete():
            unit, position, count = "role", len(self._roles) + 1, len(self._names)
        return Progress(
            answered=self.asked_count,
            at_most_left=left,
            unit=unit,
            number=position or count,
            count=count,
        )

    @property
    def sheet(self) -> AnswerSheet:
        """Every known answer for the pairs that share an application (or were asked)."""
        pairs = set(self._asked)
        if not self.exhaustive and self._roles_complete():
            for members in self.applications():
                pairs.update(Pair.of(a, b) for i, a in enumerate(members) for b in members[i + 1 :])
        for pair in list(self._computed):
            if self._computed[pair] is not None and pair not in pairs:
                pairs.add(pair)
        return {pair: answers for pair in sorted(pairs) if (answers := self.answers_for(pair))}

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
            pairs=pairs, groups=dict(self._groups), roles=dict(self._roles), asked=self.asked_count
        )

    def together_pairs(self) -> list[Pair]:
        """Pairs whose answers say: same pod."""
        candidates: set[Pair] = set(self._asked)
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
        return sorted(p for p in candidates if self.verdict(p) is Verdict.TOGETHER)

    def open_pairs(self) -> list[Pair]:
        """Pairs not decided yet (kept apart by the rule of thumb), in inventory order."""
        return [
            Pair.of(a, b)
            for a, b in self._pairs_to_consider()
            if self.verdict(Pair.of(a, b)) is Verdict.OPEN
        ]


def _names(names: Iterable[str]) -> str:
    listed = list(names)
    return ", ".join(listed[:-1]) + f" and {listed[-1]}" if len(listed) > 1 else listed[0]
