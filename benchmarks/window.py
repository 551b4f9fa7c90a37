"""The window a user holds, measured under Xvfb: click, layer toggle, undo and redo, camera drag, playback, memory.

Run: ``xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python benchmarks/window.py`` (``--pairs``, ``--frames``).

``--everything`` measures the app with what a teacher switches on together (the app's defaults otherwise): labels,
muscles coloured by stretch with their colour bar, an axial section at the slider's default place (its caps) seen
from the posterior view, and the Mechanics plot dock open (it follows the pose while playing); the section is the one
the section rows leave (the first cut is one of the rows). The info panel's
live block and the undo history are on in both configurations; the quiz is left off, as a click in quiz mode
answers a question instead of selecting. The baseline is the same bare window in both configurations.

Every figure stands beside a same-run baseline: a bare ``QMainWindow`` with a pyvistaqt ``QtInteractor`` at the
same 1400x900, drawing the same meshes (every bone placed in the pose, every muscle and tendon) the plain way:
``add_mesh`` with pyvista's defaults and ``plotter.render()`` after a change. The app and the baseline each run in
a fresh process of their own (so resident memory is the window's), in turn, ``--pairs`` times, and each row is the
median over every sample of every run. The ratio is what survives a noisy machine; the absolute figures do not.

What each row times (``perf_counter``, events sent to the render widget as Qt delivers a user's):
- first section: the session's first cut, Section > Axial (the menu's action, as a menu click triggers it), from a
  still window whose idle work after start-up is done, until the end of the first paint after it (baseline: a
  clipping plane added to every mapper, then ``plotter.render()``). One sample per process, so ``--pairs`` in all.
- first sagittal, first coronal: in an app process of their own (a third per pair), the session's first cut being
  Section > Sagittal, then Section > Coronal, each from a still window until the end of the first paint after it: a
  new plane's first cut (its names laid out for the first time with ``--everything``). Baseline: the bare window's
  first cut, and its median cut from the menu. Target: < 100 ms.
- section from the menu, from the toolbar: ``--repeats`` choices each, in turn (menu, toolbar, menu, ...), each of the
  next plane of sagittal, coronal, axial (so each is a new cut), from a still window until the end of the first
  paint after it; the toolbar's by a press and release on the plane's button (``QTest.mouseClick``), timed from the
  press (baseline: the plane moved, then ``plotter.render()``). Target for the three: a click's budget, < 100 ms.
  The default configuration then removes the cut and puts the camera back; ``--everything`` ends on Axial, seen from
  behind.
- click: a left press and release on the soleus, until the end of the first paint of the 3D view after it, with
  the picked structure highlighted (app: selected, its info shown; baseline: the picked actor recoloured).
- layer toggle: hiding the superficial layer (app: the tree's checkbox; baseline: its actors' visibility) until
  the end of the first paint after it.
- undo, redo: a history of ``--repeats`` rounds of five steps a user takes (a structure selected, the superficial
  layer's box in the tree, the timeline moved, the soleus' opacity, a standard view) is taken back with Ctrl+Z one
  step at a time, then done again with Ctrl+Shift+Z, each step from a still window (as a click is) until the end of
  the first paint after it (app: the Edit menu's keys through Qt's shortcut map; baseline: the same changes made the
  plain way, an actor's colour, visibility, opacity, the soft meshes' points or the camera, set back from a list and
  ``plotter.render()``; one round of five steps, as it draws about a frame a second). Target: a click's budget,
  under 100 ms a step, so the key can be held down (a step is a different change from a click, so "no slower than
  the same run's click" failed on noise alone).
- drag: a left-button drag of 60 mouse moves, each followed by one turn of the event loop; frames per second are
  the paints of the 3D view over the drag's time.
- playback: the app's animator playing the plantarflexion motion (its own timer); the baseline poses the model,
  deforms the same soft meshes through our geometry code and sets their points, then ``plotter.render()``, per
  frame; paints per second over ``--seconds``.
- thumbnails: the longest gap between turns of the event loop (a 10 ms timer's ticks) while a bookmark file of 60
  views without thumbnails is loaded and their thumbnails drawn, from Load… until the last is drawn (app: the
  Bookmarks panel's load, the thumbnails drawn in the idle time; baseline: the bare window drawing 60 pictures, one
  ``plotter.render()`` a turn, so its longest gap is one of its renders). Target: about one render of the app's
  window, under 150 ms (the bare window's naive render is several times slower, so its gap is no target).
  The time until all 60 are drawn is printed under the rows.
- RSS: resident memory after the window's first paint (plus a second of idling), and after ``--frames`` playback
  frames.

Not a test: nothing here asserts; tests/ hold the behaviour (one render per change), this file the speed.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

WINDOW = (1400, 900)
CLICK_TARGET = "soleus"
#: The bare window's section planes (its z is up the leg, as its camera's view up says).
BARE_NORMALS = {"sagittal": (1.0, 0.0, 0.0), "coronal": (0.0, 1.0, 0.0), "axial": (0.0, 0.0, 1.0)}


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


class Paints:
    """Counts and times the paints of a pyvistaqt widget class (patched on the class: Qt calls the override)."""

    def __init__(self, widget_class: type) -> None:
        self.ends: list[float] = []
        self.durations: list[float] = []
        original = widget_class.paintGL

        self.inside = False

        def paintGL(widget: Any) -> None:
            start = time.perf_counter()
            self.inside = True
            try:
                original(widget)
            finally:
                self.inside = False
            self.ends.append(time.perf_counter())
            self.durations.append((self.ends[-1] - start) * 1000.0)

        widget_class.paintGL = paintGL

    def first_after(self, start: float) -> float | None:
        return next((end for end in self.ends if end > start), None)


class Harness:
    """One window in this process, with what each row needs to drive it."""

    def __init__(self, kind: str, everything: bool = False) -> None:
        from PySide6.QtWidgets import QApplication

        self.app = QApplication.instance() or QApplication(sys.argv[:1])
        self.kind = kind
        if kind == "app":
            self._make_app()
        else:
            self._make_bare()
        self.window.resize(*WINDOW)
        self.window.show()
        self.wait_idle(1.5)
        self.everything = kind == "app" and everything
        if self.everything:
            self._switch_everything_on()
        self._settle()

    def _switch_everything_on(self) -> None:
        """Labels, colour by stretch and the Mechanics plot, as the menus do (the axial section: :meth:`section_rows`
        or :meth:`cut_for_everything`)."""
        window = self.window
        for name in ("labels", "colour_by_stretch", "mechanics_plot"):
            action = window.actions_by_name[name]
            if not action.isChecked():
                action.trigger()  # as a menu click does (the dock's own toggle action answers a trigger only)
        self.wait_idle(1.5)

    def _settle(self) -> None:
        """Until the window's idle work after start-up is done: the app builds what a click needs a piece at a time
        after its first paints (``prepare_for_interaction``, chained on a timer); the pieces left are built here as
        that timer would, so every row starts from a window a user has had open a few seconds."""
        if self.kind == "app":
            while not self.window.scene.prepare_for_interaction():
                self.wait_idle(0.1)
        self.wait_idle(0.5)

    def cut_for_everything(self) -> None:
        """``--everything``'s axial section, from the Section menu, seen from behind; checks every feature is on."""
        window = self.window
        window.section_controls.actions["axial"].trigger()
        window.set_view("posterior")  # the section turned the camera to the cut face; the rows click from behind
        self.wait_idle(1.5)
        on = window.state.labels and window.scene.colour_by_stretch and window.state.section is not None
        if not (on and window.plot_dock.isVisible() and window.plot_dock.panel is not None):
            raise RuntimeError("--everything: the window did not switch every feature on; the menus have changed")

    # --- the two windows ------------------------------------------------------------------------------------
    def _make_app(self) -> None:
        import tempfile

        from PySide6.QtCore import QSettings
        from pyvistaqt import QtInteractor

        from calfviewer.app.main_window import MainWindow

        self.paints = Paints(QtInteractor)  # the app's widget, a QtInteractor, paints through it too
        handle, ini = tempfile.mkstemp(suffix=".ini")
        os.close(handle)
        self.window = MainWindow(settings=QSettings(ini, QSettings.Format.IniFormat))
        self.window.actions_by_name["play_action_on_click"].setChecked(False)
        self.plotter = self.window.plotter

    def _make_bare(self) -> None:
        import numpy as np
        import pyvista as pv
        from PySide6.QtWidgets import QMainWindow
        from pyvistaqt import QtInteractor

        from calfviewer.anatomy import load_catalogue
        from calfviewer.geometry import load_scene_geometry
        from calfviewer.musculoskeletal import Pose, shared_model
        from calfviewer.scene.gl_driver import configure_gl_driver

        self.paints = Paints(QtInteractor)
        configure_gl_driver()  # the same driver settings as the app, so the comparison is of the drawing
        self.window = QMainWindow()
        self.plotter = QtInteractor(self.window, auto_update=False)
        self.window.setCentralWidget(self.plotter)
        self.model = shared_model("right")
        self.geometry = load_scene_geometry(self.model)
        self.catalogue = load_catalogue()
        self.pose_type = Pose
        result = self.model.pose(Pose())
        self.actors: dict[str, Any] = {}
        self.soft_polys: dict[str, Any] = {}
        for bone_id, mesh in self.geometry.bones.items():
            poly = pv.PolyData.from_regular_faces(np.asarray(mesh.vertices), np.asarray(mesh.faces))
            poly = poly.transform(result.body_transforms[self.geometry.bodies[bone_id]], inplace=False)
            self.actors[bone_id] = self.plotter.add_mesh(poly, color="wheat", render=False)
        points = self.geometry.soft_points(result)
        for soft_id, mesh in self.geometry.soft.items():
            poly = pv.PolyData.from_regular_faces(np.asarray(points[soft_id]), np.asarray(mesh.faces))
            self.soft_polys[soft_id] = poly
            self.actors[soft_id] = self.plotter.add_mesh(poly, color="firebrick", render=False)
        self.plotter.view_vector((0.0, 1.0, 0.0), (0.0, 0.0, 1.0))
        self.plotter.reset_camera()
        self._picker = None
        self._plane: Any = None  # the section rows' clipping plane, made at the first cut

    # --- event loop helpers -----------------------------------------------------------------------------------
    def wait_idle(self, seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            self.app.processEvents()
            time.sleep(0.005)

    def until_painted(self, start: float, done: Callable[[], bool], limit: float = 10.0) -> float:
        """Milliseconds from ``start`` to the end of the first paint after it, once ``done()`` holds."""
        while time.perf_counter() - start < limit:
            self.app.processEvents()
            end = self.paints.first_after(start)
            if end is not None and done():
                return (end - start) * 1000.0
        return float("nan")

    def send_mouse(self, kind: str, x: float, y: float, held: bool) -> None:
        from PySide6.QtCore import QEvent, QPointF, Qt
        from PySide6.QtGui import QMouseEvent

        types = {
            "press": QEvent.Type.MouseButtonPress,
            "release": QEvent.Type.MouseButtonRelease,
            "move": QEvent.Type.MouseMove,
        }
        left = Qt.MouseButton.LeftButton
        button = Qt.MouseButton.NoButton if kind == "move" else left
        buttons = left if held else Qt.MouseButton.NoButton
        point = QPointF(x, y)
        event = QMouseEvent(types[kind], point, point, button, buttons, Qt.KeyboardModifier.NoModifier)
        self.app.sendEvent(self.plotter, event)

    def target_point(self) -> tuple[float, float]:
        """A widget position (logical pixels, y from the top) on the soleus, found by the app's scene."""
        if self.kind == "app":
            x, y = self.window.scene.visible_point(CLICK_TARGET)
        else:
            renderer = self.plotter.renderer
            centre = self.soft_polys[CLICK_TARGET].points.mean(axis=0)
            renderer.SetWorldPoint(*centre, 1.0)
            renderer.WorldToDisplay()
            x, y, _ = renderer.GetDisplayPoint()
        ratio = self.plotter.devicePixelRatioF()
        height = self.plotter.render_window.GetSize()[1]
        return x / ratio, (height - 1 - y) / ratio

    # --- rows -----------------------------------------------------------------------------------------------------
    def click(self) -> float:
        x, y = self.target_point()
        if self.kind == "app":
            self.window.state.select(None)
            self.wait_idle(0.3)
            start = time.perf_counter()
            self.send_mouse("press", x, y, True)
            self.send_mouse("release", x, y, False)
            name = self.window.catalogue.get(CLICK_TARGET).name
            return self.until_painted(
                start, lambda: self.window.state.selection == CLICK_TARGET and name in self.window.info.title.text()
            )
        actor = self.actors[CLICK_TARGET]
        actor.prop.color = "firebrick"
        self.plotter.render()
        self.wait_idle(0.3)
        start = time.perf_counter()
        self.send_mouse("press", x, y, True)
        self.send_mouse("release", x, y, False)
        picked = self._pick_and_colour(x, y)
        return self.until_painted(start, lambda: picked)

    def _pick_and_colour(self, x: float, y: float) -> bool:
        """The plain route's click: pick the actor under the pixel, recolour it, render."""
        from vtkmodules.vtkRenderingCore import vtkPropPicker

        ratio = self.plotter.devicePixelRatioF()
        height = self.plotter.render_window.GetSize()[1]
        picker = vtkPropPicker()
        picker.Pick(x * ratio, height - 1 - y * ratio, 0.0, self.plotter.renderer)
        actor = picker.GetActor()
        if actor is None:
            return False
        actor.GetProperty().SetColor(1.0, 0.85, 0.2)
        self.plotter.render()
        return True

    def toggle(self) -> float:
        from PySide6.QtCore import Qt

        if self.kind == "app":
            item = self.window.tree.item("layer:superficial")
            shown = item.checkState() == Qt.CheckState.Checked
            start = time.perf_counter()
            item.setCheckState(Qt.CheckState.Unchecked if shown else Qt.CheckState.Checked)
            return self.until_painted(start, lambda: self.window.state.layer_visible.get("superficial") != shown)
        superficial = [s.id for s in self.catalogue.structures if s.layer == "superficial" and s.id in self.actors]
        shown = bool(self.actors[superficial[0]].visibility)
        start = time.perf_counter()
        for structure_id in superficial:
            self.actors[structure_id].visibility = not shown
        self.plotter.render()
        return self.until_painted(start, lambda: True)

    # --- sections ----------------------------------------------------------------------------------------------------
    def section_rows(self, repeats: int) -> tuple[list[float], list[float], list[float]]:
        """The first cut, then ``repeats`` choices from the menu and from the toolbar in turn: milliseconds each."""
        camera = self.window.state.camera if self.kind == "app" else self.plotter.camera_position
        first = [self.choose_section("axial", "menu")]
        menu: list[float] = []
        toolbar: list[float] = []
        planes = itertools.cycle(("sagittal", "coronal", "axial"))
        for _ in range(repeats):
            menu.append(self.choose_section(next(planes), "menu"))
            toolbar.append(self.choose_section(next(planes), "toolbar"))
        if self.everything:
            self.cut_for_everything()
        elif self.kind == "app":  # the rows after measure the window as it opened: no cut, the same camera
            self.window.section_controls.actions["none"].trigger()
            self.window.state.camera = camera
        else:
            for actor in self.actors.values():
                actor.mapper.RemoveAllClippingPlanes()
            self._plane = None
            self.plotter.camera_position = camera
            self.plotter.render()
        self.wait_idle(1.0)
        return first, menu, toolbar

    def choose_section(self, kind: str, by: str) -> float:
        """Cut with a ``kind`` plane from a still window, by the Section menu's action or a click on the toolbar's
        button, until the end of the first paint after it (the bare window: its clipping plane moved there)."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        self.wait_idle(0.3)
        if self.kind == "app":
            controls = self.window.section_controls
            state = self.window.state
            start = time.perf_counter()
            if by == "menu":
                controls.actions[kind].trigger()
            else:
                QTest.mouseClick(controls.toolbar.widgetForAction(controls.actions[kind]), Qt.MouseButton.LeftButton)
            return self.until_painted(start, lambda: state.section is not None and state.section.kind == kind)
        start = time.perf_counter()
        self._bare_cut(kind)
        self.plotter.render()
        return self.until_painted(start, lambda: True)

    def _bare_cut(self, kind: str) -> None:
        """The plain way to cut: one VTK plane clipping every mapper (added at the first cut), through the middle of
        the meshes, across the leg (axial), front to back (sagittal) or side to side (coronal)."""
        from vtkmodules.vtkCommonDataModel import vtkPlane

        if self._plane is None:
            self._plane = vtkPlane()
            for actor in self.actors.values():
                actor.mapper.AddClippingPlane(self._plane)
        self._plane.SetOrigin(*self.plotter.center)
        self._plane.SetNormal(*BARE_NORMALS[kind])

    # --- undo and redo ---------------------------------------------------------------------------------------------
    def take_steps(self, rounds: int) -> int:
        """Make ``rounds`` x 5 steps of the kinds a user takes, each in its own event-loop turn (no two in a row change
        the same thing, so none merge); returns how many the app's history holds (the baseline's own list)."""
        if self.kind == "app":
            return self._take_app_steps(rounds)
        return self._take_bare_steps(rounds)

    def _take_app_steps(self, rounds: int) -> int:
        window = self.window
        window.history.reset()
        for n in range(rounds):
            for kind in range(5):
                self._app_step(n, kind)
                self.wait_idle(0.05)  # the history records the turn's change at its end
        self.wait_idle(0.3)
        return window.history.stack.count()

    def _app_step(self, n: int, kind: int) -> None:
        """Round ``n``'s step of ``kind``: a structure selected (or none), the superficial layer's box in the tree,
        the timeline moved, the soleus' opacity, a standard view."""
        from PySide6.QtCore import Qt

        window = self.window
        if kind == 0:
            window.state.select(("tibia", "gastrocnemius_medial_head", "soleus", "tibialis_posterior", None)[n % 5])
        elif kind == 1:
            item = window.tree.item("layer:superficial")
            shown = item.checkState() == Qt.CheckState.Checked
            item.setCheckState(Qt.CheckState.Unchecked if shown else Qt.CheckState.Checked)
        elif kind == 2:
            window.animation_bar.scrub.setValue((150 + 250 * n) % 1000)
        elif kind == 3:
            window.state.set_opacity("soleus", (0.3, 0.6, 1.0)[n % 3])
        else:
            window.set_view(("medial", "lateral", "anterior", "posterior")[n % 4])

    def _take_bare_steps(self, rounds: int) -> int:
        """The same five kinds of change made the plain way, each remembered as the values to set back."""
        self._undo: list[Callable[[], None]] = []
        self._redo: list[Callable[[], None]] = []
        superficial = [s.id for s in self.catalogue.structures if s.layer == "superficial" and s.id in self.actors]
        soft = next(iter(self.soft_polys))

        def change(undo: Callable[[], None], redo: Callable[[], None]) -> None:
            redo()
            self._undo.append(undo)
            self._redo.append(redo)
            self.plotter.render()

        for n in range(rounds):
            actor = self.actors[CLICK_TARGET]
            colour = tuple(actor.prop.color)
            change(
                lambda a=actor, c=colour: setattr(a.prop, "color", c),
                lambda a=actor: setattr(a.prop, "color", "gold"),
            )
            shown = bool(self.actors[superficial[0]].visibility)

            def show(on: bool) -> None:
                for structure_id in superficial:
                    self.actors[structure_id].visibility = on

            change(lambda on=shown: show(on), lambda on=not shown: show(on))
            old_points = {k: poly.points.copy() for k, poly in self.soft_polys.items()}
            new_points = self.geometry.soft_points(self.model.pose(self.pose_type(plantarflexion=5.0 + 5.0 * n)))

            def set_points(points: dict[str, Any]) -> None:
                for structure_id, poly in self.soft_polys.items():
                    poly.points = points[structure_id]

            change(lambda p=old_points: set_points(p), lambda p=new_points: set_points(p))
            soft_actor = self.actors[soft]
            opacity = soft_actor.prop.opacity
            change(
                lambda a=soft_actor, o=opacity: setattr(a.prop, "opacity", o),
                lambda a=soft_actor, o=(0.3, 0.6, 1.0)[n % 3]: setattr(a.prop, "opacity", o),
            )
            camera = self.plotter.camera_position
            turned = [tuple(-v for v in camera[0]), camera[1], camera[2]]
            change(
                lambda c=camera: setattr(self.plotter, "camera_position", c),
                lambda c=turned: setattr(self.plotter, "camera_position", c),
            )
        self._done = len(self._undo)
        self.wait_idle(0.3)
        return len(self._undo)

    def history_step(self, back: bool) -> float:
        """One step back (Ctrl+Z) or forward (Ctrl+Shift+Z) from a still window, until the end of the first paint."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        self.wait_idle(0.3)
        if self.kind == "app":
            stack = self.window.history.stack
            target = stack.index() + (-1 if back else 1)
            keys = Qt.KeyboardModifier.ControlModifier
            if not back:
                keys |= Qt.KeyboardModifier.ShiftModifier
            start = time.perf_counter()
            QTest.keyClick(self.window, Qt.Key.Key_Z, keys)
            return self.until_painted(start, lambda: stack.index() == target)
        start = time.perf_counter()
        if back:
            self._done -= 1
            self._undo[self._done]()
        else:
            self._redo[self._done]()
            self._done += 1
        self.plotter.render()
        return self.until_painted(start, lambda: True)

    def undo_redo(self, rounds: int) -> tuple[list[float], list[float]]:
        """Every step of a new history taken back one at a time, then done again: milliseconds per step."""
        if self.kind == "app":  # Qt's shortcuts need the active window; Xvfb has no window manager to give it
            self.window.raise_()
            self.window.activateWindow()
            end = time.perf_counter() + 5.0
            while not self.window.isActiveWindow() and time.perf_counter() < end:
                self.app.processEvents()
        # The bare window draws about one frame a second: one round (five steps) of its own gives its figure.
        steps = self.take_steps(rounds if self.kind == "app" else 1)
        undone = [self.history_step(back=True) for _ in range(steps)]
        redone = [self.history_step(back=False) for _ in range(steps)]
        for _ in range(steps):  # leave the window as the history found it, for the rows after
            self.history_step(back=True)
        return undone, redone

    def drag_fps(self, moves: int = 60) -> float:
        width, height = self.plotter.width(), self.plotter.height()
        x, y = width * 0.3, height * 0.5
        self.send_mouse("press", x, y, True)
        count_before = len(self.paints.ends)
        start = time.perf_counter()
        for n in range(moves):
            self.send_mouse("move", x + 6 * (n + 1), y, True)
            self.app.processEvents()
        self.send_mouse("release", x + 6 * moves, y, False)
        self.app.processEvents()
        elapsed = time.perf_counter() - start
        return (len(self.paints.ends) - count_before) / elapsed

    def playback(self, seconds: float | None = None, frames: int | None = None) -> float:
        """Frames per second over ``seconds``, or until ``frames`` paints."""
        count_before = len(self.paints.ends)
        start = time.perf_counter()

        def going() -> bool:
            if frames is not None:
                return len(self.paints.ends) - count_before < frames
            return time.perf_counter() - start < (seconds or 0.0)

        if self.kind == "app":
            self.window.animator.play()
            while going():
                self.app.processEvents()
            self.window.animator.pause()
        else:
            t = 0.0
            while going():
                t += 0.05
                self._bare_frame(t)
                self.app.processEvents()
        return (len(self.paints.ends) - count_before) / (time.perf_counter() - start)

    def _bare_frame(self, t: float) -> None:
        import math

        pose = self.pose_type(plantarflexion=25.0 * math.sin(t))
        result = self.model.pose(pose)
        for soft_id, points in self.geometry.soft_points(result).items():
            self.soft_polys[soft_id].points = points
        self.plotter.render()

    def thumbnail_gaps(self, count: int = 60) -> tuple[float, float]:
        """The longest event-loop gap (ms) while ``count`` thumbnails are drawn, and the seconds until all are."""
        from PySide6.QtCore import QTimer

        ticks: list[float] = []
        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
        timer.start()
        self.wait_idle(0.3)
        start = time.perf_counter()
        ticks.append(start)
        if self.kind == "app":
            done = self._load_views_without_thumbnails(count)  # the old window drew them all in here
        else:
            drawn = [0]

            def draw() -> None:
                drawn[0] += 1
                self.plotter.render()

            turns = QTimer()
            turns.setInterval(0)
            turns.timeout.connect(draw)
            turns.start()

            def done() -> bool:
                if drawn[0] < count:
                    return False
                turns.stop()
                return True

        while not done():
            self.app.processEvents()
        end = time.perf_counter()
        self.wait_idle(0.1)
        timer.stop()
        gaps = [b - a for a, b in itertools.pairwise(ticks) if a < end]
        return max(gaps) * 1000.0, end - start

    def _load_views_without_thumbnails(self, count: int) -> Callable[[], bool]:
        """A bookmark file of ``count`` different views without thumbnails (the app's own writer), loaded in the
        Bookmarks panel; returns whether all thumbnails are drawn."""
        import tempfile

        from calfviewer.musculoskeletal import Pose
        from calfviewer.scene import bookmarks as store
        from calfviewer.viewer.section_plane import Section
        from calfviewer.viewer.view_state import ViewState

        marks = []
        for n in range(count):
            state = ViewState(camera=("posterior", "anterior", "medial", "lateral")[n % 4])
            state.pose = Pose(plantarflexion=-20 + (n % 7) * 8, knee_flexion=(n % 5) * 20)
            state.section = Section("axial", 0.2 + (n % 6) * 0.1) if n % 3 == 0 else None
            if n % 4 == 1:
                state.set_visible("superficial", False)
            marks.append(store.make_bookmark(f"View {n + 1}", state))
        path = os.path.join(tempfile.mkdtemp(), "sixty.json")
        store.save(path, marks)
        panel = self.window.bookmarks
        panel.load(path)
        return lambda: all(b.thumbnail is not None for b in panel.bookmarks)

    def close(self) -> None:
        self.window.close()


class Stages:
    """Milliseconds spent in each stage of a frame, for ``--stages``: where a drag or playback frame goes.

    Wraps, on this process's window: the paint (``paintGL``: VTK's render plus the blit into Qt's framebuffer), the
    render alone (the render window's start and end events), and in the app the stages of a pose change (the model's
    pose, the deformation of the soft tissue, their normals, the camera following a named view, the whole of the
    scene's pose update, and the animator's tick around them). What is left of a frame's interval is Qt's: events,
    the other widgets, and composing the GL widget's picture into the window.
    """

    def __init__(self, harness: Harness) -> None:
        self.times: dict[str, list[float]] = {}
        self.harness = harness
        window = harness.plotter.render_window
        started = [0.0]
        window.AddObserver("StartEvent", lambda *_: started.__setitem__(0, time.perf_counter()))
        window.AddObserver("EndEvent", self._rendered)
        self._started = started
        if harness.kind == "app":
            from calfviewer.scene import actors

            app = harness.window
            self._wrap(app.viewer.model, "pose", "pose")
            self._wrap(app.scene.geometry, "soft_points", "deform")
            self._wrap(app.scene, "_apply_camera", "camera")
            self._wrap(app.scene, "_draw_pose", "pose update")
            self._wrap(app.animator.playback, "advance", "tick")
            normals = actors.VertexNormals.__call__
            actors.VertexNormals.__call__ = self._timed("normals", normals)  # type: ignore[method-assign]

    def _rendered(self, *_: object) -> None:
        # The bare window renders outside the paint too (``plotter.render()``, then the paint renders again).
        self._add("render" if self.harness.paints.inside else "render outside paint", self._started[0])

    def _add(self, name: str, start: float) -> None:
        self.times.setdefault(name, []).append((time.perf_counter() - start) * 1000.0)

    def _timed(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self._add(name, start)

        return timed

    def _wrap(self, owner: Any, attribute: str, name: str) -> None:
        setattr(owner, attribute, self._timed(name, getattr(owner, attribute)))

    def measure(self, run: Callable[[], float]) -> dict[str, float]:
        """Per-frame milliseconds of each stage over one ``run`` (a drag or a playback): medians per call, except
        the normals and renders outside a paint (summed, per frame); ``frame`` is the median interval between
        paints, ``Qt and the rest`` what the stages timed here leave of it."""
        paints = self.harness.paints
        self.times.clear()
        before = len(paints.ends)
        run()
        ends = paints.ends[before:]
        frames = max(len(ends), 1)
        summed = ("normals", "render outside paint")
        out = {name: statistics.median(values) for name, values in self.times.items() if name not in summed}
        for name in summed:
            if name in self.times:
                out[name] = sum(self.times[name]) / frames
        out["paint"] = statistics.median(paints.durations[before:]) if paints.durations[before:] else float("nan")
        out["frame"] = statistics.median(b - a for a, b in itertools.pairwise(ends)) * 1000.0 if len(ends) > 1 else 0.0
        outside = out.get("render outside paint", 0.0)
        out["Qt and the rest"] = out["frame"] - out["paint"] - out.get("tick", 0.0) - outside
        return out


def stage_split(kind: str, seconds: float, everything: bool) -> dict[str, Any]:
    harness = Harness(kind, everything)
    if harness.everything:
        harness.cut_for_everything()
    stages = Stages(harness)
    for _ in range(3):  # the state the rows leave: the soleus selected, the superficial layer hidden
        harness.click()
    for _ in range(7):
        harness.toggle()
    harness.wait_idle(1.0)
    harness.drag_fps()
    out = {"drag": stages.measure(harness.drag_fps), "playback": stages.measure(lambda: harness.playback(seconds))}
    harness.close()
    return out


def first_planes(everything: bool) -> dict[str, Any]:
    """An app process whose first cut is sagittal, then coronal: the rows :data:`FIRST_PLANE_ROWS`."""
    harness = Harness("app", everything)
    out = {"sagittal_first": [harness.choose_section("sagittal", "menu")]}
    out["coronal_first"] = [harness.choose_section("coronal", "menu")]
    harness.close()
    return out


def child(kind: str, repeats: int, frames: int, seconds: float, everything: bool) -> dict[str, Any]:
    harness = Harness(kind, everything)
    out: dict[str, Any] = {"rss_start": rss_mb(), "size": list(harness.plotter.render_window.GetSize())}
    out["section_first"], out["section_menu"], out["section_toolbar"] = harness.section_rows(repeats)
    out["click"] = [harness.click() for _ in range(repeats)]
    harness.wait_idle(0.3)
    out["toggle"] = [harness.toggle() for _ in range(repeats)]
    harness.wait_idle(0.3)
    out["undo"], out["redo"] = harness.undo_redo(repeats)
    harness.wait_idle(0.3)
    out["drag"] = [harness.drag_fps() for _ in range(3)]
    harness.wait_idle(0.3)
    out["playback"] = [harness.playback(seconds=seconds) for _ in range(3)]
    harness.playback(frames=frames)
    harness.wait_idle(0.5)
    out["rss_frames"] = rss_mb()
    out["thumbnail_gap"], out["thumbnails_all"] = harness.thumbnail_gaps()
    out["lp_num_threads"] = os.environ.get("LP_NUM_THREADS")
    harness.close()
    return out


ROWS = (
    ("first section (menu) to repainted", "section_first", "ms", "< 100 ms"),
    ("first sagittal (menu) to repainted", "sagittal_first", "ms", "< 100 ms"),
    ("first coronal after it, repainted", "coronal_first", "ms", "< 100 ms"),
    ("section from the menu to repainted", "section_menu", "ms", "< 100 ms"),
    ("section from toolbar to repainted", "section_toolbar", "ms", "< 100 ms"),
    ("click to highlight + info", "click", "ms", "< 100 ms"),
    ("layer toggle to repainted", "toggle", "ms", "< 50 ms"),
    ("undo step to repainted", "undo", "ms", "< 100 ms"),
    ("redo step to repainted", "redo", "ms", "< 100 ms"),
    ("camera drag", "drag", "fps", ">= 20 fps"),
    ("playback", "playback", "fps", ">= 15 fps"),
    ("60 thumbnails: longest loop gap", "thumbnail_gap", "ms", "< 150 ms"),
)


def _met(key: str, value: float) -> bool:
    """Whether a row of :data:`ROWS` meets its target (a section choice, an undo or redo step: a click's budget; the
    thumbnails' longest gap: about one render of the window, 100-140 ms, docs/performance.md)."""
    return {
        "thumbnail_gap": value < 150.0,
        "section_first": value < 100.0,
        "sagittal_first": value < 100.0,
        "coronal_first": value < 100.0,
        "section_menu": value < 100.0,
        "section_toolbar": value < 100.0,
        "click": value < 100.0,
        "toggle": value < 50.0,
        "undo": value < 100.0,
        "redo": value < 100.0,
        "drag": value >= 20.0,
        "playback": value >= 15.0,
    }[key]


def print_stages(runs: dict[str, list[dict[str, Any]]]) -> None:
    """Per-frame stage medians (over the runs' medians), app beside the bare window."""
    for row in ("drag", "playback"):
        names = list(dict.fromkeys(name for kind in runs for run in runs[kind] for name in run[row]))
        print(f"{row} (ms per frame)            app   bare window")
        for name in names:
            values = {
                kind: statistics.median([run[row][name] for run in runs[kind] if name in run[row]] or [float("nan")])
                for kind in ("app", "bare")
            }
            print(f"  {name:22}{values['app']:>10.1f}{values['bare']:>12.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=2, help="app and baseline processes, in turn (default 2)")
    parser.add_argument("--repeats", type=int, default=7, help="clicks and toggles per process (default 7)")
    parser.add_argument("--frames", type=int, default=1000, help="playback frames before the second RSS")
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each playback measurement")
    parser.add_argument(
        "--stages",
        action="store_true",
        help="per-frame milliseconds of each stage of a drag and a "
        "playback frame, app beside the bare window, instead of the rows",
    )
    parser.add_argument(
        "--everything",
        action="store_true",
        help="the app with labels, colour by stretch, an axial section and the Mechanics plot on (the baseline "
        "is the same bare window)",
    )
    parser.add_argument("--child", choices=("app", "bare", "first-planes"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "first-planes":
        print(json.dumps(first_planes(args.everything)))
        return 0
    if args.child:
        if args.stages:
            result = stage_split(args.child, args.seconds, args.everything)
        else:
            result = child(args.child, args.repeats, args.frames, args.seconds, args.everything)
        print(json.dumps(result))
        return 0
    if not os.environ.get("DISPLAY"):
        print("needs a display: run under xvfb-run", file=sys.stderr)
        return 2
    runs: dict[str, list[dict[str, Any]]] = {"app": [], "bare": []}
    for _ in range(args.pairs):
        for kind in ("app", "bare"):
            command = [sys.executable, __file__, "--child", kind, "--repeats", str(args.repeats)]
            command += ["--frames", str(args.frames), "--seconds", str(args.seconds)]
            command += ["--stages"] if args.stages else []
            command += ["--everything"] if args.everything and kind == "app" else []
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            runs[kind].append(json.loads(done.stdout.strip().splitlines()[-1]))
        if not args.stages:  # the first sagittal and coronal cuts, in an app process of their own
            command = [sys.executable, __file__, "--child", "first-planes"]
            command += ["--everything"] if args.everything else []
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            runs["app"][-1].update(json.loads(done.stdout.strip().splitlines()[-1]))
            bare = runs["bare"][-1]  # the bare window's first cut, and its cuts from the menu
            bare["sagittal_first"], bare["coronal_first"] = bare["section_first"], bare["section_menu"]

    def median(kind: str, key: str) -> float:
        values = [v for run in runs[kind] for v in (run[key] if isinstance(run[key], list) else [run[key]])]
        return statistics.median(values)

    if args.stages:
        print_stages(runs)
        return 0
    app, bare = runs["app"][0], runs["bare"][0]
    print(f"3D view: app {app['size'][0]}x{app['size'][1]}, baseline {bare['size'][0]}x{bare['size'][1]} pixels;")
    print(f"LP_NUM_THREADS={app['lp_num_threads']}; {args.pairs} pairs; window {WINDOW[0]}x{WINDOW[1]}")
    configuration = "everything on (labels, stretch colours, axial section, Mechanics plot)"
    print(f"app: {configuration if args.everything else 'default settings'}")
    print(f"{'measure':34}{'app':>12}{'bare window':>14}{'ratio':>8}  {'target':10} ok")
    for name, key, unit, target in ROWS:
        ours, base = median("app", key), median("bare", key)
        ok = "yes" if _met(key, ours) else "NO"
        print(f"{name:34}{ours:>8.1f} {unit:3}{base:>10.1f} {unit:3}{ours / base:>8.2f}  {target:10} {ok}")
    ours, base = median("app", "thumbnails_all"), median("bare", "thumbnails_all")
    drawn = f"{'60 thumbnails: all drawn after':34}{ours:>8.1f} s  {base:>10.1f} s  {ours / base:>8.2f}"
    print(f"{drawn}  (the baseline: 60 renders)")
    for name, key in (("RSS after start", "rss_start"), (f"RSS after {args.frames} frames", "rss_frames")):
        ours, base = median("app", key), median("bare", key)
        ok = "yes" if ours <= 1.3 * base else "NO"
        print(f"{name:34}{ours:>8.1f} MB {base:>10.1f} MB {ours / base:>8.2f}  {'<= 1.3x':10} {ok}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
