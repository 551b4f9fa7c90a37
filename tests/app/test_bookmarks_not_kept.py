"""Bookmarks that did not fit in the list kept between sessions: named at each start until dismissed or opened."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from calfviewer.scene import bookmarks as store

pytestmark = pytest.mark.gui

HOW = "Bookmarks → Load… opens them"


def test_bookmarks_not_kept_at_close_are_named_at_each_start_until_the_notice_is_dismissed(
    open_window, qtbot, tmp_path, monkeypatch
):
    """Two windows' lists past what a file holds: the one closed last saved the other's "First" beside the kept list
    and said so once, in a box, as it closed; the next session said nothing, so the bookmark sat in a file no one
    would look for. Each start now names that file and how to open it in the lasting notice, until the user
    dismisses the notice; then it is not named again."""
    settings = tmp_path / "settings.ini"
    first, second = open_window(settings), open_window(settings)
    first.state.camera = "anterior"
    first.bookmarks.add("First")
    second.state.camera = "medial"
    second.bookmarks.add("Second")
    monkeypatch.setattr(store, "BOOKMARKS_LIMIT", store.file_size(second.bookmarks.bookmarks))  # one list's worth
    monkeypatch.setattr(QMessageBox, "information", lambda *args: None)
    first.close()
    second.close()
    (aside,) = tmp_path.glob("bookmarks-not-kept-*.json")
    assert [b.name for b in store.load(aside)] == ["First"]

    for _ in range(2):  # named at every start while the user has not dismissed it
        again = open_window(settings)
        assert again.notice.isVisible() and str(aside) in again.notice.text() and HOW in again.notice.text()
        assert [b.name for b in again.bookmarks.bookmarks] == ["Second"]
        again.close()
    again = open_window(settings)
    qtbot.mouseClick(again.notice.close_button, Qt.MouseButton.LeftButton)
    assert not again.notice.isVisible()
    again.close()
    assert str(aside) not in open_window(settings).notice.text()  # dismissed: not named again
    assert aside.exists()  # the bookmarks themselves are never removed


def test_a_not_kept_file_opened_with_load_is_no_longer_named_and_the_others_still_are(open_window, tmp_path):
    """Each file is named on its own: loading one (Bookmarks → Load…) takes its bookmarks into the list, so its
    notice goes at once and does not come back; another still waiting is still named, and one deleted is not."""
    settings = tmp_path / "settings.ini"
    maker = open_window(settings)
    made = maker.bookmarks.add("Made")
    maker.bookmarks.remove("Made")
    maker.close()
    files = [tmp_path / f"bookmarks-not-kept-20261207-12000{n}.json" for n in range(3)]
    for path in files:
        store.save(path, [made])
    files[2].unlink()  # the user cleaned up: nothing to name
    win = open_window(settings)
    text = win.notice.text()
    assert str(files[0]) in text and str(files[1]) in text and str(files[2]) not in text
    win.bookmarks.load(str(files[0]))
    assert str(files[0]) not in win.notice.text() and str(files[1]) in win.notice.text()
    assert [b.name for b in win.bookmarks.bookmarks] == ["Made"]
    win.close()
    text = open_window(settings).notice.text()
    assert str(files[0]) not in text and str(files[1]) in text and HOW in text


def test_dismissing_another_notice_leaves_the_not_kept_file_named(open_window, qtbot, tmp_path):
    """The x dismissed every lasting notice at once and marked every not-kept file named in them seen: closing
    another notice shown with it (the names left out of a small view, what an export wrote) meant the file was
    never named again. Now the x dismisses the notice shown; the file's notice shows again and is named at the next
    start, until its own notice is dismissed."""
    settings = tmp_path / "settings.ini"
    maker = open_window(settings)
    made = maker.bookmarks.add("Made")
    maker.bookmarks.remove("Made")
    maker.close()
    aside = tmp_path / "bookmarks-not-kept-20261207-120000.json"
    store.save(aside, [made])
    win = open_window(settings)
    other = "Exported scene to /tmp/my leg.obj; its materials are in my_leg.mtl"
    win.notice.show_notice(other)  # another notice, newer, shown over the file's
    assert other in win.notice.label.accessibleName()
    qtbot.mouseClick(win.notice.close_button, Qt.MouseButton.LeftButton)
    assert win.notice.isVisible() and str(aside) in win.notice.label.accessibleName()  # the file's, shown again
    assert other not in win.notice.text()
    win.close()
    again = open_window(settings)
    assert str(aside) in again.notice.text()  # not taken as seen
    qtbot.mouseClick(again.notice.close_button, Qt.MouseButton.LeftButton)  # its own notice dismissed
    again.close()
    assert str(aside) not in open_window(settings).notice.text()


def test_load_opens_in_the_folder_of_the_not_kept_files_while_the_notice_names_them(open_window, qtbot, tmp_path):
    """Before, Bookmarks → Load… opened where the dialog last was (the working folder at first), and the file the
    notice named sat beside the settings file, a folder no one browses to. While the notice names such a file the
    dialog opens in its folder; once the notice is dismissed, where it last was, as before."""
    from calfviewer.app import bookmarks as panel_module

    settings = tmp_path / "settings" / "settings.ini"
    settings.parent.mkdir()
    maker = open_window(tmp_path / "maker.ini")
    made = maker.bookmarks.add("Made")
    store.save(settings.parent / "bookmarks-not-kept-20261207-120000.json", [made])
    started_in: list[str] = []

    def dialog(_parent, _title, folder, _filter):
        started_in.append(folder)
        return "", ""

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(panel_module.QFileDialog, "getOpenFileName", dialog)
        win = open_window(settings)
        assert str(settings.parent) in win.notice.text()
        win.bookmarks.load_dialog()
        qtbot.mouseClick(win.notice.close_button, Qt.MouseButton.LeftButton)
        win.bookmarks.load_dialog()
    assert started_in == [str(settings.parent), ""]  # "": Qt's own memory of the folder last used
