"""What is known about each pair, and which source wins.

For one question about a pair, the first source that answers counts:

1. the user's own answer (asked about the pair itself);
2. the user's yes for a group the pair is in (a question asked about a whole application at
   once): the user's answer for every pair in it, ``asked`` like the first;
3. a link of the source file (``same_host``: a shared namespace or volumes);
4. the classes of a transitive question (guided mode, see ``inference``);
5. the facts (``fits_node``: the requests against the node's capacity).

``answer_for`` and ``known`` read them in that order; the bit masks of ``AnswerRows`` (see
``tally``) are kept in step with the first three as answers are recorded. A group no answers
no pair (some member does not belong, which one is asked pair by pair).
"""

from __future__ import annotations

from collections.abc import Callable

from advisor.domain.answers import AnswerSheet, Group
from advisor.domain.model import Answer, Inventory, Pair, Source
from advisor.domain.names import join_key
from advisor.domain.rules import Rules
from advisor.engine.constraints import PodLoad, pair_fits_node
from advisor.engine.inference import EquivalenceAnswers
from advisor.engine.pairfacts import PairFacts
from advisor.engine.roles import Roles
from advisor.engine.steps import FITS_NODE, SAME_HOST
from advisor.engine.tally import AnswerRows, Known

# The reasons of a user's answer kept against what the rest says (a choice made once).
KEPT_PREFIX = "kept against "
KEPT = KEPT_PREFIX + "the inference"
KEPT_AGAINST_GROUP = KEPT_PREFIX + "your group answer"


class Knowledge:
    """The answers about pairs by source, and what each pair's answers add up to.

    ``inference``: whether the transitive questions' classes infer answers (guided mode);
    ``roles``: the roles that part pairs of different applications (None: exhaustive).
    ``before``, once set, is told each pair an answer is about to change (the tally's upkeep).
    """

    def __init__(
        self, inventory: Inventory, rules: Rules, inference: bool, roles: Roles | None
    ) -> None:
        self.inventory = inventory
        self.rules = rules
        self.roles = roles
        self.names = [c.name for c in inventory.containers]
        self.order = {n: i for i, n in enumerate(self.names)}
        self.questions = rules.question_ids
        self.position = {q: k for k, q in enumerate(self.questions)}
        self.fits_at = self.questions.index(FITS_NODE) if FITS_NODE in self.questions else None
        self.transitive = tuple(q.id for q in rules.questions if q.transitive)
        self.facts = PairFacts(inventory, rules, FITS_NODE in self.questions)
        self.linked_pairs = {Pair.of(link.a, link.b) for link in inventory.links}
        # What the user said about pairs and groups.
        self.asked: AnswerSheet = {}
        self.groups: dict[Group, dict[str, Answer]] = {}
        # What follows from it, per transitive question (guided mode only).
        self.classes = (
            {q: EquivalenceAnswers(self.names) for q in self.transitive} if inference else {}
        )
        self.source_of_yes: dict[tuple[str, Pair], str] = {}  # why a yes link exists
        # A group yes is the user's yes for each pair inside: where it came from, per pair.
        self.group_yes: dict[tuple[str, Pair], str] = {}
        self.grouped_pairs: set[Pair] = set()  # the pairs some group yes answers
        self.no_counts = {q: 0 for q in self.questions}
        self.contradictions: list[tuple[Pair, str, Answer]] = []
        # Pairs answered directly (asked, a group yes, a link of the source file); what
        # every other pair is, the facts, roles and classes say row by row (see tally).
        self.direct: set[Pair] = set()
        # The same answers as bit masks, row by row, kept in step with those above.
        self.rows = AnswerRows(
            self.names,
            self.facts,
            [self.classes.get(q) for q in self.questions],
            self.fits_at,
            self.position.get(SAME_HOST),
        )
        self.before: Callable[[Pair], None] | None = None  # None while loading a file
        # Set when an answer turned a known no into a yes: a decided pair may be open again.
        self.reopened = False
        self._blockers: dict[Pair, str | None] = {}
        self._computed: dict[Pair, Answer | None] = {}
        for pair in self.linked_pairs:
            self.direct.add(pair)
            self.rows.mark_linked(self.order[pair.first], self.order[pair.second])

    # ------------------------------------------------------------------ reading
    def answer_for(self, pair: Pair, question_id: str) -> Answer | None:
        """The answer that counts for one question about ``pair``: the user's own first."""
        asked = self.asked.get(pair, {}).get(question_id)
        if asked is not None:
            return asked
        grouped = self.grouped(pair, question_id)
        return grouped if grouped is not None else self.derived(pair, question_id)

    def grouped(self, pair: Pair, question_id: str) -> Answer | None:
        """The user's yes for a group ``pair`` is in, as the user's answer for the pair."""
        group = self.group_yes.get((question_id, pair)) if self.group_yes else None
        return (
            None
            if group is None
            else Answer(True, Source.ASKED, f"your answer for the group {group}")
        )

    def answers_for(self, pair: Pair) -> dict[str, Answer]:
        """Every known answer about ``pair``, in question order."""
        result = {}
        for question_id in self.questions:
            answer = self.answer_for(pair, question_id)
            if answer is not None:
                result[question_id] = answer
        return result

    def derived(self, pair: Pair, question_id: str) -> Answer | None:
        """What links, inference and facts say about one question for ``pair``."""
        if question_id == SAME_HOST and self.inventory.links:
            linked = self.linked(pair)
            if linked is not None:
                return linked
        classes = self.classes.get(question_id)
        if classes is not None:
            known = classes.known(pair.first, pair.second)
            if known is not None:
                return Answer(known, Source.INFERRED, self._chain_text(classes, pair, question_id))
        if question_id == FITS_NODE:
            return self.computed(pair)
        return None

    def known(self, pair: Pair, question_id: str) -> Known | None:
        """``answer_for`` without the reason: the value and its source, cheaply."""
        own = self.asked.get(pair)
        if own is not None:
            answer = own.get(question_id)
            if answer is not None:
                return answer.value, Source.ASKED
        if self.group_yes and (question_id, pair) in self.group_yes:
            return True, Source.ASKED
        return self.derived_known(pair, question_id)

    def derived_known(self, pair: Pair, question_id: str) -> Known | None:
        """``derived`` without the reason: what the rest says, not the user."""
        if question_id == SAME_HOST and pair in self.linked_pairs:
            return True, Source.COMPUTED
        classes = self.classes.get(question_id)
        if classes is not None:
            known = classes.known(pair.first, pair.second)
            if known is not None:
                return known, Source.INFERRED
        if question_id == FITS_NODE:
            i, j = self.order[pair.first], self.order[pair.second]
            if self.facts.fits_known[i] >> j & 1:
                return not self.facts.fits_no[i] >> j & 1, Source.COMPUTED
        return None

    def state(self, pair: Pair, roles: bool = True) -> int:
        """-1 when ``pair`` is apart, else how many of its questions are unknown (0: together).
        Without ``roles``, what the answers say as if the roles did not part the pair."""
        i, j = self.order[pair.first], self.order[pair.second]
        if self.facts.blocked[i] >> j & 1 or (roles and self.split_row(i) >> j & 1):
            return -1
        own = self.asked.get(pair)
        if own is not None and any(not answer.value for answer in own.values()):
            return -1  # the user's own answers come first: one no parts them
        unknown = 0
        for question_id in self.questions:
            known = self.known(pair, question_id)
            if known is None:
                unknown += 1
            elif not known[0]:
                return -1
        return unknown

    def split_row(self, i: int) -> int:
        """The containers the roles put in another application than the ``i``-th."""
        return 0 if self.roles is None else self.roles.split_row(i)

    def parted(self, i: int) -> int:
        """The containers constraints or the roles keep apart from the ``i``-th."""
        return self.facts.blocked[i] | self.split_row(i)

    def blocker(self, pair: Pair) -> str | None:
        """The constraint that keeps ``pair`` apart whatever the answers, if any."""
        if pair not in self._blockers:
            first, second = (self.inventory.container(n) for n in pair)
            load = PodLoad.empty(self.inventory.node, self.rules)
            load.add(first)
            self._blockers[pair] = load.conflict(second)
        return self._blockers[pair]

    def computed(self, pair: Pair) -> Answer | None:
        """``fits_node`` from the requests and the node, when both are known."""
        if pair not in self._computed:
            first, second = (self.inventory.container(n) for n in pair)
            fits = pair_fits_node(first, second, self.inventory.node)
            self._computed[pair] = (
                None if fits is None else Answer(fits[0], Source.COMPUTED, fits[1])
            )
        return self._computed[pair]

    def linked(self, pair: Pair) -> Answer | None:
        """``same_host`` from the source file: a shared namespace or volumes tie them."""
        links = self.inventory.links_between(*pair)
        return Answer(True, Source.COMPUTED, links[0].reason) if links else None

    def _chain_text(self, classes: EquivalenceAnswers, pair: Pair, question_id: str) -> str:
        links = classes.chain(pair.first, pair.second)
        if len(links) == 1 and links[0][2]:
            return self.source_of_yes.get((question_id, pair), "asked")
        parts = [f"{a}~{b} {'yes' if yes else 'no'}" for a, b, yes in links]
        return f"from {', '.join(parts)}"

    # ------------------------------------------------------------------ recording
    def link(self, question_id: str, a: str, b: str, reason: str) -> None:
        """Add a yes of a transitive question to its classes (guided mode only)."""
        classes = self.classes.get(question_id)
        if classes is None:
            return
        if classes.known(a, b) is False:
            return  # an explicit no stands; the layout will show the tension
        self.source_of_yes.setdefault((question_id, Pair.of(a, b)), reason)
        if self.before is not None:  # loading a file, there is nothing to update yet
            for x, y, _ in classes.settled_by_yes(a, b):
                self.before(Pair.of(x, y))
        classes.add_yes(a, b)

    def load_pairs(self, pairs: AnswerSheet) -> None:
        """Take in the asked answers of an answers file's pairs (the others are the file's
        record of what followed, worked out here again)."""
        asked, direct, order, position = self.asked, self.direct, self.order, self.position
        for pair, pair_answers in pairs.items():
            # The file's own dictionary when it holds only asked answers: thousands fewer
            # objects to make (and for the garbage collector to walk). They are never
            # changed here: an answer replaces its pair's dictionary (see record_pair).
            own = pair_answers
            for answer in own.values():
                if answer.source is not Source.ASKED:
                    own = {q: a for q, a in own.items() if a.source is Source.ASKED}
                    break
            if not own:
                continue
            asked[pair] = own
            direct.add(pair)
            i, j = order[pair.first], order[pair.second]
            for question_id, answer in own.items():
                self.rows.mark_asked(i, j, position[question_id], answer.value)
                self.take_in(pair, question_id, answer, loading=True)

    def record_pair(self, pair: Pair, question_id: str, answer: Answer) -> None:
        """The user's answer to one question about ``pair``."""
        self._touch(pair)
        previous = self.known(pair, question_id)
        if previous is not None and previous[0] != answer.value:
            self.reopened = True
        own = self.asked.get(pair, {})
        if question_id in own:  # answered again
            self._mark_asked(pair, question_id, own[question_id].value, present=False)
        self.asked[pair] = {**own, question_id: answer}  # a new dictionary, see load_pairs
        self.direct.add(pair)
        self._mark_asked(pair, question_id, answer.value)
        self.take_in(pair, question_id, answer)

    def record_group(self, group: Group, question_id: str, value: bool) -> None:
        """The user's answer to one question about a whole group (members sorted by name)."""
        self.groups.setdefault(group, {})[question_id] = Answer(value, Source.ASKED)
        if not value:
            self.no_counts[question_id] += 1
            return
        key = join_key(sorted(group, key=self.order.__getitem__))
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                pair = Pair.of(a, b)
                self._touch(pair)
                previous = self.known(pair, question_id)
                if previous is not None and not previous[0]:
                    self.reopened = True
                self.group_yes.setdefault((question_id, pair), key)
                self.grouped_pairs.add(pair)
                self.direct.add(pair)
                self.rows.mark_grouped(self.order[a], self.order[b], self.position[question_id])
        # A transitive question's classes take it in too: what follows for other pairs.
        if question_id in self.classes:
            for other in group[1:]:
                self.link(question_id, group[0], other, f"your answer for the group {key}")

    def keep_asked(self, pair: Pair, question_id: str, reason: str = KEPT) -> None:
        """Keep the user's answer against the inference (or their group answer): the
        choice is settled, so loading it again reports no contradiction."""
        self._touch(pair)
        own = dict(self.asked[pair])  # a new dictionary, see load_pairs
        own[question_id] = Answer(own[question_id].value, Source.ASKED, reason)
        self.asked[pair] = own

    def drop_asked(self, pair: Pair, question_id: str) -> None:
        """Drop the user's answer so that what the rest says stands."""
        self._touch(pair)
        own = dict(self.asked[pair])  # a new dictionary, see load_pairs
        self._mark_asked(pair, question_id, own.pop(question_id).value, present=False)
        if own:
            self.asked[pair] = own
        else:
            del self.asked[pair]

    def take_in(self, pair: Pair, question_id: str, answer: Answer, loading: bool = False) -> None:
        """What follows from an asked answer about ``pair``: the classes of a transitive
        question take it in, unless the rest says otherwise (a contradiction, reported
        while loading a file)."""
        contradicted = self._contradicted(pair, question_id, answer.value)
        settled = answer.reason is not None and KEPT_PREFIX in answer.reason
        if loading and contradicted is not None and not settled:
            # The user's answer stands for this pair; they are told and may change it.
            self.contradictions.append((pair, question_id, contradicted))
        if not answer.value:
            self.no_counts[question_id] += 1
        classes = self.classes.get(question_id)
        if classes is None or contradicted is not None:
            return
        if answer.value:
            self.link(question_id, pair.first, pair.second, "asked")
        else:
            if self.before is not None:  # loading a file, there is nothing to update yet
                for x, y, _ in classes.settled_by_no(pair.first, pair.second):
                    self.before(Pair.of(x, y))
            classes.add_no(pair.first, pair.second)

    def _contradicted(self, pair: Pair, question_id: str, value: bool) -> Answer | None:
        """What the rest says about one question for ``pair`` (with its reason), when it
        says otherwise than ``value``: a group yes of the user's, then the derived answer."""
        grouped = self.grouped(pair, question_id)
        if grouped is not None:
            return None if grouped.value == value else grouped
        derived = self.derived_known(pair, question_id)
        if derived is None or derived[0] == value:
            return None
        return self.derived(pair, question_id)

    def _touch(self, pair: Pair) -> None:
        if self.before is not None:
            self.before(pair)

    def _mark_asked(self, pair: Pair, question_id: str, value: bool, present: bool = True) -> None:
        """Set (or clear) an asked answer in the bit masks of the rows."""
        i, j = self.order[pair.first], self.order[pair.second]
        self.rows.mark_asked(i, j, self.position[question_id], value, present)
