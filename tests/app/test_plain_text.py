"""Text the user typed (bookmark names, file names) is shown as typed, never taken for rich text by Qt."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtGui import Qt, QTextDocument
from PySide6.QtWidgets import QInputDialog, QLabel, QMessageBox

from calfviewer.app.plain_text import plain
from calfviewer.app.status_notice import StatusNotice

pytestmark = pytest.mark.gui

#: A name as a user may type it: in a widget that guesses, shown as "Knee bent" in bold, the tags gone.
TAGGED = "<b>Knee</b> bent & <i>turned</i>"


def _seen(text: str) -> str:
    """The words a widget that guesses the format (a message box, a tooltip) shows for ``text``."""
    document = QTextDocument()
    if Qt.mightBeRichText(text):
        document.setHtml(text)
    else:
        document.setPlainText(text)
    return document.toPlainText()


def _label_seen(label: QLabel) -> str:
    if label.textFormat() == Qt.TextFormat.PlainText:
        return label.text()
    return _seen(label.text())


def test_the_helper_keeps_text_as_it_is_unless_qt_would_take_it_for_html():
    assert plain("Saved to /tmp/leg.png") == "Saved to /tmp/leg.png"  # nothing to guess: unchanged
    assert _seen(plain(f"Remove {TAGGED!r}?\n\nSecond line")) == f"Remove {TAGGED!r}?\nSecond line"


def test_a_bookmark_name_with_tags_is_shown_as_typed_in_questions_warnings_and_tooltips(study_window, monkeypatch):
    """Before, a bookmark named "<b>Knee</b> bent" was asked about as a bold "Knee bent" in Remove's question, its
    row's tooltip and the warning of a rename to a taken name: Qt took the text for HTML."""
    panel = study_window.bookmarks
    asked: list[str] = []
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *_a: asked.append(text) or QMessageBox.No)
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: warned.append(text))
    panel.add(TAGGED)
    panel.add("Plain")
    assert TAGGED in _seen(panel.list.item(0).toolTip())
    panel.list.setCurrentRow(0)
    panel.remove_current()  # saved in no file: asked first
    assert asked and f"{TAGGED!r}" in _seen(asked[-1])
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: (TAGGED, True))
    panel.list.setCurrentRow(1)
    panel.rename_current()  # to a name another bookmark has: refused
    assert warned and f"{TAGGED!r}" in _seen(warned[-1])
    panel.add_dialog()  # the same name again: asked whether to replace it
    assert f"{TAGGED!r}" in _seen(asked[-1])


def test_a_file_name_with_tags_is_shown_as_typed_in_the_error(study_window, monkeypatch, tmp_path):
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: warned.append(text))
    missing = tmp_path / "<i>my</i> view.json"
    study_window._guard(lambda: study_window.open_view(str(missing)), "opened")
    assert warned and "<i>my</i> view.json" in _seen(warned[-1])


def test_the_lasting_notice_shows_its_words_as_written(qtbot):
    """The status bar's notice is a label: the name of a movie saved as "<b>Knee</b> bent" showed in bold."""
    notice = StatusNotice()
    qtbot.addWidget(notice)
    text = f"Saved movie to /tmp/{TAGGED}.mp4"
    notice.show_notice(text, say=False)
    seen = _label_seen(notice.label)
    assert text.startswith(seen.removesuffix("…")) and "<b>Knee</b>" in seen  # cut to the bar's room, tags kept
    assert _seen(notice.label.toolTip()) == text


def test_a_bookmark_name_with_an_ampersand_is_named_whole_in_the_undo_command(study_window):
    """A menu command's text takes '&' for the mark of its Alt key: "Undo Restore bookmark 'R&D'" showed as 'RD'
    with the D underlined."""
    study_window.state.select("soleus")
    study_window.bookmarks.add("R&D")
    study_window.state.select(None)
    study_window.set_view("lateral")
    study_window.history.flush()
    study_window.bookmarks.restore("R&D")
    assert study_window.history.stack.undoText() == "Restore bookmark 'R&D'"
    text = study_window.actions_by_name["undo"].text()
    shown = text.replace("&&", "\0").replace("&", "").replace("\0", "&")  # as the menu draws it
    assert shown == "Undo Restore bookmark 'R&D'"
