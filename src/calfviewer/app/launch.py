"""Starting the window: check the display and the Qt binding first, so a bad set-up gets one line, not an abort."""

from __future__ import annotations

import os
import sys

from calfviewer.errors import CalfviewerError

NO_DISPLAY = (
    "no display to open the viewer on (DISPLAY and WAYLAND_DISPLAY are unset); "
    "draw a picture instead with `calfviewer render --out view.png`"
)

LEAKY_EMIT = (
    "installed PySide6 {version} loses a reference to True on every signal emit, which aborts a long session "
    "('bool_dealloc'); run: pip install 'PySide6>=6.11.3,<6.12' (or set CALFVIEWER_ALLOW_UNTESTED=1 to try it anyway)"
)


def signal_emit_keeps_references() -> bool:
    """False where ``Signal.emit`` returns ``True`` without a new reference (PySide6 6.12.0).

    Every emit then takes one reference from ``True``; the viewer emits a few per animation frame (pyvistaqt's
    render signal, the animator's time), so after a few thousand frames Python 3.11 aborts the process. Probing the
    behaviour rather than the version catches the bug in any release that has it.
    """
    from PySide6.QtCore import QObject, Signal

    class Probe(QObject):
        ping = Signal()

    probe = Probe()
    emits = 16
    before = sys.getrefcount(True)
    for _ in range(emits):
        probe.ping.emit()
    return before - sys.getrefcount(True) < emits // 2


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
    if os.environ.get("CALFVIEWER_ALLOW_UNTESTED") != "1" and not signal_emit_keeps_references():
        import PySide6

        raise CalfviewerError(LEAKY_EMIT.format(version=PySide6.__version__))
    from PySide6.QtWidgets import QApplication

    from calfviewer.app.main_window import MainWindow

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("calfviewer")
    app.setOrganizationName("calfviewer")
    window = MainWindow(side=side)
    window.show()
    return int(app.exec())
