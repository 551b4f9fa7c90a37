"""A notice in the status bar that stays until the user dismisses it.

Why not ``showMessage``: the status bar's message is replaced by the next one (a hover names the structure under
the mouse every few milliseconds), so a notice such as "the last view could not be restored" was gone before
anyone could read it. A permanent widget is never covered by those messages.

A notice takes the status bar's width but for room kept for those messages (a structure's name as the mouse passes
over it), on one line: before, it was cut at 640 pixels whatever the window's width ("...its materials are in
my_leg.mtl (an OBJ re…" in a 1300-pixel window with room to spare). A notice wider than its room is cut with an
ellipsis; its tooltip and its accessible name, which a screen reader reads, are always the whole text, and a screen
reader is told each new notice as it comes (an AT-SPI announcement). One line, not
several: a notice broken onto two or three lines made the bar taller while it showed, so the 3D view lost 21-42
pixels and grew them back when the notice went (the "names left out" notice comes and goes with the view's size), and
a view framed for the window in between was framed for a size it no longer had.

Several notices wait in turn: the newest shows (it is often the answer to what the user just did, such as where an
export went), "(1 of 3)" before it says how many wait, and the x dismisses that one alone, the one before it then
showing. Before, every notice was shown at once on the line, joined, and one x dismissed them all: closing "Labels
left out" also told the not-kept bookmarks' notice (bookmarks_not_kept.py) that its file had been seen, so the user
never learned of it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal, SignalInstance
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from calfviewer.app.plain_text import plain
from calfviewer.app.readable import set_tone
from calfviewer.app.screen_reader import announce

#: The notice's colour on a light window (app/readable.py finds it the lightness a dark one needs).
NOTICE_COLOUR = "#8a4b00"
#: The part of the status bar's width kept for its messages beside the notice (a hovered structure's name).
MESSAGE_SHARE = 0.35
#: The narrowest a notice is made, in pixels, however narrow the bar.
MIN_WIDTH = 200
#: Between two notices in :meth:`StatusNotice.text`, which lists every notice waiting.
SEPARATOR = "  ·  "


class StatusNotice(QWidget):
    """A label and a close button; hidden while there is nothing to say.

    Signals:
        dismissed(str): the notice shown when the user closed it with the button (not one withdrawn), so that
            whoever showed it can leave it unsaid from then on.
    """

    dismissed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._notices: list[str] = []  # every notice waiting, oldest first; the last is shown
        self.label = QLabel(self)
        self.label.setWordWrap(False)
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # a file name or a bookmark name, as typed
        # Cut to the bar's width (:meth:`_fit`) and cut again when the bar is resized; a label's least width is
        # otherwise its text's, which held the window wide.
        self.label.setMinimumWidth(MIN_WIDTH)
        set_tone(self.label, NOTICE_COLOUR, "font-weight: 600;")  # amber, or lighter on a dark palette
        self.close_button = QToolButton(self)
        self.close_button.setText("×")
        self.close_button.setToolTip("Dismiss this notice")
        self.close_button.setAccessibleName("Dismiss notice")
        self.close_button.clicked.connect(self._closed)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.label, 1)
        self._layout.addWidget(self.close_button)
        self.hide()

    def show_notice(self, text: str, say: bool = True) -> None:
        """Show ``text`` until dismissed, over any notice already shown (which shows again when this one goes), on
        one line as wide as the status bar gives it, cut with an ellipsis past that (a label as wide as its text
        would widen the whole window); and, with ``say``, have a screen reader say it now."""
        self._notices.append(text)
        self._show()
        if say:
            # A screen reader reads a label's new name only when the focus is on it, and the focus is where the
            # user works (an export's "saved to ...; its materials are in ..." went unheard).
            announce(self.label, text)

    def withdraw(self, text: str) -> None:
        """Take ``text`` out of the notices, if it is there (what it said is no longer so); the rest stay."""
        if text in self._notices:
            self._notices.remove(text)
            self._show()

    def shown(self) -> str:
        """The words the notice shows, with how many wait when more than one does: "(1 of 2) Labels left out: ..."
        ("" when there is none)."""
        if not self._notices:
            return ""
        waiting = len(self._notices)
        return f"(1 of {waiting}) {self._notices[-1]}" if waiting > 1 else self._notices[-1]

    def _show(self) -> None:
        if not self._notices:
            self.dismiss()
            return
        whole = self.shown()
        self.label.setToolTip(plain(whole))
        self.label.setAccessibleName(whole)  # what a screen reader reads: the whole notice, not the part shown
        self._fit()
        self.show()

    def _fit(self) -> None:
        """Fit the notice to the room the status bar has now (again whenever the bar is resized)."""
        if not self._notices:
            return
        bar = self.parentWidget()
        room = bar.width() if bar is not None else self.window().width()
        spare = self.close_button.sizeHint().width() + self._layout.spacing()
        self.label.ensurePolished()  # the style sheet's bold is in the font measured
        width = max(MIN_WIDTH, int(room * (1 - MESSAGE_SHARE)) - spare)
        self.label.setText(QFontMetrics(self.label.font()).elidedText(self.shown(), Qt.TextElideMode.ElideRight, width))

    def event(self, event: QEvent) -> bool:
        parent = self.parentWidget()
        if event.type() == QEvent.Type.ParentChange and parent is not None:
            parent.installEventFilter(self)  # addPermanentWidget moves the notice into the bar
        return super().event(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self._fit()
        return super().eventFilter(watched, event)

    def text(self) -> str:
        """Every notice waiting, oldest first, joined by :data:`SEPARATOR` ("" when there is none)."""
        return SEPARATOR.join(self._notices)

    def _closed(self) -> None:
        """The x: the notice shown is dismissed, and the one before it (if any) shows."""
        if self._notices:
            text = self._notices.pop()
            self._show()
            self.dismissed.emit(text)

    def dismiss(self) -> None:
        """Take every notice away, none of them dismissed by the user."""
        self._notices = []
        self.label.clear()
        self.label.setToolTip("")
        self.label.setAccessibleName("")
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
                # Not said aloud: what the picture leaves out can change at every frame of a drag or a resize.
                self.notice.show_notice(self._told[what], say=False)


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
