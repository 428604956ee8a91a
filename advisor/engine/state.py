"""The answers so far and all that follows from them, built from an answers file.

``State.load`` builds one from an ``AnswersFile``; the recording methods take one answer
each and leave the tally and the next step up to date. Going back or changing an answer
builds a fresh state from the edited answers instead of patching this one.
"""

from __future__ import annotations

from advisor.domain.answers import AnswersFile, Group
from advisor.domain.model import Answer, Inventory, Pair, Source, Workload
from advisor.domain.rules import Rules
from advisor.engine.known import KEPT, Knowledge
from advisor.engine.order import ExhaustiveOrder, GuidedOrder, QuestionOrder
from advisor.engine.roles import Roles
from advisor.engine.steps import SAME_HOST, UNIFIED_WHOLE, QuestionStep
from advisor.engine.upkeep import TallyKeeper


class State:
    """What is known (``known``), the roles (``roles``), the tally (``keeper``) and the
    question order (``order``) for one set of answers."""

    def __init__(self, inventory: Inventory, rules: Rules, exhaustive: bool) -> None:
        self.inventory = inventory
        self.rules = rules
        self.exhaustive = exhaustive
        self.roles = Roles(inventory)
        triage = None if exhaustive else self.roles  # exhaustive mode takes no roles
        self.known = Knowledge(inventory, rules, not exhaustive, triage)
        self.keeper = TallyKeeper(self.known, triage)
        self.order: QuestionOrder = (
            ExhaustiveOrder(self.known, self.keeper)
            if triage is None
            else GuidedOrder(self.known, self.keeper, triage)
        )
        self.processes: dict[Group, bool] = {}
        self.workloads: dict[str, Workload] = {}
        self.replicas: dict[str, int] = {}
        self.asked_count = 0
        self.roles_declined = False  # the user said the inventory's roles are not right

    @classmethod
    def load(
        cls, inventory: Inventory, rules: Rules, answers: AnswersFile, exhaustive: bool
    ) -> State:
        """The state an answers file describes, its first step worked out."""
        state = cls(inventory, rules, exhaustive)
        state._take_file(answers)
        state.known.before = state.keeper.before
        state.known.reopened = False  # the cursors start from the beginning anyway
        state.order.advance()
        return state

    def _take_file(self, answers: AnswersFile) -> None:
        known, roles = self.known, self.roles
        self.processes = dict(answers.processes)
        self.workloads = dict(answers.workloads)
        self.replicas = dict(answers.replicas)
        for link in self.inventory.links:
            # A shared network namespace or shared volumes only work on one host.
            known.link(SAME_HOST, link.a, link.b, link.reason)
        inventory_roles = roles.from_inventory()
        if not self.exhaustive:
            roles.given = dict(answers.roles)
            # Nobody named the roles of pods that run: the manifests show them.
            as_it_runs = (
                inventory_roles is not None and self.inventory.running and not answers.roles
            )
            if as_it_runs:
                # Pods that already run: their primary and helpers are known, not guessed,
                # so only the pairs inside one pod are questioned.
                roles.given = dict(inventory_roles or {})
            roles.forget()
            # Confirmed once every role the proposal gives is the user's (one confirmation
            # saves them all; a list answered for each container does too).
            roles.confirmed = all(name in answers.roles for name in roles.proposal())
            if answers.roles_declined:  # said no to the proposal: each role is asked
                roles.confirmed = self.roles_declined = True
            for name, helped in roles.given.items():
                if helped is not None:
                    said = "runs as a helper of" if as_it_runs else "was named a helper of"
                    known.link(UNIFIED_WHOLE, name, helped, f"{name} {said} {helped}")
        for group, group_answers in answers.groups.items():
            for question_id, answer in group_answers.items():
                if answer.source is Source.ASKED:
                    known.record_group(group, question_id, answer.value)
        known.load_pairs(answers.pairs)
        counted = (
            len(answers.roles)
            + sum(len(a) for a in known.groups.values())
            + sum(len(a) for a in known.asked.values())
        )
        self.asked_count = answers.asked if answers.asked is not None else counted

    # ------------------------------------------------------------------ one answer each
    def answer(self, step: QuestionStep, value: bool) -> None:
        """The user's answer to a question about a pair or a group."""
        self.asked_count += 1
        if len(step.members) == 2:
            self.known.record_pair(step.pair, step.question.id, Answer(value, Source.ASKED))
        else:
            self.known.record_group(tuple(sorted(step.members)), step.question.id, value)
        self._settle()

    def answer_role(
        self, container: str, helps: str | None, workload: Workload | None = None
    ) -> None:
        """What ``container`` is: a primary application (None) or a helper of ``helps``; a
        primary may run as ``workload`` (a one-off job, a node agent)."""
        self.asked_count += 1
        if workload is not None and helps is None:
            self.workloads[container] = workload
        else:
            self.workloads.pop(container, None)
        if container in self.roles.given:  # given again: pairs it parted may be open again
            self.known.reopened = True
        self._add_role(container, helps)
        if helps is not None:
            self.known.link(
                UNIFIED_WHOLE, container, helps, f"{container} was named a helper of {helps}"
            )
        self._settle()

    def confirm_roles(self, confirmed: bool) -> None:
        """Accept the proposed roles (True: each container's own answer, else the
        inventory's or the guess), or ask each container's role instead (False)."""
        self.asked_count += 1
        self.roles.confirmed = True  # when not confirmed, the per-container questions follow
        self.roles_declined = not confirmed
        if confirmed:
            proposal = self.roles.proposal()
            self.workloads.update(self.roles.kinds_kept())  # as the screen showed them
            self.known.reopened = bool(self.roles.given)  # roles given may be replaced
            self.roles.given.update(proposal)
            self.roles.forget()
            self.keeper.forget()
            for name, helps in proposal.items():
                if helps is not None:
                    self.known.link(UNIFIED_WHOLE, name, helps, f"{name} helps {helps} (confirmed)")
        self._settle()

    def resolve_contradiction(
        self, pair: Pair, question_id: str, keep_mine: bool, reason: str = KEPT
    ) -> None:
        """Keep the user's answer against the inference (saved with ``reason``), or drop it
        and let inference stand."""
        known = self.known
        known.contradictions = [c for c in known.contradictions if c[:2] != (pair, question_id)]
        if keep_mine:
            known.keep_asked(pair, question_id, reason)
            self._settle()
        else:
            known.drop_asked(pair, question_id)
            self.keeper.settle()
            self.order.restart()  # the pair may be open again

    def answer_processes(self, members: tuple[str, ...], shared: bool) -> None:
        """Whether a pod's containers must see or signal each other's processes."""
        self.asked_count += 1
        self.processes[tuple(sorted(members))] = shared

    def answer_workload(self, container: str, workload: Workload) -> None:
        """How the pod named after ``container`` runs, as the user chose."""
        self.asked_count += 1
        self.workloads[container] = workload

    def answer_replicas(self, container: str, count: int) -> None:
        """How many replicas the pod named after ``container`` runs, as the user chose."""
        self.asked_count += 1
        self.replicas[container] = count

    def editable_answers(self) -> AnswersFile:
        """The user's own answers, copied so that editing them leaves this state untouched."""
        return AnswersFile(
            pairs={
                p: {q: a for q, a in answers.items() if a.source is Source.ASKED}
                for p, answers in self.known.asked.items()
            },
            groups={g: dict(answers) for g, answers in self.known.groups.items()},
            roles=dict(self.roles.given),
            roles_declined=self.roles_declined,
            asked=self.asked_count,
            processes=dict(self.processes),
            workloads=dict(self.workloads),
            replicas=dict(self.replicas),
        )

    def _add_role(self, name: str, helps: str | None) -> None:
        old_view = self.roles.cached_view
        self.roles.set(name, helps)
        if self.exhaustive:
            self.keeper.forget()
        else:
            self.keeper.role_added(old_view)

    def _settle(self) -> None:
        """Bring the tally and the next step up to date after an answer."""
        self.keeper.settle()
        if self.known.reopened:
            self.known.reopened = False
            self.order.restart()
        else:
            self.order.advance()
