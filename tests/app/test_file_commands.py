"""The File menu's commands on the window they run in."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("pytestqt")

from calfviewer.errors import CalfviewerError
from calfviewer.musculoskeletal import Pose

pytestmark = pytest.mark.gui

BENT = Pose(plantarflexion=20.0, knee_flexion=45.0, subtalar=0.0, toes=0.0)


def test_a_view_opened_while_a_motion_plays_keeps_its_pose(open_window, qtbot, tmp_path):
    """Before, File > Open view while the animation bar played put the view's pose on the leg for one frame: the
    motion went on and posed the leg over it (knee flexion 45 back to 0 at the next tick). Opening a view stops the
    motion, as the view is what was asked for; a file that cannot be opened changes nothing, the motion included."""
    win = open_window(tmp_path / "settings.ini")
    view = tmp_path / "bent.json"
    view.write_text(json.dumps({"pose": {"plantarflexion": 20, "knee_flexion": 45}}))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"pose": {"knee_flexion": 500}}))
    win.animator.play()
    qtbot.wait(100)
    with pytest.raises(CalfviewerError, match="knee_flexion"):
        win.open_view(str(bad))
    assert win.animator.playing
    win.open_view(str(view))
    qtbot.wait(200)  # a dozen frames of the motion, had it gone on
    assert not win.animator.playing and win.state.pose == BENT
