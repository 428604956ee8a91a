"""Which question comes next: two strategies, guided and exhaustive.

Guided (the default) asks as little as it can: first what each container is (the roles),
then one application at a time, its questions asked of the whole group and, after a no,
of its pairs one by one. Exhaustive asks the five questions of every pair in inventory
order, stopping at a pair's first no.

Only ``advance`` (called once an answer is recorded) moves a strategy's cursors and works
out the next step; ``current``, ``open_pairs`` and ``progress`` only read.
"""

from __future__ import annotations

from advisor.domain.model import Pair, Role
from advisor.domain.names import MAX_GROUP
from advisor.engine.known import Knowledge
from advisor.engine.roles import Roles
from advisor.engine.steps import (
    FITS_NODE,
    SAME_HOST,
    Progress,
    QuestionStep,
    RolesStep,
    RoleStep,
    Step,
)
from advisor.engine.upkeep import TallyKeeper


class QuestionOrder:
    """What the two strategies share: the order of a pair's questions, and re-asked pairs."""

    def __init__(self, known: Knowledge, keeper: TallyKeeper) -> None:
        self.known = known
        self.keeper = keeper
        self.current: Step | None = None  # the next step, as of the last ``advance``
        self._row = 0  # all-pairs row before which every pair is decided

    def advance(self) -> None:
        """Work out the next step after an answer: the cursors skip what is decided (a
        decided pair stays decided until an answer is taken back, see ``restart``)."""
        raise NotImplementedError

    def restart(self) -> None:
        """An answer was taken back: a pair may be open again, so look from the start."""
        self._row = 0
        self.advance()

    def open_pairs(self, limit: int | None) -> list[Pair]:
        """Pairs not decided yet, in asking order; at most ``limit`` of them."""
        found: list[Pair] = []
        if limit == 0:
            return found
        names = self.known.names
        for i, j in self.keeper.open_in_rows():
            found.append(Pair.of(names[i], names[j]))
            if len(found) == limit:
                break
        return found

    def progress(self, step: Step | None, answered: int) -> Progress:
        """Prompts answered, and at most how many more (see ``Questionnaire.progress``)."""
        raise NotImplementedError

    def reask_step(self, pair: Pair) -> QuestionStep | None:
        """The next question of a pair the user wants to answer again: inference aside,
        facts still answer (requests, compose links), and the first no ends the pair."""
        known = self.known
        if known.blocker(pair) is not None:
            return None
        asked = known.asked.get(pair, {})
        if any(not answer.value for answer in asked.values()):
            return None
        for question_id in self.question_order():
            if question_id in asked:
                continue
            fact = (
                known.computed(pair)
                if question_id == FITS_NODE
                else (known.linked(pair) if question_id == SAME_HOST else None)
            )
            if fact is None:
                a, b = sorted(pair, key=known.order.__getitem__)
                return QuestionStep((a, b), known.rules.question(question_id))
        return None

    def question_order(self) -> list[str]:
        """Transitive questions first, the one answered no most often so far leading.

        A no settles a pair at once, and a no on a transitive question also settles every
        pair across the two classes, so the question most likely to say no goes first; ties
        keep the order of rules/questions.yaml.
        """
        known = self.known
        position = known.position
        return sorted(
            known.questions,
            key=lambda q: (q not in known.transitive, -known.no_counts[q], position[q]),
        )

    def _pair_step(self, a: str, b: str) -> QuestionStep:
        """The first unknown question about ``a`` and ``b``, in question order."""
        pair = Pair.of(a, b)
        question_id = next(q for q in self.question_order() if self.known.known(pair, q) is None)
        return QuestionStep((a, b), self.known.rules.question(question_id))

    def _first_open_pair(self) -> tuple[str, str] | None:
        """The first open pair in all-pairs order, moving the row cursor up to it."""
        names = self.known.names
        for i, j in self.keeper.open_in_rows(self._row):
            self._row = i
            return names[i], names[j]
        self._row = len(names)
        return None

    def _pair_progress(self, step: Step | None, answered: int, left: int) -> Progress:
        """Progress counted in pairs: which unblocked pair ``step`` asks about."""
        facts = self.known.facts
        count = facts.unblocked_count()
        position = 0
        if isinstance(step, QuestionStep) and len(step.members) == 2:
            i, j = sorted(self.known.order[n] for n in step.members)
            position = facts.unblocked_rank(i, j)
        return Progress(answered, left, "pair", position or count, count)


class ExhaustiveOrder(QuestionOrder):
    """Every pair in inventory order, its questions until the first no."""

    def advance(self) -> None:
        found = self._first_open_pair()
        self.current = None if found is None else self._pair_step(*found)

    def progress(self, step: Step | None, answered: int) -> Progress:
        return self._pair_progress(step, answered, self.keeper.tally().unknown_total)


class GuidedOrder(QuestionOrder):
    """The roles first, then one application at a time: its group questions, then (after a
    no) its pairs, so a no is followed by the questions it opens."""

    def __init__(self, known: Knowledge, keeper: TallyKeeper, roles: Roles) -> None:
        super().__init__(known, keeper)
        self.roles = roles
        self._app = 0  # applications before it have no open pair

    def restart(self) -> None:
        self._app = 0
        super().restart()

    def advance(self) -> None:
        if not self.roles.complete:
            # Roles only matter while some pair is open: a complete answers file asks nothing.
            found = self._first_open_pair()
            self.current = None if found is None else self._role_step()
            return
        # The cursor skips the applications already settled: a group question is only
        # asked while one of its pairs is open.
        applications = self.roles.applications()
        for index in range(self._app, len(applications)):
            step = self._application_step(applications[index])
            if step is not None:
                self._app = index
                self.current = step
                return
        self._app = len(applications)
        self.current = None

    def open_pairs(self, limit: int | None) -> list[Pair]:
        if not self.roles.complete:
            return super().open_pairs(limit)
        found: list[Pair] = []
        if limit == 0:
            return found
        for members in self.roles.applications():
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    if self.known.state(Pair.of(a, b)) > 0:
                        found.append(Pair.of(a, b))
                        if len(found) == limit:
                            return found
        return found

    def progress(self, step: Step | None, answered: int) -> Progress:
        roles, names = self.roles, self.known.names
        roles_complete = roles.complete
        tally = self.keeper.tally()
        left = tally.unknown_total
        if not roles_complete:
            missing = sum(1 for n in names if n not in roles.given)
            confirm = roles.from_inventory() is not None and not roles.confirmed
            left += missing + (1 if confirm else 0)
        units = roles.applications() if roles_complete else [names]
        view = roles.view() if roles_complete else None
        for members in units:
            if len(members) < 3:
                continue
            if view is None:
                opened = tally.open_total
            else:
                opened = tally.open_by_app.get(view.app_of[members[0]] or members[0], 0)
            if opened:
                left += len(self.known.questions)  # one group question per question
        if not roles_complete:
            return Progress(answered, left, "role", len(roles.given) + 1, len(names))
        if len(units) <= 1:  # one unit: count pairs instead
            return self._pair_progress(step, answered, left)
        current = set(step.members) if isinstance(step, QuestionStep) else set()
        position = count = 0
        for members in units:
            if len(members) > 1:
                count += 1
                if current and current <= set(members):
                    position = count
        return Progress(answered, left, "application", position or count, count)

    def _role_step(self) -> Step:
        roles, names = self.roles, self.known.names
        inventory_roles = roles.from_inventory()
        if inventory_roles is not None and not roles.confirmed:
            return RolesStep(tuple((n, inventory_roles[n]) for n in names))
        name = next(n for n in names if n not in roles.given)
        container = roles.inventory.container(name)
        proposed = container.complements if container.role is Role.SIDECAR else None
        has_proposal = container.role is not None
        return RoleStep(name, tuple(n for n in names if n != name), proposed, has_proposal)

    def _application_step(self, members: list[str]) -> QuestionStep | None:
        """The next question about one application: of the whole group, then its pairs."""
        step = self._group_step(members)
        if step is not None:
            return step
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if self.known.state(Pair.of(a, b)) > 0:
                    return self._pair_step(a, b)
        return None

    def _group_step(self, members: list[str]) -> QuestionStep | None:
        """A question about a whole application with its helpers, when one would help.

        Only while the group is intact: once any of its pairs is known to be apart, the
        pairs are asked one by one.
        """
        if len(members) < 3 or len(members) > MAX_GROUP:
            return None  # a pair's own questions are as short; an answers file key names no more
        known = self.known
        group = tuple(sorted(members))
        pairs = [Pair.of(a, b) for i, a in enumerate(members) for b in members[i + 1 :]]
        if any(known.state(p) < 0 for p in pairs):
            return None
        asked = known.groups.get(group, {})
        if any(not answer.value for answer in asked.values()):
            return None  # some member does not belong: find out helper by helper
        for question_id in self.question_order():
            if question_id in asked:
                continue
            if any(known.known(p, question_id) is None for p in pairs):
                return QuestionStep(tuple(members), known.rules.question(question_id))
        return None
