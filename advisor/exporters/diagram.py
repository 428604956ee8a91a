"""The layout as a picture: pods as boxes around their containers, links between members.

One model (which containers, which pods, which links) drawn two ways: a Mermaid flowchart
for ``report.md`` and a Graphviz graph for ``plan --format dot|png|svg``. Links are the
facts that tie members together: a named volume they share, and a localhost address one
of them uses (in its env, command or args) that another member binds, and a compose
file's links (``network_mode: service:x`` is localhost; ``volumes_from``, ``ipc``, ``pid``).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from advisor.domain.errors import OutputError
from advisor.domain.model import Container, Inventory
from advisor.formats.files import replaced_atomically
from advisor.layout.advice import Advice
from advisor.layout.partition import Pod

IMAGE_FORMATS = ("png", "svg")
FORMATS = ("dot", *IMAGE_FORMATS)
_LOCALHOST = re.compile(r"(?:localhost|127\.0\.0\.1|\[::1\]):(\d{1,5})\b")


@dataclass(frozen=True)
class Edge:
    """A fact joining two members of a pod: a shared volume, a localhost connection, or a
    namespace or volumes one joins of the other (a compose file's links)."""

    source: str  # for a localhost link, the container that connects
    target: str  # ... and the one that binds the port
    label: str
    localhost: bool


@dataclass(frozen=True)
class Picture:
    """Pods with their members and links; ``ids`` maps container names to safe identifiers."""

    name: str
    pods: tuple[tuple[Pod, tuple[Edge, ...]], ...]
    ids: dict[str, str]


def picture(advice: Advice) -> Picture:
    """The layout of ``advice`` as pods, members and the links between members."""
    inventory = advice.inventory
    # Identifiers from inventory positions: names may hold dots, dashes or Mermaid keywords.
    ids = {c.name: f"c{i}" for i, c in enumerate(inventory.containers)}
    pods = tuple(
        (replace(pod, name=advice.pod_title(pod.name)), tuple(pod_links(pod, inventory)))
        for pod in advice.layout.pods
    )
    return Picture(name=inventory.name, pods=pods, ids=ids)


def pod_links(pod: Pod, inventory: Inventory) -> list[Edge]:
    """Shared volumes (first user to each other user), localhost links, and the source
    file's links (shared namespaces, volumes_from) inside ``pod``."""
    members = [inventory.container(n) for n in pod.members]
    links = []
    volumes = sorted({m.name for c in members for m in c.volumes})
    for volume in volumes:
        users = [c.name for c in members if any(m.name == volume for m in c.volumes)]
        links += [Edge(users[0], user, volume, localhost=False) for user in users[1:]]
    for client in members:
        for port in sorted(_localhost_ports(client)):
            for server in members:
                if server is not client and any(p.number == port for p in server.ports):
                    links.append(Edge(client.name, server.name, f"localhost:{port}", True))
    for link in inventory.links_among(set(pod.members)):
        network = link.kind == "network_mode"
        links.append(Edge(link.a, link.b, "localhost" if network else link.kind, network))
    return links


def _localhost_ports(container: Container) -> set[int]:
    words = [value for _, value in container.env]
    words += list(container.command or ()) + list(container.args or ())
    return {int(port) for word in words for port in _LOCALHOST.findall(word)}


def render_mermaid(drawing: Picture) -> str:
    """A Mermaid ``flowchart``: one subgraph per pod, labels quoted, identifiers safe."""
    lines = ["flowchart LR"]
    for index, (pod, links) in enumerate(drawing.pods):
        lines.append(f'  subgraph pod{index}["{_mermaid_text("pod " + pod.name)}"]')
        lines += [f'    {drawing.ids[m]}["{_mermaid_text(m)}"]' for m in pod.members]
        lines.append("  end")
        for link in links:
            arrow = "-.->" if link.localhost else "---"
            lines.append(
                f"  {drawing.ids[link.source]} {arrow}|"
                f'"{_mermaid_text(link.label)}"| {drawing.ids[link.target]}'
            )
    return "\n".join(lines) + "\n"


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;")


def render_dot(drawing: Picture) -> str:
    """A Graphviz ``digraph``: one cluster per pod, volume links undirected, localhost dashed."""
    lines = [
        f"digraph {_dot_text(drawing.name)} {{",
        "  graph [rankdir=LR, fontname=Helvetica];",
        "  node [shape=box, style=rounded, fontname=Helvetica];",
        "  edge [fontname=Helvetica, fontsize=10];",
    ]
    for index, (pod, _) in enumerate(drawing.pods):
        lines.append(f"  subgraph cluster_{index} {{")
        lines.append(f"    label={_dot_text('pod ' + pod.name)};")
        lines += [f"    {drawing.ids[m]} [label={_dot_text(m)}];" for m in pod.members]
        lines.append("  }")
    for _, links in drawing.pods:
        for link in links:
            style = "style=dashed" if link.localhost else "dir=none"
            lines.append(
                f"  {drawing.ids[link.source]} -> {drawing.ids[link.target]} "
                f"[label={_dot_text(link.label)}, {style}];"
            )
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_image(dot_text: str, image_format: str, path: Path) -> None:
    """Run Graphviz ``dot`` to write ``path`` as png or svg, atomically.

    The image is rendered to a temporary file in the same folder, then renamed over
    ``path``, so a failed or interrupted run leaves no half-written picture.
    """
    with replaced_atomically(path) as temporary:
        _run_dot(dot_text, image_format, str(path), ["-o", str(temporary)])


def image_bytes(dot_text: str, image_format: str) -> bytes:
    """The png or svg Graphviz ``dot`` draws, as bytes (``-o -``: for standard output)."""
    return _run_dot(dot_text, image_format, "standard output", [])


def _run_dot(dot_text: str, image_format: str, where: str, options: list[str]) -> bytes:
    """Run Graphviz ``dot -T FORMAT OPTIONS`` on ``dot_text``; what it printed."""
    dot = shutil.which("dot")
    if dot is None:
        raise OutputError(
            f"{where}: drawing {image_format} needs Graphviz's dot, which is not on PATH; "
            "install Graphviz (e.g. apt-get install graphviz) or use --format dot"
        )
    import subprocess  # only to draw a picture: plan --out comes sooner without it

    result = subprocess.run(
        [dot, f"-T{image_format}", *options],
        input=dot_text.encode("utf-8"),
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        detail = (message.splitlines() or ["no message"])[0]
        raise OutputError(f"{where}: Graphviz dot failed: {detail}")
    return result.stdout
