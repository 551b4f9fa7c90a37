"""A notice in the status bar that stays until the user dismisses it.

Why not ``showMessage``: the status bar's message is replaced by the next one (a hover names the structure under
the mouse every few milliseconds), so a notice such as "the last view could not be restored" was gone before
anyone could read it. A permanent widget is never covered by those messages.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget


class StatusNotice(QWidget):
    """A label and a close button; hidden while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setWordWrap(False)
        self.label.setStyleSheet("color: #8a4b00; font-weight: 600;")
        self.close_button = QToolButton(self)
        self.close_button.setText("×")
        self.close_button.setToolTip("Dismiss this notice")
        self.close_button.setAccessibleName("Dismiss notice")
        self.close_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button)
        self.hide()

    def show_notice(self, text: str) -> None:
        """Show ``text`` (added under any notice already shown) until dismissed; the full text is the tooltip."""
        previous = self.label.text() if self.isVisible() else ""
        combined = f"{previous}  ·  {text}" if previous else text
        self.label.setText(combined)
        self.label.setToolTip(combined)
        self.show()

    def text(self) -> str:
        """What the notice says now ("" when dismissed)."""
        return self.label.text() if not self.isHidden() else ""

    def dismiss(self) -> None:
        self.label.clear()
        self.hide()
