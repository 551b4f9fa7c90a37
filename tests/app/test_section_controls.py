"""The Section menu's controls in the window: where a free plane starts."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pytestqt")

pytestmark = pytest.mark.gui

#: What a cut through the middle of the calf meets, whichever way it faces.
THROUGH_THE_CALF = {"soleus", "gastrocnemius_medial_head", "tibialis_posterior"}


@pytest.mark.parametrize("view", ["posterior", "anterior", "medial", "lateral"])
def test_a_free_plane_chosen_without_a_cut_goes_through_the_leg(open_window, tmp_path, view):
    """Before, Section > Free plane from the posterior view cut away everything behind the camera's focal point, the
    middle of the framed box, which lies forward of the shin where the foot reaches: the picture kept the patella and
    the tips of the toes and nothing of the calf (the anterior view cut nothing at all of it). The plane still faces
    the camera, and now passes through the calf."""
    win = open_window(tmp_path / "settings.ini")
    win.set_view(view)
    win.scene.render()
    camera = win.plotter.camera
    towards_camera = np.subtract(camera.position, camera.focal_point)
    win.section_controls.actions["free"].trigger()
    section = win.state.section
    assert section.kind == "free"
    normal = np.asarray(section.normal) / np.linalg.norm(section.normal)
    assert normal @ towards_camera == pytest.approx(np.linalg.norm(towards_camera))  # across the view, as before
    assert set(win.scene.section.capped()) >= THROUGH_THE_CALF, sorted(win.scene.section.capped())
