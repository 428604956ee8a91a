"""The questionnaire as a pure state machine: which question comes next, and what is known.

No terminal code lives here: the terminal, an answers file and a test script are three ways
of answering the same ``next_step()``.

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

``Questionnaire`` is the facade: it holds one ``State`` (the answers and what follows, see
``state``) and this session's history. Going back or changing an answer builds a fresh
state from the edited answers and swaps it in.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from advisor.domain.answers import AnswersFile, AnswerSheet
from advisor.domain.kinds import evident_kind
from advisor.domain.model import Answer, Inventory, Pair, Source, Workload
from advisor.domain.rules import Rules
from advisor.engine import edits, results
from advisor.engine.known import KEPT, KEPT_AGAINST_GROUP
from advisor.engine.state import State
from advisor.engine.steps import (
    FITS_NODE,
    SAME_HOST,
    UNIFIED_WHOLE,
    Entry,
    Progress,
    QuestionStep,
    RolesStep,
    RoleStep,
    Step,
    UserAnswer,
    Verdict,
    list_names,
)
from advisor.engine.together import Together, together

__all__ = [
    "FITS_NODE",
    "SAME_HOST",
    "UNIFIED_WHOLE",
    "Entry",
    "Progress",
    "QuestionStep",
    "Questionnaire",
    "RoleStep",
    "RolesStep",
    "Step",
    "UserAnswer",
    "Verdict",
    "list_names",
]


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
        # Pairs the user asked to answer again (--ask): asked first, pairwise, inference aside.
        self._reask = list(reask)
        # Whether the session asks the processes questions after the pairs (one per pod of
        # two or more containers, see ``pods_to_ask_about_processes``): the bound counts them.
        self.asks_processes = False
        self.history: list[Entry] = []  # this session's answers, to go back through
        # What each of them changed in the user's answers (see ``edits``), to take it back.
        self._changes: list[list[edits.Change]] = []
        self.narrowed: list[str] = []  # group answers the last answer narrowed, as text
        self._state = State.load(inventory, rules, answers, exhaustive)
        # Those with a question to ask, which the progress counts (see ``progress``).
        self._reask_counted = self.reask_left()

    @property
    def contradictions(self) -> list[tuple[Pair, str, Answer]]:
        """Answers of the file that the rest contradicts, not resolved yet."""
        return self._state.known.contradictions

    @property
    def asked_count(self) -> int:
        """How many prompts the user answered (every session)."""
        return self._state.asked_count

    # ------------------------------------------------------------------ answering
    def answer(self, step: QuestionStep, value: bool) -> None:
        """Record the user's answer to a question about a pair or a group. A pair's answer
        that contradicts the user's answer for a group it is in narrows that one (see
        ``results.narrowed``); ``narrowed`` says how, for the session to show."""
        before = self._state.editable_answers()
        self._state.answer(step, value)
        kind = "pair" if len(step.members) == 2 else "group"
        self.narrowed = []
        answers = self._state.editable_answers()
        if kind == "pair":
            self.narrowed = results.narrow_groups(self._state, answers, step.pair, step.question.id)
            if self.narrowed:
                self._state = State.load(self.inventory, self.rules, answers, self.exhaustive)
        self._record(step.entry, before, answers)

    def _record(self, entry: Entry, before: AnswersFile, after: AnswersFile | None = None) -> None:
        """Add ``entry`` to the history with what it changed in the user's answers, from
        ``before`` to ``after`` (the answers now when not given)."""
        after = self._state.editable_answers() if after is None else after
        self.history.append(entry)
        self._changes.append(edits.difference(before, after))

    def answer_role(
        self, container: str, helps: str | None, workload: Workload | None = None
    ) -> None:
        """Record what ``container`` is: a primary application (None) or a helper of
        ``helps``; a primary may run as ``workload`` (a one-off job, a node agent)."""
        before = self._state.editable_answers()
        self._state.answer_role(container, helps, workload)
        self._record(("role", (container,), ""), before)

    def answer_workload(self, container: str, workload: Workload) -> None:
        """Record how the pod named after ``container`` runs."""
        before = self._state.editable_answers()
        self._state.answer_workload(container, workload)
        self._record(("workload", (container,), ""), before)

    def answer_replicas(self, container: str, count: int) -> None:
        """Record how many replicas the pod named after ``container`` runs."""
        before = self._state.editable_answers()
        self._state.answer_replicas(container, count)
        self._record(("replicas", (container,), ""), before)

    def replicas(self) -> dict[str, int]:
        """The replicas the user chose for pods whose members disagree, by pod."""
        return dict(self._state.replicas)

    def workloads(self) -> dict[str, Workload]:
        """How the user said each pod runs, by the container it is named after."""
        return dict(self._state.workloads)

    def named_primaries(self) -> frozenset[str]:
        """The containers the user named primary applications (not a one-off job, not a
        node agent): each runs long, whatever its host paths or restart policy say."""
        return self._state.roles.named_primaries()

    def confirm_roles(self, confirmed: bool) -> None:
        """Accept the inventory's roles (True) or ask each container's role instead."""
        before = self._state.editable_answers()
        self._state.confirm_roles(confirmed)
        self._record(("roles", (), ""), before)

    def resolve_contradiction(self, pair: Pair, question_id: str, keep_mine: bool) -> None:
        """Keep the user's answer against the inference, or drop it and let inference stand.
        Against a group answer of the user's, keeping the pair's answer narrows the group
        (see ``results.narrow_groups``; ``narrowed`` says how). Either way the choice is
        settled: the next session does not ask it again."""
        state = self._state
        against_group = state.known.grouped(pair, question_id) is not None
        reason = KEPT_AGAINST_GROUP if against_group else KEPT
        state.resolve_contradiction(pair, question_id, keep_mine, reason)
        self.narrowed = []
        if keep_mine and against_group:
            answers = state.editable_answers()
            self.narrowed = results.narrow_groups(state, answers, pair, question_id, True)
            self._state = State.load(self.inventory, self.rules, answers, self.exhaustive)
            known = self._state.known  # those the user has not settled yet, as they were
            left = {c[:2] for c in state.known.contradictions}
            known.contradictions = [c for c in known.contradictions if c[:2] in left]

    def against_group(self, pair: Pair, question_id: str) -> bool:
        """Whether what contradicts the user's answer for ``pair`` is their group answer."""
        return self._state.known.grouped(pair, question_id) is not None

    def answer_processes(self, members: tuple[str, ...], shared: bool) -> None:
        """Record whether a pod's containers must see or signal each other's processes."""
        before = self._state.editable_answers()
        self._state.answer_processes(members, shared)
        self._record(("processes", tuple(sorted(members)), ""), before)

    def keep_processes_of(self, pods: Iterable[Iterable[str]]) -> None:
        """Forget the process answers of groups that are not among ``pods`` (the layout's)."""
        kept = {tuple(sorted(members)) for members in pods}
        processes = self._state.processes
        for members in [m for m in processes if m not in kept]:
            del processes[members]

    def shares_processes(self, members: Iterable[str]) -> bool | None:
        """Whether a pod of ``members`` needs one process namespace: the user's answer, else
        yes when they share one as they run (``processes_as_running``); None when unknown."""
        members = tuple(sorted(members))
        given = self.processes_answer(members)
        if given is not None:
            return given
        return True if self.processes_as_running(members) else None

    def processes_answer(self, members: Iterable[str]) -> bool | None:
        """The user's own answer for a pod of ``members``, if any."""
        return self._state.processes.get(tuple(sorted(members)))

    def processes_as_running(self, members: Iterable[str]) -> str | None:
        """The running pod (``Deployment/web``) in which ``members``, two or more, share one
        process namespace today (``shareProcessNamespace: true``): a fact of the manifest
        that answers the question until the user says otherwise. None when there is none."""
        names = set(members)
        for pod in self.inventory.running:
            if len(names) > 1 and pod.shares_processes and names <= set(pod.members):
                return pod.label
        return None

    def pods_to_ask_about_processes(self, pods: Iterable[tuple[str, ...]]) -> list[tuple[str, ...]]:
        """The pods of two or more whose members' need to share processes is not known yet."""
        return [p for p in pods if len(p) > 1 and self.shares_processes(p) is None]

    # ------------------------------------------------------------------ going back, editing
    def undo(self) -> Entry | None:
        """Take back this session's last answer, and restore what it changed besides (a
        group answer it narrowed or dropped); what followed from it is worked out again."""
        if not self.history:
            return None
        entry = self.history.pop()
        answers = self._state.editable_answers()
        edits.revert(answers, self._changes.pop())
        answers.asked = max(0, self.asked_count - 1)
        self._state = State.load(self.inventory, self.rules, answers, self.exhaustive)
        self.narrowed = []
        return entry

    def change(self, entry: Entry, value: bool | str | None) -> None:
        """Give a new answer for ``entry`` (see ``edits.give`` for the values)."""
        answers = self.given(entry, value)
        self._state = State.load(self.inventory, self.rules, answers, self.exhaustive)

    def given(
        self, entry: Entry, value: bool | str | int | None, workload: Workload | None = None
    ) -> AnswersFile:
        """The user's own answers once ``value`` is given for ``entry`` (see ``edits.give``),
        before anything follows from it: what a session writes the instant the user answers.
        Confirming the roles (``roles``) gives the proposed ones; declining them is kept too."""
        answers = self._state.editable_answers()
        if entry[0] == "contradiction":  # settled, not asked: the count stays
            pair, question_id = Pair.of(*entry[1]), entry[2]
            reason = KEPT_AGAINST_GROUP if self.against_group(pair, question_id) else KEPT
            edits.settle(answers, pair, question_id, bool(value), reason)
            return answers
        if entry[0] == "roles":
            answers.roles_declined = not value
            if value:
                answers.workloads.update(self._state.roles.kinds_kept())
                answers.roles.update(self._state.roles.proposal())
        else:
            edits.give(answers, entry, value, workload)
        answers.asked = self.asked_count + 1
        return answers

    def change_role(self, container: str, helps: str | None, workload: Workload | None) -> None:
        """A new role for ``container`` (see ``answer_role``), in place of the one given."""
        answers = self.given(("role", (container,), ""), helps, workload)
        self._state = State.load(self.inventory, self.rules, answers, self.exhaustive)

    def user_answers(self) -> list[UserAnswer]:
        """Every answer the user gave (any session), with its value, for a review."""
        return results.user_answers(self._state)

    def own_answers(self) -> AnswersFile:
        """The user's own answers, without what follows from them: what resuming needs."""
        return self._state.editable_answers()

    def application_candidates(self, name: str) -> list[str]:
        """The containers ``name`` could be a helper of (see ``Roles.candidates``)."""
        return self._state.roles.candidates(name)

    def role_step(self, name: str) -> RoleStep:
        """The list question for ``name``'s role, what is proposed for it preselected."""
        proposed, others = self._state.roles.proposal().get(name), self.application_candidates(name)
        runs_as = evident_kind(self.inventory.container(name))
        return RoleStep(
            name, tuple(others), proposed if proposed in others else None, True, runs_as
        )

    # ------------------------------------------------------------------ what is known
    def blocker(self, pair: Pair) -> str | None:
        """The constraint that keeps ``pair`` apart whatever the answers, if any."""
        return self._state.known.blocker(pair)

    def deciding_no(self, pair: Pair, question_id: str) -> Pair | None:
        """The pair whose no (the user's) an inferred no about ``pair`` follows from."""
        return results.deciding_no(self._state, pair, question_id)

    def triage_split(self, pair: Pair) -> str | None:
        """Why the roles put ``pair`` in different applications, if they do (guided mode)."""
        return results.triage_split(self._state, pair)

    def inventory_with_roles(self) -> Inventory:
        """The inventory with the roles the user gave in place of its own (a primary
        application, or a helper of another), so the pods are named after their primary and
        the manifests treat helpers as helpers whether the roles came from the file or not."""
        return self._state.roles.inventory_with_roles()

    def application_of(self, name: str) -> str | None:
        """The primary application ``name`` belongs with (following helper links), or None."""
        return self._state.roles.application_of(name)

    def applications(self) -> list[list[str]]:
        """Each primary application with its helpers, in inventory order (guided mode)."""
        return [list(g) for g in self._state.roles.applications()]

    def answer_for(self, pair: Pair, question_id: str) -> Answer | None:
        """The answer that counts for one question about ``pair``: the user's own first."""
        return self._state.known.answer_for(pair, question_id)

    def answers_for(self, pair: Pair) -> dict[str, Answer]:
        """Every known answer about ``pair``, in question order."""
        return self._state.known.answers_for(pair)

    def verdict(self, pair: Pair) -> Verdict:
        """Together, apart, or still open, by the policy: all yes together, any no apart."""
        return results.verdict(self._state, pair)

    def reason_apart(self, pair: Pair) -> str:
        """Why ``pair`` does not share a pod: a constraint, the triage, a no, or no answer."""
        return results.reason_apart(self._state, pair)

    # ------------------------------------------------------------------ what to ask next
    def next_step(self) -> Step | None:
        """The next thing to ask, or None when every pair is decided (changes nothing)."""
        order = self._state.order
        for pair in self._reask:
            step = order.reask_step(pair)
            if step is not None:
                return step
        return order.current

    def reask_left(self) -> list[Pair]:
        """The pairs to answer again (--ask) that still have a question to ask."""
        return [p for p in self._reask if self._state.order.reask_step(p) is not None]

    def progress(self) -> Progress:
        """Prompts answered, and at most how many more (a bound that shrinks with inference).

        The bound counts every still unknown question of every pair that may still be asked,
        plus the one group no each application of three or more may still get, the
        questions of the pairs asked again (see ``GuidedOrder._progress``), and with
        ``asks_processes`` one processes question per pod of two or more the answers can
        still make (see ``processes_bound``). It is kept up
        to date answer by answer (see ``tally``), not counted pair by pair. Reading it
        changes nothing; it is never below what is really left.
        """
        reask = self.reask_left()
        step = self.next_step()
        progress = self._state.order.progress(step, self.asked_count, reask)
        if reask and isinstance(step, QuestionStep):
            # A pair asked again (--ask) comes first, whatever the order is at (the roles,
            # before they are confirmed): which of the pairs asked again it is.
            pair = Pair.of(*step.members)
            counted = self._reask_counted
            if pair not in counted:  # (none had a question left at the start)
                counted = [*counted, pair]
            number = counted.index(pair) + 1
            progress = dataclasses.replace(progress, unit="pair", number=number, count=len(counted))
        if self.asks_processes and step is not None:
            left = progress.at_most_left + self._state.order.processes_bound()
            progress = dataclasses.replace(progress, at_most_left=left)
        return progress

    # ------------------------------------------------------------------ results
    @property
    def sheet(self) -> AnswerSheet:
        """Every known answer for the pairs answered directly or by inference, and for
        every pair that shares an application (pairs whose only answer is a computed
        ``fits_node`` are left out; ``source_counts`` counts them)."""
        return results.sheet(self._state)

    def source_counts(self) -> dict[Source, int]:
        """How many answers came from each source, over every pair that may be asked (all
        pairs, or once the roles are known the pairs inside an application) and the pairs
        asked about. Counted with the tally, not pair by pair."""
        return dict(self._state.keeper.tally().sources)

    def answers_file(self) -> AnswersFile:
        """What to save: the user's own answers, plus inferred and computed ones for the record."""
        return results.answers_file(self._state)

    def together(self, across_roles: bool = False) -> Together:
        """What the answers put in one pod: cliques (classes every pair of which is
        together) and the other pairs, linear in the answers. With ``across_roles``, also
        the pairs the user answered together that the roles put in two applications (a
        tension by the roles)."""
        return together(self._state, across_roles)

    def open_pairs(self, limit: int | None = None) -> list[Pair]:
        """Pairs not decided yet (kept apart by the rule of thumb), in asking order: all
        pairs in inventory order, or application by application once the roles are known.
        At most ``limit`` of them; ``open_pair_count`` says how many there are."""
        return self._state.order.open_pairs(limit)

    def open_pair_count(self) -> int:
        """How many pairs are not decided yet, without visiting the untouched ones."""
        return self._state.keeper.tally().open_total
