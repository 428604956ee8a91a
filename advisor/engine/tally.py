"""The tally: open pairs, their unknown questions and the answers by source, over every pair.

Counting pair by pair would visit every pair of the inventory, so the questionnaire counts
row by row instead: bit j of row i stands for the pair of the i-th and j-th container (see
``pairfacts``), and a row's masks say, per question, which of its pairs are answered yes or
no and by what (``RowMasks``, built by ``AnswerRows``). The counts follow from a few
operations on those masks. After that an answer updates only the pairs it settles: their
contribution before it is taken back and the one after it added (``Tally.count_pair``, the
same rules for one pair).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from advisor.domain.model import Source
from advisor.engine.inference import EquivalenceAnswers
from advisor.engine.pairfacts import PairFacts

Known = tuple[bool, Source]  # an answer's value and where it came from, without its reason

# What one pair adds to the tally: open (0 or 1), unknown questions if open, the
# application both belong to (or None), its answers asked, computed and inferred, and
# whether the watched question is unknown, if open (0 or 1).
Contribution = tuple[int, int, str | None, int, int, int, int]

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
    ``unknown_watched`` counts, of ``unknown_total``, those of the question at ``watched``
    (unified_whole, which the roles will answer: see ``GuidedOrder.progress``).
    """

    one_unit: bool
    fits_at: int | None  # the position of fits_node among the questions
    watched: int | None = None
    open_total: int = 0
    unknown_total: int = 0
    unknown_watched: int = 0
    open_by_app: dict[str, int] = field(default_factory=dict)
    sources: dict[Source, int] = field(default_factory=lambda: dict.fromkeys(Source, 0))

    def apply(self, contribution: Contribution, sign: int = 1) -> None:
        """Add (``sign`` 1) or take back (-1) one pair's contribution."""
        opened, unknown, app, asked, computed, inferred, watched = contribution
        self.open_total += sign * opened
        self.unknown_total += sign * unknown
        self.unknown_watched += sign * watched
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
        asked = no_before_fits = watched = 0
        for position, question in enumerate(row.questions):
            if opened:
                known = (opened & (question.yes | question.no)).bit_count()
                unknown -= known
                if position == self.watched:
                    watched = count - known
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
        self.unknown_watched += sign * watched
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
        asked_count = computed = inferred = unknown = watched = 0
        said_no = no_before_fits = False
        for position, known in enumerate(answers):
            if position == self.fits_at:
                no_before_fits = said_no
            if known is None:
                unknown += 1
                watched += position == self.watched
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
        if not opened:
            unknown = watched = 0
        if not (in_scope or asked):
            return opened, unknown, app, 0, 0, 0, watched
        return opened, unknown, app, asked_count, computed, inferred, watched


class AnswerRows:
    """Every pair's answers, row by row, as bit masks (see ``RowMasks``).

    What was said about a pair itself (asked answers, links of the source file, group yes
    answers) is kept here as masks, set as the questionnaire records it; what the classes
    of the transitive questions and the facts say is read from them when a row is built.
    """

    def __init__(
        self,
        names: list[str],
        facts: PairFacts,
        classes: list[EquivalenceAnswers | None],
        fits_at: int | None,
        link_at: int | None,
    ) -> None:
        self._names = names
        self._facts = facts
        self._classes = classes  # per question, those of a transitive one (guided mode)
        self._fits_at = fits_at  # the question the facts answer, and the one links answer
        self._link_at = link_at
        # _asked[value][position][i]: the containers the i-th was answered ``value`` with
        # on the question at ``position``.
        self._asked = {value: [[0] * len(names) for _ in classes] for value in (True, False)}
        self._linked: dict[int, int] = {}
        self._grouped: list[dict[int, int]] = [{} for _ in classes]

    def mark_asked(self, i: int, j: int, position: int, value: bool, present: bool = True) -> None:
        """Set (or clear) an asked answer about the ``i``-th and ``j``-th containers."""
        rows = self._asked[value][position]
        if present:
            rows[i] |= 1 << j
            rows[j] |= 1 << i
        else:
            rows[i] &= ~(1 << j)
            rows[j] &= ~(1 << i)

    def any_no(self, position: int) -> bool:
        """Whether the user answered no to the question at ``position`` for some pair."""
        return any(self._asked[False][position])

    def mark_linked(self, i: int, j: int) -> None:
        """A link of the source file ties the ``i``-th and ``j``-th containers."""
        self._linked[i] = self._linked.get(i, 0) | 1 << j
        self._linked[j] = self._linked.get(j, 0) | 1 << i

    def mark_grouped(self, i: int, j: int, position: int) -> None:
        """The user's yes for a group answers the question at ``position`` for a pair."""
        rows = self._grouped[position]
        rows[i] = rows.get(i, 0) | 1 << j
        rows[j] = rows.get(j, 0) | 1 << i

    def direct_partners(self) -> list[int]:
        """Per container, the containers it was answered directly with (all rows at once)."""
        columns = [row for rows in self._asked.values() for row in rows if any(row)]
        direct = [0] * len(self._names)
        if columns:
            direct = [functools.reduce(operator.or_, masks) for masks in zip(*columns, strict=True)]
        for rows in (self._linked, *self._grouped):
            for i, mask in rows.items():
                direct[i] |= mask
        return direct

    def direct_partners_of(self, i: int) -> int:
        """The containers the ``i``-th was answered directly with."""
        direct = self._linked.get(i, 0)
        for rows in (*self._asked[True], *self._asked[False]):
            direct |= rows[i]
        for grouped in self._grouped:
            direct |= grouped.get(i, 0)
        return direct

    def row(
        self,
        i: int,
        partners: int,
        parted: int,
        app_members: int,
        cache: dict[tuple[int, str], tuple[int, int]] | None = None,
        direct: int | None = None,
    ) -> RowMasks:
        """Row ``i``, for its pairs with ``partners``: per question what was said about the
        pairs themselves, then what the classes and the facts say. ``parted`` and
        ``app_members`` as in ``RowMasks``; ``cache`` keeps the classes' masks for the next
        rows; ``direct``, when given, the partners answered directly (saves looking)."""
        layers = self._derived_layers(i, cache)
        if direct is None:
            direct = self.direct_partners_of(i)
        if direct & partners:  # (most rows of a session have none)
            own = self._own_layers(i, partners)
            layers = [mine + derived for mine, derived in zip(own, layers, strict=True)]
        questions = [QuestionMasks.first_of(question) for question in layers]
        return RowMasks(questions, parted, self._facts.fits_known[i], app_members)

    def _own_layers(self, i: int, partners: int) -> list[list[Layer]]:
        """Per question, what was said about the pairs with ``partners`` themselves, in the
        order the questionnaire puts it: asked answers, a group yes (both the user's), a link."""
        linked = self._linked.get(i, 0) & partners
        layers: list[list[Layer]] = []
        for position, grouped in enumerate(self._grouped):
            yes = self._asked[True][position][i] & partners
            no = self._asked[False][position][i] & partners
            own = [(yes, no, Source.ASKED)]
            if grouped:
                own.append((grouped.get(i, 0) & partners, 0, Source.ASKED))
            if linked and position == self._link_at:
                own.append((linked, 0, Source.COMPUTED))
            layers.append(own)
        return layers

    def _derived_layers(
        self, i: int, cache: dict[tuple[int, str], tuple[int, int]] | None
    ) -> list[list[Layer]]:
        """Per question, what the classes and the facts say about every pair of the row."""
        facts = self._facts
        per_question: list[list[Layer]] = []
        for position, classes in enumerate(self._classes):
            layers: list[Layer] = []
            if classes is not None:
                yes, no = self._class_masks(position, classes, i, cache)
                layers.append((yes & ~(1 << i), no, Source.INFERRED))
            if position == self._fits_at:
                fits_no = facts.fits_no[i]
                layers.append((facts.fits_known[i] & ~fits_no, fits_no, Source.COMPUTED))
            per_question.append(layers)
        return per_question

    def _class_masks(
        self,
        position: int,
        classes: EquivalenceAnswers,
        i: int,
        cache: dict[tuple[int, str], tuple[int, int]] | None,
    ) -> tuple[int, int]:
        root = classes.root(self._names[i])
        masks = cache.get((position, root)) if cache is not None else None
        if masks is None:
            masks = classes.masks(root)
            if cache is not None:
                cache[(position, root)] = masks
        return masks
