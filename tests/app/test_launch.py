"""Start-up checks: a Qt binding whose signals corrupt reference counts is refused before the window opens."""

from __future__ import annotations

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
