"""What Orca reads over AT-SPI where Qt's own accessibility fell short (app/screen_reader.py), read here through
Qt's accessibility interface (QAccessible), as CI has no accessibility bus; scripts/atspi-walk reads the same over
the bus. The last test walks the bus itself where one is running, and is skipped elsewhere."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QWidget

from calfviewer.anatomy.quiz import make_round
from calfviewer.geometry.quiz_targets import stored_targets

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]


def description(widget: QWidget) -> str:
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Description)


def labels_of(widget: QWidget) -> list[str]:
    """The names of the labels a screen reader on Linux names ``widget`` by (its "labelled-by" relation)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    return [other.text(QAccessible.Text.Name) for other, _ in interface.relations(QAccessible.Relation.Label)]


def test_the_combo_boxes_are_named_by_a_label_as_qt_names_them_on_linux(open_window, qtbot, tmp_path):
    """On Linux Qt names a combo box by its current text and ignores its accessible name; Orca read the motion box
    as "Ankle plantarflexion and dorsiflexion", the plot's as "Muscle-tendon length" and "Ankle angle"."""
    window = open_window(tmp_path / "settings.ini")
    window.actions_by_name["mechanics_plot"].trigger()
    qtbot.waitUntil(lambda: window.plot_dock.panel is not None)
    panel = window.plot_dock.panel
    assert labels_of(window.animation_bar.motion) == ["Motion"]
    assert labels_of(panel.quantity) == ["Quantity plotted"]
    assert labels_of(panel.axis) == ["Joint angle on the x axis"]


def test_the_3d_view_says_what_is_selected_and_how_to_use_it_from_the_keyboard(open_window, tmp_path):
    window = open_window(tmp_path / "settings.ini")
    said = description(window.plotter)
    assert said.startswith("Nothing selected. ")
    for words in ("1 posterior", "4 lateral", "search box", "F1 lists every key"):
        assert words in said
    window.state.select("soleus")
    assert description(window.plotter).startswith("Selected: Soleus. ")


def test_the_3d_view_is_read_as_a_canvas_with_its_name_and_focus(open_window, tmp_path):
    """Over AT-SPI the view was a "filler", Qt's role for a plain widget that only holds others."""
    window = open_window(tmp_path / "settings.ini")
    view = QAccessible.queryAccessibleInterface(window.plotter)
    assert view.role() == QAccessible.Role.Canvas, view.role()
    assert view.text(QAccessible.Text.Name) == "3D view of the leg"
    assert view.state().focusable


def choice_seed(catalogue, questions: int) -> int:
    """A seed whose first ``questions`` questions are answered with choice buttons."""
    targets = stored_targets()
    return next(
        s for s in range(200) if all(q.choices for q in make_round(catalogue, targets, s).questions[:questions])
    )


def test_a_choice_pressed_from_the_keyboard_gives_the_focus_to_next_question_which_says_the_verdict(
    active_window, qtbot, catalogue
):
    """Each choice, disabled once answered, handed the focus on to the next: a screen reader read out every choice
    and then the 3D view, where the focus landed, and never the verdict (a label's new text is not read)."""
    window = active_window
    window.actions_by_name["quiz"].trigger()
    quiz = window.quiz
    quiz.start(choice_seed(catalogue, 2))
    qtbot.waitUntil(lambda: all(button.isVisible() for button in quiz.choice_buttons))
    first = quiz.choice_buttons[0]
    first.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(first.hasFocus)
    focused: list[QWidget] = []
    QApplication.instance().focusChanged.connect(lambda _old, new: focused.append(new))
    qtbot.keyClick(first, Qt.Key.Key_Space)
    assert quiz.feedback.text()
    assert focused == [quiz.next_button]
    assert description(quiz.next_button) == quiz.feedback.text()
    focused.clear()
    qtbot.keyClick(quiz.next_button, Qt.Key.Key_Space)  # the next question: the focus on its first choice
    assert focused == [quiz.choice_buttons[0]] and quiz.choice_buttons[0].hasFocus()


TOOLS = ("/usr/libexec/at-spi-bus-launcher", "dbus-run-session", "Xvfb", "xdotool", "/usr/bin/python3")


@pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in TOOLS),
    reason="no AT-SPI accessibility bus here (apt-get install at-spi2-core python3-pyatspi dbus-x11 xdotool)",
)
def test_over_the_at_spi_bus_no_control_is_unnamed_and_tab_is_trapped_nowhere():
    """scripts/atspi-walk, run in a session of its own: Orca's view of the window finds no fault."""
    atspi = "import gi; gi.require_version('Atspi', '2.0')"
    if subprocess.run(["/usr/bin/python3", "-c", atspi], capture_output=True).returncode:
        pytest.skip("no Atspi bindings for the system Python (apt-get install gir1.2-atspi-2.0)")
    app = Path(sys.executable).with_name("calfviewer")
    walk = subprocess.run(
        ["/usr/bin/python3", str(ROOT / "scripts" / "atspi-walk"), "--tabs", "45", "--app", str(app)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if walk.returncode == 2:
        pytest.skip(f"the AT-SPI session could not be set up: {walk.stderr.strip().splitlines()[-1:]}")
    assert walk.returncode == 0, walk.stdout[walk.stdout.find("== Faults") :] + walk.stderr[-2000:]
