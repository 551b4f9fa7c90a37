"""The Structure menu's commands on the selection, offered only while there is one."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

pytestmark = pytest.mark.gui


def test_hide_and_isolate_selected_are_offered_only_with_a_selection(study_window):
    """With nothing selected, Structure > Hide selected (H) and Isolate selected (I) were offered as any other
    command and did nothing, without a word (H and I pressed in the running window before any click). They are
    greyed out until something is selected, and do what they say then."""
    win = study_window
    hide, isolate = (win.actions_by_name[name] for name in ("hide_selected", "isolate_selected"))
    win.state.select(None)
    assert not hide.isEnabled() and not isolate.isEnabled()
    win.state.select("soleus")
    assert hide.isEnabled() and isolate.isEnabled()
    isolate.trigger()
    assert win.state.effective_visibility("soleus") and not win.state.effective_visibility("tibia")
    hide.trigger()
    assert not win.state.effective_visibility("soleus") and win.state.selection is None
    assert not hide.isEnabled() and not isolate.isEnabled()
