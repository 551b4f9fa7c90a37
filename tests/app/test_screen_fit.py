"""The window on a small screen: 800 x 500 for Qt, as a 1600 x 1000 screen at 200 % or an 800 x 500 one gives it.

Before, the window's smallest was 996 pixels wide (the tree's and the information panel's columns, 300 and 320, and
the 3D view's 360) and its animation bar 793, so on such a screen it ran off the right edge, the information panel
and the end of the animation bar out of reach. Each case runs the window in its own X server of that size, as a
user starts it with no settings yet, and reads its geometry.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

pytest.importorskip("pytestqt")

from calfviewer.app.settings import FRAME_ROOM

pytestmark = pytest.mark.gui

_PROBE = """
import json, sys
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDockWidget, QToolBar
app = QApplication([])
from calfviewer.app.main_window import MainWindow
window = MainWindow(settings=QSettings(sys.argv[1], QSettings.Format.IniFormat))
window.show()
for _ in range(20):
    app.processEvents()
shown = lambda w: w.isVisible() and not w.visibleRegion().isEmpty()
parts = [w for w in (*window.findChildren(QDockWidget), *window.findChildren(QToolBar)) if shown(w)]
facts = {
    "free": window.screen().availableGeometry().getRect(),
    "frame": window.frameGeometry().getRect(),
    "smallest": [window.minimumSizeHint().width(), window.minimumSizeHint().height()],
    "parts": {w.objectName(): [w.width(), w.height()] for w in parts},
    "view": [window.plotter.width(), window.plotter.height()],
}
window.resize(100, 100)
for _ in range(20):
    app.processEvents()
facts["timeline_at_smallest"] = window.animation_bar.scrub.width()
print(json.dumps(facts))
window.animator.pause()
window.close()
"""


def probe(tmp_path, source: str, screen: str, scale: str, *args: str) -> dict:
    """Run ``source`` with a window on its own X server of ``screen`` pixels at ``scale``, with no settings yet; its
    facts, after checking the window is on the screen and its smallest fits the screen's room less a title bar and
    frame (``settings.FRAME_ROOM``)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_SCALE_FACTOR")}
    env |= {"QT_SCALE_FACTOR": scale, "QT_QPA_PLATFORM": "xcb", "HOME": str(tmp_path)}
    command = ["xvfb-run", "-a", "-s", f"-screen 0 {screen}x24", sys.executable, "-c", source]
    done = subprocess.run(
        [*command, str(tmp_path / "s.ini"), *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    facts = json.loads(done.stdout.strip().splitlines()[-1])
    x, y, width, height = facts["frame"]
    fx, fy, free_width, free_height = facts["free"]
    assert (free_width, free_height) == (800, 500)
    assert fx <= x and fy <= y and x + width <= fx + free_width and y + height <= fy + free_height, facts
    room = free_width - FRAME_ROOM[0], free_height - FRAME_ROOM[1]
    assert facts["smallest"][0] <= room[0] and facts["smallest"][1] <= room[1], facts
    return facts


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run")
@pytest.mark.parametrize(("screen", "scale"), [("1600x1000", "2"), ("800x500", "1")])
def test_the_window_fits_a_screen_of_800_by_500_with_every_panel_and_bar_shown(tmp_path, screen, scale):
    facts = probe(tmp_path, _PROBE, screen, scale)
    assert {"structures", "information", "section", "animation"} <= set(facts["parts"]), facts["parts"]
    assert all(w > 0 and h > 0 for w, h in facts["parts"].values()), facts["parts"]
    assert facts["view"][0] >= 240 and facts["view"][1] >= 150, facts  # the leg keeps a readable view
    assert facts["timeline_at_smallest"] >= 160, facts


_SHOWN_PROBE = """
import json, sys, time
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QComboBox
app = QApplication([])
from calfviewer.app.main_window import MainWindow
window = MainWindow(settings=QSettings(sys.argv[1], QSettings.Format.IniFormat))
window.show()
def settle(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
settle(0.5)
for name in sys.argv[2].split("+"):
    window.actions_by_name[name].trigger()
    settle(1.5)
dock = window.plot_dock if sys.argv[2] == "mechanics_plot" else window.quiz_dock
seen = lambda w: w.isVisible() and not w.visibleRegion().isEmpty()
controls = dock.findChildren(QComboBox) if sys.argv[2] == "mechanics_plot" else [window.quiz.next_button.parentWidget()]
facts = {
    "free": window.screen().availableGeometry().getRect(),
    "frame": window.frameGeometry().getRect(),
    "smallest": [window.minimumSizeHint().width(), window.minimumSizeHint().height()],
    "dock": [dock.width(), dock.height()] if seen(dock) else None,
    "controls_seen": [seen(c) for c in controls],
}
if sys.argv[2] == "mechanics_plot+quiz":  # the round over: the plot as it was before it
    window.actions_by_name["quiz"].trigger()
    settle(1.0)
    facts["plot_seen_after"] = seen(window.plot_dock)
print(json.dumps(facts))
window.animator.pause()
window.close()
"""


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run")
@pytest.mark.parametrize("shown", ["mechanics_plot", "quiz", "mechanics_plot+quiz"])
def test_the_mechanics_plot_or_the_quiz_shown_on_a_screen_of_800_by_500_keeps_the_window_on_it(tmp_path, shown):
    """Before, showing the Mechanics plot (View menu) grew the window to 921 x 562 and quiz mode to 996 pixels wide
    on this screen: the information panel's right half, the animation bar's end and the status bar off the screen.
    The window stays on the screen, the plot in the information panel's tabs where the column cannot hold both. With
    both, the plot in those tabs stood in front and held the column up: the window's smallest was 496 high, past the
    452 that leave room for its title bar; the quiz now sends it behind the information panel for the round."""
    facts = probe(tmp_path, _SHOWN_PROBE, "1600x1000", "2", shown)
    assert facts["dock"] is not None and min(facts["dock"]) > 0, facts
    assert facts["controls_seen"] and all(facts["controls_seen"]), facts
    assert facts.get("plot_seen_after", True), facts  # in front before the round, in front again after it
