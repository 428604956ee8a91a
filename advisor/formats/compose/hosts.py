"""Host names a reverse proxy in front of the compose application routed to a service:
traefik's router labels and nginx-proxy's ``VIRTUAL_HOST``, which become Ingress rules.

Traefik 2 and 3: ``traefik.http.routers.R.rule`` with ``Host(...)`` (several hosts, or
``||`` of them), ``&& PathPrefix(...)`` or ``&& Path(...)``; the port from
``traefik.http.services.S.loadbalancer.server.port``; ``tls.certresolver`` (or
``tls=true``) for HTTPS; ``traefik.enable=false`` for none. Traefik 1:
``traefik.frontend.rule=Host:a,b;PathPrefix:/p`` and ``traefik.port``. nginx-proxy:
``VIRTUAL_HOST`` (a comma list), ``VIRTUAL_PORT``, ``VIRTUAL_PATH``; ``LETSENCRYPT_HOST``
for HTTPS. A rule the Ingress API cannot say (a regular expression, a header) gets a note
instead.
"""

from __future__ import annotations

import re

from advisor.domain.model import HostRoute
from advisor.formats.compose.context import Context
from advisor.formats.fields import Fields

_ROUTER = re.compile(r"traefik\.http\.routers\.([^.]+)\.(.+)")
_SERVICE_PORT = re.compile(r"traefik\.http\.services\.([^.]+)\.loadbalancer\.server\.port")
_MATCHER = re.compile(r"\s*(Host|PathPrefix|Path)\s*\(([^()]*)\)\s*")
_QUOTED = re.compile(r"[`\"']([^`\"']*)[`\"']")
# Traefik 1's path matchers, and whether each matches the path alone (exact).
_V1_PATHS = {"PathPrefix": False, "PathPrefixStrip": False, "Path": True, "PathStrip": True}
# An Ingress host: a DNS-1123 subdomain, or one with a leading wildcard label.
_HOST = re.compile(r"(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")


def host_routes(
    fields: Fields, labels: dict[str, str], env: tuple[tuple[str, str], ...], context: Context
) -> tuple[HostRoute, ...]:
    """The routes of one service, traefik's first, in the order the file gives them."""
    routes = _traefik(fields, labels, context) + _nginx_proxy(fields, dict(env), context)
    return tuple(dict.fromkeys(routes))


def _traefik(fields: Fields, labels: dict[str, str], context: Context) -> list[HostRoute]:
    if labels.get("traefik.enable", "").strip().lower() == "false":
        return []
    ports = {}
    for key, value in labels.items():
        found = _SERVICE_PORT.fullmatch(key)
        if found:
            ports[found.group(1)] = _port(value)
    routers: dict[str, dict[str, str]] = {}
    for key, value in labels.items():
        found = _ROUTER.fullmatch(key)
        if found:
            routers.setdefault(found.group(1), {})[found.group(2)] = value.strip()
    routes = _traefik_v1(fields, labels, context)
    for router, settings in routers.items():
        rule = settings.get("rule")
        if rule is None:
            continue
        where = f"label traefik.http.routers.{router}.rule"
        service = settings.get("service")
        port = ports.get(service) if service else next(iter(ports.values()), None)
        tls = "tls.certresolver" in settings or settings.get("tls", "").lower() == "true"
        parsed = _rule(rule)
        if parsed is None:
            context.warn(
                f"{fields.dotted('labels')}: traefik router {router}'s rule {rule!r} is more "
                "than Host(...) and PathPrefix(...) or Path(...): no Ingress is written for "
                "it; write its rule by hand"
            )
            continue
        for host, path, exact in parsed:
            routes += _checked(fields, context, HostRoute(host, path, exact, port, tls, where))
    return routes


def _traefik_v1(fields: Fields, labels: dict[str, str], context: Context) -> list[HostRoute]:
    """Traefik 1's ``traefik.frontend.rule=Host:a,b;PathPrefix:/api`` and ``traefik.port``."""
    rule = labels.get("traefik.frontend.rule", "").strip()
    if not rule:
        return []
    hosts: list[str] = []
    paths: list[tuple[str, bool]] = []
    for matcher in rule.split(";"):
        kind, _, words = matcher.partition(":")
        kind = kind.strip()
        values = [w.strip() for w in words.split(",") if w.strip()]
        if kind == "Host":
            hosts += values
        elif kind in _V1_PATHS:
            paths += [(value, _V1_PATHS[kind]) for value in values]
        else:
            paths = [("", False)] * 2  # a matcher an Ingress cannot say
    if not (hosts or paths) or len(paths) > 1:
        context.warn(
            f"{fields.dotted('labels')}: traefik.frontend.rule {rule!r} is more than Host: "
            "and PathPrefix: or Path:; no Ingress is written for it; write its rule by hand"
        )
        return []
    path, exact = paths[0] if paths else ("/", False)
    port = _port(labels.get("traefik.port", ""))
    where = "label traefik.frontend.rule"
    routes: list[HostRoute] = []
    for host in hosts or [""]:
        routes += _checked(fields, context, HostRoute(host, path, exact, port, False, where))
    return routes


def _rule(rule: str) -> list[tuple[str, str, bool]] | None:
    """``Host(`a`, `b`) && PathPrefix(`/api`) || Host(`c`)`` as (host, path, exact) each,
    host "" for a rule of paths only (any host); None for a rule an Ingress cannot say."""
    found = []
    for alternative in rule.split("||"):
        hosts: list[str] = []
        paths: list[tuple[str, bool]] = []
        for term in alternative.split("&&"):
            matcher = _MATCHER.fullmatch(term)
            if matcher is None:
                return None
            words = _QUOTED.findall(matcher.group(2))
            if matcher.group(1) == "Host":
                hosts += words
            else:
                paths += [(word, matcher.group(1) == "Path") for word in words]
        if not (hosts or paths) or len(paths) > 1:
            return None
        path, exact = paths[0] if paths else ("/", False)
        found += [(host, path, exact) for host in hosts or [""]]  # "": any host
    return found


def _nginx_proxy(fields: Fields, env: dict[str, str], context: Context) -> list[HostRoute]:
    hosts = _words(env.get("VIRTUAL_HOST", ""))
    if not hosts:
        return []
    secure = set(_words(env.get("LETSENCRYPT_HOST", "")))
    port = _port(env.get("VIRTUAL_PORT", ""))
    path = env.get("VIRTUAL_PATH", "").strip() or "/"
    where = "env VIRTUAL_HOST"
    routes: list[HostRoute] = []
    for host in hosts:
        route = HostRoute(host, path, False, port, host in secure, where)
        routes += _checked(fields, context, route)
    return routes


def _checked(fields: Fields, context: Context, route: HostRoute) -> list[HostRoute]:
    """``route`` with its host in lower case, if an Ingress can hold it; else a note."""
    host = route.host.strip().lower()
    problem = None
    if host and (not _HOST.fullmatch(host) or len(host) > 253):
        problem = f"host {route.host!r} is no DNS name an Ingress rule takes"
    elif not route.path.startswith("/"):
        problem = f"path {route.path!r} does not start with /"
    if problem is not None:
        context.warn(f"{fields.path} ({route.where}): {problem}; no Ingress rule for it")
        return []
    return [HostRoute(host, route.path, route.exact, route.port, route.tls, route.where)]


def _words(text: str) -> list[str]:
    return [word.strip() for word in text.split(",") if word.strip()]


def _port(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() and 0 < int(text) < 65536 else None
