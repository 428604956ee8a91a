"""What the inventory alone decides about every pair, as bit masks over the containers.

Bit ``j`` of row ``i`` stands for the pair of the ``i``-th and ``j``-th container (inventory
order). Rows are Python integers, so counting or scanning the pairs of one container is a
few word operations instead of a loop over every other container: the questionnaire counts
the pairs nobody answered this way, and loops only over the pairs some answer touched.
The masks say exactly what ``constraints.PodLoad`` and ``constraints.pair_fits_node`` say
pair by pair (float sums are monotone, so a sweep with the same comparison agrees).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from advisor.domain.model import Container, Inventory, Port, Quantity, Role
from advisor.domain.rules import Rules

EPSILON = 1e-9  # the slack constraints.py allows on sums of requests


class PairFacts:
    """Per container, the other containers a constraint keeps apart and the computed fits."""

    def __init__(self, inventory: Inventory, rules: Rules, fits_asked: bool) -> None:
        containers = inventory.containers
        self.size = len(containers)
        self.all = (1 << self.size) - 1
        enforced = {c.id for c in rules.constraints}
        blocked = [0] * self.size
        if "distinct_ports" in enforced:
            _or_shared_ports(containers, blocked)
        if "one_primary" in enforced:
            primaries = _mask(i for i, c in enumerate(containers) if c.role is Role.PRIMARY)
            for i, container in enumerate(containers):
                if container.role is Role.PRIMARY:
                    blocked[i] |= primaries
        node = inventory.node
        fits_known = [0] * self.size
        fits_no = [0] * self.size
        if node is not None and "node_capacity" in enforced:
            if node.cpu is not None:
                cpu_cap = node.cpu.value + EPSILON
                _or_over(containers, _cpu, lambda total: total > cpu_cap, blocked)
            if node.memory is not None:
                memory_cap = node.memory.value
                _or_over(containers, _memory, lambda total: total > memory_cap, blocked)
        if fits_asked and node is not None and (node.cpu, node.memory) != (None, None):
            complete = _mask(
                i
                for i, c in enumerate(containers)
                if (node.cpu is None or c.resources.cpu is not None)
                and (node.memory is None or c.resources.memory is not None)
            )
            if node.cpu is not None:
                cpu_fit = node.cpu.value + EPSILON
                _or_over(containers, _cpu, lambda total: not total <= cpu_fit, fits_no)
            if node.memory is not None:
                memory_fit = node.memory.value + EPSILON
                _or_over(containers, _memory, lambda total: not total <= memory_fit, fits_no)
            for i in range(self.size):
                if complete >> i & 1:
                    fits_known[i] = complete & ~(1 << i)
                    fits_no[i] &= complete
                else:
                    fits_no[i] = 0
        self.blocked = [row & ~(1 << i) for i, row in enumerate(blocked)]
        self.fits_known = fits_known
        self.fits_no = [row & ~(1 << i) for i, row in enumerate(fits_no)]
        self._unblocked_before: list[int] | None = None

    def after(self, i: int) -> int:
        """The containers after the ``i``-th: row ``i``'s pairs in all-pairs order."""
        return self.all >> (i + 1) << (i + 1)

    def unblocked_rank(self, i: int, j: int) -> int:
        """Position (from 1) of pair ``i``, ``j`` (i < j) among the pairs no constraint blocks."""
        if self._unblocked_before is None:
            before, total = [], 0
            for row in range(self.size):
                before.append(total)
                total += (self.after(row) & ~self.blocked[row]).bit_count()
            before.append(total)
            self._unblocked_before = before
        upto = ((1 << (j + 1)) - 1) & self.after(i) & ~self.blocked[i]
        return self._unblocked_before[i] + upto.bit_count()

    def unblocked_count(self) -> int:
        """How many pairs no constraint blocks."""
        self.unblocked_rank(0, 0)
        assert self._unblocked_before is not None
        return self._unblocked_before[-1]


def bits(mask: int) -> Iterator[int]:
    """The positions of the set bits of ``mask``, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _mask(indexes: Iterator[int]) -> int:
    result = 0
    for i in indexes:
        result |= 1 << i
    return result


def _or_shared_ports(containers: tuple[Container, ...], rows: list[int]) -> None:
    holders: dict[Port, int] = {}
    for i, container in enumerate(containers):
        for port in container.ports:
            key = Port(port.number, port.protocol)
            holders[key] = holders.get(key, 0) | 1 << i
    for i, container in enumerate(containers):
        for port in container.ports:
            rows[i] |= holders[Port(port.number, port.protocol)]


def _cpu(container: Container) -> Quantity | None:
    return container.resources.cpu


def _memory(container: Container) -> Quantity | None:
    return container.resources.memory


def _or_over(
    containers: tuple[Container, ...],
    request: Callable[[Container], Quantity | None],
    over: Callable[[float], bool],
    rows: list[int],
) -> None:
    """Mark the pairs, both with a ``request``, whose summed requests are ``over`` the node."""
    given = sorted(
        (quantity.value, i)
        for i, c in enumerate(containers)
        if (quantity := request(c)) is not None
    )
    values = [v for v, _ in given]
    # suffix[k]: the containers from the k-th smallest request on.
    suffix = [0] * (len(given) + 1)
    for k in range(len(given) - 1, -1, -1):
        suffix[k] = suffix[k + 1] | 1 << given[k][1]
    k = len(values)
    for value, i in given:
        # Sums grow with either request, so the pairs over the node are a suffix, and the
        # suffix only grows as the requests do (ascending here): one sweep finds them all.
        while k > 0 and over(value + values[k - 1]):
            k -= 1
        rows[i] |= suffix[k]
