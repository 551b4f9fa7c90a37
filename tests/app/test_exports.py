"""The window's exports: File > Save screenshot at 2x with a transparent background, File > Export movie (with a
cancellable progress dialog that leaves no file) and File > Export scene (glTF as ``calfviewer export`` writes)."""

from __future__ import annotations

import imageio.v2 as imageio
import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from calfviewer.app import exports, file_commands
from calfviewer.errors import CalfviewerError
from calfviewer.musculoskeletal import Pose
from calfviewer.musculoskeletal.motion import action_motion

pytestmark = pytest.mark.gui


@pytest.fixture
def window(open_window, qtbot, tmp_path):
    win = open_window(tmp_path / "settings.ini", (900, 700))
    qtbot.wait(50)
    win.scene.render()
    return win


def test_a_2x_transparent_screenshot_from_the_window(window, tmp_path):
    path = tmp_path / "sharp.png"
    window.save_screenshot(str(path), scale=2, transparent=True)
    width, height = window.plotter.render_window.GetSize()
    image = np.asarray(Image.open(path))
    assert image.shape == (2 * height, 2 * width, 4)
    assert image[0, 0, 3] == 0 and (image[..., 3] == 255).any()


def test_a_transparent_jpeg_or_an_unknown_suffix_is_refused_from_the_window(window, tmp_path, monkeypatch):
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    for name, transparent in (("x.jpg", True), ("x.bmp", False)):
        # File > Save screenshot…: the options dialog accepted with these choices, then the file dialog's name.
        monkeypatch.setattr(exports.StillOptions, "exec", lambda self: QDialog.DialogCode.Accepted)
        monkeypatch.setattr(exports.StillOptions, "chosen", lambda self, t=transparent: (1, t))
        monkeypatch.setattr(file_commands, "save_file_name", lambda *args, n=name: str(tmp_path / n))
        window.screenshot_dialog()
    assert "JPEG has no transparency" in warnings[0] and "must end in" in warnings[1]
    assert list(tmp_path.glob("x.*")) == []


def soleus_choice(window, size=(64, 80)) -> exports.MovieChoice:
    motion = action_motion(window.catalogue.get("soleus"))
    assert motion is not None
    return exports.MovieChoice(motion, 1.0, 5, size)


def test_export_movie_films_the_view_off_screen_and_leaves_the_window_alone(window, tmp_path):
    window.state.pose = Pose(knee_flexion=20)
    camera_before = window.scene.camera_state()
    path = tmp_path / "soleus.mp4"
    note = window.export_movie(str(path), soleus_choice(window, (70, 80)))
    assert note is not None and "64x80" in note  # 70 rounds to 64 for H.264
    with imageio.get_reader(str(path)) as reader:
        frames = [np.asarray(frame) for frame in reader]
    assert len(frames) == 5 and frames[0].shape == (80, 64, 3)
    assert window.state.pose == Pose(knee_flexion=20)
    assert window.scene.camera_state() == camera_before


def test_a_gif_faster_than_browsers_play_is_refused_from_the_window(window, tmp_path):
    """The dialog offers up to 60 frames per second; a GIF takes at most 50, and the message names the setting, not
    only the command line's option."""
    motion = action_motion(window.catalogue.get("soleus"))
    assert motion is not None
    with pytest.raises(CalfviewerError, match=r"lower the frames per second \(--fps\) to 50"):
        window.export_movie(str(tmp_path / "fast.gif"), exports.MovieChoice(motion, 1.0, 60, (64, 80)))
    assert list(tmp_path.iterdir()) == []


def test_cancelling_the_progress_dialog_leaves_no_file(window, tmp_path, monkeypatch, qtbot):
    path = tmp_path / "cancelled.mp4"
    monkeypatch.setattr(exports.MovieOptions, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(exports.MovieOptions, "chosen", lambda self: soleus_choice(window))
    monkeypatch.setattr(file_commands, "save_file_name", lambda *a, **k: str(path))
    real = exports.progress_dialog
    seen = []

    def press_cancel_after_two(parent, total):
        dialog, advance = real(parent, total)

        def advance_then_cancel(done: int, total: int) -> bool:
            seen.append(done)
            if done == 2:
                dialog.cancel()  # what the Cancel button does
            return advance(done, total)

        return dialog, advance_then_cancel

    monkeypatch.setattr(exports, "progress_dialog", press_cancel_after_two)
    window.export_movie_dialog()
    assert seen == [1, 2]
    assert list(tmp_path.glob("cancelled*")) == [] and list(tmp_path.glob(".cancelled*")) == []
    assert "cancelled" in window.statusBar().currentMessage()


def test_export_scene_writes_the_shown_structures_as_gltf(window, tmp_path):
    import trimesh

    window.state.set_visible("soleus", False)
    path = tmp_path / "scene.glb"
    window.export_scene(str(path))
    loaded = trimesh.load(path)
    assert "calcaneus" in loaded.geometry and "gastrocnemius_medial_head" in loaded.geometry
    assert "soleus" not in loaded.geometry


def test_export_scene_with_a_section_says_the_cut_is_not_in_the_file(window, tmp_path, monkeypatch):
    """The file holds whole structures (no 3D format carries the window's cut): ``calfviewer export`` said so on
    stderr, the window's Export scene said nothing, and the user found a whole leg in Blender."""
    from calfviewer.viewer.section_plane import Section

    path = tmp_path / "cut.glb"
    monkeypatch.setattr(file_commands, "save_file_name", lambda *a, **k: str(path))
    window.export_scene_dialog()
    assert path.exists() and "not exported" not in window.notice.text()  # no cut: nothing to say
    window.state.section = Section("axial", 0.35)
    window.export_scene_dialog()
    said = window.notice.text()
    assert "section (axial at 35%) is not exported" in said and str(path) in said, said


def test_export_scene_to_an_obj_named_with_a_space_names_its_material_file_without_one(window, tmp_path, monkeypatch):
    """File > Export scene shares ``calfviewer export``'s writer: "my leg.obj" wrote ``mtllib my leg.mtl``, two files
    to Blender and MeshLab. Its MTL is now my_leg.mtl, and the notice says so."""
    import trimesh

    path = tmp_path / "my leg.obj"
    monkeypatch.setattr(file_commands, "save_file_name", lambda *a, **k: str(path))
    window.export_scene_dialog()
    header = [line.split() for line in path.read_text().splitlines() if line.startswith("mtllib")]
    assert header == [["mtllib", "my_leg.mtl"]] and (tmp_path / "my_leg.mtl").is_file()
    assert "my_leg.mtl" in window.notice.text() and str(path) in window.notice.text()
    tibia = trimesh.load(path, force="scene").geometry["tibia"]
    assert tibia.visual.material.name == "tibia"


def test_the_movie_options_offer_the_selected_structures_action_first_in_whole_frames(window):
    options = exports.MovieOptions(exports.movie_motions("soleus", window.catalogue), (300, 400), window)
    try:
        options.fps.setValue(7)
        choice = options.chosen()
        assert choice.motion.id == "action:soleus" and choice.size == (300, 400)
        assert choice.seconds * 7 == pytest.approx(round(choice.seconds * 7))  # 1.8 s at 7 fps: 13 frames
        assert exports.movie_motions("tibia", window.catalogue)[0].id == "plantarflexion"  # a bone: no action
    finally:
        options.deleteLater()


@pytest.mark.parametrize(
    ("seconds", "fps", "frames"),
    [(2.5, 5, 13), (0.5, 25, 13), (2.3, 25, 58), (0.2, 1, 1)],
    ids=["2.5s-5fps", "0.5s-25fps", "2.3s-25fps", "under-a-frame"],
)
def test_a_movie_length_half_a_frame_past_a_whole_number_rounds_up(qtbot, seconds, fps, frames):
    """The dialog rounded a length to whole frames with Python's round(), which takes half to the even number: 2.5
    s at 5 fps (12.5 frames) was 12 frames, 2.4 s; and 2.3 s at 25 fps (57.5, computed 57.49999999999999) was 57.
    README: half a frame rounds up, as ``calfviewer movie`` rounds its default length; at least one frame."""
    from calfviewer.anatomy import load_catalogue

    options = exports.MovieOptions(exports.movie_motions(None, load_catalogue()), (320, 240))
    qtbot.addWidget(options)
    options.seconds.setValue(seconds)
    options.fps.setValue(fps)
    assert options.chosen().seconds == pytest.approx(frames / fps)


@pytest.mark.parametrize(
    ("language", "typed"),
    [(QLocale.Language.German, "2.5"), (QLocale.Language.German, "2,5"), (QLocale.Language.English, "2,5")],
)
def test_the_movie_length_takes_a_point_or_a_comma_as_the_decimal_mark(qtbot, language, typed):
    """A German desktop read "2.5" seconds as 25 (the point taken for a thousands separator), an English one "2,5"."""
    from calfviewer.anatomy import load_catalogue

    before = QLocale()
    QLocale.setDefault(QLocale(language, QLocale.Country.AnyCountry))
    try:
        options = exports.MovieOptions(exports.movie_motions(None, load_catalogue()), (320, 240))
        qtbot.addWidget(options)
        options.show()
        edit = options.seconds.lineEdit()
        edit.selectAll()
        qtbot.keyClicks(edit, typed)
        qtbot.keyClick(edit, Qt.Key.Key_Tab)
        assert options.seconds.value() == 2.5
        assert options.seconds.text() == QLocale().toString(2.5, "f", 1)  # shown in the desktop's own mark
    finally:
        QLocale.setDefault(before)


def test_the_still_options_give_the_scale_and_background_chosen(window):
    options = exports.StillOptions(window)
    try:
        assert options.chosen() == (1, False)
        options.scale.setCurrentIndex(2)
        options.transparent.setChecked(True)
        assert options.chosen() == (4, True)
    finally:
        options.deleteLater()


def test_export_movie_names_the_structures_as_the_window_does(window, tmp_path):
    """With View > Latin names on, the window's labels read "Musculus soleus"; its movie's read "Soleus": the
    off-screen scene the frames are drawn in was made with the default names. The frames of a Latin window and of an
    English one differ only in the names, so they must differ."""
    window.state.labels = True
    frames = {}
    for names in ("english", "latin"):
        window.set_names(names)
        path = tmp_path / f"{names}.gif"
        window.export_movie(str(path), exports.MovieChoice(soleus_choice(window).motion, 0.2, 5, (480, 480)))
        frames[names] = np.asarray(imageio.mimread(str(path))[0])
    assert not np.array_equal(frames["english"], frames["latin"])
