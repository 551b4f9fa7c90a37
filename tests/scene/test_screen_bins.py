"""Picks of one picture sorted by the squares of the picture (scene/screen_bins.py): the same answers as a ray cast
against every soft triangle, from a few of them."""

from __future__ import annotations

import numpy as np

from calfviewer.musculoskeletal import Pose
from calfviewer.scene import picking
from calfviewer.viewer.section_plane import Section
from calfviewer.viewer.view_state import Camera


def test_many_picks_of_one_picture_find_what_a_cast_against_every_triangle_finds(scene, monkeypatch):
    # A still layout of the labels picks ~250 times in one picture; each pick cast its ray against every soft
    # triangle. From the picture's BIN_AFTER-th pick on, a pick casts it against those drawn at its pixel's square.
    sizes: list[int] = []
    cast = picking.ray_crossings

    def counted(points: np.ndarray, faces: np.ndarray, near: np.ndarray, far: np.ndarray):
        sizes.append(len(faces))
        return cast(points, faces, near, far)

    monkeypatch.setattr(picking, "ray_crossings", counted)
    width, height = scene.plotter.window_size
    pixels = [(x, y) for x in np.linspace(4.5, width - 4.5, 23) for y in np.linspace(3.5, height - 3.5, 29)]
    try:
        for pose, section, view in (
            (Pose(knee_flexion=60), None, "lateral"),  # the leg across the picture
            (Pose(plantarflexion=20), Section("axial", 0.4), None),  # a cut seen face on: caps and soft tissue
        ):
            scene.state.pose = pose
            scene.state.section = section
            scene.state.camera = scene.section_camera() if view is None else Camera.named(view)
            scene.render()
            monkeypatch.setattr(picking, "BIN_AFTER", 10**9)  # every pick casts against every triangle
            every = [scene.pick(x, y) for x, y in pixels]
            monkeypatch.setattr(picking, "BIN_AFTER", 8)
            sizes.clear()
            sorted_ = [scene.pick(x, y) for x, y in pixels]
            soft = {sid for sid in every if sid is not None and scene.item(sid).body is None}
            assert len(soft) >= 5, f"too few muscles and tendons picked to compare: {soft}"
            wrong = {pixel: (a, b) for pixel, a, b in zip(pixels, every, sorted_, strict=True) if a != b}
            assert not wrong, f"picks that differ when sorted by squares ({view or 'cut'}): {wrong}"
            triangles = len(scene.picker.soft.faces)  # the picture had its first picks above: sorted by squares now
            assert max(sizes) < triangles / 20, f"picks cast against up to {max(sizes)} of the {triangles} triangles"
    finally:
        scene.state.section = None
        scene.state.pose = Pose()
