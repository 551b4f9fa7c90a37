"""Starting the window: check the display and the Qt binding first, so a bad set-up gets one line, not an abort."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Mapping
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from calfviewer.errors import CalfviewerError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

HEADLESS_HINT = "draw a picture instead with `calfviewer render --out view.png`"
NO_DISPLAY = f"no display to open the viewer on (DISPLAY and WAYLAND_DISPLAY are unset); {HEADLESS_HINT}"

LEAKY_EMIT = (
    "installed PySide6 {version} loses a reference to True on every signal emit, which aborts a long session "
    "('bool_dealloc'); run: pip install 'PySide6-Essentials>=6.11.3,<6.12' "
    "(or set CALFVIEWER_ALLOW_UNTESTED=1 to try it anyway)"
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


def display_problem(environ: Mapping[str, str] | None = None) -> str | None:
    """Why Qt could not open the window here, in one line with how to run headless; None when it can.

    Checked before the QApplication exists: Qt aborts the whole process (exit 134, "could not connect to display")
    when ``DISPLAY`` names a server that is not there, and the offscreen platform starts but cannot host the 3D view.
    """
    env = os.environ if environ is None else environ
    if not sys.platform.startswith("linux"):
        return None
    platform = env.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip()
    if platform in {"offscreen", "minimal", "vnc"}:
        return f"QT_QPA_PLATFORM={platform} cannot show the 3D view; unset it to open the window, or {HEADLESS_HINT}"
    wayland, x11 = env.get("WAYLAND_DISPLAY", ""), env.get("DISPLAY", "")
    if not wayland and not x11:
        return NO_DISPLAY
    if wayland and platform != "xcb" and _wayland_socket_exists(wayland, env):
        return None
    if x11:
        return (
            None
            if _x_server_answers(x11)
            else (
                f"no X server answers on DISPLAY={x11!r} (is the desktop session running, or was ssh -X lost?); "
                f"{HEADLESS_HINT}"
            )
        )
    return f"no Wayland compositor at WAYLAND_DISPLAY={wayland!r}; {HEADLESS_HINT}"


def display_available(environ: Mapping[str, str] | None = None) -> bool:
    """True where Qt can open a real window: a desktop session that answers, or any other platform."""
    return display_problem(environ) is None


def _wayland_socket_exists(name: str, env: Mapping[str, str]) -> bool:
    path = Path(name) if name.startswith("/") else Path(env.get("XDG_RUNTIME_DIR", "/nonexistent"), name)
    return path.is_socket()


def _x_server_answers(display: str) -> bool:
    """Connect to the X server the way Qt's xcb platform will (libxcb), and hang up; True if it answered.

    Where libxcb cannot be loaded, Qt's xcb platform cannot start either; that is left for Qt to report.
    """
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("xcb") or "libxcb.so.1"
    try:
        xcb = ctypes.CDLL(name)
    except OSError:
        return True
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        return bool(connection) and xcb.xcb_connection_has_error(connection) == 0
    finally:
        if connection:
            xcb.xcb_disconnect(connection)  # also frees the error object xcb returns on failure


def run_app(side: str | None = None, argv: list[str] | None = None) -> int:
    """Open the viewer (on ``side``, or the leg the last session showed) and run until it is closed; returns the
    exit code."""
    problem = display_problem()
    if problem is not None:
        raise CalfviewerError(problem)
    if os.environ.get("CALFVIEWER_ALLOW_UNTESTED") != "1" and not signal_emit_keeps_references():
        import PySide6

        raise CalfviewerError(LEAKY_EMIT.format(version=PySide6.__version__))
    from PySide6.QtWidgets import QApplication

    from calfviewer.app.main_window import MainWindow

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("calfviewer")
    app.setOrganizationName("calfviewer")
    window = MainWindow(side=side)
    closer = CloseOnSignals(window)
    closer.install()
    try:
        window.show()
        code = int(app.exec())
    finally:
        closer.restore()
    return 128 + closer.signum if closer.signum else code


class CloseOnSignals:
    """Ctrl-C in the terminal the window was started from (SIGINT) and ``kill`` (SIGTERM) close the window as its
    close button does, so the view, the settings and the bookmarks are kept; before, Ctrl-C did nothing and ``kill``
    ended the process with this session's bookmarks unwritten.

    Why a timer: Python runs a signal handler only when the interpreter next gets control, and Qt's event loop does
    not give it any while the window is idle, so a timer wakes it every :data:`WAKE_MS` ms (a no-op otherwise).
    """

    SIGNALS = (signal.SIGINT, signal.SIGTERM)
    WAKE_MS = 200

    def __init__(self, window: QWidget) -> None:
        from PySide6.QtCore import QTimer

        self.window = window
        #: The signal that closed the window (0 while none has): the exit code is 128 + it, as a shell reports.
        self.signum = 0
        self._previous: dict[int, Any] = {}
        self._wake = QTimer(window)
        self._wake.setInterval(self.WAKE_MS)
        self._wake.timeout.connect(lambda: None)

    def install(self) -> None:
        for number in self.SIGNALS:
            self._previous[number] = signal.signal(number, self._close)
        self._wake.start()

    def restore(self) -> None:
        self._wake.stop()
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        self._previous.clear()

    def _close(self, signum: int, frame: FrameType | None) -> None:
        from PySide6.QtCore import QTimer

        self.signum = signum
        QTimer.singleShot(0, self._close_window)  # from the event loop, not from inside whatever was interrupted

    def _close_window(self) -> None:
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        # A dialog the window is waiting on (Add bookmark, Save screenshot, a movie's progress) is cancelled first,
        # as the close button cannot be pressed past it: closed under it, the window's scene was gone when the
        # dialog was answered (a traceback, and the bookmark named in it lost). The window closes once it is shut.
        dialog = QApplication.activeModalWidget()
        if dialog is not None and dialog is not self.window:
            if not dialog.close():  # a message box with no Cancel ignores a close: hidden, its exec() ends all the same
                dialog.hide()
            QTimer.singleShot(0, self._close_window)
            return
        if not self.window.close():  # stayed open (the user chose to save bookmarks first): not closed by the signal
            self.signum = 0
