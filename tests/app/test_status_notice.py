"""The status bar's lasting notice and what it says of overlays left out of the 3D view."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QStatusBar

from calfviewer.app import status_notice
from calfviewer.app.status_notice import LeftOutNotices, StatusNotice

OBJ_NOTICE = (
    "Exported scene to /home/student/Documents/anatomy/exports/my leg.obj; its materials are in my_leg.mtl "
    "(an OBJ reader ends a material file's name at a space or '#')"
)


def _bar_with_notice(qtbot, width: int) -> tuple[QStatusBar, StatusNotice]:
    bar = QStatusBar()
    qtbot.addWidget(bar)
    notice = StatusNotice()
    bar.addPermanentWidget(notice)
    bar.resize(width, 30)
    bar.show()
    qtbot.waitExposed(bar)
    return bar, notice


def _shown_lines(notice: StatusNotice) -> list[str]:
    return notice.label.text().split("\n")


class _View(QObject):
    rendered = Signal()


def test_names_left_out_in_part_are_named_and_the_notice_follows_what_is_left_out(qtbot):
    """Before, any names left out read "Labels left out: the 3D view is too small for them", as if every name were
    gone, when most were on screen (a slice with long Latin names beside it), and the missing ones went unnamed;
    and the words were kept while a resize changed which names were left out."""
    notice, view = StatusNotice(), _View()
    qtbot.addWidget(notice)
    notices = LeftOutNotices(notice, view.rendered, dict)
    three = "3 of the 17 names do not fit beside the slice in 400 pixels (Femur, Patella, Tibia); make it wider"
    notices.follow({"labels": three})
    assert notice.text() == (
        "Labels left out: 3 of the 17 names do not fit beside the slice in 400 pixels (Femur, Patella, Tibia); "
        "a wider window shows them"
    )
    one = "1 of the 17 names do not fit beside the slice in 520 pixels (Femur); make it wider"
    notices.follow({"labels": one, "colour bar": "its numbers need a picture at least 300 pixels high; make it taller"})
    assert notice.text().split("  ·  ") == [
        "Labels left out: 1 of the 17 names do not fit beside the slice in 520 pixels (Femur); "
        "a wider window shows them",
        "Colour bar left out: its numbers need a picture at least 300 pixels high; a taller window shows it",
    ]
    notices.follow({"colour bar": "its numbers need a picture at least 300 pixels high; make it taller"})
    assert notice.text().startswith("Colour bar left out:") and "Labels" not in notice.text()
    notices.follow({})
    assert notice.text() == "" and not notice.isVisible()


def test_a_long_notice_takes_the_room_the_bar_has_on_one_line(qtbot):
    """The OBJ export's notice read "...its materials are in my_leg.mtl (an OBJ re…" in a 1300-pixel window, cut at
    640 pixels with room to spare, and the rest was in a tooltip alone. It now takes the bar's width but for room
    left beside it for the bar's messages: at 1300 pixels it names the material file; at 800 it is cut to its room.
    One line at every width, so the bar (and the 3D view above it) keeps its height; a screen reader reads the whole
    notice (its accessible name), and the tooltip holds it."""
    bar, notice = _bar_with_notice(qtbot, 1300)
    height, bare = bar.height(), bar.sizeHint().height()
    notice.show_notice(OBJ_NOTICE)
    for width in (1300, 800):
        bar.resize(width, height)
        qtbot.wait(100)  # the bar laid out again for its new width
        shown = notice.label.text()
        assert "\n" not in shown and bar.sizeHint().height() == bare, width
        assert notice.label.fontMetrics().horizontalAdvance(shown) <= notice.label.width(), width
        assert notice.geometry().right() < bar.width() and notice.geometry().left() >= 0.3 * width, width
        assert notice.label.accessibleName() == OBJ_NOTICE and notice.label.toolTip() == OBJ_NOTICE
        if width == 1300:
            assert "my_leg.mtl" in shown, shown  # the old 640-pixel cut lost it
        else:
            assert shown.endswith("…") and OBJ_NOTICE.startswith(shown[:-1]), shown
    assert bar.minimumSizeHint().width() < 800  # the notice never holds the window wider than the user makes it


def test_the_close_button_dismisses_the_notice_shown_and_the_one_before_it_then_shows(qtbot):
    """Two notices at once were one line ("A  ·  B") and one x dismissed both, saying both were seen: the names
    left out of a small view, closed, took a file of bookmarks not kept with them, never to be named again. Now the
    newest notice shows (with how many wait), the x dismisses it alone, and the one before it shows in its place."""
    _bar, notice = _bar_with_notice(qtbot, 1300)
    gone: list[str] = []
    notice.dismissed.connect(gone.append)
    older = "Bookmarks that did not fit in the list kept between sessions are saved in /tmp/b.json"
    notice.show_notice(older)
    notice.show_notice(OBJ_NOTICE)
    assert notice.label.text().startswith("(1 of 2) Exported scene to ")  # cut to its room, if need be
    assert notice.label.accessibleName() == f"(1 of 2) {OBJ_NOTICE}" == notice.label.toolTip()
    qtbot.mouseClick(notice.close_button, Qt.MouseButton.LeftButton)
    assert gone == [OBJ_NOTICE] and notice.isVisible()
    assert notice.label.text() == older == notice.label.accessibleName() and notice.text() == older
    notice.show_notice(OBJ_NOTICE)
    notice.withdraw(OBJ_NOTICE)  # no longer so: the one before it shows again, and nothing was dismissed
    assert notice.label.text() == older and gone == [OBJ_NOTICE]
    qtbot.mouseClick(notice.close_button, Qt.MouseButton.LeftButton)
    assert gone == [OBJ_NOTICE, older] and not notice.isVisible() and notice.text() == ""


def test_each_new_notice_is_announced_to_a_screen_reader_as_it_comes(qtbot, monkeypatch):
    """A screen reader reads a label's new name only with the focus on it: a notice shown while the user works
    elsewhere went unheard. Each new notice is announced (screen_reader.announce, an AT-SPI announcement); a
    notice withdrawn or dismissed is not, nor the overlays left out (they change with a drag)."""
    said: list[str] = []
    monkeypatch.setattr(status_notice, "announce", lambda _widget, text: said.append(text), raising=False)
    _, notice = _bar_with_notice(qtbot, 900)
    notice.show_notice("Could not restore the last view")
    notice.show_notice(OBJ_NOTICE)
    notice.withdraw(OBJ_NOTICE)
    notice.close_button.click()
    view = _View()
    LeftOutNotices(notice, view.rendered, dict).follow({"labels": "Gastrocnemius, lateral head; make it wider"})
    assert notice.shown().endswith("a wider window shows them")  # shown, and not said: it follows every frame
    assert said == ["Could not restore the last view", OBJ_NOTICE]
