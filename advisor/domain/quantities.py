"""Kubernetes resource quantities: ``"500m"``, ``2``, ``"1.5"``, ``"512Mi"``, ``"1G"``."""

from __future__ import annotations

import re
from decimal import Decimal

from advisor.domain.model import Quantity

_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {
    "n": 1e-9,
    "u": 1e-6,
    "m": 1e-3,
    "": 1,
    "k": 1e3,
    "M": 1e6,
    "G": 1e9,
    "T": 1e12,
    "P": 1e15,
    "E": 1e18,
}
_EXPONENTS = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
# The grammar of Kubernetes' resource.Quantity (without the rarely used exponent forms
# such as "1e3", which we accept too because YAML turns 1e3 into a float anyway).
_QUANTITY = re.compile(
    r"^(?P<number>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
    r"(?P<suffix>Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$"
)


# Kubernetes keeps a quantity in a 64-bit integer (of milli-units for CPU): anything larger is
# a mistake, and refusing it early keeps "1e99999999" from computing ten to that power.
MAX_QUANTITY = 2.0**63


class QuantityError(ValueError):
    """The text is not a Kubernetes quantity; the message says what would be."""


def parse_quantity(raw: object, what: str) -> Quantity:
    """Parse a CPU or memory quantity as Kubernetes would; refuse negatives and unknown units."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise QuantityError(f"{what} must be a quantity such as {_example(what)}, not {raw!r}")
    text = _format_number(raw) if not isinstance(raw, str) else raw.strip()
    match = _QUANTITY.match(text)
    if match is None and text.startswith("-"):
        raise QuantityError(f"{what} {text!r} is negative; a request is zero or more")
    if match is None:
        hint = ""
        if text.lower().endswith(("mb", "gb", "kb")):
            digits, unit = text[:-2], text[-2].upper()
            hint = f" (Kubernetes writes {digits}{unit}i or {digits}{unit})"
        raise QuantityError(
            f"{what} {text!r} is not a Kubernetes quantity such as {_example(what)}{hint}"
        )
    number = float(match["number"])
    suffix = match["suffix"] or ""
    if suffix in _BINARY:
        value = number * _BINARY[suffix]
    elif suffix in _DECIMAL:
        value = number * _DECIMAL[suffix]
    else:  # exponent form: float() reads "1e99999999" as infinity at once (10 ** n would not)
        value = float(text)
    if not value < MAX_QUANTITY:  # also infinity
        raise QuantityError(
            f"{what} {_cut(text)} is too large; Kubernetes takes quantities below 2^63"
        )
    return Quantity(text=text, value=value)


def exact_value(quantity: Quantity) -> Decimal:
    """``quantity``'s value without a float's rounding (``1.1M`` is 1100000 exactly): for a
    check that it is a whole number."""
    match = _QUANTITY.match(quantity.text)
    if match is None:  # written from a number
        return Decimal(repr(quantity.value))
    suffix = match["suffix"] or ""
    if suffix in _BINARY:
        return Decimal(match["number"]) * _BINARY[suffix]
    if suffix in _DECIMAL:
        return Decimal(match["number"]) * Decimal(f"1e{_EXPONENTS[suffix]}")
    return Decimal(quantity.text)


def _cut(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _format_number(raw: float) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, float) and raw < 0:
        return repr(raw)
    return str(raw) if isinstance(raw, int) else f"{raw:.6f}".rstrip("0").rstrip(".")


def _example(what: str) -> str:
    return '"250m" or "1.5"' if "cpu" in what else '"512Mi" or "1G"'


def format_cpu(cores: float) -> str:
    """Cores for people: ``0.35``, ``2``, ``1.25``."""
    return f"{cores:.3f}".rstrip("0").rstrip(".") if cores else "0"


def format_memory(size: float) -> str:
    """Bytes for people, in the binary units Kubernetes users read: ``192Mi``, ``1.5Gi``."""
    for unit, factor in (
        ("Ei", 2**60),
        ("Pi", 2**50),
        ("Ti", 2**40),
        ("Gi", 2**30),
        ("Mi", 2**20),
        ("Ki", 2**10),
    ):
        if size >= factor:
            return f"{size / factor:.2f}".rstrip("0").rstrip(".") + unit
    return f"{int(size)}"
