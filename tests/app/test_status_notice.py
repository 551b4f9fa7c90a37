"""The status bar's lasting notice and what it says of overlays left out of the 3D view."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from calfviewer.app.status_notice import LeftOutNotices, StatusNotice


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
