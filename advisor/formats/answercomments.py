"""Whether an answers file holds comments of the user's, which rewriting it would lose."""

from __future__ import annotations

import yaml

from advisor.formats.answers import HEADER_START


def holds_comments(text: str) -> bool:
    """Whether an answers file's ``text`` holds comments besides the header the tool writes,
    which rewriting it would lose."""
    lines = text.split("\n")
    start = 0
    if text.startswith(HEADER_START):
        while start < len(lines) and lines[start].startswith("#"):
            start += 1
    body = "\n".join(lines[start:])
    if "#" not in body:
        return False
    # A # inside quoted text is no comment: count those the scalars hold.
    try:
        tokens = yaml.scan(body, Loader=_Scanner)
        quoted: int = sum(t.value.count("#") for t in tokens if isinstance(t, yaml.ScalarToken))
    except yaml.YAMLError:
        return True
    return body.count("#") > quoted


_Scanner: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
