"""Start-up checks: a Qt binding whose signals corrupt reference counts is refused before the window opens."""

from __future__ import annotations

import json
import signal

import pytest

pytest.importorskip("PySide6")

from calfviewer.app import launch
from calfviewer.errors import CalfviewerError


def test_installed_pyside_keeps_references_to_true():
    # PySide6 6.12.0 fails this: its Signal.emit drops a reference to True each call, and a long session aborts.
    assert launch.signal_emit_keeps_references()


def test_a_leaky_pyside_is_refused_with_the_fix(monkeypatch):
    monkeypatch.delenv("CALFVIEWER_ALLOW_UNTESTED", raising=False)
    monkeypatch.setattr(launch, "display_problem", lambda: None)
    monkeypatch.setattr(launch, "signal_emit_keeps_references", lambda: False)
    with pytest.raises(CalfviewerError, match=r"pip install 'PySide6-Essentials>=6\.11\.3,<6\.12'") as refused:
        launch.run_app()
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_and_kill_close_the_window_keeping_the_view_and_bookmarks(open_window, qtbot, tmp_path, signum):
    """Before: Ctrl-C in the terminal did nothing to the window, and ``kill`` ended it without keeping the view or
    this session's bookmarks. Now either closes it as its close button does."""
    from PySide6.QtCore import QSettings

    win = open_window(tmp_path / "settings.ini")
    win.bookmarks.add("Soleus from behind")
    closer = launch.CloseOnSignals(win)
    closer.install()
    try:
        signal.raise_signal(signum)
        qtbot.waitUntil(lambda: not win.isVisible(), timeout=5000)
    finally:
        closer.restore()
    assert closer.signum == signum  # run_app exits with 128 + it, as a shell reports a signal
    assert QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat).value("view/last")
    kept = json.loads((tmp_path / "bookmarks.json").read_text(encoding="utf-8"))
    assert "Soleus from behind" in json.dumps(kept)
    assert signal.getsignal(signum) in (signal.default_int_handler, signal.SIG_DFL)  # put back


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_while_a_dialog_is_open_cancels_it_then_closes_the_window(open_window, qtbot, tmp_path, signum):
    """Before, Ctrl-C or ``kill`` while the Add bookmark dialog was open closed the window under the dialog: the
    dialog stayed, and its OK raised a traceback (the scene's plotter was closed) with the bookmark lost. Now the
    dialog is cancelled, as the close button cannot be pressed past it, and then the window closes, keeping the
    bookmarks made before."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    win = open_window(tmp_path / "settings.ini")
    win.bookmarks.add("Before the dialog")
    closer = launch.CloseOnSignals(win)
    closer.install()
    seen = []

    def answer_after_the_signal() -> None:
        dialog = QApplication.activeModalWidget()
        seen.append(dialog)
        if dialog is not None:  # the signal left it open: OK is what a user would press next
            dialog.accept()

    try:
        QTimer.singleShot(100, lambda: signal.raise_signal(signum))
        QTimer.singleShot(1500, answer_after_the_signal)
        win.bookmarks.add_dialog()  # returns when the dialog is shut
        qtbot.waitUntil(lambda: not win.isVisible(), timeout=5000)
        qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    finally:
        closer.restore()
    assert seen == [None]  # nothing was left open to answer
    assert closer.signum == signum
    assert [b.name for b in win.bookmarks.bookmarks] == ["Before the dialog"]
    kept = json.loads((tmp_path / "bookmarks.json").read_text(encoding="utf-8"))
    assert "Before the dialog" in json.dumps(kept)
