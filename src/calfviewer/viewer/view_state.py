"""What the viewer shows, as plain data: visibility, opacity, selection, pose, camera, labels.

Over 500 lines on purpose: the fields, their checks and the view file's reader and writer are kept together, so a
new field is added in one module.

The state says what is true; the 3D scene and the Qt widgets only listen and follow (napari's model/view split).
Every field emits a psygnal signal ``state.events.<field>`` with ``(new, old)`` when, and only when, its value
really changes, so a widget that mirrors the state under a signal blocker never echoes a change back.

Mappings are stored read-only (:class:`types.MappingProxyType`): a change is always a new mapping assigned to the
field, which is the only way an event can fire. Names are checked against the anatomy catalogue on every
assignment, so an unknown id fails where it is written, not later in the scene.

A view file is JSON (never pickle): a hand-edited or stale file is refused with a one-line message that names the
field, and saving writes a temporary file next to the target and renames it, so a failure never leaves a half
written file behind.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import InitVar, dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

from psygnal import evented

from calfviewer.anatomy.catalogue import LAYERS
from calfviewer.anatomy.side import SIDES, Side
from calfviewer.errors import CalfviewerError, PoseError
from calfviewer.files import parse_json, read_limited, shown_path, write_atomic
from calfviewer.musculoskeletal import ANGLES, Pose
from calfviewer.musculoskeletal.pose import JointRange
from calfviewer.viewer.camera import VIEWS, Camera, CameraError, Vec3, finite_number, short_repr
from calfviewer.viewer.section_plane import SECTION_KINDS, Section, SectionError

if TYPE_CHECKING:
    from psygnal import SignalGroup, SignalInstance

    from calfviewer.anatomy import Catalogue, Structure

    class _StateEvents(SignalGroup):
        """What ``@evented`` adds as ``state.events``: one signal per field (for the type checker)."""

        structure_visible: SignalInstance
        structure_opacity: SignalInstance
        layer_visible: SignalInstance
        layer_opacity: SignalInstance
        selection: SignalInstance
        pose: SignalInstance
        camera: SignalInstance
        labels: SignalInstance
        fade_others: SignalInstance
        section: SignalInstance


#: Opacity of structures that are faded (``fade_others``); picking treats anything below PICK_OPACITY as faded.
FADED_OPACITY = 0.2
PICK_OPACITY = 0.5

VIEW_FILE_FORMAT = "calfviewer-view"
#: The ``format`` of a bookmark file (several named views; ``scene/bookmarks.py`` reads it), named here so that one
#: given where a single view is expected is recognised and sent to Bookmarks > Load….
BOOKMARKS_FORMAT = "calfviewer-bookmarks"
VIEW_FILE_VERSION = 1


#: Names other modules import from here: the view names and layers are the camera's and the catalogue's.
__all__ = [
    "FADED_OPACITY",
    "LAYERS",
    "PICK_OPACITY",
    "VIEWS",
    "VIEW_FILE_FORMAT",
    "VIEW_FILE_VERSION",
    "Camera",
    "UnknownNameError",
    "ViewFileError",
    "ViewState",
]


class ViewFileError(CalfviewerError):
    """A view file cannot be read, parsed or written; the message names the file and, if any, the field."""


class UnknownNameError(CalfviewerError):
    """A structure id or layer name that the catalogue does not have."""


class ValueProblem(CalfviewerError):
    """A value the state refuses: ``field`` is the state's field, ``key`` the structure or layer of a mapping field
    (else None), ``problem`` what is wrong without the field's name (a view file's reader names its own field)."""

    def __init__(self, field_name: str, key: str | None, problem: str, message: str | None = None) -> None:
        super().__init__(message or f"{field_name}{'' if key is None else f'.{key}'} {problem}")
        self.field = field_name
        self.key = key
        self.problem = problem


class _UnknownName(ValueProblem, UnknownNameError):
    """An unknown name met while checking a field: still an UnknownNameError, with its own message."""

    def __init__(self, field_name: str, key: str | None, error: UnknownNameError) -> None:
        super().__init__(field_name, key, str(error), message=str(error))


def _frozen_mapping(values: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(values))


@evented
@dataclass
class ViewState:
    """Everything a person chose about what the viewer shows.

    Attributes:
        structure_visible: structure id -> shown (absent means shown).
        structure_opacity: structure id -> opacity 0..1 (absent means 1).
        layer_visible: layer -> shown (absent means shown); a structure is drawn when both it and its layer are.
        layer_opacity: layer -> opacity 0..1 (absent means 1); multiplies the structure's own opacity, so a layer
            can be faded as a whole.
        selection: the selected structure id, or None.
        pose: the leg's joint angles in degrees.
        camera: a named view or an explicit camera (:class:`Camera`).
        labels: draw name labels with leader lines.
        fade_others: while something is selected, fade every other structure to :data:`FADED_OPACITY`.
        section: where the leg is cut open (:class:`~calfviewer.viewer.section_plane.Section`), or None.

    Pass ``catalogue=`` to check names against a catalogue other than the package's.
    """

    structure_visible: Mapping[str, bool] = field(default_factory=dict)
    structure_opacity: Mapping[str, float] = field(default_factory=dict)
    layer_visible: Mapping[str, bool] = field(default_factory=dict)
    layer_opacity: Mapping[str, float] = field(default_factory=dict)
    selection: str | None = None
    pose: Pose = field(default_factory=Pose)
    camera: Camera = field(default_factory=Camera)
    labels: bool = False
    fade_others: bool = False
    section: Section | None = None
    catalogue: InitVar[Catalogue | None] = None
    if TYPE_CHECKING:  # set by @evented and __post_init__, not fields
        events: ClassVar[_StateEvents]
        _layers_of: ClassVar[dict[str, str]]

    def __post_init__(self, catalogue: Catalogue | None) -> None:
        if catalogue is None:
            from calfviewer.anatomy import load_catalogue

            catalogue = load_catalogue()
        object.__setattr__(self, "_layers_of", {s.id: s.layer for s in catalogue.structures})
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name))  # validate and freeze what __init__ stored

    # --- validation on every assignment -------------------------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        if "_layers_of" in self.__dict__:  # __init__ assigns before the catalogue is known: checked after
            value = self._checked(name, value)
        super().__setattr__(name, value)

    def _checked(self, name: str, value: Any) -> Any:
        if name in ("structure_visible", "structure_opacity", "layer_visible", "layer_opacity"):
            check = self._check_layer if name.startswith("layer") else self._check_structure
            cast = _bool if name.endswith("visible") else _opacity
            checked = {}
            for key, item in dict(value).items():
                try:
                    checked[check(key)] = cast(name, item)
                except UnknownNameError as error:
                    raise _UnknownName(name, key, error) from None
                except ValueProblem as error:
                    raise ValueProblem(name, key, error.problem) from None
            return _frozen_mapping(checked)
        if name == "selection":
            try:
                return None if value is None else self._check_structure(value)
            except UnknownNameError as error:
                raise _UnknownName(name, None, error) from None
        if name == "pose":
            if not isinstance(value, Pose):
                raise CalfviewerError(f"pose must be a Pose, not {type(value).__name__}")
            for angle in ANGLES:
                _number(f"pose.{angle}", getattr(value, angle))
            ranges = self.__dict__.get("_pose_ranges")
            if ranges is None:
                return value
            return Pose(**{angle: ranges[angle].check(getattr(value, angle)) for angle in ANGLES})
        if name == "camera":
            if isinstance(value, str):
                return Camera.named(value)
            if not isinstance(value, Camera):
                raise CalfviewerError(f"camera must be a Camera or a view name, not {type(value).__name__}")
            return value
        if name in ("labels", "fade_others"):
            return _bool(name, value)
        if name == "section":
            if value is not None and not isinstance(value, Section):
                raise CalfviewerError(f"section must be a Section or None, not {type(value).__name__}")
            return value
        return value

    def _check_structure(self, structure_id: str) -> str:
        if not isinstance(structure_id, str):  # a view file's ["soleus"] read "unknown structure ['soleus']"
            raise UnknownNameError(f'expected a structure id, a string such as "soleus", got {_kind(structure_id)}')
        if structure_id not in self._layers_of:
            name = short_repr(structure_id)
            raise UnknownNameError(f"unknown structure {name}: `calfviewer info` lists the structure ids")
        return structure_id

    def _check_layer(self, layer: str) -> str:
        if layer not in LAYERS:
            raise UnknownNameError(f"unknown layer {layer!r}: use one of {', '.join(LAYERS)}")
        return layer

    # --- names ----------------------------------------------------------------------------------------------
    @property
    def structure_ids(self) -> tuple[str, ...]:
        """Every structure id the state knows (the catalogue's), in catalogue order."""
        return tuple(self._layers_of)

    def layer_of(self, structure_id: str) -> str:
        return self._layers_of[self._check_structure(structure_id)]

    def _target(self, name: str) -> str:
        """'layer' or 'structure' for a name; layer names win because no structure is called 'bone'."""
        if name in LAYERS:
            return "layer"
        if name in self._layers_of:
            return "structure"
        raise UnknownNameError(
            f"unknown structure or layer {name!r}: layers are {', '.join(LAYERS)}; "
            "`calfviewer info` lists the structure ids"
        )

    # --- helpers the widgets call ---------------------------------------------------------------------------
    def select(self, structure_id: str | None) -> None:
        """Select a structure (or clear the selection with None)."""
        self.selection = structure_id

    def set_visible(self, name: str, visible: bool) -> None:
        """Show or hide one structure or a whole layer."""
        attr = f"{self._target(name)}_visible"
        setattr(self, attr, {**getattr(self, attr), name: visible})

    def set_opacity(self, name: str, opacity: float) -> None:
        """Opacity 0..1 of one structure or a whole layer (a layer's multiplies its structures')."""
        attr = f"{self._target(name)}_opacity"
        setattr(self, attr, {**getattr(self, attr), name: opacity})

    def set_drawn(self, name: str, drawn: bool) -> None:
        """What a checkbox in the structure tree means: make a layer or structure drawn, or not.

        Showing a layer shows every structure in it; showing a structure whose layer is hidden shows the layer with
        that structure alone, so nothing else appears. Hiding a layer hides it as a whole (its structures keep
        their own setting). Afterwards each structure is drawn exactly when its box says so.
        """
        with self.events.paused():
            if self._target(name) == "layer":
                if drawn:
                    members = [sid for sid, layer in self._layers_of.items() if layer == name]
                    self.structure_visible = {**self.structure_visible, **dict.fromkeys(members, True)}
                self.layer_visible = {**self.layer_visible, name: drawn}
                return
            layer = self._layers_of[name]
            if drawn and not self.layer_visible.get(layer, True):
                siblings = {sid: sid == name for sid, other in self._layers_of.items() if other == layer}
                self.structure_visible = {**self.structure_visible, **siblings}
                self.layer_visible = {**self.layer_visible, layer: True}
                return
            self.structure_visible = {**self.structure_visible, name: drawn}

    def fade(self, name: str, faded: bool = True) -> None:
        """Fade (or restore) a structure or layer: shown, but see-through, and picked only through nothing."""
        self.set_opacity(name, FADED_OPACITY if faded else 1.0)

    def isolate(self, structure_id: str) -> None:
        """Show only ``structure_id``: every other structure hidden, its layer shown."""
        self._check_structure(structure_id)
        with self.events.paused():
            self.structure_visible = {sid: sid == structure_id for sid in self._layers_of}
            self.layer_visible = {**self.layer_visible, self._layers_of[structure_id]: True}

    def show_all(self) -> None:
        """Every structure and layer shown and opaque (selection, pose and camera kept)."""
        with self.events.paused():
            self.structure_visible = {}
            self.structure_opacity = {}
            self.layer_visible = {}
            self.layer_opacity = {}

    def effective_visibility(self, structure: Structure | str) -> bool:
        """Drawn or not: the structure and its layer must both be shown."""
        sid = structure if isinstance(structure, str) else structure.id
        layer = self.layer_of(sid)
        return self.structure_visible.get(sid, True) and self.layer_visible.get(layer, True)

    def is_drawn(self, structure: Structure | str) -> bool:
        """What the scene draws (and a render or an export shows): the structure and its layer shown, and an
        opacity above 0."""
        return self.effective_visibility(structure) and self.effective_opacity(structure) > 0.0

    def effective_opacity(self, structure: Structure | str) -> float:
        """Opacity drawn: layer × structure, × :data:`FADED_OPACITY` when another structure is selected and
        ``fade_others`` is on."""
        sid = structure if isinstance(structure, str) else structure.id
        opacity = self.structure_opacity.get(sid, 1.0) * self.layer_opacity.get(self.layer_of(sid), 1.0)
        if self.fade_others and self.selection is not None and sid != self.selection:
            opacity *= FADED_OPACITY
        return opacity

    def limit_poses(self, ranges: Mapping[str, JointRange] | None) -> None:
        """Refuse poses outside ``ranges`` (the model's joint ranges, by angle name), from now on and for the pose
        held now: an out-of-range angle raises PoseError naming the range where it is assigned, before anything
        changes. The :class:`~calfviewer.viewer.viewer.Viewer` that links this state to a model sets them."""
        object.__setattr__(self, "_pose_ranges", None if ranges is None else dict(ranges))
        if ranges is not None:
            self.pose = self.pose  # the pose held now, checked (and its numbers made floats) like any other

    def apply(self, other: ViewState) -> None:
        """Take every field of ``other`` (e.g. a loaded file), emitting only for fields that differ.

        Every value is checked first, so a refused one (an angle outside this model's range) changes nothing.
        """
        values = {f.name: self._checked(f.name, getattr(other, f.name)) for f in fields(self)}
        with self.events.paused():
            for name, value in values.items():
                setattr(self, name, value)

    # --- JSON -------------------------------------------------------------------------------------------------
    def to_dict(self, side: Side | None = None) -> dict[str, Any]:
        """The state as a view file's JSON object; ``side``: the leg the camera and a free section are placed for
        (written as ``"side"``, so the view opens the same on the other leg: see :meth:`from_dict`)."""
        pose = self.pose
        where = {} if side is None else {"side": side}
        return {
            "format": VIEW_FILE_FORMAT,
            "version": VIEW_FILE_VERSION,
            **where,
            "visibility": {"structures": dict(self.structure_visible), "layers": dict(self.layer_visible)},
            "opacity": {"structures": dict(self.structure_opacity), "layers": dict(self.layer_opacity)},
            "selection": self.selection,
            "pose": {angle: getattr(pose, angle) for angle in ANGLES},
            "camera": self.camera.to_dict(),
            "labels": self.labels,
            "fade_others": self.fade_others,
            "section": None if self.section is None else self.section.to_dict(),
        }

    def to_json(self, side: Side | None = None) -> str:
        return json.dumps(self.to_dict(side), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_dict(
        cls,
        data: Any,
        catalogue: Catalogue | None = None,
        *,
        source: str = "view file",
        side: Side | None = None,
        ranges: Mapping[str, JointRange] | None = None,
    ) -> ViewState:
        """A new state from parsed JSON; a wrong field raises :class:`ViewFileError` naming it.

        ``side``: the leg the view is for. A camera and a free section the file places for the other leg (its
        ``"side"``) are mirrored across the midline, so a view saved on the left leg shows the same side of the
        right one instead of empty space. A file without ``"side"`` (older files) is taken as made for ``side``.
        ``ranges``: the model's joint ranges (``model.ranges``), to refuse an angle outside them under the file's
        field (``pose.knee_flexion``) as it is read, not later when the state is applied."""
        return _Reader(source, ranges).state(data, catalogue, side)

    @classmethod
    def from_json(
        cls,
        text: str,
        catalogue: Catalogue | None = None,
        *,
        source: str = "view file",
        side: Side | None = None,
        ranges: Mapping[str, JointRange] | None = None,
    ) -> ViewState:
        try:
            data = parse_json(text, source, "view file")
        except CalfviewerError as error:
            raise ViewFileError(str(error)) from None
        return cls.from_dict(data, catalogue, source=source, side=side, ranges=ranges)

    @classmethod
    def load(
        cls,
        path: str | os.PathLike[str],
        catalogue: Catalogue | None = None,
        *,
        side: Side | None = None,
        ranges: Mapping[str, JointRange] | None = None,
    ) -> ViewState:
        """Read a view file for ``side``'s leg (see :meth:`from_dict`); nothing else is touched if it is wrong."""
        path = Path(path)
        try:
            # utf-8-sig: a byte order mark (files hand-edited in Windows Notepad) is skipped, not a JSON error
            text = read_limited(path).decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            raise ViewFileError(f"cannot read view file {shown_path(path)}: {reason}") from None
        return cls.from_json(text, catalogue, source=f"view file {path.name!r}", side=side, ranges=ranges)

    def save(self, path: str | os.PathLike[str], side: Side | None = None) -> None:
        """Write the state as JSON atomically: a temporary file beside ``path``, then a rename over it. ``side``:
        the leg its camera and section are placed for (:meth:`to_dict`)."""
        path = Path(path)
        try:
            write_atomic(path, self.to_json(side).encode("utf-8"))
        except OSError as error:
            raise ViewFileError(f"cannot write view file {shown_path(path)}: {error.strerror or error}") from None


# --- value checks ---------------------------------------------------------------------------------------------
# The one definition of each value the state takes; a view file's reader checks only the JSON's shape and lets the
# state check the values, naming the file's field when one is refused (ValueProblem).
def mirrored_placement(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` (state fields by name) with the camera and the section, where they hold one, placed for the other
    leg: mirrored across the body's midline, so the same side of that leg is seen. The one rule both a view file
    read on the other leg and the undo history after a leg switch follow."""
    out = dict(values)
    if "camera" in out:
        out["camera"] = out["camera"].mirrored()
    if out.get("section") is not None:
        out["section"] = out["section"].mirrored()
    return out


def _bool(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueProblem(name, None, f"must be true or false, not {short_repr(value)}")
    return value


def _number(name: str, value: Any) -> float:
    number = finite_number(value)
    if number is None:
        raise ValueProblem(name, None, f"must be a finite number, not {short_repr(value)}")
    return number


def _opacity(name: str, value: Any) -> float:
    number = _number(name, value)
    if not 0.0 <= number <= 1.0:
        raise ValueProblem(name, None, f"must be an opacity from 0 to 1, not {short_repr(value)}")
    return number


class _Reader:
    """Walks parsed JSON, naming the dotted field of the first thing that is wrong."""

    _TOP = (
        "format",
        "version",
        "side",
        "visibility",
        "opacity",
        "selection",
        "pose",
        "camera",
        "labels",
        "fade_others",
        "section",
    )

    def __init__(self, source: str, ranges: Mapping[str, JointRange] | None = None) -> None:
        self.source = source
        self.ranges = ranges

    def fail(self, where: str, problem: str) -> ViewFileError:
        return ViewFileError(f"{self.source} field {where!r}: {problem}")

    def obj(self, where: str, value: Any, allowed: Iterable[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected an object, got {_kind(value)}")
        allowed = tuple(allowed)
        for key in value:
            if key not in allowed:
                field_name = f"{where}.{key}" if where else key
                raise self.fail(field_name, f"unknown field; valid fields are {', '.join(allowed)}")
        return value

    def number(self, where: str, value: Any) -> float:
        number = finite_number(value)
        if number is None:
            too_big = isinstance(value, int) and not isinstance(value, bool)
            if too_big:
                raise self.fail(where, "expected a number a float can hold")
            if isinstance(value, float):  # NaN, Infinity, or a number past a float's range (1e400) read as Infinity
                # "expected a number, got a number NaN" told nothing of what was wrong with it.
                past = (
                    ""
                    if math.isnan(value)
                    else f" (or a number too large for a float, such as {'-' if value < 0 else ''}1e400)"
                )
                raise self.fail(where, f"expected a finite number, got {json.dumps(value)}{past}")
            raise self.fail(where, f"expected a number, got {_kind(value)}")
        return number

    def vec3(self, where: str, value: Any) -> Vec3:
        if not isinstance(value, list) or len(value) != 3:
            raise self.fail(where, f"expected a list of 3 numbers, got {_kind(value)}")
        x, y, z = (self.number(f"{where}[{i}]", v) for i, v in enumerate(value))
        return (x, y, z)

    def mapping(self, where: str, value: Any) -> dict[str, Any]:
        """An object of names to values, as it stands: the state checks the names and the values."""
        if not isinstance(value, dict):
            raise self.fail(where, f"expected an object, got {_kind(value)}")
        return value

    def camera(self, value: Any) -> Camera:
        if isinstance(value, str):
            try:
                return Camera.named(value)  # the camera checks view names (one place)
            except CameraError as error:
                raise self.fail("camera", error.problem) from None
        cam = self.obj("camera", value, ("position", "focal_point", "view_up", "view_angle", "parallel_scale"))
        for key in ("position", "focal_point", "view_up"):
            if key not in cam:
                raise self.fail(f"camera.{key}", "missing (or give a view name instead of an object)")
        scale = cam.get("parallel_scale")
        try:
            return Camera(
                view=None,
                position=self.vec3("camera.position", cam["position"]),
                focal_point=self.vec3("camera.focal_point", cam["focal_point"]),
                view_up=self.vec3("camera.view_up", cam["view_up"]),
                view_angle=self.number("camera.view_angle", cam.get("view_angle", 30.0)),
                parallel_scale=None if scale is None else self.number("camera.parallel_scale", scale),
            )
        except CameraError as error:  # the camera's own checks (range, zero or parallel view_up), named here
            raise self.fail(f"camera.{error.field}", error.problem) from None

    def section(self, value: Any) -> Section | None:
        """A section from its JSON (absent or null: none; files from before sections existed have none)."""
        if value is None:
            return None
        sec = self.obj("section", value, ("kind", "position", "origin", "normal"))
        kind = sec.get("kind")
        if kind not in SECTION_KINDS:
            raise self.fail("section.kind", f"expected one of {', '.join(SECTION_KINDS)}, got {_kind(kind)}")
        try:
            if kind == "free":
                if "position" in sec:
                    raise self.fail("section.position", "a free plane is placed by origin and normal")
                for key in ("origin", "normal"):
                    if key not in sec:
                        raise self.fail(f"section.{key}", "missing (a free plane needs origin and normal)")
                return Section.free(
                    self.vec3("section.origin", sec["origin"]), self.vec3("section.normal", sec["normal"])
                )
            for key in ("origin", "normal"):
                if key in sec:
                    raise self.fail(f"section.{key}", f"a {kind} plane is placed by its position alone")
            if "position" not in sec:
                raise self.fail("section.position", "missing (a fraction from 0 to 1)")
            return Section(kind, self.number("section.position", sec["position"]))
        except SectionError as error:
            raise self.fail(f"section.{error.field}", error.problem) from None

    #: Where each state field the state checks stands in a view file.
    _FIELDS: ClassVar[dict[str, str]] = {
        "structure_visible": "visibility.structures",
        "layer_visible": "visibility.layers",
        "structure_opacity": "opacity.structures",
        "layer_opacity": "opacity.layers",
        "selection": "selection",
        "labels": "labels",
        "fade_others": "fade_others",
    }

    def state(self, data: Any, catalogue: Catalogue | None, side: Side | None = None) -> ViewState:
        """The state a file describes, for ``side``'s leg. This reader checks the JSON's shape and turns the pose,
        camera and section into their types; the names, booleans and opacities are checked once, by the state, and a
        refused one is reported under the file's field (``opacity.layers.deep``)."""
        if catalogue is None:
            from calfviewer.anatomy import load_catalogue

            catalogue = load_catalogue()
        if isinstance(data, dict) and data.get("format") == BOOKMARKS_FORMAT:  # before its fields are called unknown
            raise self.fail(
                "format",
                "this is a bookmark file, several views: open it with Bookmarks > Load… in the window; a view file "
                "holds one view, as File > Save view writes it",
            )
        if not isinstance(data, dict):  # a file of one list or value: no field to name ("field ''" said nothing)
            raise ViewFileError(
                f"{self.source} holds {_kind(data)}, not a view: a view file is one JSON object, as File > Save view "
                "writes it"
            )
        top = self.obj("", data, self._TOP)
        if top.get("format", VIEW_FILE_FORMAT) != VIEW_FILE_FORMAT:
            raise self.fail("format", f"expected {VIEW_FILE_FORMAT!r}, got {top['format']!r}")
        version = top.get("version", VIEW_FILE_VERSION)
        if type(version) is not int or version != VIEW_FILE_VERSION:  # true and 1.0 are not the version 1
            raise self.fail("version", f"expected {VIEW_FILE_VERSION}, got {_kind(top['version'])}")
        made_for = top.get("side")
        if made_for is None:  # absent or null: made for the leg it is read for
            made_for = side
        if made_for is not None and made_for not in SIDES:
            raise self.fail("side", f"expected one of {', '.join(SIDES)}, got {_kind(made_for)}")
        camera, section = self.camera(top.get("camera", "posterior")), self.section(top.get("section"))
        if side is not None and made_for != side:  # placed for the other leg: the same view of this one
            placed = mirrored_placement({"camera": camera, "section": section})
            camera, section = placed["camera"], placed["section"]
        visibility = self.obj("visibility", top.get("visibility", {}), ("structures", "layers"))
        opacity = self.obj("opacity", top.get("opacity", {}), ("structures", "layers"))
        # An angle a file leaves out (files from before the toe joint have no "toes") stays neutral.
        pose = self.obj("pose", top.get("pose", {}), ANGLES)
        angles = {angle: self.number(f"pose.{angle}", value) for angle, value in pose.items()}
        if self.ranges is not None:
            for angle, value in angles.items():
                try:
                    self.ranges[angle].check(value)
                except PoseError as error:
                    raise self.fail(f"pose.{angle}", str(error)) from None
        try:
            return ViewState(
                structure_visible=self.mapping("visibility.structures", visibility.get("structures", {})),
                structure_opacity=self.mapping("opacity.structures", opacity.get("structures", {})),
                layer_visible=self.mapping("visibility.layers", visibility.get("layers", {})),
                layer_opacity=self.mapping("opacity.layers", opacity.get("layers", {})),
                selection=top.get("selection"),
                pose=Pose(**angles),
                camera=camera,
                labels=top.get("labels", False),
                fade_others=top.get("fade_others", False),
                section=section,
                catalogue=catalogue,
            )
        except ValueProblem as problem:
            where = self._FIELDS.get(problem.field, problem.field)
            raise self.fail(where if problem.key is None else f"{where}.{problem.key}", problem.problem) from None


def _kind(value: Any) -> str:
    """How a JSON value reads in a message: its type and, if short, the value."""
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}
    kind = names.get(type(value), "a number" if isinstance(value, int | float) else type(value).__name__)
    text = json.dumps(value) if not isinstance(value, dict | list) else ""
    return f"{kind} {text}".strip() if text and len(text) <= 30 and value is not None else kind
