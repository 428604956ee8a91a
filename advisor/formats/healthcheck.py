"""Docker healthchecks as Kubernetes probes: the test command and its timing."""

from __future__ import annotations

import math
import re

from advisor.domain.model import Probe
from advisor.formats.fields import Fields, kind_of

_DURATION = re.compile(r"(\d+(?:\.\d+)?)(us|ms|s|m|h)")
_MAX_SECONDS = 2**31 - 1  # a probe's seconds are a 32-bit integer
_SECONDS = {"us": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}


def parse_healthcheck(fields: Fields, key: str = "healthcheck") -> Probe | None:
    """The probe for a service's ``healthcheck:``; None when it has none or disables it."""
    check = fields.sub(key)
    if check is None:
        return None
    check.check_keys(
        ("test", "interval", "timeout", "retries", "start_period", "start_interval", "disable")
    )
    if check.data.get("disable") is True:
        return None
    test = check.data.get("test")
    if test is None:
        return None
    if isinstance(test, str):
        command: tuple[str, ...] = ("sh", "-c", test)
    elif isinstance(test, list) and test and all(isinstance(w, (str, int)) for w in test):
        words = [str(w) for w in test]
        if words[0] == "NONE":
            return None
        if words[0] == "CMD-SHELL":
            command = ("sh", "-c", " ".join(words[1:]))
        elif words[0] == "CMD":
            command = tuple(words[1:])
        else:
            command = tuple(words)
        if not command:
            check.fail("test", "names no command")
    else:
        check.fail("test", f"must be a command line or a list of words, not {kind_of(test)}")
    retries = check.data.get("retries")
    if retries is not None and (
        isinstance(retries, bool) or not isinstance(retries, int) or retries < 1
    ):
        check.fail("retries", f"must be a whole number of 1 or more, not {retries!r}")
    return Probe(
        command=command,
        period_seconds=duration_seconds(check, "interval"),
        timeout_seconds=duration_seconds(check, "timeout"),
        failure_threshold=retries,
        initial_delay_seconds=duration_seconds(check, "start_period", minimum=0),
    )


def duration_seconds(check: Fields, key: str, minimum: int = 1) -> int | None:
    """A Docker duration (``1m30s``, ``500ms``) in whole seconds, as Kubernetes counts."""
    raw = check.data.get(key)
    if raw is None:
        return None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        total = float(raw) / 1e9  # a bare number is nanoseconds in the compose spec
    else:
        text = str(raw).strip()
        parts = _DURATION.findall(text)
        if not parts or "".join(n + u for n, u in parts) != text:
            check.fail(key, f"{text!r} is not a duration such as 30s or 1m30s")
        total = sum(float(n) * _SECONDS[u] for n, u in parts)
    if not total <= _MAX_SECONDS:  # also infinity and NaN (.inf, .nan)
        shown = repr(raw) if len(repr(raw)) <= 40 else "this"
        shown = {"inf": ".inf", "nan": ".nan"}.get(shown, shown)
        check.fail(key, f"{shown} is not a duration Kubernetes takes (at most 68 years)")
    return max(minimum, math.ceil(total))
