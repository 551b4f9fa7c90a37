"""The bookmark list kept between sessions, merged at close with what another window kept there meanwhile.

Split from the panel (app/bookmarks.py) by job: what to keep when two windows on the same settings file each kept
their own list, and where a file that cannot be read, or the bookmarks that did not fit, are put beside it.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

from calfviewer.app.bookmarks_not_kept import NOT_KEPT
from calfviewer.scene import bookmarks as store
from calfviewer.scene.bookmarks import Bookmark


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
