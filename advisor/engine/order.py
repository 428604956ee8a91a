"""Which question comes next: two strategies, guided and exhaustive.

Guided (the default) asks as little as it can: first what each container is (the roles),
then one application at a time, its questions asked of the whole group and, after a no,
of its pairs one by one. Exhaustive asks the five questions of every pair in inventory
order, stopping at a pair's first no.

Only ``advance`` (called once an answer is recorded) moves a strategy's cursors and works
out the next step; ``current``, ``open_pairs`` and ``progress`` only read.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from advisor.domain.kinds import evident_kind
from advisor.domain.model import Pair, Role
from advisor.domain.names import MAX_GROUP
from advisor.engine.known import Knowledge
from advisor.engine.roles import Roles
from advisor.engine.steps import (
    FITS_NODE,
    SAME_HOST,
    UNIFIED_WHOLE,
    Progress,
    QuestionStep,
    RolesStep,
    RoleStep,
    Step,
)
from advisor.engine.tally import Tally
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

    def progress(self, step: Step | None, answered: int, reask: Sequence[Pair] = ()) -> Progress:
        """Prompts answered, and at most how many more (see ``Questionnaire.progress``):
        ``left`` for the questions of the pairs the order asks, and for each pair asked
        again (``reask``) its own questions in place of those."""
        progress = self._progress(step, answered)
        left = progress.at_most_left
        for pair in reask:
            questions = self.reask_questions(pair)
            if questions:  # asked now, and decided once asked: not asked by the order too
                left += len(questions) - self._counted(pair)
        # The question on screen is one of them; with none, the session asks nothing more.
        left = max(left, 1) if step is not None else 0
        return dataclasses.replace(progress, at_most_left=left)

    def _progress(self, step: Step | None, answered: int) -> Progress:
        raise NotImplementedError

    def processes_bound(self) -> int:
        """At most how many pods of two or more containers the answers can still make (one
        processes question each, asked after the pairs): disjoint pods of two or more."""
        return len(self.known.names) // 2

    def _counted(self, pair: Pair) -> int:
        """How many of ``pair``'s questions ``_progress`` counts: its unknown ones, if open."""
        return max(self.known.state(pair), 0)

    def reask_questions(self, pair: Pair) -> list[str]:
        """The questions still to ask of a pair the user wants to answer again (--ask), in
        order: inference aside, each the user answered for the pair or for a group it is
        in, and those nobody answered. The facts still answer (requests, compose links),
        so do the roles (``unified_whole`` of two containers of one application), and the
        first no ends the pair."""
        known = self.known
        if known.blocker(pair) is not None or self._split_by_roles(pair):
            return []  # whatever the answers, apart: asking changes nothing
        asked = known.asked.get(pair, {})
        if any(not answer.value for answer in asked.values()):
            return []
        left = []
        for question_id in self.question_order():
            if question_id in asked:
                continue
            if question_id == FITS_NODE and known.computed(pair) is not None:
                continue
            if question_id == SAME_HOST and pair in known.linked_pairs:
                continue
            if question_id == UNIFIED_WHOLE and self._roles_answer(pair):
                continue
            left.append(question_id)
        return left

    def reask_step(self, pair: Pair) -> QuestionStep | None:
        """The next question of a pair the user wants to answer again (see
        ``reask_questions``)."""
        questions = self.reask_questions(pair)
        if not questions:
            return None
        a, b = sorted(pair, key=self.known.order.__getitem__)
        return QuestionStep((a, b), self.known.rules.question(questions[0]))

    def _roles_answer(self, pair: Pair) -> bool:
        """Whether the roles answer ``unified_whole`` for ``pair`` (one application)."""
        return False

    def _split_by_roles(self, pair: Pair) -> bool:
        """Whether the roles put ``pair`` in two applications (apart, whatever the answers)."""
        return False

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

    def _progress(self, step: Step | None, answered: int) -> Progress:
        # Each open pair's unknown questions, until its first no: nothing else is asked.
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

    def _roles_answer(self, pair: Pair) -> bool:
        return self.roles.complete and self.roles.shared_application(pair) is not None

    def _split_by_roles(self, pair: Pair) -> bool:
        return self.roles.complete and self.roles.triage_split(pair) is not None

    def processes_bound(self) -> int:
        if not self.roles.complete:
            return super().processes_bound()
        # A pod holds one application at most (the roles part the others).
        return sum(len(members) // 2 for members in self.roles.applications())

    def _counted(self, pair: Pair) -> int:
        counted = super()._counted(pair)
        if counted and self._roles_will_answer():
            counted -= self.known.known(pair, UNIFIED_WHOLE) is None
        return counted

    def _roles_will_answer(self) -> bool:
        """Whether the bound leaves out unified_whole: the roles, still to come, answer it
        (unless a pair's no of the user's to it stops a helper's link)."""
        position = self.known.position.get(UNIFIED_WHOLE)
        if self.roles.complete or position is None:
            return False
        return not self.known.rows.any_no(position)

    def _progress(self, step: Step | None, answered: int) -> Progress:
        """The bound: every unknown question of every pair that may still be asked, each
        asked at most once (a pair's, or its group's: a group yes answers at least one
        unknown), plus one group no per application that may still be asked about as a
        group. Before the roles are known: the roles' questions, and unified_whole is not
        asked (the roles answer it for the pairs inside an application, and part the rest).
        While the proposed roles are on screen: what follows if they are kept."""
        roles, names = self.roles, self.known.names
        tally = self.keeper.tally()
        left = tally.unknown_total
        if not roles.complete:
            if isinstance(step, RolesStep) and not step.undecided:
                # The roles on screen, if kept: the confirmation, then what they leave.
                left = self._bound_if_kept(step) + 1
                return Progress(answered, left, "role", 1, 1, if_roles_kept=True)
            if self._roles_will_answer():
                left -= tally.unknown_watched
            if tally.open_total:  # (the roles are asked while some pair is open)
                missing = sum(1 for n in names if n not in roles.given)
                left += missing + (0 if roles.confirmed else 1)
                # One group no per application of three or more.
                left += min(tally.open_total, len(names) // 3)
            return Progress(answered, left, "role", len(roles.given) + 1, len(names))
        units = roles.applications()
        left += self._group_nos(units, tally)
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

    def _group_nos(self, units: list[list[str]], tally: Tally) -> int:
        """One group no per application of three or more still open whose group questions
        were all answered yes so far: after it, its pairs are asked one by one."""
        known, view = self.known, self.roles.view()
        nos = 0
        for members in units:
            if not 3 <= len(members) <= MAX_GROUP:
                continue
            if not tally.open_by_app.get(view.app_of[members[0]] or members[0], 0):
                continue
            said = known.groups.get(tuple(sorted(members)), {})
            if all(answer.value for answer in said.values()):
                nos += 1
        return nos

    def _bound_if_kept(self, step: RolesStep) -> int:
        """At most how many questions follow if the roles on screen are kept: counted as
        for complete roles, on a tally of its own (the session's is left as it is)."""
        supposed = dict(step.roles)
        with self.roles.supposing(supposed):
            tally = TallyKeeper(self.known, self.roles).tally()
            left = tally.unknown_total + self._group_nos(self.roles.applications(), tally)
        return left

    def _role_step(self) -> Step:
        roles, names = self.roles, self.known.names
        if not roles.confirmed:
            proposal = roles.proposal()
            return RolesStep(
                tuple((n, proposal[n]) for n in names if n in proposal),
                tuple(roles.evidence(n) for n in names if n in proposal),
                tuple(n for n in names if n not in proposal),
                tuple(roles.kinds_kept().items()),
            )
        name = next(n for n in names if n not in roles.given)
        container = roles.inventory.container(name)
        proposed = container.complements if container.role is Role.SIDECAR else None
        has_proposal = container.role is not None
        others = tuple(n for n in names if n != name)
        return RoleStep(name, others, proposed, has_proposal, evident_kind(container))

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
