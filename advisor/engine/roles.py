"""Roles and triage: what each container is, and the applications they make up.

A container is a primary application or a helper of another; following the helper links
gives each container its application. Containers of different applications are apart
without a question (guided mode only: exhaustive mode takes no roles).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from advisor.domain.kinds import evident_kind
from advisor.domain.model import Inventory, Pair, Role, Workload


@dataclass
class RolesView:
    """Each container's application and each application's members, as bit masks."""

    app_of: dict[str, str | None]
    app_masks: dict[str, int]
    known: int  # containers whose application is known
    complete: bool  # every container's role is known


class Roles:
    """The roles given so far (from the answers file or the user) and what follows."""

    def __init__(self, inventory: Inventory) -> None:
        self.inventory = inventory
        self.names = [c.name for c in inventory.containers]
        self.given: dict[str, str | None] = {}  # container -> what it helps (None: primary)
        self.confirmed = False  # the proposed roles were confirmed (or declined)
        self._view: RolesView | None = None
        self._applications: list[list[str]] | None = None

    def from_inventory(self) -> dict[str, str | None] | None:
        """Roles when the inventory says, for every container, what it is; else None."""
        roles: dict[str, str | None] = {}
        for container in self.inventory.containers:
            if container.role is Role.PRIMARY:
                roles[container.name] = None
            elif container.role is Role.SIDECAR and container.complements is not None:
                roles[container.name] = container.complements
            else:
                return None
        return roles

    def proposal(self) -> dict[str, str | None]:
        """What each container is, as the user said, else as the inventory states or guesses
        it, else a primary application (nothing suggests it helps another). A container
        guessed a helper of no container in particular is left out: only a list can ask it."""
        roles: dict[str, str | None] = {}
        for container in self.inventory.containers:
            name = container.name
            if name in self.given:
                roles[name] = self.given[name]
            elif container.role is not Role.SIDECAR:
                roles[name] = None
            elif container.complements is not None:
                roles[name] = container.complements
        return roles

    def kinds_kept(self) -> dict[str, Workload]:
        """How the primaries the proposal gives (not yet the user's) run by their evidence (a
        node agent, a one-off job): what keeping the proposed roles keeps too."""
        kinds: dict[str, Workload] = {}
        for name, helps in self.proposal().items():
            kind = evident_kind(self.inventory.container(name))
            if helps is None and name not in self.given and kind is not None:
                kinds[name] = kind
        return kinds

    def evidence(self, name: str) -> str:
        """Why ``name`` is proposed as it is, in a few words."""
        if name in self.given:
            return "your answer"
        container = self.inventory.container(name)
        if container.role_evidence:
            return container.role_evidence
        if container.role is not None:
            return "as the inventory states"
        kind = evident_kind(container)
        if kind is Workload.DAEMONSET:
            return "it reads the node (global mode, /var/log, /proc or /sys)"
        if kind is Workload.JOB:
            return "it runs to completion or on a schedule"
        return "nothing suggests it helps another"

    @contextmanager
    def supposing(self, roles: dict[str, str | None]) -> Iterator[None]:
        """The roles taken as ``roles`` for a while (to count what would follow), then as
        they were."""
        given, view, applications = self.given, self._view, self._applications
        self.given = roles
        self.forget()
        try:
            yield
        finally:
            self.given, self._view, self._applications = given, view, applications

    def candidates(self, name: str) -> list[str]:
        """The containers ``name`` could be a helper of, in inventory order: all the others
        but those that help ``name`` already, directly or through another (helper roles in a
        circle leave no primary)."""
        helped_by: dict[str, list[str]] = {}
        for helper, helped in self.proposal().items():
            if helped is not None and helper != name:
                helped_by.setdefault(helped, []).append(helper)
        helping, waiting = {name}, [name]
        while waiting:
            for helper in helped_by.get(waiting.pop(), []):
                if helper not in helping:
                    helping.add(helper)
                    waiting.append(helper)
        return [n for n in self.names if n not in helping]

    def set(self, name: str, helps: str | None) -> None:
        """Record one role; what was worked out from the roles is worked out again."""
        self.given[name] = helps
        self.forget()

    def forget(self) -> None:
        """Forget what was worked out from the roles; it is worked out again when needed."""
        self._view = None
        self._applications = None

    def view(self) -> RolesView:
        """The applications as the roles stand."""
        if self._view is None:
            app_of = {n: self._application_of(n) for n in self.names}
            masks: dict[str, int] = {}
            known = 0
            for i, name in enumerate(self.names):
                app = app_of[name]
                if app is not None:
                    masks[app] = masks.get(app, 0) | 1 << i
                    known |= 1 << i
            complete = all(n in self.given for n in self.names)
            self._view = RolesView(app_of, masks, known, complete)
        return self._view

    @property
    def cached_view(self) -> RolesView | None:
        """The view if it was worked out since the roles last changed, else None."""
        return self._view

    def use_view(self, view: RolesView) -> None:
        """Take ``view`` as the roles' view (while the tally is brought up to date)."""
        self._view = view

    @property
    def complete(self) -> bool:
        """Whether every container's role is known."""
        return self.view().complete

    def application_of(self, name: str) -> str | None:
        """The primary application ``name`` belongs with (following helper links), or None."""
        return self.view().app_of[name]

    def applications(self) -> list[list[str]]:
        """Each primary application with its helpers, in inventory order."""
        if self._applications is None:
            groups: dict[str, list[str]] = {}
            for name in self.names:
                groups.setdefault(self.application_of(name) or name, []).append(name)
            self._applications = [g for g in groups.values()]
        return self._applications

    def shared_application(self, pair: Pair) -> str | None:
        """The application both of ``pair`` belong with, if they share one."""
        app = self.application_of(pair.first)
        return app if app == self.application_of(pair.second) else None

    def split_row(self, i: int) -> int:
        """The containers the roles put in another application than the ``i``-th."""
        view = self.view()
        app = view.app_of[self.names[i]]
        return 0 if app is None else view.known & ~view.app_masks[app]

    def triage_split(self, pair: Pair) -> str | None:
        """Why the roles put ``pair`` in different applications, if they do."""
        app_a, app_b = self.application_of(pair.first), self.application_of(pair.second)
        if app_a is None or app_b is None or app_a == app_b:
            return None
        return (
            f"{pair.first} belongs with {app_a} and {pair.second} with {app_b}"
            if {app_a, app_b} != set(pair)
            else f"{pair.first} and {pair.second} are separate applications"
        )

    def named_primaries(self) -> frozenset[str]:
        """The containers given the role of a primary application where the inventory does
        not say so itself: a confirmed (or resumed) inventory role is no word of the user's
        on how a container runs."""
        own = self.from_inventory() or {}
        return frozenset(
            name
            for name, helps in self.given.items()
            if helps is None and not (name in own and own[name] is None)
        )

    def inventory_with_roles(self) -> Inventory:
        """The inventory with the roles given in place of its own, so the pods are named
        after their primary and the manifests treat helpers as helpers."""
        if not self.given:
            return self.inventory
        containers = []
        for container in self.inventory.containers:
            if container.name in self.given:
                helps = self.given[container.name]
                role = Role.PRIMARY if helps is None else Role.SIDECAR
                container = dataclasses.replace(container, role=role, complements=helps)
            containers.append(container)
        return dataclasses.replace(self.inventory, containers=tuple(containers))

    def _application_of(self, name: str) -> str | None:
        seen = {name}
        while True:
            if name not in self.given:
                return None
            helps = self.given[name]
            if helps is None or helps in seen:
                return name
            seen.add(helps)
            name = helps
