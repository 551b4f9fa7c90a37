"""Text holding what the user typed (a bookmark's name, a file name, the search text, an angle) shown as typed.

Why: Qt guesses whether a message box's text, a tooltip or a label's text is rich text (``Qt.mightBeRichText``: a
tag before the first line break), so a bookmark named "<b>Knee</b>" came up in its Remove question and its tooltip
as a bold "Knee", "<i>" in a file name set the rest of an error in italics, and "<img src=...>" in a name asked Qt
to load a picture. Every such text goes through :func:`plain` on its way to a widget that guesses (a label is set to
plain text instead); text calfviewer writes as HTML (the About box, the shortcuts table) is left as it is.
"""

from __future__ import annotations

from PySide6.QtGui import Qt


def plain(text: str) -> str:
    """``text`` for a widget that guesses its format (a message box, a tooltip), so it shows word for word: as it is
    when Qt takes it for plain text, else written as HTML that shows it literally (its ``<``, ``>`` and ``&``
    escaped, its line breaks kept)."""
    if not Qt.mightBeRichText(text):
        return text
    return Qt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)
