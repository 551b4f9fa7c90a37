"""The bookmark list kept between sessions, merged at close with what another window kept there meanwhile.

Split from the panel (app/bookmarks.py) by job: what to keep when two windows on the same settings file each kept
their own list, and where a file that cannot be read, or the bookmarks that did not fit, are put beside it.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from pathlib import Path

from calfviewer.anatomy import Catalogue
from calfviewer.anatomy.side import Side
from calfviewer.app.bookmarks_not_kept import NOT_KEPT
from calfviewer.errors import CalfviewerError
from calfviewer.musculoskeletal.pose import JointRange
from calfviewer.scene import bookmarks as store
from calfviewer.scene.bookmarks import Bookmark

#: How many of the bookmarks set aside at the start the notice names with their reasons (the rest are counted).
NAMED_SET_ASIDE = 3


def read_kept(
    path: Path, catalogue: Catalogue, ranges: Mapping[str, JointRange] | None, side: Side
) -> tuple[list[Bookmark], list[Bookmark], str | None]:
    """The list the last session kept at ``path``, for a window on ``side``'s leg: (the bookmarks taken, the list as
    the kept file holds it now, a one-line notice for the user or None).

    A file that cannot be read as a list (not JSON, a newer version) is moved aside whole and nothing is taken, as
    before. One whose bookmarks cannot all be read (one with an angle outside the model's range, a damaged thumbnail)
    is moved aside too, so nothing in it is lost, but the bookmarks that can be read are taken and written back in
    its place, and the notice names each one left out and why: before, one bad bookmark set the whole list aside and
    the session started with none."""
    if not path.exists():
        return [], [], None
    try:
        loaded, reasons = store.load_readable(path, catalogue, ranges, side)
    except CalfviewerError as error:
        backup = set_aside(path)
        if backup is None:
            return [], [], f"Last session's bookmarks could not be read ({error})"
        return [], [], f"Last session's bookmarks could not be read ({error}); the file is kept at {backup}"
    if not reasons:
        return loaded, list(loaded), None
    count = len(reasons)
    total = count + len(loaded)
    more = count - NAMED_SET_ASIDE
    why = "; ".join(reasons[:NAMED_SET_ASIDE]) + (f"; and {more} more" if more > 0 else "")
    one = count == 1
    notice = (
        f"{count} of last session's {total} bookmarks could not be read and {'was' if one else 'were'} set aside "
        f"({why})"
    )
    backup = set_aside(path)
    if backup is None:  # left where it is: read again, and moved aside whole, when this window keeps its list
        return loaded, list(loaded), f"{notice}; the file could not be moved aside and is left as it was"
    try:
        store.save(path, loaded)  # the kept list is the readable bookmarks, as another window opening now reads it
    except CalfviewerError:
        return loaded, [], f"{notice}; the file as it was is kept at {backup}"  # all this window's, kept at close
    return loaded, list(loaded), f"{notice}; the file as it was is kept at {backup}"


def make_folder(folder: Path) -> None:
    """Make the folder the kept list goes in (the settings' folder), if it is not there. On a first start it is
    not: QSettings makes it as it writes the settings, at the close, after the list was kept, and keeping the first
    session's bookmarks failed ("No such file or directory"), closing asked to discard them. Raises
    :class:`BookmarkFileError` in one line when it cannot be made."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise store.BookmarkFileError(f"cannot make the folder {str(folder)!r}: {error.strerror or error}") from None


def set_aside(path: Path) -> Path | None:
    """Move an unreadable kept list to a backup beside it (never lost, never overwritten); None if it cannot be."""
    backup = _free_beside(path, f"{path.name}.unreadable-{{}}.bak")
    try:
        path.replace(backup)
    except OSError:
        return None
    return backup


def not_kept_beside(path: Path) -> Path:
    """A new file beside the kept list for the bookmarks that did not fit in it: ``bookmarks-not-kept-<time>.json``,
    a bookmark file Load… opens as any other, named again at each start until seen (app/bookmarks_not_kept.py)."""
    return _free_beside(path, f"{path.stem}{NOT_KEPT}{{}}{path.suffix}")


def _free_beside(path: Path, pattern: str) -> Path:
    """A name beside ``path`` that no file has: ``pattern`` with the time (and a number, for a second one in the same
    second) in its braces."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(pattern.format(stamp))
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(pattern.format(f"{stamp}-{n}"))
    return candidate


def merge_kept(opened: list[Bookmark], mine: list[Bookmark], on_disk: list[Bookmark]) -> list[Bookmark]:
    """The list to keep when this window closes: ``on_disk`` (what the file holds now, perhaps another window's)
    with this window's changes since it read ``opened``: its new or changed bookmarks over the file's (by name), the
    ones it removed taken out unless the file's copy is not the one it removed. A bookmark renamed here (its view and
    thumbnail those of one it no longer has by the old name) takes the old one's place: taken for a new bookmark, it
    went to the end of the list in the next session. Where the file holds a bookmark of the same name that this
    window did not open (another window made it, or changed it, meanwhile), both are kept, this window's under a
    free name ('View 1 (2)'): written over, the other window's view was lost without a word. A thumbnail drawn since
    the list was read (app/bookmark_thumbnails.py) is no change of the bookmark's, here or in the other window."""
    before = {b.name: b for b in opened}
    now = {b.name: b for b in mine}
    taken = {b.name for b in on_disk}
    gone = [b for b in opened if b.name not in now]
    renamed: dict[str, Bookmark] = {}  # old name -> the bookmark it is now
    for bookmark in (b for b in mine if b.name not in before and b.name not in taken):
        old = next((g for g in gone if g.name not in renamed and _same_view(g, bookmark)), None)
        if old is not None:
            renamed[old.name] = bookmark
    merged = []
    for bookmark in on_disk:
        if bookmark.name in before and bookmark.name not in now and _as_opened(before[bookmark.name], bookmark):
            if bookmark.name in renamed:
                merged.append(renamed[bookmark.name])
            continue
        merged.append(bookmark)
    changed = [b for b in mine if before.get(b.name) != b]
    for bookmark in changed:
        names = [b.name for b in merged]
        if bookmark.name not in names:
            merged.append(bookmark)
            continue
        theirs = merged[names.index(bookmark.name)]
        opened_copy = bookmark.name in before and _as_opened(before[bookmark.name], theirs)
        if opened_copy or theirs == bookmark:  # the file's copy is the one this window changed
            merged[names.index(bookmark.name)] = bookmark
        else:  # another window made or changed one of this name meanwhile (both offer 'View 1'): keep both
            taken = {*names, *(b.name for b in mine)}
            merged.append(dataclasses.replace(bookmark, name=store.free_name(bookmark.name, taken)))
    return merged


def _same_view(one: Bookmark, other: Bookmark) -> bool:
    """Whether two bookmarks keep the same view and thumbnail (one is the other renamed), the thumbnail perhaps drawn
    since ``one`` was read."""
    return one.view == other.view and one.thumbnail in (None, other.thumbnail)


def _as_opened(opened: Bookmark, now: Bookmark) -> bool:
    """Whether ``now`` is the bookmark read as ``opened``, perhaps with the thumbnail it lacked drawn since."""
    return now == opened or (opened.thumbnail is None and dataclasses.replace(now, thumbnail=None) == opened)


def fit_kept(
    path: Path, merged: list[Bookmark], on_disk: list[Bookmark], opened: list[Bookmark], mine: list[Bookmark]
) -> tuple[list[Bookmark], str | None]:
    """``merged`` (two windows' lists, each within the limit) cut to what the kept file at ``path`` holds, and the
    one line saying where the rest went (None: all fit). This window's own first (so what it removed stays removed
    and what it made is kept), then as many of the other's as fit; the rest are saved beside the kept file, never
    lost, and the user is told where. ``on_disk``: the file's list now; ``opened``: as this window read it;
    ``mine``: this window's now. Raises :class:`BookmarkFileError`."""
    if store.file_size(merged) <= store.BOOKMARKS_LIMIT:
        return merged, None
    disk = {b.name: b for b in on_disk}
    before = {b.name: b for b in opened}
    now = {b.name: b for b in mine}

    def others(bookmark: Bookmark) -> bool:  # another window's: the file's, not as this window had it
        name = bookmark.name
        return disk.get(name) == bookmark and before.get(name) != bookmark and now.get(name) != bookmark

    merged, left = store.fit(merged, first=lambda bookmark: not others(bookmark))
    aside = not_kept_beside(path)
    store.save(aside, left)
    whose = "another window kept" if all(others(b) for b in left) else "the two windows kept"
    one = len(left) == 1
    return merged, (
        f"{counted(len(left))} {whose} did not fit in the bookmarks kept for the next "
        f"session ({_named(left)}); "
        f"{'it is' if one else 'they are'} saved in {aside} (Bookmarks → Load… opens {'it' if one else 'them'})"
    )


def counted(count: int) -> str:
    """``1 bookmark``, ``2 bookmarks``: a count as the notices and the status bar say it."""
    return "1 bookmark" if count == 1 else f"{count} bookmarks"


def _named(bookmarks: list[Bookmark], shown: int = 3) -> str:
    """The first few names, quoted, and how many more: one line whatever the count."""
    names = ", ".join(repr(b.name) for b in bookmarks[:shown])
    return names + (f" and {len(bookmarks) - shown} more" if len(bookmarks) > shown else "")
