"""Which structure is under a pixel: the scene's picking, split from ``anatomy_scene.py`` by job.

Bones, which never change shape in their body frames, go through VTK's cell picker and their cell locators (only
those whose bounding box the pixel's ray crosses); muscles and tendons, which change shape every pose, are ray-cast
directly (:func:`calfviewer.geometry.ray_cast.ray_crossings`), all in one pass, so a pick after a pose change
rebuilds nothing. Hidden structures are never picked; faded ones (opacity below
:data:`~calfviewer.viewer.view_state.PICK_OPACITY`) only where no solid structure lies under the pixel.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from vtkmodules.vtkCommonDataModel import vtkStaticCellLocator
from vtkmodules.vtkRenderingCore import vtkCellPicker, vtkRenderer

from calfviewer.geometry.ray_cast import ray_crossings
from calfviewer.scene.actors import Item
from calfviewer.scene.screen_bins import BIN_AFTER, ScreenBins, picture_of
from calfviewer.viewer.view_state import PICK_OPACITY

if TYPE_CHECKING:
    from collections.abc import Callable

    import pyvista as pv

    from calfviewer.scene.section_caps import SectionCaps
    from calfviewer.viewer.viewer import ViewResult


def display_y_from_top(y_from_top: float, window_height: int, pixel_ratio: float = 1.0) -> float:
    """Convert a Qt-style y (origin at the top, logical pixels) into VTK's display y (origin at the bottom).

    ``pixel_ratio`` is Qt's ``devicePixelRatio``: VTK's window is in device pixels.
    """
    return window_height - 1 - y_from_top * pixel_ratio


@dataclass
class SoftTriangles:
    """Every soft-tissue triangle in one array, so a pick tests them all in one vectorised pass (or, once a picture
    has had a few picks, those drawn at its pixel: :class:`~calfviewer.scene.screen_bins.ScreenBins`).

    Why not cell locators: these meshes deform with every pose, and rebuilding their locators after a pose change
    cost more than the whole pick budget (see :mod:`calfviewer.geometry.ray_cast`).
    """

    items: list[Item]
    faces: np.ndarray  # (F, 3) into the items' points, concatenated in order
    owner: np.ndarray  # (F,) index into items
    points: np.ndarray | None = None  # the items' points, concatenated: kept until they move
    bins: ScreenBins | None = None  # the triangles by the squares of the picture ``picture`` is, once made
    picture: tuple[float, ...] | None = None  # the picture (picture_of) of the picks counted in ``picks``
    picks: int = 0

    @classmethod
    def of(cls, items: list[Item]) -> SoftTriangles:
        offsets = np.cumsum([0] + [item.poly.n_points for item in items])
        faces = [item.faces + offset for item, offset in zip(items, offsets[:-1], strict=True)]
        owner = [np.full(len(item.faces), n) for n, item in enumerate(items)]
        return cls(
            items,
            np.asfortranarray(np.concatenate(faces)) if faces else np.zeros((0, 3), dtype=int),
            np.concatenate(owner) if owner else np.zeros(0, dtype=int),
        )

    def moved(self) -> None:
        """The points moved (a pose): gathered again at the next pick, and sorted into squares again if it needs."""
        self.points, self.bins, self.picture, self.picks = None, None, None, 0

    def crossings(
        self, near: np.ndarray, far: np.ndarray, seen: tuple[vtkRenderer, float, float] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """``(owners, fractions)``: which item each triangle the segment crosses belongs to, and where. ``seen``: the
        renderer and the display pixel the segment is the ray of; the picture's :data:`BIN_AFTER`-th pick on sorts
        the triangles into squares of it and tests only those of the pixel's square (the same crossings)."""
        if not self.items:
            return np.zeros(0, dtype=int), np.zeros(0)
        if self.points is None:
            self.points = np.concatenate([np.asarray(item.poly.points) for item in self.items])
        chosen = self._at(*seen) if seen is not None else None
        if chosen is None:
            faces, fractions = ray_crossings(self.points, self.faces, near, far)
            return self.owner[faces], fractions
        # Only the points of those triangles: projecting every point onto the ray's plane was most of a pick's cost.
        used, corners = np.unique(self.faces[chosen], return_inverse=True)
        faces, fractions = ray_crossings(self.points[used], corners.reshape(-1, 3), near, far)
        return self.owner[chosen[faces]], fractions

    def _at(self, renderer: vtkRenderer, x: float, y: float) -> np.ndarray | None:
        """The triangles a ray through (x, y) may cross, once this picture has had enough picks; None: test all."""
        assert self.points is not None
        picture = picture_of(renderer)
        if picture != self.picture:
            self.bins, self.picture, self.picks = None, picture, 0
        self.picks += 1
        if self.bins is None and self.picks > BIN_AFTER:
            self.bins = ScreenBins.of(renderer, self.points, self.faces)
        return None if self.bins is None else self.bins.at(x, y)


@dataclass(frozen=True)
class PickGroup:
    """Structures a pick tests together: indices into the scene's bones and into its soft triangles' items."""

    bones: np.ndarray
    soft: np.ndarray


def build_locator(item: Item) -> None:
    """Build a bone's cell locator if it is stale (on the first pick that needs it, or when the app is idle)."""
    if item.locator is not None and item.locator_stale:
        item.locator.ForceBuildLocator()
        item.locator_stale = False


def copy_locator(poly: pv.PolyData) -> vtkStaticCellLocator:
    """A cell locator built over ``poly`` for :meth:`Picker.add_drawn_copy`; a new mesh's, so it may be built on a
    worker thread (coarse_copies.py)."""
    locator = vtkStaticCellLocator()
    locator.SetDataSet(poly)
    locator.BuildLocator()
    return locator


class Picker:
    """Picks among ``items`` drawn by ``renderer``; ``section`` says what a cut takes away; ``shown`` gives the
    viewer's result the scene draws now.

    What it gathers for picking (the visible structures, the soft tissue's points, the bones' boxes) it keeps while
    the result's appearance and pose are the same objects, and gathers again at the first pick after they change.
    So nothing tells it about a pose or a toggle: a frame of playback never runs picking code, only a pick does.
    """

    def __init__(
        self, renderer: vtkRenderer, items: list[Item], section: SectionCaps, shown: Callable[[], ViewResult]
    ) -> None:
        self._shown = shown
        self._gathered_for: tuple[object, object, object] = (None, None, None)  # (pose, visible, opacity)
        self.renderer = renderer
        self.section = section
        self.id_of_actor: dict[Any, str] = {item.actor: item.structure.id for item in items}  # by identity
        self.soft = SoftTriangles.of([item for item in items if item.locator is None])
        self.bones = [item for item in items if item.locator is not None]
        self._bone_number = {item.structure.id: n for n, item in enumerate(self.bones)}
        self.last_pick_ms = 0.0  # duration of the last pick, for the status bar and benchmarks
        self._groups: tuple[PickGroup, PickGroup] | None = None  # (solid, faded) visible structures
        self._bone_bounds: np.ndarray | None = None  # (bones, 6) world boxes in the pose shown, on first pick
        self._cell_picker = vtkCellPicker()
        self._cell_picker.SetTolerance(0.0)
        self._cell_picker.PickFromListOn()
        for item in self.bones:
            self._cell_picker.AddLocator(item.locator)
        self._copy_locators: dict[int, vtkStaticCellLocator] = {}  # by id() of the copy, kept alive here too

    def add_drawn_copy(self, poly: pv.PolyData, locator: vtkStaticCellLocator | None = None) -> None:
        """A copy a bone's actor is drawn from at times (its coarse copy, while the picture moves): picks while it
        is drawn test it through a cell locator of its own (``locator``, made by :func:`copy_locator`, or made
        now). VTK's cell picker tests the mesh the actor's mapper draws; without a locator for that mesh it tried
        every one of its triangles, ~1 ms a pick, and the labels pick tens of times at every layout of a moving
        picture (docs/performance.md, "The window with everything on")."""
        if id(poly) in self._copy_locators:
            return
        locator = copy_locator(poly) if locator is None else locator
        self._copy_locators[id(poly)] = locator
        self._cell_picker.AddLocator(locator)

    def locator_of(self, poly: pv.PolyData) -> vtkStaticCellLocator | None:
        """The cell locator picks use for a copy given to :meth:`add_drawn_copy` (None for any other mesh)."""
        locator = self._copy_locators.get(id(poly))
        return locator if locator is not None and locator.GetDataSet() is poly else None

    def _forget_what_changed(self) -> None:
        """Drop what was gathered for a pose or an appearance that is no longer the one drawn."""
        result = self._shown()
        pose, visible, opacity = self._gathered_for
        if result.pose is not pose:  # the leg moved: soft tissue points and bone boxes
            self.soft.moved()
            self._bone_bounds = None
        if result.visible is not visible or result.opacity is not opacity:  # what is drawn, or how opaque
            self._groups = None
        self._gathered_for = (result.pose, result.visible, result.opacity)

    def _pickables(self) -> tuple[PickGroup, PickGroup]:
        """The visible structures, solid then faded, as indices into ``bones`` and ``soft.items``."""
        if self._groups is None:

            def group(solid: bool) -> PickGroup:
                def wanted(item: Item) -> bool:
                    return bool(item.actor.visibility) and (item.actor.prop.opacity >= PICK_OPACITY) == solid

                return PickGroup(
                    np.array([n for n, item in enumerate(self.bones) if wanted(item)], dtype=int),
                    np.array([n for n, item in enumerate(self.soft.items) if wanted(item)], dtype=int),
                )

            self._groups = (group(True), group(False))
        return self._groups

    def pick(self, x: float, y: float) -> str | None:
        """The id of the front-most structure drawn at display pixel (x, y), or None.

        ``y`` counts from the BOTTOM of the window (VTK's convention); convert a Qt position with
        :func:`display_y_from_top`. Hidden structures are never picked; faded ones (opacity below
        :data:`PICK_OPACITY`) only where no solid structure lies under the pixel, in front of or behind them, so a
        click goes through a faded layer to what it reveals.

        Bones, which never change shape in their body frames, go through VTK's cell picker and their cell
        locators (only those whose bounding box the pixel's ray crosses); muscles and tendons, which change shape
        every pose, are ray-cast directly, all in one pass, so a pick after a pose change rebuilds nothing.
        """
        start = time.perf_counter()
        self._forget_what_changed()
        try:
            near, far = self._pick_ray(float(x), float(y))
            soft: tuple[np.ndarray, np.ndarray] | None = None
            cap = self._cap_hit(near, far)
            front = self._cap_in_front(near, cap)
            if front is not None:
                return front
            for group in self._pickables():
                hits = [self._pick_bones(x, y, near, far, group.bones)]
                if cap is not None:
                    ids = self._group_ids(group)
                    hits.extend((cap[0], sid) for sid in cap[1][:1] if sid in ids)
                if len(group.soft):
                    soft = self._kept_crossings(near, far, (float(x), float(y))) if soft is None else soft
                    owners, fractions = soft
                    mine = np.isin(owners, group.soft)
                    if mine.any():
                        n = int(np.argmin(np.where(mine, fractions, np.inf)))
                        hits.append((float(fractions[n]), self.soft.items[owners[n]].structure.id))
                found = [hit for hit in hits if hit is not None]
                if found:
                    return min(found)[1]
            return None
        finally:
            self.last_pick_ms = (time.perf_counter() - start) * 1000.0

    def shows(self, x: float, y: float, structure_id: str) -> bool:
        """Whether :meth:`pick` at display pixel (x, y) finds ``structure_id``: the same answer, sooner for a bone.

        A solid bone is found only as the front-most solid bone on the pixel's ray or as the cap drawn where the ray
        meets the cut; when it is neither, no muscle in front can make it the answer, so the soft tissue is not
        ray-cast. The labels ask this at every layout, and a bone hidden from the camera (the patella seen from
        behind) took 32 full picks each time (docs/performance.md, "The window with everything on").
        """
        bone = self._bone_number.get(structure_id)
        if bone is not None:
            self._forget_what_changed()
            solid = self._pickables()[0]
            if bone in solid.bones:
                near, far = self._pick_ray(float(x), float(y))
                hit = self._pick_bones(x, y, near, far, solid.bones)
                if hit is None or hit[1] != structure_id:
                    # Not the front-most bone; found here only as the cap drawn at the pixel, if it has a cap shown.
                    if structure_id not in self.section.capped():
                        return False
                    cap = self._cap_hit(near, far)
                    if cap is None or cap[1][:1] != (structure_id,):
                        return False
        return self.pick(x, y) == structure_id

    def _group_ids(self, group: PickGroup) -> set[str]:
        """The ids of the structures in ``group``."""
        return {self.bones[n].structure.id for n in group.bones} | {self.soft.items[n].structure.id for n in group.soft}

    def _cap_hit(self, near: np.ndarray, far: np.ndarray) -> tuple[float, tuple[str, ...]] | None:
        """Where the segment meets the section's plane (as a fraction from ``near``) and the structures whose caps
        cover that point, bones first; None without a cut or where no cap is drawn."""
        if self.section.plane is None:
            return None
        origin, normal = self.section.plane
        across = float((far - near) @ normal)
        if abs(across) < 1e-12:
            return None
        fraction = float((origin - near) @ normal) / across
        if not 0.0 <= fraction <= 1.0:
            return None
        covering = self.section.caps_at(near + fraction * (far - near))
        return (fraction, covering) if covering else None

    def _cap_in_front(self, near: np.ndarray, cap: tuple[float, tuple[str, ...]] | None) -> str | None:
        """The answer of :meth:`pick` from the cap alone, when the ray meets a solid structure's cap before anything
        else can be drawn: it starts on the side cut away (``near`` removed), where nothing is drawn, so every bone
        or soft-tissue crossing kept lies beyond the plane and the cap is the front-most solid hit, as the full pick
        would find after ray-casting every muscle. None otherwise (no cap hit, the camera on the side kept, or the
        cap a faded structure's, behind which a solid one may be picked).

        Why: seen from the side cut away, as a slice is, most of a label layout's picks land on a cap; the labels
        searching for a structure hidden behind the slice (the popliteus behind an axial cut) made 32 full picks,
        ~24 ms of the session's first cut with everything on (docs/performance.md)."""
        if cap is None or not self.section.removed(near)[0]:
            return None
        first = cap[1][0]
        return first if first in self._group_ids(self._pickables()[0]) else None

    def _kept_crossings(
        self, near: np.ndarray, far: np.ndarray, pixel: tuple[float, float]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Soft-tissue crossings of the segment (the ray of display ``pixel``), less those on the side a section cuts
        away (not drawn)."""
        owners, fractions = self.soft.crossings(near, far, (self.renderer, *pixel))
        if self.section.plane is not None and len(fractions):
            kept = ~self.section.removed(near + fractions[:, None] * (far - near))
            owners, fractions = owners[kept], fractions[kept]
        return owners, fractions

    def _pick_bones(
        self, x: float, y: float, near: np.ndarray, far: np.ndarray, bones: np.ndarray
    ) -> tuple[float, str] | None:
        """The front-most of the bones ``bones`` (indices into ``_bones``) at the pixel, as (fraction along
        near-far, id), or None."""
        if not len(bones):
            return None
        if self._bone_bounds is None:
            self._bone_bounds = np.array([item.actor.GetBounds() for item in self.bones]).reshape(-1, 6)
        crossed = [self.bones[n] for n in bones[rays_meet_boxes(near, far, self._bone_bounds[bones])]]
        if not crossed:
            return None
        picker = self._cell_picker
        picker.InitializePickList()
        for item in crossed:
            build_locator(item)
            picker.AddPickList(item.actor)
        if not picker.Pick(float(x), float(y), 0.0, self.renderer):
            return None
        segment = far - near
        structure_id = self.id_of_actor.get(picker.GetActor())
        if structure_id is None:
            return None
        fraction = float((np.array(picker.GetPickPosition()) - near) @ segment / (segment @ segment))
        return fraction, structure_id

    def _pick_ray(self, x: float, y: float) -> tuple[np.ndarray, np.ndarray]:
        """World points where display pixel (x, y) meets the near and far clipping planes."""
        renderer = self.renderer
        ends = []
        for depth in (0.0, 1.0):
            renderer.SetDisplayPoint(x, y, depth)
            renderer.DisplayToWorld()
            wx, wy, wz, w = renderer.GetWorldPoint()
            ends.append(np.array([wx, wy, wz]) / w)
        return ends[0], ends[1]


def rays_meet_boxes(near: np.ndarray, far: np.ndarray, bounds: np.ndarray, margin: float = 1e-3) -> np.ndarray:
    """Whether the segment near-far passes through each box ``(xmin, xmax, ymin, ymax, zmin, zmax)`` of
    ``bounds`` ``(N, 6)``, every box grown by ``margin``.

    The slab test: the segment's parameter interval inside each pair of planes, intersected over the three axes.
    """
    low = bounds[:, 0::2] - margin
    high = bounds[:, 1::2] + margin
    direction = far - near
    parallel = np.abs(direction) < 1e-15
    with np.errstate(divide="ignore", invalid="ignore"):
        t0 = (low - near) / np.where(parallel, 1.0, direction)
        t1 = (high - near) / np.where(parallel, 1.0, direction)
    # A segment parallel to a pair of planes is inside that slab everywhere or nowhere.
    inside = (low <= near) & (near <= high)
    t_in = np.where(parallel, np.where(inside, 0.0, np.inf), np.minimum(t0, t1))
    t_out = np.where(parallel, np.where(inside, 1.0, -np.inf), np.maximum(t0, t1))
    return np.maximum(t_in.max(axis=1), 0.0) <= np.minimum(t_out.min(axis=1), 1.0)
