"""The containers others reach by name, and every name they are reached by.

In compose every service name resolves; in Kubernetes only a Service's name does. So each
container that another one reaches by name needs a Service under that name, in front of the
pod it lands in. A name counts only where it stands as a host: ``depends_on``, ``links``, a
URL (``redis://cache:6379``, ``postgres://u:p@db/app``, ``kafka://k1:9092,k2:9092``), a
``host:port`` (``memcached:11211``, ``--db=db:5432``), or the whole value of a variable whose
name says it holds a host (``DB_HOST=db``, ``KAFKA_BROKERS=k1,k2``). A value alone under
another name (``POSTGRES_USER=app``, ``POSTGRES_DB=app``) is no host, whatever it equals.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from advisor.domain.model import Container, Inventory, Reach
from advisor.domain.rules import WellKnownPorts

_NAME = r"[A-Za-z0-9][A-Za-z0-9_.-]*"
# scheme://[user[:password]@]host[:port][,host[:port]...][/path...]; a scheme starts only
# where no scheme character stands before it, so a long word is tried once, not from each
# of its letters (which is quadratic in its length).
_URL = re.compile(
    r"(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]*)://(?:[^@/\s?#'\"]*@)?([^/\s?#'\";]+)"
)
_HOST_PORT = re.compile(rf"({_NAME}):([0-9]{{1,5}})")
_HOST = re.compile(rf"({_NAME})(?::([0-9]{{1,5}}))?")
# A token of a command or value, outside any URL: "--db=db:5432" holds "db:5432".
_TOKEN = re.compile(r"[^\s=,'\";()]+(?:,[^\s=,'\";()]+)*")
# The last word of a variable's name that says its value is a host (DB_HOST, redisAddr,
# KAFKA_BROKERS); the words split at _, -, . and a lower-to-upper case change.
HOST_WORDS = frozenset(
    {
        "HOST", "HOSTS", "HOSTNAME", "ADDR", "ADDRS", "ADDRESS", "ADDRESSES",
        "SERVER", "SERVERS", "URL", "URLS", "URI", "URIS", "DSN", "BROKER", "BROKERS",
        "ENDPOINT", "ENDPOINTS", "LOCATION", "UPSTREAM", "NODES",
    }
)  # fmt: skip
_WORDS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z0-9]+(?![a-z])")


@dataclass(frozen=True)
class Reached:
    """A container others reach: the names they use, and who reaches it from where."""

    container: str
    names: tuple[str, ...]  # its own name, then its aliases
    by: tuple[Reach, ...]

    def ports(self, scheme: bool = False) -> tuple[int, ...]:
        """The ports the reaching containers write, in the order first written (``scheme``:
        those their URLs' schemes imply instead)."""
        found = (r.port for r in self.by if r.port is not None and r.scheme_port == scheme)
        return tuple(dict.fromkeys(found))


def reached_containers(inventory: Inventory, ports: WellKnownPorts | None = None) -> list[Reached]:
    """Every container reached by name, in inventory order; ``ports`` gives the port a URL
    that names none reaches by its scheme."""
    owner: dict[str, str] = {}
    for container in inventory.containers:
        for name in (container.name, *container.aliases):
            owner.setdefault(name, container.name)
    found: dict[str, list[Reach]] = {}
    schemes = ports or WellKnownPorts()
    named = (r for c in inventory.containers for r in hosts_named(c, schemes))
    for reach in (*inventory.reaches, *named):
        target = owner.get(reach.name)
        if target is not None and target != reach.by:
            found.setdefault(target, []).append(reach)
    result = []
    for container in inventory.containers:
        reaches = found.get(container.name)
        if reaches:
            # Every alias, not only those seen in use: compose resolves them all, and a
            # configuration file the tool cannot read (nginx.conf) may use any of them.
            names = (container.name, *container.aliases)
            result.append(Reached(container.name, names, tuple(dict.fromkeys(reaches))))
    return result


def hosts_named(container: Container, ports: WellKnownPorts) -> Iterator[Reach]:
    """Every host name ``container``'s environment, command and args name, with the port
    named beside it (or a URL scheme's port); names of no container are left to the caller."""
    env = dict(container.env)
    for key, value in container.env:
        beside = _port(env.get(_port_variable(key), "").strip() or None)
        for host, port, scheme in hosts_in(value, ports, host_variable(key)):
            if beside is not None and (port is None or scheme):
                port, scheme = beside, False  # DB_PORT says it, beside DB_HOST
            yield Reach(container.name, host, f"env {key}", port, scheme)
    for field, words in (("command", container.command), ("args", container.args)):
        for index, word in enumerate(words or ()):
            for host, port, scheme in hosts_in(word, ports):
                yield Reach(container.name, host, f"{field}[{index}]", port, scheme)


def host_variable(name: str) -> bool:
    """Whether a variable's name says its whole value is a host (``DB_HOST``, ``REDIS_ADDR``,
    ``brokerUrl``), not a user, database or password name (``POSTGRES_USER``)."""
    words = _WORDS.findall(name)
    # HOSTNAME alone sets the container's own name; DB_HOSTNAME names another's.
    return bool(words) and words[-1].upper() in HOST_WORDS and name.upper() != "HOSTNAME"


def _port_variable(name: str) -> str:
    """The variable that would hold the port of host variable ``name``: ``DB_HOST`` ->
    ``DB_PORT``, ``redisHost`` -> ``redisPort`` (for a name that is no host variable, one
    that is not set)."""
    words = _WORDS.findall(name)
    if not words or words[-1].upper() not in HOST_WORDS:
        return ""
    last = words[-1]
    port = "PORT" if last.isupper() else "Port" if last[0].isupper() else "port"
    return name[: name.rfind(last)] + port


def hosts_in(
    text: str, ports: WellKnownPorts, whole: bool = False
) -> Iterator[tuple[str, int | None, bool]]:
    """The hosts ``text`` names, each with its port and whether that port is only its URL
    scheme's: in URLs, as ``host:port`` tokens, and (``whole``: the text is a host
    variable's value) as the whole text, a host or a list of them."""
    rest = text
    for match in _URL.finditer(text):
        default = ports.of_scheme(match.group(1))
        for item in match.group(2).split(","):
            host = _HOST.fullmatch(item)
            if host is not None:
                written = _port(host.group(2))
                yield host.group(1), written or default, written is None and default is not None
        rest = rest.replace(match.group(0), " ")
    if whole:
        items = [_HOST.fullmatch(i) for i in re.split(r"[\s,;]+", rest.strip()) if i]
        hosts = [host for host in items if host is not None]
        if hosts and len(hosts) == len(items):
            yield from ((host.group(1), _port(host.group(2)), False) for host in hosts)
            return
    for token in _TOKEN.findall(rest):
        items = [_HOST_PORT.fullmatch(item) for item in token.split(",")]
        pairs = [pair for pair in items if pair is not None]
        if len(pairs) == len(items):
            yield from ((pair.group(1), _port(pair.group(2)), False) for pair in pairs)


def _port(text: str | None) -> int | None:
    number = int(text) if text and re.fullmatch(r"[0-9]{1,5}", text) else 0
    return number if 0 < number < 65536 else None
