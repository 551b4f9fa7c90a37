"""Whether the view can show a structure's origin or insertion, and if not, why in one line.

Why: the information panel's origin and insertion links turn the camera to the attachment, and with a section on it
may lie on the side the plane cuts away (tibialis posterior's insertion on the navicular under an axial cut through
the calf), or on a bone hidden in the tree: the camera turned to an empty place and nothing said why. A quiz
question takes the section off for its highlighted patch itself; a click in the panel leaves the user's view as it is
and is told how to see the attachment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from calfviewer.anatomy.names import display_name

if TYPE_CHECKING:
    from calfviewer.scene.anatomy_scene import AnatomyScene


def unseen_attachment(scene: AnatomyScene, structure_id: str, role: str, index: int) -> str | None:
    """Why ``scene`` cannot show ``structure_id``'s ``role`` (origin or insertion) number ``index``: on a bone not
    shown, or cut away by the section (on the side its plane removes, in the pose shown); None when nothing hides
    it. Names as the window names them (English or Latin)."""
    catalogue, state = scene.catalogue, scene.state
    structure = catalogue.get(structure_id)
    attachments = structure.origins if role == "origin" else structure.insertions
    if not 0 <= index < len(attachments):
        return None
    bone = attachments[index].bone
    muscle, on = display_name(structure, scene.names), display_name(catalogue.get(bone), scene.names)
    what = f"The {role} of {muscle} on the {on}"
    if not state.effective_visibility(bone):
        return f"{what} is on a bone not shown: tick it in the Structures tree to see it"
    plane = scene.section_plane()
    if plane is not None:
        point = scene.viewer.attachment_point(structure_id, role, index)
        if float((point - plane[0]) @ plane[1]) > 0.0:
            return f"{what} is cut away by the section: Section → None shows it"
    return None
