"""What a screen reader on Linux (Orca, over the AT-SPI bus) says where Qt's own accessibility falls short.

Found by reading the window over AT-SPI from another process, as Orca does (scripts/atspi-walk):

- a combo box's accessible name was ignored: on Linux Qt names a combo box by its current text, whatever
  ``setAccessibleName`` says, and gives its name through a "labelled-by" relation, to a QLabel whose buddy it is.
  The motion box was read as "Ankle plantarflexion and dorsiflexion, combo box" and the plot's two boxes as
  "Muscle-tendon length" and "Ankle angle", nothing saying what was being chosen. :func:`label_combo_box`;
- the 3D view said only its name: nothing of what was selected in it nor how to use it without a mouse.
  :class:`ViewDescription`;
- a change a user made but did not move the focus to (the quiz's verdict and next question, a search that matched
  nothing) was only a label's new text, which a screen reader does not read out. :func:`announce`;
- the 3D view was read as a "filler" (Qt's role for a plain widget, a box that only holds others), which a screen
  reader may pass over. :func:`read_as_canvas`.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAction, QKeySequence
from PySide6.QtWidgets import QAccessibleWidget, QComboBox, QLabel, QWidget

from calfviewer.viewer.camera import VIEWS
from calfviewer.viewer.viewer import Viewer, ViewResult


def label_combo_box(box: QComboBox, name: str, label: QLabel | None = None) -> QLabel:
    """Name ``box`` as ``name`` for a screen reader on every platform: its accessible name (Windows, macOS) and a
    label whose buddy it is (Linux, where Qt reads a combo box's name from that label). ``label`` is a label shown
    beside the box (its words on screen stay, ``name`` is what is read); without one, a label that is never shown,
    as the box has no room for one. The label is made a sibling of the box: Qt looks for it among those."""
    box.setAccessibleName(name)
    if label is None:
        label = QLabel(name, box.parentWidget())
        label.hide()
    label.setAccessibleName(name)
    label.setBuddy(box)
    return label


_CANVASES: set[type[QWidget]] = set()


def read_as_canvas(kind: type[QWidget]) -> None:
    """Have a screen reader read every widget of ``kind`` as a canvas (a picture drawn by the program, AT-SPI's
    "canvas"), with its accessible name, description and focus as Qt gives them. Qt's interface for a plain widget
    says "filler"; a factory of Qt's accessibility hands out the canvas instead, the first time a widget is read."""
    if not _CANVASES:
        QAccessible.installFactory(_canvas_factory)
    _CANVASES.add(kind)


def _canvas_factory(_class_name: str, obj: QObject) -> QAccessibleWidget | None:
    if isinstance(obj, QWidget) and type(obj) in _CANVASES:
        return QAccessibleWidget(obj, QAccessible.Role.Canvas)
    return None


def announce(widget: QWidget, text: str) -> None:
    """Have a screen reader say ``text`` now, wherever the focus is (an AT-SPI announcement, Orca 45 and later),
    without moving the focus; ``widget`` is where it comes from."""
    if QAccessible.isActive():
        QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(widget, text))


def view_keys(actions: Mapping[str, QAction]) -> str:
    """How to use the 3D view from the keyboard, with the window's own shortcuts (so the words follow the keys)."""

    def key(name: str) -> str:
        return actions[name].shortcut().toString(QKeySequence.SequenceFormat.NativeText)

    views = ", ".join(f"{key(f'view_{name}')} {name}" for name in VIEWS)
    return (
        f"Keys: {views} turn the leg to a standard view, {key('reset_view')} resets it; to select a structure, "
        f"type its name in the Structures search box and press Enter (or Enter on its row in the tree), "
        f"{key('hide_selected')} hides it, {key('isolate_selected')} shows it alone, {key('show_all')} shows all, "
        f"{key('clear_selection')} clears the selection; {key('labels')} names what is shown, "
        f"{key('play_pause')} plays the motion; {key('shortcuts')} lists every key. "
        "Mouse: a click selects, a drag turns the leg."
    )


class ViewDescription(QObject):
    """Keeps the 3D view's accessible description to what is selected in it, then how to use it from the keyboard,
    so a screen reader says both when the focus reaches the view and again when the selection changes."""

    def __init__(self, view: QWidget, viewer: Viewer, actions: Mapping[str, QAction]) -> None:
        super().__init__(view)
        self.view = view
        self.keys = view_keys(actions)
        self._follow(viewer.result)
        viewer.result_changed.connect(self._follow)

    def _follow(self, result: ViewResult) -> None:
        facts = result.facts
        selected = "Nothing selected" if facts is None else f"Selected: {facts.title}"
        self.view.setAccessibleDescription(f"{selected}. {self.keys}")
