"""A compose service's ports: ``ports`` (short and long syntax) and ``expose``."""

from __future__ import annotations

import re
from typing import Any

from advisor.domain.model import Port
from advisor.formats.compose import values
from advisor.formats.compose.context import Context
from advisor.formats.fields import Fields, kind_of
from advisor.formats.yamlfile import mark_of

_SEXAGESIMAL = re.compile(r"[0-9][0-9_]*(?::[0-5]?[0-9])+")


def service_ports(fields: Fields, context: Context) -> tuple[Port, ...]:
    """``ports`` (short and long syntax) and ``expose``: the container's ports, each once;
    those under ``ports`` are published (entry points)."""
    found: dict[tuple[int, str], Port] = {}
    for key in ("ports", "expose"):
        for index, item, items in fields.items(key):
            if isinstance(item, dict):
                entry = Fields(fields.source, item, f"{fields.dotted(key)}[{index}]", items, index)
                ports = values.long_port(entry, published=key == "ports")
            elif isinstance(item, (int, str)) and not isinstance(item, bool):
                written = _as_written(item, items, index, context)
                ports = values.port_spec_ports(written, published=key == "ports")
            else:
                fields.item_fail(
                    key, items, index, f"a port is text or a number, not {kind_of(item)}"
                )
            if isinstance(ports, str):
                fields.item_fail(key, items, index, ports)
            for port in ports:
                found.setdefault((port.number, port.protocol), port)
    return tuple(found.values())


def _as_written(item: int | str, items: Any, index: int, context: Context) -> str:
    """The port as the file spells it: YAML 1.1 reads an unquoted ``22:22`` as 1342."""
    if isinstance(item, str):
        return item
    where = mark_of(items, index)
    line = None if where is None else context.line_at(where)
    if where is None or line is None:
        return str(item)
    match = _SEXAGESIMAL.match(line, where[1] - 1)
    if match is None:
        return str(item)
    number = 0
    for part in match[0].replace("_", "").split(":"):
        number = number * 60 + int(part)
    return match[0] if number == item else str(item)
