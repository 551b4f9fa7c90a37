"""The window's one Save dialog, which adds the suffix of the type chosen in it to a name typed without one.

Qt's static ``QFileDialog.getSaveFileName`` returns a name typed without a suffix as it is. "lesson" was saved as
``lesson``, which File → Open view (it lists ``*.json``) did not show; "calf" in Save screenshot, Export movie and
Export scene was refused ("must end in .png, ..."); Export curves wrote a file named ``calf``; Export plot added
``.png`` after the dialog had closed, so the dialog asked whether to replace ``calf`` and an existing ``calf.png``
was written over without a question. This dialog adds the suffix before it checks the name, the suffix of the type
chosen in "Files of type" (``calf.jpg`` when JPEG is chosen), so the question whether to replace a file is asked
about the file that will be written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

#: A name filter's patterns: "JPEG picture (*.jpg *.jpeg)" lists jpg and jpeg.
_PATTERN = re.compile(r"\*\.([A-Za-z0-9]+)")


def file_types(types: Iterable[tuple[str, Iterable[str]]]) -> str:
    """A name filter with one choice per type, for "Files of type": [("JPEG picture", (".jpg", ".jpeg"))] gives
    "JPEG picture (*.jpg *.jpeg)". One type per choice, so the type chosen says which suffix to add."""
    return ";;".join(f"{label} ({' '.join('*' + suffix for suffix in suffixes)})" for label, suffixes in types)


def _suffix(name_filter: str) -> str:
    """The suffix a name typed under ``name_filter`` gets: its first pattern's ("jpg" for JPEG), "" for none."""
    match = _PATTERN.search(name_filter)
    return match.group(1) if match else ""


def save_file_name(parent: QWidget | None, title: str, suggested: str, name_filter: str) -> str:
    """The path the user chose to save to, "" if cancelled. ``name_filter`` is Qt's (choices joined by ";;"); a
    name typed without a suffix gets the suffix of the choice selected when the dialog is accepted. The dialog opens
    on the choice that lists ``suggested``'s suffix."""
    dialog = QFileDialog(parent, title, "", name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    suggested_suffix = suggested.rpartition(".")[2].lower() if "." in suggested else ""
    choices = name_filter.split(";;")
    first = next((c for c in choices if suggested_suffix in map(str.lower, _PATTERN.findall(c))), choices[0])
    dialog.selectNameFilter(first)
    dialog.setDefaultSuffix(_suffix(first))
    # Before the name is checked (replace question included): the choice the user makes in "Files of type".
    dialog.filterSelected.connect(lambda chosen: dialog.setDefaultSuffix(_suffix(chosen)))
    dialog.selectFile(suggested)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return ""
    chosen = dialog.selectedFiles()
    return chosen[0] if chosen else ""
