"""From answers to pods: a graph of pairs to co-locate, partitioned into valid pods.

A pod is a clique of the together-graph (every pair in it agreed) that also meets the
constraints as a whole (ports, node capacity, one primary). Among valid layouts we take one
with the fewest pods, then the most together-wishes honoured, then the first in name order,
so the same answers always give the same pods.

Each connected component of the together-graph is solved on its own, exactly by branch and
bound (depth first, without recursion) while a step budget lasts: at most
``EXACT_SEARCH_STEPS`` per component and ``LAYOUT_SEARCH_STEPS`` for the whole layout, the
smallest components first, so the search costs a bounded time whatever the input. A
component past its budget gets a greedy layout (pods grown from the container with the
fewest neighbours left, O(edges x pod size + n log n)) and a lower bound on its pods:
containers no two of which were answered together (an independent set, found greedily)
need a pod each. The layout reports the bound and the gap.

Most answers need no search: each connected group is already a valid pod, every pair in it
answered together. That case is recognised first, without the graph (importing networkx
is a fifth of a second of ``plan``), and gives the layout the search would.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from advisor.domain.model import Container, Inventory, Pair, Role
from advisor.domain.rules import Rules
from advisor.engine.constraints import PodLoad, pod_conflict
from advisor.engine.together import Together
from advisor.layout.applications import crossing_pairs, within_applications
from advisor.layout.packing import pack_cliques

if TYPE_CHECKING:
    import networkx as nx

# Steps the exact search may take on one component before it settles for the greedy layout,
# and on all of them together: past that every component left is laid out greedily.
EXACT_SEARCH_STEPS = 20_000
LAYOUT_SEARCH_STEPS = 100_000


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
    fix: str | None = None  # the way out, when it is no change of answers the layout can plan
    by_roles: bool = False  # the roles put the pair in two applications (see layout.applications)


@dataclass(frozen=True)
class Layout:
    """The pods, the wishes left unhonoured, and whether every component was solved exactly.

    ``lower_bound`` is a number of pods no valid layout can go below: the layout's own count
    when every component was solved exactly, else the exact counts plus, for each component
    laid out greedily, the size of a set of containers no two of which may share a pod.
    """

    pods: tuple[Pod, ...]
    tensions: tuple[Tension, ...]
    exact: bool = True
    lower_bound: int = -1  # -1: the number of pods (an exact layout)
    _index: dict[str, Pod] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.lower_bound < 0:
            object.__setattr__(self, "lower_bound", len(self.pods))
        self._index.update((m, pod) for pod in self.pods for m in pod.members)

    @property
    def gap(self) -> int:
        """Pods more than the lower bound: 0 when the layout is known to be the fewest."""
        return len(self.pods) - self.lower_bound

    def pod_of(self, container: str) -> Pod:
        """The pod holding ``container``."""
        return self._index[container]


def together_graph(
    inventory: Inventory,
    together: Iterable[Pair],
    cliques: Iterable[tuple[str, ...]] = (),
    parted: Collection[Pair] = (),
) -> nx.Graph:
    """Containers as nodes (in name order), an edge for each pair whose answers say: same
    pod (each pair of a clique too but ``parted``: quadratic, for the search alone)."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(sorted(c.name for c in inventory.containers))
    graph.add_edges_from(together)
    for clique in cliques:
        graph.add_edges_from(
            p for p in itertools.combinations(clique, 2) if Pair.of(*p) not in parted
        )
    return graph


def components(graph: nx.Graph) -> list[list[str]]:
    """Every connected component, each sorted, in order of their first names."""
    import networkx as nx

    return sorted(sorted(c) for c in nx.connected_components(graph))


def plan_layout(
    inventory: Inventory,
    rules: Rules,
    together: Iterable[Pair] | Together,
    why_apart: Callable[[Pair], str],
) -> Layout:
    """Partition the containers into the fewest valid pods that honour the together-answers
    (pairs, or ``Together``'s cliques and pairs).

    ``why_apart`` tells, for a pair not answered together, the reason (shown in tensions).
    """
    if not isinstance(together, Together):
        together = Together.of_pairs(together)
    cliques, pairs = within_applications(inventory, rules, together.cliques, together.parted)
    pairs += together.pairs
    crossing = crossing_pairs(inventory, rules, pairs)
    kept = [p for p in pairs if p not in crossing]
    by_roles = [Tension(pair, crossing[pair], by_roles=True) for pair in crossing]
    # A constraint parting a pair of a clique leaves it for the packing below.
    as_answered = None if together.parted else _pods_as_answered(inventory, rules, kept, cliques)
    if as_answered is not None:
        by_roles.sort(key=lambda t: tuple(t.pair))
        return Layout(pods=as_answered, tensions=tuple(by_roles))
    # A clique no other together-answer touches is packed on its own, without its pairs.
    touched = {name for pair in kept for name in pair}
    alone = [c for c in cliques if touched.isdisjoint(c)]
    graph = together_graph(
        inventory, kept, [c for c in cliques if not touched.isdisjoint(c)], together.parted
    )
    graph.remove_nodes_from(name for clique in alone for name in clique)
    packed = pack_cliques(alone, inventory, rules, together.given, together.parted)
    groups: list[list[str]] = list(packed.parts)
    lower_bound = packed.lower_bound
    split = [Tension(pair, reason, fix) for pair, reason, fix in packed.tensions]
    exact = lower_bound == len(groups)
    budget = _Budget()
    # The smallest components first: the budget goes to those it can settle.
    for component in sorted(components(graph), key=lambda c: (len(c), c)):
        solved = _solve_exactly(component, graph, inventory, rules, budget)
        if solved is None:
            exact = False
            solved = _solve_greedily(component, graph, inventory, rules)
            lower_bound += len(_apart_set(component, graph))
        else:
            lower_bound += len(solved)
        groups.extend(solved)
    pods = tuple(sorted((_pod(g, inventory) for g in groups), key=lambda p: p.name))
    layout = Layout(pods=pods, tensions=(), exact=exact, lower_bound=lower_bound)
    tensions = [
        _tension(Pair.of(a, b), layout, inventory, rules, graph, why_apart)
        for a, b in sorted(graph.edges())
        if layout.pod_of(a) != layout.pod_of(b)
    ]
    tensions += by_roles + split
    tensions.sort(key=lambda t: tuple(t.pair))
    return Layout(pods=pods, tensions=tuple(tensions), exact=exact, lower_bound=lower_bound)


def _pods_as_answered(
    inventory: Inventory, rules: Rules, together: list[Pair], cliques: list[tuple[str, ...]]
) -> tuple[Pod, ...] | None:
    """The pods when every connected group of together-answers is a clique that fits one pod:
    then that group is its fewest pods (one) and honours every wish, as the search would
    find. None when some group needs the search. ``cliques`` count as all their pairs."""
    group = {c.name: [c.name] for c in inventory.containers}
    clique_of = {m: i for i, clique in enumerate(cliques) for m in clique}
    pairs = {
        p
        for p in together
        if p.first not in clique_of or clique_of.get(p.second) != clique_of[p.first]
    }
    links = [*((c[0], m) for c in cliques for m in c[1:]), *pairs]
    for a, b in links:
        if a == b or a not in group or b not in group:
            return None  # left to the graph, whatever it makes of it
        mine, theirs = group[a], group[b]
        if mine is not theirs:
            if len(mine) < len(theirs):
                mine, theirs = theirs, mine
            mine.extend(theirs)
            for name in theirs:
                group[name] = mine
    edges: dict[int, int] = {}
    for a, _ in pairs:
        edges[id(group[a])] = edges.get(id(group[a]), 0) + 1
    for clique in cliques:
        size = len(clique)
        edges[id(group[clique[0]])] = edges.get(id(group[clique[0]]), 0) + size * (size - 1) // 2
    groups = list({id(g): g for g in group.values()}.values())
    for members in groups:
        size = len(members)
        if size == 1:
            continue
        members.sort()
        if edges[id(members)] != size * (size - 1) // 2:  # not every pair answered together
            return None
        if pod_conflict(_members(members, inventory), inventory.node, rules) is not None:
            return None
    return tuple(sorted((_pod(g, inventory) for g in groups), key=lambda p: p.name))


def _apart_set(nodes: list[str], graph: nx.Graph) -> list[str]:
    """Containers of a component no two of which were answered together (greedily, the
    least connected first): each needs a pod of its own, so their number bounds the pods."""
    chosen: list[str] = []
    excluded: set[str] = set()
    for node in sorted(nodes, key=lambda n: (graph.degree(n), n)):
        if node not in excluded:
            chosen.append(node)
            excluded.update(graph.adj[node])
    return chosen


def _members(names: list[str], inventory: Inventory) -> list[Container]:
    return [inventory.container(n) for n in names]


class _Budget:
    """Search steps left for the whole layout; each component may take at most its share."""

    def __init__(self) -> None:
        self.left = LAYOUT_SEARCH_STEPS

    def share(self) -> int:
        return min(EXACT_SEARCH_STEPS, self.left)


_NEW_GROUP = -1  # the option of a group of one's own


@dataclass(slots=True)
class _Frame:
    """A container placed by the search: its position, the wishes honoured before it, the
    groups it may join (by index, then ``_NEW_GROUP``) and how many of them were tried."""

    position: int
    honoured: int
    options: list[int]
    tried: int = 0


def _solve_exactly(
    nodes: list[str], graph: nx.Graph, inventory: Inventory, rules: Rules, budget: _Budget
) -> list[list[str]] | None:
    """Branch and bound over set partitions into valid cliques; None if the budget runs out.

    Depth first with an explicit stack (a component may hold thousands of containers): each
    container in name order joins every group it may join, in the groups' order, then opens
    a group of its own; the first partition found with the best (pods, wishes) is kept.
    Only the groups holding a neighbour are candidates, so a step costs the container's
    degree, not the number of groups.
    """
    if len(nodes) == 1:
        return [nodes]
    limit = budget.share()
    # Edges that touch nodes[i:], an upper bound on the wishes the rest can still honour.
    position = {n: i for i, n in enumerate(nodes)}
    edges_ahead = [0] * (len(nodes) + 1)
    for node in nodes:
        for other in graph.adj[node]:
            if node < other:  # counted once, for every i up to its later end
                edges_ahead[max(position[node], position[other])] += 1
    for i in range(len(nodes) - 1, -1, -1):
        edges_ahead[i] += edges_ahead[i + 1]
    best: tuple[int, int, list[list[str]]] | None = None  # (pods, -honoured, groups)
    groups: list[list[str]] = []
    group_of: dict[str, int] = {}
    stack: list[_Frame] = []  # one per container placed, from the first
    steps = 0

    def visit(i: int, honoured: int) -> bool:
        """Enter position ``i``; False once the budget is spent."""
        nonlocal best, steps
        steps += 1
        if steps > limit:
            return False
        if best is not None:
            if len(groups) > best[0]:
                return True
            if len(groups) == best[0] and honoured + edges_ahead[i] <= -best[1]:
                return True
        if i == len(nodes):
            candidate = (len(groups), -honoured, [list(g) for g in groups])
            if best is None or candidate[:2] < best[:2]:
                best = candidate
            return True
        options = _options(nodes[i], groups, group_of, graph, inventory, rules)
        stack.append(_Frame(i, honoured, options))
        return True

    within_budget = visit(0, 0)
    while within_budget and stack:
        frame = stack[-1]
        node = nodes[frame.position]
        if frame.tried:  # take the container back out of the option tried last
            del group_of[node]
            last = frame.options[frame.tried - 1]
            if last == _NEW_GROUP:
                groups.pop()
            else:
                groups[last].pop()
        if frame.tried == len(frame.options):
            stack.pop()
            continue
        choice = frame.options[frame.tried]
        frame.tried += 1
        honoured = frame.honoured
        if choice == _NEW_GROUP:
            groups.append([node])
            group_of[node] = len(groups) - 1
        else:
            groups[choice].append(node)
            group_of[node] = choice
            honoured += len(groups[choice]) - 1
        within_budget = visit(frame.position + 1, honoured)
    budget.left -= min(steps, limit)
    if not within_budget:
        return None
    assert best is not None
    return best[2]


def _options(
    node: str,
    groups: list[list[str]],
    group_of: dict[str, int],
    graph: nx.Graph,
    inventory: Inventory,
    rules: Rules,
) -> list[int]:
    """The groups ``node`` may join (every member a neighbour, no constraint broken), in
    their order, then a group of its own."""
    neighbours_in: dict[int, int] = {}
    for other in graph.adj[node]:
        index = group_of.get(other)
        if index is not None:
            neighbours_in[index] = neighbours_in.get(index, 0) + 1
    options = [
        index
        for index, count in sorted(neighbours_in.items())
        if count == len(groups[index])
        and pod_conflict(_members([*groups[index], node], inventory), inventory.node, rules) is None
    ]
    options.append(_NEW_GROUP)
    return options


def _solve_greedily(
    nodes: list[str], graph: nx.Graph, inventory: Inventory, rules: Rules
) -> list[list[str]]:
    """Pods grown one at a time, each from the container with the fewest neighbours left
    (then by name), taking its neighbours left in the same order while they keep the pod a
    valid clique. A chain pairs off from one end. O(edges x pod size + n log n)."""
    left = {n: len(graph.adj[n]) for n in nodes}
    queue = [(degree, n) for n, degree in left.items()]
    heapq.heapify(queue)
    groups: list[list[str]] = []
    while queue:
        degree, seed = heapq.heappop(queue)
        if seed not in left or left[seed] != degree:
            continue  # placed already, or an entry from before its neighbours were placed
        group = [seed]
        load = PodLoad.empty(inventory.node, rules)
        load.add(inventory.container(seed))
        for other in sorted((m for m in graph.adj[seed] if m in left), key=lambda m: (left[m], m)):
            adjacent = graph.adj[other]
            container = inventory.container(other)
            if all(m in adjacent for m in group) and load.conflict(container) is None:
                group.append(other)
                load.add(container)
        for member in group:
            del left[member]
        for member in group:
            for other in graph.adj[member]:
                if other in left:
                    left[other] -= 1
                    heapq.heappush(queue, (left[other], other))
        groups.append(group)
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
