"""Bookmarks that did not fit in the list kept between sessions, named again at each start until the user has seen it.

When two windows' lists together are more than a bookmark file holds, the window closed last saves those that do not
fit in ``bookmarks-not-kept-<time>.json`` beside the kept list and names that file once, in a box, as it closes
(:meth:`calfviewer.app.bookmarks.BookmarkPanel.keep`). A box that comes up as the window goes is easily closed
unread, and the next session said nothing: the bookmarks were safe in a file no one would look for. Now each start
names every such file in the status bar's lasting notice, with how to open it, until the user dismisses that notice
(its x) or opens the file with Bookmarks → Load…; from then on that file is not named again (its name is kept in the
settings, under :data:`SETTINGS_KEY`). A file the user deleted or moved is not named either.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, SignalInstance

from calfviewer.app.status_notice import StatusNotice

#: Between the kept list's stem and the time in the name of a file of bookmarks that did not fit in it.
NOT_KEPT = "-not-kept-"
#: The names of the files the user has dismissed the notice of, or opened, in the settings.
SETTINGS_KEY = "bookmarks/not_kept_seen"


def not_kept_files(kept: Path) -> list[Path]:
    """The files of bookmarks that did not fit in the list kept at ``kept``, oldest first (their names hold the
    time they were written)."""
    return sorted(path for path in kept.parent.glob(f"{kept.stem}{NOT_KEPT}*{kept.suffix}") if path.is_file())


def not_kept_notice(path: Path) -> str:
    """The notice's words for one such file: what is in it, where it is and how to open it."""
    return (
        f"Bookmarks that did not fit in the list kept between sessions are saved in {path}; "
        "Bookmarks → Load… opens them"
    )


class NotKeptNotices:
    """Names in ``notice``, as the window starts, each file of bookmarks not kept beside ``kept`` that the user has
    not yet dismissed or opened (``loaded``: the bookmark panel's signal with the path of a file it loaded)."""

    def __init__(self, notice: StatusNotice, settings: QSettings, kept: Path, loaded: SignalInstance) -> None:
        self.notice = notice
        self.settings = settings
        self.kept = kept
        self._shown: dict[str, Path] = {}  # the notice's words -> the file they name
        seen = self._seen()
        for path in not_kept_files(kept):
            if path.name not in seen:
                text = not_kept_notice(path)
                self._shown[text] = path
                notice.show_notice(text)
        notice.dismissed.connect(self._dismissed)
        loaded.connect(self._loaded)

    def folder(self) -> str:
        """The folder of the files the notice still names, for Bookmarks → Load… to open in, so that the user finds
        them there (they are beside the settings file, which no one browses to); "" when it names none, for the
        dialog to open where it last did."""
        return str(next(iter(self._shown.values())).parent) if self._shown else ""

    def _dismissed(self, text: str) -> None:
        if text in self._shown:
            self._see(self._shown.pop(text))

    def _loaded(self, path: str) -> None:
        """A file named here opened with Load…: its bookmarks are in the list, so the notice has done its work."""
        for text, named in list(self._shown.items()):
            if named.resolve() == Path(path).resolve():
                self.notice.withdraw(text)
                self._see(self._shown.pop(text))

    def _seen(self) -> set[str]:
        value = self.settings.value(SETTINGS_KEY, [])  # an INI file gives a list of one back as its one string
        if isinstance(value, str):
            return {value}
        return {str(name) for name in value} if isinstance(value, list) else set()

    def _see(self, path: Path) -> None:
        """Name ``path`` no more; the names of files no longer there are dropped, so the setting does not grow."""
        here = {other.name for other in not_kept_files(self.kept)}
        self.settings.setValue(SETTINGS_KEY, sorted((self._seen() & here) | {path.name}))
        self.settings.sync()
