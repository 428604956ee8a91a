"""Writing files so that a reader never sees one half-written."""

from __future__ import annotations

import os
from pathlib import Path

from advisor.domain.errors import OutputError


def write_atomically(path: Path, text: str, sync_folder: bool = True) -> None:
    """Replace ``path`` with ``text`` so a reader sees the old file or the new one, never half.

    The data is fsynced before the rename, so a crash or SIGKILL right after keeps it too.
    Then the folder is fsynced, which makes the rename itself survive a crash of the machine;
    without ``sync_folder`` that is left to the file system's next commit, a few seconds
    later (a crash before it finds the previous file, whole): for the saves between an
    answer and the next question, where the wait would be felt.
    """
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise OutputError(f"{path}: is a folder, not a file")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        import tempfile  # only when writing: the first question comes sooner without it

        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, _mode_for(path))
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        if sync_folder:
            _fsync_folder(folder)
    except OSError as error:
        raise OutputError(f"{path}: cannot write: {error.strerror or error}") from None


def check_output_folder(folder: Path, option: str = "--out") -> None:
    """Refuse, before any work is done, an output folder that cannot be created or written."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: is a file, not a folder; choose another {option}")
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(f"{folder}: cannot create the folder: {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(f"{folder}: cannot write there: permission denied on {existing}")


def check_file_writable(path: Path, shown: Path, option: str) -> None:
    """Refuse, before any question, a file that is read-only or in a read-only folder:
    ``path`` is the file itself (a link resolved), ``shown`` how the user named it."""
    if path.is_dir():
        raise OutputError(f"{shown}: is a folder, not a file")
    if path.exists() and not _writable(path):
        raise OutputError(
            f"{shown}: the file is read-only; make it writable or choose another {option}"
        )
    folder = path.parent if str(path.parent) else Path(".")
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if folder.is_dir() and not _writable(folder):
        raise OutputError(
            f"{shown}: cannot be written: the folder {folder} is read-only; choose another {option}"
        )
    check_output_folder(path.parent, option)


def _writable(path: Path) -> bool:
    """Whether this process may write ``path``, and it is not read-only for everyone (as
    ``chmod a-w`` leaves it, which the superuser would otherwise write all the same)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    access = os.W_OK | (os.X_OK if path.is_dir() else 0)
    return bool(mode & 0o222) and os.access(path, access)


def check_not_an_input(outputs: list[Path], inputs: list[Path | None]) -> None:
    """Refuse an output path that names one of the input files: it would be overwritten."""
    for output in outputs:
        for source in inputs:
            if source is not None and _same_file(output, source):
                raise OutputError(
                    f"{output}: is the input file {source}; writing there would overwrite it"
                )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one does not exist (yet): compare where they would be
        return a.resolve() == b.resolve()


def _fsync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # some platforms cannot open folders; the rename is still atomic
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _mode_for(path: Path) -> int:
    """Keep an existing file's mode; a new file gets what the umask allows, as ``open`` does."""
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
