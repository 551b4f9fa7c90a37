"""The bookmark panel: named views with a thumbnail each, restored with one click, saved and loaded as one file.

Only the widgets live here; what a bookmark is and how a file is read and written is Qt-free
(:mod:`calfviewer.scene.bookmarks`). The panel asks the window for what it cannot know itself (the view as the
user left it, a thumbnail of the screen, how to restore as one undoable step) through the callables it is given.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from calfviewer.anatomy import Catalogue
from calfviewer.errors import CalfviewerError
from calfviewer.scene import bookmarks as store
from calfviewer.scene.bookmarks import Bookmark

FILE_FILTER = "Bookmark files (*.json)"


class BookmarkPanel(QWidget):
    """A list of bookmarks (thumbnail and name), with Add, Remove, Save all and Load.

    Args:
        catalogue: the anatomy catalogue (to check the views in a file).
        capture: returns (the view as the user left it, as a bookmark's JSON object; a PNG thumbnail of it).
        restore: applies a bookmark to the window as one undoable step.
        draw_missing: returns the bookmarks with thumbnails drawn for those without (a teacher's hand-made file).

    Signals:
        message(str): a line for the status bar (saved, loaded).
    """

    message = Signal(str)

    def __init__(
        self,
        catalogue: Catalogue,
        capture: Callable[[str], Bookmark],
        restore: Callable[[Bookmark], None],
        draw_missing: Callable[[list[Bookmark]], list[Bookmark]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.catalogue = catalogue
        self._capture = capture
        self._restore = restore
        self._draw_missing = draw_missing
        self.bookmarks: list[Bookmark] = []
        self.list = QListWidget(self)
        self.list.setObjectName("bookmark-list")
        self.list.setIconSize(QSize(*store.THUMBNAIL_SIZE) / 1.6)
        self.list.setWordWrap(True)
        self.list.itemClicked.connect(self._on_clicked)
        self.list.setToolTip("Click a bookmark to go back to that view (Ctrl+Z goes back again)")
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add…", self)
        self.remove_button = QPushButton("Remove", self)
        self.save_button = QPushButton("Save all…", self)
        self.load_button = QPushButton("Load…", self)
        for button, slot in (
            (self.add_button, self.add_dialog),
            (self.remove_button, self.remove_current),
            (self.save_button, self.save_dialog),
            (self.load_button, self.load_dialog),
        ):
            button.clicked.connect(slot)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self._mirror()

    # --- what the buttons do (also called by the window's menu and by tests) ------------------------------------
    def add(self, name: str) -> Bookmark:
        """Bookmark the current view as ``name`` (replacing a bookmark of that name)."""
        bookmark = self._capture(store.check_name(name))
        self.bookmarks = store.with_bookmark(self.bookmarks, bookmark)
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

    def save(self, path: str) -> None:
        store.save(path, self.bookmarks)

    def load(self, path: str) -> None:
        """Take a file's bookmarks in place of the list; a bad file raises and the list stays as it was."""
        loaded = store.load(path, self.catalogue)
        self.bookmarks = self._draw_missing(loaded)
        self._mirror()

    # --- dialogs ------------------------------------------------------------------------------------------------
    def add_dialog(self) -> None:
        name, ok = QInputDialog.getText(self, "Add bookmark", "Name of this view:", text=self._next_name())
        if ok:
            self._guard(lambda: self.add(name), f"Bookmarked the view as {name.strip()!r}")

    def remove_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.remove(item.data(Qt.ItemDataRole.UserRole))

    def save_dialog(self) -> None:
        if not self.bookmarks:
            self.message.emit("No bookmarks to save yet: Add… bookmarks the view")
            return
        path, _ = QFileDialog.getSaveFileName(self, "Save bookmarks", "bookmarks.json", FILE_FILTER)
        if path:
            self._guard(lambda: self.save(path), f"Saved {len(self.bookmarks)} bookmarks to {path}")

    def load_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load bookmarks", "", FILE_FILTER)
        if path:
            self._guard(lambda: self.load(path), f"Loaded bookmarks from {path}")

    def _guard(self, work: Callable[[], object], done: str) -> None:
        try:
            work()
        except CalfviewerError as error:
            QMessageBox.warning(self, "calfviewer", str(error))
            return
        self.message.emit(done)

    def _next_name(self) -> str:
        names = {b.name for b in self.bookmarks}
        n = len(self.bookmarks) + 1
        while f"View {n}" in names:
            n += 1
        return f"View {n}"

    # --- the list -----------------------------------------------------------------------------------------------
    def _on_clicked(self, item: QListWidgetItem) -> None:
        self._guard(lambda: self.restore(item.data(Qt.ItemDataRole.UserRole)), f"Restored {item.text()!r}")

    def _mirror(self) -> None:
        self.list.clear()
        for bookmark in self.bookmarks:
            item = QListWidgetItem(bookmark.name)
            item.setData(Qt.ItemDataRole.UserRole, bookmark.name)
            if bookmark.thumbnail is not None:
                pixmap = QPixmap()
                if pixmap.loadFromData(bookmark.thumbnail, "PNG"):
                    item.setIcon(QIcon(pixmap))
            self.list.addItem(item)
        has_any = bool(self.bookmarks)
        self.remove_button.setEnabled(has_any)
        self.save_button.setEnabled(has_any)
