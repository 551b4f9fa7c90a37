"""Every Save dialog of the window adds the suffix of the type chosen in it, and asks about replacing the file it
will write: a name typed without a suffix ("calf") becomes calf.png, calf.jpg, calf.glb, calf.gltf, calf.svg, ...

Before, Save screenshot, Export movie and Export scene used Qt's static ``getSaveFileName``, which returns "calf" as
typed: each then refused it in a message box ("must end in ..."), the typed name lost. Export curves wrote a file
named ``calf`` with no suffix. Export plot added ``.png`` or ``.svg`` after the dialog had closed, so the dialog asked
about replacing ``calf``, and an existing ``calf.png`` was written over without a question.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtWidgets import QDialog, QMessageBox
from save_dialog import answer_save_dialog

from calfviewer.app import exports
from calfviewer.musculoskeletal.motion import action_motion

pytestmark = pytest.mark.gui

PNG, JPEG, GIF, GLB = b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"glTF"


@pytest.fixture
def window(open_window, tmp_path, monkeypatch):
    """A window whose dialogs open in ``tmp_path``, with every refusal a message box would show recorded in
    ``window.refusals`` instead (an unanswered box would wait forever)."""
    monkeypatch.chdir(tmp_path)
    win = open_window(tmp_path / "settings.ini", (1000, 700))
    win.play_action_on_click = False
    win.refusals = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: win.refusals.append(text))
    return win


def written(folder) -> list[str]:
    """The files in ``folder`` a command wrote (the window's settings file left out)."""
    return sorted(p.name for p in folder.iterdir() if p.suffix != ".ini")


def run_dialog(qtbot, command, name: str, of_type: str | None = None, replace: bool = True) -> list[str]:
    """Run ``command`` (a window's ``..._dialog``), answering its Save dialog in the test's folder (the current
    one); the replace questions it asked."""
    answers = answer_save_dialog(qtbot, Path.cwd(), name, of_type, replace)
    command()
    return answers.questions


def test_a_screenshot_named_without_a_suffix_is_written_in_the_type_chosen(window, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(exports.StillOptions, "exec", lambda self: QDialog.DialogCode.Accepted)
    run_dialog(qtbot, window.screenshot_dialog, "calf")
    run_dialog(qtbot, window.screenshot_dialog, "calf", "jpg")
    run_dialog(qtbot, window.screenshot_dialog, "slide", "tif")
    assert window.refusals == []
    assert written(tmp_path) == ["calf.jpg", "calf.png", "slide.tif"]
    assert (tmp_path / "calf.png").read_bytes().startswith(PNG)
    assert (tmp_path / "calf.jpg").read_bytes().startswith(JPEG)


def test_a_movie_named_without_a_suffix_is_written_in_the_type_chosen(window, qtbot, tmp_path, monkeypatch):
    motion = action_motion(window.catalogue.get("soleus"))
    assert motion is not None
    choice = exports.MovieChoice(motion, 0.4, 5, (64, 80))
    monkeypatch.setattr(exports.MovieOptions, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(exports.MovieOptions, "chosen", lambda self: choice)
    run_dialog(qtbot, window.export_movie_dialog, "calf")
    run_dialog(qtbot, window.export_movie_dialog, "calf", "gif")
    assert window.refusals == []
    assert written(tmp_path) == ["calf.gif", "calf.mp4"]
    assert (tmp_path / "calf.gif").read_bytes().startswith(GIF)
    assert (tmp_path / "calf.mp4").read_bytes()[4:8] == b"ftyp"  # an MP4's first box


def test_a_scene_named_without_a_suffix_is_written_in_the_type_chosen(window, qtbot, tmp_path):
    run_dialog(qtbot, window.export_scene_dialog, "calf")
    run_dialog(qtbot, window.export_scene_dialog, "calf", "gltf")
    run_dialog(qtbot, window.export_scene_dialog, "leg", "obj")
    assert window.refusals == []
    assert written(tmp_path) == ["calf.glb", "calf.gltf", "leg.mtl", "leg.obj"]
    assert (tmp_path / "calf.glb").read_bytes().startswith(GLB)
    assert (tmp_path / "calf.gltf").read_text().lstrip().startswith("{")


@pytest.fixture
def panel(panel, window):
    window.state.select("soleus")
    return panel


def test_the_plots_curves_and_picture_named_without_a_suffix_get_the_type_chosen(window, panel, qtbot, tmp_path):
    run_dialog(qtbot, panel.export_csv_dialog, "calf")
    run_dialog(qtbot, panel.export_image_dialog, "calf")
    run_dialog(qtbot, panel.export_image_dialog, "calf", "svg")
    assert window.refusals == []
    assert written(tmp_path) == ["calf.csv", "calf.png", "calf.svg"]
    assert (tmp_path / "calf.csv").read_text().startswith("plantarflexion,knee_flexion,")
    assert (tmp_path / "calf.png").read_bytes().startswith(PNG)
    assert "<svg" in (tmp_path / "calf.svg").read_text()


def test_the_replace_question_is_about_the_file_that_would_be_written(window, panel, qtbot, tmp_path, monkeypatch):
    """ "mechanics" typed in Export plot, with a mechanics.png there: the question names mechanics.png, and No
    leaves it as it was (before, no question was asked and the picture was written over). The same for a type
    chosen in the dialog, and for the commands of the File menu."""
    kept = {name: f"the user's own {name}".encode() for name in ("mechanics.png", "mechanics.svg", "calf.gltf")}
    for name, data in kept.items():
        (tmp_path / name).write_bytes(data)
    asked = run_dialog(qtbot, panel.export_image_dialog, "mechanics", replace=False)
    asked += run_dialog(qtbot, panel.export_image_dialog, "mechanics", "svg", replace=False)
    asked += run_dialog(qtbot, window.export_scene_dialog, "calf", "gltf", replace=False)
    assert [question.split(" already exists")[0] for question in asked] == list(kept)
    assert all((tmp_path / name).read_bytes() == data for name, data in kept.items())
    assert run_dialog(qtbot, panel.export_image_dialog, "mechanics", replace=True) == [asked[0]]
    assert (tmp_path / "mechanics.png").read_bytes().startswith(PNG)  # Yes replaces it
    assert window.refusals == []


def test_the_plots_exports_say_in_the_status_bar_what_they_wrote(window, panel, qtbot, tmp_path):
    """Before, Export curves and Export plot wrote their file and said nothing, where every command of the File menu
    says "Saved ... to PATH": a teacher could not tell whether the curves had been written, or where."""
    run_dialog(qtbot, panel.export_csv_dialog, "curves")
    assert window.statusBar().currentMessage() == f"Saved the curves to {tmp_path / 'curves.csv'}"
    run_dialog(qtbot, panel.export_image_dialog, "plot", "svg")
    assert window.statusBar().currentMessage() == f"Saved the plot to {tmp_path / 'plot.svg'}"
    assert written(tmp_path) == ["curves.csv", "plot.svg"]
