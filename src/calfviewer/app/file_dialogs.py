"""The Save dialog for the files the window reads back (view files, bookmark files), which adds their suffix.

Qt's static ``QFileDialog.getSaveFileName`` writes a name typed without a suffix as it is: "lesson" was saved as
``lesson``, and File → Open view and Bookmarks → Load…, which list ``*.json`` files, then did not show it, so the
view a student saved seemed lost. This dialog adds the suffix before it checks the name, so the question whether to
replace a file is asked about the file that will be written (``lesson.json``), not about ``lesson``.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFileDialog, QWidget


def save_file_name(parent: QWidget | None, title: str, suggested: str, name_filter: str, suffix: str) -> str:
    """The path the user chose to save to, ending in ``.suffix`` if typed with no suffix; "" if cancelled."""
    dialog = QFileDialog(parent, title, "", name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix(suffix)
    dialog.selectFile(suggested)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return ""
    chosen = dialog.selectedFiles()
    return chosen[0] if chosen else ""
