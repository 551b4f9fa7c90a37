"""The bookmark panel: named views with a thumbnail each, restored with one click, saved and loaded as one file.

Nothing the user made is lost without being asked: the window keeps the list between sessions (:meth:`keep` and
:meth:`take_kept`, a bookmark file beside the settings file, merged at close with what another window kept there
meanwhile), Load… asks before it replaces bookmarks not saved to a file since they were made, Add… asks before it
replaces a bookmark of the same name, and Remove asks before it removes one that no file holds (nothing undoes it).
A bookmark is renamed in place (F2 or the list's right-click menu), keeping its view and thumbnail: before, the only
way to change a name was to restore the view, add it again under the new name and remove the old one.

The list never grows past what a bookmark file holds (:data:`calfviewer.scene.bookmarks.BOOKMARKS_LIMIT`): a bookmark
added (or renamed, or a file loaded) past it is refused with what to do, so the list kept at close is always one the
next session reads back. Two windows' lists merged at close past it: the window closed last keeps its own list (what
it removed stays removed) and as many of the other window's bookmarks as fit, and saves the rest in a file beside
the kept one, which the close names. Before, it wrote nothing and asked: the bookmarks it had removed came back in
the next session, and closing anyway lost the ones it had made.

A file's bookmarks without thumbnails show at once, their pictures drawn afterwards in the window's idle time
(:mod:`calfviewer.app.bookmark_thumbnails`); drawn, they are kept as a thumbnail taken with Add… is. Each row shows
its view as restoring it shows it on the leg shown: on the other leg, a picture drawn for that leg (:meth:`set_model`).

Only the widgets live here; what a bookmark is and how a file is read and written is Qt-free
(:mod:`calfviewer.scene.bookmarks`). The panel asks the window for what it cannot know itself (the view as the
user left it, a thumbnail of the screen, how to restore as one undoable step) through the callables it is given.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from calfviewer.anatomy import Catalogue
from calfviewer.anatomy.side import Side
from calfviewer.app.bookmark_thumbnails import Steps, ThumbnailQueue, placeholder_icon
from calfviewer.app.bookmarks_kept import counted, fit_kept, make_folder, merge_kept, read_kept, set_aside
from calfviewer.app.file_dialogs import save_file_name
from calfviewer.app.plain_text import plain
from calfviewer.errors import CalfviewerError
from calfviewer.musculoskeletal import MusculoskeletalModel
from calfviewer.musculoskeletal.pose import JointRange
from calfviewer.scene import bookmarks as store
from calfviewer.scene.bookmarks import Bookmark

FILE_FILTER = "Bookmark files (*.json)"
LIST_TIP = (
    "Click a bookmark, or press Enter on it, to go back to that view (Ctrl+Z goes back again); F2 renames it, "
    "Delete removes it, and a right-click offers both"
)


class BookmarkPanel(QWidget):
    """A list of bookmarks (thumbnail and name), with Add, Remove, Save all and Load.

    Args:
        catalogue: the anatomy catalogue (to check the views in a file).
        capture: returns (the view as the user left it, as a bookmark's JSON object; a PNG thumbnail of it).
        restore: applies a bookmark to the window as one undoable step.
        draw_steps: draws the thumbnails of bookmarks without one a step at a time (:data:`Steps`), which the
            panel's :attr:`thumbnails` takes in the idle time of the event loop.
        model: the leg shown: its joint ranges (a file holding an angle outside them is refused as it is read) and
            its side (:meth:`set_model` when the window switches legs).

    Attributes:
        thumbnails: the queue drawing the missing thumbnails (its signals say how far it is).
        start_folder: the folder Load… opens in ("" leaves it to Qt, which remembers the last one used).

    Signals:
        message(str): a line for the status bar (saved, loaded).
        loaded(str): the path of a bookmark file whose bookmarks the list took (Load…).
    """

    message = Signal(str)
    loaded = Signal(str)

    def __init__(
        self,
        catalogue: Catalogue,
        capture: Callable[[str], Bookmark],
        restore: Callable[[Bookmark], None],
        draw_steps: Steps,
        parent: QWidget | None = None,
        model: MusculoskeletalModel | None = None,
    ) -> None:
        super().__init__(parent)
        self.catalogue = catalogue
        self.ranges: Mapping[str, JointRange] | None = None if model is None else model.ranges
        self.side: Side = "right" if model is None else model.side  # the leg the window shows
        self._kept_side = self.side  # the leg the kept list was read for (a view naming none is taken as for it)
        #: Thumbnails of bookmarks made on the other leg, drawn for this one: (leg, view) -> PNG. A bookmark's own
        #: thumbnail shows the leg its view was made for, and is what a file keeps; shown on the other leg it was
        #: that leg's picture, mirror-wise, of a view that restores on this one.
        self._other_leg: dict[tuple[str, str], bytes] = {}
        self._capture = capture
        self._restore = restore
        self.bookmarks: list[Bookmark] = []
        self.start_folder: Callable[[], str] = lambda: ""
        self._saved: list[Bookmark] = []  # the list as a file last held it (saved or loaded): what is not at risk
        self._kept: list[Bookmark] = []  # the list the last session kept, as this window read it when it opened
        self.list = QListWidget(self)
        self.list.setObjectName("bookmark-list")
        self.list.setAccessibleName("Bookmarks")
        self.list.setIconSize(QSize(*store.THUMBNAIL_SIZE) / 1.6)
        self.thumbnails = ThumbnailQueue(draw_steps, self._next_missing, self._attach, self._waiting, self)
        self.thumbnails.finished.connect(self._drawn)
        self.thumbnails.failed.connect(self._not_drawn)
        # Long names wrap at the panel's width (word wrap alone laid each row out as wide as its name, so the name ran
        # off the panel behind a horizontal scroll bar); a name with no space to break at is cut in the middle, and
        # its row's tooltip holds it whole.
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.list.itemClicked.connect(self._on_clicked)
        self.list.installEventFilter(self)  # Enter on the current bookmark restores it, as a click does
        self.list.setToolTip(LIST_TIP)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._menu_at)
        self.list.currentItemChanged.connect(self._offer_remove)
        # Two rows of two: in one row the four made the panel (and the window's right column) 346 pixels wide at
        # its smallest, too wide for the window to fit a 1024 x 768 projector.
        buttons = QGridLayout()
        self.add_button = QPushButton("Add…", self)
        self.remove_button = QPushButton("Remove", self)
        self.save_button = QPushButton("Save all…", self)
        self.load_button = QPushButton("Load…", self)
        for place, (button, slot) in enumerate(
            (
                (self.add_button, self.add_dialog),
                (self.remove_button, self.remove_current),
                (self.save_button, self.save_dialog),
                (self.load_button, self.load_dialog),
            )
        ):
            button.clicked.connect(slot)
            buttons.addWidget(button, *divmod(place, 2))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self._mirror()

    # --- what the buttons do (also called by the window's menu and by tests) ------------------------------------
    def add(self, name: str) -> Bookmark:
        """Bookmark the current view as ``name`` (replacing a bookmark of that name)."""
        bookmark = self._capture(store.check_name(name))
        self.bookmarks = _fitting(store.with_bookmark(self.bookmarks, bookmark))
        self._mirror()
        return bookmark

    def restore(self, name: str) -> None:
        for bookmark in self.bookmarks:
            if bookmark.name == name:
                self._restore(bookmark)
                return
        raise CalfviewerError(f"no bookmark named {name!r}")

    def remove(self, name: str) -> None:
        self.bookmarks = [b for b in self.bookmarks if b.name != name]
        self._mirror()

    def rename(self, name: str, new_name: str) -> Bookmark:
        """Give the bookmark ``name`` the name ``new_name``, keeping its view, thumbnail and place in the list. A name
        another bookmark has is refused (renaming must not replace a view); raises :class:`CalfviewerError`."""
        new_name = store.check_name(new_name)
        names = [b.name for b in self.bookmarks]
        if name not in names:
            raise CalfviewerError(f"no bookmark named {name!r}")
        if new_name != name and new_name in names:
            raise CalfviewerError(f"a bookmark is already named {new_name!r}: choose another name")
        index = names.index(name)
        renamed = dataclasses.replace(self.bookmarks[index], name=new_name)
        self.bookmarks = _fitting([*self.bookmarks[:index], renamed, *self.bookmarks[index + 1 :]])
        self._mirror()
        self.list.setCurrentRow(index)
        return renamed

    def save(self, path: str) -> None:
        store.save(path, self.bookmarks)
        self._saved = list(self.bookmarks)

    def load(self, path: str) -> None:
        """Take a file's bookmarks in place of the list; a bad file raises and the list stays as it was."""
        self._take(store.load(path, self.catalogue, self.ranges, self.side), path)

    def _take(self, loaded: list[Bookmark], path: str) -> None:
        """The list is the file's at once; the thumbnails it lacks are drawn after, in the idle time to come."""
        self.bookmarks = _fitting(loaded, loaded=True)  # the thumbnails still to draw take room too
        self._saved = list(self.bookmarks)
        self.thumbnails.start()
        self._mirror()
        self.loaded.emit(path)

    # --- the thumbnails still to draw (app/bookmark_thumbnails.py) ---------------------------------------------
    def set_model(self, model: MusculoskeletalModel) -> None:
        """The window shows ``model``'s leg now: each row shows its bookmark's view as restoring it shows it on this
        leg, the pictures of bookmarks made on the other leg drawn again for this one (in the idle time to come,
        on the new scene); its joint ranges check the files read from now on."""
        self.ranges, self.side = model.ranges, model.side
        views = {_key(b.view) for b in self.bookmarks}
        self._other_leg = {key: png for key, png in self._other_leg.items() if key[1] in views}
        self.thumbnails.restart()
        self._mirror()

    def _own_leg(self, bookmark: Bookmark) -> bool:
        """Whether ``bookmark``'s own thumbnail shows the leg shown: its view made for it (or naming no leg)."""
        return bookmark.view.get("side", self.side) == self.side

    def _picture(self, bookmark: Bookmark) -> bytes | None:
        """The thumbnail of ``bookmark`` on the leg shown, None while there is none."""
        if self._own_leg(bookmark):
            return bookmark.thumbnail
        return self._other_leg.get((self.side, _key(bookmark.view)))

    def _next_missing(self) -> Bookmark | None:
        return next((b for b in self.bookmarks if self._picture(b) is None), None)

    def _waiting(self) -> int:
        return sum(self._picture(b) is None for b in self.bookmarks)

    def _attach(self, drawn: Bookmark, thumbnail: bytes) -> int:
        """Give ``thumbnail``, drawn for ``drawn``, to the bookmarks of the list without one that show its view
        (``drawn`` itself, or renamed; none if it was removed or replaced meanwhile), and to their rows; the number
        that took it. A drawn picture is no change of the user's: the list is as saved as it was."""
        rows = [n for n, b in enumerate(self.bookmarks) if self._picture(b) is None and b.view == drawn.view]
        if not rows:
            return 0
        if not self._own_leg(drawn):  # drawn for this leg, not the one the view was made for: not the file's
            self._other_leg[(self.side, _key(drawn.view))] = thumbnail
        else:  # fits: :func:`_fitting` counted it
            self.bookmarks = _with_thumbnail(self.bookmarks, drawn.view, thumbnail)
            self._saved = _with_thumbnail(self._saved, drawn.view, thumbnail)
        for row in rows:
            item = self.list.item(row)
            if item is not None:
                item.setIcon(self._icon(self.bookmarks[row]))
        return len(rows)

    def _drawn(self, count: int) -> None:
        if count:
            self.message.emit(f"Drew the thumbnails of {counted(count)}")

    def _not_drawn(self, text: str) -> None:
        self.message.emit(text)
        for row, bookmark in enumerate(self.bookmarks):  # no longer "drawing…"
            item = self.list.item(row)
            if item is not None and self._picture(bookmark) is None:
                item.setIcon(self._icon(bookmark))

    def _icon(self, bookmark: Bookmark) -> QIcon:
        """A bookmark's thumbnail, or an empty frame (saying "drawing…" while it is drawn) for one without."""
        picture = self._picture(bookmark)
        if picture is not None:
            pixmap = QPixmap()
            if pixmap.loadFromData(picture, "PNG"):
                return QIcon(pixmap)
        return placeholder_icon(self.list, self.list.iconSize(), self.thumbnails.drawing)

    @property
    def unsaved(self) -> bool:
        """Whether the list holds bookmarks no file has (added, changed or kept only between sessions)."""
        return any(b not in self._saved for b in self.bookmarks)

    # --- kept between sessions (the window's bookmark file beside its settings) -----------------------------------
    def keep(self, path: Path) -> str | None:
        """Write the list to ``path`` for the next session (atomically); an empty list removes the file.

        Merged with what the file holds now, since another window on the same settings may have kept its own list
        after this one opened: what this window added or changed is written over it, what it removed is taken out
        (unless the other changed it), and the rest of the file's stays. Where the two together are more than a
        file holds, the other window's that do not fit go to a file beside ``path`` (:func:`fit_kept`), written
        first, and the one line returned names them and that file. Raises :class:`BookmarkFileError`."""
        try:
            on_disk = store.load(path, self.catalogue, self.ranges, self._kept_side) if path.exists() else []
        except CalfviewerError:
            # Unreadable now (damaged, or written meanwhile by a newer calfviewer): a file is moved aside, as at
            # start, never written over; this window's own view of it is merged instead. (Anything else there, a
            # folder, is left alone: the write below fails and says so.)
            if path.is_file() and set_aside(path) is None:
                raise store.BookmarkFileError(
                    f"{str(path)!r} could not be read and cannot be moved aside, so it is left as it is"
                ) from None
            on_disk = list(self._kept)
        merged = merge_kept(self._kept, self.bookmarks, on_disk)
        if merged:
            make_folder(path.parent)  # a first session's: QSettings makes it only as it writes, after this
        merged, notice = fit_kept(path, merged, on_disk, self._kept, self.bookmarks)
        if merged:
            store.save(path, merged)
            return notice
        try:
            path.unlink(missing_ok=True)
        except OSError as error:
            raise store.BookmarkFileError(f"cannot remove {str(path)!r}: {error.strerror or error}") from None
        return notice

    def take_kept(self, path: Path) -> str | None:
        """Take the list the last session kept at ``path``; a file, or bookmarks in it, that cannot be read are
        moved aside (never lost, never overwritten) and a notice for the user is returned
        (:func:`~calfviewer.app.bookmarks_kept.read_kept`)."""
        self._kept_side = self.side
        loaded, self._kept, notice = read_kept(path, self.catalogue, self.ranges, self.side)
        self.bookmarks = loaded
        self._saved = []  # kept between sessions is not saved to a file of the user's
        if store.drawn_size(loaded) <= store.BOOKMARKS_LIMIT:  # else some might not fit: the list stays keepable
            self.thumbnails.start()  # a list kept while its thumbnails were being drawn: the rest are drawn now
        self._mirror()
        return notice

    # --- dialogs ------------------------------------------------------------------------------------------------
    def add_dialog(self) -> None:
        name, ok = QInputDialog.getText(self, "Add bookmark", "Name of this view:", text=self._next_name())
        if not ok:
            return
        if name.strip() in {b.name for b in self.bookmarks} and not self._confirm(
            "Replace bookmark", f"A bookmark is already named {name.strip()!r}. Replace it with this view?"
        ):
            return
        self._guard(lambda: self.add(name), f"Bookmarked the view as {name.strip()!r}")

    def remove_current(self) -> None:
        """Remove the current bookmark; one that no file holds is asked about first, since nothing brings it back."""
        item = self.list.currentItem()
        if item is None:
            return
        name = item.data(Qt.ItemDataRole.UserRole)
        in_a_file = any(b.name == name and b in self._saved for b in self.bookmarks)
        if not in_a_file and not self._confirm(
            "Remove bookmark", f"Remove the bookmark {name!r}? It is saved in no file, so it cannot be brought back."
        ):
            return
        self.remove(name)
        self.message.emit(f"Removed the bookmark {name!r}")

    def rename_current(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        name = item.data(Qt.ItemDataRole.UserRole)
        new_name, ok = QInputDialog.getText(self, "Rename bookmark", "New name of this view:", text=name)
        if ok and new_name.strip() != name:
            self._guard(lambda: self.rename(name, new_name), f"Renamed {name!r} to {new_name.strip()!r}")

    def _menu_at(self, position: QPoint) -> None:
        item = self.list.itemAt(position)
        if item is None:
            return
        self.list.setCurrentItem(item)
        menu = QMenu(self)
        menu.addAction("Go to this view", lambda: self._on_clicked(item))
        menu.addAction("Rename…", self.rename_current)
        menu.addAction("Remove…", self.remove_current)
        menu.exec(self.list.viewport().mapToGlobal(position))

    def save_dialog(self) -> None:
        if not self.bookmarks:
            self.message.emit("No bookmarks to save yet: Add… bookmarks the view")
            return
        path = save_file_name(self, "Save bookmarks", "bookmarks.json", FILE_FILTER)
        if path:
            self._guard(lambda: self.save(path), f"Saved {len(self.bookmarks)} bookmarks to {path}")

    def load_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load bookmarks", self.start_folder(), FILE_FILTER)
        if not path:
            return
        try:
            loaded = store.load(path, self.catalogue, self.ranges, self.side)  # said before anything is asked
        except CalfviewerError as error:
            QMessageBox.warning(self, "calfviewer", plain(str(error)))
            return
        if self.unsaved and not self._confirm(
            "Replace bookmarks",
            f"The list's {len(self.bookmarks)} bookmark(s) are not saved to a file. Replace them with the "
            f"{len(loaded)} in {Path(path).name}? (Cancel, then Save all…, keeps them.)",
        ):
            return
        self._guard(lambda: self._take(loaded, path), f"Loaded bookmarks from {path}")

    def _confirm(self, title: str, question: str) -> bool:
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel
        answer = QMessageBox.question(self, title, plain(question), buttons, QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def _guard(self, work: Callable[[], object], done: str) -> None:
        try:
            work()
        except CalfviewerError as error:
            QMessageBox.warning(self, "calfviewer", plain(str(error)))
            return
        self.message.emit(done)

    def _next_name(self) -> str:
        names = {b.name for b in self.bookmarks}
        n = len(self.bookmarks) + 1
        while f"View {n}" in names:
            n += 1
        return f"View {n}"

    # --- the list -----------------------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter or Return on the list restores its current bookmark: without a mouse a bookmark could be reached
        (Tab, the arrow keys) but not restored. (Not ``itemActivated``: a double click would restore it twice.) F2
        renames it and Delete removes it, as in a file manager."""
        if (
            watched is self.list
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and self.list.currentItem() is not None
        ):
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._on_clicked(self.list.currentItem())
                return True
            if key == Qt.Key.Key_F2:
                self.rename_current()
                return True
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.remove_current()
                return True
        return super().eventFilter(watched, event)

    def _on_clicked(self, item: QListWidgetItem) -> None:
        self._guard(lambda: self.restore(item.data(Qt.ItemDataRole.UserRole)), f"Restored {item.text()!r}")

    def _mirror(self) -> None:
        self.list.clear()
        for bookmark in self.bookmarks:
            item = QListWidgetItem(bookmark.name)
            item.setData(Qt.ItemDataRole.UserRole, bookmark.name)
            item.setToolTip(plain(f"{bookmark.name}\n\n{LIST_TIP}"))
            item.setIcon(self._icon(bookmark))
            self.list.addItem(item)
        self.save_button.setEnabled(bool(self.bookmarks))
        self._offer_remove()

    def _offer_remove(self, *_: object) -> None:
        """Remove acts on the bookmark chosen in the list: with none chosen (after Add…, Load…, at the start) it
        was enabled and a click did nothing, without a word. Greyed out until one is chosen."""
        self.remove_button.setEnabled(self.list.currentItem() is not None)


def _fitting(bookmarks: list[Bookmark], loaded: bool = False) -> list[Bookmark]:
    """``bookmarks``, or a one-line error saying what to do if they are more than a bookmark file holds: a list the
    panel holds is one the window can keep, and read back, at the next start. ``loaded``: a file's, its missing
    thumbnails just drawn."""
    if store.drawn_size(bookmarks) <= store.BOOKMARKS_LIMIT:  # the thumbnails still to draw at the most they take
        return bookmarks
    over = f"more than the {store.shown_size(store.BOOKMARKS_LIMIT)} a bookmark list holds"
    if loaded:
        raise CalfviewerError(f"With their thumbnails drawn, the file's bookmarks could take {over}; split it in two")
    raise CalfviewerError(
        f"The bookmark list is full: {len(bookmarks)} bookmarks would take {over}. Remove some, or Save all… to a "
        "file and then remove them (Load… brings them back)"
    )


def _with_thumbnail(bookmarks: list[Bookmark], view: dict, thumbnail: bytes) -> list[Bookmark]:
    """``bookmarks`` with ``thumbnail`` given to each without one that shows ``view``."""
    return [
        dataclasses.replace(b, thumbnail=thumbnail) if b.thumbnail is None and b.view == view else b for b in bookmarks
    ]


def _key(view: dict) -> str:
    """A view as one string, to look its thumbnail drawn for the other leg up by."""
    return json.dumps(view, sort_keys=True)
