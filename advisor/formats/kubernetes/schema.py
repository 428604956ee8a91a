"""Every field of a workload's manifest checked against the Kubernetes API's types.

The advice carries a manifest over field for field: a probe, an affinity, a toleration or
an env ``valueFrom`` of the wrong type would come out as a manifest the API server refuses.
This is the one check of types: it walks the whole workload (``status`` aside, which the
output drops) against ``rules/workload-schema.json``, the types cut down from the API's
schema (``tools/workload_schema.py`` makes it), and refuses the first field of the wrong
type, an unknown field, or a missing one the API requires: one line naming the file, the
line, the workload and the field. What the types cannot say (names, ports, a selector
that selects its template) ``checks`` and ``apirules`` check after it.
"""

from __future__ import annotations

import difflib
import functools
import json
from typing import Any

from advisor.formats.fields import Fields, kind_of
from advisor.formats.rules import rules_dir
from advisor.formats.yamlfile import mark_of

# How a type reads in a message.
_WANTED = {
    "text": "text (quote it)",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "quantity": "a quantity (such as 500m, 2 or 1Gi)",
    "int-or-text": "a number or a name",
}

# "a list of text" says what goes in the list
_PLURAL = {
    "text": "text", "integer": "whole numbers", "number": "numbers", "boolean": "true or false",
    "quantity": "quantities", "int-or-text": "numbers or names",
}  # fmt: skip


@functools.cache
def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((rules_dir() / "workload-schema.json").read_text("utf-8"))
    return schema


def wrong_type(wanted: str, value: Any) -> str:
    """What a value of the wrong type is told: ``must be text (quote it), not a number``."""
    return f"must be {_WANTED[wanted]}, not {kind_of(value)}"


def _must(wanted: Any, value: Any) -> str:
    """What ``value`` is told when it is not what ``wanted`` (a type of the schema) wants."""
    if isinstance(wanted, str):
        return wrong_type(wanted, value)
    return f"must be {'a list' if 'list' in wanted else 'a mapping'}, not {kind_of(value)}"


def check_schema(workload: Fields, kind: str) -> None:
    """Refuse the first field of ``workload`` (a ``kind``) the API server would refuse."""
    schema = _schema()
    _object(workload, schema["kinds"][kind], schema["types"], skip=("status",))


# The status a claim template carries as ``kubectl get -o yaml`` prints it (the output
# drops it, as it drops the workload's own).
_SKIPPED = {"io.k8s.api.core.v1.PersistentVolumeClaim": ("status",)}


def _object(fields: Fields, name: str, types: dict[str, Any], skip: tuple[str, ...] = ()) -> None:
    known = types[name]["fields"]
    skip = skip or _SKIPPED.get(name, ())
    for key in types[name]["required"]:
        if fields.data.get(key) is None:
            fields.fail(key, "missing: the API requires it")
    for key, value in fields.data.items():
        if key in skip:
            continue
        wanted = known.get(key) if isinstance(key, str) else None
        if wanted is None:
            close = difflib.get_close_matches(str(key), list(known), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            fields.fail(key, f"no such field{hint}")
        _value(fields, key, value, wanted, types)


def _value(parent: Fields, key: Any, value: Any, wanted: Any, types: dict[str, Any]) -> None:
    """Check ``value``, found under ``key`` of ``parent`` (a mapping's key or a list's index
    in ``parent.data``), against ``wanted``."""
    if value is None:
        return  # the API takes null for any field it does not require
    if isinstance(wanted, str):
        if not _scalar(value, wanted):
            _fail(parent, key, wrong_type(wanted, value))
        return
    if "object" in wanted:
        if not isinstance(value, dict):
            _fail(parent, key, f"must be a mapping, not {kind_of(value)}")
        _object(_sub(parent, key, value), wanted["object"], types)
    elif "list" in wanted:
        if not isinstance(value, list):
            item = wanted["list"]
            what = f"a list of {_PLURAL[item]}" if isinstance(item, str) else "a list"
            _fail(parent, key, f"must be {what}, not {kind_of(value)}")
        items = _Items(parent, key, value)
        for index, item in enumerate(value):
            _value(items, index, item, wanted["list"], types)
    else:
        if not isinstance(value, dict):
            _fail(parent, key, f"must be a mapping, not {kind_of(value)}")
        entries = _sub(parent, key, value)
        for name, item in value.items():
            if not isinstance(name, str):
                entries.fail(name, f"a key must be text (quote it), not {kind_of(name)}")
            if item is None:  # a label or a request of no value: null is no map's value
                entries.fail(name, _must(wanted["map"], item))
            _value(entries, name, item, wanted["map"], types)


def _scalar(value: Any, wanted: str) -> bool:
    if wanted == "text":
        return isinstance(value, str)
    if wanted == "boolean":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if wanted == "integer":
        return isinstance(value, int)
    if wanted == "int-or-text":
        return isinstance(value, (int, str))
    return isinstance(value, (int, float)) or (wanted == "quantity" and isinstance(value, str))


class _Items(Fields):
    """A list's items addressed like a mapping's keys: ``path[3]`` in messages."""

    def __init__(self, parent: Fields, key: Any, items: list[Any]) -> None:
        self.source, self.path, self.items_of = parent.source, parent.dotted(key), items
        self.data = {}

    def dotted(self, key: Any) -> str:
        return f"{self.path}[{key}]"

    def where(self, key: Any = None) -> tuple[int, int] | None:
        return mark_of(self.items_of, key)


def _sub(parent: Fields, key: Any, value: dict[Any, Any]) -> Fields:
    if isinstance(parent, _Items):
        return Fields(parent.source, value, parent.dotted(key), parent.items_of, key)
    return Fields(parent.source, value, parent.dotted(key), parent.data, key)


def _fail(parent: Fields, key: Any, message: str) -> None:
    parent.fail(key, message)
