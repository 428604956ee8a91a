"""How fast is pod-advisor at every size? Prints the Markdown table docs/performance.md shows.

Generated inventories (pods of one primary and up to three helpers, each with requests,
the primaries binding one port) and answers files (every pair inside a pod answered yes,
then random pairs across pods answered no, until each container has the asked number of
answered pairs) are written to a temporary folder. Measured, in one run:

- start-up: ``pod-advisor --help`` against ``python -c pass`` and ``python -c "import yaml"``,
  and the first question on screen in a pseudo-terminal (pexpect), median of several runs;
- per answer, what the user waits for: from a key press to the next question on screen in a
  pseudo-terminal, the answers file written before the next question as in any session;
- per answer, the engine alone: ``answer`` + ``next_step`` + ``progress`` in process, guided
  (roles asked one by one, then groups and pairs) and exhaustive, over up to 2,500 answers
  (the pseudo-terminal runs see the first 30), and the write of the answers file;
- ``plan`` end to end in a subprocess against merely parsing the same two files with
  ``yaml.CSafeLoader`` in a subprocess, one run of each in turn, with the peak memory of the
  plan process;
- ``plan`` on one large pod: a chain of together-answers (each container all yes with the
  next) and random all-yes pairs (as many as containers), with the size of ``layout.yaml``
  and ``report.md`` and the peak memory: the outputs must grow with the answers, not with
  the pairs a pod holds.

Run ``python benchmarks/speed.py`` (minutes), ``--quick`` (the smallest sizes, seconds) or
``--plan-only`` (the plan table alone, with ``--quick`` too for its smallest row),
best from a fresh virtual environment with a regular install, as a user has it (see
docs/performance.md): start-up is measured against the interpreter it runs on, and an
editable install or a site-packages ``.pth`` hook adds its own import time to every launch.
"""

from __future__ import annotations

import argparse
import compileall
import functools
import itertools
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from advisor.commands.load import load_questionnaire as load_session  # noqa: E402
from advisor.engine.questionnaire import Questionnaire, QuestionStep, RolesStep, RoleStep  # noqa: E402
from advisor.formats.answers import dump_answers  # noqa: E402
from advisor.formats.files import write_atomically  # noqa: E402
from advisor.formats.gcpause import release  # noqa: E402
from advisor.formats.rules import load_rules  # noqa: E402

PARSE_ONLY = (
    "import sys, yaml\n"
    "for name in sys.argv[1:]:\n"
    "    with open(name, encoding='utf-8') as f:\n"
    "        yaml.load(f.read(), Loader=yaml.CSafeLoader)\n"
)


@dataclass(frozen=True)
class Application:
    """A generated inventory and the pods its simulated user has in mind."""

    pods: list[list[str]]  # first member: the primary

    @property
    def names(self) -> list[str]:
        return [n for pod in self.pods for n in pod]

    @functools.cached_property
    def pod_of(self) -> dict[str, int]:
        """Each container's pod, by its index in ``pods``."""
        return {n: i for i, pod in enumerate(self.pods) for n in pod}


def make_application(containers: int, seed: int) -> Application:
    """Pods of one to four containers, ``containers`` in all."""
    rng = random.Random(seed)
    pods: list[list[str]] = []
    count = 0
    while count < containers:
        size = min(rng.choice((1, 1, 2, 2, 3, 4)), containers - count)
        pod = [f"app-{len(pods):04d}"] + [f"app-{len(pods):04d}-helper-{k}" for k in range(1, size)]
        pods.append(pod)
        count += size
    return Application(pods)


def inventory_text(app: Application, roles: bool, seed: int) -> str:
    """The inventory file: requests for all, a port per primary, roles when asked for."""
    rng = random.Random(seed)
    lines = ["name: generated", "node: {cpu: '8', memory: 16Gi}", "containers:"]
    for pod in app.pods:
        for k, name in enumerate(pod):
            lines.append(f"  - name: {name}")
            lines.append(f"    image: example.org/{name.split('-helper')[0]}:1.0")
            cpu, memory = rng.choice((50, 100, 250, 500)), rng.choice((64, 128, 256, 512))
            lines.append(f"    resources: {{cpu: {cpu}m, memory: {memory}Mi}}")
            if k == 0:
                lines.append("    ports: [8080]")
                if roles:
                    lines.append("    role: primary")
            else:
                lines.append(f"    ports: [{9100 + k}]")
                if roles:
                    lines.append(f"    role: sidecar\n    complements: {pod[0]}")
    return "\n".join(lines) + "\n"


QUESTIONS = ("same_host", "single_unit", "unified_whole", "scale_together", "fits_node")


def answers_text(app: Application, per_container: int, seed: int) -> tuple[str, int]:
    """Pairs inside pods all yes; random pairs across pods no, up to ``per_container``
    answered pairs per container on average. Returns the text and the number of pairs."""
    rng = random.Random(seed)
    names = app.names
    pod_of = app.pod_of
    lines = ["version: 1", "pairs:"]
    seen: set[tuple[str, str]] = set()
    for pod in app.pods:
        for i, a in enumerate(pod):
            for b in pod[i + 1 :]:
                seen.add((a, b))
                lines.append(f"  {a} + {b}:")
                lines += [f"    {q}: yes" for q in QUESTIONS]
    wanted = min(len(names) * per_container // 2, len(names) * (len(names) - 1) // 2)
    attempts = 0
    while len(seen) < wanted and attempts < 20 * wanted:
        attempts += 1
        a, b = rng.sample(names, 2)
        if pod_of[a] == pod_of[b] or (a, b) in seen or (b, a) in seen:
            continue
        seen.add((a, b))
        lines.append(f"  {a} + {b}:")
        lines.append(f"    {rng.choice(('scale_together', 'same_host', 'single_unit'))}: no")
    return "\n".join(lines) + "\n", len(seen)


# ---------------------------------------------------------------------- measuring
def _run(command: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall time of one subprocess, and its peak memory in KiB (from wait4)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        assert process.stderr is not None
        raise RuntimeError(f"{' '.join(command)} failed: {process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss


def _median(command: Sequence[str], runs: int, env: dict[str, str] | None = None) -> float:
    return statistics.median(_run(command, env)[0] for _ in range(runs))


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm")
    return env


# What marks a question on screen: the instruction, which an answered prompt no longer shows.
_YES_NO = r"\(y/n"
# A role list, or the roles screen (Enter keeps the roles on it).
_ROLE = r"\(what it is, or which container|\(Enter keeps them"


def first_question(inventory: Path, folder: Path, exhaustive: bool) -> float:
    """Seconds from launching ``ask`` to its first question on the screen (pexpect)."""
    import pexpect

    answers = folder / "first.answers.yaml"
    answers.unlink(missing_ok=True)
    arguments = ["-m", "advisor", "ask", str(inventory), "--answers", str(answers)]
    arguments += ["--out", str(folder / "first-out")] + (["--exhaustive"] if exhaustive else [])
    start = time.perf_counter()
    child = pexpect.spawn(
        sys.executable, arguments, env=_env(), cwd=str(folder), encoding="utf-8", timeout=60
    )
    child.expect([_YES_NO, _ROLE])  # the prompt is on screen
    elapsed = time.perf_counter() - start
    child.terminate(force=True)
    return elapsed


def startup_rows(folder: Path, runs: int, sizes: Sequence[int]) -> list[tuple[str, str, str]]:
    """(what, median seconds, against the target) for start-up."""
    python = sys.executable
    env = _env()
    bare = _median([python, "-c", "pass"], runs, env)
    yaml_import = _median([python, "-c", "import yaml"], runs, env)
    help_time = _median([python, "-m", "advisor", "--help"], runs, env)
    version_time = _median([python, "-m", "advisor", "--version"], runs, env)
    rows = [
        ("`python -c pass`", _ms(bare), ""),
        ('`python -c "import yaml"`', _ms(yaml_import), ""),
        ("`pod-advisor --help`", _ms(help_time), f"{help_time / yaml_import:.2f}x import yaml"),
        ("`pod-advisor --version`", _ms(version_time), f"{version_time / yaml_import:.2f}x"),
    ]
    for size in sizes:
        app = make_application(size, seed=size)
        for roles, exhaustive, label in (
            (True, False, "guided, roles in inventory"),
            (False, True, "--exhaustive"),
        ):
            inventory = folder / f"first-{size}-{label[:6]}.yaml"
            inventory.write_text(inventory_text(app, roles, seed=size))
            times = [first_question(inventory, folder, exhaustive) for _ in range(runs)]
            rows.append(
                (f"first question, {size} containers, {label}", _ms(statistics.median(times)), "")
            )
    return rows


KEYPRESS_MODES = (
    ("roles", "roles, one by one (guided, no roles in the inventory)"),
    ("groups", "groups and pairs (guided, roles in the inventory)"),
    ("exhaustive", "every pair, question by question (`--exhaustive`)"),
)
_NAME = re.compile(r"app-\d{4}(?:-helper-\d)?")


def keypress_latency(
    size: int, mode: str, answers: int, folder: Path, pause: float = 0.3
) -> dict[str, float]:
    """Milliseconds from a key press to the next question on screen, in a pseudo-terminal
    (pexpect): what the user waits for, the prompt and its drawing included, with the answers
    file written before the next question is drawn, as in any session. The simulated user
    reads each question for ``pause`` seconds, then answers with the truth of the generated
    pods (a role question with Enter, taking the proposed answer). ``mode``: ``roles``,
    ``groups`` or ``exhaustive``."""
    import pexpect

    app = make_application(size, seed=size)
    pod_of = app.pod_of
    inventory = folder / f"keys-{size}-{mode}.yaml"
    inventory.write_text(inventory_text(app, roles=mode == "groups", seed=size))
    answers_path = folder / f"keys-{size}-{mode}.answers.yaml"
    answers_path.unlink(missing_ok=True)
    arguments = ["-m", "advisor", "ask", str(inventory), "--answers", str(answers_path)]
    arguments += ["--out", str(folder / "keys-out")]
    arguments += ["--exhaustive"] if mode == "exhaustive" else []
    child = pexpect.spawn(
        sys.executable,
        arguments,
        env=_env(),
        cwd=str(folder),
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 160),
    )
    child.delaybeforesend = None  # pexpect waits 50 ms before every send by default
    times: list[float] = []
    screens = [_YES_NO, _ROLE, "All questions are answered"]
    kind = child.expect(screens)
    while len(times) < answers and kind < 2:
        if kind == 1:
            key = "\r"
        else:
            prompt_line = child.before.rsplit("\n", 1)[-1]
            key = "y" if len({pod_of[n] for n in _NAME.findall(prompt_line)}) <= 1 else "n"
        time.sleep(pause)
        start = time.perf_counter()
        child.send(key)
        kind = child.expect(screens)
        times.append(time.perf_counter() - start)
    child.terminate(force=True)
    ordered = sorted(times)
    return {
        "count": len(times),
        "median": statistics.median(times) * 1000,
        "p90": ordered[int(0.9 * (len(ordered) - 1))] * 1000,
        "worst": ordered[-1] * 1000,
    }


def _answer_like(app: Application, questionnaire: Questionnaire, step: object) -> None:
    """What the simulated user says: the truth of ``app``'s pods."""
    pod_of = app.pod_of
    if isinstance(step, RolesStep):
        questionnaire.confirm_roles(True)
    elif isinstance(step, RoleStep):
        pod = app.pods[pod_of[step.container]]
        questionnaire.answer_role(step.container, None if pod[0] == step.container else pod[0])
    elif isinstance(step, QuestionStep):
        questionnaire.answer(step, len({pod_of[m] for m in step.members}) == 1)


def latency(size: int, exhaustive: bool, answers: int, folder: Path) -> dict[str, float]:
    """Milliseconds the engine takes per answer (answer + next_step + progress: median and
    worst over the first ``answers``), and writing the answers file at the end of the run
    (which ``ask`` does when a session ends or stops, see advisor/commands/saving.py)."""
    app = make_application(size, seed=size)
    path = folder / f"latency-{size}.yaml"
    path.write_text(inventory_text(app, roles=False, seed=size))
    # Loaded as ``ask`` loads it (the collector paused, what was read frozen out of it).
    questionnaire = load_session(path, None, must_exist=False, exhaustive=exhaustive)
    step = questionnaire.next_step()
    questionnaire.progress()
    times: list[float] = []
    while step is not None and len(times) < answers:
        start = time.perf_counter()
        _answer_like(app, questionnaire, step)
        step = questionnaire.next_step()
        questionnaire.progress()
        times.append(time.perf_counter() - start)
    start = time.perf_counter()
    text = dump_answers(questionnaire.answers_file(), questionnaire.inventory, load_rules())
    write_atomically(folder / f"latency-{size}.answers.yaml", text)
    write_time = time.perf_counter() - start
    release()
    return {
        "count": len(times),
        "median": statistics.median(times) * 1000,
        "worst": max(times) * 1000,
        "write": write_time * 1000,
    }


def plan_row(size: int, per_container: int, folder: Path, runs: int) -> tuple[str, ...]:
    """One line of the plan table: sizes, plan time, parse time, ratio, peak memory."""
    app = make_application(size, seed=size)
    inventory = folder / f"plan-{size}.yaml"
    inventory.write_text(inventory_text(app, roles=False, seed=size))
    text, pairs = answers_text(app, per_container, seed=size * 1000 + per_container)
    answers = folder / f"plan-{size}-{per_container}.answers.yaml"
    answers.write_text(text)
    out = folder / f"plan-{size}-{per_container}-out"
    env = _env()
    command = [sys.executable, "-m", "advisor", "plan", str(inventory)]
    command += ["--answers", str(answers), "--out", str(out)]
    parse_command = [sys.executable, "-c", PARSE_ONLY, str(inventory), str(answers)]
    plan_runs, parse_runs = [], []
    for _ in range(runs):  # alternated: a load on the machine that comes and goes weighs on both
        plan_runs.append(_run(command, env))
        parse_runs.append(_run(parse_command, env)[0])
    plan_time = statistics.median(t for t, _ in plan_runs)
    memory = max(m for _, m in plan_runs)
    parse = statistics.median(parse_runs)
    return (
        f"{size:,}",
        str(per_container),
        f"{pairs:,}",
        f"{plan_time:.2f} s",
        f"{parse:.2f} s",
        f"{plan_time / parse:.2f}x",
        f"{memory / 1024:.0f} MiB",
    )


def together_texts(kind: str, size: int) -> tuple[str, str, int]:
    """An inventory of ``size`` small containers (a node that holds them all) and answers
    putting them together: ``chain`` (each with the next) or ``random`` (``size`` random
    pairs). Returns both texts and the number of answered pairs."""
    names = [f"c{i:05d}" for i in range(size)]
    lines = ["name: together", f"node: {{cpu: '{size}', memory: {size}Gi}}", "containers:"]
    for name in names:
        lines += [f"  - name: {name}", f"    image: example.org/{name}:1"]
        lines.append("    resources: {cpu: 10m, memory: 16Mi}")
    if kind == "chain":
        pairs = list(itertools.pairwise(names))
    else:
        rng = random.Random(size)
        chosen: set[tuple[str, str]] = set()
        while len(chosen) < size:
            a, b = sorted(rng.sample(names, 2))
            chosen.add((a, b))
        pairs = sorted(chosen)
    answers = ["version: 1", "pairs:"]
    for a, b in pairs:
        answers.append(f"  {a} + {b}:")
        answers += [f"    {q}: yes" for q in QUESTIONS]
    return "\n".join(lines) + "\n", "\n".join(answers) + "\n", len(pairs)


def together_row(kind: str, size: int, folder: Path) -> tuple[str, ...]:
    """One line of the large-pod table: ``plan --out`` time, output sizes, peak memory."""
    inventory_text_, answers, pairs = together_texts(kind, size)
    inventory = folder / f"{kind}-{size}.yaml"
    inventory.write_text(inventory_text_)
    answers_path = folder / f"{kind}-{size}.answers.yaml"
    answers_path.write_text(answers)
    out = folder / f"{kind}-{size}-out"
    command = [sys.executable, "-m", "advisor", "plan", str(inventory)]
    command += ["--answers", str(answers_path), "--out", str(out)]
    elapsed, memory = _run(command, _env())
    label = "a chain (each with the next)" if kind == "chain" else "random pairs"
    return (
        label,
        f"{size:,}",
        f"{pairs:,}",
        f"{elapsed:.2f} s",
        _kb((out / "layout.yaml").stat().st_size),
        _kb((out / "report.md").stat().st_size),
        f"{memory / 1024:.0f} MiB",
    )


def together_table(folder: Path, sizes: Sequence[tuple[str, int]]) -> list[str]:
    """The lines of the large-pod table, one run per row."""
    lines = [
        "| all five yes for | containers | answered pairs | `plan --out` | layout.yaml | "
        "report.md | peak memory |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, size in sizes:
        lines.append("| " + " | ".join(together_row(kind, size, folder)) + " |")
    return lines


def _kb(size: int) -> str:
    return f"{size / 1024:,.0f} KiB"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def compile_bytecode() -> None:
    """Write the package's ``.pyc`` files, as ``pip install`` does: with
    ``PYTHONDONTWRITEBYTECODE`` set (as on some machines) every launch would otherwise
    compile the whole package again, a cost no installed copy pays."""
    compileall.compile_dir(ROOT / "advisor", quiet=1)


def table(quick: bool, plan_only: bool = False) -> str:
    """Run every measurement (with ``plan_only``, the plan table's alone) and return the
    Markdown tables."""
    compile_bytecode()
    runs = 3 if quick else 7
    latency_sizes = (10,) if quick else (10, 100, 1000)
    plan_sizes = (
        ((100, (10,)),)
        if quick
        else ((100, (10, 50)), (1000, (10, 50)), (2000, (10,)), (5000, (10, 50)))
    )
    together_sizes = (
        (("chain", 200), ("random", 200))
        if quick
        else tuple((kind, size) for kind in ("chain", "random") for size in (200, 1000, 5000))
    )
    with tempfile.TemporaryDirectory(prefix="pod-advisor-speed-") as name:
        folder = Path(name)
        # First, while this process is small: a child's peak memory counts the pages it
        # shares with its parent until it runs the command.
        together_lines = together_table(folder, together_sizes)
        if plan_only:
            plan_lines = plan_table(folder, plan_sizes, runs)
            return "\n".join([*plan_lines, "", *together_lines])
        lines = ["| start-up | median | |", "|---|---:|---|"]
        for what, median, note in startup_rows(folder, runs, (10,) if quick else (10, 100, 1000)):
            lines.append(f"| {what} | {median} | {note} |")
        lines += [
            "",
            "| containers | questions | answers measured | key press to next question: "
            "median | 90th percentile | slowest |",
            "|---:|---|---:|---:|---:|---:|",
        ]
        for size in latency_sizes:
            for mode, label in KEYPRESS_MODES:
                row = keypress_latency(size, mode, 10 if quick else 30, folder)
                lines.append(
                    f"| {size:,} | {label} | {row['count']:.0f} | {row['median']:.0f} ms | "
                    f"{row['p90']:.0f} ms | {row['worst']:.0f} ms |"
                )
        lines += [
            "",
            "| containers | mode | answers measured | engine per answer: median | slowest | "
            "writing the answers file at the end |",
            "|---:|---|---:|---:|---:|---:|",
        ]
        for size in latency_sizes:
            for exhaustive in (False, True):
                answers = 3 * size if size < 1000 else 2500
                row = latency(size, exhaustive, answers, folder)
                mode = "exhaustive" if exhaustive else "guided (roles asked)"
                lines.append(
                    f"| {size:,} | {mode} | {row['count']:.0f} | {row['median']:.2f} ms | "
                    f"{row['worst']:.1f} ms | {row['write']:.0f} ms |"
                )
        lines += ["", *plan_table(folder, plan_sizes, runs)]
        lines += ["", *together_lines]
    return "\n".join(lines)


def plan_table(folder: Path, sizes: Sequence[tuple[int, Sequence[int]]], runs: int) -> list[str]:
    """The lines of the plan table: ``plan`` against the bare parse, size by size."""
    lines = [
        "| containers | answered pairs per container | answered pairs | `plan` | "
        "parse only | ratio | peak memory |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, per_container_options in sizes:
        for per_container in per_container_options:
            cells = plan_row(size, per_container, folder, 3 if size >= 5000 else runs)
            lines.append("| " + " | ".join(cells) + " |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="only the smallest sizes")
    parser.add_argument(
        "--plan-only", action="store_true", help="only the plan table (seconds to a minute)"
    )
    args = parser.parse_args(argv)
    print(table(args.quick, args.plan_only))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
