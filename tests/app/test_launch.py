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
