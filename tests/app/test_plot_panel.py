"""The mechanics plot in the window: what it draws equals ``calfviewer measure --json`` at the same pose, its pose
line and the leg move together both ways, and its exports write what is plotted.

Expected numbers come from running ``measure --json`` (the command line), never from the sweep code the panel uses.
"""

from __future__ import annotations

import csv
import json
import xml.dom.minidom
from itertools import combinations

import numpy as np
import pytest

from colour_vision import confused

pytest.importorskip("pytestqt")

from PySide6.QtCore import QByteArray, QEvent, QObject, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QContextMenuEvent, QFontMetricsF, QImage, QPainter, QRegion
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from calfviewer.errors import CalfviewerError
from calfviewer.musculoskeletal import Pose

pytestmark = pytest.mark.gui

MUSCLES = ("soleus", "gastrocnemius_medial_head", "popliteus")


@pytest.fixture
def window(open_window, qtbot, tmp_path):
    win = open_window(tmp_path / "settings.ini", (1400, 900))
    win.play_action_on_click = False
    return win


def measured(run_cli, plantarflexion: float, knee: float) -> dict[str, dict]:
    code, out, err = run_cli("measure", "--plantarflexion", str(plantarflexion), "--knee-flexion", str(knee), "--json")
    assert code == 0, err
    return {muscle["id"]: muscle for muscle in json.loads(out)["muscles"]}


def value_at(panel, muscle_id: str, angle: float) -> float:
    x, y = panel.curves()[muscle_id]
    (index,) = np.flatnonzero(np.isclose(x, angle, atol=1e-9))
    return float(y[index])


def activate(window, qtbot) -> None:
    """Shortcuts need the active window; Xvfb has no window manager, so ask for it and wait until it is granted."""
    window.raise_()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)


def test_the_dock_starts_hidden_and_the_view_menu_shows_it(window, qtbot):
    assert not window.plot_dock.isVisible() and window.plot_dock.panel is None  # pyqtgraph not loaded at start
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert window.actions_by_name["mechanics_plot"] in view_menu.actions()
    activate(window, qtbot)
    qtbot.keyClick(window, Qt.Key.Key_G)
    qtbot.waitUntil(lambda: window.plot_dock.isVisible())
    assert window.plot_dock.panel is not None
    qtbot.keyClick(window, Qt.Key.Key_G)
    qtbot.waitUntil(lambda: not window.plot_dock.isVisible())


@pytest.mark.parametrize(
    ("joint", "held", "angles"),
    [
        ("ankle", Pose(knee_flexion=30.0), (-30.0, -12.5, 0.0, 17.0, 40.0)),
        ("knee", Pose(plantarflexion=-10.0), (0.0, 45.5, 120.0)),
    ],
)
def test_the_plotted_values_are_what_measure_prints(window, panel, run_cli, joint, held, angles):
    window.state.pose = held
    panel.set_axis(joint)
    for muscle_id in MUSCLES:
        window.state.select(muscle_id)  # as a click in the tree or the 3D view does
    assert panel.muscles == list(MUSCLES)
    neutral = measured(run_cli, 0, 0)
    for angle in angles:
        pose = {"plantarflexion": held.plantarflexion, "knee_flexion": held.knee_flexion}
        pose["plantarflexion" if joint == "ankle" else "knee_flexion"] = angle
        expected = measured(run_cli, pose["plantarflexion"], pose["knee_flexion"])
        for key, scale, tolerance in (
            ("length", 100.0, 1e-4),  # cm; measure prints micrometres
            ("moment_arm_ankle", 1000.0, 1e-3),  # mm
            ("moment_arm_knee", 1000.0, 1e-3),
        ):
            panel.set_quantity(key)
            for muscle_id in MUSCLES:
                assert value_at(panel, muscle_id, angle) == pytest.approx(
                    expected[muscle_id][key] * scale, abs=tolerance
                ), (joint, angle, muscle_id, key)
        panel.set_quantity("normalised_length")
        for muscle_id in MUSCLES:
            ratio = expected[muscle_id]["length"] / neutral[muscle_id]["length"]
            assert value_at(panel, muscle_id, angle) == pytest.approx(ratio, abs=1e-5)


def click_tree_row(window, qtbot, structure_id: str) -> None:
    """A real click on a structure's row in the structure tree."""
    tree = window.tree
    index = tree.item(structure_id).index()
    tree.view.scrollTo(index)
    rect = tree.view.visualRect(index)
    qtbot.mouseClick(tree.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())


def test_curves_take_the_muscles_colours_and_are_named_in_the_legend(window, panel, qtbot):
    click_tree_row(window, qtbot, "soleus")  # from the tree
    assert window.state.selection == "soleus"
    window.select_and_act("plantaris")  # what a click on the muscle in the 3D view does
    window.state.select("tibia")  # a bone adds nothing
    names = [label.text for _, label in panel.legend.items]
    assert names == [window.catalogue.get(m).name for m in ("soleus", "plantaris")]
    # The legend's samples are the drawn curves: their pens, read where the user sees them.
    pens = {label.text: sample.item.opts["pen"].color().name().upper() for sample, label in panel.legend.items}
    colours = {m: pens[window.catalogue.get(m).name] for m in ("soleus", "plantaris")}
    assert colours == {m: panel.styles[m].hex for m in ("soleus", "plantaris")}
    assert len(set(colours.values())) == 2
    window.state.select("plantaris")
    panel.clear_button.click()  # keeps the selected muscle's curve only
    assert list(panel.curves()) == ["plantaris"]


def drawn_runs(panel, sample) -> tuple[int, ...]:
    """The lengths of the inked and the blank stretches along a legend sample's line, read from the sample as the
    plot's scene draws it (pixels, starting with ink)."""
    rect = sample.sceneBoundingRect()
    image = QImage(round(rect.width()), round(rect.height()), QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    panel.plot.scene().render(painter, QRectF(image.rect()), rect)
    painter.end()
    inked = [any(min(QColor(image.pixel(x, y)).getRgb()[:3]) < 200 for y in (10, 11)) for x in range(image.width())]
    runs: list[int] = []
    for x, ink in enumerate(inked):
        if x == 0 or ink != inked[x - 1]:
            runs.append(0)
        runs[-1] += 1
    return tuple(runs) if inked[0] else (0, *runs)


def test_every_curve_and_its_legend_sample_are_drawn_in_the_muscle_s_pattern(window, panel, qtbot):
    """A colour-blind student tells the curves apart by their line patterns: every muscle plotted, each curve's pen
    carries its muscle's pattern, the legend's samples are drawn dashed as the curves are, and any two muscles whose
    drawn colours a deuteranope or a protanope confuses (tests/colour_vision.py) have samples drawn differently."""
    for muscle_id in window.model.muscle_ids:
        window.state.select(muscle_id)
    window.state.select(None)  # every curve at the same width
    qtbot.wait(50)
    ids = {window.catalogue.get(m).name: m for m in window.model.muscle_ids}
    entries = {ids[sample.item.name()]: sample for sample, _ in panel.legend.items}  # whole names, cut or not
    assert set(entries) == set(window.model.muscle_ids) == set(panel.curves())
    drawn, colours, dashes = {}, {}, {}
    for muscle_id, sample in entries.items():
        pen = sample.item.opts["pen"]
        assert sample.item in panel.plot.getPlotItem().listDataItems()  # the sample's pen is the curve's
        dashes[muscle_id] = tuple(pen.dashPattern()) if pen.style() == Qt.PenStyle.CustomDashLine else ()
        colours[muscle_id] = np.array(pen.color().getRgbF()[:3])
        drawn[muscle_id] = drawn_runs(panel, sample)
    alike = [
        (first, second, deficiency)
        for first, second in combinations(window.model.muscle_ids, 2)
        if (deficiency := confused(colours[first], colours[second])) and drawn[first] == drawn[second]
    ]
    assert not alike, f"curves a colour-blind student cannot tell apart: {alike}"
    assert len(set(zip(map(tuple, colours.values()), drawn.values(), strict=True))) == len(drawn)
    for muscle_id, runs in drawn.items():
        assert (len(runs) == 1) == (dashes[muscle_id] == ())  # solid is one stretch of ink; a pattern has gaps
        assert dashes[muscle_id] == pytest.approx(panel.styles[muscle_id].dashes)


def test_latin_names_name_the_curves_too_and_the_csv_keeps_english(window, qtbot, tmp_path):
    """Before, View > Latin names renamed the tree, the labels, the info panel and the quiz, but the plot's legend
    (and its menu's "Remove ...") kept "Soleus" beside "Musculus soleus" everywhere else, on or off, before or after
    the plot was first opened."""
    window.actions_by_name["latin_names"].setChecked(True)  # before the plot is made
    window.actions_by_name["mechanics_plot"].trigger()
    qtbot.waitUntil(lambda: window.plot_dock.panel is not None and window.plot_dock.panel.isVisible())
    panel = window.plot_dock.panel
    window.state.select("soleus")
    window.state.select("plantaris")
    latin = [window.catalogue.get(m).latin for m in ("soleus", "plantaris")]
    assert [label.text for _, label in panel.legend.items] == latin
    centre = panel.plot.viewport().rect().center()  # a right click there, as the window system reports it
    QApplication.sendEvent(
        panel.plot.viewport(),
        QContextMenuEvent(QContextMenuEvent.Reason.Mouse, centre, panel.plot.viewport().mapToGlobal(centre)),
    )
    removes = [a.text() for a in panel.context_menu.actions() if a.text().startswith("Remove")]
    assert removes == [f"Remove {name}" for name in latin]
    panel.context_menu.close()
    panel.export_csv(tmp_path / "curves.csv")  # the columns of measure --csv, which names in English
    assert "Musculus" not in (tmp_path / "curves.csv").read_text() and "Soleus" in (tmp_path / "curves.csv").read_text()
    window.actions_by_name["latin_names"].setChecked(False)  # with the plot open
    english = [window.catalogue.get(m).name for m in ("soleus", "plantaris")]
    assert [label.text for _, label in panel.legend.items] == english


def test_the_line_follows_the_pose_playback_and_the_animation_bar(window, panel, qtbot):
    window.state.select("soleus")
    window.state.pose = Pose(plantarflexion=22.0, knee_flexion=10.0)
    assert panel.line.value() == pytest.approx(22.0)
    window.animator.set_motion("plantarflexion")
    window.animator.step(0.4)  # a tick of playback
    assert panel.line.value() == pytest.approx(window.state.pose.plantarflexion)
    bar = window.animation_bar
    bar.scrub.setValue(700)  # the animation bar
    assert panel.line.value() == pytest.approx(window.state.pose.plantarflexion)
    panel.set_axis("knee")
    window.state.pose = Pose(plantarflexion=5.0, knee_flexion=75.0)
    assert panel.line.value() == pytest.approx(75.0)
    assert "ankle held at 5° plantarflexion" in panel.plot.getPlotItem().titleLabel.text.lower()


def test_the_title_names_every_joint_held_that_the_curves_depend_on(window, panel, run_cli):
    """The curves are swept with the subtalar joint and the toes where the leg is, not at neutral, so the title has
    to say where they are held: it said only the knee (or the ankle), and a teacher checking a curve against
    ``measure --sweep`` (inversion and toes 0 unless given) got other numbers with no hint why."""
    window.state.pose = Pose(plantarflexion=-10.0, subtalar=10.0, toes=-20.0)
    panel.set_axis("knee")
    window.state.select("tibialis_anterior")
    panel.set_quantity("moment_arm_ankle")
    title = panel.title.lower()
    assert "ankle held at 10° dorsiflexion" in title
    assert "subtalar at 10° inversion" in title and "toes at 20° extension" in title, title
    # On screen the held joints take a second line, so the title does not push the plot wider than the dock.
    item = panel.plot.getPlotItem()
    assert "<br>" in item.titleLabel.text
    assert item.titleLabel.boundingRect().width() <= panel.plot.width()
    assert item.sceneBoundingRect().width() <= panel.plot.width()
    code, out, err = run_cli(
        "measure", "--plantarflexion", "-10", "--knee-flexion", "60", "--inversion", "10", "--toe-flexion", "-20",
        "--json",
    )  # fmt: skip
    assert code == 0, err
    (expected,) = (m for m in json.loads(out)["muscles"] if m["id"] == "tibialis_anterior")
    assert value_at(panel, "tibialis_anterior", 60.0) == pytest.approx(expected["moment_arm_ankle"] * 1000, abs=1e-3)
    window.state.pose = Pose(knee_flexion=30.0, subtalar=-15.0, toes=25.0)
    panel.set_axis("ankle")
    title = panel.title.lower()
    for words in ("knee flexion held at 30°", "subtalar at 15° eversion", "toes at 25° flexion"):
        assert words in title, title
    window.state.pose = Pose(knee_flexion=30.0)  # at neutral they go unsaid, as before
    assert panel.title == panel.plot.getPlotItem().titleLabel.text == "Knee flexion held at 30°"


def test_the_title_gives_the_held_angles_to_the_tenth_the_curves_are_swept_at(window, panel):
    """The curves are swept at the held angle as it is (a paused playback leaves 53.78°), and the info panel and the
    animation bar print it to the tenth; the title rounded it to whole degrees ("54°"), so ``measure`` at the angle
    the title gave did not print the plotted numbers."""
    window.state.select("soleus")
    window.state.pose = Pose(knee_flexion=53.78, subtalar=-0.04, toes=0.3)
    assert panel.title == "Knee flexion held at 53.8°; toes at 0.3° flexion"
    panel.set_axis("knee")
    window.state.pose = Pose(plantarflexion=-7.34, knee_flexion=20.0)
    assert panel.title == "Ankle held at 7.3° dorsiflexion"
    window.state.pose = Pose(plantarflexion=0.4, knee_flexion=20.0)
    assert panel.title == "Ankle held at 0.4° plantarflexion"
    window.state.pose = Pose(plantarflexion=-0.04, knee_flexion=20.0)  # no "-0.0"
    assert panel.title == "Ankle held at neutral (0°)"


def test_a_muscle_that_does_not_cross_the_moment_arms_joint_says_so_in_the_legend(window, panel):
    """``measure`` prints ``-`` for a joint a muscle does not cross; the plot drew the same flat zero line as for a
    muscle whose arm really is zero there, under its bare name."""
    for muscle_id in ("soleus", "popliteus"):
        window.state.select(muscle_id)

    def legend() -> list[str]:
        return [label.text for _, label in panel.legend.items]

    panel.set_quantity("moment_arm_ankle")
    assert legend() == ["Soleus", "Popliteus (does not cross the ankle)"]
    assert np.all(panel.curves()["popliteus"][1] == 0.0)  # measure --json's 0
    panel.set_quantity("moment_arm_knee")
    assert legend() == ["Soleus (does not cross the knee)", "Popliteus"]
    panel.set_quantity("length")
    assert legend() == ["Soleus", "Popliteus"]


def _view_point(panel, x: float) -> QPoint:
    """Where data point (x, middle of the y range) is on the plot's viewport, in widget pixels."""
    box = panel.plot.getPlotItem().getViewBox()
    (_, _), (y0, y1) = box.viewRange()
    scene = box.mapViewToScene(QPointF(x, (y0 + y1) / 2))
    return panel.plot.mapFromScene(scene)


class _Painted(QObject):
    """What a widget repaints: the union of its paint events' regions."""

    def __init__(self, widget) -> None:
        super().__init__()
        self.region = QRegion()
        self.events = 0
        self.widget = widget
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.widget and event.type() == QEvent.Type.Paint:
            self.region = self.region.united(event.region())
            self.events += 1
        return False


def test_the_line_following_the_pose_repaints_only_where_it_was_and_is(window, panel, qtbot):
    # Playback moves the line at every frame. The view repainted itself whole each time (an auto-range queued for a
    # line it ignores): both axes with the grid, every curve and the legend, ~3 ms of CPU a frame (docs/performance.md).
    window.state.select("soleus")
    window.state.pose = Pose(plantarflexion=0.0)
    viewport = panel.plot.viewport()
    painted = _Painted(viewport)
    try:
        for _ in range(50):  # until the selection's curves, range and axes are drawn: no paint for 200 ms
            events = painted.events
            qtbot.wait(200)
            if painted.events == events:
                break
        box = panel.plot.getPlotItem().getViewBox()
        view_range = box.viewRange()
        painted.region, painted.events = QRegion(), 0
        window.state.pose = Pose(plantarflexion=10.0)
        qtbot.waitUntil(lambda: painted.events > 0)
        qtbot.wait(50)
    finally:
        viewport.removeEventFilter(painted)
    assert panel.line.value() == pytest.approx(10.0) and box.viewRange() == view_range
    before, after = _view_point(panel, 0.0).x(), _view_point(panel, 10.0).x()
    assert after - before > 20, "the line moved too little on screen to tell its strips apart"
    rects = list(painted.region)
    assert rects, "nothing repainted where the line moved"
    for rect in rects:
        assert rect.width() < (after - before) / 2, f"repainted {rect} of a {viewport.size()} plot, not a strip"
        assert rect.left() <= before <= rect.right() or rect.left() <= after <= rect.right(), rect
    assert any(rect.left() <= before <= rect.right() for rect in rects), "the line's old place was not repainted"
    assert any(rect.left() <= after <= rect.right() for rect in rects), "the line's new place was not repainted"


def test_dragging_the_line_poses_the_leg(window, panel, qtbot):
    window.state.select("gastrocnemius_medial_head")
    window.state.pose = Pose(plantarflexion=0.0, knee_flexion=20.0)
    qtbot.wait(50)
    viewport = panel.plot.viewport()
    start, end = _view_point(panel, 0.0), _view_point(panel, 30.0)
    length_before = window.scene.pose_result().muscles["gastrocnemius_medial_head"].length
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for step in range(1, 11):
        QTest.mouseMove(viewport, start + (end - start) * step / 10)
        qtbot.wait(5)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    pose = window.state.pose
    assert pose.plantarflexion == pytest.approx(30.0, abs=1.0)
    assert pose.knee_flexion == 20.0  # the other joint is held
    assert window.scene.pose_result().pose == pose  # the 3D view follows
    assert window.scene.pose_result().muscles["gastrocnemius_medial_head"].length < length_before
    assert window.animation_bar.angles.text().startswith(f"plantarflexion {pose.plantarflexion:5.1f}")


def test_a_click_in_the_plot_poses_the_leg_and_pauses_playback(window, panel, qtbot):
    window.state.select("soleus")
    window.animator.play()
    qtbot.mouseClick(panel.plot.viewport(), Qt.MouseButton.LeftButton, pos=_view_point(panel, -20.0))
    assert not window.animator.playing
    assert window.state.pose.plantarflexion == pytest.approx(-20.0, abs=1.0)


def test_exports_write_the_plotted_curves_and_the_picture(window, panel, tmp_path, run_cli):
    window.state.pose = Pose(knee_flexion=45.0)
    for muscle_id in ("soleus", "popliteus"):
        window.state.select(muscle_id)
    out = tmp_path / "curves.csv"
    panel.export_csv(out)
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 141 * 2  # the ankle's range in half degrees, for each plotted muscle
    assert {row["id"] for row in rows} == {"soleus", "popliteus"}
    at_10 = {row["id"]: row for row in rows if float(row["plantarflexion"]) == 10.0}
    expected = measured(run_cli, 10, 45)
    for muscle_id, row in at_10.items():
        assert float(row["knee_flexion"]) == 45.0
        for key in ("length", "moment_arm_ankle", "moment_arm_knee"):
            assert float(row[key]) == expected[muscle_id][key]
    png, svg = tmp_path / "plot.png", tmp_path / "plot.svg"
    panel.export_image(png)
    panel.export_image(svg)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    document = xml.dom.minidom.parse(str(svg))
    assert document.documentElement.tagName == "svg"
    assert "Soleus" in svg.read_text()  # the legend is in the drawing
    with pytest.raises(CalfviewerError, match=r"\.png or \.svg"):
        panel.export_image(tmp_path / "plot.gif")
    with pytest.raises(CalfviewerError, match="cannot write"):
        panel.export_csv(tmp_path / "missing" / "curves.csv")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary files left


def test_the_context_menu_offers_the_exports_and_removing_a_curve(window, panel, qtbot):
    window.state.select("soleus")
    window.state.select("plantaris")
    panel.plot.customContextMenuRequested.emit(QPoint(50, 50))
    menu = panel.context_menu
    texts = [action.text() for action in menu.actions() if action.text()]
    assert texts[:2] == ["Export curves as CSV…", "Export plot as PNG or SVG…"]
    remove = next(action for action in menu.actions() if action.text() == "Remove Soleus")
    menu.close()
    remove.trigger()
    assert list(panel.curves()) == ["plantaris"]


def test_colour_by_stretch_is_a_view_menu_toggle_that_is_remembered(open_window, tmp_path, qtbot):
    settings = tmp_path / "settings.ini"
    window = open_window(settings)
    activate(window, qtbot)
    qtbot.keyClick(window, Qt.Key.Key_C)
    assert window.scene.colour_by_stretch and window.actions_by_name["colour_by_stretch"].isChecked()
    window.close()
    again = open_window(settings)
    assert again.scene.colour_by_stretch
    # A movie exported from the window shows the stretch colours too: the heel raise shortens the triceps surae.
    from PIL import Image

    from calfviewer.app import exports
    from calfviewer.musculoskeletal.motion import MOTIONS

    out = tmp_path / "raise.gif"
    again.export_movie(str(out), exports.MovieChoice(MOTIONS["heel_raise"], 0.4, 5, (240, 320)))
    with Image.open(out) as gif:
        gif.seek(gif.n_frames - 1)
        pixels = np.asarray(gif.convert("RGB")).astype(int)
    assert ((pixels[..., 2] > pixels[..., 0] + 60) & (pixels[..., 2] > pixels[..., 1] + 30)).sum() > 100
    again.actions_by_name["colour_by_stretch"].trigger()
    assert not again.scene.colour_by_stretch


def test_the_legend_covers_none_of_the_curves(window, panel, qtbot):
    """The legend sat in the plot's upper right corner, over the curves' peaks there (the triceps surae's lengths
    at full dorsiflexion, the knee moment arms at full flexion). Each curve's points, where they are drawn, must lie
    outside the legend's box, for every quantity on both axes."""
    for muscle_id in ("soleus", "gastrocnemius_medial_head", "gastrocnemius_lateral_head", "plantaris", "popliteus"):
        panel.add_muscle(muscle_id)
    box = panel.plot.getPlotItem().getViewBox()
    for joint in ("ankle", "knee"):
        panel.set_axis(joint)
        for index in range(panel.quantity.count()):
            panel.quantity.setCurrentIndex(index)
            qtbot.wait(20)  # the auto range and the legend's layout settle
            legend = panel.legend.sceneBoundingRect().adjusted(-2, -2, 2, 2)
            assert legend.width() > 50 and len(panel.legend.items) == 5  # the legend is there, every curve named
            covered = []
            for muscle_id, (x, y) in panel.curves().items():
                for xi, yi in zip(x, y, strict=True):
                    if legend.contains(box.mapViewToScene(QPointF(float(xi), float(yi)))):
                        covered.append((muscle_id, float(xi)))
                        break
            assert not covered, f"the legend covers {covered} ({panel.quantity.currentText()} against the {joint})"
            drawn = panel.legend.sceneBoundingRect()
            assert drawn.right() <= panel.plot.width() and drawn.bottom() <= panel.plot.height()  # seen whole
    window.resizeDocks([window.plot_dock], [260], Qt.Orientation.Horizontal)  # a narrow dock: one column, still whole
    qtbot.wait(50)
    assert panel.legend.sceneBoundingRect().right() <= panel.plot.width()


def test_opening_the_plot_keeps_the_window_within_a_1024_by_768_projector(open_window, tmp_path, qtbot):
    """The plot's controls in one row made its panel 506 pixels wide at the smallest: opening it on a 1024 x 768
    projector made the window 1178 wide, its right part (the plot, Speed and Loop) off the screen."""
    from calfviewer.app.settings import FRAME_ROOM

    window = open_window(tmp_path / "settings.ini", (1024 - FRAME_ROOM[0], 768 - FRAME_ROOM[1]))
    window.actions_by_name["mechanics_plot"].trigger()
    qtbot.waitUntil(lambda: window.plot_dock.panel is not None and window.plot_dock.panel.isVisible())
    qtbot.wait(50)
    hint = window.minimumSizeHint()
    assert hint.width() <= 1024 - FRAME_ROOM[0] and hint.height() <= 720 - FRAME_ROOM[1], hint
    assert window.width() == 1024 - FRAME_ROOM[0]
    panel = window.plot_dock.panel
    for control in (panel.quantity, panel.axis, panel.clear_button):
        box = control.geometry().translated(panel.mapTo(window, panel.rect().topLeft()))
        assert window.rect().contains(box) and control.width() >= control.sizeHint().width(), control
    # The title and the x axis' name were cut at the plot's edge ("… or the 3D vie", "dorsiflexion negati"): broken
    # into lines instead, each whole inside the plot.
    item = panel.plot.getPlotItem()
    shown = QRectF(panel.plot.range)
    for text in (item.titleLabel.item, item.getAxis("bottom").label):
        assert shown.contains(text.sceneBoundingRect()), (text.toPlainText(), text.sceneBoundingRect(), shown)
    assert "<br>" in item.titleLabel.text and "Select a muscle" in item.titleLabel.text


def test_the_legend_stays_inside_the_plot_when_latin_names_are_chosen_with_it_open(window, panel, qtbot):
    """Two columns of English names fitted; View > Latin names made them longer, the legend widened the view box's
    column past the widget, and the check measured that widened box as the room: "Musculus poplit" ran off the edge.
    Tried at every width of the dock, and with the names switched both ways."""
    for muscle_id in ("soleus", "popliteus", "plantaris"):
        window.state.select(muscle_id)
    columns = set()
    for width in range(320, 480, 16):
        window.resizeDocks([window.plot_dock], [width], Qt.Orientation.Horizontal)
        for latin in (False, True, False, True):
            window.actions_by_name["latin_names"].setChecked(latin)
            qtbot.wait(30)
            drawn = panel.legend.sceneBoundingRect()
            assert drawn.right() <= panel.plot.width(), f"the legend runs off a {panel.plot.width()}-pixel plot"
            box = panel.plot.getPlotItem().getViewBox().sceneBoundingRect()
            assert box.right() <= panel.plot.width(), "the plot's right end is off the widget"
            columns.add(panel.legend.columnCount)
    assert columns == {1, 2}  # both layouts were reached


def test_six_latin_curves_in_a_short_dock_leave_the_curves_room_and_cut_names_keep_a_tooltip(open_window, tmp_path):
    """At the window's smallest (992 x 629) with six Latin curves, the legend in one column took the whole height:
    the curves shrank to nothing and the y axis' name was cut off mid-word ("Muscle-tendon length (c"). The curves
    keep room now, every name in the legend is whole or cut with an ellipsis and whole in its tooltip, and the
    y axis' name is whole, in its short wording where the axis is short, the full one in its tooltip."""

    window = open_window(tmp_path / "settings.ini", (992, 629))
    window.play_action_on_click = False
    window.actions_by_name["latin_names"].setChecked(True)
    window.actions_by_name["mechanics_plot"].trigger()
    muscles = (
        "gastrocnemius_medial_head",
        "plantaris",
        "flexor_hallucis_longus",
        "tibialis_posterior",
        "tibialis_anterior",
        "soleus",
    )
    for muscle_id in muscles:
        window.state.select(muscle_id)
        QTest.qWait(30)
    window.resize(992, 629)
    QTest.qWait(300)
    panel = window.plot_dock.panel
    item = panel.plot.getPlotItem()
    box = item.getViewBox().sceneBoundingRect()
    assert box.height() >= 60, f"the curves are {box.height():.0f} pixels high"
    assert panel.legend.sceneBoundingRect().right() <= panel.plot.width()
    assert window.minimumSizeHint().height() <= 629
    full = {window.catalogue.get(m).latin for m in muscles}
    assert len(panel.legend.items) == 6
    for sample, label in panel.legend.items:
        name, shown = sample.item.name(), label.item.toPlainText()
        assert name in full
        short = name.replace("Musculus ", "M. ").replace(" musculi ", " m. ")  # the usual short Latin form
        assert shown in (name, short) or (shown.endswith("…") and short.startswith(shown[:-1])), (shown, name)
        assert label.toolTip() == ("" if shown == name else name)
    axis = item.getAxis("left")
    title = axis.label.toPlainText().strip()  # the axis puts a space for its units after the name
    assert QFontMetricsF(axis.label.font()).horizontalAdvance(title) <= box.height(), title
    whole = "Muscle-tendon length (cm)"
    assert title == whole or (title == "Length (cm)" and axis.toolTip() == whole)


#: Each quantity's y axis name in full, as the plot's menu names it with its unit, and the unit every shorter name
#: must keep.
FULL_Y_TITLES = {
    "length": ("Muscle-tendon length (cm)", "(cm)"),
    "normalised_length": ("Length ÷ length at neutral", ""),
    "moment_arm_ankle": ("Ankle moment arm (+ plantarflexes) (mm)", "(mm)"),
    "moment_arm_knee": ("Knee moment arm (+ flexes) (mm)", "(mm)"),
}


def y_title(panel) -> tuple[str, float, float]:
    """The y axis' name as drawn, its width in the label's font, and the axis' length (pixels)."""

    axis = panel.plot.getPlotItem().getAxis("left")
    title = axis.label.toPlainText().strip()  # the axis puts a space for its units after the name
    return title, QFontMetricsF(axis.label.font()).horizontalAdvance(title), axis.geometry().height()


@pytest.mark.parametrize("latin", [False, True])
def test_the_y_axis_name_is_whole_at_the_windows_smallest_and_in_full_where_there_is_room(open_window, tmp_path, latin):
    """At the window's smallest the y axis is about 60 pixels long, and its name was cut to "Muscle-t…" (whole only
    in its tooltip). Now it is a shorter wording, whole and with its unit, as wide as the axis is long at most, for
    every quantity on both x axes, with English and Latin names; at 1400 x 900 the full wording is back wherever
    the axis holds it."""
    window = open_window(tmp_path / "settings.ini", (1400, 900))
    window.play_action_on_click = False
    window.actions_by_name["latin_names"].setChecked(latin)
    window.actions_by_name["mechanics_plot"].trigger()
    for muscle_id in ("soleus", "gastrocnemius_medial_head", "popliteus"):
        window.state.select(muscle_id)
        QTest.qWait(30)
    panel = window.plot_dock.panel
    axis = panel.plot.getPlotItem().getAxis("left")
    shortened = set()
    for joint in ("ankle", "knee"):
        panel.set_axis(joint)
        for key, (full, unit) in FULL_Y_TITLES.items():
            panel.set_quantity(key)
            for _ in range(3):  # the smallest the window allows with this plot (its legend laid out again there)
                window.resize(1, 1)
                QTest.qWait(150)
            assert window.size() == window.minimumSizeHint()
            title, width, length = y_title(panel)
            assert "…" not in title and title.endswith(unit), (title, key, joint)
            assert width <= length, f"{title!r} is {width:.0f} pixels on a {length:.0f}-pixel axis ({joint})"
            assert axis.toolTip() == ("" if title == full else full)
            shortened.add(title != full)
            window.resize(1400, 900)
            QTest.qWait(200)
            title, width, length = y_title(panel)
            fits = QFontMetricsF(axis.label.font()).horizontalAdvance(full) <= length
            assert title == full if fits else ("…" not in title and title.endswith(unit) and width <= length)
    assert shortened == {True}  # every full name is too long for the smallest window's axis
    panel.set_axis("ankle")
    for key in ("length", "normalised_length"):
        panel.set_quantity(key)
        QTest.qWait(100)
        assert y_title(panel)[0] == FULL_Y_TITLES[key][0]  # at 1400 x 900 these are whole


def _curve_pixels(image: QImage, colour: tuple[float, float, float]) -> tuple[dict[int, float], int]:
    """Where a curve of ``colour`` (RGB 0..1) is drawn: column -> mean row of the pixels near that colour, and how
    many pixels that is."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine() // 4, 4)
    rgb = pixels[:, : image.width(), 2::-1].astype(float)
    near = np.linalg.norm(rgb - np.array(colour) * 255, axis=2) < 40
    rows, columns = np.nonzero(near)
    return {int(c): float(rows[columns == c].mean()) for c in np.unique(columns)}, int(near.sum())


def test_an_svg_export_draws_the_curves_where_the_screen_does_in_another_renderer(panel, window, qtbot, tmp_path):
    """Qt's SVG generator wrote each item under its own scaling transform with non-scaling strokes, and renderers
    that do not apply ``vector-effect`` (librsvg 2.54, which GNOME and many converters use) drew the curves as bands
    several times their width, the dashes stretched, and the grid out of line with the axes. Drawn as such a renderer
    draws it (QSvgRenderer with the vector-effect attributes taken out), the exported SVG now puts a muscle's curve
    (a solid one, so that no dash falls elsewhere) where the plot on screen has it, about as thick."""
    muscle = next(m for m, style in panel.styles.items() if style.pattern == "solid")
    window.state.select(muscle)
    item = panel.plot.getPlotItem()
    qtbot.waitUntil(lambda: item.viewRange()[1][0] > 1.0)  # the y range fitted to the curve (lengths in cm)
    svg = tmp_path / "plot.svg"
    panel.export_image(svg)
    on_screen = panel.plot.grab(panel.plot.mapFromScene(item.sceneBoundingRect()).boundingRect()).toImage()
    text = svg.read_text(encoding="utf-8").replace('vector-effect="non-scaling-stroke"', "")
    renderer = QSvgRenderer(QByteArray(text.encode("utf-8")))
    drawn = QImage(renderer.viewBox().size(), QImage.Format.Format_RGB32)
    drawn.fill(QColor("white"))
    painter = QPainter(drawn)
    renderer.render(painter)
    painter.end()
    assert abs(drawn.width() - on_screen.width()) <= 2 and abs(drawn.height() - on_screen.height()) <= 2
    colour = panel.styles[muscle].color
    (expected, expected_count), (got, got_count) = _curve_pixels(on_screen, colour), _curve_pixels(drawn, colour)
    assert len(expected) > on_screen.width() // 3  # the curve runs across the plot
    both = sorted(set(expected) & set(got))
    assert len(both) > 0.8 * len(expected)
    assert np.median([abs(expected[c] - got[c]) for c in both]) < 2.0
    assert 0.5 < got_count / expected_count < 2.0
    assert "<title>" + panel.title + "</title>" in svg.read_text()
