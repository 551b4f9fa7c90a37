"""Cameras are checked when they are made, so one the scene could not apply never reaches VTK (issue 19: a zero
``view_up`` kept as the last view stopped the window on every start)."""

from __future__ import annotations

import math

import pytest

from calfviewer.viewer.camera import Camera, CameraError
from calfviewer.viewer.view_state import ViewFileError, ViewState

GOOD = {"position": (0.0, 1.0, 0.0), "focal_point": (0.0, 0.0, 0.0), "view_up": (0.0, 0.0, 1.0)}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"view_up": (0.0, 0.0, 0.0)}, "view_up"),
        ({"view_up": (0.0, -2.0, 0.0)}, "view_up"),  # along the view direction: no "up" on screen
        ({"view_up": (0.0, 0.0, 10**400)}, "view_up[2]"),
        ({"view_up": (0.0, 0.0, math.nan)}, "view_up[2]"),
        ({"position": (0.0, 0.0, 0.0)}, "position"),
        ({"position": (0.0, 2e6, 0.0)}, "position"),
        ({"focal_point": (math.inf, 0.0, 0.0)}, "focal_point[0]"),
        ({"view_angle": 0.0}, "view_angle"),
        ({"view_angle": 10**400}, "view_angle"),
        ({"parallel_scale": -1.0}, "parallel_scale"),
    ],
)
def test_a_camera_that_cannot_be_applied_is_refused_naming_the_field(change, field):
    with pytest.raises(CameraError) as refused:
        Camera(view=None, **{**GOOD, **change})
    assert refused.value.field == field


def test_a_good_explicit_camera_is_kept_as_floats():
    camera = Camera(view=None, position=(0, 1, 0), focal_point=(0, 0, 0), view_up=(0, 0, 2))
    assert camera.position == (0.0, 1.0, 0.0) and all(isinstance(v, float) for v in camera.view_up or ())


def test_a_view_file_names_the_camera_field(catalogue):
    text = '{"camera": {"position": [0, 1, 0], "focal_point": [0, 0, 0], "view_up": [0, 0, 0]}}'
    with pytest.raises(ViewFileError, match=r"field 'camera\.view_up'"):
        ViewState.from_json(text, catalogue)
