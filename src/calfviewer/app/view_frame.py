"""A focus ring: a 2-pixel ring in the palette's Highlight colour round a view (the 3D view, the Mechanics plot) while
the keyboard has brought the focus there (WCAG 2.4.7, focus visible).

Why a frame round the view rather than a style sheet or a drawing in the scene: the 3D view is a GL widget, on which
a style sheet border does not show, and anything drawn in a scene would end up in screenshots, bookmark thumbnails,
movies and exports (the plot's PNG and SVG too). So the 3D view sits in a small widget (:class:`ViewFrame`) with a
2-pixel margin that it paints in the Highlight colour while the ring is on; otherwise the margin shows the window's
own background. The plot has a margin round it in its panel already: the ring is drawn there, behind it
(:class:`RingBehind`).

Why only for a focus from the keyboard: as ``:focus-visible`` does on the web, a click on the view (which gives it the
focus too) must not flash a ring, and a press of the mouse in the view takes a ring away: the pointer shows where the
user is. Tab, Shift+Tab and a shortcut show it; the window coming back to the front shows it again only if the focus
had come from the keyboard.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFocusEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QAbstractScrollArea, QVBoxLayout, QWidget

#: The ring's width in logical pixels: the margin between this frame's edge and the view.
RING_WIDTH = 2

#: Focus reasons that come from the keyboard.
_KEYBOARD_REASONS = (
    Qt.FocusReason.TabFocusReason,
    Qt.FocusReason.BacktabFocusReason,
    Qt.FocusReason.ShortcutFocusReason,
)
#: Focus reasons that give the focus back as it was: the window activated again, a menu or popup closed.
_RETURN_REASONS = (Qt.FocusReason.ActiveWindowFocusReason, Qt.FocusReason.PopupFocusReason)


class KeyboardFocus(QObject):
    """Follows whether ``view``'s focus came from the keyboard (module docstring) and calls ``show(on)`` when the
    ring is to be shown or hidden."""

    def __init__(self, view: QWidget, show: Callable[[bool], None]) -> None:
        super().__init__(view)
        self.view = view
        self._show = show
        self._from_keyboard = False  # the view's last focus came from the keyboard, and no mouse press has followed
        view.installEventFilter(self)
        # A scroll area (the plot's QGraphicsView) gets its mouse presses on its viewport, not on itself.
        self._pressed = view.viewport() if isinstance(view, QAbstractScrollArea) else view
        if self._pressed is not view:
            self._pressed.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._pressed and kind == QEvent.Type.MouseButtonPress:
            self._from_keyboard = False
            self._show(False)
        elif watched is self.view:
            if kind == QEvent.Type.FocusIn and isinstance(event, QFocusEvent):
                reason = event.reason()
                if reason in _KEYBOARD_REASONS:
                    self._from_keyboard = True
                elif reason not in _RETURN_REASONS:
                    self._from_keyboard = False  # a click, the wheel, or a focus the program gave
                self._show(self._from_keyboard)
            elif kind == QEvent.Type.FocusOut:
                self._show(False)
        return super().eventFilter(watched, event)


class ViewFrame(QWidget):
    """Holds ``view`` with a RING_WIDTH margin, painted in the Highlight colour while ``ring_shown``.

    Attributes:
        ring_shown: the ring is drawn (the view has the focus, and it came from the keyboard).
    """

    def __init__(self, view: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.ring_shown = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(RING_WIDTH, RING_WIDTH, RING_WIDTH, RING_WIDTH)
        layout.setSpacing(0)
        layout.addWidget(view)
        self.setAutoFillBackground(True)  # the margin in the window colour while the ring is off, in a grab too
        self.focus = KeyboardFocus(view, self._show_ring)

    def _show_ring(self, on: bool) -> None:
        if on != self.ring_shown:
            self.ring_shown = on
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.ring_shown:  # else nothing: the window's background shows in the margin
            painter = QPainter(self)
            painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Highlight))
            painter.end()


class RingBehind(QWidget):
    """The same ring round ``view`` where its parent's layout leaves a margin round it (the Mechanics plot in its
    panel), taking no room: a widget under ``view``, RING_WIDTH larger on every side, painted while ``ring_shown``.

    Why not a :class:`ViewFrame` there: its margin took 4 pixels of the plot's width, and at the window's smallest a
    legend of six Latin names took another row under the curves, making the window 16 pixels too tall for its
    screen."""

    def __init__(self, view: QWidget) -> None:
        parent = view.parentWidget()
        assert parent is not None, "the view is placed in its parent first"
        super().__init__(parent)
        self.view = view
        self.ring_shown = False
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.stackUnder(view)
        self.hide()
        view.installEventFilter(self)
        self.focus = KeyboardFocus(view, self._show_ring)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() in (QEvent.Type.Move, QEvent.Type.Resize):
            self._place()
        return super().eventFilter(watched, event)

    def _place(self) -> None:
        self.setGeometry(self.view.geometry().adjusted(-RING_WIDTH, -RING_WIDTH, RING_WIDTH, RING_WIDTH))

    def _show_ring(self, on: bool) -> None:
        if on != self.ring_shown:
            self.ring_shown = on
            self._place()
            self.stackUnder(self.view)
            self.setVisible(on)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Highlight))
        painter.end()
