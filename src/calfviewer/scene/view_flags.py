"""How a command-line picture looks: the flags ``render`` and ``movie`` share, checked, applied and drawn in one place.

Why one place: a teacher who renders the soleus seen from the side, labelled, in Latin, cut at a third of the leg,
wants the movie of its action to look the same with the same flags. Before, ``movie`` took only a view file for
all of that, and its ``--help`` named flags it did not have. ``export`` shares the ``--hide`` part (one mesh per
shown structure).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from calfviewer.anatomy.names import NAME_STYLES, display_name
from calfviewer.errors import CalfviewerError
from calfviewer.viewer.camera import CameraError
from calfviewer.viewer.section_plane import parse_section
from calfviewer.viewer.view_state import LAYERS, Camera, ViewState

if TYPE_CHECKING:
    from calfviewer.anatomy import Catalogue
    from calfviewer.scene.anatomy_scene import AnatomyScene

#: What the muscles' colours show: their tissue (red belly, pale tendon) or their stretch (scene/stretch.py).
COLOUR_BY = ("tissue", "stretch")


@dataclass(frozen=True)
class ViewFlags:
    """The command line's word on how the scene looks; a field left at its default keeps the view file's (or the
    default) value. Text as typed: :meth:`check` refuses a mistake before anything slow loads."""

    select: str | None = None
    hide: Sequence[str] = ()
    view: str | None = None  # a standard view: posterior, anterior, medial or lateral
    labels: bool = False
    names: str = "english"
    colour_by: str = "tissue"  # or "stretch": muscles in the colour of their normalised length
    section: str | None = None  # "axial@0.35": a standard plane and where it cuts

    def check(self) -> None:
        """One line for a mistake that needs no model or catalogue, before any loading."""
        if self.colour_by not in COLOUR_BY:
            raise CalfviewerError(f"--colour-by {self.colour_by!r} is not one of {', '.join(COLOUR_BY)}")
        if self.names not in NAME_STYLES:
            raise CalfviewerError(f"--names {self.names!r} is not one of {', '.join(NAME_STYLES)}")
        if self.section is not None:
            parse_section(self.section)

    def apply(self, state: ViewState, catalogue: Catalogue) -> None:
        """Put the flags over ``state`` (a view file's or the default): the camera, hidden structures, the
        selection, labels and the section."""
        if self.view is not None:
            try:
                state.camera = Camera.named(self.view)  # the camera checks view names (one place)
            except CameraError as error:
                raise CalfviewerError(error.problem) from None
        hide(state, self.hide, catalogue)
        if self.select is not None:
            if self.select not in catalogue:
                catalogue.get(self.select)  # raises with a did-you-mean suggestion
            state.select(self.select)
        if self.labels:
            state.labels = True
        if self.section is not None:
            state.section = parse_section(self.section)

    def dress(self, scene: AnatomyScene, state: ViewState) -> None:
        """What the scene draws beyond the state: the stretch colours, and a cut seen face on (as slices are read)
        unless a view was asked for.

        A view file's face-on framing of its cut is framed again for this picture by the rule the window follows
        when it opens one (:meth:`AnatomyScene.framed_for_now`): with room beside the slice for the names and the
        bar when they are drawn, the slice filling the picture when not. A camera the user turned or zoomed is kept
        as saved."""
        scene.set_colour_by_stretch(self.colour_by == "stretch")
        if self.view is not None:
            return
        face_on = scene.section_camera() if self.section is not None else None
        state.camera = face_on if face_on is not None else scene.framed_for_now(state.camera)


def unseen_selection(state: ViewState, catalogue: Catalogue, names: str) -> str | None:
    """A note when the selection is not drawn (``--select soleus --hide soleus``, or a layer hidden under it):
    nothing in the picture then marks it, which a picture made to show one structure does not say by itself."""
    if state.selection is None or state.is_drawn(state.selection):
        return None
    name = display_name(catalogue.get(state.selection), names)
    return (
        f"{name} is selected but not drawn (it or its layer is hidden or at opacity 0, by --hide or the view file), "
        "so nothing in the picture marks it"
    )


def hide(state: ViewState, names: Sequence[str], catalogue: Catalogue) -> None:
    """Hide each of ``names``, a layer or a structure id; anything else is one line naming both kinds."""
    for name in names:
        if name not in LAYERS and name not in catalogue:
            raise CalfviewerError(
                f"--hide {name!r} is neither a layer ({', '.join(LAYERS)}) nor a structure id "
                "(`calfviewer info` lists them)"
            )
        state.set_visible(name, False)
