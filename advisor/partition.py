"""From answers to pods: a graph of pairs to co-locate, partitioned into valid pods.

A pod is a clique of the together-graph (every pair in it agreed) that also meets the
constraints as a whole (ports, node capacity, one primary). Among valid layouts we take one
with the fewest pods, then the most together-wishes honoured, then the first in name order,
so the same answers always give the same pods.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import networkx as nx

from advisor.constraints import pod_conflict
from advisor.model import Container, Inventory, Pair, Role
from advisor.rules import Rules

# Steps the exact search may take on one component before it settles for the greedy layout.
EXACT_SEARCH_STEPS = 200_000


@dataclass(frozen=True)
class Pod:
    """Containers that share one pod; ``name`` is its primary's (or first member's) name."""

    name: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class Tension:
    """A pair answered together that the layout could not put in one pod, and why."""

    pair: Pair
    reason: str


@dataclass(frozen=True)
class Layout:
    """The pods, the wishes left unhonoured, and whether every component was solved exactly."""

    pods: tuple[Pod, ...]
    tensions: tuple[Tension, ...]
    exact: bool = True

    def pod_of(self, container: str) -> Pod:
        """The pod holding ``container``."""
        return next(p for p in self.pods if container in p.members)


def together_graph(inventory: Inventory, together: Iterable[Pair]) -> nx.Graph:
    """Containers as nodes, an edge for each pair whose answers say: same pod."""
    graph = nx.Graph()
    graph.add_nodes_from(sorted(c.name for c in inventory.containers))
    graph.add_edges_from(sorted(together))
    return graph


def plan_layout(
    inventory: Inventory, rules: Rules, together: Iterable[Pair], why_apart: Callable[[Pair], str]
) -> Layout:
    """Partition the containers into the fewest valid pods that honour the together-answers.

    ``why_apart`` tells, for a pair not answered together, the reason (shown in tensions).
    """
    graph = together_graph(inventory, together)
    groups: list[list[str]] = []
    exact = True
    for component in sorted(sorted(c) for c in nx.connected_components(graph)):
        solved = _solve_exactly(component, graph, inventory, rules)
        if solved is None:
            exact = False
            solved = _solve_greedily(component, graph, inventory, rules)
        groups.extend(solved)
    pods = tuple(sorted((_pod(g, inventory) for g in groups), key=lambda p: p.name))
    layout = Layout(pods=pods, tensions=(), exact=exact)
    tensions = tuple(
        _tension(Pair.of(a, b), layout, inventory, rules, graph, why_apart)
        for a, b in sorted(graph.edges(), key=lambda e: Pair.of(*e))
        if layout.pod_of(a) != layout.pod_of(b)
    )
    return Layout(pods=pods, tensions=tensions, exact=exact)


def _members(names: list[str], inventory: Inventory) -> list[Container]:
    return [inventory.container(n) for n in names]


class _SearchBudgetSpent(Exception):
    pass


def _solve_exactly(
    nodes: list[str], graph: nx.Graph, inventory: Inventory, rules: Rules
) -> list[list[str]] | None:
    """Branch and bound over set partitions into valid cliques; None if the budget runs out."""
    if len(nodes) == 1:
        return [nodes]
    # Edges that touch nodes[i:], an upper bound on the wishes the rest can still honour.
    edges_ahead = [
        sum(1 for u, v in graph.subgraph(nodes).edges() if u in nodes[i:] or v in nodes[i:])
        for i in range(len(nodes) + 1)
    ]
    best: tuple[int, int, list[list[str]]] | None = None  # (pods, -honoured, groups)
    groups: list[list[str]] = []
    steps = 0

    def search(i: int, honoured: int) -> None:
        nonlocal best, steps
        steps += 1
        if steps > EXACT_SEARCH_STEPS:
            raise _SearchBudgetSpent
        if best is not None:
            if len(groups) > best[0]:
                return
            if len(groups) == best[0] and honoured + edges_ahead[i] <= -best[1]:
                return
        if i == len(nodes):
            candidate = (len(groups), -honoured, [list(g) for g in groups])
            if best is None or candidate[:2] < best[:2]:
                best = candidate
            return
        node = nodes[i]
        neighbours = graph.adj[node]
        for group in groups:
            if (
                all(m in neighbours for m in group)
                and pod_conflict(_members([*group, node], inventory), inventory.node, rules) is None
            ):
                group.append(node)
                search(i + 1, honoured + len(group) - 1)
                group.pop()
        groups.append([node])
        search(i + 1, honoured)
        groups.pop()

    try:
        search(0, 0)
    except _SearchBudgetSpent:
        return None
    assert best is not None
    return best[2]


def _solve_greedily(
    nodes: list[str], graph: nx.Graph, inventory: Inventory, rules: Rules
) -> list[list[str]]:
    """First fit, best-connected containers first: fast and usually close to the fewest pods."""
    groups: list[list[str]] = []
    for node in sorted(nodes, key=lambda n: (-graph.degree(n), n)):
        neighbours = graph.adj[node]
        for group in sorted(groups, key=len, reverse=True):
            if (
                all(m in neighbours for m in group)
                and pod_conflict(_members([*group, node], inventory), inventory.node, rules) is None
            ):
                group.append(node)
                break
        else:
            groups.append([node])
    return groups


def _pod(names: list[str], inventory: Inventory) -> Pod:
    """Primary first, then the other members by name; the pod is named after its first."""
    containers = _members(names, inventory)

    def rank(c: Container) -> tuple[int, str]:
        weight = {Role.PRIMARY: 0, None: 1, Role.SIDECAR: 2}[c.role]
        return (weight, c.name)

    ordered = tuple(c.name for c in sorted(containers, key=rank))
    return Pod(name=ordered[0], members=ordered)


def _tension(
    pair: Pair,
    layout: Layout,
    inventory: Inventory,
    rules: Rules,
    graph: nx.Graph,
    why_apart: Callable[[Pair], str],
) -> Tension:
    """Why ``pair``, answered together, ended up in two pods."""
    reasons = []
    for mover, stayer in ((pair.second, pair.first), (pair.first, pair.second)):
        pod = layout.pod_of(stayer)
        blocker = next(
            (m for m in pod.members if m != stayer and not graph.has_edge(m, mover)), None
        )
        if blocker is not None:
            reasons.append(
                f"{mover} cannot join {pod.name}'s pod: {blocker} is in it, and "
                f"{Pair.of(blocker, mover).label()}: {why_apart(Pair.of(blocker, mover))}"
            )
            continue
        conflict = pod_conflict(_members([*pod.members, mover], inventory), inventory.node, rules)
        if conflict is not None:
            reasons.append(f"{mover} cannot join {pod.name}'s pod: {conflict}")
    if not reasons:
        reasons.append(
            "either could join the other's pod, but that would break more "
            "together-answers elsewhere"
        )
    return Tension(pair=pair, reason="; ".join(reasons))
