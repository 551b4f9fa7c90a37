"""A damaged settings file is set aside as a backup, never lost, and the viewer starts with defaults."""

from __future__ import annotations

import os

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QSettings

from calfviewer.app.settings import fit_on_screen, open_settings, unwritten


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


@pytest.mark.parametrize(
    "damaged",
    [
        bytes(range(256)) * 8,  # random binary: QSettings reads it without an error and would overwrite it
        b"hello, this is not a settings file\n",
        "[view]\nlast=caf\u00e9\n".encode("latin-1"),  # not UTF-8
    ],
)
def test_every_kind_of_damage_is_backed_up_with_a_notice(tmp_path, damaged):
    path = tmp_path / "calfviewer.ini"
    path.write_bytes(damaged)
    opened = open_settings(str(path))
    assert opened.notice is not None and "damaged" in opened.notice
    backups = list(tmp_path.glob("calfviewer.ini.corrupt-*.bak"))
    assert len(backups) == 1 and backups[0].read_bytes() == damaged


def test_settings_the_window_writes_read_back_without_a_notice(tmp_path):
    from PySide6.QtCore import QByteArray, QSettings

    path = tmp_path / "calfviewer.ini"
    written = QSettings(str(path), QSettings.Format.IniFormat)
    written.setValue("window/geometry", QByteArray(bytes(range(256))))
    written.setValue("view/last", '{\n  "selection": "soleus", "name": "caf\u00e9 [x] = y"\n}\n')
    written.setValue("animation/speed", 1.5)
    written.sync()
    del written
    assert open_settings(str(path)).notice is None


def test_damaged_settings_that_cannot_be_moved_aside_are_left_alone(tmp_path, monkeypatch):
    import errno
    import os
    from pathlib import Path

    def read_only(self: Path, target: object) -> Path:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    import tempfile

    folder = tmp_path / "settings"
    folder.mkdir()
    path = folder / "calfviewer.ini"
    path.write_bytes(b"\x00\xff" * 100)
    monkeypatch.setattr(Path, "replace", read_only)  # as in a read-only folder, which root could still write
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the scratch folder in the test's, not /tmp
    opened = open_settings(str(path))
    assert opened.notice is not None and "could not be moved aside" in opened.notice
    assert path.read_bytes() == b"\x00\xff" * 100
    assert opened.settings.fileName() != str(path)
    assert opened.home == folder  # the bookmarks are still kept beside the real settings file


def test_a_folder_where_the_settings_lock_goes_is_moved_aside_so_the_settings_can_be_written(tmp_path):
    """Before, a folder named like QSettings' lock file (``calfviewer.ini.lock``) made every write of the settings
    wait for the lock for good: the window opened, then hung when it closed (and on the signal that closes it),
    keeping neither its settings nor its bookmarks. The folder is moved aside, whole, and the notice says where."""
    path = tmp_path / "calfviewer.ini"
    path.write_text("[view]\nnames=latin\n")
    lock = tmp_path / "calfviewer.ini.lock"
    lock.mkdir()
    (lock / "note.txt").write_text("mine")
    opened = open_settings(str(path))
    assert not lock.exists()  # checked before any write: on the old code the write below never returns
    (moved,) = tmp_path.glob("calfviewer.ini.lock.corrupt-*.bak")
    assert (moved / "note.txt").read_text() == "mine"
    assert opened.notice is not None and str(moved) in opened.notice
    assert opened.settings.value("view/names") == "latin"  # the settings file itself is whole and used
    opened.settings.setValue("view/names", "english")
    opened.settings.sync()
    assert opened.settings.status() == opened.settings.Status.NoError and "names=english" in path.read_text()


def test_a_lock_folder_that_cannot_be_moved_aside_leaves_the_settings_alone(tmp_path, monkeypatch):
    from pathlib import Path

    path = tmp_path / "calfviewer.ini"
    path.write_text("[view]\nnames=latin\n")
    (tmp_path / "calfviewer.ini.lock").mkdir()

    def refuse(self, target):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "replace", refuse)
    opened = open_settings(str(path))
    assert opened.notice is not None and "calfviewer.ini.lock" in opened.notice and "not be kept" in opened.notice
    assert Path(opened.settings.fileName()) != path and opened.home == tmp_path
    opened.settings.setValue("view/names", "english")
    opened.settings.sync()  # a scratch file: written, the user's file untouched
    assert path.read_text() == "[view]\nnames=latin\n"


def test_a_remembered_window_is_fitted_to_the_screen_it_opens_on():
    from PySide6.QtCore import QRect, QSize

    minimum = QSize(992, 414)
    laptop = QRect(0, 0, 1366, 768)
    # Saved on a 2560 x 1440 screen at (200, 100), 2000 x 1200: as big as 1366 x 768 holds less 16 x 48 for a frame,
    # moved left and up just enough to end at the screen's edges.
    assert fit_on_screen(QRect(200, 100, 2000, 1200), laptop, minimum) == QRect(16, 48, 1350, 720)
    # Saved at the right of a big screen, of a size this one holds: moved back on, size kept.
    assert fit_on_screen(QRect(1800, 600, 1100, 700), laptop, minimum) == QRect(266, 68, 1100, 700)
    # A window that fits stays where the user put it.
    assert fit_on_screen(QRect(40, 30, 1100, 650), laptop, minimum) == QRect(40, 30, 1100, 650)
    # A second screen to the right, with a panel on top: its own origin counts.
    right = QRect(1920, 32, 1024, 736)
    assert fit_on_screen(QRect(1900, 0, 1400, 900), right, minimum) == QRect(1920, 32, 1008, 688)
    # Never smaller than the window's minimum, even on a screen smaller than that.
    assert fit_on_screen(QRect(0, 0, 1400, 900), QRect(0, 0, 800, 600), minimum).size() == QSize(992, 552)


def read_only_bits(path: str | os.PathLike) -> int:
    """The write permission bits of ``path`` (0: read-only to everyone)."""
    return os.stat(path).st_mode & 0o222


def test_settings_that_cannot_be_written_are_said_at_the_start(tmp_path, monkeypatch):
    """A settings file that is read as it is but cannot be written (read-only, or in a folder that takes no new file,
    as QSettings needs for its copy and its lock) lost the whole session's settings without a word: QSettings
    fails quietly as the window closes, and the next start came back as before (seen with a read-only
    ~/.config/calfviewer). The window now says so at the start; writable settings say nothing."""
    writable = tmp_path / "calfviewer.ini"
    writable.write_text("[view]\nside=left\n")
    assert unwritten(QSettings(str(writable), QSettings.Format.IniFormat)) is None
    assert unwritten(QSettings(str(tmp_path / "new" / "calfviewer.ini"), QSettings.Format.IniFormat)) is None
    # /proc takes no new file, even from root
    notice = unwritten(QSettings("/proc/calfviewer-nowhere/calfviewer.ini", QSettings.Format.IniFormat))
    assert notice is not None and "/proc/calfviewer-nowhere/calfviewer.ini cannot be written" in notice
    assert "will not be remembered" in notice and "folder takes no new file" in notice
    read_only = tmp_path / "locked.ini"
    read_only.write_text("[view]\nside=left\n")
    read_only.chmod(0o444)
    user_access = os.access  # root may write any file: the test asks as a user would be answered
    monkeypatch.setattr(
        os, "access", lambda path, mode: user_access(path, mode) and not (mode & os.W_OK and not read_only_bits(path))
    )
    notice = unwritten(QSettings(str(read_only), QSettings.Format.IniFormat))
    assert notice is not None and str(read_only) in notice and "read-only" in notice


def test_settings_whose_folder_is_a_file_are_not_called_damaged(tmp_path):
    """A file standing where the settings' folder goes (~/.config/calfviewer written as a file) was reported as a
    damaged settings file: "it is damaged (it cannot be read (Not a directory)) and could not be moved aside",
    though no settings file was there to be damaged. There is none: the window starts with defaults and says only
    that this session's settings cannot be kept, and why."""
    in_the_way = tmp_path / "calfviewer"
    in_the_way.write_text("not a folder\n")
    opened = open_settings(str(in_the_way / "calfviewer.ini"))
    assert opened.notice is None
    notice = unwritten(opened.settings)
    assert notice is not None and "Not a directory" in notice and "damaged" not in notice
    assert in_the_way.read_text() == "not a folder\n" and list(tmp_path.iterdir()) == [in_the_way]
