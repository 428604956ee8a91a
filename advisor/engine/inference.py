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
    """The asked yes/no answers of one transitive question, and what they imply.

    A container nobody linked is a class of its own; it has no entry in the dictionaries
    below until an answer involves it (most never do, and thousands of empty entries per
    question would only cost time to build).
    """

    def __init__(self, names: list[str]) -> None:
        self._position = {n: i for i, n in enumerate(names)}
        self._parent: dict[str, str] = {}  # name -> a name closer to its root (roots: none)
        self._members: dict[str, list[str]] = {}  # root -> members (classes of two or more)
        self._mask: dict[str, int] = {}  # root -> members as a bit mask (likewise)
        self._apart: dict[str, set[str]] = {}  # root -> roots said no
        self._yes_edges: dict[str, list[str]] = {}  # for the chains
        # Two roots (sorted) -> the asked pair that parted them. Tuples of names, unlike sets, are
        # left alone by the garbage collector: there is one per no answer.
        self._no_edges: dict[tuple[str, str], tuple[str, str]] = {}

    def root(self, name: str) -> str:
        """The representative of ``name``'s class."""
        parent = self._parent
        root = name
        while root in parent:
            root = parent[root]
        while name != root:  # point the whole path at the root
            parent[name], name = root, parent[name]
        return root

    def known(self, a: str, b: str) -> bool | None:
        """True or False when the answers so far decide ``a``~``b``, None when they do not."""
        ra, rb = self.root(a), self.root(b)
        if ra == rb:
            return True
        if rb in self._apart.get(ra, ()):
            return False
        return None

    def settled_by_yes(self, a: str, b: str) -> Iterator[tuple[str, str, bool]]:
        """Each pair a yes for ``a``~``b`` would newly decide, with its value (changes nothing).

        The asked pair and every pair across the two classes become yes; a class that one
        side was apart from becomes apart from the other side too. Nothing when the pair is
        decided already (a yes that contradicts a no changes nothing: check ``known`` first).
        """
        ra, rb = self.root(a), self.root(b)
        if ra == rb or rb in self._apart.get(ra, ()):
            return
        members_a, members_b = self._class(ra), self._class(rb)
        for x in members_a:
            for y in members_b:
                yield (x, y, True)
        for side, other, other_side in ((ra, rb, members_b), (rb, ra, members_a)):
            for apart_root in self._apart.get(side, set()) - self._apart.get(other, set()):
                for x in other_side:
                    for y in self._class(apart_root):
                        yield (x, y, False)

    def add_yes(self, a: str, b: str) -> None:
        """Record a yes (see ``settled_by_yes`` for the pairs it decides)."""
        ra, rb = self.root(a), self.root(b)
        self._yes_edges.setdefault(a, []).append(b)
        self._yes_edges.setdefault(b, []).append(a)
        if ra == rb or rb in self._apart.get(ra, ()):
            return
        if len(self._class(ra)) < len(self._class(rb)):
            ra, rb = rb, ra
        self._parent[rb] = ra
        members = self._members.get(ra)
        if members is None:
            members = self._members[ra] = [ra]
        members.extend(self._members.pop(rb, [rb]))  # the smaller class into the larger
        self._mask[ra] = self._class_mask(ra) | self._class_mask(rb)
        self._mask.pop(rb, None)
        for other in self._apart.pop(rb, ()):
            self._apart[other].discard(rb)
            self._apart[other].add(ra)
            self._apart_of(ra).add(other)
            edge = self._no_edges.pop(_sorted(rb, other))
            self._no_edges.setdefault(_sorted(ra, other), edge)

    def settled_by_no(self, a: str, b: str) -> Iterator[tuple[str, str, bool]]:
        """Each pair a no for ``a``~``b`` would newly decide (all no; changes nothing)."""
        ra, rb = self.root(a), self.root(b)
        if ra == rb or rb in self._apart.get(ra, ()):
            return
        for x in self._class(ra):
            for y in self._class(rb):
                yield (x, y, False)

    def add_no(self, a: str, b: str) -> None:
        """Record a no: every pair across the two classes is no (``settled_by_no`` lists them)."""
        ra, rb = self.root(a), self.root(b)
        if ra == rb or rb in self._apart.get(ra, ()):
            return
        self._apart_of(ra).add(rb)
        self._apart_of(rb).add(ra)
        self._no_edges[_sorted(ra, rb)] = (a, b)

    def masks(self, name: str) -> tuple[int, int]:
        """The members of ``name``'s class, and every container known to be apart from
        it, as bit masks."""
        root = self.root(name)
        apart = 0
        masks, position = self._mask, self._position
        for other in self._apart.get(root, ()):
            mask = masks.get(other)  # as _class_mask, for thousands of classes
            apart |= 1 << position[other] if mask is None else mask
        return self._class_mask(root), apart

    def members(self, name: str) -> list[str]:
        """Every container in ``name``'s class."""
        return self._class(self.root(name))

    def _class(self, root: str) -> list[str]:
        return self._members.get(root) or [root]

    def _apart_of(self, root: str) -> set[str]:
        apart = self._apart.get(root)
        if apart is None:
            apart = self._apart[root] = set()
        return apart

    def _class_mask(self, root: str) -> int:
        mask = self._mask.get(root)
        return 1 << self._position[root] if mask is None else mask

    def chain(self, a: str, b: str) -> list[tuple[str, str, bool]]:
        """The asked answers that decide ``a``~``b``: yes links, and for a no the one no."""
        verdict = self.known(a, b)
        if verdict is None:
            return []
        if verdict:
            return [(x, y, True) for x, y in self._path(a, b)]
        x, y = self._no_edges[_sorted(self.root(a), self.root(b))]
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
            for nxt in self._yes_edges.get(node, ()):
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


def _sorted(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)
