"""The viewer's logic (3D Slicer's Logic beside its Widget): what the state means once the model has been asked.

:class:`Viewer` owns the link between a :class:`~calfviewer.viewer.view_state.ViewState` and the musculoskeletal
model. It limits the state's poses to the model's ranges (so a bad angle fails where it is assigned), poses the
model when the state's pose changes, works out what is drawn and how opaque, and emits ONE evented
:class:`ViewResult` with all of it. The scene, the info panel and any other follower read that result and nothing
else about the pose, so no follower depends on another having run first, and none asks the renderer what the
model said. Camera moves that are geometry, not drawing (turning to an attachment), live here too, and so does what
a click means (:meth:`Viewer.click`: select, and play a muscle's action once on the viewer's :class:`Playback`).

What the info panel says is worded here too, once, as plain data in the result (:class:`Facts` for the selection,
``live`` for the pose): the same rows as ``calfviewer info`` (:func:`~calfviewer.anatomy.text.fact_rows`) and the
same live block as the tests check (:func:`~calfviewer.musculoskeletal.pose.measurements_text`), so the panel only
displays and a click or a frame reaches it as one result.

No Qt, no VTK: ``calfviewer render``, ``calfviewer movie``, the window and the tests share it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
from psygnal import Signal

from calfviewer.anatomy.names import DEFAULT_NAMES, check_names, display_name
from calfviewer.anatomy.text import fact_rows
from calfviewer.errors import CalfviewerError
from calfviewer.musculoskeletal.motion import action_motion
from calfviewer.musculoskeletal.pose import TOES_NOTE, measurements_text
from calfviewer.viewer.camera import Camera
from calfviewer.viewer.playback import Playback

if TYPE_CHECKING:
    from calfviewer.anatomy import Catalogue
    from calfviewer.musculoskeletal import MusculoskeletalModel, PoseResult
    from calfviewer.viewer.view_state import ViewState

#: The camera moves to this fraction of its distance when it turns to an attachment (never nearer than 15 cm).
ATTACHMENT_ZOOM = 0.35
ATTACHMENT_NEAREST = 0.15
#: What a result can report as changed: the model's answer, the selection, what is drawn and how opaque.
CHANGES = frozenset({"pose", "selection", "appearance", "facts"})
#: The state fields that change what is drawn or how opaque (the selection too, when others are faded).
APPEARANCE_FIELDS = ("structure_visible", "structure_opacity", "layer_visible", "layer_opacity", "fade_others")


@dataclass(frozen=True)
class InfoRow:
    """One row of the info panel: a label and its text; ``link`` (``("origin" | "insertion", index)``) says which
    attachment the row turns the camera to when clicked."""

    label: str
    text: str
    link: tuple[str, int] | None = None


@dataclass(frozen=True)
class Facts:
    """The selection's facts as the info panel shows them: the name (English or Latin) and the rows."""

    structure_id: str
    title: str
    rows: tuple[InfoRow, ...]


def selection_facts(catalogue: Catalogue, structure_id: str, names: str = DEFAULT_NAMES) -> Facts:
    """The info panel's facts for one structure: :func:`fact_rows` with the origins and insertions numbered as
    links, and a row on the model's one toe joint for a structure that acts on the toes (so a student does not read
    the animation as the big toe moving alone)."""
    structure = catalogue.get(structure_id)
    rows = []
    counters = {"Origin": 0, "Insertion": 0}
    for row in fact_rows(structure, catalogue, names):
        link = None
        if row.label in counters:
            link = (row.label.lower(), counters[row.label])
            counters[row.label] += 1
        rows.append(InfoRow(row.label, row.text, link))
    if any(action.joint == "toes" for action in structure.actions):
        rows.append(InfoRow("In the model", TOES_NOTE))
    return Facts(structure_id, display_name(structure, names), tuple(rows))


def live_text(pose: PoseResult, selection: str | None) -> str | None:
    """The selected muscle's length and its moment arm at every joint it crosses in ``pose``; None for a bone, a
    tendon or no selection."""
    path = pose.muscles.get(selection) if selection else None
    if path is None:
        return None
    return measurements_text(pose.pose, path.length, path.moment_arm_ankle, path.moment_arm_knee, arms=path.arms)


@dataclass(frozen=True)
class ViewResult:
    """What the viewer shows now, worked out from the state and the model.

    Attributes:
        pose: the model's answer for the state's pose (bone transforms, muscle paths, lengths, moment arms).
        selection: the selected structure id, or None.
        opacity: structure id -> the opacity it is drawn with (layer x structure x fading), for every structure.
        visible: the ids of the structures that are drawn (their own and their layer's box checked, opacity > 0).
        facts: what the info panel says about the selection (None without one), in the viewer's names.
        live: the selected muscle's live block in this pose (None for a bone, a tendon or no selection).
        changed: which of ``pose``, ``selection``, ``appearance`` and ``facts`` differ from the result before.
    """

    pose: PoseResult
    selection: str | None
    opacity: Mapping[str, float]
    visible: frozenset[str]
    facts: Facts | None = None
    live: str | None = None
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
        #: The playback clock on this state: whoever owns time steps it (the window's QTimer, app/animator.py).
        self.playback = Playback(state)
        self._click_taker: Callable[[str | None], bool] | None = None
        self.names = DEFAULT_NAMES  # the names the facts are worded in (english or latin)
        pose = model.pose(state.pose)
        self.result = ViewResult(
            pose, state.selection, *self._appearance(), self._facts(state.selection), live_text(pose, state.selection)
        )
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
        visible = frozenset(sid for sid in opacity if state.is_drawn(sid))
        return MappingProxyType(opacity), visible

    def _emit(self, changed: set[str], **values: Any) -> None:
        self.result = replace(self.result, **values, changed=frozenset(changed))
        self.result_changed.emit(self.result)

    def _facts(self, selection: str | None) -> Facts | None:
        return None if selection is None else selection_facts(self.catalogue, selection, self.names)

    def _on_pose_changed(self, *_: object) -> None:
        pose = self.model.pose(self.state.pose)
        self._emit({"pose"}, pose=pose, live=live_text(pose, self.result.selection))

    def _on_selection_changed(self, *_: object) -> None:
        selection = self.state.selection
        said = {"facts": self._facts(selection), "live": live_text(self.result.pose, selection)}
        opacity, visible = self._appearance()  # fading others follows the selection
        if (dict(opacity), visible) == (dict(self.result.opacity), self.result.visible):
            self._emit({"selection", "facts"}, selection=selection, **said)
        else:
            changed = {"selection", "appearance", "facts"}
            self._emit(changed, selection=selection, opacity=opacity, visible=visible, **said)

    def set_names(self, names: str) -> None:
        """Word the facts in English or Latin names (``english``/``latin``) from now on."""
        self.names = check_names(names)
        self._emit({"facts"}, facts=self._facts(self.result.selection))

    def _on_appearance_changed(self, *_: object) -> None:
        opacity, visible = self._appearance()
        self._emit({"appearance"}, opacity=opacity, visible=visible)

    def set_model(self, model: MusculoskeletalModel) -> None:
        """Follow another model (the other leg): its ranges limit the poses, and the pose is asked of it anew."""
        self.model = model
        self.state.limit_poses(model.ranges)
        pose = model.pose(self.state.pose)
        self._emit({"pose"}, pose=pose, live=live_text(pose, self.result.selection))

    # --- what a click means ---------------------------------------------------------------------------------------
    def click(self, structure_id: str | None, *, act: bool = True) -> None:
        """A click on the picture, in one call: select what it hit (None: the background clears the selection) and,
        for a muscle or tendon, play its action once when ``act`` (the window's "Play action on click"). While
        something takes clicks (:meth:`take_clicks`: a quiz question waiting), the click is offered to it first."""
        if self._click_taker is not None and self._click_taker(structure_id):
            return
        self.state.select(structure_id)
        if structure_id is None or not act:
            return
        motion = action_motion(self.catalogue.get(structure_id))
        if motion is not None:
            self.playback.play_once(motion)

    def take_clicks(self, taker: Callable[[str | None], bool] | None) -> None:
        """Offer every click to ``taker`` first (it returns True when it took the click as its own), or stop (None).
        Why: the quiz answers with clicks only while it is open, so a click outside the quiz never runs its code."""
        self._click_taker = taker

    # --- geometry the widgets ask for -----------------------------------------------------------------------------
    def attachment_point(self, structure_id: str, role: str, index: int) -> np.ndarray:
        """World position of a structure's origin or insertion (``role``, ``index``) in the pose shown."""
        structure = self.catalogue.get(structure_id)
        attachments = structure.origins if role == "origin" else structure.insertions
        if not 0 <= index < len(attachments):
            raise CalfviewerError(f"{structure.name} has {len(attachments)} {role}(s); there is no {role} {index + 1}")
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
