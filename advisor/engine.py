"""The questionnaire as a pure state machine: which question comes next, and what is known.

No terminal code lives here: the terminal (``ui``), an answers file and a test script are
three ways of answering the same ``next_step()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from advisor.constraints import PodLoad, pair_fits_node
from advisor.model import Answer, Inventory, Pair, Source
from advisor.rules import Question, Rules
from advisor.sources.answers import AnswerSheet

FITS_NODE = "fits_node"  # facts answer it from the requests against the node
SAME_HOST = "same_host"  # facts answer it from a compose file's shared namespaces or volumes


class Verdict(str, Enum):
    """Where the answers so far leave a pair."""

    OPEN = "open"  # some question still unanswered, none answered no
    TOGETHER = "together"  # every question answered yes
    APART = "apart"  # a question answered no, or a constraint separates them


@dataclass(frozen=True)
class Step:
    """The next question to put to the user."""

    pair: Pair
    question: Question
    a: str  # the pair's names in inventory order, as the user reads them
    b: str


@dataclass(frozen=True)
class Progress:
    """Where the user is: pair k of N, how much is done, and an honest bound on what is left."""

    pair_number: int
    pair_count: int
    answered: int
    at_most_left: int


class Questionnaire:
    """Walks the pairs in inventory order and asks each pair's questions until the first no."""

    def __init__(self, inventory: Inventory, rules: Rules, sheet: AnswerSheet | None = None):
        self.inventory = inventory
        self.rules = rules
        self.blocked: dict[Pair, str] = {}
        self._sheet: AnswerSheet = {}
        order = [c.name for c in inventory.containers]
        self._pairs: list[tuple[str, str]] = [
            (a, b) for i, a in enumerate(order) for b in order[i + 1 :]
        ]
        for pair, answers in (sheet or {}).items():
            # Computed answers are worked out afresh: the inventory may have changed since.
            kept = {q: a for q, a in answers.items() if a.source is not Source.COMPUTED}
            if kept:
                self._sheet[pair] = kept
        self._askable: list[int] = []  # indices into _pairs of the pairs questions can decide
        for index, (a, b) in enumerate(self._pairs):
            if self._settle_by_facts(Pair.of(a, b)):
                self._askable.append(index)
        self._cursor = 0  # position in _askable of the first pair that may still be open
        self._left = sum(
            self._unanswered(Pair.of(*self._pairs[i]))
            for i in self._askable
            if self.verdict(Pair.of(*self._pairs[i])) is Verdict.OPEN
        )

    def _settle_by_facts(self, pair: Pair) -> bool:
        """Record what the inventory decides for ``pair``; False when a constraint splits it."""
        first, second = (self.inventory.container(n) for n in pair)
        load = PodLoad.empty(self.inventory.node, self.rules)
        load.add(first)
        conflict = load.conflict(second)
        if conflict is not None:
            self.blocked[pair] = conflict
            return False
        answers = self._sheet.setdefault(pair, {})
        if FITS_NODE in self.rules.question_ids:
            fits = pair_fits_node(first, second, self.inventory.node)
            if fits is not None and FITS_NODE not in answers:
                answers[FITS_NODE] = Answer(fits[0], Source.COMPUTED, fits[1])
        links = self.inventory.links_between(*pair)
        if links and SAME_HOST in self.rules.question_ids and SAME_HOST not in answers:
            # A shared network namespace or shared volumes only work on one host.
            answers[SAME_HOST] = Answer(True, Source.COMPUTED, links[0].reason)
        if not answers:
            del self._sheet[pair]
        return True

    @property
    def sheet(self) -> AnswerSheet:
        """Every answer known so far, asked or computed."""
        return self._sheet

    def verdict(self, pair: Pair) -> Verdict:
        """Together, apart, or still open, by the policy: all yes together, any no apart."""
        if pair in self.blocked:
            return Verdict.APART
        answers = self._sheet.get(pair, {})
        if any(not a.value for a in answers.values()):
            return Verdict.APART
        if len(answers) == len(self.rules.questions):
            return Verdict.TOGETHER
        return Verdict.OPEN

    def _unanswered(self, pair: Pair) -> int:
        answers = self._sheet.get(pair, {})
        return sum(1 for q in self.rules.question_ids if q not in answers)

    def next_step(self) -> Step | None:
        """The next question to ask, or None when every pair is decided."""
        while self._cursor < len(self._askable):
            a, b = self._pairs[self._askable[self._cursor]]
            pair = Pair.of(a, b)
            if self.verdict(pair) is Verdict.OPEN:
                answers = self._sheet.get(pair, {})
                question = next(q for q in self.rules.questions if q.id not in answers)
                return Step(pair, question, a, b)
            self._cursor += 1
        return None

    def answer(self, pair: Pair, question_id: str, value: bool) -> None:
        """Record the user's answer; a no settles the pair, so its other questions are dropped."""
        if question_id not in self.rules.question_ids:
            raise ValueError(f"unknown question {question_id!r}")
        was_open = self.verdict(pair) is Verdict.OPEN and pair not in self.blocked
        before = self._unanswered(pair)
        self._sheet.setdefault(pair, {})[question_id] = Answer(value, Source.ASKED)
        if was_open:
            after = self._unanswered(pair) if self.verdict(pair) is Verdict.OPEN else 0
            self._left -= before - after

    def progress(self) -> Progress:
        """Pair k of N (the pairs questions decide), answers given, and questions at most left."""
        answered = sum(
            1
            for answers in self._sheet.values()
            for a in answers.values()
            if a.source is Source.ASKED
        )
        return Progress(
            pair_number=min(self._cursor + 1, len(self._askable)),
            pair_count=len(self._askable),
            answered=answered,
            at_most_left=self._left,
        )

    def together_pairs(self) -> list[Pair]:
        """Pairs whose answers say: same pod."""
        return [p for p in self._sheet if self.verdict(p) is Verdict.TOGETHER]

    def open_pairs(self) -> list[Pair]:
        """Pairs not decided yet, in asking order (kept apart by the rule of thumb)."""
        return [
            Pair.of(*self._pairs[i])
            for i in self._askable
            if self.verdict(Pair.of(*self._pairs[i])) is Verdict.OPEN
        ]

    def reason_apart(self, pair: Pair) -> str:
        """Why ``pair`` does not share a pod: a constraint, the first no, or no answer."""
        if pair in self.blocked:
            return self.blocked[pair]
        answers = self._sheet.get(pair, {})
        for question in self.rules.questions:
            answer = answers.get(question.id)
            if answer is not None and not answer.value:
                how = "" if answer.source is Source.ASKED else f" ({answer.source.value})"
                return f"answered no to {question.id}{how}"
        return "not answered, so kept apart by the rule of thumb"
