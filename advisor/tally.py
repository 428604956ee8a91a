"""The tally: open pairs, their unknown questions and the answers by source, over every pair.

Counting pair by pair would visit every pair of the inventory, so the questionnaire counts
row by row instead: bit j of row i stands for the pair of the i-th and j-th container (see
``pairfacts``), and a row's masks say, per question, which of its pairs are answered yes or
no and by what (``RowMasks``). The counts follow from a few operations on those masks.
After that an answer updates only the pairs it settles: their contribution before it is
taken back and the one after it added (``Tally.count_pair``, the same rules for one pair).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from advisor.model import Source

Known = tuple[bool, Source]  # an answer's value and where it came from, without its reason

# What one pair adds to the tally: open (0 or 1), unknown questions if open, the
# application both belong to (or None), and its answers asked, computed and inferred.
Contribution = tuple[int, int, str | None, int, int, int]

Layer = tuple[int, int, Source]  # the pairs one kind of answer says yes and no for, and its kind


class QuestionMasks(NamedTuple):
    """One question along a row: the pairs answered yes, no, and those answered by each
    source (asked, computed, inferred)."""

    yes: int
    no: int
    asked: int
    computed: int
    inferred: int

    @classmethod
    def first_of(cls, layers: Sequence[Layer]) -> QuestionMasks:
        """The answer that counts for each pair: each layer answers the pairs the layers
        before it left open (the user's own answers come first, as in ``answer_for``)."""
        if len(layers) == 1:  # most questions of most rows: nothing to put first
            yes, no, source = layers[0]
            answered = yes | no
            return cls(
                yes,
                no,
                answered if source is Source.ASKED else 0,
                answered if source is Source.COMPUTED else 0,
                answered if source is Source.INFERRED else 0,
            )
        all_yes = all_no = asked = computed = inferred = 0
        for yes, no, source in layers:
            if all_yes or all_no:
                yes &= ~(all_yes | all_no)
                no &= ~(all_yes | all_no)
            all_yes |= yes
            all_no |= no
            answered = yes | no
            if source is Source.ASKED:
                asked |= answered
            elif source is Source.COMPUTED:
                computed |= answered
            else:
                inferred |= answered
        return cls(all_yes, all_no, asked, computed, inferred)


@dataclass
class RowMasks:
    """Every pair of one container: per question its answers, and what parts it regardless."""

    questions: list[QuestionMasks]  # in question order
    parted: int  # constraints or the roles part them, whatever the answers
    fits_known: int  # the facts answer fits_node (one unit: those pairs may be asked)
    app_members: int  # the other members of its application (the pairs that may be asked)

    def opened(self, partners: int) -> int:
        """The ``partners`` still open: nothing parts them, no answer is no, one unknown."""
        all_known = partners
        said_no = self.parted
        for question in self.questions:
            all_known &= question.yes | question.no
            said_no |= question.no
        return partners & ~said_no & ~all_known


@dataclass
class Tally:
    """The counts over every pair, for the roles as they stood when it was built.

    ``one_unit``: every pair may be asked (exhaustive, or the roles not all known); else only
    the pairs inside an application are, and ``open_by_app`` counts their open pairs.
    """

    one_unit: bool
    fits_at: int | None  # the position of fits_node among the questions
    open_total: int = 0
    unknown_total: int = 0
    open_by_app: dict[str, int] = field(default_factory=dict)
    sources: dict[Source, int] = field(default_factory=lambda: dict.fromkeys(Source, 0))

    def apply(self, contribution: Contribution, sign: int = 1) -> None:
        """Add (``sign`` 1) or take back (-1) one pair's contribution."""
        opened, unknown, app, asked, computed, inferred = contribution
        self.open_total += sign * opened
        self.unknown_total += sign * unknown
        if app is not None:
            self.open_by_app[app] = self.open_by_app.get(app, 0) + sign * opened
        self.sources[Source.ASKED] += sign * asked
        self.sources[Source.COMPUTED] += sign * computed
        self.sources[Source.INFERRED] += sign * inferred

    def add_row(self, row: RowMasks, partners: int, app: str | None, sign: int = 1) -> None:
        """Add (or take back) the pairs of one container with ``partners`` (a mask); ``app``:
        the application they are inside, when counted per application. ``count_pair`` says
        the same for one pair."""
        opened = row.opened(partners)
        count = opened.bit_count()
        unknown = len(row.questions) * count
        asked = no_before_fits = 0
        for position, question in enumerate(row.questions):
            if opened:
                unknown -= (opened & (question.yes | question.no)).bit_count()
            asked |= question.asked
            if self.fits_at is not None and position < self.fits_at:
                no_before_fits |= question.no
        if self.one_unit:
            # As listing the open pairs used to see them: the first no ends a pair's
            # questions, so fits_node counts only where none came before.
            in_scope = row.fits_known & ~(row.parted | no_before_fits)
        else:
            in_scope = row.app_members
        counted = partners & (in_scope | asked)
        asked_count = computed = inferred = 0
        for question in row.questions if counted else ():
            if question.asked:  # (most masks are 0: skipped, thousands of rows are counted)
                asked_count += (counted & question.asked).bit_count()
            if question.computed:
                computed += (counted & question.computed).bit_count()
            if question.inferred:
                inferred += (counted & question.inferred).bit_count()
        self.sources[Source.ASKED] += sign * asked_count
        self.sources[Source.COMPUTED] += sign * computed
        self.sources[Source.INFERRED] += sign * inferred
        self.open_total += sign * count
        self.unknown_total += sign * unknown
        if app is not None:
            self.open_by_app[app] = self.open_by_app.get(app, 0) + sign * count

    def count_pair(
        self,
        answers: Sequence[Known | None],
        app: str | None,
        parted: bool,
        fits_known: bool,
        asked: bool,
    ) -> Contribution:
        """One pair's contribution from its answers (in question order): ``app`` the
        application both are inside (counted so), ``parted`` when constraints or the roles
        part them, ``fits_known`` when the facts answer fits_node, ``asked`` when the user
        answered some question about it."""
        asked_count = computed = inferred = unknown = 0
        said_no = no_before_fits = False
        for position, known in enumerate(answers):
            if position == self.fits_at:
                no_before_fits = said_no
            if known is None:
                unknown += 1
                continue
            value, source = known
            said_no = said_no or not value
            if source is Source.ASKED:
                asked_count += 1
            elif source is Source.COMPUTED:
                computed += 1
            else:
                inferred += 1
        if self.one_unit:
            in_scope = fits_known and not (parted or no_before_fits)  # as in add_row
        else:
            in_scope = app is not None
        opened = 0 if said_no or parted or not unknown else 1
        if not (in_scope or asked):
            return opened, unknown if opened else 0, app, 0, 0, 0
        return opened, unknown if opened else 0, app, asked_count, computed, inferred
