"""What the outputs do to the files around them: links are written through, a set of outputs
is replaced whole or not at all, kustomize files for pods that are gone go away, temporaries
a killed writer left are swept, standard output that fails is one line, and ``FILE.lock``
whatever it holds never crashes ``ask``."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from advisor.cli import main
from advisor.commands.stdout import EXIT_BROKEN_PIPE
from advisor.domain.errors import OutputError
from advisor.formats import files
from advisor.formats.files import (
    STALE_TEMPORARY_SECONDS,
    remove_stale_temporaries,
    write_atomically,
)
from advisor.formats.lock import SessionLockedError, lock_path, lock_text, session_lock

REPO = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(REPO)}
APP = (
    "containers:\n"
    "  - {name: web, image: nginx, role: primary}\n"
    "  - {name: proxy, image: envoy, role: sidecar, complements: web}\n"
    "  - {name: db, image: postgres, role: primary}\n"
)
APART = "version: 1\npairs:\n  web + proxy: {same_host: no}\n"
TOGETHER = (
    "version: 1\npairs:\n  web + proxy: {same_host: yes, single_unit: yes, unified_whole: yes,"
    " scale_together: yes, fits_node: yes}\n"
)


def plan(folder: Path, answers: str, *extra: str) -> int:
    (folder / "app.yaml").write_text(APP)
    (folder / "answers.yaml").write_text(answers)
    return main(
        ["plan", str(folder / "app.yaml"), "--answers", str(folder / "answers.yaml"), *extra]
    )


def contents(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


# --- links --------------------------------------------------------------------------------


def test_a_drawing_through_a_link_writes_the_links_target(tmp_path: Path, capsys) -> None:
    (tmp_path / "real.dot").write_text("old\n")
    (tmp_path / "layout.dot").symlink_to("real.dot")
    assert plan(tmp_path, APART, "-o", str(tmp_path / "layout.dot")) == 0
    assert (tmp_path / "layout.dot").is_symlink()
    assert (tmp_path / "real.dot").read_text().startswith("digraph ")


def test_an_output_through_a_link_writes_the_links_target(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "kept.md").write_text("old\n")
    (out / "report.md").symlink_to(tmp_path / "kept.md")
    assert plan(tmp_path, APART, "--out", str(out)) == 0
    assert (out / "report.md").is_symlink()
    assert (tmp_path / "kept.md").read_text().startswith("#")


# --- the output set ----------------------------------------------------------------------


def test_a_run_failing_on_its_second_file_leaves_the_previous_set_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    out = tmp_path / "out"
    assert plan(tmp_path, APART, "--out", str(out), "--kustomize") == 0
    before = contents(out)
    real = files._fill_temporary
    calls: list[Path] = []

    def full_disk(target: Path, text: str) -> Path:
        calls.append(target)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(target, text)

    monkeypatch.setattr(files, "_fill_temporary", full_disk)
    capsys.readouterr()
    assert plan(tmp_path, TOGETHER, "--out", str(out), "--kustomize") == 2
    assert capsys.readouterr().err == (
        f"pod-advisor: error: {out / 'layout.yaml'}: cannot write: No space left on device\n"
    )
    assert contents(out) == before  # pods.yaml too: its temporary was never renamed
    assert not [p for p in out.rglob(".*.tmp")]


def test_kustomize_files_of_pods_that_are_gone_are_removed_and_the_users_kept(
    tmp_path: Path, capsys
) -> None:
    out = tmp_path / "out"
    assert plan(tmp_path, APART, "--out", str(out), "--kustomize") == 0
    folder = out / "kustomize"
    assert (folder / "deployment-proxy.yaml").exists()
    (folder / "configmap-mine.yaml").write_text("kind: ConfigMap\n")  # the user's own
    (folder / "notes.txt").write_text("mine\n")
    assert plan(tmp_path, TOGETHER, "--out", str(out), "--kustomize") == 0
    index = yaml.safe_load((folder / "kustomization.yaml").read_text())
    on_disk = {p.name for p in folder.iterdir()}
    assert on_disk == {
        *index["resources"],
        "kustomization.yaml",
        "configmap-mine.yaml",
        "notes.txt",
    }
    assert not (folder / "deployment-proxy.yaml").exists()


# --- temporaries left behind ---------------------------------------------------------------


def test_a_temporary_left_by_a_killed_save_is_removed_by_the_next_write(tmp_path: Path) -> None:
    """A real writer killed with SIGKILL between writing its temporary and the rename."""
    target = tmp_path / "answers.yaml"
    target.write_text("old\n")
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import os, sys, time; from pathlib import Path\n"
            "os.replace = lambda *a: (print('written', flush=True), time.sleep(60))\n"
            "from advisor.formats.files import write_atomically\n"
            "write_atomically(Path(sys.argv[1]), 'new\\n')\n",
            str(target),
        ],
        env=ENV,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None and writer.stdout.readline() == "written\n"
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    left = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(left) == 1 and left[0].startswith(f".answers.yaml.{writer.pid}-")
    mine = tmp_path / ".answers.yaml.notes.tmp"  # not named as ours: kept
    mine.write_text("x")
    other = tmp_path / ".report.md.12345-abcdefgh.tmp"  # another target's: kept
    other.write_text("x")
    write_atomically(target, "newer\n")
    assert target.read_text() == "newer\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["answers.yaml", mine.name, other.name]
    )


def test_a_live_writers_fresh_temporary_is_kept_and_an_old_one_is_not(tmp_path: Path) -> None:
    target = tmp_path / "pods.yaml"
    live = tmp_path / f".pods.yaml.{os.getppid()}-abcdefgh.tmp"
    live.write_text("being written")
    legacy = tmp_path / ".pods.yaml.k2j4_x9a.tmp"  # from before the pid was in the name
    legacy.write_text("old")
    assert remove_stale_temporaries(target) == []
    later = time.time() + STALE_TEMPORARY_SECONDS + 1
    assert sorted(remove_stale_temporaries(target, now=later)) == sorted([live, legacy])


# --- standard output -----------------------------------------------------------------------


class _Full:
    """A standard output on a full disk."""

    encoding = "utf-8"

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    def flush(self) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("extra", [[], ["--out", "out"], ["--format", "dot"]])
def test_plan_on_a_full_stdout_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, extra: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdout", _Full())
    code = plan(tmp_path, APART, *extra)
    err = capsys.readouterr().err
    assert code == 2
    assert err == "pod-advisor: error: standard output: cannot write: No space left on device\n"


def test_plan_into_a_closed_pipe_exits_quietly(tmp_path: Path) -> None:
    (tmp_path / "app.yaml").write_text(APP)
    reading, writing = os.pipe()
    os.close(reading)  # the reader is gone before the first byte: every write is EPIPE
    try:
        result = subprocess.run(
            [sys.executable, "-m", "advisor", "plan", "app.yaml"],
            cwd=tmp_path,
            env=ENV,
            stdout=writing,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(writing)
    assert result.stderr == ""
    assert result.returncode == EXIT_BROKEN_PIPE


@pytest.mark.skipif(os.geteuid() != 0, reason="mknod of a device needs root")
def test_plan_into_a_full_device_is_one_line(tmp_path: Path) -> None:
    """A full device of our own (the numbers of /dev/full), made in tmp_path."""
    (tmp_path / "app.yaml").write_text(APP)
    full = tmp_path / "full"
    os.mknod(full, 0o666 | 0o020000, os.makedev(1, 7))
    with open(full, "w") as stdout:
        result = subprocess.run(
            [sys.executable, "-m", "advisor", "plan", "app.yaml"],
            cwd=tmp_path,
            env=ENV,
            stdout=stdout,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.stderr == (
        "pod-advisor: error: standard output: cannot write: No space left on device\n"
    )
    assert result.returncode == 2


def run_with_streams(tmp_path: Path, argv: list[str], **streams: object) -> tuple[int, str]:
    """``python -m advisor ARGV`` in ``tmp_path`` with the standard streams given (-1: closed);
    its exit code and what its standard error holds, when it is a pipe."""
    (tmp_path / "app.yaml").write_text(APP)
    closed = [fd for name, fd in (("stdout", 1), ("stderr", 2)) if streams.get(name) == -1]

    def close_them() -> None:
        for fd in closed:
            os.close(fd)

    options = {k: subprocess.DEVNULL if v == -1 else v for k, v in streams.items()}
    result = subprocess.run(
        [sys.executable, "-m", "advisor", *argv],
        cwd=tmp_path,
        env=ENV,
        stdin=subprocess.DEVNULL,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=close_them,
        **{"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, **options},  # type: ignore[arg-type]
    )
    return result.returncode, result.stderr or ""


def test_a_closed_standard_output_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code, err = run_with_streams(tmp_path, ["plan", "app.yaml"], stdout=-1)
    assert code == 2
    assert err == (
        "pod-advisor: error: standard output is closed; give the command somewhere to write\n"
    )


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_standard_error_is_exit_2_without_a_traceback(tmp_path: Path) -> None:
    # The note about unanswered pairs cannot be written: the command says so by its code.
    with open("/dev/full", "w") as full:
        code, _ = run_with_streams(tmp_path, ["plan", "app.yaml"], stderr=full)
    assert code == 2


def test_a_closed_standard_error_is_exit_2_when_there_is_something_to_say(
    tmp_path: Path,
) -> None:
    assert run_with_streams(tmp_path, ["plan", "missing.yaml"], stderr=-1)[0] == 2
    (tmp_path / "one.yaml").write_text("containers:\n  - {name: web, image: nginx}\n")
    assert run_with_streams(tmp_path, ["plan", "one.yaml"], stderr=-1)[0] == 0  # nothing to say


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_on_a_full_disk_are_one_line_and_exit_2(tmp_path: Path, flag: str) -> None:
    with open("/dev/full", "w") as full:
        code, err = run_with_streams(tmp_path, [flag], stdout=full)
    assert code == 2
    assert err == "pod-advisor: error: standard output: cannot write: No space left on device\n"


# --- the lock ------------------------------------------------------------------------------


@pytest.mark.parametrize("held", ["1" * 5000, "1" * 23, "99999999\n", "0\n", "garbage"])
def test_an_old_lock_holding_no_pid_is_taken_over(tmp_path: Path, held: str) -> None:
    answers = tmp_path / "answers.yaml"
    lock_path(answers).write_text(held)
    old = time.time() - 60
    os.utime(lock_path(answers), (old, old))
    with session_lock(answers):
        assert lock_path(answers).read_text() == lock_text(os.getpid())
    assert not lock_path(answers).exists()


def test_a_lock_whose_pid_was_reused_is_taken_over(tmp_path: Path) -> None:
    """The pid is alive (our parent's) but started at another time than the lock says."""
    answers = tmp_path / "answers.yaml"
    written = lock_text(os.getppid())
    if "start=" not in written:
        pytest.skip("no /proc: the pid alone is trusted")
    reused = written.replace("start=", "start=1")  # another start time: another process
    lock_path(answers).write_text(reused)
    with session_lock(answers):
        pass
    assert not lock_path(answers).exists()


def test_a_lock_of_a_live_session_is_refused(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    lock_path(answers).write_text(lock_text(os.getppid()))
    with pytest.raises(SessionLockedError, match=rf"\(pid {os.getppid()}\)"), session_lock(answers):
        pass
    assert lock_path(answers).exists()


def test_a_lock_of_another_boot_is_taken_over(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    written = lock_text(os.getppid())
    if "boot=" not in written:
        pytest.skip("no /proc: the pid alone is trusted")
    lock_path(answers).write_text(written.split("boot=")[0] + "boot=0000-1111\n")
    with session_lock(answers):
        pass


def test_a_dead_pid_with_identity_is_taken_over(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    lock_path(answers).write_text(f"{dead_pid()}\nstart=1 boot=abc\n")
    with session_lock(answers):
        pass


def test_a_lock_that_is_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    os.mkfifo(lock_path(answers))
    with pytest.raises(OutputError, match="is a FIFO"), session_lock(answers):
        pass


def test_the_folder_made_for_the_lock_goes_away_with_it(tmp_path: Path) -> None:
    answers = tmp_path / "new" / "deeper" / "answers.yaml"
    with session_lock(answers):
        assert lock_path(answers).exists()
    assert list(tmp_path.iterdir()) == []
    with session_lock(answers):
        answers.write_text("saved\n")  # the session wrote: its folder stays
    assert answers.read_text() == "saved\n"
