"""Thumbnails drawn for bookmarks that have none, in the idle time of the window's event loop, a step a turn.

Why: a bookmark file without thumbnails (written by hand or by an older version) had them all drawn before its list
showed: 60 views held the event loop for 8-10 s on a quiet 2-core machine and about 25 s on a loaded one, with nothing
on screen to say why, and the window could not be used, closed or even repainted meanwhile. Now the list shows at
once, each row without its picture an empty frame that says it is being drawn; a zero timer takes one step of
:func:`calfviewer.scene.bookmarks.thumbnail_steps` a turn (each about one render or less: a view applied, a picture
drawn, a PNG made), so clicks, paints and the close button are answered between steps; and the status bar says how
far it is ("Drawing thumbnails: 12 of 60").

What is drawn next is asked of the panel as each bookmark is started (the first in its list without a thumbnail), and
a finished thumbnail goes to the bookmarks the list holds then with that view and no thumbnail: one removed or
replaced meanwhile gets nothing, one renamed keeps its picture, and no row gets another view's picture.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QLabel, QWidget

from calfviewer.errors import CalfviewerError
from calfviewer.scene.bookmarks import Bookmark, thumbnail_steps

if TYPE_CHECKING:
    from calfviewer.scene.anatomy_scene import AnatomyScene

#: The steps of drawing (:func:`calfviewer.scene.bookmarks.thumbnail_steps`): a drawn thumbnail with its bookmark, or
#: None after a step that finished none.
StepIterator = Generator[tuple[Bookmark, bytes] | None, None, None]
#: What the window gives for drawing: from a function naming the next bookmark to draw (None: none left), the steps.
Steps = Callable[[Callable[[], Bookmark | None]], StepIterator]
#: How often to look again while the window is not on screen yet (its size, which the pictures are framed for, is
#: not known before): the steps start once it is shown.
UNSHOWN_WAIT_MS = 100
DRAWING_TEXT = "drawing…"


class ThumbnailQueue(QObject):
    """Draws the missing thumbnails of a bookmark list, one step each time the event loop has nothing else to do.

    Args:
        steps: the window's drawing (:data:`Steps`: an off-screen copy of its scene at its size).
        next_missing: the next bookmark of the list without a thumbnail, or None.
        attach: gives a drawn thumbnail to the list's bookmarks without one that show its bookmark's view; returns
            how many took it (0: it was removed or replaced meanwhile). Raises :class:`CalfviewerError` to stop.
        waiting: how many bookmarks of the list have no thumbnail now.

    Signals:
        progress(int, int): thumbnails drawn since :meth:`start` and the whole count (drawn and still waiting).
        finished(int): no bookmark is waiting any more; how many were drawn since :meth:`start`.
        failed(str): drawing stopped on an error (the line to show); the bookmarks left keep no thumbnail.
    """

    progress = Signal(int, int)
    finished = Signal(int)
    failed = Signal(str)

    def __init__(
        self,
        steps: Steps,
        next_missing: Callable[[], Bookmark | None],
        attach: Callable[[Bookmark, bytes], int],
        waiting: Callable[[], int],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._make_steps = steps
        self._next_missing = next_missing
        self._attach = attach
        self._waiting = waiting
        self._steps: StepIterator | None = None
        self._done = 0
        self._shown: tuple[int, int] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(0)  # a zero timer: it fires when the event queue has been emptied
        self._timer.timeout.connect(self._step)

    @property
    def drawing(self) -> bool:
        """Whether thumbnails are waiting to be drawn (and will be, in the idle time to come)."""
        return self._timer.isActive()

    def start(self) -> None:
        """Draw every thumbnail the list is missing, counting from 0 (a file was loaded: its count is what is said).
        Nothing happens now: the steps run in the turns of the event loop to come."""
        self._done = 0
        self._shown = None
        if self._waiting() == 0:
            return
        self._timer.start()
        self._report()

    def restart(self) -> None:
        """Draw what is left on a new copy of the window's scene (the other leg is shown now): the next bookmark
        is drawn as the window shows it, not on the scene it had. Not drawing, drawing starts (counted from 0):
        the other leg's pictures are missing now."""
        self._close_steps()
        if not self.drawing:
            self.start()

    def stop(self) -> None:
        """Draw nothing more (the window closes): the off-screen copy is freed now, the bookmarks left have none."""
        self._timer.stop()
        self._close_steps()

    def _close_steps(self) -> None:
        steps, self._steps = self._steps, None
        if steps is not None:
            steps.close()  # its ``finally`` closes the off-screen scene and its GL window

    def _step(self) -> None:
        parent = self.parent()
        if isinstance(parent, QWidget) and not parent.window().isVisible():
            self._timer.setInterval(UNSHOWN_WAIT_MS)  # not on screen: its size is not the one it will be shown at
            return
        self._timer.setInterval(0)
        try:
            if self._steps is None:
                self._steps = self._make_steps(self._next_missing)
            step = next(self._steps)
            if step is not None:
                self._done += self._attach(*step)
        except StopIteration:
            self._steps = None
            self._timer.stop()
            self.finished.emit(self._done)
            return
        except CalfviewerError as error:
            self.stop()
            self.failed.emit(f"Thumbnails could not be drawn: {error}")
            return
        except BaseException:
            self.stop()  # not every turn again: once, as Qt reports an error in a slot
            raise
        # Due again from now, not from when this step began: Qt runs the due timers in the order they fell due, so
        # a zero timer restarted by its own firing came before every timer that fell due during its step (the
        # window's own, a playing motion's), and two steps ran back to back before them.
        self._timer.start()
        self._report()

    def _report(self) -> None:
        shown = (self._done, self._done + self._waiting())
        if shown != self._shown:
            self._shown = shown
            self.progress.emit(*shown)


def view_steps(view: QWidget, scene: Callable[[], AnatomyScene]) -> Steps:
    """The window's drawing of missing thumbnails: on an off-screen copy of ``scene()`` (the leg shown when drawing
    starts) at the size of the 3D view ``view`` when it starts, as restoring a bookmark frames its view there."""

    def steps(next_missing: Callable[[], Bookmark | None]) -> StepIterator:
        ratio = view.devicePixelRatioF()
        size = (max(round(view.width() * ratio), 64), max(round(view.height() * ratio), 64))
        return thumbnail_steps(scene(), size, next_missing)

    return steps


class ThumbnailProgress(QLabel):
    """The status bar's "Drawing thumbnails: 12 of 60" while ``queue`` draws, hidden otherwise. A label of its own
    in the bar, not a status message, which the name of each structure the mouse passes over replaces."""

    def __init__(self, queue: ThumbnailQueue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("thumbnail-progress")
        queue.progress.connect(self._show_progress)
        for ended in (queue.finished, queue.failed):
            ended.connect(self.hide)
        self.hide()

    def _show_progress(self, done: int, total: int) -> None:
        if done >= total:
            self.hide()
            return
        text = f"Drawing thumbnails: {done} of {total}"
        self.setText(text)
        self.setAccessibleName(text)
        self.show()


def placeholder_icon(widget: QWidget, size: QSize, drawing: bool) -> QIcon:
    """An empty frame the size of a thumbnail for a bookmark without one, saying "drawing…" while it is being
    drawn: a row keeps its height and its place, and shows no picture it does not have."""
    ratio = widget.devicePixelRatioF()
    pixmap = QPixmap(round(size.width() * ratio), round(size.height() * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        palette = widget.palette()
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        frame = QRect(0, 0, size.width() - 1, size.height() - 1)
        painter.drawRect(frame)
        if drawing:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(frame, Qt.AlignmentFlag.AlignCenter, DRAWING_TEXT)
    finally:
        painter.end()
    return QIcon(pixmap)
