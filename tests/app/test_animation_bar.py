"""The animation bar: at the window's smallest the motion box gives way before the timeline does; new angles in
its readout lay the window out again only when the readout's size changes."""

from __future__ import annotations

import itertools

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QEvent, QObject

from calfviewer.musculoskeletal import Pose

pytestmark = pytest.mark.gui


def test_at_the_smallest_window_the_motion_box_elides_and_the_timeline_keeps_160_pixels(open_window, qtbot, tmp_path):
    """Before, at the window's smallest (996 pixels) the motion box kept a motion's whole name and left the timeline
    about 110 pixels to aim a click at a moment of the motion."""
    window = open_window(tmp_path / "settings.ini")
    window.resize(100, 100)
    qtbot.wait(50)
    bar = window.animation_bar
    assert bar.scrub.width() >= 160, bar.scrub.width()
    combo = bar.motion
    combo.setCurrentIndex(combo.findText("Heel raise (plantarflexion with a slight knee bend)"))  # the longest
    qtbot.wait(20)
    assert bar.scrub.width() >= 160, bar.scrub.width()
    assert combo.shown_text().endswith("…") and combo.width() >= combo.minimumSizeHint().width()
    assert bar.speed.isVisible() and bar.loop.isVisible()  # with the side panels, speed and loop keep their room


class _LayoutRequests(QObject):
    """Counts the layout requests Qt delivers to one widget."""

    def __init__(self, widget) -> None:
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:
            self.count += 1
        return False


def test_new_angles_of_the_same_size_do_not_lay_the_window_out_again(open_window, qtbot, tmp_path):
    """Each frame of playback writes the joint angles into the bar; Qt's label asked its layout again at every new
    text, and each layout its parent's, up to the main window's docks (whose separators were then repainted in a
    turn of the event loop of their own). Now the window is laid out again only when the readout's size changes.

    Counted over poses whose readouts are each a different text of one size hint (plantarflexion 10.0° to 19.0°: the
    same characters but the digits, which the bar's font draws all alike wide, checked here): the window is laid
    out no more often than the readout's size changed (before: once for every new text)."""
    window = open_window(tmp_path / "settings.ini")
    qtbot.wait(200)
    bar = window.animation_bar
    requests = _LayoutRequests(window)
    window.state.pose = Pose(plantarflexion=10.0)  # from neutral, the readout widens by a digit: laid out
    qtbot.waitUntil(lambda: requests.count > 0)
    qtbot.wait(300)
    requests.count = 0
    texts, sizes = [bar.angles.text()], [bar.angles.sizeHint()]
    for angle in range(11, 20):
        window.state.pose = Pose(plantarflexion=float(angle))
        qtbot.wait(30)
        texts.append(bar.angles.text())
        sizes.append(bar.angles.sizeHint())
    assert len(set(texts)) == len(texts), texts  # a new text at every pose
    assert all(str(angle) in text for angle, text in zip(range(10, 20), texts, strict=True))
    changes = sum(a != b for a, b in itertools.pairwise(sizes))
    assert changes <= 1, sizes  # the digits alike wide: the test's poses give the readout one size (or two)
    assert requests.count <= changes, (requests.count, changes)
    # The readout still has the room its text needs, as laid out before.
    metrics = bar.angles.fontMetrics()
    assert bar.angles.width() >= max(metrics.horizontalAdvance(line) for line in bar.angles.text().splitlines())


def test_play_is_a_push_button_named_for_what_pressing_it_does(open_window, qtbot, tmp_path):
    """A screen reader read the Play button as "Play, check box, not checked": it was a checkable button, which Qt
    gives as a check box. It is now a push button, as a media player's is, whose name says what pressing it does:
    "Play" when stopped, "Pause" while the motion plays."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAccessible

    window = open_window(tmp_path / "settings.ini")
    play = window.animation_bar.play
    reader = QAccessible.queryAccessibleInterface(play)
    assert reader.role() in (QAccessible.Role.Button, QAccessible.Role.PushButton), reader.role()
    assert not reader.state().checkable
    assert reader.text(QAccessible.Text.Name) == "Play"
    qtbot.mouseClick(play, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.animator.playing, timeout=2000)
    assert reader.text(QAccessible.Text.Name) == "Pause"
    qtbot.mouseClick(play, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.animator.playing, timeout=2000)
    assert reader.text(QAccessible.Text.Name) == "Play"
