"""What to change in the inventory so that containers can form one pod, in words."""

from __future__ import annotations

from collections.abc import Sequence

from advisor.domain.model import Container, Node, Port, Quantity, Role
from advisor.domain.quantities import format_cpu, format_memory
from advisor.domain.rules import Rules
from advisor.engine.constraints import PodLoad


def constraint_fix(members: Sequence[Container], node: Node | None, rules: Rules) -> str | None:
    """What to change in the inventory so ``members`` can form one pod; None if they can.

    Mirrors ``constraints.pod_conflict``: members are added in order and the first conflict
    found is the one the fix addresses.
    """
    load = PodLoad.empty(node, rules)
    for index, container in enumerate(members):
        if load.conflict(container) is not None:
            return _fix_for(load, container, members[: index + 1], node)
        load.add(container)
    return None


def _fix_for(
    load: PodLoad, container: Container, members: Sequence[Container], node: Node | None
) -> str:
    if "distinct_ports" in load.enforced:
        for port in container.ports:
            holder = load.ports.get(Port(port.number, port.protocol))
            if holder is not None:
                return f"change port {port} of {holder} or of {container.name}"
    if "one_primary" in load.enforced and container.role is Role.PRIMARY and load.primaries:
        return (
            f"mark {load.primaries[0]} or {container.name} as role: sidecar, "
            "if it only helps the other"
        )
    assert node is not None  # the only other constraint is the node's capacity
    for what, have, requests, show in (
        ("CPU", node.cpu, [(c.name, c.resources.cpu) for c in members], format_cpu),
        ("memory", node.memory, [(c.name, c.resources.memory) for c in members], format_memory),
    ):
        given: list[tuple[str, Quantity]] = [(n, q) for n, q in requests if q is not None]
        total = sum(q.value for _, q in given)
        if have is None or total <= have.value + 1e-9:
            continue
        names = ", ".join(n for n, _ in given)
        return (
            f"lower the {what} requests of {names} by {show(total - have.value)} in all "
            f"({show(total)} requested, the node has {show(have.value)}), "
            f"or give the node {show(total)} {what}"
        )
    return "change the inventory so they fit one pod"  # pragma: no cover - defensive
