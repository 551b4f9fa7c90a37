"""The window's smallest size made to fit its screen: the side columns' and the 3D view's minimums shrink on a
small one.

Why: the structure tree's column (300 pixels), the information panel's (320) and the 3D view (360 x 300) make the
window at least 996 pixels wide, which a 1024 x 768 projector holds. A screen of 800 x 500 for Qt (1600 x 1000 at
200 %, or a small laptop scaled up) does not: the window ran off its right edge, the information panel out of reach.
On such a screen the three minimums shrink, each by a share of what it can give above its floor, until the window's
smallest fits the screen's free area with room for a frame (``settings.FRAME_ROOM``); on a screen that holds them
they stay as they are, so the first window on 1400 x 900 or 1366 x 768 is unchanged. The fit is measured on the
window's own minimum (its layout decides: a column is as wide as its widest dock), and made again when the window
moves to another screen or a dock is shown (the mechanics plot, made on first show, needs about 260 pixels). A
screen too short for the mechanics plot under the information panel gets it in the panel's tabs, in front; and a
window that a dock shown made larger than its screen is made to fit it again.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from calfviewer.app.settings import FRAME_ROOM

#: The smallest the 3D view (the leg readable) and the tree's and information's columns are where the screen holds
#: them: the window then fits 1024 pixels.
MIN_VIEW_SIZE, DOCK_WIDTHS = (360, 300), (300, 320)
#: How far they may shrink on a small screen: the view as wide as a leg seen from the side with its names beside
#: it, and half its height; a column as wide as a structure's name with its checkbox and opacity slider.
VIEW_FLOOR, DOCK_FLOOR = (240, 150), 200
#: Rounds of measuring and shrinking: a column held up by another dock in it (the plot) gives nothing, and the next
#: round takes the rest from the others.
ROUNDS = 4


class ScreenFit(QObject):
    """Keeps ``window``'s minimum within its screen by the minimums of ``view`` and ``docks`` (the tree's and the
    information panel's), and by putting ``tabbable`` docks into the information panel's tabs when its column is too
    tall for the screen, as the module docstring says."""

    def __init__(
        self,
        window: QMainWindow,
        view: QWidget,
        docks: Sequence[QDockWidget],
        tabbable: Sequence[QDockWidget] = (),
    ) -> None:
        super().__init__(window)
        #: Docks that go into the information panel's tabs (the last of ``docks``) when the screen is too short for
        #: them stacked under it (the mechanics plot).
        self.tabbable = tuple(tabbable)
        self.window = window
        self.view = view
        self.docks = tuple(docks)
        self._pending = False
        self._resize_from: QSize | None = None  # the window's size when a resize to fit was asked for
        self._screen_watched = False
        self._grown = False  # a dock was shown since the last fit (the window may have grown for it)
        window.installEventFilter(self)  # the window's QWindow (its screen) exists once it is shown
        for dock in window.findChildren(QDockWidget):
            dock.visibilityChanged.connect(self._on_dock_shown)
        self.fit()

    def room(self) -> QSize:
        """The most the window may be on its screen: the free area less room for a frame and title bar."""
        screen: QScreen | None = self.window.screen() or QGuiApplication.primaryScreen()
        free = screen.availableGeometry() if screen is not None else None
        if free is None or free.isEmpty():
            return QSize(10**6, 10**6)
        return QSize(free.width() - FRAME_ROOM[0], free.height() - FRAME_ROOM[1])

    def fit(self, resize_from: QSize | None = None) -> None:
        """The minimums as the screen allows: the defaults, shrunk as far as it takes (and their floors allow); with
        ``resize_from`` (the window's size when it was first shown, or moved to another screen), a window larger
        than the screen's room is made to fit it, if it still has that size or is no wider than the defaults' minimum
        could have held it (not a size given it since: a user's, a restored one).

        Before the window is shown one round is made, on the minimum it has with the defaults: until it is shown,
        the window's minimum does not follow its parts' minimums (it measured the first ones), and more rounds
        shrank them further than needed. Once shown, :meth:`fit_soon` measures again."""
        self._pending, self._resize_from = False, None
        widths = [MIN_VIEW_SIZE[0], *DOCK_WIDTHS]
        height = MIN_VIEW_SIZE[1]
        self._apply(widths, height)
        room = self.room()
        floors = [VIEW_FLOOR[0], *(DOCK_FLOOR for _ in self.docks)]
        held = hint = self._minimum()  # the least the window could be with the defaults: it may be held there
        for turn in range(ROUNDS if self.window.isVisible() else 1):
            hint = hint if turn == 0 else self._minimum()
            excess = hint.width() - room.width()
            spare = [width - floor for width, floor in zip(widths, floors, strict=True)]
            if excess <= 0 or sum(spare) <= 0:
                break
            total = sum(spare)
            widths = [width - min(give, -(-excess * give // total)) for width, give in zip(widths, spare, strict=True)]
            self._apply(widths, height)
        excess = self._minimum().height() - room.height()
        if excess > 0:
            self._apply(widths, max(VIEW_FLOOR[1], height - excess))
        if self.window.isVisible() and self._minimum().height() > room.height():
            self._tab_behind_information()
        window = self.window
        whole = Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen
        too_big = window.width() > room.width() or window.height() > room.height()
        kept = resize_from is not None and (window.size() == resize_from or window.width() <= held.width())
        kept = kept or self._grown  # a dock shown made it grow past the screen: the user gave it no such size
        self._grown = False
        if kept and too_big and window.isVisible() and not window.windowState() & whole:
            smallest = self._minimum()
            layout = window.layout()
            if layout is not None:
                layout.activate()  # the window's minimum (its layout's constraint) follows now, not at the next paint
            window.resize(window.size().boundedTo(room).expandedTo(smallest))

    def _tab_behind_information(self) -> None:
        """Each of :attr:`tabbable` shown under the information panel goes into its tabs, in front, while the
        window's smallest is taller than the screen holds: the information panel (150 pixels at least) and the
        mechanics plot (266) stacked made the window 562 high at its smallest on an 800 x 500 screen, the animation
        bar and the status bar below its bottom edge. In a tab the plot is one click from the facts."""
        window, information = self.window, self.docks[-1]
        for dock in self.tabbable:
            beside = window.dockWidgetArea(dock) == window.dockWidgetArea(information)
            if dock.isHidden() or dock.isFloating() or not beside or window.tabifiedDockWidgets(dock):
                continue
            window.tabifyDockWidget(information, dock)
            dock.raise_()
            if self._minimum().height() <= self.room().height():
                return

    def fit_soon(self, resize: bool = False) -> None:
        """:meth:`fit` once the layout has taken in the change just made (a dock shown; with ``resize``, the window
        shown or on another screen)."""
        if resize:
            self._resize_from = self.window.size()
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, lambda: self.fit(self._resize_from))

    def _on_dock_shown(self, shown: bool) -> None:
        """A dock shown (the mechanics plot, the quiz) grows the window as far as its new minimum, which Qt takes
        before the minimums are fitted again: on an 800 x 500 screen it went 921 (the plot) or 996 (the quiz)
        pixels wide, off the screen's right edge, and stayed so. Fitted, it is made to fit the screen again."""
        if shown:
            # Not the docks the window's first show shows (before its own Show event): the window's size then is
            # the one it was given (a restored one is fitted by the show's own fit).
            self._grown = self._grown or self._screen_watched
            self.fit_soon()

    def _apply(self, widths: Sequence[int], height: int) -> None:
        self.view.setMinimumSize(widths[0], height)
        for dock, width in zip(self.docks, widths[1:], strict=True):
            dock.setMinimumWidth(width)

    def _minimum(self) -> QSize:
        """The window's minimum with the docks' and the view's new minimums: the layouts between them and the
        window take those in from the layout requests they posted (until then the window measured the old ones)."""
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        layout = self.window.layout()
        if layout is not None:
            layout.invalidate()
        return self.window.minimumSizeHint()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Show and not self._screen_watched:
            handle = self.window.windowHandle()
            if handle is not None:
                handle.screenChanged.connect(lambda _screen: self.fit_soon(resize=True))
                self._screen_watched = True
                # Measured again once shown, and the window made to fit: it was sized before the window's minimum took
                # in the shrunk parts, and held at the old minimum (and the screen it is shown on may not be the one it
                # was made for).
                self.fit_soon(resize=True)
        return super().eventFilter(watched, event)
