"""Mutate Kubernetes manifests at every path and check what ``plan`` makes of them.

Each mutation puts a value of a wrong type (or removes the key) at one path of one
document, then runs ``plan`` on it, plain and with ``--native-sidecars --node cpu=0.1``.
Every run must end with exit code 0 and manifests that kubernetes-validate (strict)
accepts, or with exit code 2 and one line of bad input; never a traceback.

    python tools/fuzz_manifests.py tests/data/k8s/kube-state-metrics.yaml

Prints the number of runs, then one line per kind of failure found (none: all is well).
(From the fuzz script of the audit's first round, extended to validate every output.)
"""

from __future__ import annotations

import contextlib
import copy
import io
import os
import sys
import tempfile
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate
import yaml

from advisor.cli import main

WRONG: list[Any] = [None, 5, -1, 70000, "text", "", [], {}, True, ["x"], [5], [None],
                    [{"a": 1}], {"a": 1}, 1.5]  # fmt: skip
DELETE = object()
KUBERNETES = "1.37.0"


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from paths(value, (*prefix, index))


def mutate(document: Any, path: tuple[Any, ...], value: Any) -> None:
    node = document
    for key in path[:-1]:
        node = node[key]
    if value is DELETE:
        node.pop(path[-1])
    else:
        node[path[-1]] = value


def run(arguments: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = main(arguments)
    return code, out.getvalue(), err.getvalue()


def fuzz(path: Path, found: dict[Any, Any]) -> int:
    runs = 0
    documents = list(yaml.safe_load_all(path.read_text()))
    with tempfile.TemporaryDirectory() as folder:
        mutated = Path(folder) / "m.yaml"
        for number, document in enumerate(documents):
            for where in list(paths(document))[1:]:
                for value in [*WRONG, DELETE]:
                    changed = copy.deepcopy(documents)
                    mutate(changed[number], where, value)
                    mutated.write_text(yaml.safe_dump_all(changed))
                    for extra in ([], ["--native-sidecars", "--node", "cpu=0.1"]):
                        runs += 1
                        shown = "DELETE" if value is DELETE else value
                        try:
                            code, out, err = run(["plan", str(mutated), *extra])
                        except Exception as error:  # a traceback: the bug to report
                            last = traceback.extract_tb(error.__traceback__)[-1]
                            key = (type(error).__name__, last.filename, last.lineno)
                            found.setdefault(key, (path.name, where, shown, repr(error)[:150]))
                            continue
                        lines = [line for line in err.splitlines() if "warning" not in line]
                        if code == 2 and len(lines) == 1:
                            continue
                        if code != 0:
                            found.setdefault(("exit", code), (path.name, where, shown, err[:300]))
                            continue
                        try:
                            for written in yaml.safe_load_all(out):
                                kubernetes_validate.validate(written, KUBERNETES, strict=True)
                        except Exception as error:
                            general = tuple("#" if isinstance(p, int) else p for p in where)
                            key = ("invalid output", general, type(value).__name__)
                            found.setdefault(key, (path.name, where, shown, str(error)[:150]))
    return runs


if __name__ == "__main__":
    os.environ.setdefault("COLUMNS", "100")
    failures: dict[Any, Any] = {}
    count = sum(fuzz(Path(argument), failures) for argument in sys.argv[1:])
    print("runs", count)
    for failure, example in failures.items():
        print(failure, example)
