"""An origin or insertion clicked in the information panel, where the view cannot show it: the status bar says why."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from calfviewer.viewer.section_plane import Section

pytestmark = pytest.mark.gui


def test_an_attachment_the_view_cannot_show_is_said_when_its_link_is_clicked(study_window, qtbot):
    """Tibialis posterior selected under an axial cut through the calf: its insertion on the navicular lies on the
    side the plane cuts away, and a click on the Insertion link turned the camera to an empty place with not a
    word (seen in the running window, left leg). The status bar now says it is cut away and how to see it, and
    says the same of one on a bone hidden in the tree; one the view shows is turned to in silence."""
    win = study_window
    win.state.select("tibialis_posterior")
    win.state.section = Section("axial", 0.35)
    qtbot.wait(50)
    win.statusBar().clearMessage()
    win.info.attachment_clicked.emit("insertion", 0)
    said = win.statusBar().currentMessage()
    assert "insertion of Tibialis posterior on the Navicular" in said and "cut away by the section" in said
    assert win.state.camera.view is None  # turned to it all the same, as before

    win.state.section = None
    win.state.set_visible("navicular", False)
    win.statusBar().clearMessage()
    win.info.attachment_clicked.emit("insertion", 0)
    said = win.statusBar().currentMessage()
    assert "on the Navicular" in said and "not shown" in said

    win.state.set_visible("navicular", True)
    win.statusBar().clearMessage()
    win.info.attachment_clicked.emit("insertion", 0)
    assert win.statusBar().currentMessage() == ""
