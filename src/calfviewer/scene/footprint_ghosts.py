"""Attachment footprints seen through the tissue over them: a translucent copy of each shown patch, drawn in front.

Why: a footprint lies on the bone, and the bone under an attachment is, by definition, covered by the muscle that
attaches there and often by others (the soleus and the fibularis longus over the fibula, the soleus and the deep
flexors over the back of the tibia). Drawn on the bone only, the patches a student selects a muscle to see were
hidden: measured from the four standard views with the muscle itself hidden, the footprints showed 40 % of the
pixels they show on the bare bones (median over the 43 patches 0.78; the tibial origins of soleus and tibialis
posterior 1 %, the fibular origin of flexor hallucis longus none). The patches are not drawn too deep: on the bare
bones most cover the same pixels with or without ghosts (the calcaneal insertion 384, the fibular origin of flexor
hallucis longus 1,090, the tibial origin of tibialis anterior 970: the 0.4 mm lift and the polygon offset keep them
over their own bone); a few gain some where another bone is in front (soleus' fibular origin 622 -> 649 pixels, the
popliteus insertion 869 -> 929). What hides them is the tissue over them. With the ghosts, every patch shows from
those views over all the pixels it has on the bare bones, its muscle hidden or not.

So each patch gets a ghost in the scene's overlay layer (the one that already draws the selected muscle's line of
action in front of the tissue it runs through): the same surface and matrix, unlit, at :data:`GHOST_OPACITY`, back
faces culled so a patch on the far side of its bone stays hidden. Where the patch is bare it reads as the patch;
where tissue covers it, it shows through as an orange (origin) or blue (insertion) tint, as atlases draw attachments
through the muscle that covers them. The ghosts follow the patches' visibility and opacity; sharing the patches'
mappers, they are clipped by a section with them.
"""

from __future__ import annotations

import pyvista as pv
from vtkmodules.vtkRenderingCore import vtkRenderer

#: How much of a ghost's colour covers the tissue in front of the patch: enough to read orange or blue over muscle
#: red, little enough that the muscle's shape still shows through it.
GHOST_OPACITY = 0.55


class FootprintGhosts:
    """Ghosts of footprint actors in ``overlay`` (a renderer layered over the main one, sharing its camera)."""

    def __init__(self, overlay: vtkRenderer) -> None:
        self.overlay = overlay
        self._pairs: list[tuple[pv.Actor, pv.Actor]] = []

    def add(self, patch: pv.Actor) -> pv.Actor:
        """A ghost of ``patch`` (sharing its mapper, so its surface, and its body matrix); returns the ghost."""
        ghost = pv.Actor(mapper=patch.mapper)
        ghost.prop.color = patch.prop.color
        ghost.prop.lighting = False
        ghost.prop.culling = "back"
        ghost.visibility = False
        ghost.pickable = False
        matrix = patch.GetUserMatrix()
        if matrix is not None:
            ghost.SetUserMatrix(matrix)  # the bone's shared matrix: the ghost moves with it
        self.overlay.AddActor(ghost)
        self._pairs.append((patch, ghost))
        return ghost

    def sync(self) -> bool:
        """Show each ghost where its patch is shown, at the patch's opacity times :data:`GHOST_OPACITY`; True when
        any ghost is shown (the overlay then has something to draw)."""
        shown = False
        for patch, ghost in self._pairs:
            visible = bool(patch.GetVisibility())
            ghost.SetVisibility(visible)
            if visible:
                ghost.GetProperty().SetOpacity(GHOST_OPACITY * patch.GetProperty().GetOpacity())
                shown = True
        return shown

    def ghosts(self) -> list[pv.Actor]:
        """Every ghost, in the order their patches were added."""
        return [ghost for _, ghost in self._pairs]
