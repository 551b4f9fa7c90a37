"""Answering a Save dialog as a user does, for the tests of the window's Save and Export commands: pick a type in
"Files of type" with the keyboard, type a name, press Enter, and answer the question whether to replace a file.

The dialog is Qt's own (not the desktop's): under Xvfb there is no native one, so the test drives the real dialog the
command opens, with its real checks (the suffix it adds, the replace question it asks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QLineEdit, QMessageBox

#: How often (ms) the helper looks for the dialog or its question to open.
POLL = 50


@dataclass
class Answers:
    """What the dialog asked while it was answered: the text of each question whether to replace a file."""

    questions: list[str] = field(default_factory=list)


def _visible(kind: type) -> list:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def _suffixes(name_filter: str) -> list[str]:
    """The suffixes a name filter lists: "JPEG picture (*.jpg *.jpeg)" -> ["jpg", "jpeg"]."""
    return re.findall(r"\*\.(\w+)", name_filter)


def answer_save_dialog(qtbot, folder: Path, name: str, of_type: str | None = None, replace: bool = True) -> Answers:
    """When the next Save dialog opens: go to ``folder`` (the dialog opens where the last one was accepted, which in
    a test run is another test's folder), choose the type that lists ``*.of_type`` in "Files of type" (arrow keys
    on the box, as a user picks it; None leaves the type the dialog offers), type ``name`` and press Enter. A
    question whether to replace a file is recorded and answered Yes if ``replace``, else No, and then the dialog is
    cancelled. Call before the command that opens the dialog; read the questions after it returns."""
    answers = Answers()

    def answer_question() -> None:
        questions = _visible(QMessageBox)
        if not questions:
            if _visible(QFileDialog):  # the dialog is still deciding, or accepted without asking: look again
                QTimer.singleShot(POLL, answer_question)
            return
        box = questions[0]
        answers.questions.append(box.text())
        button = QMessageBox.StandardButton.Yes if replace else QMessageBox.StandardButton.No
        box.button(button).click()
        if not replace:
            QTimer.singleShot(POLL, lambda: [dialog.reject() for dialog in _visible(QFileDialog)])

    def fill_in() -> None:
        dialogs = _visible(QFileDialog)
        if not dialogs:
            QTimer.singleShot(POLL, fill_in)
            return
        dialog = dialogs[0]
        dialog.setDirectory(str(folder))
        if of_type is not None:
            types = dialog.findChild(QComboBox, "fileTypeCombo")
            types.setFocus()
            qtbot.keyClick(types, Qt.Key.Key_Home)
            for _ in range(types.count()):
                if of_type in _suffixes(types.currentText()):
                    break
                qtbot.keyClick(types, Qt.Key.Key_Down)
            assert of_type in _suffixes(types.currentText()), f"no type *.{of_type} in {dialog.nameFilters()}"
        edit = dialog.findChild(QLineEdit, "fileNameEdit")
        edit.setText(name)
        QTimer.singleShot(POLL, answer_question)  # Enter may open the question in an event loop of its own
        qtbot.keyClick(edit, Qt.Key.Key_Return)

    QTimer.singleShot(POLL, fill_in)
    return answers
