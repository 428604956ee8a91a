"""What follows from answers to a transitive question.

A question is transitive when its "yes" is an equivalence: if a~b and b~c must scale
together, so must a~c. Then each question's yes-answers group containers into classes, and
a no between two members of two classes is a no for every pair across them (were a~c yes,
b~c would be yes too). Both facts are kept per class with a union-find, so an answer costs
time in proportion to the pairs it settles, not to all pairs. Each class also keeps its
members as a bit mask (bit i: the i-th name), so the pairs a class decides can be counted
without listing them.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterator


class EquivalenceAnswers:
    """The asked yes/no answers of one transitive question, and what they imply."""

    def __init__(self, names: list[str]) -> None:
        self._parent = {n: n for n in names}
        self._members: dict[str, list[str]] = {n: [n] for n in names}
        self._mask: dict[str, int] = {n: 1 << i for i, n in enumerate(names)}  # root -> members
        self._apart: dict[str, set[str]] = {n: set() for n in names}  # root -> roots said no
        self._yes_edges: dict[str, list[str]] = {n: [] for n in names}  # for the chains
        self._no_edges: dict[frozenset[str], tuple[str, str]] = {}  # root pair -> asked pair

    def root(self, name: str) -> str:
        """The representative of ``name``'s class."""
        parent = self._parent
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    def known(self, a: str, b: str) -> bool | None:
        """True or False when the answers so far decide ``a``~``b``, None when they do not."""
        ra, rb = self.root(a), self.root(b)
        if ra == rb:
            return True
        if rb in self._apart[ra]:
            return False
        return None

    def settled_by_yes(self, a: str, b: str) -> Iterator[tuple[str, str, bool]]:
        """Each pair a yes for ``a``~``b`` would newly decide, with its value (changes nothing).

        The asked pair and every pair across the two classes become yes; a class that one
        side was apart from becomes apart from the other side too. Nothing when the pair is
        decided already (a yes that contradicts a no changes nothing: check ``known`` first).
        """
        ra, rb = self.root(a), self.root(b)
        if ra == rb or rb in self._apart[ra]:
            return
        members_a, members_b = self._members[ra], self._members[rb]
        for x in members_a:
            for y in members_b:
                yield (x, y, True)
        for side, other_side in ((ra, members_b), (rb, members_a)):
            for apart_root in self._apart[side] - self._apart[ra if side == rb else rb]:
                for x in other_side:
                    for y in self._members[apart_root]:
                        yield (x, y, False)

    def add_yes(self, a: str, b: str) -> None:
        """Record a yes (see ``settled_by_yes`` for the pairs it decides)."""
        ra, rb = self.root(a), self.root(b)
        self._yes_edges[a].append(b)
        self._yes_edges[b].append(a)
        if ra == rb or rb in self._apart[ra]:
            return
        if len(self._members[ra]) < len(self._members[rb]):
            ra, rb = rb, ra
        self._parent[rb] = ra
        self._members[ra].extend(self._members.pop(rb))
        self._mask[ra] |= self._mask.pop(rb)
        for other in self._apart.pop(rb):
            self._apart[other].discard(rb)
            self._apart[other].add(ra)
            self._apart[ra].add(other)
            edge = self._no_edges.pop(frozenset((rb, other)))
            self._no_edges.setdefault(frozenset((ra, other)), edge)

    def settled_by_no(self, a: str, b: str) -> Iterator[tuple[str, str, bool]]:
        """Each pair a no for ``a``~``b`` would newly decide (all no; changes nothing)."""
        ra, rb = self.root(a), self.root(b)
        if ra == rb or rb in self._apart[ra]:
            return
        for x in self._members[ra]:
            for y in self._members[rb]:
                yield (x, y, False)

    def add_no(self, a: str, b: str) -> None:
        """Record a no: every pair across the two classes is no (``settled_by_no`` lists them)."""
        ra, rb = self.root(a), self.root(b)
        if ra == rb or rb in self._apart[ra]:
            return
        self._apart[ra].add(rb)
        self._apart[rb].add(ra)
        self._no_edges[frozenset((ra, rb))] = (a, b)

    def yes_mask(self, name: str) -> int:
        """The members of ``name``'s class, as a bit mask."""
        return self._mask[self.root(name)]

    def no_mask(self, name: str) -> int:
        """Every container known to be apart from ``name``, as a bit mask."""
        result = 0
        for other in self._apart[self.root(name)]:
            result |= self._mask[other]
        return result

    def members(self, name: str) -> list[str]:
        """Every container in ``name``'s class."""
        return self._members[self.root(name)]

    def chain(self, a: str, b: str) -> list[tuple[str, str, bool]]:
        """The asked answers that decide ``a``~``b``: yes links, and for a no the one no."""
        verdict = self.known(a, b)
        if verdict is None:
            return []
        if verdict:
            return [(x, y, True) for x, y in self._path(a, b)]
        x, y = self._no_edges[frozenset((self.root(a), self.root(b)))]
        if self.root(x) != self.root(a):
            x, y = y, x
        return (
            [(p, q, True) for p, q in self._path(a, x)]
            + [(x, y, False)]
            + [(p, q, True) for p, q in self._path(y, b)]
        )

    def _path(self, a: str, b: str) -> list[tuple[str, str]]:
        """Yes links from ``a`` to ``b`` (breadth first: the shortest chain)."""
        if a == b:
            return []
        previous: dict[str, str] = {a: a}
        queue = deque([a])
        while queue:
            node = queue.popleft()
            for nxt in self._yes_edges[node]:
                if nxt not in previous:
                    previous[nxt] = node
                    if nxt == b:
                        path = [b]
                        while path[-1] != a:
                            path.append(previous[path[-1]])
                        path.reverse()
                        return list(itertools.pairwise(path))
                    queue.append(nxt)
        return []
