"""The window's docks: a dock whose contents take no focus while the dock is out of sight.

Why: Qt keeps a dock that is a tab behind another "visible" and moves it off screen (to about -820, -1216), so the
Tab key stopped on its controls, none of them on screen (in a fresh layout, four presses on the History list and the
Bookmarks list and buttons behind the Information tab), and a screen reader read them as usable. Qt says when a dock
comes into sight or goes out of it (``visibilityChanged``: a tab brought to the front or put behind, the dock shown,
closed or floated); the contents are disabled while it is out of sight, which takes them out of the Tab order, and
enabled again as it comes into sight, before it is painted. Not hidden: a dock whose contents are hidden has no
minimum size, and one moved out of the tabs (the Mechanics plot, as the quiz ends) was laid out 16 pixels high.
Dialogs a disabled panel opens (Bookmarks' Ctrl+B) are windows of their own and stay enabled.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDockWidget, QWidget


class Dock(QDockWidget):
    """A dock titled ``title`` (its object name, which the saved layout keys on, is the title in lower case) holding
    ``widget`` (or one set later with ``setWidget``), whose contents are disabled while it cannot be seen."""

    def __init__(self, title: str, parent: QWidget | None = None, widget: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName(title.lower())
        if widget is not None:
            self.setWidget(widget)
        self.visibilityChanged.connect(self._follow_sight)

    def _follow_sight(self, in_sight: bool) -> None:
        contents = self.widget()
        if contents is not None:
            contents.setEnabled(in_sight)
