"""The 3D view's focus ring: a 2-pixel ring in the palette's Highlight colour round the view while the keyboard has
brought the focus there (WCAG 2.4.7, focus visible).

Why a frame round the view rather than a style sheet or a drawing in the scene: the view is a GL widget, on which a
style sheet border does not show, and anything drawn in the scene would end up in screenshots, bookmark thumbnails,
movies and exports. So the view sits in this small widget with a 2-pixel margin that this widget paints in the
Highlight colour while the ring is on; otherwise the margin shows the window's own background.

Why only for a focus from the keyboard: as ``:focus-visible`` does on the web, a click on the view (which gives it the
focus too) must not flash a ring, and a press of the mouse in the view takes a ring away: the pointer shows where the
user is. Tab, Shift+Tab and a shortcut show it; the window coming back to the front shows it again only if the focus
had come from the keyboard.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFocusEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QVBoxLayout, QWidget

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


class ViewFrame(QWidget):
    """Holds ``view`` with a RING_WIDTH margin, painted in the Highlight colour while ``ring_shown``.

    Attributes:
        ring_shown: the ring is drawn (the view has the focus, and it came from the keyboard).
    """

    def __init__(self, view: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.ring_shown = False
        self._from_keyboard = False  # the view's last focus came from the keyboard, and no mouse press has followed
        layout = QVBoxLayout(self)
        layout.setContentsMargins(RING_WIDTH, RING_WIDTH, RING_WIDTH, RING_WIDTH)
        layout.setSpacing(0)
        layout.addWidget(view)
        self.setAutoFillBackground(True)  # the margin in the window colour while the ring is off, in a grab too
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view:
            kind = event.type()
            if kind == QEvent.Type.FocusIn and isinstance(event, QFocusEvent):
                reason = event.reason()
                if reason in _KEYBOARD_REASONS:
                    self._from_keyboard = True
                elif reason not in _RETURN_REASONS:
                    self._from_keyboard = False  # a click, the wheel, or a focus the program gave
                self._show_ring(self._from_keyboard)
            elif kind == QEvent.Type.FocusOut:
                self._show_ring(False)
            elif kind == QEvent.Type.MouseButtonPress:
                self._from_keyboard = False
                self._show_ring(False)
        return super().eventFilter(watched, event)

    def _show_ring(self, on: bool) -> None:
        if on != self.ring_shown:
            self.ring_shown = on
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.ring_shown:  # else nothing: the window's background shows in the margin
            painter = QPainter(self)
            painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Highlight))
            painter.end()
