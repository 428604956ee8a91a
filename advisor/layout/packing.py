"""A clique of together-answers too large for one pod, laid out without listing its pairs.

A class every pair of which is together but those a constraint parts (see
``engine.together``: a port two members bind, two primaries, the node's capacity) is packed
first fit, in order, into pods that meet the constraints. Every
pair across two of those pods is a together-answer left unhonoured: a tension names each
such pair the user answered, and each pod split off that none of those names, not every
pair, so the tensions stay linear in the answers.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from advisor.domain.model import Inventory, Pair
from advisor.domain.rules import Rules
from advisor.domain.words import plural
from advisor.engine.constraints import PodLoad, pod_conflict
from advisor.layout.constraintfix import constraint_fix

# Members of a clique up to which each of its tensions spells its fix out in full.
SPELLED_OUT = 10


@dataclass(frozen=True)
class PackedClique:
    """The pods cliques are packed into, a lower bound on their number, and the tensions
    that name the splits (pair, reason, fix)."""

    parts: list[list[str]]
    lower_bound: int
    tensions: list[tuple[Pair, str, str]]  # (pair, reason, fix)


def pack_cliques(
    cliques: Sequence[Sequence[str]],
    inventory: Inventory,
    rules: Rules,
    given: Sequence[Pair],
    parted: Collection[Pair] = (),
) -> PackedClique:
    """Each of ``cliques`` packed (see ``pack_clique``), their pods, bounds and tensions
    together; ``given``: the user's own pairs inside them; ``parted``: their pairs a
    constraint keeps apart (two need two pods at least)."""
    by_member: dict[str, list[Pair]] = {}
    parted_from: dict[str, int] = {}  # pairs a constraint keeps apart, by their first
    for pair in parted:
        parted_from[pair.first] = parted_from.get(pair.first, 0) + 1
    for pair in given:
        by_member.setdefault(pair.first, []).append(pair)
    parts: list[list[str]] = []
    lower_bound = 0
    tensions: list[tuple[Pair, str, str]] = []
    for clique in cliques:
        mine = [p for name in clique for p in by_member.get(name, ())]
        apart = sum(parted_from.get(name, 0) for name in clique)
        packed = pack_clique(clique, inventory, rules, mine, apart)
        parts += packed.parts
        lower_bound += max(packed.lower_bound, 2 if apart else 1)
        tensions += packed.tensions
    return PackedClique(parts, lower_bound, tensions)


def pack_clique(
    members: Sequence[str],
    inventory: Inventory,
    rules: Rules,
    given: Sequence[Pair] = (),
    parted: int = 0,
) -> PackedClique:
    """``members`` packed first fit into pods that meet the constraints (the node's
    capacity), the fewest only when the summed requests say no fewer would do. A tension
    names each pair of ``given`` (the user's own answers) split, and each pod split off
    that none of them names."""
    parts: list[tuple[list[str], PodLoad]] = []
    for name in members:
        container = inventory.container(name)
        for part, load in parts:
            if load.conflict(container) is None:
                part.append(name)
                load.add(container)
                break
        else:
            load = PodLoad.empty(inventory.node, rules)
            load.add(container)
            parts.append(([name], load))
    groups = [part for part, _ in parts]
    if len(groups) == 1:
        return PackedClique(groups, 1, [])
    containers = [inventory.container(n) for n in members]
    conflict = pod_conflict(containers, inventory.node, rules)
    fix = constraint_fix(containers, inventory.node, rules) or "answer no for a pair of them"
    # The together-pairs across the pods: all pairs but those inside one, and the
    # ``parted`` pairs a constraint keeps apart anyway.
    across = len(members) * (len(members) - 1) // 2 - parted
    across -= sum(len(g) * (len(g) - 1) // 2 for g in groups)
    reason = (
        f"they are in a class of {len(members)} containers answered together (each pair "
        f"yes, given or inferred) and {conflict}: packed into {plural(len(groups), 'pod')}, "
        f"{plural(across, 'pair')} across them"
    )
    part_of = {name: k for k, group in enumerate(groups) for name in group}
    pairs = [p for p in given if part_of[p.first] != part_of[p.second]]
    named = {part_of[name] for pair in pairs for name in pair}
    pairs += [Pair.of(groups[0][0], groups[k][0]) for k in range(1, len(groups)) if k not in named]
    # The fix names every member: in a large clique once, for the first tension only.
    again = fix if len(members) <= SPELLED_OUT else f"the same as for {pairs[0].label()}"
    tensions = [(pair, reason, fix if k == 0 else again) for k, pair in enumerate(pairs)]
    return PackedClique(groups, _at_least(members, inventory), tensions)


def _at_least(members: Sequence[str], inventory: Inventory) -> int:
    """The pods the summed requests need at the least, each resource against the node."""
    node = inventory.node
    bound = 1
    if node is None:
        return bound
    for have, requests in (
        (node.cpu, [inventory.container(n).resources.cpu for n in members]),
        (node.memory, [inventory.container(n).resources.memory for n in members]),
    ):
        total = sum(q.value for q in requests if q is not None)
        if have is not None and have.value > 0:
            bound = max(bound, math.ceil(total / have.value - 1e-9))
    return bound
