"""What a quiz question changes in the view for itself, and puts back after: faded layers, its bone shown and opaque.

An attachment question highlights a patch on a bone, so it fades the muscle layers over it, shows the bone if it is
hidden, makes it opaque if it is see-through (the patch is drawn at its bone's opacity: on a bone at opacity 0 it was
there and invisible), and takes a section off that could cut the patch away; every question switches the 3D labels
off while it waits (they named the answer). All of it is put back when the question ends, except what the user has
changed since: that stays theirs. :meth:`QuestionChanges.as_the_user_left` gives the view without these changes, for
a bookmark or a view file made during a question.
"""

from __future__ import annotations

from calfviewer.anatomy import Catalogue
from calfviewer.viewer.section_plane import Section
from calfviewer.viewer.view_state import FADED_OPACITY, Camera, ViewState

#: The layers faded while an attachment question shows a patch on a bone, so the muscles do not hide it.
SOFT_LAYERS = ("superficial", "intermediate", "deep")

#: The structures' and the layers' visibility, or their opacity: one of them, as a question found or left it.
_Visible = tuple[dict[str, bool], dict[str, bool]]
_Opacity = tuple[dict[str, float], dict[str, float]]


class QuestionChanges:
    """The changes the question shown made to ``state``, and putting them back; see the module docstring."""

    def __init__(self, state: ViewState, catalogue: Catalogue) -> None:
        self.state = state
        self.catalogue = catalogue
        self.faded: dict[str, float] | None = None  # layer opacities before the fade
        #: (settings before, settings as the question left them) of the structures' and layers' visibility, when a
        #: question showed the hidden bone its patch is on, and of their opacity, when it made that bone opaque.
        self.revealed: tuple[_Visible, _Visible] | None = None
        self.made_opaque: tuple[_Opacity, _Opacity] | None = None
        self.lifted: Section | None = None  # a section taken off while a patch is shown
        self.labels_off = False  # the 3D labels switched off while a question waits for its answer

    @property
    def any(self) -> bool:
        """Whether the question changed anything."""
        changes = (self.faded, self.revealed, self.made_opaque, self.lifted)
        return self.labels_off or any(change is not None for change in changes)

    # --- making them --------------------------------------------------------------------------------------------
    def fade_layers(self) -> None:
        """Fade the muscle layers so the highlighted patch on the bone shows through."""
        if self.faded is None:
            self.faded = dict(self.state.layer_opacity)
        with self.state.events.paused():
            for layer in SOFT_LAYERS:
                self.state.set_opacity(layer, min(self.faded.get(layer, 1.0), FADED_OPACITY))

    def show_bone(self, structure_id: str, role: str, index: int) -> None:
        """Draw the bone a question's patch lies on, opaque: hidden, the question asked about a highlight that was
        nowhere; see-through, about one drawn see-through (invisible at opacity 0). Only that bone changes: shown
        from a hidden layer, the layer's other bones stay hidden; made opaque in a see-through layer, the others
        keep the opacity they had. What the question before changed for its bone is put back first."""
        if self.revealed is not None or self.made_opaque is not None:
            self._put_back(self.state, bone_only=True)
            self.revealed = self.made_opaque = None
        structure = self.catalogue.get(structure_id)
        bone = (structure.origins if role == "origin" else structure.insertions)[index].bone
        state = self.state
        if not state.effective_visibility(bone):
            shown = _visible(state)
            state.set_drawn(bone, True)
            self.revealed = (shown, _visible(state))
        layer = state.layer_of(bone)
        layer_opacity = state.layer_opacity.get(layer, 1.0)
        if state.structure_opacity.get(bone, 1.0) * layer_opacity >= 1.0:
            return
        before = _opacity(state)
        opacity = dict(state.structure_opacity)
        if layer_opacity < 1.0:  # the layer made opaque, its other bones as see-through as they were
            for other in (s.id for s in self.catalogue if s.id != bone and state.layer_of(s.id) == layer):
                opacity[other] = opacity.get(other, 1.0) * layer_opacity
        opacity[bone] = 1.0
        with state.events.paused():
            state.structure_opacity = opacity
            state.layer_opacity = {**state.layer_opacity, layer: 1.0}
        self.made_opaque = (before, _opacity(state))

    def lift_section(self) -> None:
        """Take the section off while a patch is shown: the cut hid it where it lay on the side cut away (an axial cut
        takes the foot away, with the navicular and the patches asked about on it)."""
        if self.lifted is None and self.state.section is not None:
            self.lifted, self.state.section = self.state.section, None

    def hide_labels(self) -> None:
        """The labels named the answer on the leg: off while the question waits, as the hover names are."""
        if self.state.labels:
            self.labels_off, self.state.labels = True, False

    def show_labels(self) -> None:
        """The question answered: the labels it switched off come back (unless the user switched them on already)."""
        if self.labels_off and not self.state.labels:
            self.state.labels = True
        self.labels_off = False

    def mirror(self) -> None:
        """The window switched legs: a free plane a question took off goes back mirrored, on the leg shown."""
        if self.lifted is not None:
            self.lifted = self.lifted.mirrored()

    # --- putting them back -----------------------------------------------------------------------------------
    def restore(self) -> None:
        """Put back what the question changed for itself: the opacity each layer had before the fade, the visibility
        and opacity before its bone was shown, a section taken off, the labels; whatever the user has set since
        stays theirs."""
        self._put_back(self.state)
        self.faded = self.revealed = self.made_opaque = self.lifted = None
        self.labels_off = False

    def as_the_user_left(self, state: ViewState, camera: Camera | None = None) -> ViewState:
        """``state`` without what the question shown changed for itself (and, given as ``camera``, the camera it
        turned from): what a bookmark or a saved view keeps. Before, a bookmark added during a question kept the
        faded layers and lost the user's section."""
        if not self.any and camera is None:
            return state
        copy = ViewState.from_dict(state.to_dict(), self.catalogue)
        self._put_back(copy)
        if camera is not None:
            copy.camera = camera
        return copy

    def _put_back(self, target: ViewState, bone_only: bool = False) -> None:
        with target.events.paused():
            if self.labels_off and not bone_only:
                target.labels = True
            if self.revealed is not None:
                visible, left = self.revealed
                if _visible(target) == left:  # else the user's
                    target.structure_visible, target.layer_visible = visible
            if self.made_opaque is not None:  # before the fade is undone: the fade's check reads the layers
                opacity, left_opacity = self.made_opaque
                if _opacity(target) == left_opacity:  # else the user's
                    target.structure_opacity, target.layer_opacity = opacity
            if bone_only:
                return
            if self.lifted is not None and target.section is None:
                target.section = self.lifted
            if self.faded is None:
                return
            faded, now = self.faded, target.layer_opacity
            restored = {}
            for layer in [*faded, *(layer for layer in now if layer not in faded)]:
                before_value, shown = faded.get(layer, 1.0), now.get(layer, 1.0)
                # as the fade left it, or the user's
                value = before_value if shown == min(before_value, FADED_OPACITY) else shown
                if layer in faded or value != 1.0:  # a layer absent before stays absent (absent means 1)
                    restored[layer] = value
            target.layer_opacity = restored


def _visible(state: ViewState) -> _Visible:
    return dict(state.structure_visible), dict(state.layer_visible)


def _opacity(state: ViewState) -> _Opacity:
    return dict(state.structure_opacity), dict(state.layer_opacity)
