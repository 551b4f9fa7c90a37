"""A notice in the status bar that stays until the user dismisses it.

Why not ``showMessage``: the status bar's message is replaced by the next one (a hover names the structure under
the mouse every few milliseconds), so a notice such as "the last view could not be restored" was gone before
anyone could read it. A permanent widget is never covered by those messages.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from calfviewer.app.readable import set_tone

#: The notice's colour on a light window (app/readable.py finds it the lightness a dark one needs).
NOTICE_COLOUR = "#8a4b00"
#: The widest the notice is drawn, in pixels; the rest is in its tooltip.
MAX_WIDTH = 640
#: Between two notices shown at once.
SEPARATOR = "  ·  "


class StatusNotice(QWidget):
    """A label and a close button; hidden while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self.label = QLabel(self)
        self.label.setWordWrap(False)
        set_tone(self.label, NOTICE_COLOUR, "font-weight: 600;")  # amber, or lighter on a dark palette
        self.close_button = QToolButton(self)
        self.close_button.setText("×")
        self.close_button.setToolTip("Dismiss this notice")
        self.close_button.setAccessibleName("Dismiss notice")
        self.close_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button)
        self.hide()

    def show_notice(self, text: str) -> None:
        """Show ``text`` (after any notice already shown) until dismissed. A long notice is cut to fit with an
        ellipsis (a label as wide as its text would widen the whole window); the full text is its tooltip."""
        self._show(f"{self._text}{SEPARATOR}{text}" if self._text else text)

    def withdraw(self, text: str) -> None:
        """Take ``text`` out of the notice, if it is there (what it said is no longer so); the rest stays."""
        parts = self._text.split(SEPARATOR) if self._text else []
        if text in parts:
            parts.remove(text)
            if parts:
                self._show(SEPARATOR.join(parts))
            else:
                self.dismiss()

    def _show(self, text: str) -> None:
        self._text = text
        metrics = self.label.fontMetrics()
        self.label.setText(metrics.elidedText(self._text, Qt.TextElideMode.ElideRight, MAX_WIDTH))
        self.label.setToolTip(self._text)
        self.show()

    def text(self) -> str:
        """The whole notice ("" when there is none or it was dismissed)."""
        return self._text

    def dismiss(self) -> None:
        self._text = ""
        self.label.clear()
        self.hide()


class LeftOutNotices:
    """Says once, in ``notice``, which 2D overlay of the 3D view (labels, legend, colour bar) the view is too small
    for and that a larger window shows it, and takes that back when it fits again. Before, the window left them out
    without a word (only ``render`` and ``movie`` said so, on stderr). After each ``rendered`` frame it asks
    ``left_out`` (``AnatomyScene.left_out_overlays``) what the layout left out."""

    def __init__(self, notice: StatusNotice, rendered: SignalInstance, left_out: Callable[[], dict[str, str]]) -> None:
        self.notice = notice
        self._told: dict[str, str] = {}  # overlay -> the words that said it was left out
        # Queued: the notice may change the status bar's height, and so the view's, which is not done mid-paint.
        rendered.connect(lambda: self.follow(left_out()), Qt.ConnectionType.QueuedConnection)

    def follow(self, left_out: dict[str, str]) -> None:
        """Follow what the last layout left out (``AnatomyScene.left_out_overlays``: overlay -> why): called after
        every frame, it speaks only when that changes."""
        for what in [what for what in self._told if left_out_notice(what, left_out.get(what, "")) != self._told[what]]:
            self.notice.withdraw(self._told.pop(what))  # fits now, or what is left out has changed
        for what, why in left_out.items():
            if what not in self._told:
                self._told[what] = left_out_notice(what, why)
                self.notice.show_notice(self._told[what])


def left_out_notice(what: str, why: str) -> str:
    """The status bar's words for an overlay left out of the 3D view: the scene's reason (``why``, which ends
    "make it wider" or "make the picture taller"), then what a larger window would do.

    Why the scene's reason and not a fixed phrase: the names are often left out only in part (a long name with no
    room beside a slice, say), and "the 3D view is too small for them" read as if every name were gone, while most
    were on screen and the few missing went unnamed."""
    them = "them" if what == "labels" else "it"
    larger = "taller" if why.endswith("taller") else "wider"
    reason = why.split("; make ", 1)[0]
    return f"{what.capitalize()} left out: {reason}; a {larger} window shows {them}"
