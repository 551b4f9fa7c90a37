"""Writing so that a failure never leaves anything half written: a temporary file (or folder) beside the target,
then a rename.

The one safe writer of the package, shared by every layer: view files, bookmarks, rendered pictures, exported
scenes, movies, plot CSVs and ``build-meshes`` (its meshes, manifest and footprints). :func:`write_file` is the
same write with an ``OSError`` turned into the one-line :class:`~calfviewer.errors.CalfviewerError` a command prints.

The temporary file is created private (mode 0600); the
result gets the mode an ordinary ``open(..., "w")`` would give it (0666 less the umask), or keeps the mode of the
file it replaces. A target that is a symbolic link is written through: the file the link points to is replaced and
the link stays, as ``open(..., "w")`` would have done.
"""

from __future__ import annotations

import collections
import contextlib
import errno
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from calfviewer.errors import CalfviewerError

#: Longest file name most file systems take, in bytes (ext4, XFS, btrfs, tmpfs); used when the folder cannot say.
NAME_MAX = 255
#: Bytes a temporary name adds around the part of the target's name it keeps: "." + name + ".XXXXXXXX.tmp".
_TEMP_EXTRA = 14
#: Largest file :func:`read_limited` reads (a view file is a few kilobytes).
READ_LIMIT = 1 << 20


def name_max(folder: Path) -> int:
    """The longest file name ``folder``'s file system takes, in bytes."""
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError):
        return NAME_MAX


def _temp_prefix(path: Path, extra: int = 0) -> str:
    """A hidden prefix for a temporary name beside ``path`` that never makes the name too long for its folder
    (``extra``: bytes of suffix added after the usual ".tmp")."""
    room = max(name_max(path.parent) - _TEMP_EXTRA - extra, 1)
    stem = os.fsencode(path.name)[:room].decode("utf-8", "ignore")
    return f".{stem}."


def write_target(path: Path) -> Path:
    """The file a write to ``path`` lands in: ``path`` itself, or the file a symbolic link at ``path`` names.

    Raises OSError (ELOOP) for a link that leads back to itself (``a -> b -> a``): there is no file to write
    through to, and the rename would have replaced the link ``path`` with a file, breaking the loop's other link."""
    if not path.is_symlink():
        return path
    try:
        return Path(os.path.realpath(path, strict=True))
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise OSError(errno.ELOOP, "it is a symbolic link that leads back to itself", str(path)) from None
        return Path(os.path.realpath(path))  # a link to a file not made yet (or unreadable): it goes where it points


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and ``os.replace``.

    Raises OSError (the caller turns it into its one-line message); the temporary file is removed on failure.
    """
    write_atomic_all({path: data})


def write_atomic_all(files: Mapping[Path, bytes]) -> None:
    """Write files that belong together (an OBJ and its MTL) so a failure replaces none of them: every one is
    written to a temporary file beside its target first, and only when all are whole are they renamed into place.

    Raises OSError; the temporary files are removed on failure.
    """
    staged: list[tuple[Path, Path]] = []  # (temporary file, target)
    try:
        for path, data in files.items():
            try:
                target = write_target(path)
                refuse_special(target, path)
                if len(files) > 1 and target.exists() and not os.access(target, os.W_OK):
                    # So would one over an immutable file (chattr +i; even root's rename fails); a read-only file
                    # is refused with it, as check_output refuses one, rather than replaced half of a pair.
                    raise PermissionError(errno.EPERM, "the file is read-only or cannot be replaced", str(path))
                mode = _mode_for(target)
                with tempfile.NamedTemporaryFile(
                    dir=target.parent, prefix=_temp_prefix(target), suffix=".tmp", delete=False
                ) as tmp:
                    staged.append((Path(tmp.name), target))  # from here on a failure removes it
                    tmp.write(data)
                    tmp.flush()
                    os.fsync(tmp.fileno())
                os.chmod(tmp.name, mode)
            except OSError as error:
                error.filename = str(path)  # the one that failed, for the message
                raise
        for tmp_path, target in staged:
            try:
                os.replace(tmp_path, target)
            except OSError as error:
                error.filename = str(target)
                raise
    finally:
        for tmp_path, _ in staged:
            # Where it cannot be removed either (an append-only folder), the error that matters is the one above.
            with contextlib.suppress(OSError):
                tmp_path.unlink(missing_ok=True)


@contextlib.contextmanager
def staged_file(target: Path) -> Iterator[Path]:
    """A new, empty temporary file beside ``target`` for a writer that wants a file name (an encoder run as its own
    process, such as ffmpeg); when the block ends without an error it replaces ``target``.

    The temporary name ends in ``target``'s suffix, so a writer that picks its format by the name picks the right
    one. On any error, a cancel or Ctrl+C included (any BaseException), the temporary file is removed and
    ``target`` is untouched: a movie stopped halfway leaves no half file. Mode as :func:`write_atomic` gives.
    """
    resolved = write_target(target)
    refuse_special(resolved, target)
    target = resolved
    mode = _mode_for(target)
    suffix = f".tmp{target.suffix}"
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=_temp_prefix(target, len(target.suffix)), suffix=suffix)
    os.close(handle)
    staged = Path(name)
    try:
        yield staged
        with staged.open("rb+") as stream:
            os.fsync(stream.fileno())
        os.chmod(staged, mode)
        os.replace(staged, target)
    finally:
        staged.unlink(missing_ok=True)


@contextlib.contextmanager
def staged_folder(target: Path) -> Iterator[Path]:
    """A new, empty folder beside ``target`` to fill; when the block ends without an error it replaces ``target``.

    On any error the staged folder is removed and ``target`` is untouched, so a full disk halfway through a build
    leaves the old meshes as they were rather than half of a new set without a manifest. The swap is two renames
    (old aside, new in); if the second fails, the old folder is renamed back.
    """
    staged = Path(tempfile.mkdtemp(dir=target.parent, prefix=_temp_prefix(target), suffix=".new"))
    try:
        yield staged
        os.chmod(staged, 0o777 & ~_umask())
        if target.exists():
            aside = Path(tempfile.mkdtemp(dir=target.parent, prefix=_temp_prefix(target), suffix=".old"))
            os.replace(target, aside)
            try:
                os.replace(staged, target)
            except OSError:
                os.replace(aside, target)
                raise
            shutil.rmtree(aside, ignore_errors=True)
        else:
            os.replace(staged, target)
    finally:
        shutil.rmtree(staged, ignore_errors=True)


def refuse_special(target: Path, path: Path) -> None:
    """Raise OSError (naming ``path``) when ``target`` is a folder, a pipe, a device or a socket: the rename that
    ends a write would fail after the others were made (a folder) or put a regular file in place of the pipe or
    device (run as root, saving to ``/dev/full`` replaced the device with the file)."""
    try:
        mode = target.stat().st_mode
    except OSError:
        return  # not there yet (or unreadable: the write itself says why)
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if not stat.S_ISREG(mode):
        raise OSError(errno.EINVAL, "it is not a regular file (a pipe or a device)", str(path))


def _mode_for(target: Path) -> int:
    """The permission bits a file written to ``target`` gets: the old file's, or a new file's under the umask."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def read_limited(path: Path, limit: int = READ_LIMIT) -> bytes:
    """The bytes of ``path``, refusing (OSError with a reason) anything but a regular file of at most ``limit``.

    Checked before opening: a FIFO would block the read for ever and ``/dev/zero`` would fill the memory.
    """
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a pipe or a device)"
        raise OSError(0, f"it is {kind}")
    if info.st_size > limit:
        raise OSError(0, f"it is {info.st_size:,} bytes, more than the {limit:,} read")
    with path.open("rb") as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise OSError(0, f"it is more than the {limit:,} bytes read")
    return data


#: Longest path a message shows whole; a longer one keeps its start and its end (where the file's name is).
SHOWN_PATH = 120


def shown_path(path: str | os.PathLike[str]) -> str:
    """``path`` quoted for a one-line message, its middle cut where it is longer than :data:`SHOWN_PATH`
    characters: a path of thousands typed by mistake made a message of thousands."""
    text = os.fspath(path)
    if len(text) <= SHOWN_PATH:
        return repr(text)
    half = SHOWN_PATH // 2
    return f"{text[:half]!r}…{text[-half:]!r} ({len(text)} characters)"


class _Repeated(dict[str, Any]):
    """A JSON object in which ``repeated`` was given more than once (the dict keeps the last, as json does)."""

    repeated: str


def parse_json(text: str, source: str, kind: str) -> Any:
    """The JSON in ``text`` (``source``: "view file 'v.json'", for the messages; ``kind``: what the file should be),
    every fault one :class:`CalfviewerError` line: not JSON, nested too deeply, a number of thousands of digits, or
    a key given twice in one object, named by its path (``pose.knee_flexion``).

    The one reader of view files, bookmark files and the settings' last view, so all refuse the same things. A
    repeated key is refused because json keeps the last silently: two ``"knee_flexion"`` in a hand-edited ``pose``
    would show a pose the person may not have meant, with nothing said."""
    seen_repeat = False

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal seen_repeat
        obj = dict(pairs)
        if len(obj) == len(pairs):
            return obj
        seen_repeat = True
        marked = _Repeated(obj)
        keys = [key for key, _ in pairs]
        marked.repeated = next(key for index, key in enumerate(keys) if key in keys[:index])
        return marked

    try:
        data = json.loads(text, object_pairs_hook=pairs_hook)
    except json.JSONDecodeError as error:
        raise CalfviewerError(
            f"{source} is not valid JSON (line {error.lineno}, column {error.colno}): {error.msg}"
        ) from None
    except RecursionError:
        raise CalfviewerError(f"{source} is nested too deeply to be a {kind}") from None
    except ValueError:  # an integer of thousands of digits: Python refuses to convert it
        raise CalfviewerError(f"{source} holds a number with thousands of digits; no {kind} field takes one") from None
    if seen_repeat:
        where = _first_repeat(data)
        raise CalfviewerError(
            f"{source} field {where!r} is given twice (JSON would take the last silently); keep the one you mean"
        )
    return data


def _first_repeat(data: Any) -> str:
    """The path (``pose.knee_flexion``, ``bookmarks[1].name``) of the first repeated key in parsed JSON, outermost
    first; walked without recursion, as a file nested as deep as json reads would overflow Python's stack."""
    stack: collections.deque[tuple[str, Any]] = collections.deque([("", data)])
    while stack:
        where, value = stack.popleft()
        if isinstance(value, _Repeated):
            return f"{where}.{value.repeated}" if where else value.repeated
        if isinstance(value, dict):
            stack.extend((f"{where}.{key}" if where else key, item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((f"{where}[{index}]", item) for index, item in enumerate(value))
    raise AssertionError("a repeated key was seen but is not in the parsed data")


def write_file(path: Path, data: bytes) -> None:
    """:func:`write_atomic`, with an OSError turned into one line naming the file (for a command or a dialog)."""
    write_files({path: data})


def write_files(files: Mapping[Path, bytes]) -> None:
    """:func:`write_atomic_all`, with an OSError turned into one line naming the (first) file."""
    try:
        write_atomic_all(files)
    except OSError as error:
        failed = error.filename if isinstance(error.filename, str) else str(next(iter(files)))
        raise CalfviewerError(f"cannot write {shown_path(failed)}: {error.strerror or error}") from None
