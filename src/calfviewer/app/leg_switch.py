"""Either leg in the window: View > Leg > Right/Left, as ``--side`` chooses it on the command line.

Why the scene is rebuilt rather than mirrored in place: the left leg is its own posed model (MyoLeg's ``_l``
bodies and paths) with its own meshes (``load_scene_geometry`` mirrors the stored right ones), so its lengths and
moment arms are the left model's. What the user made is kept: the view state (selection, visibility, opacity,
pose) is the same object, and the camera and a free section plane are mirrored across the midline, so the same side
of the leg faces the viewer and the same cut shows (a named view is framed for the new leg by the scene); so are
the cameras and sections in the undo history, so undo goes back through views of the leg shown.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Protocol

from calfviewer.anatomy.side import check_side
from calfviewer.geometry import load_scene_geometry
from calfviewer.musculoskeletal import MusculoskeletalModel, shared_model
from calfviewer.scene.anatomy_scene import AnatomyScene
from calfviewer.viewer.camera import Camera, CameraError

if TYPE_CHECKING:
    from calfviewer.anatomy import Catalogue
    from calfviewer.app.animator import Animator
    from calfviewer.app.bookmarks import BookmarkPanel
    from calfviewer.app.plot_dock import PlotDock
    from calfviewer.app.quiz_panel import QuizPanel
    from calfviewer.app.scene_widget import SceneWidget
    from calfviewer.app.section_controls import SectionControls
    from calfviewer.app.undo import History
    from calfviewer.app.view_input import ViewInput
    from calfviewer.viewer.view_state import ViewState
    from calfviewer.viewer.viewer import Viewer


class LegWindow(Protocol):
    """The parts of the window (``MainWindow``) a switch of leg replaces or tells: named here so this module need not
    import the window, which imports it. The first three are replaced; the rest follow the new leg."""

    model: MusculoskeletalModel
    scene: AnatomyScene
    camera_before_quiz_turn: Camera | None

    @property
    def animator(self) -> Animator: ...
    @property
    def bookmarks(self) -> BookmarkPanel: ...
    @property
    def catalogue(self) -> Catalogue: ...
    @property
    def history(self) -> History: ...
    @property
    def names(self) -> str: ...
    @property
    def plot_dock(self) -> PlotDock: ...
    @property
    def plotter(self) -> SceneWidget: ...
    @property
    def quiz(self) -> QuizPanel: ...
    @property
    def section_controls(self) -> SectionControls: ...
    @property
    def state(self) -> ViewState: ...
    @property
    def view_input(self) -> ViewInput: ...
    @property
    def viewer(self) -> Viewer: ...
    def schedule_render(self, *_: object) -> None: ...


def switch_leg(window: LegWindow, side: str) -> bool:
    """Show ``side``'s leg in ``window``, keeping the selection, the pose and the (mirrored) camera; whether the leg
    changed (asking for the leg shown changes nothing)."""
    if check_side(side) == window.model.side:
        return False
    window.animator.pause()
    camera = window.state.camera
    if window.view_input.camera_moved_by_hand:  # an orbit by mouse is not in the state until it is taken in
        with contextlib.suppress(CameraError):
            camera = window.scene.camera_state()
    # A cut seen face on as the Section menu framed it is framed again for the new leg, as a named view is: the
    # mirrored camera is a fraction of a millimetre off the new leg's own (its meshes are not an exact mirror), so
    # switching labels afterwards took it for a camera the user had moved and no longer framed the cut.
    face_on = window.scene.frames_section(camera)  # at this window's shape or another's (a bookmark's)
    highlight = window.scene.attachment_highlight
    stretch = window.scene.colour_by_stretch
    model = shared_model(check_side(side))
    geometry = load_scene_geometry(model)  # before the old scene goes: a missing mesh leaves the window as it was
    window.scene.remove()
    window.model = model
    window.viewer.set_model(model)  # the info panel and the plots follow the new leg's result
    window.scene = AnatomyScene(
        window.plotter, geometry, model, window.catalogue, window.state, names=window.names, viewer=window.viewer
    )
    window.scene.highlight_attachment(highlight)
    window.scene.set_colour_by_stretch(stretch)
    window.plot_dock.set_model(model)  # the mechanics plot sweeps the leg shown
    window.state.camera = camera  # the orbit by mouse taken in, for this leg, before the history mirrors it
    window.view_input.camera_moved_by_hand = False
    window.history.mirror()  # camera and section, now and in the history (a named view the new scene framed)
    if face_on:
        window.history.apply({"camera": window.scene.section_camera()})  # not a step: the same view, this leg
    window.quiz.changes.mirror()  # so does a section a quiz question took off
    if window.camera_before_quiz_turn is not None:  # the camera a quiz question turned from goes back mirrored too
        window.camera_before_quiz_turn = window.camera_before_quiz_turn.mirrored()
    if getattr(window, "section_controls", None) is not None:  # its plane widget and camera follow the new scene
        window.section_controls.set_scene(window.scene)
    window.bookmarks.set_model(model)  # each thumbnail shows its view on this leg, as restoring shows it
    window.schedule_render()
    return True
