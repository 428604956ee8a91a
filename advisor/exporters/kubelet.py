"""Strings the kubelet expands, written so that it gives back what compose passed.

The kubelet expands ``$(NAME)`` in a container's ``command``, ``args``, ``env`` values and
exec probe command when NAME is one of the container's variables (or a Service's
``*_SERVICE_HOST``), and turns ``$$`` into ``$``. Compose hands the process those
characters as they are (its own ``$$`` is already a single ``$``), so a ``$`` before a
``(`` or another ``$`` is doubled: Kubernetes' escape, which the kubelet undoes. So is one
before a character outside ASCII: the kubelet reads the byte after a ``$`` as a character
of its own, which breaks a multi-byte one (``$é``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_EXPANDED = re.compile(r"\$(?=[$(]|[^\x00-\x7f])")


def kubelet_literal(text: str) -> str:
    """``text`` escaped so that the kubelet's expansion yields ``text`` again."""
    return _EXPANDED.sub("$$", text)


def kubelet_words(words: Iterable[str], literal: bool) -> list[str]:
    """A command's words as the manifest writes them: escaped when ``literal`` (the
    container's strings are what the process receives), else as they are."""
    return [kubelet_literal(word) for word in words] if literal else list(words)
