"""The info panel: the selection's facts, with origins and insertions as links that turn the camera to them.

The facts come from the same :func:`fact_rows` as ``calfviewer info``, so the panel and the command line never say
different things. During motion the live block shows the selected muscle's current length and its moment arm at
each joint it crosses.

The panel follows the viewer's one result (:class:`~calfviewer.viewer.viewer.ViewResult`): the facts when the
selection changed, the live block from the same result's pose, in one handler, so what it shows never depends on
which other follower ran first. A structure that acts on the toes also gets a row saying that the model moves all
five toes with one joint, so a student does not read the animation as the big toe moving alone.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QLabel, QSizePolicy, QTextBrowser, QVBoxLayout, QWidget

from calfviewer.anatomy.names import DEFAULT_NAMES, check_names, display_name
from calfviewer.anatomy.text import fact_rows
from calfviewer.musculoskeletal.pose import TOES_NOTE, measurements_text
from calfviewer.viewer.viewer import Viewer, ViewResult

EMPTY_TEXT = "Click a bone or muscle in the 3D view, or pick one in the structure tree."


class InfoPanel(QWidget):
    """Shows the selected structure; emits ``attachment_clicked(role, index)`` for an origin or insertion link."""

    attachment_clicked = Signal(str, int)

    def __init__(self, viewer: Viewer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.viewer = viewer
        self.catalogue = viewer.catalogue
        self.names = DEFAULT_NAMES
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.live = QLabel(self)
        self.live.setWordWrap(True)
        self.live.setStyleSheet("font-family: monospace;")
        # The block wraps to the panel's width instead of widening the dock (and so shrinking the 3D view) when a
        # muscle that crosses more joints, or a pose with every angle, gives it longer lines.
        self.live.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._on_anchor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.live)
        layout.addWidget(self.browser, 1)
        viewer.result_changed.connect(self._follow)
        self._show_facts(viewer.result.selection)
        self._show_live(viewer.result)

    def _follow(self, result: ViewResult) -> None:
        if "selection" in result.changed:
            self._show_facts(result.selection)
        if result.changed & {"selection", "pose"}:
            self._show_live(result)

    def _show_facts(self, selection: str | None) -> None:
        if selection is None:
            self.title.setText("Nothing selected")
            self.browser.setHtml(f"<p>{html.escape(EMPTY_TEXT)}</p>")
            self.live.clear()
            self.live.hide()
            return
        structure = self.catalogue.get(selection)
        self.title.setText(display_name(structure, self.names))
        rows = []
        counters = {"Origin": 0, "Insertion": 0}
        for row in fact_rows(structure, self.catalogue, self.names):
            text = html.escape(row.text)
            if row.label in counters:
                index = counters[row.label]
                counters[row.label] += 1
                text = f'<a href="attach:{row.label.lower()}:{index}">{text}</a>'
            rows.append(
                f"<tr><td valign='top' style='padding-right:8px'><b>{html.escape(row.label)}</b></td>"
                f"<td>{text}</td></tr>"
            )
        if any(action.joint == "toes" for action in structure.actions):
            rows.append(
                "<tr><td valign='top' style='padding-right:8px'><b>In the model</b></td>"
                f"<td>{html.escape(TOES_NOTE)}</td></tr>"
            )
        self.browser.setHtml(f"<table cellspacing='3'>{''.join(rows)}</table>")

    def set_names(self, names: str) -> None:
        """Name the selection (title and every row) in English or Latin."""
        self.names = check_names(names)
        self._show_facts(self.viewer.result.selection)

    def _show_live(self, result: ViewResult) -> None:
        """The selected muscle's length and its moment arm at every joint it crosses (ankle, knee, subtalar, toes)
        in ``result``'s pose; hidden for a bone, a tendon or no selection."""
        path = result.selected_path
        if path is None:
            self.live.hide()
            return
        self.live.setText(
            measurements_text(
                result.pose.pose, path.length, path.moment_arm_ankle, path.moment_arm_knee, arms=path.arms
            )
        )
        self.live.show()

    def _on_anchor(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("attach:"):
            _, role, index = text.split(":")
            self.attachment_clicked.emit(role, int(index))
