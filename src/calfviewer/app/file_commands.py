"""The window's File and Help menus: view files, screenshots, movies, scene export, and the help boxes.

A mixin of :class:`~calfviewer.app.main_window.MainWindow` (why not a widget: these are the window's own commands,
which tests and the menus call as ``window.save_view(...)``); split out so the window module stays wiring. Each
command is one call into a lower layer (the view state's file, ``app/exports.py``), and each dialog asks and then
calls it, a refusal shown as one line in a message box.
"""

from __future__ import annotations

import contextlib
import os
from itertools import zip_longest
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from calfviewer.app import exports
from calfviewer.app.file_dialogs import save_file_name
from calfviewer.app.plain_text import plain
from calfviewer.app.plot_keys import KEYS_TEXT as PLOT_KEYS
from calfviewer.app.quiz_labels import keep_names_hidden
from calfviewer.errors import CalfviewerError
from calfviewer.scene.export import SECTION_NOT_EXPORTED, mtl_note
from calfviewer.scene.movie import MovieCancelled
from calfviewer.viewer.camera import CameraError
from calfviewer.viewer.view_state import Camera, ViewState

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMainWindow

    from calfviewer.anatomy import Catalogue
    from calfviewer.app.animator import Animator
    from calfviewer.app.quiz_panel import QuizPanel
    from calfviewer.app.scene_widget import SceneWidget
    from calfviewer.app.status_notice import StatusNotice
    from calfviewer.app.undo import History
    from calfviewer.app.view_input import ViewInput
    from calfviewer.musculoskeletal import MusculoskeletalModel
    from calfviewer.scene.anatomy_scene import AnatomyScene

    _Window = QMainWindow  # what the commands are mixed into, for the type checker; at run time a plain mixin
else:
    _Window = object

#: The names the keyboard shortcuts list gives the commands whose menu text changes with what they would do.
PLAIN_NAMES = {"undo": "Undo", "redo": "Redo"}

ABOUT_HTML = """
<h3>calfviewer</h3>
<p>The anatomy and mechanics of the human calf in 3D.</p>
<p><b>Model, bones and muscle paths:</b> MyoLeg from the <i>myo-sim</i> package (Apache License 2.0), derived from
Rajagopal A, Dembia C, DeMers M, Delp D, Hicks J, Delp S (2016), Full-body musculoskeletal model for muscle-driven
simulation of human gait, IEEE Trans Biomed Eng 63(10):2068-2079. Kinematics by MuJoCo (Apache License 2.0).</p>
<p><b>Anatomy text:</b> written for calfviewer and checked against Gray's Anatomy, 42nd ed. (Standring, 2020) and
Moore's Clinically Oriented Anatomy, 9th ed.; every structure lists its sources in the info panel.</p>
<p><b>Software:</b> PySide6 (LGPLv3), VTK and PyVista (BSD-3-Clause), pyvistaqt (MIT), trimesh (MIT), imageio and
imageio-ffmpeg (BSD-2-Clause; movies are encoded by the ffmpeg program imageio-ffmpeg bundles, GPLv3), pyqtgraph
(MIT).</p>
<p>calfviewer itself is released under the Apache License 2.0.</p>
"""


class FileCommands(_Window):
    """The File and Help menu commands of :class:`~calfviewer.app.main_window.MainWindow`.

    The window's parts the commands use are declared here (``MainWindow.__init__`` sets them), so a type checker
    reads every command against the window it runs in.
    """

    catalogue: Catalogue
    model: MusculoskeletalModel
    state: ViewState
    scene: AnatomyScene
    plotter: SceneWidget
    view_input: ViewInput
    history: History
    animator: Animator
    notice: StatusNotice
    actions_by_name: dict[str, QAction]
    quiz: QuizPanel
    camera_before_quiz_turn: Camera | None

    def _current_state_for_saving(self) -> ViewState:
        """The state with the camera as the user left it: an orbit or zoom by mouse does not go through the state
        while it happens (that would be a state event per mouse move), so it is taken in when saving."""
        if self.view_input.camera_moved_by_hand:
            # Zoomed out past the range a view may hold: the last camera that fits is kept.
            with contextlib.suppress(CameraError):
                self.state.camera = self.scene.camera_state()
            self.view_input.camera_moved_by_hand = False
        return self.state

    def save_view(self, path: str) -> None:
        """The view as the user left it: a quiz question's own changes (faded layers, a section taken off, the
        camera turned to a patch) are not saved."""
        state = self.quiz.changes.as_the_user_left(self._current_state_for_saving(), self.camera_before_quiz_turn)
        state.save(path, self.model.side)

    def open_view(self, path: str) -> None:
        """Apply a saved view; a bad file changes nothing (the error names the field). A face-on cut made in a
        window of another shape, or with the names off when they are on here (or on), is framed for this window, as
        ``calfviewer render --state`` frames it: labels that do not change do not frame it, and the names went over
        the slice or most were left out. One undoable step."""
        loaded = ViewState.load(path, self.catalogue, side=self.model.side, ranges=self.model.ranges)
        self.bring_back(loaded, f"Open view {os.path.basename(path)}")

    def bring_back(self, loaded: ViewState, step: str) -> None:
        """Show a view brought back (a view file, a bookmark) as one undoable step named ``step``: the playing
        motion paused (its next frame posed the leg over the view's pose), the motion let go (the pose framed as a
        still, as ``render --state`` draws it and a bookmark's thumbnail shows it), a face-on cut framed for this
        window."""
        self.animator.pause()
        keep_names_hidden(self.quiz, loaded, self.statusBar().showMessage)  # not the answer of a quiz question
        with self.history.step(step):
            self.animator.playback.let_go()
            self.state.apply(loaded)
            self.state.camera = self.scene.framed_for_now(self.state.camera)

    def _frame_last_view(self) -> None:
        """The last view's face-on cut framed for this window as :meth:`open_view` frames one, at the first paint:
        before the window is shown its 3D view has no size of its own. Not a step: undo stops at the first view."""
        self.plotter.rendered.disconnect(self._frame_last_view)
        framed = self.scene.framed_for_now(self.state.camera)
        if framed != self.state.camera:
            self.history.flush()
            self.history.apply({"camera": framed})

    def save_view_dialog(self) -> None:
        path = save_file_name(self, "Save view", "view.json", "View files (*.json)")
        if path:
            self._guard(lambda: self.save_view(path), f"Saved view to {path}")

    def open_view_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open view", "", "View files (*.json)")
        if path:
            self._guard(lambda: self.open_view(path), f"Opened view {path}")

    def save_screenshot(self, path: str, scale: int = 1, transparent: bool = False) -> None:
        """Write the picture at ``scale`` times the window, in the format its name asks for (PNG, JPEG or TIFF);
        another suffix, or a transparent JPEG, is refused."""
        exports.save_still(self.scene, path, scale, transparent)

    def screenshot_dialog(self) -> None:
        options = exports.StillOptions(self)
        if options.exec() != QDialog.DialogCode.Accepted:
            return
        scale, transparent = options.chosen()
        path = save_file_name(self, "Save screenshot", "calf.png", exports.IMAGE_FILTER)
        if path:
            self._guard(lambda: self.save_screenshot(path, scale, transparent), f"Saved screenshot to {path}")

    def export_movie(self, path: str, choice: exports.MovieChoice, progress=None) -> str | None:
        """Film ``choice`` from the view as it is now (off screen: the window is not disturbed); returns a note
        when the size was rounded for H.264."""
        return exports.write_window_movie(self.scene, self._current_state_for_saving(), path, choice, progress)[1]

    def export_movie_dialog(self) -> None:
        ratio = self.plotter.devicePixelRatioF()
        size = (round(self.plotter.width() * ratio), round(self.plotter.height() * ratio))
        options = exports.MovieOptions(exports.movie_motions(self.state.selection, self.catalogue), size, self)
        if options.exec() != QDialog.DialogCode.Accepted:
            return
        choice = options.chosen()
        path = save_file_name(self, "Export movie", "calf.mp4", exports.MOVIE_FILTER)
        if not path:
            return
        self.animator.pause()
        dialog, progress = exports.progress_dialog(self, round(choice.seconds * choice.fps))
        try:
            note = self.export_movie(path, choice, progress)
        except MovieCancelled:
            self.statusBar().showMessage("Movie export cancelled; nothing was written", 5000)
            return
        except CalfviewerError as error:
            QMessageBox.warning(self, "calfviewer", plain(str(error)))
            return
        finally:
            dialog.close()
        self.statusBar().showMessage(f"Saved movie to {path}", 5000)
        if note:
            self.notice.show_notice(f"Saved movie to {path}; {note}")

    def export_scene(self, path: str) -> None:
        """The scene as shown (pose, visibility, opacity) as glTF/GLB/OBJ, as ``calfviewer export`` writes it."""
        exports.save_scene(self.scene, self._current_state_for_saving(), path)

    def export_scene_dialog(self) -> None:
        path = save_file_name(self, "Export scene", "calf.glb", exports.SCENE_FILTER)
        if path:
            section = self.state.section
            # A 3D file holds whole structures: a cut the view shows is said, as `calfviewer export` says it; and
            # an OBJ's MTL named otherwise than the OBJ ("my leg.obj" with my_leg.mtl), as its one line says it.
            said = None if section is None else f"the {SECTION_NOT_EXPORTED.format(section=section.describe())}"
            notes = [note for note in (mtl_note(Path(path)), said) if note]
            self._guard(lambda: self.export_scene(path), f"Exported scene to {path}", "; ".join(notes) or None)

    def _guard(self, work, done: str, note: str | None = None) -> None:
        """Do ``work``; then say ``done`` in the status bar, and ``note`` (what the user should know about the
        result) in the notice that stays until dismissed; or the one-line error."""
        try:
            work()
        except CalfviewerError as error:
            QMessageBox.warning(self, "calfviewer", plain(str(error)))
            return
        self.statusBar().showMessage(done, 5000)
        if note:
            self.notice.show_notice(f"{done}; {note}")

    # --- help -------------------------------------------------------------------------------------------------
    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(what, keys) for every command with a shortcut. Undo and Redo by those words alone: their menu text names
        the step they would take back ("Undo Select Soleus"), which the list of keys printed as the command."""
        return [
            (
                PLAIN_NAMES.get(action.objectName(), action.text().replace("&", "")),
                action.shortcut().toString(QKeySequence.SequenceFormat.NativeText),
            )
            for action in self.actions_by_name.values()
            if not action.shortcut().isEmpty()
        ]

    def show_shortcuts(self) -> None:
        """The commands and their keys in two columns, down the first and on down the second. In one, the box
        stood 728 pixels high, more than a 1280 x 720 screen (a 1080p laptop at 150 %) has free with a title bar,
        and its last rows and OK ran off the screen."""
        cell = "<td style='white-space: nowrap'>"  # QMessageBox would wrap the names to fit 500 pixels
        pairs = [f"{cell}{text}</td>{cell}<b>{keys}</b></td>" for text, keys in self.shortcut_rows()]
        half = (len(pairs) + 1) // 2
        gap = "<td width='24'></td>"
        rows = "".join(
            f"<tr>{left}{gap}{right}</tr>" for left, right in zip_longest(pairs[:half], pairs[half:], fillvalue="")
        )
        box = QMessageBox(self)
        box.setWindowTitle("Keyboard shortcuts")
        box.setText(
            "<table cellspacing='4'>" + rows + "</table><p>Mouse: click selects, drag turns, "
            f"right-drag or wheel zooms, middle-drag pans.</p><p>In the Mechanics plot (Tab to it): {PLOT_KEYS}</p>"
        )
        box.open()

    def show_about(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("About calfviewer")
        box.setText(ABOUT_HTML)
        box.open()
