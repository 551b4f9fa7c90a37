"""The dock that holds the mechanics plot, built the first time it is shown.

Why a dock of its own: pyqtgraph takes about half a second to import, which the window's cold start (measured in
benchmarks/run.py against a bare window) need not pay for a panel that starts hidden. The dock exists from the
start, so the View menu can toggle it and the window's saved layout can put it back; its plot is made on first show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from calfviewer.anatomy.names import DEFAULT_NAMES, display_name
from calfviewer.app.docks import Dock
from calfviewer.app.toolbar_keys import chain_after

if TYPE_CHECKING:
    from calfviewer.anatomy import Catalogue
    from calfviewer.app.animator import Animator
    from calfviewer.app.plot_panel import PlotPanel
    from calfviewer.musculoskeletal import MusculoskeletalModel

TITLE = "Mechanics"


class PlotDock(Dock):
    """A dock named "Mechanics" whose :attr:`panel` (a :class:`~calfviewer.app.plot_panel.PlotPanel`) is made the
    first time the dock is shown.

    Signals:
        message(str): the panel's lines for the status bar (what an export wrote), passed on from a panel made
            after the dock was put in the window (:meth:`add_to` shows them in its status bar).
    """

    message = Signal(str)

    def __init__(
        self, animator: Animator, model: MusculoskeletalModel, catalogue: Catalogue, parent: QWidget | None = None
    ) -> None:
        super().__init__(TITLE, parent)
        self._args = (animator, model, catalogue)
        self._catalogue = catalogue  # the curves' names (set_names)
        self.panel: PlotPanel | None = None
        self._window: QMainWindow | None = None
        self._below: QDockWidget | None = None
        self._names = DEFAULT_NAMES
        self.visibilityChanged.connect(self._on_visibility)
        self.topLevelChanged.connect(self._chain_under)

    def add_to(self, window: QMainWindow, below: QDockWidget | None) -> None:
        """Put the dock in ``window``'s right area under ``below`` (the information panel), hidden; its messages go
        to the window's status bar."""
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self)
        self.message.connect(lambda text: window.statusBar().showMessage(text, 5000))
        if below is not None:
            window.splitDockWidget(below, self, Qt.Orientation.Vertical)
        self._window, self._below = window, below
        self.hide()

    def toggle_action(self, shortcut: str) -> QAction:
        """The View menu's checkable "Mechanics plot" entry, with its shortcut."""
        action = self.toggleViewAction()
        action.setText("Mechanics plot")
        action.setObjectName("mechanics_plot")
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        return action

    def ensure_panel(self) -> PlotPanel:
        if self.panel is None:
            from calfviewer.app.plot_panel import PlotPanel

            self.panel = PlotPanel(*self._args, parent=self)
            self.panel.message.connect(self.message)
            self.setWidget(self.panel)
            self._name_curves(self.panel)
            self._chain_under()
        return self.panel

    def _chain_under(self, *_: object) -> None:
        """Made after the window, the plot's controls came last in its Tab order (after the Section toolbar): Tab
        reaches them after the panel they sit under, from the first show and again each time the dock is docked
        (one shown floating first, as a remembered layout brings it back, is chained as it docks)."""
        if self.panel is not None and self._below is not None:
            chain_after(self._below, self.panel)

    def set_names(self, names: str) -> None:
        """Name the curves in the legend (and the menu that removes one) in English or Latin, as the window names
        everything else; the panel's CSV export keeps ``measure --csv``'s English names."""
        self._names = names
        if self.panel is not None:
            self._name_curves(self.panel)

    def _name_curves(self, panel: PlotPanel) -> None:
        panel.shown_names = {m: display_name(self._catalogue.get(m), self._names) for m in panel.names}
        panel.refresh()

    def _on_visibility(self, visible: bool) -> None:
        if visible and self.panel is None:
            self.ensure_panel()
            below, window = self._below, self._window
            if window is not None and below is not None and below.isVisible() and not self.isFloating():
                # First shown: half the column, not the sliver a new dock gets under the information panel.
                window.resizeDocks([below, self], [1, 1], Qt.Orientation.Vertical)

    def set_model(self, model: MusculoskeletalModel) -> None:
        """The window switched legs: the panel (made now or later) plots ``model``."""
        animator, _, catalogue = self._args
        self._args = (animator, model, catalogue)
        if self.panel is not None:
            self.panel.set_model(model)

    def close_panel(self) -> None:
        if self.panel is not None:
            self.panel.close_panel()
