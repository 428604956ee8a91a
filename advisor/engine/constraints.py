"""Hard constraints a pod must meet as a whole, whatever the answers say.

Kept free of the search so the partition, the questionnaire (which skips pairs a
constraint already separates) and the explanations all give the same reasons.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor.domain.model import Container, Node, Port, Role
from advisor.domain.quantities import format_cpu, format_memory
from advisor.domain.rules import Rules


@dataclass
class PodLoad:
    """What a growing pod already holds: its ports, primaries and summed requests."""

    node: Node | None
    enforced: frozenset[str]
    ports: dict[Port, str] = field(default_factory=dict)
    primaries: list[str] = field(default_factory=list)
    cpu: float = 0.0
    memory: float = 0.0

    @classmethod
    def empty(cls, node: Node | None, rules: Rules) -> PodLoad:
        """A pod with nothing in it yet, checking the constraints the policy enforces."""
        return cls(node=node, enforced=frozenset(c.id for c in rules.constraints))

    def conflict(self, container: Container) -> str | None:
        """Why ``container`` cannot join this pod, or None when it can."""
        if "distinct_ports" in self.enforced:
            for port in container.ports:
                holder = self.ports.get(_port_key(port))
                if holder is not None:
                    return f"port {port} is bound by both {holder} and {container.name}"
        if "one_primary" in self.enforced and container.role is Role.PRIMARY and self.primaries:
            return f"{self.primaries[0]} and {container.name} are both primary applications"
        if "node_capacity" in self.enforced and self.node is not None:
            return self._capacity_conflict(container)
        return None

    def _capacity_conflict(self, container: Container) -> str | None:
        assert self.node is not None
        cpu, memory = container.resources.cpu, container.resources.memory
        if self.node.cpu is not None and cpu is not None:
            total = self.cpu + cpu.value
            if total > self.node.cpu.value + 1e-9:
                return (
                    f"their CPU requests add up to {format_cpu(total)} of the node's "
                    f"{format_cpu(self.node.cpu.value)}"
                )
        if self.node.memory is not None and memory is not None:
            total = self.memory + memory.value
            if total > self.node.memory.value:
                return (
                    f"their memory requests add up to {format_memory(total)} of the "
                    f"node's {format_memory(self.node.memory.value)}"
                )
        return None

    def add(self, container: Container) -> None:
        """Put ``container`` in the pod (call ``conflict`` first)."""
        for port in container.ports:
            self.ports[_port_key(port)] = container.name
        if container.role is Role.PRIMARY:
            self.primaries.append(container.name)
        if container.resources.cpu is not None:
            self.cpu += container.resources.cpu.value
        if container.resources.memory is not None:
            self.memory += container.resources.memory.value


def _port_key(port: Port) -> Port:
    return Port(port.number, port.protocol)  # the port's name plays no part in a clash


def pod_conflict(members: list[Container], node: Node | None, rules: Rules) -> str | None:
    """Why ``members`` cannot form one pod, or None when they can."""
    load = PodLoad.empty(node, rules)
    for container in members:
        reason = load.conflict(container)
        if reason is not None:
            return reason
        load.add(container)
    return None


def pair_fits_node(a: Container, b: Container, node: Node | None) -> tuple[bool, str] | None:
    """Whether one node meets the pair's summed requests, when the inventory says enough.

    None when some request or the node's capacity is unknown: then the user is asked.
    """
    if node is None or (node.cpu is None and node.memory is None):
        return None
    parts = []
    fits = True
    for what, have, needs, show in (
        ("CPU", node.cpu, (a.resources.cpu, b.resources.cpu), format_cpu),
        ("memory", node.memory, (a.resources.memory, b.resources.memory), format_memory),
    ):
        if have is None:
            continue
        if needs[0] is None or needs[1] is None:
            return None
        total = needs[0].value + needs[1].value
        fits = fits and total <= have.value + 1e-9
        parts.append(f"{show(total)} of {show(have.value)} {what}")
    verdict = "fit" if fits else "do not fit"
    return fits, f"their requests {verdict} one node: " + ", ".join(parts)
