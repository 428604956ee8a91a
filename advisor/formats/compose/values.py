"""Compose values turned into model values: ports, command words, memory and CPU amounts.

Each function takes the raw YAML value and a ``Fields`` of the service it belongs to, so a
value that cannot be understood becomes an ``InputError`` naming the file, line and key.
"""

from __future__ import annotations

import re
from typing import Any

from advisor.domain.model import Port, Quantity
from advisor.domain.quantities import MAX_QUANTITY
from advisor.formats.fields import Fields, kind_of

MAX_RANGE = 1000  # ports in one "a-b" range; more is surely a typo, and a huge manifest
_PROTOCOLS = {"tcp": "TCP", "udp": "UDP", "sctp": "SCTP"}
_RANGE = re.compile(r"^(\d{1,9})(?:-(\d{1,9}))?$")  # more digits: no port, and slow to read
# Docker's byte units are binary whatever their case: 1g = 1 GiB, 50M = 50 MiB, 10000Mb too.
_BYTES = re.compile(r"^(\d+(?:\.\d+)?)\s*([bkmgt]?)b?$", re.IGNORECASE)
_UNIT = {"": 1, "b": 1, "k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}


def port_spec_ports(spec: str, published: bool = False) -> list[Port] | str:
    """The container ports of a short-syntax spec, or a message saying what is wrong;
    ``published`` (a ``ports:`` entry) marks each with its host port, when the spec says.

    ``"8080"``, ``"80:8080"``, ``"127.0.0.1:80:8080/udp"``, ``"[::1]:80:80"`` and ranges
    ``"9090-9091:8080-8081"``: only the part after the last ``:`` is the container's.
    """
    text, _, protocol_word = spec.strip().partition("/")
    protocol = _PROTOCOLS.get((protocol_word or "tcp").lower())
    if protocol is None:
        return f"protocol {protocol_word!r} is not tcp, udp or sctp"
    host, _, container_part = text.rpartition(":")
    match = _RANGE.match(container_part)
    if match is None:
        return f"{spec!r} is not a port such as 80, '8080:80' or '127.0.0.1:53:53/udp'"
    host_port = host.rpartition(":")[2]  # after the IP, if there is one; may be empty
    if host_port:
        problem = _host_port_problem(host_port, spec)
        if problem is not None:
            return problem
    first = int(match[1])
    last = int(match[2]) if match[2] else first
    if last < first:
        return f"the range {container_part} runs backwards"
    if last - first >= MAX_RANGE:
        return f"the range {container_part} holds more than {MAX_RANGE} ports"
    for number in (first, last):
        if not 1 <= number <= 65535:
            return f"port {number} is not between 1 and 65535"
    numbers = range(first, last + 1)
    if not published:
        return [Port(number, protocol) for number in numbers]
    hosts = _host_numbers(host_port, len(numbers))
    return [
        Port(number, protocol, published=True, host_port=host)
        for number, host in zip(numbers, hosts, strict=True)
    ]


def _host_numbers(host_port: str, count: int) -> list[int | None]:
    """The host port of each of ``count`` container ports: a range of as many pairs up, one
    port serves one; anything else leaves Docker to pick (None)."""
    match = _RANGE.match(host_port)
    if match is None:
        return [None] * count
    first = int(match[1])
    last = int(match[2]) if match[2] else first
    if last - first + 1 != count:
        return [None] * count
    return list(range(first, last + 1))


def _host_port_problem(host_port: str, spec: str) -> str | None:
    """Docker refuses a spec whose published (host) port is not a port or range of ports."""
    match = _RANGE.match(host_port)
    if match is None:
        return f"{spec!r}: the published port {host_port!r} is not a port number or range"
    first = int(match[1])
    last = int(match[2]) if match[2] else first
    if last < first:
        return f"{spec!r}: the published range {host_port} runs backwards"
    for number in (first, last):
        if not 1 <= number <= 65535:
            return f"{spec!r}: the published port {number} is not between 1 and 65535"
    return None


def long_port(entry: Fields, published: bool = False) -> list[Port] | str:
    """A long-syntax port ``{target, published, protocol, ...}``: its container port, with
    its host port when ``published`` (a ``ports:`` entry)."""
    target = entry.data.get("target")
    if isinstance(target, bool) or not isinstance(target, (int, str)):
        return f"'target' must be the container's port, not {kind_of(target)}"
    protocol = entry.text("protocol") or "tcp"
    host = entry.data.get("published")
    host_text = f"{host}:" if isinstance(host, (int, str)) and not isinstance(host, bool) else ""
    return port_spec_ports(f"{host_text}{target}/{protocol}", published)


def memory_quantity(raw: Any) -> Quantity | str:
    """A Docker byte amount (``10000``, ``"50M"``, ``"1.5G"``, ``"10000Mb"``) as a quantity."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        return f"must be an amount such as '512m' or '1g', not {kind_of(raw)}"
    match = _BYTES.match(str(raw).strip())
    if match is None:
        return f"{raw!r} is not an amount such as '512m' or '1g'"
    amount = float(match[1]) * _UNIT[match[2].lower()]
    if not amount < MAX_QUANTITY:
        return f"{_cut(raw)} is too large; Kubernetes takes amounts below 2^63 bytes"
    size = int(amount)
    if size <= 0:
        return f"{raw!r} is not a positive amount"
    return Quantity(text=_binary_text(size), value=float(size))


def limit_quantity(raw: Any, cpus: bool) -> Quantity | str | None:
    """A ``mem_limit``, ``cpus`` or reservation: zero means none to Docker, so None here."""
    if not isinstance(raw, bool) and isinstance(raw, (int, float, str)):
        text = str(raw).strip()
        match = re.fullmatch(r"0+(?:\.0*)?|\.0+", text) if cpus else _BYTES.match(text)
        if match is not None and (cpus or float(match[1]) == 0):
            return None
    return cpu_quantity(raw) if cpus else memory_quantity(raw)


def _cut(raw: Any) -> str:
    """``raw`` for a message, cut to 40 characters."""
    text = str(raw)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _binary_text(size: int) -> str:
    """Bytes in the largest binary unit that holds them exactly: ``1610612736`` -> ``1536Mi``."""
    for unit, factor in (("Ti", 2**40), ("Gi", 2**30), ("Mi", 2**20), ("Ki", 2**10)):
        if size % factor == 0:
            return f"{size // factor}{unit}"
    return str(size)


def cpu_quantity(raw: Any) -> Quantity | str:
    """Docker ``cpus`` (``0.5``, ``"2"``) in Kubernetes millicores, at least ``1m``."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        return f"must be a number of CPUs such as 0.5, not {kind_of(raw)}"
    try:
        cores = float(str(raw).strip())
    except ValueError:
        return f"{raw!r} is not a number of CPUs such as 0.5"
    if not cores > 0 or cores != cores or cores == float("inf"):
        return f"{raw!r} is not a positive number of CPUs"
    if not cores * 1000 < MAX_QUANTITY:
        return f"{_cut(raw)} is too large a number of CPUs"
    millis = max(1, round(cores * 1000))
    text = str(millis // 1000) if millis % 1000 == 0 else f"{millis}m"
    return Quantity(text=text, value=millis / 1000)
