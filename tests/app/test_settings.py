"""A damaged settings file is set aside as a backup, never lost, and the viewer starts with defaults."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from calfviewer.app.settings import open_settings


def test_corrupt_settings_are_backed_up_and_replaced(tmp_path):
    path = tmp_path / "calfviewer.ini"
    damaged = b"[window\nxx=\x00\x01garbage\n[[[\n"
    path.write_bytes(damaged)
    opened = open_settings(str(path))
    assert opened.notice is not None and "defaults" in opened.notice
    backups = list(tmp_path.glob("calfviewer.ini.corrupt-*.bak"))
    assert len(backups) == 1 and backups[0].read_bytes() == damaged
    assert str(backups[0]) in opened.notice
    opened.settings.setValue("view/last", "x")
    opened.settings.sync()
    assert opened.settings.status() == opened.settings.Status.NoError


def test_good_settings_open_without_notice(tmp_path):
    path = tmp_path / "ok.ini"
    path.write_text("[window]\nwidth=3\n")
    opened = open_settings(str(path))
    assert opened.notice is None
    assert opened.settings.value("window/width") == "3"
