"""The bones' coarse copies are made on a worker thread while the window is idle (scene/coarse_copies.py).

Before, each was made in one of the window's idle pieces, 0.2-0.5 s each, and a click that came meanwhile waited."""

from __future__ import annotations

import threading
import time

from calfviewer.scene import coarse_copies
from calfviewer.scene.actors import COARSE_MIN_TRIANGLES
from calfviewer.scene.anatomy_scene import AnatomyScene
from calfviewer.scene.render import make_plotter
from calfviewer.viewer.view_state import ViewState


def test_the_bones_coarse_copies_are_made_off_the_window_s_thread(geometry, model, catalogue, monkeypatch):
    on_main: list[bool] = []
    make = coarse_copies.coarse_copy

    def recorded(points, faces):
        on_main.append(threading.current_thread() is threading.main_thread())
        return make(points, faces)

    monkeypatch.setattr(coarse_copies, "coarse_copy", recorded)
    plotter = make_plotter((160, 120))
    scene = AnatomyScene(plotter, geometry, model, catalogue, ViewState(catalogue=catalogue), legend=False)
    try:
        deadline = time.monotonic() + 120
        while not scene.prepare_for_interaction():  # one piece per call, as the window's idle time does
            assert time.monotonic() < deadline, "prepare_for_interaction never finished"
            time.sleep(0.002)
        large = [sid for sid in scene.structure_ids if scene.item(sid).locator is not None]
        large = [sid for sid in large if scene.item(sid).poly.n_cells > COARSE_MIN_TRIANGLES]
        assert large and all(scene.item(sid).coarse is not None for sid in large)
        assert on_main == [False] * len(large)
    finally:
        scene.close()
        plotter.close()
