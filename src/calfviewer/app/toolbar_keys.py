"""Tab and Shift+Tab reach every control on the window's toolbars, the » button of a toolbar too narrow for all of
them included.

Why: QToolBar makes the tool button of each action it holds, and its » extension button, with ``Qt::NoFocus``. A
keyboard user reached the Section toolbar's planes (None, Axial, ...) only through the Section menu, and never the
controls a narrow window puts behind the » button (the animation bar's speed and loop). The buttons take the focus
from Tab alone (``Qt::TabFocus``), not from a click: a click on Axial leaves the focus where it was, so Space then
still plays the motion rather than pressing Axial again (``control_keys.py`` gives a focused button its Space).
A focused tool button draws the style's focus frame, as a focused push button does.

A panel built after the window (the Mechanics plot, on first show) lands last in the window's Tab order, after the
Section toolbar; :func:`chain_after` puts its controls where the panel sits instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolBar, QToolButton, QWidget

#: The object name Qt gives a toolbar's » button (``QToolBarExtension``), the same in Qt 5 and 6.
EXTENSION = "qt_toolbar_ext_button"


def extension_button(toolbar: QToolBar) -> QToolButton | None:
    """The » button ``toolbar`` shows when some of its items have no room (None if Qt made none)."""
    return toolbar.findChild(QToolButton, EXTENSION)


def action_buttons(toolbar: QToolBar) -> list[QToolButton]:
    """The tool buttons ``toolbar`` made for its actions, in their order on the toolbar."""
    buttons = (toolbar.widgetForAction(action) for action in toolbar.actions())
    return [button for button in buttons if isinstance(button, QToolButton)]


def reach_by_tab(
    toolbar: QToolBar, shown: Sequence[QWidget], overflowing: Sequence[QWidget], more: str
) -> list[QWidget]:
    """Give ``toolbar``'s tool buttons and its » button the focus from Tab, and chain the controls in the order Tab
    visits them: ``shown`` (those the toolbar always has room for, in their order on it), the » button, then
    ``overflowing`` (those it puts behind the » button when it is too narrow: reached after the button opens them).
    ``more`` names the » button for a screen reader (Qt gives it no name). Returns the chain."""
    for button in action_buttons(toolbar):
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    chain: list[QWidget] = list(shown)
    extension = extension_button(toolbar)
    if extension is not None:
        extension.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        extension.setAccessibleName(more)
        extension.setToolTip(more)
        chain.append(extension)
    chain.extend(overflowing)
    _chain(chain)
    return chain


def chain_last(window: QWidget, controls: Sequence[QWidget]) -> None:
    """Put ``controls``, in their order, last in ``window``'s Tab order: Tab goes round, so from them it comes to
    what is first (in the window: the 3D view). Qt moves nothing to the chain's very start (after the window), nor
    after a widget that takes no focus, so they go after the last that does. Nothing moves while the controls are
    in another window (a floating toolbar): Qt refused the chain and said so on the terminal."""
    if any(control.window() is not window for control in controls):
        return
    last: QWidget = window.previousInFocusChain() or window
    while last is not window and not last.focusPolicy() & Qt.FocusPolicy.TabFocus:
        last = last.previousInFocusChain() or window
    _chain([last, *controls])


def tab_controls(container: QWidget) -> list[QWidget]:
    """The widgets inside ``container`` that Tab can focus, in the order Tab visits them now."""
    window = container.window()
    found: list[QWidget] = []
    widget = window.nextInFocusChain()
    while widget is not None and widget is not window:
        if container.isAncestorOf(widget) and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            found.append(widget)
        widget = widget.nextInFocusChain()
    return found


def chain_after(anchor: QWidget, panel: QWidget) -> None:
    """Put ``panel``'s controls, in their order, in the Tab order right after ``anchor``'s last control (the panel
    beside or under it), where Tab from ``anchor`` went on to continues after them. Nothing moves when either has
    no control Tab reaches, or when one of them floats in a window of its own (each window has its own Tab order;
    Qt refused the chain and said so on the terminal)."""
    if anchor.window() is not panel.window():
        return
    after, controls = tab_controls(anchor), tab_controls(panel)
    if after and controls:
        _chain([after[-1], *controls])


def _chain(widgets: Sequence[QWidget]) -> None:
    """Tab goes from each of ``widgets`` to the next, in their order."""
    for first, second in pairwise(widgets):
        QWidget.setTabOrder(first, second)
