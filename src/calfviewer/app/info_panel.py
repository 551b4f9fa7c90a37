"""The info panel: the selection's facts, with origins and insertions as links that turn the camera to them.

It only displays: the viewer words everything once (:class:`~calfviewer.viewer.viewer.Facts`, the same rows as
``calfviewer info``, and the live block of the selected muscle's length and moment arms in the pose shown) and hands
it over in its one result (:class:`~calfviewer.viewer.viewer.ViewResult`), so what the panel shows never depends on
which other follower ran first, and a new row is a change to the viewer's wording, not to this widget.
"""

from __future__ import annotations

import html
import math

from PySide6.QtCore import QSizeF, Qt, QUrl, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QTextBrowser, QVBoxLayout, QWidget

from calfviewer.musculoskeletal.pose import JOINT_GAP, angle_joints
from calfviewer.viewer.viewer import Facts, Viewer, ViewResult

EMPTY_TEXT = "Click a bone or muscle in the 3D view, or pick one in the structure tree."


class InfoPanel(QWidget):
    """Shows the selected structure; emits ``attachment_clicked(role, index)`` for an origin or insertion link."""

    attachment_clicked = Signal(str, int)

    def __init__(self, viewer: Viewer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.viewer = viewer
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
        self.browser.setAccessibleName("Facts about the selection")
        self.browser.anchorClicked.connect(self._on_anchor)
        # The live block and the facts scroll together under the title: in a short panel (the window at its smallest
        # with the Mechanics plot open) the block was squeezed into less than its height and its first and last
        # lines were cut in half, while the facts below kept their own scrolling. The browser is as tall as its
        # text, and the one scroll area holds both.
        self.browser.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.browser.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.browser.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.browser.document().documentLayout().documentSizeChanged.connect(self._fit_browser)
        body = QWidget(self)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.live)
        column.addWidget(self.browser)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setAccessibleName("Information")  # it takes the focus, so the keys scroll the facts
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(scroll, 1)
        viewer.result_changed.connect(self._follow)
        self._show_facts(viewer.result.facts)
        self._show_live(viewer.result.live)

    def _fit_browser(self, size: QSizeF) -> None:
        """The facts' browser as tall as its text, so the scroll area round it does the scrolling."""
        self.browser.setFixedHeight(math.ceil(size.height()) + 2 * self.browser.frameWidth())

    @property
    def names(self) -> str:
        """The names the facts are worded in (the viewer's)."""
        return self.viewer.names

    def _follow(self, result: ViewResult) -> None:
        if "facts" in result.changed:
            self._show_facts(result.facts)
        if result.changed & {"selection", "pose"}:
            self._show_live(result.live)

    def _show_facts(self, facts: Facts | None) -> None:
        if facts is None:
            self.title.setText("Nothing selected")
            self.browser.setHtml(f"<p>{html.escape(EMPTY_TEXT)}</p>")
            return
        self.title.setText(facts.title)
        rows = []
        for row in facts.rows:
            text = html.escape(row.text)
            if row.link is not None:
                text = f'<a href="attach:{row.link[0]}:{row.link[1]}">{text}</a>'
            rows.append(
                f"<tr><td valign='top' style='padding-right:8px'><b>{html.escape(row.label)}</b></td>"
                f"<td>{text}</td></tr>"
            )
        self.browser.setHtml(f"<table cellspacing='3'>{''.join(rows)}</table>")

    def set_names(self, names: str) -> None:
        """Name the selection (title and every row) in English or Latin: the viewer words the facts again."""
        self.viewer.set_names(names)

    def _show_live(self, live: str | None) -> None:
        """The live block, hidden for a bone, a tendon or no selection."""
        if live is None:
            self.live.clear()
            self.live.hide()
            return
        first, *rest = live.split("\n")
        # An arm's meaning is held to its "(+": a narrow panel broke "... +42.9 mm (+" / "plantarflexes)".
        self.live.setText(
            "\n".join([keep_joints_whole(first), *(line.replace("(+ ", f"(+{NO_BREAK}") for line in rest)])
        )
        self.live.show()

    def _on_anchor(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("attach:"):
            _, role, index = text.split(":")
            self.attachment_clicked.emit(role, int(index))


def keep_joints_whole(angles: str) -> str:
    """The angles line (``angles_text``) with each joint's name and angle held together by no-break spaces, so a
    narrow panel wraps it only between joints: it broke inside one ("... toe" / "flexion   0.0°"). The gaps between
    joints stay as they are."""
    return JOINT_GAP.join(joint.replace(" ", NO_BREAK) for joint in angle_joints(angles))


NO_BREAK = "\u00a0"
