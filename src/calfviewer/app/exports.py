"""The window's exports: a sharp still, a movie and a glTF scene, each what the command line writes.

Kept out of ``main_window.py`` so the window only adds menu entries. Everything drawn or written comes from
``scene/``: stills from :meth:`AnatomyScene.screenshot`, movies from :func:`calfviewer.scene.movie.write_movie` on
an off-screen copy of the view (the window stays as the user left it while frames are drawn), scenes from
:func:`calfviewer.scene.export.write_scene`. Only the dialogs (options, file names, progress) are Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QProgressDialog,
    QSpinBox,
    QWidget,
)

from calfviewer.app.file_dialogs import file_types
from calfviewer.files import write_file
from calfviewer.musculoskeletal.motion import MOTIONS, Motion, action_motion
from calfviewer.scene import movie as movies
from calfviewer.scene.export import check_scene_output, write_scene
from calfviewer.scene.outputs import IMAGE_FORMATS, check_output, check_transparency, image_bytes
from calfviewer.viewer.view_state import ViewState

if TYPE_CHECKING:
    from calfviewer.anatomy import Catalogue
    from calfviewer.scene.anatomy_scene import AnatomyScene

STILL_SCALES = (1, 2, 4)
# One choice per type in the Save dialog's "Files of type", so the type chosen says which suffix "calf" gets.
IMAGE_FILTER = file_types(
    (f"{kind} picture", [suffix for suffix, format_ in IMAGE_FORMATS.items() if format_ == kind])
    for kind in dict.fromkeys(IMAGE_FORMATS.values())
)
MOVIE_FILTER = file_types((("MP4 movie", [".mp4"]), ("GIF animation", [".gif"])))
SCENE_FILTER = file_types((("glTF binary", [".glb"]), ("glTF", [".gltf"]), ("Wavefront OBJ", [".obj"])))


# --- stills ---------------------------------------------------------------------------------------------------
def save_still(scene: AnatomyScene, path: str | Path, scale: int = 1, transparent: bool = False) -> Path:
    """The window's picture at ``scale`` times its size, in the format the name asks for (PNG, JPEG or TIFF; a
    transparent background only where the format has alpha); refused in one line before drawing."""
    out = check_output(path, tuple(IMAGE_FORMATS))
    check_transparency(out, transparent)
    write_file(out, image_bytes(scene.screenshot(scale, transparent), out))
    return out


class StillOptions(QDialog):
    """Scale (1x, 2x, 4x of the window) and a transparent background, asked before the file name."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Save screenshot")
        form = QFormLayout(self)
        self.scale = QComboBox(self)
        for scale in STILL_SCALES:
            self.scale.addItem(f"{scale}x the window", scale)
        self.transparent = QCheckBox("Transparent background (PNG or TIFF)", self)
        form.addRow("Size", self.scale)
        form.addRow("", self.transparent)
        _buttons(self, form)

    def chosen(self) -> tuple[int, bool]:
        return int(self.scale.currentData()), self.transparent.isChecked()


# --- movies ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MovieChoice:
    """A movie as chosen in :class:`MovieOptions`: what moves, for how long, how often, how big."""

    motion: Motion
    seconds: float
    fps: int
    size: tuple[int, int]


def movie_motions(selection: str | None, catalogue: Catalogue) -> list[Motion]:
    """The motions offered: the selected structure's action first (as a click plays it), then the animations."""
    offered = []
    if selection is not None:
        action = action_motion(catalogue.get(selection))
        if action is not None:
            offered.append(action)
    return offered + list(MOTIONS.values())


class MovieOptions(QDialog):
    """What to film: a motion, its length, frames per second and size (an MP4 rounds to multiples of 16)."""

    def __init__(self, motions: list[Motion], size: tuple[int, int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export movie")
        form = QFormLayout(self)
        self.motion = QComboBox(self)
        for motion in motions:
            self.motion.addItem(motion.label, motion)
        self.seconds = DecimalBox(self)
        self.seconds.setRange(0.2, movies.MAX_SECONDS)
        self.seconds.setDecimals(1)
        self.fps = QSpinBox(self)
        self.fps.setRange(movies.MIN_FPS, movies.MAX_FPS)
        self.fps.setValue(movies.DEFAULT_FPS)
        self.width_ = _pixels(self, size[0])
        self.height_ = _pixels(self, size[1])
        form.addRow("Motion", self.motion)
        form.addRow("Seconds", self.seconds)
        form.addRow("Frames per second", self.fps)
        form.addRow("Width", self.width_)
        form.addRow("Height", self.height_)
        self.motion.currentIndexChanged.connect(self._motion_changed)
        self._motion_changed()
        _buttons(self, form)

    def _motion_changed(self, *_: object) -> None:
        motion = self.motion.currentData()
        self.seconds.setValue(round(motion.duration, 1))

    def chosen(self) -> MovieChoice:
        seconds, fps = self.seconds.value(), self.fps.value()
        seconds = movies.whole_frames(seconds, fps) / fps  # a whole number of frames, half a frame up
        return MovieChoice(self.motion.currentData(), seconds, fps, (self.width_.value(), self.height_.value()))


def write_window_movie(
    scene: AnatomyScene,
    state: ViewState,
    path: str | Path,
    choice: MovieChoice,
    progress: Callable[[int, int], bool] | None = None,
) -> tuple[Path, str | None]:
    """Draw ``choice`` off screen from a copy of ``state`` (camera, visibility, selection), in the window's names and
    colours, into ``path``; returns (path written, a note when the size was rounded). The window's own view and pose
    are not touched."""
    from calfviewer.scene.anatomy_scene import AnatomyScene
    from calfviewer.scene.render import make_plotter

    out = check_output(path, movies.SUFFIXES)
    size, note = movies.movie_size(f"{choice.size[0]}x{choice.size[1]}", out.suffix.lower())
    timeline = movies.Timeline(choice.motion, *movies.check_timing(choice.seconds, choice.fps))
    movies.check_frames(timeline, out, size)
    copy = ViewState.from_dict(state.to_dict(), scene.catalogue)
    plotter = make_plotter(size)
    try:
        # The names and colours the window shows (its names were left out: a Latin window filmed English labels).
        offscreen = AnatomyScene(plotter, scene.geometry, scene.model, scene.catalogue, copy, names=scene.names)
        offscreen.set_colour_by_stretch(scene.colour_by_stretch)
        try:
            movies.write_movie(offscreen, timeline, out, progress)
        finally:
            offscreen.close()
    finally:
        plotter.close()
    return out, note


def progress_dialog(parent: QWidget, total: int) -> tuple[QProgressDialog, Callable[[int, int], bool]]:
    """A modal progress dialog and the callback that moves it; the callback says False once Cancel is pressed."""
    dialog = QProgressDialog("Drawing frames…", "Cancel", 0, total, parent)
    dialog.setWindowTitle("Export movie")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setValue(0)

    def advance(done: int, total: int) -> bool:
        dialog.setValue(done)
        QApplication.processEvents()  # draw the bar and take the Cancel click
        return not dialog.wasCanceled()

    return dialog, advance


# --- scenes ---------------------------------------------------------------------------------------------------
def save_scene(scene: AnatomyScene, state: ViewState, path: str | Path) -> Path:
    """The scene as shown (pose, visibility, opacity) as glTF, GLB or OBJ, exactly as ``calfviewer export``."""
    out = check_scene_output(path)
    return write_scene(
        out,
        geometry=scene.geometry,
        model=scene.model,
        catalogue=scene.catalogue,
        state=state,
        generator="calfviewer window: File > Export scene",
    )


# --- helpers --------------------------------------------------------------------------------------------------
class DecimalBox(QDoubleSpinBox):
    """A number box that takes a point or a comma as the decimal mark, whatever the desktop's language.

    Qt reads the other mark as a thousands separator and drops it: under a German locale "2.5" seconds became 25.0,
    under an English one "2,5" did, ten times the length asked for and no word said. The box shows no thousands
    separators, and its numbers (seconds of a movie) never reach a thousand, so either mark typed is the decimal one;
    the box shows it in the locale's own mark."""

    def _decimal(self, text: str) -> str:
        mark = self.locale().decimalPoint()
        return text.replace(".", mark).replace(",", mark)

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        return super().validate(self._decimal(text), pos)

    def valueFromText(self, text: str) -> float:
        return super().valueFromText(self._decimal(text))


def _pixels(parent: QWidget, value: int) -> QSpinBox:
    box = QSpinBox(parent)
    box.setRange(64, 4096)
    box.setSingleStep(16)
    box.setValue(value)
    return box


def _buttons(dialog: QDialog, form: QFormLayout) -> None:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
