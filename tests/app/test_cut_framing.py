"""A face-on cut brought back into the window (File > Open view, a bookmark, the last view at start) is framed for
this window, as ``calfviewer render --state`` frames it for its picture."""

from __future__ import annotations

import dataclasses

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings

from calfviewer.scene.bookmarks import make_bookmark
from calfviewer.viewer.section_plane import Section

pytestmark = pytest.mark.gui

#: Where each way in brings the view from.
ENTRANCES = ("view file", "bookmark", "last view")
#: What differs between the window the view was made in and this one: its shape, or the names (the file's say on,
#: its camera was framed with them off; the window's are on already, so switching them frames nothing).
MADE = ("in a window of another shape", "with the names off")


def _made_elsewhere(win, qtbot, made: str, zoom: float | None):
    """The window's view as saved from a face-on axial cut framed in another window (or with the names off), then
    left for the posterior view with labels as the file has them: the cut is not on screen when the view comes
    back."""
    if made == "in a window of another shape":
        win.resize(1000, 850)  # the 3D view narrower than it is high: the slice's framing depends on its width
        qtbot.waitUntil(lambda: win.width() == 1000)
        qtbot.wait(50)
        win.section_controls.actions["axial"].trigger()
    else:
        win.section_controls.actions["axial"].trigger()
        win.state.labels = True  # as if the names were switched on with the camera turned, and turned back after
        win.state.camera = win.scene.section_camera(labels=False)
    if zoom is not None:  # a wheel zoom in a parallel projection changes the scale, not the distance
        win.state.camera = dataclasses.replace(win.state.camera, parallel_scale=win.state.camera.parallel_scale * zoom)
    saved = win.state.to_dict(win.model.side)
    camera = win.state.camera
    if made == "in a window of another shape":
        win.resize(1300, 850)
        qtbot.waitUntil(lambda: win.width() == 1300)
        qtbot.wait(50)
    win.set_view("posterior")
    win.state.section = None
    win.history.flush()
    return saved, camera


def _bring_back(win, open_window, qtbot, tmp_path, entrance: str, saved):
    """The saved view brought back by ``entrance``: the window it is in (a new one for the last view)."""
    from calfviewer.viewer.view_state import ViewState

    state = ViewState.from_dict(saved, win.catalogue, side=win.model.side)
    if entrance == "view file":
        path = tmp_path / "cut.json"
        state.save(path, win.model.side)
        win.open_view(str(path))
        return win
    if entrance == "bookmark":
        win.restore_bookmark(make_bookmark("cut", state, None, win.model.side))
        return win
    settings = tmp_path / "again.ini"
    written = QSettings(str(settings), QSettings.Format.IniFormat)
    written.setValue("view/last", state.to_json(win.model.side))
    written.sync()
    del written
    win.close()
    again = open_window(settings, size=(1300, 850))
    qtbot.waitUntil(lambda: again.plotter.renders > 0)
    qtbot.wait(100)
    return again


@pytest.mark.parametrize("made", MADE)
@pytest.mark.parametrize("entrance", ENTRANCES)
def test_a_face_on_cut_brought_back_is_framed_for_this_window(open_window, qtbot, tmp_path, entrance, made):
    """Before, the camera came back as saved: the labels did not change, so nothing framed the cut again, and the
    names went over a slice framed without room for them (made with them off) or most were left out (made in a
    window of another shape). It is now this window's framing of the cut, with room for the names, as ``render
    --state`` gives it; opening a view file or restoring a bookmark is still one step to undo."""
    win = open_window(tmp_path / "settings.ini", size=(1300, 850))
    win.actions_by_name["labels"].setChecked(True)
    saved, camera = _made_elsewhere(win, qtbot, made, zoom=None)
    before = win.state.camera
    steps = win.history.stack.count()
    win = _bring_back(win, open_window, qtbot, tmp_path, entrance, saved)
    assert win.state.section == Section("axial", 0.35) and win.state.labels
    framed = win.scene.section_camera(labels=True)
    assert camera != framed, "the same framing here: nothing to check"
    assert win.state.camera == framed
    shown = win.plotter.camera  # what the window shows, not only what its state says
    assert shown.position == pytest.approx(framed.position, abs=1e-9)
    assert shown.parallel_scale == pytest.approx(framed.parallel_scale, rel=1e-9)
    if entrance == "last view":
        assert win.history.stack.count() == 0  # the view the session starts with is where undo stops
        return
    assert win.history.stack.count() == steps + 1
    win.history.undo()
    assert win.state.camera == before and win.state.section is None


@pytest.mark.parametrize("entrance", ENTRANCES)
def test_a_cut_the_user_zoomed_comes_back_as_saved(open_window, qtbot, tmp_path, entrance):
    """A face-on camera the user zoomed is the user's: brought back as it was saved, not framed again."""
    win = open_window(tmp_path / "settings.ini", size=(1300, 850))
    win.actions_by_name["labels"].setChecked(True)
    saved, camera = _made_elsewhere(win, qtbot, MADE[0], zoom=0.6)
    win = _bring_back(win, open_window, qtbot, tmp_path, entrance, saved)
    assert win.state.camera == camera
