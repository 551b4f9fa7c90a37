"""The animation bar at the window's smallest: the motion box gives way before the timeline does."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

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
