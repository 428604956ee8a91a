"""The questions and the policy as data (read from ``rules/*.yaml`` by ``formats.rules``)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from advisor.domain.images import image_base, is_one_of

# Words the policy may use; the code implements exactly these.
KNOWN_CONSTRAINTS = ("distinct_ports", "node_capacity", "one_primary")


@dataclass(frozen=True)
class Question:
    """One of the five questions, as data."""

    id: str
    text: str
    short: str
    help: str
    transitive: bool = False  # a yes for a~b and b~c means a yes for a~c (see inference)

    def ask_about(self, a: str, b: str) -> str:
        """The question with both containers' names filled in."""
        return self.text.format(a=a, b=b)


@dataclass(frozen=True)
class Constraint:
    """A rule every pod must satisfy as a whole, with the reason shown to users."""

    id: str
    why: str


@dataclass(frozen=True)
class WellKnownPorts:
    """The port a client uses when nothing says another: an image's (by the last part of
    its name, ``postgres`` 5432) and a URL scheme's (``http`` 80)."""

    images: tuple[tuple[str, int], ...] = ()
    schemes: tuple[tuple[str, int], ...] = ()

    def of_image(self, image: str) -> tuple[str, int] | None:
        """The image word ``image`` matches and its port (``bitnami/postgresql:16`` ->
        ``("postgresql", 5432)``), or None for an image the table does not know."""
        base = image_base(image)
        exact = next((entry for entry in self.images if entry[0] == base), None)
        if exact is not None:
            return exact
        return next((entry for entry in self.images if is_one_of(base, (entry[0],))), None)

    def of_scheme(self, scheme: str) -> int | None:
        """The port a URL of ``scheme`` reaches when it names none."""
        return dict(self.schemes).get(scheme.lower())


@dataclass(frozen=True)
class Rules:
    """The questions in asking order, the constraints every pod is checked against, and
    the well-known ports."""

    questions: tuple[Question, ...]
    constraints: tuple[Constraint, ...]
    ports: WellKnownPorts = WellKnownPorts()

    @functools.cached_property
    def question_ids(self) -> tuple[str, ...]:
        """The questions' ids in asking order (asked for on every pair: computed once)."""
        return tuple(q.id for q in self.questions)

    def question(self, question_id: str) -> Question:
        """The question with this id (which must exist)."""
        return next(q for q in self.questions if q.id == question_id)
