"""Starting the window: check for a display first, so a headless machine gets one line instead of a Qt abort."""

from __future__ import annotations

import os
import sys

from calfviewer.errors import CalfviewerError

NO_DISPLAY = (
    "no display to open the viewer on (DISPLAY and WAYLAND_DISPLAY are unset); "
    "draw a picture instead with `calfviewer render --out view.png`"
)


def display_available(environ: dict[str, str] | None = None) -> bool:
    """True where Qt can open a real window: a Linux desktop session, or any other platform."""
    env = os.environ if environ is None else environ
    if not sys.platform.startswith("linux"):
        return True
    if env.get("QT_QPA_PLATFORM", "").split(":")[0] in {"offscreen", "minimal"}:
        # Qt would start, but the 3D view cannot live on those platforms.
        return False
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def run_app(side: str = "right", argv: list[str] | None = None) -> int:
    """Open the viewer and run until it is closed; returns the exit code."""
    if not display_available():
        raise CalfviewerError(NO_DISPLAY)
    from PySide6.QtWidgets import QApplication

    from calfviewer.app.main_window import MainWindow

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("calfviewer")
    app.setOrganizationName("calfviewer")
    window = MainWindow(side=side)
    window.show()
    return int(app.exec())
