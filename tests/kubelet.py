"""The kubelet's expansion of ``$(NAME)``, as the tests check the manifests against it.

A transcription of k8s.io/kubernetes third_party/forked/golang/expansion (``Expand``), which
the kubelet applies to a container's command, args and env values, and to an exec probe's
command: ``$$`` is one ``$``; ``$(NAME)`` is NAME's value when NAME is defined, else left as
written; a ``$(`` that never closes, and a ``$`` before anything else, stay as they are.
Like Go, it walks bytes: the byte after a lone ``$`` is copied as a character of its own
(``string(input[0])``), which mangles a multi-byte character there.
"""

from __future__ import annotations

from collections.abc import Mapping


def kubelet_expand(text: str, variables: Mapping[str, str]) -> str:
    """``text`` as the kubelet hands it to the container, given its ``variables``."""
    data = text.encode()
    out = bytearray()
    checkpoint = 0
    cursor = 0
    while cursor < len(data):
        if data[cursor] == ord("$") and cursor + 1 < len(data):
            out += data[checkpoint:cursor]
            following = data[cursor + 1]
            if following == ord("$"):
                out += b"$"
                cursor += 1
            elif following == ord("("):
                closer = data.find(b")", cursor + 2)
                if closer < 0:
                    out += b"$("
                    cursor += 1
                else:
                    name = data[cursor + 2 : closer].decode(errors="surrogateescape")
                    value = variables.get(name)
                    out += (
                        f"$({name})".encode(errors="surrogateescape")
                        if value is None
                        else value.encode()
                    )
                    cursor = closer
            else:
                out += b"$" + chr(following).encode()  # Go's string(byte): a rune of its own
                cursor += 1
            checkpoint = cursor + 1
        cursor += 1
    return (bytes(out) + data[checkpoint:]).decode(errors="replace")


class EveryName(dict[str, str]):
    """Variables where every name is defined (the worst case for a string that must come
    through unchanged): ``$(X)`` would become ``<X>``."""

    def get(self, key: str, default: object = None) -> str:  # type: ignore[override]
        return f"<{key}>"
