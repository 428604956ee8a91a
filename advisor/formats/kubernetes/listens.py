"""Where a container of a manifest listens on the loopback address only.

kube-state-metrics behind kube-rbac-proxy runs with ``--host=127.0.0.1``: only a container
of its own pod reaches it. Split the two, and the Service the split writes reaches nothing
until that argument says ``0.0.0.0``. Read here: an argument (``--host=127.0.0.1``,
``--listen-address=127.0.0.1:8081``, ``--bind-address 127.0.0.1``) or an env variable
(``HOST=127.0.0.1``, ``BIND_ADDR=localhost:9000``) whose name says it sets where the
container listens, with the port it listens on when the value or a matching ``--port``,
``--telemetry-port`` or ``PORT`` says it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from typing import Any

from advisor.domain.running import Listen

_LOOPBACK = re.compile(r"(?:\w+://)?(?:localhost|127\.0\.0\.1|\[::1\]|::1)(?::(\d{1,5}))?/?")
# Names that set where the container itself listens: --host, --listen-address,
# --metrics-bind-address, HOST, BIND_ADDR... A prefixed host (--telemetry-host, DB_HOST)
# may as well name a server the container reaches: it counts only with the port of the same
# prefix beside it (--telemetry-port, DB_PORT), which the audit matches with the port reached.
_OWN = re.compile(r"listen|bind|(host|address|addr)$", re.IGNORECASE)
_PREFIXED = re.compile(r"(.+[-_])(?:host|address|addr)$", re.IGNORECASE)


def loopback_listens(spec: Mapping[str, Any]) -> tuple[Listen, ...]:
    """Every place the container ``spec`` says it listens on the loopback address only."""
    found: list[Listen] = []
    for key in ("command", "args"):
        words = spec.get(key)
        if not isinstance(words, list):
            continue
        texts = [w if isinstance(w, str) else "" for w in words]
        for index, word in enumerate(texts):
            if not word.startswith("-"):
                continue
            option, equals, value = word.partition("=")
            if not equals:  # --host 127.0.0.1: the value is the next word
                value = texts[index + 1] if index + 1 < len(texts) else ""
            where = f"{key}[{index}] {word}" if equals else f"{key}[{index}] {word} {value}"
            listen = _listen(option.lstrip("-"), value, where, functools.partial(_option, texts))
            if listen is not None:
                found.append(listen)
    env = spec.get("env")
    entries = [e for e in env if isinstance(e, dict)] if isinstance(env, list) else []
    values = {str(e.get("name")): e.get("value") for e in entries}
    for name, setting in values.items():
        if isinstance(setting, str):
            listen = _listen(name, setting, f"env {name}={setting}", values.get)
            if listen is not None:
                found.append(listen)
    return tuple(found)


def _listen(name: str, value: str, where: str, lookup: Callable[[str], Any]) -> Listen | None:
    """The loopback listen ``name=value`` sets, if it is one; ``lookup`` finds the value of
    another option or variable of the container by name."""
    address = _LOOPBACK.fullmatch(value)
    if address is None:
        return None
    port = int(address.group(1)) if address.group(1) else None
    prefixed = _PREFIXED.match(name)
    if prefixed is not None and not re.search("listen|bind", name, re.IGNORECASE):
        case = "PORT" if name.isupper() else "port"
        port = port or _number(lookup(f"{prefixed.group(1)}{case}"))
        return Listen(where, port) if port is not None else None
    if _OWN.search(name) is None:
        return None
    if port is None and name.lower() in ("host", "address", "addr", "bind", "listen"):
        port = _number(lookup("PORT" if name.isupper() else "port"))  # --host= beside --port=
    return Listen(where, port)


def _option(words: list[str], name: str) -> str | None:
    """The value of ``--NAME=VALUE`` (or ``--NAME VALUE``) among ``words``."""
    for index, word in enumerate(words):
        option, equals, value = word.partition("=")
        if option.startswith("-") and option.lstrip("-") == name:
            return value if equals else (words[index + 1] if index + 1 < len(words) else None)
    return None


def _number(value: Any) -> int | None:
    text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    return int(text) if text.isdigit() and 0 < int(text) < 65536 else None
