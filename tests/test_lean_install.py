"""A plain install is enough to show, render, measure and export (issue 28).

scipy, rtree, pymeshfix and manifold3d are the ``build`` extra: only ``build-meshes`` imports them, so a plain
``pip install calfviewer`` leaves them out. And the window imports only Qt modules that PySide6-Essentials ships
(qtpy also tries QtDataVisualization, an add-on, for backward compatibility; without it that import fails quietly).
Each check runs in a fresh interpreter, where ``sys.modules`` shows everything the commands pulled in.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from calfviewer.geometry.build_extra import BUILD_MODULES

#: The Qt modules the app uses, all in PySide6-Essentials.
ESSENTIALS_USED = {"QtCore", "QtGui", "QtWidgets", "QtOpenGL", "QtOpenGLWidgets"}
QTPY_COMPATIBILITY_IMPORT = "QtDataVisualization"

REPORT = """
import json, sys
loaded = {
    "build": sorted(name for name in %r if sys.modules.get(name) is not None),
    "qt": sorted({name.split(".")[1] for name in sys.modules if name.startswith("PySide6.Qt")}),
}
with open(%r, "w") as report:
    json.dump({"codes": codes, **loaded}, report)
"""


def _run(body: str, tmp_path: Path) -> dict:
    report = tmp_path / "report.json"
    code = body + REPORT % (BUILD_MODULES, str(report))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr  # nothing fell back noisily (trimesh logs its fallbacks)
    return json.loads(report.read_text())


def test_info_measure_and_render_never_import_the_build_extra(tmp_path):
    body = f"""
from calfviewer.cli import main
codes = [
    main(["info", "soleus"]),
    main(["measure", "--plantarflexion", "20", "--knee-flexion", "30", "--json"]),
    main(["render", "--out", {str(tmp_path / "leg.png")!r}, "--size", "240x320", "--plantarflexion", "20"]),
]
"""
    result = _run(body, tmp_path)
    assert result["codes"] == [0, 0, 0]
    assert (tmp_path / "leg.png").stat().st_size > 0
    assert result["build"] == []
    assert result["qt"] == []  # the headless commands never load Qt


def test_export_writes_the_same_files_without_the_build_extra(tmp_path):
    """``import trimesh`` (export's writer) imports scipy, rtree and manifold3d when they happen to be installed,
    but needs none of them: with all four made unimportable, as in a plain install, the files are the same bytes."""
    outputs = {}
    for blocked in (False, True):
        folder = tmp_path / ("plain" if blocked else "full")
        folder.mkdir()
        block = f"import sys\nsys.modules.update(dict.fromkeys({BUILD_MODULES!r}))\n" if blocked else ""
        body = (
            block
            + f"""
from calfviewer.cli import main
codes = [main(["export", "--out", {str(folder / "leg.glb")!r}, "--knee-flexion", "45"])]
"""
        )
        result = _run(body, folder)
        assert result["codes"] == [0]
        if blocked:
            assert result["build"] == []
        outputs[blocked] = (folder / "leg.glb").read_bytes()
    assert outputs[True] == outputs[False]


def test_showing_the_window_imports_no_build_package_and_only_essentials_qt(tmp_path):
    assert os.environ.get("DISPLAY"), "the GUI tests run under Xvfb (pytest-xvfb)"
    body = f"""
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication(["calfviewer"])
from calfviewer.app.main_window import MainWindow
window = MainWindow(settings=QSettings({str(tmp_path / "settings.ini")!r}, QSettings.Format.IniFormat))
window.show()
for _ in range(20):
    app.processEvents()
window.select_and_act("soleus")  # a click: selects, paints the attachments, plays the action
for _ in range(20):
    app.processEvents()
window.close()
codes = [0]
"""
    result = _run(body, tmp_path)
    assert result["build"] == []
    assert set(result["qt"]) - {QTPY_COMPATIBILITY_IMPORT} <= ESSENTIALS_USED, result["qt"]
    assert {"QtCore", "QtWidgets", "QtOpenGLWidgets"} <= set(result["qt"])
