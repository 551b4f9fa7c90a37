"""The 3D view's widget at a fractional scale: VTK draws the whole picture Qt shows, to its last row and column."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.gui

_PICTURE = """
import json, sys
import numpy as np
from PySide6.QtWidgets import QApplication
app = QApplication([])
from calfviewer.app.scene_widget import SceneWidget
from calfviewer.scene.gl_driver import configure_gl_driver
configure_gl_driver()
widget = SceneWidget(auto_update=False)
widget.set_background("white")
widget.show()
widget.resize(203, 203)  # 304.5 device pixels at 150 %: Qt rounds to 305, Python's round to 304
for _ in range(20):
    app.processEvents()
widget.request_render()
widget.repaint()
app.processEvents()
image = widget.grabFramebuffer().convertToFormat(widget.grabFramebuffer().Format.Format_RGB888)
width, height = image.width(), image.height()
pixels = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes()).reshape(height, image.bytesPerLine())
pixels = pixels[:, : 3 * width].reshape(height, width, 3)
print(json.dumps({
    "ratio": widget.devicePixelRatioF(),
    "picture": [width, height],
    "vtk": list(widget.render_window.GetSize()),
    "top_row": int(pixels[0].min()),
    "right_column": int(pixels[:, -1].min()),
}))
widget.close()
"""


def test_at_150_percent_vtk_draws_the_whole_picture_to_its_top_row_and_right_column():
    """pyvistaqt rounded the widget's size times 1.5 half to even (304.5 to 304) where Qt's picture of it rounds
    half up (305): VTK drew a row and a column fewer than the picture, which showed a black line along the top and
    the right of the 3D view, and a click picked one pixel off. Run in its own process, since Qt reads
    QT_SCALE_FACTOR when it starts."""
    env = {**os.environ, "QT_SCALE_FACTOR": "1.5"}
    done = subprocess.run(
        [sys.executable, "-c", _PICTURE], capture_output=True, text=True, env=env, timeout=120
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    facts = json.loads(done.stdout.strip().splitlines()[-1])
    assert facts["ratio"] == 1.5 and facts["picture"] == [305, 305], facts
    assert facts["vtk"] == facts["picture"], facts
    assert facts["top_row"] > 200 and facts["right_column"] > 200, facts  # the white background, not black


def test_a_closed_window_leaves_no_python_wrapper_of_its_gl_surface(qtbot, tmp_path):
    """pyvistaqt keeps its GL context's surface as a Python wrapper, which outlived the surface when the window was
    closed and deleted; PySide then handed that wrapper back for a new Qt object made at the same address, and a
    later test's dock menu action came back as a QSurface ("'QSurface' object has no attribute 'setText'")."""
    import shiboken6
    from PySide6.QtCore import QCoreApplication, QEvent, QSettings
    from PySide6.QtGui import QSurface, QWindow

    from calfviewer.app.main_window import MainWindow

    def surfaces() -> set[int]:
        wrappers = shiboken6.getAllValidWrappers()
        return {id(w) for w in wrappers if isinstance(w, QSurface) and not isinstance(w, QWindow)}

    before = surfaces()
    win = MainWindow(settings=QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    win.resize(1300, 850)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: bool(surfaces() - before))  # the view's GL context made, its surface wrapped
    win.close()
    win.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert surfaces() - before == set()
