"""The viewer's logic (3D Slicer's Logic beside its Widget): what the state means once the model has been asked.

:class:`Viewer` owns the link between a :class:`~calfviewer.viewer.view_state.ViewState` and the musculoskeletal
model. It limits the state's poses to the model's ranges (so a bad angle fails where it is assigned), poses the
model when the state's pose changes, works out what is drawn and how opaque, and emits ONE evented
:class:`ViewResult` with all of it. The scene, the info panel and any other follower read that result and nothing
else about the pose, so no follower depends on another having run first, and none asks the renderer what the
model said. Camera moves that are geometry, not drawing (turning to an attachment), live here too.

No Qt, no VTK: ``calfviewer render``, ``calfviewer movie``, the window and the tests share it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
from psygnal import Signal

from calfviewer.viewer.camera import Camera

if TYPE_CHECKING:
    from calfviewer.anatomy import Catalogue
    from calfviewer.musculoskeletal import MusculoskeletalModel, PoseResult
    from calfviewer.viewer.view_state import ViewState

#: The camera moves to this fraction of its distance when it turns to an attachment (never nearer than 15 cm).
ATTACHMENT_ZOOM = 0.35
ATTACHMENT_NEAREST = 0.15
#: What a result can report as changed: the model's answer, the selection, what is drawn and how opaque.
CHANGES = frozenset({"pose", "selection", "appearance"})
#: The state fields that change what is drawn or how opaque (the selection too, when others are faded).
APPEARANCE_FIELDS = ("structure_visible", "structure_opacity", "layer_visible", "layer_opacity", "fade_others")


@dataclass(frozen=True)
class ViewResult:
    """What the viewer shows now, worked out from the state and the model.

    Attributes:
        pose: the model's answer for the state's pose (bone transforms, muscle paths, lengths, moment arms).
        selection: the selected structure id, or None.
        opacity: structure id -> the opacity it is drawn with (layer x structure x fading), for every structure.
        visible: the ids of the structures that are drawn (their own and their layer's box checked, opacity > 0).
        changed: which of ``pose``, ``selection`` and ``appearance`` differ from the result before this one.
    """

    pose: PoseResult
    selection: str | None
    opacity: Mapping[str, float]
    visible: frozenset[str]
    changed: frozenset[str] = CHANGES

    def drawn(self, structure_id: str) -> bool:
        return structure_id in self.visible

    @property
    def selected_path(self):
        """The selected muscle's path in this pose (length, moment arms, points), or None."""
        return self.pose.muscles.get(self.selection) if self.selection else None


class Viewer:
    """Follows ``state``, asks ``model`` for each new pose and emits :attr:`result_changed` with a :class:`ViewResult`.

    Args:
        state: the view state to follow (its poses are limited to ``model``'s ranges from now on).
        model: the posed musculoskeletal model.
        catalogue: the anatomy catalogue (names and layers); the package's by default.
    """

    result_changed = Signal(object)

    def __init__(self, state: ViewState, model: MusculoskeletalModel, catalogue: Catalogue | None = None) -> None:
        if catalogue is None:
            from calfviewer.anatomy import load_catalogue

            catalogue = load_catalogue()
        self.state = state
        self.model = model
        self.catalogue = catalogue
        state.limit_poses(model.ranges)
        self.result = ViewResult(model.pose(state.pose), state.selection, *self._appearance())
        self._handlers = {
            "pose": self._on_pose_changed,
            "selection": self._on_selection_changed,
            **dict.fromkeys(APPEARANCE_FIELDS, self._on_appearance_changed),
        }
        for name, handler in self._handlers.items():
            getattr(state.events, name).connect(handler)

    def close(self) -> None:
        """Stop following the state."""
        for name, handler in self._handlers.items():
            getattr(self.state.events, name).disconnect(handler)
        self.state.limit_poses(None)

    # --- the one result -----------------------------------------------------------------------------------------
    def _appearance(self) -> tuple[Mapping[str, float], frozenset[str]]:
        state = self.state
        opacity = {sid: state.effective_opacity(sid) for sid in state.structure_ids}
        visible = frozenset(sid for sid, o in opacity.items() if o > 0.0 and state.effective_visibility(sid))
        return MappingProxyType(opacity), visible

    def _emit(self, changed: set[str], **values: Any) -> None:
        self.result = replace(self.result, **values, changed=frozenset(changed))
        self.result_changed.emit(self.result)

    def _on_pose_changed(self, *_: object) -> None:
        self._emit({"pose"}, pose=self.model.pose(self.state.pose))

    def _on_selection_changed(self, *_: object) -> None:
        opacity, visible = self._appearance()  # fading others follows the selection
        if (dict(opacity), visible) == (dict(self.result.opacity), self.result.visible):
            self._emit({"selection"}, selection=self.state.selection)
        else:
            self._emit({"selection", "appearance"}, selection=self.state.selection, opacity=opacity, visible=visible)

    def _on_appearance_changed(self, *_: object) -> None:
        opacity, visible = self._appearance()
        self._emit({"appearance"}, opacity=opacity, visible=visible)

    def set_model(self, model: MusculoskeletalModel) -> None:
        """Follow another model (the other leg): its ranges limit the poses, and the pose is asked of it anew."""
        self.model = model
        self.state.limit_poses(model.ranges)
        self._emit({"pose"}, pose=model.pose(self.state.pose))

    # --- geometry the widgets ask for -----------------------------------------------------------------------------
    def attachment_point(self, structure_id: str, role: str, index: int) -> np.ndarray:
        """World position of a structure's origin or insertion (``role``, ``index``) in the pose shown."""
        structure = self.catalogue.get(structure_id)
        attachments = structure.origins if role == "origin" else structure.insertions
        return self.model.attachment_world(self.result.pose, attachments[index])

    def camera_to_attachment(self, camera: Camera, structure_id: str, role: str, index: int) -> Camera:
        """``camera`` turned to look at an attachment: the same direction, nearer (:data:`ATTACHMENT_ZOOM`)."""
        target = [float(v) for v in self.attachment_point(structure_id, role, index)]
        position = [float(v) for v in camera.position or ()]
        focal = [float(v) for v in camera.focal_point or ()]
        offset = [p - f for p, f in zip(position, focal, strict=True)]
        distance = math.sqrt(sum(v * v for v in offset)) or 1.0
        scale = max(ATTACHMENT_ZOOM, ATTACHMENT_NEAREST / distance)
        x, y, z = (t + v * scale for t, v in zip(target, offset, strict=True))
        return Camera(
            view=None,
            position=(x, y, z),
            focal_point=(target[0], target[1], target[2]),
            view_up=camera.view_up,
            view_angle=camera.view_angle,
        )
