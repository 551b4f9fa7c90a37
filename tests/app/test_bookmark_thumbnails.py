"""Thumbnails of a bookmark file that has none, drawn in the window's idle time: the list shows at once, the event
loop turns between thumbnails, the status bar counts them, and removing, renaming, loading another file or closing
the window meanwhile puts no picture on a row that is not its own."""

from __future__ import annotations

import io

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel

from calfviewer.musculoskeletal import Pose
from calfviewer.scene import bookmarks as store
from calfviewer.viewer.section_plane import Section
from calfviewer.viewer.view_state import ViewState

pytestmark = pytest.mark.gui

#: Views that look unlike each other, so a thumbnail on the wrong row shows.
VIEWS = {
    "Behind": {"camera": "posterior"},
    "In front, knee bent": {"camera": "anterior", "pose": Pose(knee_flexion=60)},
    "Medial, plantarflexed": {"camera": "medial", "pose": Pose(plantarflexion=35)},
    "Lateral, deep layer": {"camera": "lateral", "hidden": "superficial"},
    "Axial cut": {"camera": "posterior", "section": Section("axial", 0.4)},
    "Bones, medial": {"camera": "medial", "hidden": ("superficial", "intermediate", "deep")},
}
OTHERS = {
    "Sagittal cut": {"camera": "medial", "section": Section("sagittal", 0.5)},
    "Lateral, dorsiflexed": {"camera": "lateral", "pose": Pose(plantarflexion=-25)},
}


def _file(folder, name: str, views: dict[str, dict]) -> str:
    """A bookmark file of ``views`` without thumbnails, written with the app's own writer."""
    marks = []
    for title, view in views.items():
        state = ViewState(camera=view["camera"], pose=view.get("pose", Pose()), section=view.get("section"))
        hidden = view.get("hidden", ())
        for layer in (hidden,) if isinstance(hidden, str) else hidden:
            state.set_visible(layer, False)
        marks.append(store.make_bookmark(title, state))
    path = folder / name
    store.save(path, marks)
    return str(path)


def _drawn(panel) -> int:
    return sum(b.thumbnail is not None for b in panel.bookmarks)


def _picture(png: bytes) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)


def _each_row_shows_its_own_view(window) -> None:
    """Every bookmark's thumbnail is the picture restoring that bookmark shows on screen (as a thumbnail drawn when the
    file was loaded was), and nearer to it than to the one any other's restoring shows: no row holds another's."""
    _nearest_to_restoring(window, {b.name: _picture(b.thumbnail) for b in window.bookmarks.bookmarks}, 0.5)


def _nearest_to_restoring(window, pictures: dict, within: float) -> None:
    """Each named picture is nearer to what restoring its bookmark shows than to what any other's shows, and within
    ``within`` of it (mean difference in a channel's 0-255)."""
    restored = {}
    for name in pictures:
        window.bookmarks.restore(name)
        restored[name] = _picture(store.png_thumbnail(window.scene.screenshot()))
    for name, picture in pictures.items():
        distance = {other: np.abs(picture - image).mean() for other, image in restored.items()}
        assert min(distance, key=distance.get) == name and distance[name] < within, (name, distance)


def test_a_file_without_thumbnails_is_listed_at_once_and_drawn_while_the_event_loop_turns(
    study_window, qtbot, tmp_path
):
    """Before, Load… drew every thumbnail before the list showed: 60 views held the event loop 8-25 s, the window
    neither repainted nor closed, and nothing said why. Now the list is there at once, a timer ticking meanwhile sees
    thumbnails drawn one after another with the status bar counting them, and the 3D view is as it was."""
    window, panel = study_window, study_window.bookmarks
    path = _file(tmp_path, "lesson.json", VIEWS)
    state = window.state.to_dict()
    on_screen = window.scene.screenshot()
    progress = window.statusBar().findChild(QLabel, "thumbnail-progress")
    seen: list[tuple[int, str]] = []  # at each tick: the thumbnails drawn, the status bar's count
    ticks = QTimer()
    ticks.setInterval(10)
    ticks.timeout.connect(lambda: seen.append((_drawn(panel), progress.text() if progress.isVisible() else "")))
    ticks.start()
    panel.load(path)
    assert [panel.list.item(n).text() for n in range(panel.list.count())] == list(VIEWS)
    qtbot.waitUntil(lambda: _drawn(panel) == len(VIEWS), timeout=120_000)
    ticks.stop()
    partly = [(drawn, text) for drawn, text in seen if 0 < drawn < len(VIEWS)]
    assert partly, f"the event loop did not turn while the thumbnails were drawn: {seen}"
    assert all(text == f"Drawing thumbnails: {drawn} of {len(VIEWS)}" for drawn, text in partly), partly
    assert not progress.isVisible()  # finished: the count goes
    assert not panel.unsaved  # a drawn picture is no change of the user's: Load… asks nothing
    assert window.state.to_dict() == state
    assert np.array_equal(window.scene.screenshot(), on_screen), "drawing the thumbnails changed the 3D view"
    _each_row_shows_its_own_view(window)


def test_a_bookmark_removed_or_renamed_while_thumbnails_are_drawn_gets_no_other_s_picture(
    study_window, qtbot, tmp_path
):
    """The bookmark being drawn is removed and the next one renamed mid-way: no error, the removed one's picture goes
    to no row, the renamed one keeps its own picture, and so does every other."""
    panel = study_window.bookmarks
    panel.load(_file(tmp_path, "lesson.json", VIEWS))
    qtbot.waitUntil(lambda: 0 < _drawn(panel) < len(VIEWS) - 2, timeout=120_000)
    waiting = [b.name for b in panel.bookmarks if b.thumbnail is None]
    panel.remove(waiting[0])
    panel.rename(waiting[1], "Renamed while drawn")
    names = [b.name for b in panel.bookmarks]
    qtbot.waitUntil(lambda: _drawn(panel) == len(VIEWS) - 1, timeout=120_000)
    assert [b.name for b in panel.bookmarks] == names and "Renamed while drawn" in names
    _each_row_shows_its_own_view(study_window)


def test_another_file_loaded_while_thumbnails_are_drawn_gets_its_own_pictures(study_window, qtbot, tmp_path):
    panel = study_window.bookmarks
    panel.load(_file(tmp_path, "lesson.json", VIEWS))
    qtbot.waitUntil(lambda: 0 < _drawn(panel) < len(VIEWS), timeout=120_000)
    progress = study_window.statusBar().findChild(QLabel, "thumbnail-progress")
    panel.load(_file(tmp_path, "other.json", OTHERS))
    assert progress.text() == f"Drawing thumbnails: 0 of {len(OTHERS)}"  # counted from the new file
    qtbot.waitUntil(lambda: _drawn(panel) == len(OTHERS), timeout=120_000)
    assert [b.name for b in panel.bookmarks] == list(OTHERS)
    _each_row_shows_its_own_view(study_window)


def test_closing_the_window_while_thumbnails_are_drawn_keeps_those_drawn_and_the_next_start_draws_the_rest(
    open_window, qtbot, tmp_path
):
    settings = tmp_path / "settings.ini"
    window = open_window(settings)
    window.bookmarks.load(_file(tmp_path, "lesson.json", VIEWS))
    qtbot.waitUntil(lambda: 0 < _drawn(window.bookmarks) < len(VIEWS), timeout=120_000)
    drawn = {b.name: b.thumbnail for b in window.bookmarks.bookmarks}
    window.close()
    qtbot.wait(200)  # the event loop turns after the close: nothing more is drawn, nothing fails
    kept = store.load(tmp_path / "bookmarks.json")
    assert {b.name: b.thumbnail for b in kept} == drawn
    again = open_window(settings)
    qtbot.waitUntil(lambda: _drawn(again.bookmarks) == len(VIEWS), timeout=120_000)
    assert all(b.thumbnail == drawn[b.name] for b in again.bookmarks.bookmarks if drawn[b.name] is not None)
    _each_row_shows_its_own_view(again)


def test_a_timer_due_during_a_drawing_step_runs_before_the_next_step(qtbot):
    """Qt runs the timers that are due in the order they fell due. The drawing's zero timer, restarted by its own
    firing, fell due when its step began, before any timer that fell due during the step (a playing motion's, the
    window's own), so two steps ran back to back before them: the window's longest wait was two steps (155 ms for
    pyvista's check and then the copy's window), not one. Each step now makes it due from its end."""
    import itertools
    import time

    from PySide6.QtWidgets import QWidget

    from calfviewer.app.bookmark_thumbnails import ThumbnailQueue

    events: list[str] = []
    waiting = [4]

    def steps(next_missing):
        while next_missing() is not None:
            events.append("step")
            time.sleep(0.03)  # a step longer than the other timer's interval: it falls due meanwhile
            waiting[0] -= 1
            yield None

    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    qtbot.waitExposed(parent)
    queue = ThumbnailQueue(steps, lambda: object() if waiting[0] else None, lambda *_: 1, lambda: waiting[0], parent)
    ticker = QTimer(parent)
    ticker.setInterval(5)
    ticker.timeout.connect(lambda: events.append("tick"))
    ticker.start()
    with qtbot.waitSignal(queue.finished, timeout=5000):
        queue.start()
    ticker.stop()
    drawn = [index for index, event in enumerate(events) if event == "step"]
    assert len(drawn) == 4
    assert all("tick" in events[a:b] for a, b in itertools.pairwise(drawn)), events


def _row_pictures(panel) -> dict[str, np.ndarray]:
    """Each row's thumbnail as the list shows it (its icon), by bookmark name."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QImage

    pictures = {}
    for row in range(panel.list.count()):
        item = panel.list.item(row)
        image = item.icon().pixmap(QSize(*store.THUMBNAIL_SIZE)).toImage().convertToFormat(QImage.Format.Format_RGB888)
        assert (image.width(), image.height()) == store.THUMBNAIL_SIZE, f"{item.text()!r} shows no thumbnail"
        line = image.bytesPerLine()
        data = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), line)
        pictures[item.text()] = data[:, : image.width() * 3].reshape(image.height(), image.width(), 3).astype(float)
    return pictures


def _each_row_shows_what_restoring_shows(window) -> None:
    """Every row's picture in the list is the one restoring its bookmark shows on the leg shown now, and nearer to
    it than to any other row's. (The icon as Qt decodes the PNG is within about 2.4 of it in a channel's 0-255,
    where PIL's decoding matches exactly; the other leg's picture of the same view is 20-25 off.)"""
    _nearest_to_restoring(window, _row_pictures(window.bookmarks), 5.0)


def test_after_a_leg_switch_each_thumbnail_shows_the_leg_its_bookmark_restores_on(study_window, qtbot, tmp_path):
    """Before, the thumbnails taken on the right leg stayed in the list after View > Leg > Left: each showed the
    right leg while clicking it showed the left. They are drawn again for the leg shown, the bookmark's own picture
    kept for its own leg (and its file): back on the right leg, the rows show it again."""
    window, panel = study_window, study_window.bookmarks
    window.set_view("medial")
    panel.add("Medial")
    window.state.pose = Pose(knee_flexion=60)
    window.set_view("lateral")
    panel.add("Lateral, knee bent")
    own = {b.name: b.thumbnail for b in panel.bookmarks}
    window.set_side("left")
    qtbot.waitUntil(lambda: not panel.thumbnails.drawing, timeout=120_000)
    _each_row_shows_what_restoring_shows(window)
    assert {b.name: b.thumbnail for b in panel.bookmarks} == own  # what a file keeps: the leg each was made on
    window.set_side("right")
    assert not panel.thumbnails.drawing  # their own pictures: nothing to draw
    _each_row_shows_what_restoring_shows(window)


def test_a_leg_switch_while_thumbnails_are_drawn_draws_the_rest_and_redraws_the_rest_for_the_new_leg(
    study_window, qtbot, tmp_path
):
    """Thumbnails of a file being drawn when the leg switches: those drawn on the old leg are not kept for the new
    one, and none drawn on the old scene lands after the switch."""
    window, panel = study_window, study_window.bookmarks
    panel.load(_file(tmp_path, "lesson.json", VIEWS))
    qtbot.waitUntil(lambda: 0 < _drawn(panel) < len(VIEWS) - 2, timeout=120_000)
    window.set_side("left")
    qtbot.waitUntil(lambda: not panel.thumbnails.drawing, timeout=120_000)
    _each_row_shows_what_restoring_shows(window)
