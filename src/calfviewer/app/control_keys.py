"""Keys a focused control uses itself reach it before the window's one-key shortcuts take them.

Why: the window's shortcuts (Space play/pause, Home back to the start) are window-wide, and Qt gives a shortcut the
key before the focused widget unless the widget claims it in the shortcut-override pass. Buttons, sliders, lists and
combo boxes do not claim these keys, so Space on a quiz choice played the animation instead of answering (a keyboard
user could not answer at all) and Home on the section or an opacity slider rewound the animation instead of moving
the slider. This claims, for the focused control only, the keys it acts on itself; on the 3D view and anywhere else
the shortcuts work as listed. The filter sits on the focused widget alone (moved on each focus change), not on the
whole application, so no other event passes through Python.

Enter and Return press a focused push or tool button, as Space does. Qt's buttons take Enter only in a dialog (as
its default button), so in the window a keyboard user who tabbed to Play, Add…, Next question or a quiz choice and
pressed Enter, as most applications and web pages teach, got nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QApplication,
    QComboBox,
    QPushButton,
    QToolButton,
    QWidget,
)

_NAVIGATION = {Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown}
_ARROWS = {Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down}
_ENTER = {Qt.Key.Key_Return, Qt.Key.Key_Enter}
#: The buttons Enter presses (not check boxes or radio buttons: Space ticks those, Enter does not elsewhere either).
_PRESSED = (QPushButton, QToolButton)
#: The keys each kind of control acts on itself (without a modifier). A list keeps Space for play/pause: there it
#: would only tick a box, and the tree is where the focus rests after choosing a structure.
OWN_KEYS: tuple[tuple[type[QWidget], frozenset[int]], ...] = (
    (QAbstractButton, frozenset({Qt.Key.Key_Space})),
    (QAbstractSlider, frozenset(_NAVIGATION | _ARROWS)),
    (QComboBox, frozenset({Qt.Key.Key_Space, *_NAVIGATION})),
    (QAbstractItemView, frozenset(_NAVIGATION)),
)


def own_keys(widget: QWidget) -> frozenset[int]:
    """The keys ``widget`` acts on itself that a window shortcut would otherwise take."""
    for kind, keys in OWN_KEYS:
        if isinstance(widget, kind):
            return keys
    return frozenset()


class ControlKeys(QObject):
    """Lets the focused control of ``window`` keep its own keys (see the module docstring)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self._watched: QWidget | None = None
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._on_focus_changed)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if self._watched is not None:
            self._watched.removeEventFilter(self)
            self._watched = None
        if new is not None and new.window() is self.window and own_keys(new):
            new.installEventFilter(self)
            self._watched = new
            new.destroyed.connect(self._forget)

    def _forget(self, *_: object) -> None:
        self._watched = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            isinstance(event, QKeyEvent)
            and isinstance(watched, QWidget)
            and event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier == Qt.KeyboardModifier.NoModifier
        ):
            if event.type() == QEvent.Type.ShortcutOverride and event.key() in own_keys(watched):
                event.accept()  # the key goes to the control as a key press, not to the shortcut
                return True
            if event.type() == QEvent.Type.KeyPress and event.key() in _ENTER and isinstance(watched, _PRESSED):
                watched.animateClick()  # pressed and released as a click shows it, as Space does
                return True
        return super().eventFilter(watched, event)
