"""What a screen reader or a keyboard user meets in the window: every control that takes the focus has a name.

A control's accessible name is what a screen reader says when the focus reaches it; Qt gives one from a button's
text or a buddy label, and nothing for a slider, a list, a tree or a text box without one. The timeline read as
"slider", the speed box as "1×" (its "Speed" beside it was no buddy), the 3D view, the structure tree, the facts and
the bookmark and history lists as nothing at all. Found by walking every control with Tab and asking Qt's
accessibility interface what it would say.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QComboBox, QWidget

pytestmark = pytest.mark.gui


def unnamed_controls(window: QWidget) -> list[str]:
    """Every shown widget the Tab key can reach whose accessible name is empty, described by its class and its
    parents' names (for the failure message)."""
    unnamed = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or not widget.focusPolicy() & Qt.FocusPolicy.TabFocus or widget.focusProxy():
            continue
        if not named(widget):
            parents, parent = [], widget.parentWidget()
            while parent is not None and parent is not window:
                parents.append(parent.objectName() or type(parent).__name__)
                parent = parent.parentWidget()
            unnamed.append(f"{type(widget).__name__} in {'/'.join(parents) or 'the window'}")
    return unnamed


def labels_of(widget: QWidget) -> list[str]:
    """The texts of the labels a screen reader is told name ``widget`` (a buddy label's relation)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    return [other.text(QAccessible.Text.Name) for other, _ in interface.relations(QAccessible.Relation.Label)]


def named(widget: QWidget) -> bool:
    """Whether a screen reader has a name for ``widget``. A combo box's name is its current text on Linux, whatever
    its accessible name says (Qt names it by a label relation there, which Orca reads over AT-SPI), so it needs a
    label; anything else its accessible name."""
    if isinstance(widget, QComboBox):
        return bool(labels_of(widget))
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface is not None and bool(interface.text(QAccessible.Text.Name).strip())


def test_every_control_the_focus_reaches_has_a_name(open_window, qtbot, tmp_path):
    window = open_window(tmp_path / "settings.ini")
    window.state.select("soleus")
    window.actions_by_name["mechanics_plot"].trigger()  # View > Mechanics plot
    window.actions_by_name["quiz"].trigger()  # View > Quiz mode
    window.actions_by_name["section_axial"].trigger()  # Section > Axial: its slider is enabled
    qtbot.wait(200)
    assert window.plot_dock.isVisible() and window.quiz_dock.isVisible()
    unnamed = unnamed_controls(window)
    assert unnamed == [], "\n".join(unnamed)


def test_the_speed_box_is_named_by_its_label_and_the_timeline_says_what_it_is(open_window, tmp_path):
    window = open_window(tmp_path / "settings.ini")
    bar = window.animation_bar
    name = QAccessible.Text.Name
    assert labels_of(bar.speed) == ["Speed"]
    assert "time" in QAccessible.queryAccessibleInterface(bar.scrub).text(name).lower()


def test_every_cell_of_the_structure_tree_has_a_name(open_window, tmp_path):
    """A screen reader reads the tree cell by cell: the opacity column's cells (a slider drawn over each, a widget
    of its own) read as blank."""
    window = open_window(tmp_path / "settings.ini")
    tree = QAccessible.queryAccessibleInterface(window.tree.view)
    cells = [tree.child(i) for i in range(tree.childCount())]
    cells = [cell for cell in cells if cell.role() == QAccessible.Role.TreeItem]
    assert len(cells) > 20
    assert [cell.text(QAccessible.Text.Name) for cell in cells if not cell.text(QAccessible.Text.Name)] == []
    assert "Opacity 100 %" in [cell.text(QAccessible.Text.Name) for cell in cells]
