"""The tally kept up to date answer by answer (see ``tally`` for its bit-mask design).

Built once for the roles as they stand, row by row; after that each answer takes back the
contribution of every pair it settles, as it was before, and adds the one after.
"""

from __future__ import annotations

from collections.abc import Iterator

from advisor.domain.model import Pair
from advisor.engine.known import Knowledge
from advisor.engine.pairfacts import bits
from advisor.engine.roles import Roles, RolesView
from advisor.engine.steps import UNIFIED_WHOLE
from advisor.engine.tally import Contribution, RowMasks, Tally


class TallyKeeper:
    """The tally of ``known``'s pairs; ``roles`` None in exhaustive mode (one unit)."""

    def __init__(self, known: Knowledge, roles: Roles | None) -> None:
        self.known = known
        self.roles = roles
        self._tally: Tally | None = None
        self._pending: dict[Pair, Contribution] = {}  # contributions before this answer

    def one_unit(self) -> bool:
        """Whether every pair may be asked (exhaustive, or roles not all known yet)."""
        return self.roles is None or not self.roles.complete

    def forget(self) -> None:
        """The roles changed: count again when next needed."""
        self._tally = None

    def before(self, pair: Pair) -> None:
        """Remember ``pair``'s contribution before the answer being recorded changes it."""
        if self._tally is not None and pair not in self._pending:
            self._pending[pair] = self._contribution(self._tally, pair)

    def settle(self) -> None:
        """Replace, in the tally, each changed pair's old contribution by its new one."""
        tally = self._tally
        if tally is not None:
            for pair, old in self._pending.items():
                tally.apply(old, -1)
                tally.apply(self._contribution(tally, pair))
        self._pending = {}

    def role_added(self, old_view: RolesView | None) -> None:
        """One role was recorded (``old_view``: the roles' view before it); while roles stay
        incomplete, update the tally for the containers whose application it makes known,
        instead of counting again."""
        assert self.roles is not None
        tally, self._tally = self._tally, None
        new_view = self.roles.view()
        if tally is None or old_view is None or new_view.complete:
            return  # counted again when needed (with the roles complete, per application)
        view = RolesView(dict(old_view.app_of), dict(old_view.app_masks), old_view.known, False)
        self.roles.use_view(view)
        names, facts = self.known.names, self.known.facts
        for i, other in enumerate(names):
            app = new_view.app_of[other]
            if app == old_view.app_of[other]:
                continue
            assert app is not None and old_view.app_of[other] is None  # roles only get known
            # Every pair of the container, taken back as the roles stood and added as they
            # are now: of its row, only what the roles part it from changes.
            partners = facts.all & ~(1 << i)
            row = self.row(i, partners)
            tally.add_row(row, partners, None, -1)
            view.app_of[other] = app
            view.app_masks[app] = view.app_masks.get(app, 0) | 1 << i
            view.known |= 1 << i
            row.parted = self.known.parted(i)
            tally.add_row(row, partners, None, 1)
        self.roles.use_view(new_view)
        self._tally = tally

    def open_in_rows(self, row: int = 0) -> Iterator[tuple[int, int]]:
        """Open pairs by position, in all-pairs order from row ``row`` on: read from each
        row's bit masks, not pair by pair."""
        facts = self.known.facts
        for i in range(row, len(self.known.names)):
            after = facts.after(i)
            for j in bits(self.row(i, after).opened(after)):
                yield i, j

    def row(
        self,
        i: int,
        partners: int,
        cache: dict[tuple[int, str], tuple[int, int]] | None = None,
        direct: int | None = None,
    ) -> RowMasks:
        """Row ``i`` for its pairs with ``partners``, as the roles stand (see ``AnswerRows``)."""
        app_members = 0
        if not self.one_unit():
            assert self.roles is not None
            view = self.roles.view()
            app = view.app_of[self.known.names[i]]
            assert app is not None  # the roles are complete
            app_members = view.app_masks[app]
        return self.known.rows.row(i, partners, self.known.parted(i), app_members, cache, direct)

    def tally(self) -> Tally:
        """The tally for the roles as they stand (built when they change)."""
        if self._tally is None:
            self._tally = self._count()
        return self._tally

    def _count(self) -> Tally:
        known = self.known
        tally = Tally(self.one_unit(), known.fits_at, known.position.get(UNIFIED_WHOLE))
        view = None if tally.one_unit or self.roles is None else self.roles.view()
        cache: dict[tuple[int, str], tuple[int, int]] = {}
        direct = known.rows.direct_partners()
        for i, name in enumerate(known.names):
            if view is None:
                app, partners = None, known.facts.after(i)
            else:
                app = view.app_of[name]
                assert app is not None  # the roles are complete
                # Pairs across applications are parted: unless answered directly (and
                # so counted by source), they add nothing.
                partners = (view.app_masks[app] | direct[i]) >> (i + 1) << (i + 1)
                if not direct[i] & partners:
                    # A few pairs inside one application (the rest are parted), none
                    # answered directly: faster one by one than through the masks.
                    for j in bits(partners):
                        pair = Pair.of(name, known.names[j])
                        tally.apply(self._contribution(tally, pair))
                    continue
            tally.add_row(self.row(i, partners, cache, direct[i]), partners, app)
        return tally

    def _contribution(self, tally: Tally, pair: Pair) -> Contribution:
        """What ``pair`` adds to the tally, from its answers one by one."""
        known = self.known
        answers = [known.known(pair, question_id) for question_id in known.questions]
        i, j = known.order[pair.first], known.order[pair.second]
        facts = known.facts
        parted = bool(facts.blocked[i] >> j & 1 or known.split_row(i) >> j & 1)
        fits_known = bool(facts.fits_known[i] >> j & 1)
        app = None if tally.one_unit or self.roles is None else self.roles.shared_application(pair)
        asked = pair in known.asked or pair in known.grouped_pairs
        return tally.count_pair(answers, app, parted, fits_known, asked)
