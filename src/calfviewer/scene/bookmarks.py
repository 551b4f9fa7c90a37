"""Named views kept together in one JSON file: what a teacher prepares and a student opens.

The file is the view-state format with a list (README, "Bookmark files")::

    {"format": "calfviewer-bookmarks", "version": 1,
     "bookmarks": [{"name": "Soleus from behind", "view": {<a view file's object>}, "thumbnail": "<base64 PNG>"}]}

Reading is data only: JSON parsed by the standard library, every view checked by the view-state reader (the same
one-line messages naming the field, prefixed by which bookmark), thumbnails kept as PNG bytes after their signature
and size are checked; nothing in a file is ever run. A file with any fault is refused whole by :func:`load`, so
loading either takes every bookmark or changes nothing; the list the window keeps between sessions is read with
:func:`load_readable`, which leaves out only its bad bookmarks and says why. Writing goes through the atomic writer
(a temporary file and a rename).
What a file may hold is one number, :data:`BOOKMARKS_LIMIT`, checked by the writer and the reader alike.

Thumbnails are optional in a file (a hand-written one has none): :func:`thumbnail_steps` draws them off screen on a
copy of the scene, without touching the view on screen, a step at a time, so that the window can draw them in the
idle time of its event loop (60 drawn in one go froze it for 8-25 s).
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import os
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from calfviewer.anatomy.side import Side
from calfviewer.errors import CalfviewerError
from calfviewer.files import parse_json, read_limited, shown_path, write_atomic
from calfviewer.viewer.view_state import BOOKMARKS_FORMAT, ViewFileError, ViewState

if TYPE_CHECKING:
    from calfviewer.anatomy import Catalogue
    from calfviewer.musculoskeletal.pose import JointRange
    from calfviewer.scene.anatomy_scene import AnatomyScene

BOOKMARKS_VERSION = 1
#: The most a bookmark file holds, in bytes as :func:`save` writes it: about 1,500 bookmarks with the window's
#: thumbnails (16-22 kB each), or about 95 with a teacher's largest (:data:`THUMBNAIL_LIMIT`). The one rule for
#: both sides: :func:`save` refuses a list over it (so the panel refuses a bookmark added past it, before anything is
#: lost) and :func:`load` reads a file up to it, so every list calfviewer writes it reads back. Before, files were read
#: up to 16 MB and written at any size: a list kept at close past that came back empty at the next start.
BOOKMARKS_LIMIT = 32 << 20
#: Largest thumbnail kept (PNG bytes); the window makes them about 20 kB.
THUMBNAIL_LIMIT = 256 << 10
THUMBNAIL_SIZE = (160, 120)
#: The most bytes a thumbnail :func:`png_thumbnail` makes can take: its 120 rows of 160 RGB pixels are 57,720 bytes
#: with PNG's filter byte a row, which deflate stores as they are when it cannot shrink them (noise: 57,793 bytes), plus
#: PNG's and zlib's framing. A bookmark waiting for its thumbnail is counted at this size (:func:`drawn_size`), so a
#: list that fits before its thumbnails are drawn still fits after.
DRAWN_THUMBNAIL_MOST = 64 << 10
MAX_NAME = 80
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class BookmarkFileError(CalfviewerError):
    """A bookmark file cannot be read or written; the message names the file, the bookmark and the field."""


@dataclass(frozen=True)
class Bookmark:
    """One named view.

    Attributes:
        name: what the list shows (1 to :data:`MAX_NAME` printable characters).
        view: the view as a view file's JSON object (checked when the bookmark is made).
        thumbnail: a small PNG of the view, or None (drawn later, :func:`thumbnail_steps`).
    """

    name: str
    view: dict[str, Any]
    thumbnail: bytes | None = None

    def state(
        self,
        catalogue: Catalogue | None = None,
        side: Side | None = None,
        ranges: Mapping[str, JointRange] | None = None,
    ) -> ViewState:
        """The view as a new :class:`ViewState` (to ``apply`` to the window's) for ``side``'s leg: a camera and a
        free section made on the other leg are mirrored (:meth:`ViewState.from_dict`); an angle outside ``ranges``
        is refused naming the bookmark and the field."""
        return ViewState.from_dict(self.view, catalogue, source=f"bookmark {self.name!r}", side=side, ranges=ranges)


def check_name(name: Any) -> str:
    """A bookmark name, stripped; a one-line error for an empty, over-long or non-printable one."""
    if not isinstance(name, str):
        raise CalfviewerError(f"a bookmark name must be text, not {type(name).__name__}")
    name = name.strip()
    if not name:
        raise CalfviewerError("a bookmark needs a name")
    if len(name) > MAX_NAME:
        raise CalfviewerError(f"a bookmark name is at most {MAX_NAME} characters, not {len(name)}")
    if not name.isprintable():
        raise CalfviewerError("a bookmark name must not hold control characters (a new line, a tab)")
    return name


def make_bookmark(name: str, state: ViewState, thumbnail: bytes | None = None, side: Side | None = None) -> Bookmark:
    """A bookmark of ``state`` as shown on ``side``'s leg (recorded, so it opens the same on the other leg)."""
    return Bookmark(check_name(name), state.to_dict(side), _checked_thumbnail(thumbnail))


def _checked_thumbnail(data: bytes | None) -> bytes | None:
    if data is None:
        return None
    if not data.startswith(PNG_SIGNATURE):
        raise CalfviewerError("a thumbnail must be a PNG picture")
    if len(data) > THUMBNAIL_LIMIT:
        raise CalfviewerError(f"a thumbnail is at most {THUMBNAIL_LIMIT // 1024} kB")
    from PIL import Image, UnidentifiedImageError

    try:  # the signature alone lets junk through, which the window's image reader then complains of
        with Image.open(io.BytesIO(data)) as picture:
            picture.verify()
    except (OSError, SyntaxError, UnidentifiedImageError, ValueError) as error:
        raise CalfviewerError(f"a thumbnail is not a readable PNG picture ({error})") from None
    return data


def with_bookmark(bookmarks: Sequence[Bookmark], new: Bookmark) -> list[Bookmark]:
    """``bookmarks`` with ``new`` added at the end, or in place of the one of the same name."""
    names = [b.name for b in bookmarks]
    if new.name in names:
        index = names.index(new.name)
        return [*bookmarks[:index], new, *bookmarks[index + 1 :]]
    return [*bookmarks, new]


def free_name(name: str, taken: Iterable[str]) -> str:
    """``name`` if no bookmark in ``taken`` has it, else ``name (2)``, ``name (3)``, ...: the first that none has,
    the name shortened to keep within :data:`MAX_NAME` characters."""
    taken = set(taken)
    if name not in taken:
        return name
    n = 2
    while True:
        suffix = f" ({n})"
        candidate = name[: MAX_NAME - len(suffix)].rstrip() + suffix
        if candidate not in taken:
            return candidate
        n += 1


# --- files ------------------------------------------------------------------------------------------------------
_HEAD = '{\n  "format": %s,\n  "version": %d,\n  "bookmarks": ['
_TAIL = "]\n}\n"


def _entry_text(bookmark: Bookmark, thumbnail: str | None) -> str:
    """One bookmark as it stands in the file's list (indented as ``json.dumps(..., indent=2)`` places it)."""
    entry: dict[str, Any] = {"name": bookmark.name, "view": bookmark.view}
    if thumbnail is not None:
        entry["thumbnail"] = thumbnail
    return "\n    " + json.dumps(entry, indent=2, ensure_ascii=False).replace("\n", "\n    ")


def to_json(bookmarks: Iterable[Bookmark]) -> str:
    """The file's text: what ``json.dumps(payload, indent=2)`` writes, built one bookmark at a time so that
    :func:`file_size` counts the same pieces."""
    entries = [
        _entry_text(b, None if b.thumbnail is None else base64.b64encode(b.thumbnail).decode("ascii"))
        for b in bookmarks
    ]
    head = _HEAD % (json.dumps(BOOKMARKS_FORMAT), BOOKMARKS_VERSION)
    return head + ",".join(entries) + ("\n  " if entries else "") + _TAIL


def _entry_size(bookmark: Bookmark) -> int:
    """The bytes one bookmark's entry takes in the file, its thumbnail counted without encoding it (a base64
    string is ASCII, 4 characters for every 3 bytes)."""
    thumbnail = bookmark.thumbnail
    text = _entry_text(bookmark, None if thumbnail is None else "")
    return len(text.encode("utf-8")) + (0 if thumbnail is None else 4 * ((len(thumbnail) + 2) // 3))


def _list_size(count: int, entries: int) -> int:
    """The bytes of a file of ``count`` entries taking ``entries`` bytes together: the head, the commas between
    them, the line before the tail and the tail."""
    head = _HEAD % (json.dumps(BOOKMARKS_FORMAT), BOOKMARKS_VERSION)
    return len(head) + entries + max(count - 1, 0) + (3 if count else 0) + len(_TAIL)


def file_size(bookmarks: Iterable[Bookmark]) -> int:
    """The bytes :func:`save` writes for ``bookmarks``, counted without encoding the thumbnails, so the panel can
    ask before every bookmark it adds whether it fits."""
    sizes = [_entry_size(b) for b in bookmarks]
    return _list_size(len(sizes), sum(sizes))


def drawn_size(bookmarks: Iterable[Bookmark]) -> int:
    """The most bytes :func:`save` can write for ``bookmarks`` once the missing thumbnails are drawn: each one missing
    counted at :data:`DRAWN_THUMBNAIL_MOST`. The window draws them after the list is shown, one at a time, and a list
    must stay one it can keep whatever they come to."""
    most = b"\0" * DRAWN_THUMBNAIL_MOST
    return file_size(b if b.thumbnail is not None else Bookmark(b.name, b.view, most) for b in bookmarks)


def fit(bookmarks: Sequence[Bookmark], first: Callable[[Bookmark], bool]) -> tuple[list[Bookmark], list[Bookmark]]:
    """``bookmarks`` split into (what one file holds within :data:`BOOKMARKS_LIMIT`, the rest), each in the list's
    order: the ones ``first`` picks are taken first, then the others, each while it fits (one too big for the room
    left is passed over for a smaller one after it). Two windows' lists kept together past the limit: the closing
    window's own first, the other's as many as fit, and the rest saved elsewhere rather than lost."""
    sizes = [_entry_size(b) for b in bookmarks]
    taken = [False] * len(bookmarks)
    count = entries = 0
    for picked in (True, False):
        for index, bookmark in enumerate(bookmarks):
            if bool(first(bookmark)) is picked and _list_size(count + 1, entries + sizes[index]) <= BOOKMARKS_LIMIT:
                taken[index] = True
                count, entries = count + 1, entries + sizes[index]
    return [b for b, t in zip(bookmarks, taken, strict=True) if t], [
        b for b, t in zip(bookmarks, taken, strict=True) if not t
    ]


def shown_size(size: int) -> str:
    """A size in a message: "32 MB", "31.9 MB", or "40 kB" below a megabyte."""
    if size < 1 << 20:
        return f"{size / 1024:.0f} kB"
    return f"{size / (1 << 20):.1f}".removesuffix(".0") + " MB"


def save(path: str | os.PathLike[str], bookmarks: Sequence[Bookmark]) -> None:
    """Write every bookmark into one file, atomically (the old file stays whole if the write fails); a list over
    :data:`BOOKMARKS_LIMIT` is refused, the file left as it was, since :func:`load` would not read it back."""
    path = Path(path)
    data = to_json(bookmarks).encode("utf-8")
    if len(data) > BOOKMARKS_LIMIT:
        raise BookmarkFileError(
            f"cannot write bookmark file {shown_path(path)}: its {len(bookmarks)} bookmarks take more than the "
            f"{shown_size(BOOKMARKS_LIMIT)} a bookmark file holds"
        )
    try:
        write_atomic(path, data)
    except OSError as error:
        raise BookmarkFileError(f"cannot write bookmark file {shown_path(path)}: {error.strerror or error}") from None


def load(
    path: str | os.PathLike[str],
    catalogue: Catalogue | None = None,
    ranges: Mapping[str, JointRange] | None = None,
    side: Side | None = None,
) -> list[Bookmark]:
    """Read a bookmark file; any fault raises :class:`BookmarkFileError` and nothing is returned. ``ranges``: the
    model's joint ranges, to refuse a bookmark's angle outside them as the file is read (naming the bookmark and the
    field), not when the bookmark is restored or its thumbnail drawn. ``side``: the leg a view that names none (an
    older or a hand-written file's) is taken as made for, as a view file's is, and its thumbnail as showing."""
    return load_readable(path, catalogue, ranges, side, whole=True)[0]


def load_readable(
    path: str | os.PathLike[str],
    catalogue: Catalogue | None = None,
    ranges: Mapping[str, JointRange] | None = None,
    side: Side | None = None,
    whole: bool = False,
) -> tuple[list[Bookmark], list[str]]:
    """Read a bookmark file as :func:`load` does, but (unless ``whole``) take every bookmark that can be read: a bad
    one is left out and its one-line reason returned with the others', ``(bookmarks, reasons)``. A file that cannot
    be read as a list at all (not JSON, another format or version, too large) still raises. Why: the list kept
    between sessions was set aside whole for one bad entry (an angle outside a newer model's range, a thumbnail
    damaged on disk), and the next session started with none of the user's bookmarks."""
    path = Path(path)
    try:
        # utf-8-sig: a byte order mark (files hand-edited in Windows Notepad) is skipped, not a JSON error
        text = read_limited(path, BOOKMARKS_LIMIT).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise BookmarkFileError(f"cannot read bookmark file {shown_path(path)}: {reason}") from None
    try:
        data = parse_json(text, f"bookmark file {path.name!r}", "bookmark file")
    except CalfviewerError as error:
        raise BookmarkFileError(str(error)) from None
    reasons: list[str] = []
    bookmarks = _read(data, catalogue, f"bookmark file {path.name!r}", ranges, side, None if whole else reasons)
    # Written compactly by hand, within the limit on disk but past it as calfviewer writes it: taken in, it could be
    # neither saved nor kept.
    if file_size(bookmarks) > BOOKMARKS_LIMIT:
        raise BookmarkFileError(
            f"bookmark file {path.name!r} holds more than a bookmark list may: its {len(bookmarks)} bookmarks take "
            f"more than {shown_size(BOOKMARKS_LIMIT)} as calfviewer writes them; split it in two"
        )
    return bookmarks, reasons


def from_json(
    text: str,
    catalogue: Catalogue | None = None,
    *,
    source: str = "bookmark file",
    ranges: Mapping[str, JointRange] | None = None,
) -> list[Bookmark]:
    try:
        data = parse_json(text, source, "bookmark file")
    except CalfviewerError as error:
        raise BookmarkFileError(str(error)) from None
    return from_dict(data, catalogue, source=source, ranges=ranges)


def from_dict(
    data: Any,
    catalogue: Catalogue | None = None,
    *,
    source: str = "bookmark file",
    ranges: Mapping[str, JointRange] | None = None,
) -> list[Bookmark]:
    return _read(data, catalogue, source, ranges, None, None)


def _read(
    data: Any,
    catalogue: Catalogue | None,
    source: str,
    ranges: Mapping[str, JointRange] | None,
    side: Side | None,
    left_out: list[str] | None,
) -> list[Bookmark]:
    """The bookmarks of a file's JSON object; a fault in one raises, or with ``left_out`` given, leaves that one out
    and adds its reason there. ``side``: the leg a view naming none is recorded as made for."""

    def fail(where: str, problem: str) -> BookmarkFileError:
        return BookmarkFileError(f"{source} field {where!r}: {problem}")

    if not isinstance(data, dict):
        raise fail("", "expected an object with format, version and bookmarks")
    for key in data:
        if key not in ("format", "version", "bookmarks"):
            raise fail(key, "unknown field; valid fields are format, version, bookmarks")
    if data.get("format") != BOOKMARKS_FORMAT:
        hint = " (this is a single view: use File > Open view)" if data.get("format") == "calfviewer-view" else ""
        raise fail("format", f"expected {BOOKMARKS_FORMAT!r}, got {data.get('format')!r}{hint}")
    if data.get("version") != BOOKMARKS_VERSION:
        raise fail("version", f"expected {BOOKMARKS_VERSION}, got {data.get('version')!r}")
    entries = data.get("bookmarks")
    if not isinstance(entries, list):
        raise fail("bookmarks", "expected a list of bookmarks")
    out: list[Bookmark] = []
    for index, entry in enumerate(entries):
        try:
            out.append(_entry(entry, f"bookmarks[{index}]", out, catalogue, source, ranges, side, fail))
        except BookmarkFileError as error:
            if left_out is None:
                raise
            left_out.append(str(error))
    return out


def _entry(
    entry: Any,
    where: str,
    taken: list[Bookmark],
    catalogue: Catalogue | None,
    source: str,
    ranges: Mapping[str, JointRange] | None,
    side: Side | None,
    fail: Callable[[str, str], BookmarkFileError],
) -> Bookmark:
    """One entry of a file's list (``where`` in it), checked; ``taken``: the bookmarks read before it."""
    if not isinstance(entry, dict):
        raise fail(where, "expected an object with name and view")
    for key in entry:
        if key not in ("name", "view", "thumbnail"):
            raise fail(f"{where}.{key}", "unknown field; valid fields are name, view, thumbnail")
    try:
        name = check_name(entry.get("name"))
    except CalfviewerError as error:
        raise fail(f"{where}.name", str(error)) from None
    if name in (b.name for b in taken):
        raise fail(f"{where}.name", f"{name!r} is used twice")
    view = entry.get("view")
    try:  # the view-state reader names the field inside the view
        state = ViewState.from_dict(view, catalogue, source=f"{source} {where} ({name})", ranges=ranges)
    except ViewFileError as error:
        raise BookmarkFileError(str(error)) from None
    made_for = view.get("side") if isinstance(view, dict) else None  # checked by the reader: the leg it is for
    thumbnail = entry.get("thumbnail")
    if thumbnail is not None:
        if not isinstance(thumbnail, str):
            raise fail(f"{where}.thumbnail", "expected a base64 PNG")
        try:
            thumbnail = _checked_thumbnail(base64.b64decode(thumbnail, validate=True))
        except (binascii.Error, ValueError, CalfviewerError) as error:
            raise fail(f"{where}.thumbnail", f"not a base64 PNG ({error})") from None
    return Bookmark(name, state.to_dict(made_for or side), thumbnail)


# --- thumbnails ---------------------------------------------------------------------------------------------------
def png_thumbnail(image: np.ndarray, size: tuple[int, int] = THUMBNAIL_SIZE) -> bytes:
    """A picture (H, W, 3) cut to ``size``'s aspect around its middle, shrunk to ``size``, as PNG bytes."""
    from PIL import Image

    picture = Image.fromarray(np.ascontiguousarray(image[..., :3]))
    width, height = picture.size
    aspect = size[0] / size[1]
    if width / height > aspect:
        keep = round(height * aspect)
        picture = picture.crop(((width - keep) // 2, 0, (width - keep) // 2 + keep, height))
    else:
        keep = round(width / aspect)
        picture = picture.crop((0, (height - keep) // 2, width, (height - keep) // 2 + keep))
    picture = picture.resize(size, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def thumbnail_steps(
    scene: AnatomyScene, window: tuple[int, int], next_missing: Callable[[], Bookmark | None]
) -> Generator[tuple[Bookmark, bytes] | None, None, None]:
    """Draw thumbnails on an off-screen copy of ``scene`` at the window's size (so the framing is what restoring
    shows), one piece of work for each ``next()``: pyvista's depth-peeling check, the copy's window, the copy, its first
    frame in parts, then for each bookmark its view applied, its picture drawn, and its PNG made, yielded with the
    bookmark it shows. Each piece takes about one render or less, so a window calling ``next()`` in its idle time
    stays responsive. ``next_missing`` is asked for the next
    bookmark to draw each time one is done (so one removed meanwhile is not drawn); the steps end when it gives None.
    ``close()`` on the iterator stops early and frees the copy. The scene on screen is not touched."""
    from calfviewer.scene.anatomy_scene import AnatomyScene
    from calfviewer.scene.render import first_frames, make_plotter, probe_depth_peeling

    probe_depth_peeling()
    yield None
    plotter = make_plotter(window)
    try:
        yield None
        state = ViewState(catalogue=scene.catalogue)
        offscreen = AnatomyScene(plotter, scene.geometry, scene.model, scene.catalogue, state, legend=False)
        try:
            yield None
            yield from first_frames(plotter)
            while (bookmark := next_missing()) is not None:
                state.apply(bookmark.state(scene.catalogue, scene.model.side))
                yield None
                picture = offscreen.screenshot()
                yield None
                yield bookmark, png_thumbnail(picture)
        finally:
            offscreen.close()
    finally:
        plotter.close()
