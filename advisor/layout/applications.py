"""Which application each container belongs to, as the roles say it, and the together-answers
that would join two applications: the layout keeps those apart and reports them as tensions."""

from __future__ import annotations

import itertools
from collections.abc import Collection, Sequence

from advisor.domain.model import Inventory, Pair, Role
from advisor.domain.rules import Rules


def within_applications(
    inventory: Inventory,
    rules: Rules,
    cliques: Sequence[tuple[str, ...]],
    parted: Collection[Pair] = (),
) -> tuple[list[tuple[str, ...]], list[Pair]]:
    """The cliques of together-answers whose members the roles put in one application (or
    none), and the pairs of the others (but ``parted``), one by one, for
    ``crossing_pairs`` to look at."""
    if "one_primary" not in {c.id for c in rules.constraints} or not cliques:
        return list(cliques), []
    application = applications(inventory)
    kept: list[tuple[str, ...]] = []
    pairs: list[Pair] = []
    for clique in cliques:
        if len({application[m] for m in clique if m in application}) > 1:
            every = (Pair.of(a, b) for a, b in itertools.combinations(clique, 2))
            pairs += [p for p in every if p not in parted]
        else:
            kept.append(clique)
    return kept, pairs


def crossing_pairs(inventory: Inventory, rules: Rules, together: list[Pair]) -> dict[Pair, str]:
    """The pairs answered together (a group answer spanning two applications) that the roles
    put in different applications, with why: primaries never share a pod, and a helper goes
    with the primary it complements, never into another's pod."""
    if "one_primary" not in {c.id for c in rules.constraints}:
        return {}
    application = applications(inventory)
    found: dict[Pair, str] = {}
    for pair in together:
        first, second = application.get(pair.first), application.get(pair.second)
        if first is None or second is None or first == second:
            continue
        if pair.first == first and pair.second == second:
            found[pair] = f"{first} and {second} are both primary applications"
        else:
            helper, other = (pair.first, pair.second) if pair.first != first else pair[::-1]
            theirs = application[other]
            found[pair] = (
                f"{helper} helps {application[helper]}, "
                + (f"not {other}" if other == theirs else f"and {other} helps {theirs}")
                + ": a helper shares a pod with its own primary only"
            )
    return found


def applications(inventory: Inventory) -> dict[str, str]:
    """Each container's application, where the roles say it: a primary's own name, and a
    helper's the primary its ``complements`` lead to (none for a circle or a dead end)."""
    by_name = {c.name: c for c in inventory.containers}
    found: dict[str, str | None] = {}
    for container in inventory.containers:
        chain: list[str] = []
        name: str | None = container.name
        root: str | None = None
        while name is not None and name not in found and name not in chain:
            current = by_name.get(name)
            if current is None:
                break
            chain.append(name)
            if current.role is Role.PRIMARY:
                root, name = name, None
            else:
                name = current.complements
        if name is not None and name in found:
            root = found[name]
        for link in chain:
            found[link] = root
    return {name: root for name, root in found.items() if root is not None}
