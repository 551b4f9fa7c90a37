"""Room for the quiz in the window's right-hand column, beside the information panel and the mechanics plot.

Why: the quiz dock shares the column with the information panel and, when it is open, the mechanics plot. At
1280 x 720 the column is about 610 pixels and the plot will not go below about 264, so the quiz was left a scrolling
strip of about 84 in which a question and its choices were never seen together. While a round is on, the quiz is
what the class looks at, and the information panel is where the answer's facts appear; the plot is the one that can
wait. So the quiz gets the height its question and choices need: the plot gives up height first, then the
information panel (each down to its minimum); where that is not enough, the plot goes into a tab behind the
information panel (still open, one click away, its View menu entry still checked) and comes back below the
information panel when the quiz closes, unless the user has moved it meanwhile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QScrollArea

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

    from calfviewer.app.quiz_panel import QuizPanel


class QuizRoom:
    """Makes room for ``quiz`` (a dock whose widget is the quiz panel in a scroll area) under ``info``, taking it
    from ``plot`` first; see the module docstring."""

    def __init__(
        self, window: QMainWindow, quiz: QDockWidget, panel: QuizPanel, info: QDockWidget, plot: QDockWidget
    ) -> None:
        self.window, self.quiz, self.panel, self.info, self.plot = window, quiz, panel, info, plot
        #: Whether the plot is in the information panel's tabs because the quiz needed its room.
        self.plot_tabbed = False
        #: Whether the plot, already in the information panel's tabs when the quiz needed room (a small screen put
        #: it there, or the user), was sent behind the information panel for the round: it stays in the tabs after,
        #: and comes to the front again if it was there (:attr:`plot_was_in_front`).
        self.plot_folded = False
        self.plot_was_in_front = False
        # A question or a verdict longer than the last, or the plot opened, sent back or brought to the front during
        # a round: the quiz keeps its question and choices in sight.
        panel.content_changed.connect(self.make_soon)
        plot.visibilityChanged.connect(self.plot_shown)

    def _area(self) -> QScrollArea:
        area = self.quiz.widget()
        assert isinstance(area, QScrollArea)
        return area

    def need(self) -> int:
        """The quiz dock's height that shows its panel whole at the dock's width (no scrolling).

        Measured at the width the panel has beside a scroll bar: a panel measured without one, in a dock a scroll
        bar was shown in, wrapped to one line more than it was measured for and kept the scroll bar."""
        area = self._area()
        panel = area.widget()
        assert panel is not None
        chrome = self.quiz.height() - area.height()  # the title bar and the dock's margins
        return panel.heightForWidth(area.width() - area.verticalScrollBar().sizeHint().width()) + chrome

    def _beside(self, dock: QDockWidget) -> bool:
        """Whether ``dock`` is shown in the quiz's column, in a place of its own (not floating, not in a tab)."""
        window = self.window
        return (
            dock.isVisible()
            and not dock.isFloating()
            and window.dockWidgetArea(dock) == window.dockWidgetArea(self.quiz)
            and not window.tabifiedDockWidgets(dock)
        )

    def _info_shown(self) -> QDockWidget | None:
        """The information panel or whichever of its tabs is in front (the one whose height is the tab group's)."""
        group = [self.info, *self.window.tabifiedDockWidgets(self.info)]
        return next((d for d in group if d.isVisible() and not d.isFloating()), None)

    def _lowest(self, dock: QDockWidget) -> int:
        """How low ``dock`` can go: a tab group no lower than the highest minimum of its docks (the plot's, once
        it is in the information panel's tabs)."""
        return max(d.minimumSizeHint().height() for d in [dock, *self.window.tabifiedDockWidgets(dock)])

    def follow(self, shown: bool) -> None:
        """The quiz opened (room made for it) or closed (the plot put back)."""
        if shown:
            self.make_soon()
        else:
            self.put_back()

    def make_soon(self) -> None:
        """:meth:`make` once the layout has taken in the change just made (a new question, a dock shown)."""
        QTimer.singleShot(0, self.quiz, self.make)  # the dock as context: nothing runs after the window has gone

    def make(self) -> None:
        """Give the quiz the height it needs, from the plot first, then from the information panel; where the
        column has not that much, the verdict and Next are scrolled into sight once there is one."""
        quiz = self.quiz
        if quiz.isHidden():
            return
        if not quiz.isFloating():
            self._take_room()
        if self.panel.next_button.isVisibleTo(self.panel):  # once the panel and its scroll area are laid out
            QTimer.singleShot(0, self.quiz, lambda: self._area().ensureWidgetVisible(self.panel.next_button, 0, 0))

    def _take_room(self) -> None:
        quiz = self.quiz
        missing = self.need() - quiz.height()
        if missing <= 0:
            return
        self._fold_tabbed_plot()
        info = self._info_shown()
        same_column = info is not None and self.window.dockWidgetArea(info) == self.window.dockWidgetArea(quiz)
        plot = self.plot if self._beside(self.plot) else None
        spare = {d: d.height() - self._lowest(d) for d in (plot, info if same_column else None) if d}
        if missing > sum(spare.values()) and plot is not None and info is not None and same_column:
            column = plot.height() + info.height()
            self.plot_tabbed = True
            self.window.tabifyDockWidget(self.info, plot)  # in the information panel's tabs: still open
            self.info.raise_()
            self._fold(plot_in_front=False)
            self.window.resizeDocks([self.info, quiz], [column + quiz.height() - self.need(), self.need()], VERTICAL)
            return
        sizes = {d: d.height() for d in spare}
        given = 0
        for dock in spare:  # the plot first
            taken = min(missing - given, spare[dock])
            sizes[dock] -= taken
            given += taken
        if given:
            self.window.resizeDocks([*sizes, quiz], [*sizes.values(), quiz.height() + given], VERTICAL)

    def _fold_tabbed_plot(self) -> None:
        """A plot in the information panel's tabs already goes behind the panel for the round: in front, its
        minimum (about 264 pixels) held the tab group up, and on an 800 x 500 screen the window's smallest ran 44
        pixels past the screen's room."""
        plot = self.plot
        if self.plot_tabbed or self.plot_folded or plot.isHidden() or plot.isFloating():
            return
        if self.info in self.window.tabifiedDockWidgets(plot):
            self.plot_folded = True
            self.plot_was_in_front = plot.isVisible()  # a tab behind another is not visible
            self.info.raise_()
            self._fold(plot_in_front=False)

    def _fold(self, plot_in_front: bool) -> None:
        """While the plot waits behind the information panel, its own minimum (about 264 pixels, the plot's and
        its controls') does not hold the tab group up; in front, it does again (and the quiz scrolls). Set on the
        plot itself: a dock's layout asks its content, not the dock, how low it can go."""
        content = self.plot.widget()
        if content is not None:
            content.setMinimumHeight(0 if plot_in_front else FOLDED_PLOT_HEIGHT)

    def plot_shown(self, shown: bool) -> None:
        """The plot's visibility changed: opened during a round, or its tab brought to the front or sent back."""
        if (self.plot_tabbed or self.plot_folded) and not self.plot.isHidden():
            self._fold(plot_in_front=shown)
        self.make_soon()

    def put_back(self) -> None:
        """The quiz closed: the plot it put in the information panel's tabs goes back below the panel, unless the
        user has moved or closed it since."""
        plot, window = self.plot, self.window
        if self.plot_folded:  # it was in the tabs before the round: there it stays, holding its height again
            self.plot_folded = False
            self._fold(plot_in_front=True)
            if self.plot_was_in_front:
                plot.raise_()
        if not self.plot_tabbed:
            return
        self.plot_tabbed = False
        self._fold(plot_in_front=True)
        if plot.isHidden() or plot.isFloating() or self.info not in window.tabifiedDockWidgets(plot):
            return
        window.removeDockWidget(plot)
        window.addDockWidget(window.dockWidgetArea(self.info), plot, Qt.Orientation.Vertical)
        plot.show()
        self.info.raise_()
        window.resizeDocks([self.info, plot], [1, 1], VERTICAL)


VERTICAL = Qt.Orientation.Vertical
#: The plot dock's minimum height while it waits behind the information panel's tab (any height a tab group has).
FOLDED_PLOT_HEIGHT = 1
