"""An origin or insertion link clicked in the information panel: the camera turns to the attachment, and the status
bar says when the view cannot show it (cut away by the section, or on a bone hidden in the tree), and how to see it.

Why: the camera turned to an empty place and nothing said why (``scene/attachment_view.py``). Kept out of
``main_window.py``, which only connects the panel's signal here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from calfviewer.scene.attachment_view import unseen_attachment

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStatusBar

    from calfviewer.scene.anatomy_scene import AnatomyScene
    from calfviewer.viewer.view_state import ViewState

#: How long the status bar keeps the line (ms): the mouse is over the panel's link, not naming structures in the view.
SAID_FOR_MS = 10000


class LinkWindow(Protocol):
    """What a clicked link uses of the window (``MainWindow``): named here so this module need not import it."""

    @property
    def state(self) -> ViewState: ...
    @property
    def scene(self) -> AnatomyScene: ...
    def turn_to_attachment(self, role: str, index: int) -> None: ...
    def statusBar(self) -> QStatusBar: ...


def turn_to_clicked(window: LinkWindow, role: str, index: int) -> None:
    """Turn ``window``'s camera to the selection's ``role`` number ``index``, saying so when it cannot be seen."""
    window.turn_to_attachment(role, index)
    selection = window.state.selection
    why = None if selection is None else unseen_attachment(window.scene, selection, role, index)
    if why is not None:
        window.statusBar().showMessage(why, SAID_FOR_MS)
