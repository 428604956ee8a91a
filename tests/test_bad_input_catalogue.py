"""Every kind of bad input a user can give, and the exact one line they see for it.

Each case builds its files in a fresh folder, runs ``pod-advisor`` there and checks the contract
for bad input: a non-zero exit code, exactly one line on standard error naming the file and
place, no traceback, nothing written (no outputs, no lock, no temporary file) and an existing
answers file left byte for byte as it was.
"""

# ruff: noqa: E501  (each case spells out the exact line a user sees, however long)

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from advisor.cli import main

REPO = Path(__file__).resolve().parent.parent

APP = "containers:\n  - {name: web, image: nginx}\n  - {name: db, image: postgres}\n"
ANSWERS = "version: 1\npairs:\n  web + db:\n    same_host: no\n"
PLAN = ["plan", "app.yaml", "--answers", "answers.yaml", "--out", "out"]
ASK = ["ask", "app.yaml", "--answers", "answers.yaml", "--out", "out"]
COMPOSE_PLAN = ["plan", "compose.yaml", "--answers", "answers.yaml", "--out", "out"]


@dataclass
class Case:
    """One bad input: the files, the command and the exact message after ``error: ``
    (``<folder>`` standing for the case's folder, in a path the tool resolved)."""

    id: str
    files: dict[str, str | bytes]
    argv: list[str]
    message: str
    code: int = 2
    setup: Callable[[Path, pytest.MonkeyPatch], None] | None = None
    fast: bool = False  # must fail at once, not after a blow-up (minutes, gigabytes)
    unset: tuple[str, ...] = ()  # environment variables the case needs unset


def app(text: str) -> dict[str, str | bytes]:
    """An inventory ``app.yaml`` with ``text`` and the usual answers file."""
    return {"app.yaml": text, "answers.yaml": ANSWERS}


def answers(text: str | bytes) -> dict[str, str | bytes]:
    """The usual inventory with the answers file ``text``."""
    return {"app.yaml": APP, "answers.yaml": text}


def compose(text: str) -> dict[str, str | bytes]:
    return {"compose.yaml": text, "answers.yaml": ANSWERS}


def container(extra: str, name: str = "web") -> str:
    """An inventory of ``web`` (with ``extra`` flow-mapping entries) and ``db``."""
    return (
        f"containers:\n  - {{name: {name}, image: nginx{', ' if extra else ''}{extra}}}\n"
        "  - {name: db, image: postgres}\n"
    )


def manifests(text: str) -> dict[str, str | bytes]:
    """Kubernetes manifests ``m.yaml`` of ``text``."""
    return {"m.yaml": text}


def deployment(selector: str = "{matchLabels: {app: web}}", pod: str = "") -> str:
    """A Deployment ``web`` of ``selector``, its template labelled app: web, ``pod`` added
    to its pod spec."""
    return (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
        f"  selector: {selector}\n  template:\n    metadata: {{labels: {{app: web}}}}\n"
        f"    spec:\n      containers: [{{name: web, image: nginx}}]\n{pod}"
    )


K8S_PLAN = ["plan", "m.yaml", "--out", "out"]
POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: p%s}\nspec: {containers: [{name: web, image: nginx}]}\n"


def make_folder(name: str) -> Callable[[Path, pytest.MonkeyPatch], None]:
    def setup(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        (folder / name).mkdir()

    return setup


def unreadable(name: str) -> Callable[[Path, pytest.MonkeyPatch], None]:
    """Reading ``name`` raises PermissionError (chmod 000 does not stop root, who runs CI)."""

    def setup(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        real = Path.open

        def open_(path: Path, *args: Any, **kwargs: Any) -> Any:
            if path.name == name:
                raise PermissionError(13, "Permission denied", str(path))
            return real(path, *args, **kwargs)

        monkeypatch.setattr(Path, "open", open_)

    return setup


def huge(name: str) -> Callable[[Path, pytest.MonkeyPatch], None]:
    def setup(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        with open(folder / name, "wb") as stream:
            stream.truncate(50 * 2**20)  # sparse: instant, and no disk used

    return setup


def fifo(name: str) -> Callable[[Path, pytest.MonkeyPatch], None]:
    """``name`` is a FIFO nobody writes to: opening it to read would wait forever."""

    def setup(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(folder / name)

    return setup


def char_device(name: str) -> Callable[[Path, pytest.MonkeyPatch], None]:
    """``name`` is a character device made here (the null device's numbers), never written."""

    def setup(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        if os.geteuid() != 0:
            pytest.skip("mknod of a device needs root")
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        os.mknod(folder / name, 0o666 | stat.S_IFCHR, os.makedev(1, 3))

    return setup


def read_only_folder(name: str) -> Callable[[Path, pytest.MonkeyPatch], None]:
    """``name`` is a folder with no write bit (``chmod a-w``), which root could still write."""

    def setup(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        (folder / name).mkdir()
        (folder / name).chmod(0o555)

    return setup


def lock_folder(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (folder / "answers.yaml.lock").mkdir()


def dangling_link(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (folder / "nowhere").symlink_to("gone/deeper")


def link_into_nowhere(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``out/pods.yaml`` links to a file in folders that do not exist."""
    (folder / "out").mkdir()
    (folder / "out" / "pods.yaml").symlink_to("nowhere/deep/pods.yaml")


def self_link(name: str) -> Callable[[Path, pytest.MonkeyPatch], None]:
    """``name`` is a link to itself: every path through it fails with ELOOP."""

    def setup(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        (folder / name).symlink_to(name)

    return setup


ALIAS_BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)
DEEP = "containers: " + "[" * 100_000 + "]" * 100_000 + "\n"

CASES = [
    # --- the inventory file itself ---
    Case("missing-file", {"answers.yaml": ANSWERS}, PLAN, "app.yaml: no such file"),
    Case(
        "folder",
        {"answers.yaml": ANSWERS},
        PLAN,
        "app.yaml: a folder without Kubernetes manifests (*.yaml, *.yml, *.json)",
        setup=make_folder("app.yaml"),
    ),
    Case(
        "unreadable",
        app(APP),
        PLAN,
        "app.yaml: permission denied: the file cannot be read",
        setup=unreadable("app.yaml"),
    ),
    Case(
        "empty", app(""), PLAN, "app.yaml: the file is empty; an inventory lists its 'containers:'"
    ),
    Case(
        "not-utf8",
        {"app.yaml": b"containers:\n  - {name: caf\xe9, image: nginx}\n", "answers.yaml": ANSWERS},
        PLAN,
        "app.yaml:2:15: not UTF-8 text (byte 0xe9); save the file as UTF-8",
    ),
    Case(
        "malformed-yaml",
        app("containers:\n  - {name: web, image: nginx\n"),
        PLAN,
        "app.yaml:3:1: invalid YAML: did not find expected ',' or '}' (in a flow mapping that starts at line 2, column 5)",
    ),
    Case(
        "document-is-a-list",
        app("- web\n- db\n"),
        PLAN,
        "app.yaml:1:1: the file must be a mapping (key: value lines), not a list",
    ),
    Case(
        "document-is-a-scalar",
        app("web and db\n"),
        PLAN,
        "app.yaml: the file must be a mapping (key: value lines), not text",
    ),
    Case(
        "tab-indent",
        app("containers:\n\t- {name: web, image: nginx}\n"),
        PLAN,
        "app.yaml:2:1: invalid YAML: a tab character; YAML indents with spaces only",
    ),
    Case(
        "duplicate-key",
        app("containers: []\ncontainers: []\n"),
        PLAN,
        "app.yaml:2:1: duplicate key 'containers' (first at line 1)",
    ),
    Case(
        "duplicate-container-name",
        app(APP + "  - {name: web, image: httpd}\n"),
        PLAN,
        "app.yaml:4:5: containers[2]: duplicate name 'web' (also containers[0])",
    ),
    Case(
        "names-collide-by-case",
        app(APP + "  - {name: Web, image: httpd}\n"),
        PLAN,
        "app.yaml:4:5: containers[2]: names 'Web' and 'web' (containers[0]) both become 'web' in Kubernetes; rename one",
    ),
    Case(
        "names-collide-underscore",
        app(APP + "  - {name: my_app, image: a}\n  - {name: my-app, image: b}\n"),
        PLAN,
        "app.yaml:5:5: containers[3]: names 'my-app' and 'my_app' (containers[2]) both become 'my-app' in Kubernetes; rename one",
    ),
    Case(
        "name-with-pair-separator",
        app(APP + "  - {name: a + b, image: x}\n"),
        PLAN,
        "app.yaml:4:5: containers[2]: name 'a + b' contains ' + ', which separates the names of a pair in the answers file",
    ),
    Case(
        "compose-name-with-pair-separator",
        compose("services:\n  a + b:\n    image: x\n"),
        COMPOSE_PLAN,
        "compose.yaml:2:3: services.a + b: a service name cannot contain ' + ' (it separates pair names)",
    ),
    Case(
        "control-character",
        app("containers:\n  - {name: wéb, image: \x07nginx}\n"),
        PLAN,
        "app.yaml:2:24: invalid YAML: control character U+0007 is not allowed",
    ),
    Case(
        "two-documents",
        app(APP + "---\n" + APP),
        PLAN,
        "app.yaml:4:1: invalid YAML: a second document starts here; the file must hold one YAML document",
    ),
    Case(
        "undefined-alias",
        app("containers:\n  - *web\n"),
        PLAN,
        "app.yaml:2:5: invalid YAML: found undefined alias 'web'",
    ),
    Case(
        "alias-inside-itself",
        app("containers: &all\n  - name: web\n    image: nginx\n    args: *all\n"),
        PLAN,
        "app.yaml:4:11: invalid YAML: the alias *all refers to a value that contains it",
    ),
    Case(
        "container-without-name",
        app(APP + "  - {image: httpd}\n"),
        PLAN,
        "app.yaml:4:5: containers[2]: missing 'name'",
    ),
    Case(
        "container-without-image",
        app(APP + "  - {name: cache}\n"),
        PLAN,
        "app.yaml:4:5: containers[2] (cache): missing 'image'",
    ),
    Case(
        "name-too-long",
        app(APP + f"  - {{name: {'x' * 64}, image: a}}\n"),
        PLAN,
        "app.yaml:4:5: containers[2]: name 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' is 64 characters; Kubernetes allows at most 63",
    ),
    Case(
        "port-zero",
        app(container("ports: [0]")),
        PLAN,
        "app.yaml:2:39: containers[0] (web).ports[0]: port 0 is not between 1 and 65535",
    ),
    Case(
        "port-70000",
        app(container("ports: [70000]")),
        PLAN,
        "app.yaml:2:39: containers[0] (web).ports[0]: port 70000 is not between 1 and 65535",
    ),
    Case(
        "port-http",
        app(container("ports: [http]")),
        PLAN,
        "app.yaml:2:39: containers[0] (web).ports[0]: a port is a whole number from 1 to 65535, not 'http'",
    ),
    Case(
        "memory-500mb",
        app(container("resources: {memory: 500mb}")),
        PLAN,
        'app.yaml:2:43: containers[0] (web).resources.memory: memory \'500mb\' is not a Kubernetes quantity such as "512Mi" or "1G" (Kubernetes writes 500Mi or 500M)',
    ),
    Case(
        "cpu-negative",
        app(container("resources: {cpu: -1}")),
        PLAN,
        "app.yaml:2:43: containers[0] (web).resources.cpu: cpu '-1' is negative; a request is zero or more",
    ),
    Case(
        "cpu-lots",
        app(container("resources: {cpu: lots}")),
        PLAN,
        'app.yaml:2:43: containers[0] (web).resources.cpu: cpu \'lots\' is not a Kubernetes quantity such as "250m" or "1.5"',
    ),
    Case(
        "fits-no-node",
        app("node: {cpu: 2, memory: 1Gi}\n" + container("resources: {memory: 2Gi}")),
        PLAN,
        "app.yaml:3:5: containers[0] (web) requests memory 2Gi but the node has only 1Gi; it fits on no node",
    ),
    Case(
        "alias-bomb",
        app(ALIAS_BOMB),
        PLAN,
        "app.yaml:6:8: invalid YAML: the alias *e expands the document past 100000 values; refused as an alias bomb",
        fast=True,
    ),
    Case(
        "deep-nesting",
        app(DEEP),
        PLAN,
        "app.yaml:1:76: invalid YAML: nested more than 64 levels deep",
        fast=True,
    ),
    Case(
        "50-MB-file",
        {"answers.yaml": ANSWERS},
        PLAN,
        "app.yaml: is 50 MiB; files over 32 MiB are refused",
        setup=huge("app.yaml"),
        fast=True,
    ),
    Case(
        "unknown-key",
        app(container("imag: x")),
        PLAN,
        "app.yaml:2:31: containers[0].imag: unknown key (did you mean 'image'?); known keys: name, image, role, complements, ports, resources, limits, volumes, command, args, env, healthcheck",
    ),
    Case(
        "no-containers",
        app("name: shop\n"),
        PLAN,
        "app.yaml:1:1: missing 'containers:' (the list of the application's containers)",
    ),
    Case(
        "bad-inventory-in-ask",
        app(container("ports: [0]")),
        ASK,
        "app.yaml:2:39: containers[0] (web).ports[0]: port 0 is not between 1 and 65535",
    ),
    # --- outputs ---
    Case(
        "out-under-a-file",
        {**app(APP), "answers.yaml": ANSWERS, "file.txt": "x"},
        ["plan", "app.yaml", "--answers", "answers.yaml", "--out", "file.txt/out"],
        "file.txt/out: cannot create the folder: file.txt is a file, not a folder",
    ),
    Case(
        "ask-out-under-a-file",
        {**app(APP), "file.txt": "x"},
        ["ask", "app.yaml", "--answers", "answers.yaml", "--out", "file.txt/out"],
        "file.txt/out: cannot create the folder: file.txt is a file, not a folder",
    ),
    Case(
        "answers-under-a-file",
        {**app(APP), "file.txt": "x"},
        ["ask", "app.yaml", "--answers", "file.txt/answers.yaml", "--out", "out"],
        "file.txt: is a file, not a folder; choose another --answers",
    ),
    Case(
        "out-not-writable",
        app(APP),
        PLAN,
        "out: cannot write there: permission denied on .",
        setup=lambda folder, monkeypatch: monkeypatch.setattr(os, "access", lambda *a, **k: False),
    ),
    Case(
        "out-is-a-file",
        {**app(APP), "out": "x"},
        PLAN,
        "out: is a file, not a folder; choose another --out",
    ),
    Case(
        "drawing-into-a-folder",
        app(APP),
        ["plan", "app.yaml", "--answers", "answers.yaml", "-o", "out.dot"],
        "out.dot: is a folder, not a file",
        setup=make_folder("out.dot"),
    ),
    Case(
        "drawing-format-unknown",
        app(APP),
        ["plan", "app.yaml", "--answers", "answers.yaml", "-o", "layout.txt"],
        "layout.txt: cannot tell the drawing's format from its name; add --format dot, png or svg",
    ),
    Case(
        "endless-device",
        {"answers.yaml": ANSWERS},
        ["plan", "/dev/zero", "--answers", "answers.yaml", "--out", "out"],
        "/dev/zero: is a character device, not a regular file",
    ),
    Case(
        "out-over-the-inventory",
        {"pods.yaml": APP, "answers.yaml": ANSWERS},
        ["plan", "pods.yaml", "--answers", "answers.yaml", "--out", "."],
        "pods.yaml: is the input file pods.yaml; writing there would overwrite it",
    ),
    Case(
        "drawing-over-the-answers",
        app(APP),
        ["plan", "app.yaml", "--answers", "answers.yaml", "-o", "answers.yaml", "--format", "dot"],
        "answers.yaml: is the input file answers.yaml; writing there would overwrite it",
    ),
    # --- paths that are not regular files, read-only folders, locks ---
    Case(
        "inventory-is-a-fifo",
        {"answers.yaml": ANSWERS},
        PLAN,
        "app.yaml: is a FIFO (named pipe), not a regular file",
        setup=fifo("app.yaml"),
        fast=True,
    ),
    Case(
        "answers-is-a-fifo-plan",
        {"app.yaml": APP},
        PLAN,
        "answers.yaml: is a FIFO (named pipe), not a regular file",
        setup=fifo("answers.yaml"),
        fast=True,
    ),
    Case(
        "answers-is-a-fifo-ask",
        {"app.yaml": APP},
        ASK,
        "answers.yaml: is a FIFO (named pipe), not a regular file; choose another --answers",
        setup=fifo("answers.yaml"),
        fast=True,
    ),
    Case(
        "drawing-to-a-device",
        app(APP),
        ["plan", "app.yaml", "--answers", "answers.yaml", "-o", "mynull"],
        "mynull: is a character device, not a regular file; choose another -o",
        setup=char_device("mynull"),
    ),
    Case(
        "drawing-to-a-fifo",
        app(APP),
        ["plan", "app.yaml", "--answers", "answers.yaml", "-o", "layout.dot"],
        "layout.dot: is a FIFO (named pipe), not a regular file; choose another -o",
        setup=fifo("layout.dot"),
        fast=True,
    ),
    Case(
        "out-file-is-a-fifo",
        app(APP),
        PLAN,
        "out/report.md: is a FIFO (named pipe), not a regular file; choose another --out",
        setup=fifo("out/report.md"),
        fast=True,
    ),
    Case(
        "out-file-is-a-device",
        app(APP),
        PLAN,
        "out/pods.yaml: is a character device, not a regular file; choose another --out",
        setup=char_device("out/pods.yaml"),
    ),
    Case(
        "out-read-only",
        app(APP),
        PLAN,
        "out: cannot write there: the folder out is read-only; choose another --out",
        setup=read_only_folder("out"),
    ),
    Case(
        "out-under-a-read-only-folder",
        app(APP),
        ["plan", "app.yaml", "--answers", "answers.yaml", "--out", "locked/out"],
        "locked/out: cannot write there: the folder locked is read-only; choose another --out",
        setup=read_only_folder("locked"),
    ),
    Case(
        "lock-is-a-folder",
        app(APP),
        ASK,
        "answers.yaml.lock: is a folder, not a lock file; remove it to use the answers",
        setup=lock_folder,
    ),
    Case(
        "fresh-lock-holds-garbage",
        {**app(APP), "answers.yaml.lock": "garbage\n"},
        ASK,
        "answers.yaml.lock: not a pod-advisor lock: it holds 'garbage'; if no pod-advisor session is using answers.yaml, delete answers.yaml.lock",
    ),
    Case(
        "fresh-lock-holds-5000-digits",
        {**app(APP), "answers.yaml.lock": "1" * 5000},
        ASK,
        "answers.yaml.lock: not a pod-advisor lock: it holds more than 256 bytes; if no pod-advisor session is using answers.yaml, delete answers.yaml.lock",
    ),
    Case(
        "ask-without-terminal-creates-no-folder",
        {"app.yaml": APP},
        ["ask", "app.yaml", "--answers", "nowhere/x.yaml"],
        "ask needs a terminal, and up to 1 question is still open (with the roles as proposed); answer them in an answers file (see docs/formats.md) and run: pod-advisor plan app.yaml --answers FILE",
    ),
    Case(
        "ask-without-terminal-through-a-dangling-link",
        {"app.yaml": APP},
        ["ask", "app.yaml", "--answers", "nowhere/x.yaml"],
        "ask needs a terminal, and up to 1 question is still open (with the roles as proposed); answer them in an answers file (see docs/formats.md) and run: pod-advisor plan app.yaml --answers FILE",
        setup=dangling_link,
    ),
    # --- compose files ---
    Case(
        "compose-services-not-mapping",
        compose("services: [web, db]\n"),
        COMPOSE_PLAN,
        "compose.yaml:1:1: services must be a mapping (key: value lines), not a list",
    ),
    Case(
        "compose-port-spec",
        compose("services:\n  web:\n    image: nginx\n    ports: ['80:http']\n"),
        COMPOSE_PLAN,
        "compose.yaml:4:13: services.web.ports[0]: '80:http' is not a port such as 80, '8080:80' or '127.0.0.1:53:53/udp'",
    ),
    Case(
        "compose-published-port",
        compose("services:\n  web:\n    image: nginx\n    ports: ['99999:80']\n"),
        COMPOSE_PLAN,
        "compose.yaml:4:13: services.web.ports[0]: '99999:80': the published port 99999 is not between 1 and 65535",
    ),
    Case(
        "compose-bad-env-file",
        {**compose("services:\n  web:\n    image: nginx\n"), ".env": "TAG=1\nnot a setting\n"},
        COMPOSE_PLAN,
        ".env:2: not: expected KEY=value (the rest of the line is not shown: it may hold a secret)",
    ),
    Case(
        "env-file-line-without-equals-keeps-its-value-secret",
        {
            **compose("services:\n  web:\n    image: nginx\n    env_file: app.env\n"),
            "app.env": "DB_USER=app\nDB_PASSWORD hunter2-very-secret\n",
        },
        COMPOSE_PLAN,
        "<folder>/app.env:2: DB_PASSWORD: expected KEY=value (the rest of the line is not shown: it may hold a secret)",
    ),
    Case(
        "env-file-is-a-folder",
        compose("services:\n  web:\n    image: nginx\n    env_file: conf\n"),
        COMPOSE_PLAN,
        "compose.yaml:4:5: services.web.env_file: conf is a folder, not a file of KEY=value lines",
        setup=make_folder("conf"),
    ),
    Case(
        "env-file-is-a-fifo",
        compose("services:\n  web:\n    image: nginx\n    env_file: app.env\n"),
        COMPOSE_PLAN,
        "compose.yaml:4:5: services.web.env_file: app.env is a FIFO (named pipe), not a file of KEY=value lines",
        setup=fifo("app.env"),
        fast=True,
    ),
    Case(
        "extends-file-is-a-folder",
        compose("services:\n  web:\n    extends: {file: base, service: web}\n"),
        COMPOSE_PLAN,
        "compose.yaml:3:15: services.web.extends.file: base is a folder, not a compose file",
        setup=make_folder("base"),
    ),
    Case(
        "env-file-line-without-a-name",
        {
            **compose("services:\n  web:\n    image: nginx\n    env_file: app.env\n"),
            "app.env": "=hunter2-very-secret\n",
        },
        COMPOSE_PLAN,
        "<folder>/app.env:1: expected KEY=value, with a variable name first (the line is not shown: it may hold a secret)",
    ),
    Case(
        "compose-required-variable",
        compose("services:\n  web:\n    image: 'nginx:${TAG:?set TAG to the release}'\n"),
        COMPOSE_PLAN,
        "compose.yaml:3:5: services.web.image: variable TAG is not set: set TAG to the release",
        unset=("TAG",),
    ),
    Case(
        "compose-bad-interpolation",
        compose("services:\n  web:\n    image: 'nginx:${'\n"),
        COMPOSE_PLAN,
        "compose.yaml:3:5: services.web.image: unclosed '${' in 'nginx:${'",
    ),
    Case(
        "compose-names-collide",
        compose("services:\n  my_app:\n    image: a\n  my-app:\n    image: b\n"),
        COMPOSE_PLAN,
        "compose.yaml:4:3: services.my-app: 'my-app' and 'my_app' both become 'my-app' in Kubernetes; rename one",
    ),
    Case(
        "compose-malformed",
        compose("services:\n  web:\n    image: nginx\n   ports: [80]\n"),
        COMPOSE_PLAN,
        "compose.yaml:4:4: invalid YAML: did not find expected key (in a block mapping that starts at line 2, column 3)",
    ),
    Case(
        "compose-empty-services",
        compose("services: {}\n"),
        COMPOSE_PLAN,
        "compose.yaml:1:1: 'services:' is empty; there is nothing to place in pods",
    ),
    # --- the answers file ---
    Case(
        "answer-not-yes-no",
        answers("pairs:\n  web + db:\n    same_host: maybe\n"),
        PLAN,
        "answers.yaml:3:5: pairs.web + db.same_host: the answer must be yes or no, not 'maybe'",
    ),
    Case(
        "unknown-question",
        answers("pairs:\n  web + db:\n    same_hots: yes\n"),
        PLAN,
        "answers.yaml:3:5: pairs.web + db.same_hots: unknown key (did you mean 'same_host'?); known keys: same_host, single_unit, unified_whole, scale_together, fits_node",
    ),
    Case(
        "pair-unknown-container",
        answers("pairs:\n  web + cache:\n    same_host: no\n"),
        PLAN,
        "answers.yaml:2:3: pairs.web + cache: no container named 'cache' in app.yaml; if it was removed or renamed, 'pod-advisor ask' drops its answers",
    ),
    Case(
        "pair-same-container",
        answers("pairs:\n  web + web:\n    same_host: no\n"),
        PLAN,
        "answers.yaml:2:3: pairs.web + web: the name 'web' is repeated; name each container once",
    ),
    Case(
        "pair-one-name",
        answers("pairs:\n  web:\n    same_host: no\n"),
        PLAN,
        "answers.yaml:2:3: pairs.web: a pair is written 'a + b' with two container names",
    ),
    Case(
        "answers-version-2",
        answers("version: 2\npairs: {}\n"),
        PLAN,
        "answers.yaml:1:1: version: answers format version 2 is not supported; this pod-advisor reads version 1",
    ),
    Case(
        "answers-version-text",
        answers("version: one\npairs: {}\n"),
        PLAN,
        "answers.yaml:1:1: version: answers format version 'one' is not supported; this pod-advisor reads version 1",
    ),
    Case(
        "answers-version-float",
        answers("version: 1.0\npairs: {}\n"),
        PLAN,
        "answers.yaml:1:1: version: must be the number 1, not 1.0",
    ),
    Case(
        "answers-version-yes",
        answers("version: yes\npairs: {}\n"),
        PLAN,
        "answers.yaml:1:1: version: answers format version yes is not supported; this pod-advisor reads version 1",
    ),
    Case(
        "answers-version-empty",
        answers("version:\npairs: {}\n"),
        PLAN,
        "answers.yaml:1:1: version: answers format version (empty) is not supported; this pod-advisor reads version 1",
    ),
    Case(
        "answers-a-list",
        answers("- web + db\n"),
        PLAN,
        "answers.yaml:1:1: the file must be a mapping (key: value lines), not a list",
    ),
    Case(
        "answers-not-utf8",
        answers(b"pairs:\n  web + db:\n    same_host: n\xf6\n"),
        PLAN,
        "answers.yaml:3:17: not UTF-8 text (byte 0xf6); save the file as UTF-8",
    ),
    Case(
        "answers-duplicate-pair",
        answers(ANSWERS + "  db + web:\n    same_host: no\n"),
        PLAN,
        "answers.yaml:5:3: pairs.db + web: the pair db + web is answered twice in this file",
    ),
    Case(
        "answers-bad-role",
        answers("roles:\n  web: boss\n"),
        PLAN,
        "answers.yaml:2:3: roles.web: a role is 'primary' or 'helper of NAME', not 'boss'",
    ),
    Case("answers-missing", {"app.yaml": APP}, PLAN, "answers.yaml: no such file"),
    Case(
        "answers-folder-plan",
        {"app.yaml": APP},
        PLAN,
        "answers.yaml: is a folder, not a file",
        setup=make_folder("answers.yaml"),
    ),
    Case(
        "answers-folder-ask",
        {"app.yaml": APP},
        ASK,
        "answers.yaml: is a folder, not a file",
        setup=make_folder("answers.yaml"),
    ),
    Case(
        "answers-bad-in-ask",
        answers("pairs:\n  web + db:\n    same_host: maybe\n"),
        ASK,
        "answers.yaml:3:5: pairs.web + db.same_host: the answer must be yes or no, not 'maybe'",
    ),
    # --- Kubernetes manifests: what the API server refuses on create ---
    Case(
        "k8s-selector-not-the-templates",
        manifests(deployment("{matchLabels: {app: api}}")),
        K8S_PLAN,
        "m.yaml:5:3: Deployment/web.spec.selector: selector does not match template labels (the template has no app: api)",
    ),
    Case(
        "k8s-selector-empty",
        manifests(deployment("{}")),
        K8S_PLAN,
        "m.yaml:5:3: Deployment/web.spec.selector: is empty: a Deployment must select its pods by their labels",
    ),
    Case(
        "k8s-deployment-never-restarts",
        manifests(deployment(pod="      restartPolicy: Never\n")),
        K8S_PLAN,
        "m.yaml:10:7: Deployment/web.spec.template.spec.restartPolicy: 'Never': a Deployment's pods can only be Always",
    ),
    Case(
        "k8s-job-restarts-always",
        manifests(
            "apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate}\nspec:\n  template:\n"
            "    spec: {restartPolicy: Always, containers: [{name: m, image: migrate}]}\n"
        ),
        K8S_PLAN,
        "m.yaml:6:12: Job/migrate.spec.template.spec.restartPolicy: 'Always': a Job's pods can only be OnFailure or Never",
    ),
    Case(
        "k8s-same-pod-in-default-and-no-namespace",
        manifests(POD % ", namespace: default" + "---\n" + POD % ""),
        K8S_PLAN,
        "m.yaml:8:12: Pod/p.metadata.name: a Pod of this name is read already, at m.yaml:3 (a workload without a namespace is applied to default, by convention)",
    ),
    Case(
        "k8s-type-error-in-a-nested-list",
        manifests(
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items:\n"
            "  - {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: web, image: 5}]}}\n"
        ),
        K8S_PLAN,
        "m.yaml:7:86: Pod/p.spec.containers[0].image: must be text (quote it), not a number",
    ),
    Case(
        "k8s-generate-name-of-capitals",
        manifests(
            "apiVersion: batch/v1\nkind: Job\nmetadata: {generateName: Migrate-}\nspec:\n  template:\n"
            "    spec: {restartPolicy: Never, containers: [{name: m, image: migrate}]}\n"
        ),
        K8S_PLAN,
        "m.yaml:3:12: Job (document 1).metadata.generateName: 'Migrate-' begins no DNS-1123 subdomain (lowercase letters, digits, - and .)",
    ),
    Case(
        "k8s-generate-name-only-a-dash",
        manifests(
            "apiVersion: batch/v1\nkind: Job\nmetadata: {generateName: '-'}\nspec:\n  template:\n"
            "    spec: {restartPolicy: Never, containers: [{name: m, image: migrate}]}\n"
        ),
        K8S_PLAN,
        "m.yaml:3:11: Job (document 1).metadata: missing 'name'",
    ),
    # --- the command line ---
    Case(
        "unknown-option",
        app(APP),
        [*PLAN, "--frobnicate"],
        "unrecognized arguments: --frobnicate; see pod-advisor --help",
    ),
    Case(
        "missing-inventory",
        app(APP),
        ["plan"],
        "the following arguments are required: INVENTORY; see pod-advisor plan --help",
    ),
    Case(
        "missing-command",
        app(APP),
        [],
        "the following arguments are required: COMMAND; see pod-advisor --help",
    ),
    Case(
        "unknown-command",
        app(APP),
        ["advise", "app.yaml"],
        "argument COMMAND: invalid choice: 'advise' (choose from 'ask', 'plan', 'explain'); see pod-advisor --help",
    ),
    Case(
        "bad-workload",
        app(APP),
        [*PLAN, "--workload", "cronjob"],
        "argument --workload: invalid choice: 'cronjob' (choose from 'pod', 'deployment', 'statefulset', 'job', 'daemonset'); see pod-advisor plan --help",
    ),
    Case(
        "explain-one-name",
        app(APP),
        ["explain", "app.yaml", "--answers", "answers.yaml", "web"],
        "explain takes two container names A B or none, not: web; see pod-advisor --help",
    ),
    Case(
        "explain-unknown-name",
        app(APP),
        ["explain", "app.yaml", "--answers", "answers.yaml", "web", "dbx"],
        "B: no container named 'dbx' in app.yaml; did you mean db?",
    ),
    Case(
        "request-above-limit",
        app(container("resources: {cpu: 2}, limits: {cpu: 1}")),
        PLAN,
        "app.yaml:2:31: containers[0] (web).resources: the cpu request 2 is above its limit 1",
    ),
    Case(
        "compose-reservation-above-limit",
        compose(
            "services:\n  web:\n    image: nginx\n    deploy:\n      resources:\n"
            "        limits: {memory: 50M}\n        reservations: {memory: 100M}\n"
        ),
        COMPOSE_PLAN,
        "compose.yaml:7:24: services.web.deploy.resources.reservations.memory: the memory "
        "request 100Mi is above its limit 50Mi: Kubernetes refuses a reservation above the limit",
    ),
    Case(
        "env-name-with-equals",
        app(container("env: {'X=Y': 3}")),
        PLAN,
        "app.yaml:2:37: containers[0] (web).env.X=Y: is not an environment variable name "
        "Kubernetes takes (letters, digits, '_', '-' and '.', not starting with a digit)",
    ),
    # --- issue 15: numbers Python cannot hold, names that break what they reach ---
    Case(
        "integer-of-5000-digits",
        app(container(f"ports: [{'1' * 5000}]")),
        PLAN,
        "app.yaml:2:39: invalid YAML: a number of 5,000 digits; at most 4,300 are read",
        fast=True,
    ),
    Case(
        "compose-port-of-5000-digits",
        compose(f"services:\n  web:\n    image: nginx\n    ports: ['{'1' * 5000}:80']\n"),
        COMPOSE_PLAN,
        "compose.yaml:4:13: services.web.ports[0]: '11111111111111111111111111111111111111111111111111111111...111111111111111:80': the published port '11111111111111111111111111111111111111111111111111111111...1111111111111111111' is not a port number or range",
        fast=True,
    ),
    Case(
        "quantity-1e309",
        app(container("resources: {cpu: 1e309}")),
        PLAN,
        "app.yaml:2:43: containers[0] (web).resources.cpu: cpu '1e309' is too large; Kubernetes takes quantities below 2^63",
    ),
    Case(
        "quantity-1e99999999",
        app(container("resources: {memory: '1e99999999'}")),
        PLAN,
        "app.yaml:2:43: containers[0] (web).resources.memory: memory '1e99999999' is too large; Kubernetes takes quantities below 2^63",
        fast=True,
    ),
    Case(
        "volume-size-1e309",
        app(container("volumes: [data]")),
        [*PLAN, "--volume-size", "1e309"],
        "--volume-size: '1e309' is too large; Kubernetes takes quantities below 2^63",
    ),
    Case(
        "roles-in-a-circle",
        answers("version: 1\nroles:\n  web: helper of db\n  db: helper of web\n"),
        PLAN,
        "answers.yaml:3:3: roles.web: web is a helper of db, which is a helper of web: helper roles go round in a circle with no primary; make one of them 'primary'",
    ),
    Case(
        "complements-in-a-circle",
        app(
            "containers:\n  - {name: web, image: nginx, complements: db}\n"
            "  - {name: db, image: postgres, complements: web}\n"
        ),
        PLAN,
        "app.yaml:2:5: containers[0]: web is a helper of db, which is a helper of web: helpers complement one another in a circle with no primary; make one of them role: primary",
    ),
    Case(
        "output-is-a-link-into-a-missing-folder",
        app(APP),
        PLAN,
        "out/pods.yaml: is a link to nowhere/deep/pods.yaml, whose folder does not exist; remove the link or choose another --out",
        setup=link_into_nowhere,
    ),
    Case(
        "kustomize-without-out",
        app(APP),
        ["plan", "app.yaml", "--answers", "answers.yaml", "--kustomize"],
        "--kustomize writes DIR/kustomize/ beside pods.yaml: add --out DIR",
    ),
    Case(
        "volume-size-0",
        app(container("volumes: [data]")),
        [*PLAN, "--volume-size", "0"],
        "--volume-size: '0' is less than one byte; a claim asks for storage such as 10Gi",
    ),
    Case(
        "volume-size-a-tenth-of-a-byte",
        app(container("volumes: [data]")),
        [*PLAN, "--volume-size", "100m"],
        "--volume-size: '100m' is less than one byte; a claim asks for storage such as 10Gi",
    ),
    Case(
        "volume-size-fractional-bytes",
        app(container("volumes: [data]")),
        [*PLAN, "--volume-size", "1.5001Ki"],
        "--volume-size: 1.5001Ki (1536.1024) is not a whole number of bytes; write storage such as 10Gi or 1500M",
    ),
    Case(
        "compose-mem-limit-of-400-digits",
        compose(f"services:\n  web:\n    image: nginx\n    mem_limit: {'1' * 400}\n"),
        COMPOSE_PLAN,
        "compose.yaml:4:5: services.web.mem_limit: '1111111111111111111111111111111111111...' is too large; Kubernetes takes amounts below 2^63 bytes",
    ),
    Case(
        "compose-cpus-1e308",
        compose("services:\n  web:\n    image: nginx\n    cpus: 1e308\n"),
        COMPOSE_PLAN,
        "compose.yaml:4:5: services.web.cpus: '1e308' is too large a number of CPUs",
    ),
    Case(
        "compose-healthcheck-interval-inf",
        compose(
            "services:\n  web:\n    image: nginx\n    healthcheck: {test: [CMD, 'true'], interval: .inf}\n"
        ),
        COMPOSE_PLAN,
        "compose.yaml:4:40: services.web.healthcheck.interval: .inf is not a duration Kubernetes takes (at most 68 years)",
    ),
    Case(
        "compose-healthcheck-interval-nan",
        compose(
            "services:\n  web:\n    image: nginx\n    healthcheck: {test: [CMD, 'true'], interval: .nan}\n"
        ),
        COMPOSE_PLAN,
        "compose.yaml:4:40: services.web.healthcheck.interval: .nan is not a duration Kubernetes takes (at most 68 years)",
    ),
    Case(
        "compose-interpolation-nested-2000-deep",
        compose("services:\n  web:\n    image: '" + "${A:-" * 2000 + "x" + "}" * 2000 + "'\n"),
        COMPOSE_PLAN,
        "compose.yaml:3:5: services.web.image: '${' nested more than 16 deep",
        fast=True,
        unset=("A",),
    ),
    Case(
        "name-with-escape",
        app('containers:\n  - {name: "w\\eb", image: nginx}\n  - {name: db, image: pg}\n'),
        PLAN,
        "app.yaml:2:5: containers[0]: name 'w\\x1bb' contains the control character U+001B",
    ),
    Case(
        "name-with-bel",
        app('containers:\n  - {name: "web\\a", image: nginx}\n  - {name: db, image: pg}\n'),
        PLAN,
        "app.yaml:2:5: containers[0]: name 'web\\x07' contains the control character U+0007",
    ),
    Case(
        "name-with-newline",
        app('containers:\n  - {name: "w\\nb", image: nginx}\n  - {name: db, image: pg}\n'),
        PLAN,
        "app.yaml:2:5: containers[0]: name 'w\\nb' contains the control character U+000A",
    ),
    Case(
        "name-with-bar",
        app(container("", name="'w|b'")),
        PLAN,
        "app.yaml:2:5: containers[0]: name 'w|b' contains '|', which would break report.md's table",
    ),
    Case(
        "name-that-cannot-round-trip",
        app(container("", name="'web +'")),
        PLAN,
        "app.yaml:2:5: containers[0]: name 'web +' cannot be read back from an answers file key ('a + b'): change its spaces or '+'",
    ),
    Case(
        "compose-name-with-escape",
        compose('services:\n  "w\\eb":\n    image: nginx\n'),
        COMPOSE_PLAN,
        "compose.yaml:2:3: services.'w\\x1bb': the name contains the control character U+001B",
    ),
    Case(
        "names-become-one-service",
        app("containers:\n  - {name: '123', image: a}\n  - {name: svc-123, image: b}\n"),
        PLAN,
        "app.yaml:3:5: containers[1]: names 'svc-123' and '123' both become the Service 'svc-123'; rename one",
    ),
    Case(
        "compose-names-become-one-service",
        compose("services:\n  '123':\n    image: a\n  svc-123:\n    image: b\n"),
        COMPOSE_PLAN,
        "compose.yaml:4:3: services.svc-123: 'svc-123' and '123' both become the Service 'svc-123'; rename one",
    ),
    Case(
        "compose-volume-without-letters",
        compose(
            "services:\n  web:\n    image: nginx\n    volumes: ['___:/a']\nvolumes:\n  ___: {}\n"
        ),
        COMPOSE_PLAN,
        "compose.yaml:2:3: services.web: volume name '___' has no letters or digits",
    ),
    Case(
        "compose-volumes-collide",
        compose(
            "services:\n  web:\n    image: nginx\n    volumes: ['my_vol:/a']\n"
            "  db:\n    image: pg\n    volumes: ['my-vol:/b']\nvolumes:\n  my_vol: {}\n  my-vol: {}\n"
        ),
        COMPOSE_PLAN,
        "compose.yaml:5:3: services.db: volumes 'my_vol' and 'my-vol' both become 'my-vol' in Kubernetes; rename one",
    ),
    Case(
        "compose-volume-name-of-100-characters",
        compose(f"services:\n  web:\n    image: nginx\n    volumes: ['{'v' * 100}:/a']\n"),
        COMPOSE_PLAN,
        "compose.yaml:2:3: services.web: volume name 'vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv'... is 100 characters; Kubernetes allows at most 63",
    ),
    Case(
        "key-of-100000-characters",
        answers("pairs:\n  ? " + "x" * 100_000 + "\n  : {same_host: yes}\n"),
        PLAN,
        f"answers.yaml:2:5: pairs.{'x' * 51}...{'x' * 19}: a pair is written 'a + b' with two container names",
        fast=True,
    ),
    Case(
        "answers-version-quoted",
        answers("version: '1'\npairs: {}\n"),
        PLAN,
        "answers.yaml:1:1: version: must be the number 1, not '1'",
    ),
    Case(
        "group-repeats-a-name",
        answers("pairs:\n  web + db + web:\n    same_host: no\n"),
        PLAN,
        "answers.yaml:2:3: pairs.web + db + web: the name 'web' is repeated; name each container once",
    ),
    Case(
        "group-of-990-containers",
        {
            "app.yaml": "containers:\n"
            + "".join(f"  - {{name: c{i}, image: a}}\n" for i in range(990)),
            "answers.yaml": "pairs:\n  ? "
            + " + ".join(f"c{i}" for i in range(990))
            + "\n  : {same_host: yes, single_unit: yes}\n",
        },
        PLAN,
        "answers.yaml:2:5: pairs."
        + " + ".join(f"c{i}" for i in range(990))[: 1000 - 6 - 3]
        + "...",
        fast=True,
    ),
    Case(
        "drawing-under-a-file",
        {**app(APP), "afile": "x"},
        ["plan", "app.yaml", "--answers", "answers.yaml", "-o", "afile/x.dot"],
        "afile: is a file, not a folder; choose another -o",
    ),
    Case(
        "compose-unset-variable-leaves-a-field-wrong",
        compose(
            "services:\n  web:\n    image: nginx\n"
            "    healthcheck: {test: [CMD, 'true'], retries: $RETRIES}\n"
        ),
        COMPOSE_PLAN,
        "compose.yaml:4:40: services.web.healthcheck.retries: must be a whole number of 1 or more, not '' (variable RETRIES is not set)",
        unset=("RETRIES",),
    ),
    Case(
        "out-through-a-self-link",
        app(APP),
        ["plan", "app.yaml", "--answers", "answers.yaml", "--out", "loop/out"],
        "loop/out/pods.yaml: cannot write: Too many levels of symbolic links",
        setup=self_link("loop"),
    ),
    Case(
        "inventory-name-over-255-bytes",
        app(APP),
        ["plan", "x" * 300 + ".yaml"],
        f"{'x' * 60}...{'x' * 25}.yaml: the name {'x' * 20}... is too long: 305 bytes, where at most 255 fit",
        fast=True,
    ),
    Case(
        "out-name-over-255-bytes",
        app(APP),
        [*PLAN[:-1], "o" * 300],
        f"{'o' * 60}...{'o' * 30}: the name {'o' * 20}... is too long: 300 bytes, where at most 255 fit",
        fast=True,
    ),
    Case(
        "ask-default-answers-name-too-long",
        {"n" * 245 + ".yaml": APP},
        ["ask", "n" * 245 + ".yaml"],
        f"{'n' * 60}...{'n' * 17}.answers.yaml: the name {'n' * 20}... is too long: 258 bytes, where at most 233 fit; name it with --answers FILE",
        fast=True,
    ),
    Case(
        "strict-unanswered",
        answers("version: 1\npairs: {}\n"),
        [*PLAN, "--strict"],
        "answers.yaml: 1 pair unanswered (--strict): db + web",
        code=1,
    ),
]


def run_in(folder: Path, argv: list[str]) -> int:
    """``main(argv)`` in ``folder``; argparse's SystemExit becomes the exit code."""
    try:
        return main(argv)
    except SystemExit as stop:
        return int(stop.code or 0)


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` with the bytes of each regular file (None for folders)."""
    result: dict[str, bytes | None] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.stat().st_size < 2**20:
            with open(path, "rb") as stream:  # not Path.open, which a case may patch
                result[str(path.relative_to(folder))] = stream.read()
        else:
            result[str(path.relative_to(folder))] = None
    return result


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, content in case.files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (tmp_path / name).write_bytes(data)
    monkeypatch.chdir(tmp_path)
    for name in case.unset:
        monkeypatch.delenv(name, raising=False)
    if case.setup is not None:
        case.setup(tmp_path, monkeypatch)
    before = snapshot(tmp_path)
    started = time.perf_counter()
    code = run_in(tmp_path, case.argv)
    elapsed = time.perf_counter() - started
    monkeypatch.undo()
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    message = case.message.replace("<folder>", str(tmp_path))  # a path the tool resolved
    assert captured.err == f"pod-advisor: error: {message}\n"
    assert code == case.code
    assert snapshot(tmp_path) == before
    if case.fast:
        # A guard against blow-ups, not a speed target (benchmarks/ has those): the inputs
        # these cases refuse ran for minutes before; 10 s leaves a loaded machine room.
        assert elapsed < 10, f"{case.id} took {elapsed:.2f} s"


SUBPROCESS_CASES = [
    "missing-file",
    "alias-bomb",
    "deep-nesting",
    "50-MB-file",
    "unknown-option",
    "inventory-is-a-fifo",
    "drawing-to-a-fifo",
    "lock-is-a-folder",
]


@pytest.mark.parametrize("case_id", SUBPROCESS_CASES)
def test_bad_input_through_the_real_command(case_id: str, tmp_path: Path) -> None:
    """The installed entry point (``python -m advisor``) prints the same single line."""
    case = next(case for case in CASES if case.id == case_id)
    for name, content in case.files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (tmp_path / name).write_bytes(data)
    if case.setup is not None:
        with pytest.MonkeyPatch.context() as monkeypatch:
            case.setup(tmp_path, monkeypatch)
    before = snapshot(tmp_path)
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "advisor", *case.argv],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=environment,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )
    assert result.stderr == f"pod-advisor: error: {case.message}\n"
    assert result.returncode == case.code
    assert result.stdout == ""
    assert snapshot(tmp_path) == before
