"""Writing files so that a reader never sees one half-written, and refusing, before any work,
an output path that cannot take a file: a folder, a device, a FIFO, a read-only place.

Every write goes to a temporary file beside its target, ``.NAME.PID-XXXXXXXX.tmp``, fsynced,
then renamed over the target. A set of files (``write_files``) is renamed in place only once
every temporary of the set is written, so a failed run leaves the previous set whole. A
temporary left behind by a killed writer is removed by the next write to that target.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from advisor.domain.errors import OutputError

# A temporary of ours older than this is stale even when a process has its writer's pid
# (reused, or the writer is hung): no write of ours takes this long.
STALE_TEMPORARY_SECONDS = 30.0
# Linux's highest possible pid (PID_MAX_LIMIT); a larger number is no pid at all.
MAX_PID = 2**22
# The folders this process has swept of stale temporaries, by target.
_swept: set[Path] = set()
# The longest file name (in bytes) and path the usual file systems take (NAME_MAX, PATH_MAX).
NAME_MAX = 255
PATH_MAX = 4096
# What a written file's name grows by in its temporary, ".NAME.PID-XXXXXXXX.tmp".
_TEMPORARY_EXTRA = 22


def name_too_long(path: Path, written: bool = False) -> str | None:
    """Why no file system takes ``path``, or None: a part of it longer than ``NAME_MAX``
    bytes (less what the temporary adds when the file is ``written``), or the whole longer
    than ``PATH_MAX``. Asked before any work, so the answer is one line, not an OSError."""
    parts = path.parts
    for index, part in enumerate(parts):
        limit = NAME_MAX - (_TEMPORARY_EXTRA if written and index == len(parts) - 1 else 0)
        size = len(os.fsencode(part))
        if size > limit:
            return f"the name {part[:20]}... is too long: {size} bytes, where at most {limit} fit"
    size = len(os.fsencode(str(path)))
    if size >= PATH_MAX:
        return f"the path is too long: {size} bytes, where at most {PATH_MAX - 1} fit"
    return None


def write_atomically(path: Path, text: str, sync_folder: bool = True) -> None:
    """Replace ``path`` with ``text`` so a reader sees the old file or the new one, never half.

    The data is fsynced before the rename, so a crash or SIGKILL right after keeps it too.
    Then the folder is fsynced, which makes the rename itself survive a crash of the machine;
    without ``sync_folder`` that is left to the file system's next commit, a few seconds
    later (a crash before it finds the previous file, whole): for the saves between an
    answer and the next question, where the wait would be felt. A link is written through:
    its target is replaced and the link stays.
    """
    write_files({path: text}, sync_folder=sync_folder)


def write_files(
    files: Mapping[Path, str], remove: Iterable[Path] = (), sync_folder: bool = True
) -> None:
    """Write every file of ``files`` and then remove those of ``remove``, as one set.

    Every target is checked first, then every temporary is written and fsynced; only then
    are they renamed in place. A failure before the renames (a full disk, an interrupt)
    leaves each target as it was, and no temporary or new folder behind.
    """
    targets = {path: output_target(path) for path in files}
    made: list[Path] = []
    temporaries: dict[Path, Path] = {}  # path as named -> its written temporary
    current = next(iter(files), Path("."))
    try:
        for current, text in files.items():
            made += _make_folders(targets[current].parent)
            temporaries[current] = _fill_temporary(targets[current], text)
        for current, temporary in temporaries.items():
            os.replace(temporary, targets[current])
    except BaseException as error:
        _undo(temporaries.values(), made, current, error)
        raise
    for path in remove:
        try:
            path.unlink(missing_ok=True)
        except OSError as error:
            raise OutputError(f"{path}: cannot remove: {error.strerror or error}") from None
    if sync_folder:
        for folder in {targets[path].parent for path in files} | {p.parent for p in remove}:
            _fsync_folder(folder)


@contextmanager
def replaced_atomically(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path`` for a writer of its own (Graphviz ``dot``) to fill;
    renamed over ``path`` when the block ends well, removed when it does not."""
    target = output_target(path)
    try:
        made = _make_folders(target.parent)
        temporary = _new_temporary(target)
    except OSError as error:
        raise OutputError(f"{path}: cannot write: {error.strerror or error}") from None
    try:
        yield temporary
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except BaseException as error:
        _undo([temporary], made, path, error)
        raise
    _fsync_folder(target.parent)


def _undo(temporaries: Iterable[Path], made: list[Path], path: Path, error: BaseException) -> None:
    """After a failed write: remove its temporaries and the folders it made; an OSError
    becomes the one-line error naming ``path``, anything else goes on as it is."""
    for temporary in temporaries:
        temporary.unlink(missing_ok=True)
    for folder in reversed(made):
        _remove_if_empty(folder)
    if isinstance(error, OSError):
        raise OutputError(f"{path}: cannot write: {error.strerror or error}") from None


def output_target(path: Path, option: str | None = None) -> Path:
    """The file that writing ``path`` replaces: ``path`` itself, or the file a link names.

    Refused: a folder, and anything else that is not a regular file (a device, a FIFO, a
    socket), which a rename would replace with a plain file; ``option`` names what to change.
    """
    advice = f"; choose another {option}" if option else ""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        mode = None  # a new file, or a link to one (a file in the way of its folder is
        # refused by ``check_output_folder``, or fails the write with a message)
    except OSError as error:
        raise OutputError(f"{path}: cannot write: {error.strerror or error}") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise OutputError(f"{path}: is a folder, not a file")
    if mode is not None and not stat.S_ISREG(mode):
        raise OutputError(f"{path}: is {file_kind(mode)}, not a regular file{advice}")
    if not path.is_symlink():
        return path
    target = Path(os.path.realpath(path))
    if mode is None and not target.parent.is_dir():
        # A broken link: writing through it would make folders wherever it points.
        raise OutputError(
            f"{path}: is a link to {os.readlink(path)}, whose folder does not exist; "
            f"remove the link{f' or choose another {option}' if option else ''}"
        )
    return target


NOTHING = "nothing"  # what_is_there for a path with no file


def what_is_there(path: Path) -> str | None:
    """None for a regular file (or a link to one); ``NOTHING`` when there is none; else what
    is there in words (``a folder``, ``a FIFO (named pipe)``), or why it cannot be looked at.
    Never opens it: opening a FIFO that nobody writes to waits forever."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return NOTHING
    except OSError as error:
        return f"a path that cannot be looked at ({error.strerror or error})"
    if stat.S_ISREG(mode):
        return None
    return "a folder" if stat.S_ISDIR(mode) else file_kind(mode)


def file_kind(mode: int) -> str:
    """What a file that is not a regular one is, in words."""
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def check_output_folder(folder: Path, option: str = "--out") -> None:
    """Refuse, before any work is done, an output folder that cannot be created or written:
    read-only for everyone counts even for the superuser, as for the answers file."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: is a file, not a folder; choose another {option}")
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(f"{folder}: cannot create the folder: {existing} is a file, not a folder")
    if on_read_only_file_system(existing):  # no permission would help: say what would
        raise OutputError(
            f"{folder}: cannot write there: {existing} is on a read-only file system; "
            f"choose another {option}"
        )
    if not _mode(existing) & 0o222:  # checked first: the superuser gets the same answer
        raise OutputError(
            f"{folder}: cannot write there: the folder {existing} is read-only; "
            f"choose another {option}"
        )
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(f"{folder}: cannot write there: permission denied on {existing}")


def check_file_writable(path: Path, shown: Path, option: str) -> None:
    """Refuse, before any question, a file that is read-only, in a read-only folder or not a
    regular file: ``path`` is the file itself (a link resolved), ``shown`` how the user
    named it."""
    try:
        output_target(path, option)
    except OutputError as error:
        raise OutputError(str(error).replace(str(path), str(shown), 1)) from None
    folder = path.parent if str(path.parent) else Path(".")
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if on_read_only_file_system(path if path.exists() else folder):
        raise OutputError(
            f"{shown}: cannot be written: it is on a read-only file system; choose another {option}"
        )
    if path.exists() and not _writable(path):
        raise OutputError(
            f"{shown}: the file is read-only; make it writable or choose another {option}"
        )
    if folder.is_dir() and not _writable(folder):
        raise OutputError(
            f"{shown}: cannot be written: the folder {folder} is read-only; choose another {option}"
        )
    check_output_folder(path.parent, option)


def on_read_only_file_system(path: Path) -> bool:
    """Whether ``path`` lies on a file system mounted read-only (EROFS on every write,
    whatever the permissions say)."""
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _writable(path: Path) -> bool:
    """Whether this process may write ``path``, and it is not read-only for everyone (as
    ``chmod a-w`` leaves it, which the superuser would otherwise write all the same)."""
    access = os.W_OK | (os.X_OK if path.is_dir() else 0)
    return bool(_mode(path) & 0o222) and os.access(path, access)


def _mode(path: Path) -> int:
    """``path``'s permission bits; none when it cannot be looked at."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0


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


def _make_folders(folder: Path) -> list[Path]:
    """Create ``folder`` and any missing parent; the ones created, outermost first."""
    missing: list[Path] = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    made: list[Path] = []
    for each in reversed(missing):
        each.mkdir(exist_ok=True)
        made.append(each)
    return made


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not empty: somebody else put something there
        folder.rmdir()


def _fill_temporary(target: Path, text: str) -> Path:
    """A temporary file beside ``target`` holding ``text``, fsynced, with the target's mode."""
    temporary = _new_temporary(target)
    try:
        with open(temporary, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode_for(target))
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _new_temporary(target: Path) -> Path:
    """An empty temporary file of ours for ``target``, once stale ones are swept away."""
    import tempfile  # only when writing: the first question comes sooner without it

    folder = target.parent if str(target.parent) else Path(".")
    if target not in _swept:
        remove_stale_temporaries(target)
        _swept.add(target)
    prefix = f".{target.name}.{os.getpid()}-"
    handle, name = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=".tmp")
    os.close(handle)
    return Path(name)


def remove_stale_temporaries(target: Path, now: float | None = None) -> list[Path]:
    """Remove the temporaries of ``target`` that a killed writer left behind; the removed.

    Only files named as ours for this target (``.NAME.PID-XXXXXXXX.tmp``, or
    ``.NAME.XXXXXXXX.tmp`` from before the pid was in the name) are considered, and only
    those whose writer is gone or that are older than ``STALE_TEMPORARY_SECONDS``.
    """
    folder = target.parent if str(target.parent) else Path(".")
    ours = re.compile(rf"\.{re.escape(target.name)}\.(?:(\d{{1,7}})-)?[a-z0-9_]{{8}}\.tmp")
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        found = ours.fullmatch(entry.name)
        if found is None or not entry.is_file(follow_symlinks=False):
            continue
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        writer = int(found.group(1)) if found.group(1) else None
        gone = writer is not None and writer != os.getpid() and not process_exists(writer)
        if gone or age > STALE_TEMPORARY_SECONDS:
            try:
                os.unlink(entry.path)
            except OSError:
                continue  # another sweeper was first, or the folder is read-only
            removed.append(Path(entry.path))
    return removed


def process_exists(pid: int) -> bool:
    """Whether process ``pid`` exists (a process of another user counts as alive)."""
    if not 0 < pid <= MAX_PID:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _fsync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # some platforms cannot open folders; the rename is still atomic
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # the rename is done; only its durability against a power cut is in doubt
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
