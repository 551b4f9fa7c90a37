"""The Section menu and toolbar: no cut, axial, sagittal, coronal or a free plane, a slider for where a standard
plane cuts, and a plane widget to drag a free one.

Every control on the toolbar is reached by Tab, in its order there, and named for a screen reader (``toolbar_keys.py``;
Qt's tool buttons take no focus from the keyboard, so the planes were reached only through the Section menu).

Widgets only write ``state.section`` and mirror it (under signal blockers, so nothing echoes back); the scene draws
the cut and its caps while the slider or the widget moves. Choosing a standard plane also turns the camera to look
at the cut face on, since a cut seen edge on shows nothing; both changes are one undoable step.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import numpy as np
from PySide6.QtCore import QObject, QSignalBlocker, Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QLabel, QMenu, QSlider, QToolBar, QWidget
from vtkmodules.vtkInteractionWidgets import vtkImplicitPlaneWidget

from calfviewer.app.button_paint import paint_with_next_frame
from calfviewer.app.slider_groove import show_grooves
from calfviewer.app.toolbar_keys import action_buttons, reach_by_tab
from calfviewer.scene.anatomy_scene import AnatomyScene
from calfviewer.viewer.camera import as_vec3
from calfviewer.viewer.section_plane import DEFAULT_POSITION, SECTION_KINDS, STANDARD_KINDS, Section
from calfviewer.viewer.view_state import Camera, ViewState

#: Slider steps across the leg (a step is 0.1% of it: under half a millimetre along the leg).
SLIDER_STEPS = 1000
#: The plane widget's outline around the framed leg, as a share of its box.
WIDGET_FACTOR = 1.1
WIDGET_COLOR = "#6fb7ff"

LABELS = {
    "none": "No section",
    "axial": "Axial (across the leg)",
    "sagittal": "Sagittal (front to back)",
    "coronal": "Coronal (side to side)",
    "free": "Free plane (drag the widget)",
}


class SectionControls(QObject):
    """Builds the Section menu and toolbar on ``parent`` and keeps them in step with ``state.section``.

    Args:
        state: the view state.
        scene: the scene on the window's plotter (plane placement, cameras, the plane widget's plotter).
        as_one_step: wraps changes that belong together into one undoable step with a name.
    """

    def __init__(
        self,
        state: ViewState,
        scene: AnatomyScene,
        as_one_step: Callable[[str], AbstractContextManager[object]],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.scene = scene
        self._as_one_step = as_one_step
        self._widget: vtkImplicitPlaneWidget | None = (
            None  # the VTK implicit plane widget, made when a free plane is first chosen
        )
        self._moving_widget = False
        self._face_on: Camera | None = None  # the camera face_cut set last
        self.menu = QMenu("Se&ction", parent)
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.actions: dict[str, QAction] = {}
        for kind in ("none", *SECTION_KINDS):
            action = QAction(LABELS[kind], self)
            action.setObjectName(f"section_{kind}")
            action.setCheckable(True)
            action.triggered.connect(lambda _=False, k=kind: self.choose(k))
            self.group.addAction(action)
            self.menu.addAction(action)
            self.actions[kind] = action
        self.menu.addSeparator()
        self.face_action = QAction("Look at the cut face on", self)
        self.face_action.setObjectName("section_face")
        self.face_action.triggered.connect(self.face_cut)
        self.menu.addAction(self.face_action)

        self.toolbar = QToolBar("Section", parent)
        self.toolbar.setObjectName("section")
        self.toolbar.addWidget(QLabel(" Section: ", parent))
        for kind in ("none", *STANDARD_KINDS, "free"):
            self.toolbar.addAction(self.actions[kind])
            button = self.toolbar.widgetForAction(self.actions[kind])
            button.setObjectName(f"section-button-{kind}")
            button.setAccessibleName(LABELS[kind])  # the whole name, not the button's "None" or "Free"
        # A click on a plane is painted in one composition of the window with the cut, not first on its own (the
        # toolbar was ~20 ms slower than the menu: button_paint.py).
        paint_with_next_frame(action_buttons(self.toolbar), self)
        self.actions["none"].setIconText("None")
        for kind in SECTION_KINDS:
            self.actions[kind].setIconText(kind.title())
        self.slider = QSlider(Qt.Orientation.Horizontal, parent)
        self.slider.setObjectName("section-position")
        self.slider.setAccessibleName("Where the plane cuts")
        self.slider.setRange(0, SLIDER_STEPS)
        self.slider.setMinimumWidth(180)
        self.slider.setMaximumWidth(420)
        show_grooves(self.toolbar, [self.slider])  # its groove seen on any palette (slider_groove.py)
        self.slider.setToolTip(
            "Where the plane cuts: knee to ankle (axial), medial to lateral (sagittal), front to back"
        )
        self.slider.valueChanged.connect(self._on_slider)
        self.position_label = QLabel(parent)
        self.position_label.setMinimumWidth(48)
        self.toolbar.addWidget(self.slider)
        self.toolbar.addWidget(self.position_label)
        #: The toolbar's controls in the order Tab visits them, its » button last (the window puts them before the
        #: 3D view they cut).
        self.tab_order = reach_by_tab(
            self.toolbar, [*action_buttons(self.toolbar), self.slider], [], "More section controls"
        )
        state.events.section.connect(self._mirror)
        state.events.labels.connect(self._frame_for_labels)
        self._mirror()

    # --- what the controls do ----------------------------------------------------------------------------------
    def choose(self, kind: str) -> None:
        """Cut with a ``kind`` plane ('none' removes the cut); a standard plane keeps the position it had."""
        current = self.state.section
        if kind == "none":
            self.state.section = None
            return
        if kind == "free":
            self.state.section = self._free_start(current)
            return
        position = current.position if current is not None and current.kind != "free" else DEFAULT_POSITION
        section = Section(kind, position)
        with self._as_one_step(f"Section: {section.describe()}"):
            self.state.section = section
            self.face_cut()

    def face_cut(self) -> None:
        """Turn the camera to look at the cut face on, from the side cut away."""
        camera = self.scene.section_camera()
        if camera is not None:
            self.state.camera = camera
            self._face_on = camera

    def _frame_for_labels(self, labels: bool) -> None:
        """Labels switched while the cut is seen face on as :meth:`face_cut` frames it: framed again, with room
        beside the slice for the names or without it (the same step as the switch: one turn of the event loop).
        A camera the user has turned or zoomed since is left alone. The camera face_cut set last counts as framed
        too: a face-on camera depends on the window's shape and on where the plane cuts, so after a resize or a
        move of the slider it no longer equals the one framed now, and the names were put over the slice. So does
        any face-on framing of this cut (``AnatomyScene.frames_section``): one a bookmark or a view file brought
        from a window of another shape, or from the other leg, was left filling the picture under the names."""
        camera = self.state.camera
        if camera == self._face_on or self.scene.frames_section(camera):
            self.face_cut()

    def _free_start(self, current: Section | None) -> Section:
        """A free plane starts where the cut is now, or across the view through the middle of the picture at the
        depth of the middle of the leg. (Through the camera's focal point it cut nothing of the leg from behind or
        in front: the framed box's middle lies forward of the shin, where the foot reaches, and the posterior view
        kept only the patella and the tips of the toes.)"""
        plane = self.scene.section_plane()
        if plane is not None:
            origin, normal = plane
        else:
            cam = self.scene.plotter.camera
            focal = np.asarray(cam.focal_point, dtype=float)
            normal = np.asarray(cam.position, dtype=float) - focal
            towards = normal / np.linalg.norm(normal)
            origin = focal + float((self.scene.leg_middle() - focal) @ towards) * towards
        return Section.free(as_vec3(origin), as_vec3(normal))

    def _on_slider(self, value: int) -> None:
        current = self.state.section
        if current is not None and current.kind in STANDARD_KINDS:
            self.state.section = Section(current.kind, value / SLIDER_STEPS)

    # --- the plane widget ----------------------------------------------------------------------------------------
    def _on_widget_moved(self, normal: tuple[float, float, float], origin: tuple[float, float, float]) -> None:
        self._moving_widget = True
        try:
            self.state.section = Section.free(as_vec3(origin), as_vec3(normal))
        finally:
            self._moving_widget = False

    def _show_widget(self, section: Section | None) -> None:
        free = section is not None and section.kind == "free"
        if not free:
            if self._widget is not None:
                self._widget.Off()
            return
        assert section is not None and section.origin is not None and section.normal is not None
        if self._widget is None:
            low, high = self.scene.frame_bounds()
            bounds = [low[0], high[0], low[1], high[1], low[2], high[2]]
            # mypy: pyvista wraps this method with functools.wraps, typed (typeshed) without __get__, so as unbound.
            # Lists, not tuples: VTK moves an origin outside the bounds inside them by writing into its argument.
            self._widget = self.scene.plotter.add_plane_widget(
                self._on_widget_moved,  # type: ignore[arg-type]
                normal=list(section.normal),
                origin=list(section.origin),
                bounds=bounds,
                factor=WIDGET_FACTOR,
                color=WIDGET_COLOR,
                interaction_event="always",
                test_callback=False,
            )
        elif not self._moving_widget:
            self._widget.SetNormal(*section.normal)
            self._widget.SetOrigin(*section.origin)
        self._widget.On()

    def set_scene(self, scene: AnatomyScene) -> None:
        """Follow the scene of the other leg (View > Leg): the plane widget, if made, is placed around its leg.

        The old scene took every prop off the renderer, the widget's outline, plane and handles with them, while the
        widget stayed enabled: switched off and on again, it puts them back (before, the free plane lost its widget
        on the other leg and could no longer be moved)."""
        self.scene = scene
        if self._widget is not None:
            self._widget.Off()
            low, high = scene.frame_bounds()
            self._widget.PlaceWidget([low[0], high[0], low[1], high[1], low[2], high[2]])
            self._show_widget(self.state.section)

    @property
    def plane_widget(self):
        """The VTK plane widget (None until a free plane was chosen)."""
        return self._widget

    # --- mirror the state ----------------------------------------------------------------------------------------
    def _mirror(self, *_: object) -> None:
        section = self.state.section
        kind = "none" if section is None else section.kind
        with QSignalBlocker(self.group):
            self.actions[kind].setChecked(True)
        standard = section is not None and section.kind in STANDARD_KINDS
        with QSignalBlocker(self.slider):
            self.slider.setEnabled(standard)
            if standard:
                assert section is not None
                self.slider.setValue(round(section.position * SLIDER_STEPS))
        self.position_label.setText(f"{section.position * 100:.0f}%" if standard and section else "")
        self.face_action.setEnabled(section is not None)
        self._show_widget(section)
