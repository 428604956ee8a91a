"""The tally: open pairs, their unknown questions and the answers by source, over every pair.

Counting pair by pair would visit every pair of the inventory, so the questionnaire counts
row by row instead: bit j of row i stands for the pair of the i-th and j-th container (see
``pairfacts``), and a row's masks say what the facts, the roles and the classes of the
transitive questions decide for all of its pairs at once (``RowMasks``). Only the pairs
answered directly (asked, a group yes, a link of the source file) are counted one by one,
from their own answers (``Tally.count_pair``). After that an answer updates only the pairs
it settles: their contribution before it is taken back and the one after it added.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from advisor.model import Source

Known = tuple[bool, Source]  # an answer's value and where it came from, without its reason

# What one pair adds to the tally: open (0 or 1), unknown questions if open, the
# application both belong to (or None), and its answers asked, computed and inferred.
Contribution = tuple[int, int, str | None, int, int, int]


@dataclass
class RowMasks:
    """What the facts, the roles and the classes say about every pair of one container.

    Bit j of each mask stands for the pair with the j-th container; the lists hold one mask
    per question, in question order (0 where neither the classes nor the facts decide it).
    """

    apart: int  # constraints, the roles, or a no of the classes or the facts part them
    parted: int  # constraints or the roles part them (whatever the answers say)
    yes: list[int]  # per question: the pairs a class or the facts say yes for
    no: list[int]  # per question: the pairs a class or the facts say no for
    sources: list[Source | None]  # per question: where those answers come from
    counted: int  # the pairs whose answers count by source (see ``Tally.count_pair``)

    def undecided(self, partners: int) -> int:
        """The ``partners`` still open as the masks see them: not apart, a question unknown."""
        all_known = partners
        for yes, no in zip(self.yes, self.no, strict=True):
            all_known &= yes | no
        return partners & ~self.apart & ~all_known

    def answers(self, j: int) -> list[Known | None]:
        """What the masks say about the pair with the ``j``-th container, per question."""
        answers: list[Known | None] = []
        for yes, no, source in zip(self.yes, self.no, self.sources, strict=True):
            if source is None or not (yes | no) >> j & 1:
                answers.append(None)
            else:
                answers.append((bool(yes >> j & 1), source))
        return answers


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
    sources: dict[Source, int] = field(default_factory=lambda: {s: 0 for s in Source})

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
        """Add (or take back) the pairs of one container with ``partners`` (a mask), as the
        row's masks see them; ``app``: the application they are inside, if counted so."""
        opened = row.undecided(partners)
        count = opened.bit_count()
        questions = len(row.yes)
        unknown = questions * count
        counted = partners & row.counted
        for yes, no, source in zip(row.yes, row.no, row.sources, strict=True):
            known = yes | no
            unknown -= (opened & known).bit_count()
            if source is not None:
                self.sources[source] += sign * (counted & known).bit_count()
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
            # As listing the open pairs used to see them: the first no ends a pair's
            # questions, so fits_node counts only where none came before.
            in_scope = fits_known and not (parted or no_before_fits)
        else:
            in_scope = app is not None
        opened = 0 if said_no or parted or not unknown else 1
        if not (in_scope or asked):
            return opened, unknown if opened else 0, app, 0, 0, 0
        return opened, unknown if opened else 0, app, asked_count, computed, inferred
