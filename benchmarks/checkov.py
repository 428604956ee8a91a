"""What a static scanner says of the manifests: checkov's failed checks per workload, by
check, on the compose corpus and on generated applications. Prints the table of docs/performance.md.

Each application is planned into its own folder of one scan (``plan --out DIR --namespace
bench``, and ``--network-policies`` when ``pod-advisor plan --help`` lists it), then one
checkov run scans them all (``--framework kubernetes -o json``). A workload is a Pod,
Deployment, StatefulSet, DaemonSet, Job or CronJob; checkov checks a workload and, apart,
its pod template (``Pod.NAMESPACE.NAME.LABELS``): both count as the one workload, and a
check either fails counts once. Checks on Services, claims and the like are left out.

checkov's pins clash with ours: install it in a virtual environment of its own and name its
command with ``--checkov`` or ``$CHECKOV`` (default: ``checkov`` on the PATH)::

    python3 -m venv /work/checkov-venv && /work/checkov-venv/bin/pip install -q checkov
    python benchmarks/checkov.py --checkov /work/checkov-venv/bin/checkov
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from advisor import cli  # noqa: E402

WORKLOADS = ("Pod", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob")
NAMESPACE = "bench"


@dataclass(frozen=True)
class Failure:
    """One failed check on one workload of one application."""

    app: str  # the folder the application was planned into
    workload: str  # namespace/name
    check_id: str
    check_name: str


@dataclass(frozen=True)
class Summary:
    """The failed checks of a scan: per workload, and by check across workloads."""

    workloads: int
    failures: int
    by_check: list[tuple[str, str, int]]  # check id, name, workloads failing it

    @property
    def per_workload(self) -> float:
        return self.failures / self.workloads if self.workloads else 0.0


def failures(report: Any) -> list[Failure]:
    """The failed checks on workloads in checkov's JSON report (one framework's object, or
    the list it prints for several), each with its application's folder."""
    reports = report if isinstance(report, list) else [report]
    found = []
    for part in reports:
        if part.get("check_type") != "kubernetes":
            continue
        for check in part.get("results", {}).get("failed_checks", []):
            workload = _workload(check["resource"])
            if workload is not None:
                app = _app(check)
                found.append(Failure(app, workload, check["check_id"], check["check_name"]))
    return list(dict.fromkeys(found))  # a check its workload and its template both fail


def _workload(resource: str) -> str | None:
    """``Deployment.bench.web`` and its template ``Pod.bench.web.LABELS`` as ``bench/web``;
    None for a resource that is no workload."""
    kind, _, rest = resource.partition(".")
    namespace, _, rest = rest.partition(".")
    name = rest.split(".", 1)[0]
    return f"{namespace}/{name}" if kind in WORKLOADS and name else None


def workloads_scanned(report: Any) -> int:
    """How many workloads checkov saw: those that failed a check and those that passed all."""
    reports = report if isinstance(report, list) else [report]
    seen = set()
    for part in reports:
        if part.get("check_type") != "kubernetes":
            continue
        results = part.get("results", {})
        for key in ("failed_checks", "passed_checks"):
            for check in results.get(key, []):
                workload = _workload(check["resource"])
                if workload is not None:
                    seen.add((_app(check), workload))
    return len(seen)


def summarize(found: Iterable[Failure], workloads: int) -> Summary:
    """Failed checks per workload, and how many workloads fail each check (most first);
    ``found`` holds each workload's failure of a check once (as ``failures`` gives them)."""
    found = list(found)
    names = {f.check_id: f.check_name for f in found}
    per_check = Counter(f.check_id for f in found)
    ordered = sorted(per_check.items(), key=lambda item: (-item[1], _check_order(item[0])))
    return Summary(workloads, len(found), [(c, names[c], n) for c, n in ordered])


def render(summary: Summary, apps: int) -> str:
    """The Markdown table docs/performance.md shows."""
    lines = [
        f"{apps} applications, {summary.workloads} workloads, {summary.failures} failed checks: "
        f"{summary.per_workload:.1f} per workload.",
        "",
        "| Check | What it asks | Workloads failing |",
        "|---|---|---|",
    ]
    lines += [
        f"| {check} | {name} | {count} of {summary.workloads} |"
        for check, name, count in summary.by_check
    ]
    return "\n".join(lines)


def _app(check: dict[str, Any]) -> str:
    """The application a check is about: the folder above ``out/pods.yaml`` (checkov's own
    paths are relative to where it ran, and its absolute one repeats the scanned folder)."""
    return Path(check.get("file_path", "")).parent.parent.name


def _check_order(check_id: str) -> tuple[str, int]:
    prefix, _, number = check_id.rpartition("_")
    return (prefix, int(number)) if number.isdigit() else (check_id, 0)


def generated_apps(count: int, seed: int = 1) -> list[dict[str, Any]]:
    """Compose files of a web front (published), services it reaches by URL, a database
    with a volume and a cache: what the corpus has most of, in random numbers."""
    rng = random.Random(seed)
    apps = []
    for index in range(count):
        backends = [f"api{i}" for i in range(rng.randint(1, 4))]
        services: dict[str, Any] = {
            "web": {
                "image": "example/web:1",
                "ports": ["8080:80"],
                "environment": {f"{b.upper()}_URL": f"http://{b}:8000" for b in backends},
            },
            "db": {"image": "postgres:16", "volumes": ["data:/var/lib/postgresql/data"]},
            "cache": {"image": "redis:7", "expose": ["6379"]},
        }
        for backend in backends:
            services[backend] = {
                "image": f"example/{backend}:1",
                "expose": ["8000"],
                "environment": {"DATABASE_URL": "postgres://db:5432/app", "REDIS_HOST": "cache"},
                "depends_on": ["db"],
            }
        apps.append({"name": f"generated-{index}", "services": services, "volumes": {"data": {}}})
    return apps


def plan_options() -> list[str]:
    """``--namespace``, and ``--network-policies`` where this pod-advisor has it."""
    options = ["--namespace", NAMESPACE]
    shown = subprocess.run(
        [sys.executable, "-m", "advisor", "plan", "--help"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    if "--network-policies" in shown.stdout:
        options.append("--network-policies")
    return options


def plan_all(sources: list[Path], folder: Path, options: list[str]) -> list[Path]:
    """Plan each compose file into ``folder/NAME/out``; the pods.yaml files written."""
    written = []
    for source in sources:
        out = folder / source.stem / "out"
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = cli.main(["plan", str(source), "--out", str(out), *options])
        if code != 0:
            raise SystemExit(f"plan {source} failed with exit code {code}")
        written.append(out / "pods.yaml")
    return written


def scan(checkov: str, folder: Path) -> Any:
    """checkov's JSON report of every manifest under ``folder``."""
    run = subprocess.run(
        [checkov, "-d", str(folder), "--framework", "kubernetes", "-o", "json", "--compact"],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode not in (0, 1):  # 1: some check failed
        raise SystemExit(f"checkov failed ({run.returncode}): {run.stderr.strip()[-500:]}")
    return json.loads(run.stdout)


def _sources(corpus: Path | None, generated: int, folder: Path) -> list[Path]:
    sources: list[Path] = []
    if corpus is not None and corpus.is_dir():
        for source in sorted(corpus.glob("*.yaml")):
            staged = folder / "inputs" / source.stem
            staged.mkdir(parents=True)
            aux = source.parent / "_aux" / source.stem
            if aux.is_dir():
                for companion in aux.iterdir():
                    shutil.copy(companion, staged / companion.name)
            shutil.copy(source, staged / source.name)
            sources.append(staged / source.name)
    for app in generated_apps(generated):
        staged = folder / "inputs" / app["name"]
        staged.mkdir(parents=True)
        path = staged / f"{app['name']}.yaml"
        path.write_text(json.dumps({k: v for k, v in app.items() if k != "name"}))
        sources.append(path)
    return sources


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--checkov",
        default=os.environ.get("CHECKOV", "checkov"),
        help="the checkov command (default: $CHECKOV, else checkov on the PATH)",
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        default=ROOT.parent / "shared" / "corpus" / "compose",
        help="a folder of compose files (default: ../shared/corpus/compose)",
    )
    parser.add_argument("--generated", type=int, default=10, help="generated applications")
    args = parser.parse_args(argv)
    if shutil.which(args.checkov) is None:
        parser.error(f"no checkov at {args.checkov!r}: see the docstring to install it")
    with tempfile.TemporaryDirectory(prefix="checkov-bench-") as tmp:
        folder = Path(tmp)
        sources = _sources(args.corpus, args.generated, folder)
        options = plan_options()
        plans = folder / "plans"
        plan_all(sources, plans, options)
        report = scan(args.checkov, plans)
        summary = summarize(failures(report), workloads_scanned(report))
        print(f"pod-advisor plan {' '.join(options)}; checkov {_version(report)}")
        print(render(summary, len(sources)))
    return 0


def _version(report: Any) -> str:
    reports = report if isinstance(report, list) else [report]
    return str(reports[0].get("summary", {}).get("checkov_version", "?")) if reports else "?"


if __name__ == "__main__":
    raise SystemExit(main())
