"""Five hundred random actions in the window, as a hostile user would try them: clicks, drags, every key (the app's
shortcuts and VTK's own bindings), tree boxes, rows and sliders, the search box, the timeline, the motion and speed
lists, view files good and bad, resizes and animation frames. The session must end with no traceback (pytest-qt
fails the test on an exception in any Qt slot), no Qt warning and no VTK error, and with the tree, the 3D view and
the info panel agreeing.
"""

from __future__ import annotations

import json
import os
import random

import pytest
import pyvista as pv

pytest.importorskip("pytestqt")

from PySide6.QtCore import QPoint, Qt

from calfviewer.errors import CalfviewerError

pytestmark = pytest.mark.gui

ACTIONS = int(os.environ.get("CALFVIEWER_FUZZ_ACTIONS", "500"))
#: Keys a user may press anywhere; dialogs that wait for an answer (open, save, quit) are left out.
KEYS = [
    *(getattr(Qt.Key, f"Key_{c}") for c in "WSPJTEUVQFRLHIAGC1234"),
    Qt.Key.Key_Escape,
    Qt.Key.Key_Space,
    Qt.Key.Key_Home,
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_Plus,
    Qt.Key.Key_Minus,
]
MODIFIERS = [Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.KeypadModifier]
VIEW_FILES = [
    {"pose": {"plantarflexion": 25, "knee_flexion": 40}, "selection": "soleus", "camera": "medial"},
    {"camera": {"position": [0, 1, 0], "focal_point": [0, 0, 0], "view_up": [0, 0, 0]}},
    {"camera": {"position": [0, 1, 0], "focal_point": [0, 0, 0], "view_up": [0, 1, 0]}},
    {"pose": {"plantarflexion": 10**400}},
    {"pose": {"knee_flexion": 500}},
    {"visibility": {"layers": {"superficial": False}}, "labels": True, "fade_others": True},
]


def test_random_actions_end_without_a_traceback_or_a_warning(open_window, qtbot, qtlog, tmp_path):
    window = open_window(tmp_path / "fuzz.ini", (1200, 800))
    rng = random.Random(19)
    ids = window.catalogue.ids
    rows = [*ids, *(f"layer:{layer}" for layer in ("bone", "superficial", "intermediate", "deep"))]
    views = []
    for index, content in enumerate(VIEW_FILES):
        path = tmp_path / f"view{index}.json"
        path.write_text(json.dumps(content))
        views.append(str(path))
    tree, bar = window.tree, window.animation_bar

    def point_in(widget) -> QPoint:
        return QPoint(rng.randrange(max(widget.width(), 1)), rng.randrange(max(widget.height(), 1)))

    def act() -> None:
        kind = rng.randrange(14)
        if kind == 0:
            qtbot.mouseClick(
                window.plotter, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point_in(window.plotter)
            )
        elif kind == 1:  # a drag turns the camera
            start, end = point_in(window.plotter), point_in(window.plotter)
            qtbot.mousePress(window.plotter, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
            qtbot.mouseMove(window.plotter, end)
            qtbot.mouseRelease(window.plotter, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
        elif kind in (2, 3):
            target = rng.choice([window.plotter, window.plotter, tree.view, tree.search])
            target.setFocus()
            qtbot.keyClick(target, rng.choice(KEYS), rng.choice(MODIFIERS))
        elif kind == 4:
            item = tree.item(rng.choice(rows))
            state = rng.choice([Qt.CheckState.Checked, Qt.CheckState.Unchecked])
            item.setCheckState(state)
        elif kind == 5:
            index = tree.item(rng.choice(ids)).index()
            tree.view.scrollTo(index)
            rect = tree.view.visualRect(index)
            if rect.isValid() and not rect.isEmpty():
                qtbot.mouseClick(
                    tree.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center()
                )
        elif kind == 6:
            tree.slider(rng.choice(rows)).setValue(rng.randrange(0, 101))
        elif kind == 7:
            tree.search.setFocus()
            qtbot.keyClicks(tree.search, rng.choice(["sol", "tib", "gastro", "zz", "", "ca"]))
            qtbot.keyClick(tree.search, rng.choice([Qt.Key.Key_Return, Qt.Key.Key_Escape]))
        elif kind == 8:
            qtbot.mouseClick(
                bar.scrub,
                Qt.MouseButton.LeftButton,
                Qt.KeyboardModifier.NoModifier,
                QPoint(rng.randrange(bar.scrub.width()), bar.scrub.height() // 2),
            )
        elif kind == 9:
            bar.motion.setCurrentIndex(rng.randrange(bar.motion.count()))
            bar.speed.setCurrentIndex(rng.randrange(bar.speed.count()))
        elif kind == 10:
            try:
                window.open_view(rng.choice(views))
            except CalfviewerError as error:
                assert "\n" not in str(error)
        elif kind == 11 and rng.random() < 0.2:
            window.resize(rng.randrange(900, 1400), rng.randrange(650, 950))
        elif kind == 12:
            window.select_and_act(rng.choice([*ids, None]))
        else:
            window.animator.step(rng.choice([1 / 60, 0.2, 0.5]))
        qtbot.wait(0)

    with pv.VtkErrorCatcher(raise_errors=False) as vtk_errors:
        for _ in range(ACTIONS):
            act()
            window.scene.render()
    assert window.plotter.render_window is not None, "the 3D view was closed by a key"
    assert not vtk_errors.events, vtk_errors.events[:3]
    warnings = [record for record in qtlog.records if record.type.name in ("QtWarningMsg", "QtCriticalMsg")]
    assert not warnings, [record.message for record in warnings[:3]]
    selection = window.state.selection
    name = window.catalogue.get(selection).name if selection else "Nothing selected"
    assert window.info.title.text() == name
    highlighted = [index.data() for index in tree.view.selectionModel().selectedRows()]
    assert highlighted == ([name] if selection else [])
    for structure_id in ids:
        drawn = window.state.effective_visibility(structure_id)
        assert (tree.item(structure_id).checkState() == Qt.CheckState.Checked) == drawn, structure_id
        assert window.scene.actor(structure_id).prop.style == "Surface"
    window.close()
