"""Bookmarks and the section controls in the window: a bookmark keeps the view with a thumbnail, one click restores
it (and Ctrl+Z undoes that), files round-trip, a teacher's file without thumbnails gets them drawn, a bad file
changes nothing; the free plane's widget drives the cut."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QDockWidget, QMessageBox

from calfviewer.errors import CalfviewerError
from calfviewer.musculoskeletal import Pose
from calfviewer.scene import bookmarks as store
from calfviewer.viewer.section_plane import Section

pytestmark = pytest.mark.gui


class _Questions:
    """QMessageBox.question answered without a dialog: the texts asked, in order, and the answer given (Cancel
    until a test sets another)."""

    def __init__(self, monkeypatch) -> None:
        self.asked: list[str] = []
        self.answer = QMessageBox.StandardButton.Cancel
        monkeypatch.setattr(QMessageBox, "question", self._ask)

    def _ask(self, _parent, _title, text, *_args):
        self.asked.append(text)
        return self.answer


@pytest.fixture
def window(study_window, qtbot):
    """The study window with its Bookmarks tab in front, as a user brings it before using the list."""
    study_window.findChild(QDockWidget, "bookmarks").raise_()
    qtbot.waitUntil(study_window.bookmarks.isEnabled)
    return study_window


def _click_row(qtbot, panel, row: int) -> None:
    item = panel.list.item(row)
    rect = panel.list.visualItemRect(item)
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_bookmark_restores_its_view_in_one_click_and_undo_goes_back(window, qtbot):
    state, panel = window.state, window.bookmarks
    state.select("soleus")
    state.section = Section("axial", 0.3)
    window.set_view("medial")
    panel.add("Soleus cut")
    assert panel.list.count() == 1 and not panel.list.item(0).icon().isNull()  # the thumbnail decoded
    thumbnail = panel.bookmarks[0].thumbnail
    assert thumbnail is not None and thumbnail.startswith(b"\x89PNG")
    saved = state.to_dict()
    state.select(None)
    state.section = None
    state.pose = Pose(plantarflexion=30)
    window.set_view("lateral")
    window.history.flush()
    changed = state.to_dict()
    _click_row(qtbot, panel, 0)
    assert state.to_dict() == saved
    assert window.history.stack.undoText() == "Restore bookmark 'Soleus cut'"
    assert "soleus" in window.scene.section.capped()
    window.history.undo()
    assert state.to_dict() == changed


def test_bookmarks_save_and_load_as_one_file(window, qtbot, tmp_path):
    panel = window.bookmarks
    panel.add("Posterior")
    window.state.set_visible("superficial", False)
    panel.add("Deep")
    path = tmp_path / "class.json"
    panel.save(str(path))
    data = json.loads(path.read_text())
    assert [b["name"] for b in data["bookmarks"]] == ["Posterior", "Deep"]
    panel.remove("Deep")
    assert panel.list.count() == 1
    panel.load(str(path))
    assert [panel.list.item(n).text() for n in range(panel.list.count())] == ["Posterior", "Deep"]


def teachers_cut(folder):
    """A teacher's bookmark file of one view, an axial cut, with no thumbnail."""
    path = folder / "teacher.json"
    path.write_text(json.dumps({"format": "calfviewer-bookmarks", "version": 1, "bookmarks": [
        {"name": "Cut", "view": {"section": {"kind": "axial", "position": 0.5}}}]}))  # fmt: skip
    return path


def test_a_teachers_file_without_thumbnails_gets_them_drawn(window, qtbot, tmp_path):
    path = tmp_path / "teacher.json"
    path.write_text(json.dumps({"format": "calfviewer-bookmarks", "version": 1, "bookmarks": [
        {"name": "Cut at mid-calf", "view": {"section": {"kind": "axial", "position": 0.5}, "camera": "posterior"}},
        {"name": "Bones only", "view": {"visibility": {"layers": {"superficial": False, "intermediate": False,
                                                                  "deep": False}}}}]}))  # fmt: skip
    before = window.state.to_dict()
    window.bookmarks.load(str(path))
    qtbot.waitUntil(lambda: all(m.thumbnail for m in window.bookmarks.bookmarks), timeout=60_000)  # in idle time
    assert window.state.to_dict() == before  # loading shows the list; it does not change the view
    marks = window.bookmarks.bookmarks
    assert all(m.thumbnail and m.thumbnail.startswith(b"\x89PNG") for m in marks)
    assert marks[0].thumbnail != marks[1].thumbnail
    assert all(not window.bookmarks.list.item(n).icon().isNull() for n in range(2))


@pytest.mark.parametrize(
    ("bad_view", "field"),
    [
        ({"opacity": {"layers": {"deep": 4}}}, "opacity.layers.deep"),
        # Before, an angle outside the model's range passed the file's check and was refused only by the thumbnail
        # drawing, as "knee flexion 500° is out of range" naming neither the file, the bookmark nor the field.
        ({"pose": {"knee_flexion": 500}}, "pose.knee_flexion"),
    ],
)
def test_a_bad_bookmark_file_is_one_message_and_changes_nothing(window, qtbot, tmp_path, monkeypatch, bad_view, field):
    panel = window.bookmarks
    panel.add("Mine")
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps({"format": "calfviewer-bookmarks", "version": 1, "bookmarks": [{"name": "X", "view": bad_view}]})
    )
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)  # not to be asked
    monkeypatch.setattr("calfviewer.app.bookmarks.QFileDialog.getOpenFileName", lambda *args, **kwargs: (str(path), ""))
    panel.load_dialog()
    assert len(warnings) == 1 and field in warnings[0] and "\n" not in warnings[0]
    assert "'bad.json'" in warnings[0] and "(X)" in warnings[0]  # the file and the bookmark
    assert [b.name for b in panel.bookmarks] == ["Mine"] and panel.list.count() == 1


def test_the_free_plane_widget_moves_the_cut_and_the_caps(window, qtbot):
    controls = window.section_controls
    controls.actions["axial"].trigger()
    controls.actions["free"].trigger()
    section = window.state.section
    assert section.kind == "free"
    widget = controls.plane_widget
    assert widget is not None and widget.GetEnabled()
    origin = np.array(section.origin)
    assert np.allclose(widget.GetOrigin(), origin)  # the free plane starts where the axial cut was
    widget.SetOrigin(*(origin + np.array([0.0, 0.0, 0.05])))  # 5 cm up the leg, as a drag of its arrow would
    widget.InvokeEvent("InteractionEvent")
    moved = window.state.section
    assert moved.kind == "free" and moved.origin[2] == pytest.approx(origin[2] + 0.05, abs=1e-6)
    assert "tibia" in window.scene.section.capped()
    controls.actions["none"].trigger()
    assert window.state.section is None and not widget.GetEnabled()
    assert window.scene.section.capped() == ()


def test_bookmarks_are_kept_between_sessions(open_window, qtbot, tmp_path):
    """Before, every bookmark made in the window was lost when it closed unless saved to a file by hand."""
    settings = tmp_path / "settings.ini"
    win = open_window(settings)
    win.bookmarks.add("Posterior")
    win.state.set_visible("superficial", False)
    win.bookmarks.add("Deep")
    made = list(win.bookmarks.bookmarks)
    win.close()
    assert (tmp_path / "bookmarks.json").is_file()  # beside the settings file

    again = open_window(settings)
    assert again.bookmarks.bookmarks == made and again.bookmarks.list.count() == 2
    assert again.bookmarks.unsaved  # kept for the window, not saved to a file of the user's
    again.bookmarks.remove("Posterior")
    again.bookmarks.remove("Deep")
    again.close()
    assert not (tmp_path / "bookmarks.json").exists()


def test_the_first_session_s_bookmarks_are_kept_though_the_settings_folder_is_not_made_yet(
    open_window, qtbot, tmp_path, monkeypatch
):
    """On a first start the settings' folder (~/.config/calfviewer) is not there yet: QSettings makes it when it
    writes, at the close, after the bookmarks were kept. Keeping them failed with "No such file or directory", and
    closing the window asked to discard them or cancel (seen in the running window with a new home folder): a new
    user lost their bookmarks or had to save them by hand. The folder is made for them."""
    settings = tmp_path / "config" / "calfviewer" / "calfviewer.ini"
    win = open_window(settings)
    win.bookmarks.add("Posterior")
    made = list(win.bookmarks.bookmarks)
    asked = []  # what the close asked (answered "close anyway", so a failing test leaves no window open)
    monkeypatch.setattr(
        QMessageBox, "warning", lambda *args: asked.append(args[2]) or QMessageBox.StandardButton.Discard
    )
    win.close()
    assert not asked
    assert (settings.parent / "bookmarks.json").is_file()
    again = open_window(settings)
    assert again.bookmarks.bookmarks == made


def test_an_unreadable_kept_list_is_set_aside_with_a_notice(open_window, qtbot, tmp_path):
    kept = tmp_path / "bookmarks.json"
    kept.write_text("{not json")
    win = open_window(tmp_path / "settings.ini")
    assert "bookmarks could not be read" in win.notice.text() and win.bookmarks.bookmarks == []
    (backup,) = tmp_path.glob("bookmarks.json.unreadable-*.bak")
    assert backup.read_text() == "{not json"  # never lost


def test_a_kept_list_that_became_unreadable_while_the_window_ran_is_set_aside_not_written_over(
    open_window, qtbot, tmp_path
):
    """Before, closing wrote this window's list over a kept file it could not read (one damaged, or written by a
    newer calfviewer meanwhile), and an empty list removed it: the bookmarks in it were lost."""
    win = open_window(tmp_path / "settings.ini")
    win.bookmarks.add("Mine")
    newer = json.dumps({"format": "calfviewer-bookmarks", "version": 2, "bookmarks": []})
    (tmp_path / "bookmarks.json").write_text(newer)
    win.close()
    (backup,) = tmp_path.glob("bookmarks.json.unreadable-*.bak")
    assert backup.read_text() == newer
    assert [b.name for b in open_window(tmp_path / "settings.ini").bookmarks.bookmarks] == ["Mine"]


def test_load_and_add_ask_before_replacing_what_the_user_made(window, qtbot, tmp_path, monkeypatch):
    panel = window.bookmarks
    panel.add("Mine")
    teacher = teachers_cut(tmp_path)
    monkeypatch.setattr("calfviewer.app.bookmarks.QFileDialog.getOpenFileName", lambda *a, **k: (str(teacher), ""))
    questions = _Questions(monkeypatch)  # asked nothing yet; answers Cancel
    panel.load_dialog()
    assert len(questions.asked) == 1 and "not saved to a file" in questions.asked[0]
    assert [b.name for b in panel.bookmarks] == ["Mine"]  # cancelled: nothing replaced
    questions.answer = QMessageBox.StandardButton.Yes
    panel.load_dialog()
    assert [b.name for b in panel.bookmarks] == ["Cut"]
    panel.load_dialog()  # the list is the file's now: nothing to lose, nothing asked
    assert len(questions.asked) == 2

    monkeypatch.setattr("calfviewer.app.bookmarks.QInputDialog.getText", lambda *a, **k: ("Cut", True))
    before = panel.bookmarks[0]
    questions.answer = QMessageBox.StandardButton.Cancel
    panel.add_dialog()
    assert "already named 'Cut'" in questions.asked[-1] and panel.bookmarks == [before]
    questions.answer = QMessageBox.StandardButton.Yes
    window.state.set_visible("superficial", False)
    panel.add_dialog()
    assert [b.name for b in panel.bookmarks] == ["Cut"]
    assert panel.bookmarks[0].view["visibility"]["layers"] == {"superficial": False}


def test_two_windows_on_one_settings_file_keep_both_lists(open_window, qtbot, tmp_path):
    """Before, the window closed last wrote its own list over the other's (or removed the file, if it had none)."""
    settings = tmp_path / "settings.ini"
    first, second = open_window(settings), open_window(settings)
    first.bookmarks.add("made in the first")
    second.bookmarks.add("made in the second")
    first.close()
    second.close()
    again = open_window(settings)
    assert [b.name for b in again.bookmarks.bookmarks] == ["made in the first", "made in the second"]
    other = open_window(settings)
    again.bookmarks.remove("made in the first")  # removed here; the other window changes nothing
    again.close()
    other.close()
    assert [b.name for b in open_window(settings).bookmarks.bookmarks] == ["made in the second"]


def test_a_long_bookmark_name_is_read_whole_in_the_panel(window, qtbot):
    """Before, the list laid each row out as wide as its name: a long name ran off the panel, to be read only by
    scrolling sideways, and one of 80 letters without a space had no way to be read whole. A name now wraps at the
    panel's width; one that cannot wrap is cut in the middle, and its row's tooltip holds every name whole."""
    panel = window.bookmarks
    spaced = "Soleus and both heads of gastrocnemius seen from behind, superficial layer faded, knee bent"[:80]
    unbroken = "x" * 80
    for name in ("Short", spaced, unbroken):
        panel.add(name)
    dock = next(d for d in window.findChildren(QDockWidget) if d.widget() is panel)
    dock.show()
    dock.raise_()
    qtbot.waitUntil(panel.list.isVisible)
    qtbot.wait(50)
    viewport = panel.list.viewport().width()
    rows = [panel.list.item(i) for i in range(panel.list.count())]
    assert panel.list.horizontalScrollBar().maximum() == 0
    assert all(panel.list.visualItemRect(item).right() < viewport for item in rows[:2])  # the third is cut
    short, wrapped = (panel.list.visualItemRect(item).height() for item in rows[:2])
    text_width = viewport - panel.list.iconSize().width()
    if QFontMetrics(panel.list.font()).horizontalAdvance(spaced) > text_width:
        assert wrapped >= short  # on more lines where it needs them, never cut
    assert [item.toolTip().split("\n")[0] for item in rows] == ["Short", spaced, unbroken]


def test_two_windows_bookmarking_under_one_name_keep_both_views(open_window, qtbot, tmp_path):
    """Before, two windows on one settings file that each made a bookmark of the same name (both offer 'View 1'
    for a first bookmark) kept only the one closed last: its view was written over the other's, which was gone
    from the next session without a word. Now the one closed last is kept beside it under a free name."""
    settings = tmp_path / "settings.ini"
    first, second = open_window(settings), open_window(settings)
    first.state.camera, second.state.camera = "medial", "lateral"
    first.bookmarks.add("View 1")
    second.bookmarks.add("View 1")
    first.close()
    second.close()
    kept = open_window(settings).bookmarks.bookmarks
    assert [(b.name, b.view["camera"]) for b in kept] == [("View 1", "medial"), ("View 1 (2)", "lateral")]


def test_a_kept_bookmark_renamed_keeps_its_place_in_the_next_session(open_window, qtbot, tmp_path):
    """Before, a bookmark kept from the last session and renamed came back at the end of the list in the next one:
    the list kept between sessions took the new name for a new bookmark and the old one for one removed."""
    settings = tmp_path / "settings.ini"
    win = open_window(settings)
    for name in ("Posterior", "Medial", "Lateral"):
        win.bookmarks.add(name)
    win.close()
    again = open_window(settings)
    again.bookmarks.rename("Posterior", "Posterior, superficial")
    again.close()
    names = [b.name for b in open_window(settings).bookmarks.bookmarks]
    assert names == ["Posterior, superficial", "Medial", "Lateral"]


def test_merge_kept_takes_this_windows_changes_over_the_file(catalogue):
    from calfviewer.app.bookmarks_kept import merge_kept
    from calfviewer.scene.bookmarks import make_bookmark
    from calfviewer.viewer.view_state import ViewState

    def mark(name: str, view: str) -> object:
        return make_bookmark(name, ViewState(catalogue=catalogue, camera=view))

    a, b, c = mark("A", "medial"), mark("B", "lateral"), mark("C", "anterior")
    b_elsewhere = mark("B", "posterior")
    # Opened with A and B; this window removed A, added C; the file now has A, B changed by another window, and D.
    d = mark("D", "medial")
    assert merge_kept([a, b], [b, c], [a, b_elsewhere, d]) == [b_elsewhere, d, c]
    assert merge_kept([a, b], [a, b], [a, b]) == [a, b]
    assert merge_kept([a], [], [a]) == []  # removed here, untouched elsewhere: gone
    a_renamed = dataclasses.replace(a, name="A2")
    a_renamed_2 = dataclasses.replace(a, name="A2 (2)")
    assert merge_kept([a, b], [a_renamed, b], [a, b, d]) == [a_renamed, b, d]  # renamed here: in its place
    a2_elsewhere = mark("A2", "anterior")  # the new name taken meanwhile by another window: both kept
    assert merge_kept([a, b], [a_renamed, b], [a, b, a2_elsewhere]) == [b, a2_elsewhere, a_renamed_2]
    # Both windows changed B since this one opened it: the other's stays, this one's is kept beside it.
    b_here = mark("B", "anterior")
    b_here_2 = dataclasses.replace(b_here, name="B (2)")
    assert merge_kept([a, b], [a, b_here], [a, b_elsewhere]) == [a, b_elsewhere, b_here_2]
    assert merge_kept([], [b_here], [b_here]) == [b_here]  # the same bookmark on both sides is one bookmark


def test_bookmarks_that_cannot_be_kept_are_not_lost_without_asking(open_window, qtbot, tmp_path, monkeypatch):
    """Before, a bookmark file that could not be written or removed was one line on stderr at best, and an
    OSError from the removal stopped the window closing halfway."""
    win = open_window(tmp_path / "settings.ini")
    win.bookmarks.add("Mine")
    (tmp_path / "bookmarks.json").mkdir()  # whatever stops the write: a folder where the file goes
    asked = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda *args: asked.append(args[2]) or QMessageBox.StandardButton.Cancel
    )
    win.close()
    assert win.isVisible() and len(asked) == 1 and "could not be kept" in asked[0]  # stayed open: Save all… next
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: QMessageBox.StandardButton.Discard)
    win.close()
    assert not win.isVisible()


def test_an_empty_list_that_cannot_remove_the_kept_file_still_closes(open_window, qtbot, tmp_path):
    win = open_window(tmp_path / "settings.ini")
    (tmp_path / "bookmarks.json").mkdir()  # cannot be unlinked as a file
    win.close()  # nothing to lose: no question, and the whole close runs
    assert not win.isVisible()


def test_enter_on_a_bookmark_restores_it_with_its_section_and_hidden_layer(window, qtbot):
    """Without a mouse, a bookmark could be reached (Tab, arrow keys) but not restored: the list acted on clicks
    only, and Enter did nothing. The view restored is the whole of it: the cut, and a layer hidden, in the scene."""
    state, panel = window.state, window.bookmarks
    state.section = Section("axial", 0.4)
    state.set_visible("superficial", False)
    panel.add("Deep cut")
    saved = state.to_dict()
    state.section = None
    state.set_visible("superficial", True)
    state.pose = Pose(knee_flexion=40)
    window.history.flush()
    window.activateWindow()
    panel.list.setFocus()
    qtbot.waitUntil(panel.list.hasFocus)
    panel.list.setCurrentRow(-1)
    qtbot.keyClick(panel.list, Qt.Key.Key_Down)  # the first row becomes current
    assert panel.list.currentRow() == 0
    assert state.to_dict() != saved  # moving to a row restores nothing yet
    qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    assert state.to_dict() == saved
    assert window.history.stack.undoText() == "Restore bookmark 'Deep cut'"
    assert not window.scene.actor("gastrocnemius_medial_head").visibility  # superficial: hidden
    assert window.scene.actor("soleus").visibility and "soleus" in window.scene.section.capped()
    window.history.undo()
    qtbot.keyClick(panel.list, Qt.Key.Key_Enter)  # the keypad's Enter too
    assert state.to_dict() == saved


def test_a_bookmark_is_renamed_in_place_with_f2_keeping_its_view(window, qtbot, monkeypatch):
    """Before, a bookmark could not be renamed: only restored, added again under the new name and the old removed."""
    panel = window.bookmarks
    window.state.select("soleus")
    first = panel.add("Soleus")
    window.state.select("tibialis_anterior")
    panel.add("Front")
    panel.list.setCurrentRow(0)
    monkeypatch.setattr("calfviewer.app.bookmarks.QInputDialog.getText", lambda *a, **k: ("  Soleus, posterior ", True))
    qtbot.keyClick(panel.list, Qt.Key.Key_F2)
    assert [b.name for b in panel.bookmarks] == ["Soleus, posterior", "Front"]  # same place, stripped
    assert panel.bookmarks[0].view == first.view and panel.bookmarks[0].thumbnail == first.thumbnail
    assert panel.list.item(0).text() == "Soleus, posterior"
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *_a: warned.append(text))
    monkeypatch.setattr("calfviewer.app.bookmarks.QInputDialog.getText", lambda *a, **k: ("Front", True))
    panel.list.setCurrentRow(0)
    qtbot.keyClick(panel.list, Qt.Key.Key_F2)  # the other's name: refused, never replacing the other view
    assert warned == ["a bookmark is already named 'Front': choose another name"]
    assert [b.name for b in panel.bookmarks] == ["Soleus, posterior", "Front"]
    panel.restore("Soleus, posterior")
    assert window.state.selection == "soleus"


def test_removing_a_bookmark_no_file_holds_asks_first(window, qtbot, monkeypatch, tmp_path):
    """Before, Remove took a bookmark away at once, with no question and nothing to undo it."""
    panel = window.bookmarks
    panel.add("Mine")
    questions = _Questions(monkeypatch)  # asked nothing yet; answers Cancel
    panel.list.setCurrentRow(0)
    qtbot.keyClick(panel.list, Qt.Key.Key_Delete)
    assert len(questions.asked) == 1 and "'Mine'" in questions.asked[0]
    assert [b.name for b in panel.bookmarks] == ["Mine"]
    questions.answer = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert panel.bookmarks == [] and len(questions.asked) == 2
    panel.add("Saved")
    panel.save(str(tmp_path / "marks.json"))
    panel.list.setCurrentRow(0)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)  # in a file: Load… brings it back, not asked
    assert panel.bookmarks == [] and len(questions.asked) == 2


@pytest.mark.parametrize("restored", ["later", "at once"])
def test_a_bookmark_taken_while_a_motion_is_held_shows_in_its_thumbnail_what_restoring_it_shows(
    window, qtbot, restored
):
    """Before, the thumbnail of a standard view scrubbed in a motion (held still over it: framed on the leg over
    the whole motion) showed that framing, while restoring the bookmark frames its pose as a still (it stores the
    view's name and the pose): the thumbnail promised another picture. It is drawn as restoring shows it, and
    taking it leaves the picture on screen as it was. Restored at once, in the pose the motion left, it let go of
    nothing (no pose was written) and kept the motion's framing: it lets go of the motion as a view file does."""
    import io

    from PIL import Image

    from calfviewer.scene.bookmarks import png_thumbnail

    def camera() -> np.ndarray:
        cam = window.plotter.camera
        return np.array([*cam.position, *cam.focal_point, cam.parallel_scale])

    def picture(png: bytes) -> np.ndarray:
        return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)

    window.state.camera = "medial"
    window.animator.set_motion("knee_flexion")
    window.animator.seek(0.8)
    assert window.animator.playback.watched is not None
    window.history.flush()
    held = camera()
    window.bookmarks.add("Knee bent, medial")
    assert np.abs(camera() - held).max() < 1e-12, "taking the thumbnail moved the picture on screen"
    window.scene.render()
    on_screen = png_thumbnail(window.scene.screenshot())
    if restored == "later":
        window.state.pose = Pose(plantarflexion=30)
        window.set_view("lateral")
        window.history.flush()
    _click_row(qtbot, window.bookmarks, 0)
    assert window.animator.playback.watched is None
    window.scene.render()
    restored = png_thumbnail(window.scene.screenshot())
    thumbnail = window.bookmarks.bookmarks[0].thumbnail
    assert thumbnail is not None
    assert np.abs(picture(on_screen) - picture(restored)).mean() > 2.0, "the same framing: nothing to check"
    assert np.abs(picture(thumbnail) - picture(restored)).mean() < 0.5


def test_a_bookmark_added_past_what_a_file_holds_is_refused_with_what_to_do(open_window, qtbot, tmp_path, monkeypatch):
    """Before, the panel took any number of bookmarks and the window kept them at close whatever their size, while
    the next start read at most 16 MB: past that the list was set aside and came up empty. Now the list stops at
    what a file holds, saying so, and what is kept is read back."""
    settings = tmp_path / "settings.ini"
    win = open_window(settings)
    panel = win.bookmarks
    panel.add("Posterior")
    win.state.camera = "medial"
    panel.add("Medial")
    made = list(panel.bookmarks)
    monkeypatch.setattr(store, "BOOKMARKS_LIMIT", store.file_size(made))  # full: these two and not a byte more
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    monkeypatch.setattr("calfviewer.app.bookmarks.QInputDialog.getText", lambda *a, **k: ("Lateral", True))
    win.state.camera = "lateral"
    panel.add_dialog()
    assert len(warnings) == 1 and "\n" not in warnings[0]
    assert "The bookmark list is full" in warnings[0] and "Remove some, or Save all…" in warnings[0]
    assert panel.bookmarks == made and panel.list.count() == 2
    with pytest.raises(CalfviewerError, match="The bookmark list is full"):
        panel.rename("Medial", "Medial, with the superficial layer faded")  # a longer name takes room too
    panel.rename("Medial", "Inside")  # a shorter one fits
    kept = list(panel.bookmarks)
    win.close()
    assert open_window(settings).bookmarks.bookmarks == kept  # written within the limit, read back whole


def test_a_teachers_file_past_the_limit_with_its_thumbnails_drawn_changes_nothing(window, qtbot, tmp_path, monkeypatch):
    panel = window.bookmarks
    panel.add("Mine")
    path = teachers_cut(tmp_path)
    with monkeypatch.context() as patch:  # the list ("Mine") is past this limit: back to the real one to close
        patch.setattr(store, "BOOKMARKS_LIMIT", path.stat().st_size + 1000)  # fits without its thumbnail only
        with pytest.raises(CalfviewerError, match="With their thumbnails drawn, the file's bookmarks could take"):
            panel.load(str(path))
    assert [b.name for b in panel.bookmarks] == ["Mine"] and panel.list.count() == 1


def test_two_windows_lists_together_past_what_a_file_holds_keep_the_last_ones_own_and_lose_nothing(
    open_window, qtbot, tmp_path, monkeypatch
):
    """Each window's list fits, the two merged at close do not. Before, the window closed last wrote nothing and
    asked: "Old", which it had removed, came back in the next session, and closing anyway lost the two it had made.
    Now it keeps its own list (without "Old"), the other window's that fit, and saves the one that does not fit
    beside the kept file, naming it and that file in one line."""
    settings = tmp_path / "settings.ini"
    start = open_window(settings)
    start.bookmarks.add("Old")
    start.close()
    first, second = open_window(settings), open_window(settings)
    first.state.camera = "anterior"
    first.bookmarks.add("First")
    second.bookmarks.remove("Old")
    second.state.camera = "medial"
    second.bookmarks.add("Second")
    second.state.camera = "lateral"
    second.bookmarks.add("Third")
    limit = max(store.file_size(first.bookmarks.bookmarks), store.file_size(second.bookmarks.bookmarks))
    made_second = list(second.bookmarks.bookmarks)
    assert store.file_size([first.bookmarks.bookmarks[1], *made_second]) > limit  # "First" does not fit with them
    monkeypatch.setattr(store, "BOOKMARKS_LIMIT", limit)
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: said.append(args[2]))
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: pytest.fail(f"asked: {args[2]}"))
    first.close()
    second.close()
    assert not second.isVisible() and len(said) == 1 and "\n" not in said[0], said
    (aside,) = tmp_path.glob("bookmarks-not-kept-*.json")
    assert "1 bookmark another window kept" in said[0] and "'First'" in said[0] and str(aside) in said[0], said[0]
    assert [b.name for b in store.load(aside)] == ["First"]
    assert open_window(settings).bookmarks.bookmarks == made_second  # "Old" stays removed


def test_remove_is_offered_only_with_a_bookmark_chosen_in_the_list(window, qtbot, monkeypatch):
    """Remove was enabled whenever the list held a bookmark, and with none chosen in it (after Add…, Load…, or at
    the start) a click on it did nothing, without a word (seen in the running window after Ctrl+B). It is greyed
    out until a bookmark is chosen, and removes that one then."""
    panel = window.bookmarks
    panel.add("Mine")
    panel.add("Other")
    assert panel.list.currentItem() is None and not panel.remove_button.isEnabled()
    questions = _Questions(monkeypatch)
    questions.answer = QMessageBox.StandardButton.Yes
    panel.list.setCurrentRow(1)
    assert panel.remove_button.isEnabled()
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert [b.name for b in panel.bookmarks] == ["Mine"] and len(questions.asked) == 1
    assert panel.list.currentItem() is None and not panel.remove_button.isEnabled()
