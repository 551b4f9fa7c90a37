"""The Structure menu's commands on the selection: Hide selected (H) and Isolate selected (I), offered only while
something is selected.

Why: with nothing selected both were offered as any other command and did nothing, without a word (H and I pressed
before any click in the running window); a greyed-out entry says at a glance that they want a selection first.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QAction

from calfviewer.viewer.view_state import ViewState


def hide_selected(state: ViewState) -> None:
    """Hide the selected structure and let go of the selection (a hidden structure is not shown selected)."""
    if state.selection is not None:
        state.set_visible(state.selection, False)
        state.select(None)


def isolate_selected(state: ViewState) -> None:
    """Show the selected structure alone."""
    if state.selection is not None:
        state.isolate(state.selection)


def offer_with_a_selection(actions: Sequence[QAction], state: ViewState) -> None:
    """Enable ``actions`` while ``state`` has a selection, now and as it changes."""

    def follow(selection: str | None, *_: object) -> None:
        for action in actions:
            action.setEnabled(selection is not None)

    state.events.selection.connect(follow)
    follow(state.selection)
