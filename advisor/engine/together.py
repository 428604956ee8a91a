"""The pairs whose answers say: same pod, in a size linear in the answers.

In guided mode a yes to a transitive question carries along a chain: a chain of
together-answers through a thousand containers makes half a million pairs together, each
by inference. Listing them is quadratic in the class. Instead a class of every transitive
question at once (a joint class) whose every pair is together is kept as a clique, its
members alone; only the together-pairs outside any clique are listed, and those come from
the user's own answers (or from a class that something else parts: a constraint, the
roles, a no of the user's, a node too small for a pair).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from advisor.domain.model import Pair
from advisor.engine.known import Knowledge
from advisor.engine.state import State
from advisor.engine.steps import FITS_NODE


@dataclass(frozen=True)
class Together:
    """Containers the answers put in one pod: ``cliques`` (every pair of each together
    but those in ``parted``, disjoint, members in inventory order) and the other together
    ``pairs`` (sorted, none inside one clique); ``given``: the pairs inside a clique the
    user answered themselves (a tension names each one the layout splits); ``parted``: the
    pairs inside a clique a constraint keeps apart (a port both bind, two primaries)."""

    cliques: tuple[tuple[str, ...], ...] = ()
    pairs: tuple[Pair, ...] = ()
    given: tuple[Pair, ...] = ()
    parted: frozenset[Pair] = frozenset()

    @classmethod
    def of_pairs(cls, pairs: Iterable[Pair]) -> Together:
        """Together-pairs given one by one, no clique."""
        return cls((), tuple(sorted(set(pairs))))

    def every_pair(self) -> list[Pair]:
        """Every together-pair, sorted: quadratic in a clique's size, for small answers and
        tests (the outputs read the cliques and the pairs)."""
        every = set(self.pairs)
        for clique in self.cliques:
            every.update(Pair.of(a, b) for a, b in itertools.combinations(clique, 2))
        return sorted(every - self.parted)

    def has(self, a: str, b: str) -> bool:
        """Whether ``a`` and ``b`` are together."""
        clique = self._clique_of.get(a)
        if clique is not None and clique == self._clique_of.get(b) and a != b:
            return Pair.of(a, b) not in self.parted
        return b in self._partners.get(a, ())

    def neighbours(self, name: str) -> Iterator[str]:
        """The containers together with ``name``: its clique's members, then its pairs."""
        clique = self._clique_of.get(name)
        if clique is not None:
            members = self.cliques[clique]
            yield from (m for m in members if m != name and Pair.of(m, name) not in self.parted)
        yield from self._partners.get(name, ())

    def clique_of(self, name: str) -> tuple[str, ...] | None:
        """The clique ``name`` belongs to, if any."""
        index = self._clique_of.get(name)
        return None if index is None else self.cliques[index]

    @functools.cached_property
    def _clique_of(self) -> dict[str, int]:
        return {m: i for i, clique in enumerate(self.cliques) for m in clique}

    @functools.cached_property
    def _partners(self) -> dict[str, dict[str, None]]:
        """Each container's partners in ``pairs``, in their order (a dict: ``has`` looks
        one up at once)."""
        partners: dict[str, dict[str, None]] = {}
        for a, b in self.pairs:
            partners.setdefault(a, {})[b] = None
            partners.setdefault(b, {})[a] = None
        return partners


def together(state: State, triage_split: bool = False) -> Together:
    """What the answers put in one pod. With ``triage_split``, also the pairs the user
    answered together that the roles put in two applications (for the layout to name)."""
    known = state.known
    cliques: list[tuple[str, ...]] = []
    pairs: set[Pair] = set()
    joint = _joint_classes(known)
    class_of = {m: i for i, members in enumerate(joint) for m in members}
    # Classes in which the user said no for a pair (their own answer comes first).
    said_no = {
        class_of[p.first]
        for p, answers in known.asked.items()
        if not all(a.value for a in answers.values())
        and p.first in class_of
        and class_of[p.first] == class_of.get(p.second)
    }
    parted: set[Pair] = set()
    for index, members in enumerate(joint):
        blocked = None if index in said_no else _parted_inside(known, members)
        if blocked is not None:
            cliques.append(members)
            parted.update(blocked)
        else:  # something parts some pair of the class: its pairs one by one
            pairs.update(
                p
                for a, b in itertools.combinations(members, 2)
                if known.state(p := Pair.of(a, b)) == 0
            )
    clique_of = {m: i for i, clique in enumerate(cliques) for m in clique}

    def inside(pair: Pair) -> bool:
        first = clique_of.get(pair.first)
        return first is not None and first == clique_of.get(pair.second)

    # A no of the user's own parts a pair whatever else is known (most asked pairs).
    own = {p for p, answers in known.asked.items() if all(a.value for a in answers.values())}
    own.update(pair for _, pair in known.group_yes)
    pairs.update(p for p in own if not inside(p) and known.state(p) == 0)
    if triage_split:
        # The user's own yes for a pair the roles put in two applications: together as
        # answered, so the layout names it (a tension by the roles) instead of dropping it.
        pairs.update(
            p
            for p in own - pairs
            if not inside(p)
            and not state.exhaustive
            and state.roles.triage_split(p)
            and known.state(p, roles=False) == 0
        )
    given = tuple(sorted(p for p in own if inside(p) and p not in parted))
    return Together(tuple(cliques), tuple(sorted(pairs)), given, frozenset(parted))


def _joint_classes(known: Knowledge) -> list[tuple[str, ...]]:
    """The classes of every transitive question at once (two or more members, in
    inventory order); none when a question that is neither transitive nor computed from
    the facts could still part a pair of one."""
    if not known.classes or not known.transitive:
        return []
    if any(q not in known.transitive and q != FITS_NODE for q in known.questions):
        return []
    first = known.classes[known.transitive[0]]
    every = [known.classes[q] for q in known.transitive]
    joint: dict[tuple[str, ...], list[str]] = {}
    for name in known.names:
        if len(first.members(name)) > 1:
            joint.setdefault(tuple(c.root(name) for c in every), []).append(name)
    return [tuple(members) for members in joint.values() if len(members) > 1]


def _parted_inside(known: Knowledge, members: Sequence[str]) -> list[Pair] | None:
    """The pairs of ``members`` (a joint class, so yes to every transitive question, and
    no no of the user's inside) a constraint keeps apart, when every other pair is together:
    no role parts one and the facts say fits_node yes for each. None when some pair is
    neither (the class is then listed pair by pair). Bit masks, a few words per member."""
    order, facts = known.order, known.facts
    mask = 0
    for name in members:
        mask |= 1 << order[name]
    fits = known.fits_at is not None
    parted: list[Pair] = []
    names = known.names
    for name in members:
        i = order[name]
        others = mask & ~(1 << i)
        blocked = facts.blocked[i] & others
        if known.split_row(i) & others:
            return None
        if fits and (
            (facts.fits_known[i] & others) != others or facts.fits_no[i] & others & ~blocked
        ):
            return None
        later = blocked >> (i + 1) << (i + 1)  # each pair once, from its first member
        while later:
            j = later.bit_length() - 1
            parted.append(Pair.of(name, names[j]))
            later &= ~(1 << j)
    return parted
