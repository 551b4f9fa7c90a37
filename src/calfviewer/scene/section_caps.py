"""A cut through the leg drawn like a slice: structures clipped by one plane, each cut filled with a cap in the
structure's own colour.

Why clipping planes on the mappers plus caps, rather than clipping the meshes: the GL drops what lies beyond the plane
for free, every frame, so dragging the plane costs only the caps. A cap is the outline where the plane meets a closed
mesh (VTK's cutter, in the mesh's own frame: a bone's body frame, a muscle's world), filled by VTK's contour
triangulator, which fills concave outlines and outlines with holes correctly (a Delaunay fill would bridge the
concave notches of a muscle's cut). Only structures whose bounding box the plane crosses are cut, so a move costs
a few cuts of a few thousand triangles (``benchmarks/run.py``, the section row).

The caps are drawn without lighting, in the structure's colour, so a section reads like an MRI slice: flat areas of
bone and muscle side by side. The colour is the structure's as drawn where it is cut (tissue, a muscle's tendon in
the tendon colour: :mod:`calfviewer.scene.cap_colour`; selection or, with colour by stretch, its stretch colour),
taken at every cut and again by :meth:`SectionCaps.recolour` when only the colours change. Bones are drawn in front
where a muscle's cap overlaps a bone's (a muscle can touch a bone's surface in some poses).

:class:`LegFrame` places the standard planes (:mod:`calfviewer.viewer.section_plane`) in the tibia's body frame, so a
plane stays at the same place in the leg when the knee bends.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyvista as pv
from vtkmodules.vtkCommonDataModel import vtkPlane

from calfviewer.anatomy.side import Side, side_sign
from calfviewer.musculoskeletal.frames import to_body, to_world, turned, turned_back
from calfviewer.scene.cut_cap import Cap, CutTarget, body_matrix
from calfviewer.viewer.camera import Camera, as_vec3
from calfviewer.viewer.section_plane import Section

if TYPE_CHECKING:
    from calfviewer.geometry.assembly import SceneGeometry
    from calfviewer.musculoskeletal import PoseResult

#: The model body whose frame places the standard planes: the leg is the tibia's.
LEG_BODY = "tibia"
#: Bones that, with every muscle and tendon, span the leg "across" (between the knee and ankle levels).
LEG_BONES = ("tibia", "fibula")
#: Room around the cut when the camera frames it, as a share of its size.
FRAME_PADDING = 1.1
#: The rim's width, in pixels at 100 % (:func:`calfviewer.scene.overlays.device_pixels`).
RIM_WIDTH = 1.5


@dataclass(frozen=True)
class LegFrame:
    """The leg's extent in the tibia's body frame, measured once on the rest geometry.

    Attributes:
        superior, anterior, medial: unit axes of the body frame pointing up, forwards and medially (for this leg).
        knee, ankle: heights along ``superior`` of the top of the tibial plateau and the tip of the medial
            malleolus (the tibia's highest and lowest points).
        anterior_range, medial_range: the leg's extent (bones, muscles, tendons between knee and ankle) along
            ``anterior`` and ``medial``, (low, high).
        left_of_patient: the body-frame direction of the patient's left (a sagittal cut is seen from there).
    """

    superior: np.ndarray
    anterior: np.ndarray
    medial: np.ndarray
    knee: float
    ankle: float
    anterior_range: tuple[float, float]
    medial_range: tuple[float, float]
    left_of_patient: np.ndarray

    @classmethod
    def measure(cls, geometry: SceneGeometry, rest: PoseResult, side: Side) -> LegFrame:
        """From the bones (already in body frames) and the muscles at ``rest`` (world, brought into the frame).

        World axes are MuJoCo's: superior +Z, anterior -Y, the patient's left +X (the right leg's medial side).
        """
        transform = np.asarray(rest.body_transforms[LEG_BODY], dtype=float)
        superior = turned_back(transform, [0.0, 0.0, 1.0])
        anterior = turned_back(transform, [0.0, -1.0, 0.0])
        left = turned_back(transform, [1.0, 0.0, 0.0])
        medial = left * side_sign(side)
        tibia = np.asarray(geometry.bones["tibia"].vertices, dtype=float)
        heights = tibia @ superior
        knee, ankle = float(heights.max()), float(heights.min())
        clouds = [np.asarray(geometry.bones[b].vertices, dtype=float) for b in LEG_BONES if b in geometry.bones]
        soft = geometry.soft_points(rest)
        clouds += [to_body(transform, points) for points in soft.values()]
        cloud = np.concatenate(clouds)
        height = cloud @ superior
        cloud = cloud[(height <= knee) & (height >= ankle)]
        along_a, along_m = cloud @ anterior, cloud @ medial
        return cls(
            superior,
            anterior,
            medial,
            knee,
            ankle,
            (float(along_a.min()), float(along_a.max())),
            (float(along_m.min()), float(along_m.max())),
            left,
        )

    def _local_plane(self, section: Section) -> tuple[np.ndarray, np.ndarray]:
        """Origin and cut-away normal of a standard plane in the body frame."""
        a_mid = sum(self.anterior_range) / 2.0
        m_mid = sum(self.medial_range) / 2.0
        s_mid = (self.knee + self.ankle) / 2.0
        f = section.position
        if section.kind == "axial":
            a, m, s = a_mid, m_mid, self.knee - f * (self.knee - self.ankle)
            normal = -self.superior  # seen from below: the foot side is cut away
        elif section.kind == "sagittal":
            low, high = self.medial_range
            a, m, s = a_mid, high - f * (high - low), s_mid
            normal = self.left_of_patient
        else:  # coronal
            low, high = self.anterior_range
            a, m, s = high - f * (high - low), m_mid, s_mid
            normal = self.anterior
        origin = a * self.anterior + m * self.medial + s * self.superior
        return origin, normal

    def middle(self, leg_transform: np.ndarray) -> np.ndarray:
        """The world point in the middle of the leg, halfway between knee and ankle and across its extent (every
        standard plane at 0.5 passes through it), with the leg placed by ``leg_transform``."""
        a_mid, m_mid = sum(self.anterior_range) / 2.0, sum(self.medial_range) / 2.0
        local = a_mid * self.anterior + m_mid * self.medial + (self.knee + self.ankle) / 2.0 * self.superior
        return to_world(np.asarray(leg_transform, dtype=float), local)

    def plane(self, section: Section, leg_transform: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """World origin and unit normal (pointing to the side cut away) of ``section`` with the leg placed by
        ``leg_transform`` (the tibia body's 4x4 world transform in the pose shown)."""
        if section.kind == "free":
            return np.array(section.origin, dtype=float), np.array(section.normal, dtype=float)
        origin, normal = self._local_plane(section)
        matrix = np.asarray(leg_transform, dtype=float)
        return to_world(matrix, origin), turned(matrix, normal)

    def camera(
        self, section: Section, leg_transform: np.ndarray, aspect: float, view_angle: float = 30.0, share: float = 1.0
    ) -> Camera:
        """A camera looking at the cut face on from the side cut away, framing the leg's section: an axial cut
        with the front of the leg up, the others with the knee up (as slices are read). The leg takes at most
        ``share`` of the picture's width (the rest left for names beside it)."""
        matrix = np.asarray(leg_transform, dtype=float)
        origin, normal = self.plane(section, matrix)
        superior = turned(matrix, self.superior)
        up = turned(matrix, self.anterior) if abs(float(normal @ superior)) > 0.9 else superior
        up = up - (up @ normal) * normal
        up /= max(float(np.linalg.norm(up)), 1e-12)
        right = np.cross(up, normal)
        corners = np.array(
            [
                a * self.anterior + m * self.medial + s * self.superior
                for a in self.anterior_range
                for m in self.medial_range
                for s in (self.knee, self.ankle)
            ]
        )
        corners = to_world(matrix, corners)
        centre = corners.mean(axis=0)
        centre = centre - ((centre - origin) @ normal) * normal  # on the plane
        half_width = float(np.abs((corners - centre) @ right).max())
        half_height = float(np.abs((corners - centre) @ up).max())
        needed = max(half_height, half_width / max(aspect * share, 1e-3)) * FRAME_PADDING
        depth = float(np.abs((corners - centre) @ normal).max())
        # Parallel projection, as a slice is seen: nothing of the leg beyond the cut peeks out around it.
        position = centre + normal * (needed / math.tan(math.radians(view_angle) / 2.0) + depth)
        return Camera(
            view=None,
            position=as_vec3(position),
            focal_point=as_vec3(centre),
            view_up=as_vec3(up),
            view_angle=view_angle,
            parallel_scale=needed,
        )


class SectionCaps:
    """Clips ``targets`` (and any other actor given to :meth:`clip`) by one plane and caps every cut; ``update(None)``
    removes the cut. The caller renders."""

    def __init__(self, plotter: pv.BasePlotter, targets: Iterable[CutTarget]) -> None:
        self.plotter = plotter
        self.clip_plane = vtkPlane()  # world; the mappers keep the side the normal points away from
        self._targets = list(targets)
        self._made: list[Cap] = []  # made by prepare(), while the window is idle, or else at the first cut
        self._prepared = False
        self._caps: list[Cap] = []  # on the renderer from the first cut on: a session that never cuts draws none
        self._rim_width = RIM_WIDTH
        self._clipped: list[pv.Actor] = []
        self._on = False
        self.plane: tuple[np.ndarray, np.ndarray] | None = None
        for target in self._targets:
            self.clip(target.actor)

    def clip(self, actor: pv.Actor) -> None:
        """Clip ``actor`` by the plane too (attachment patches, the selection's outline)."""
        if any(actor is other for other in self._clipped):
            return
        self._clipped.append(actor)
        if self._on:
            actor.mapper.AddClippingPlane(self.clip_plane)

    def update(self, plane: tuple[np.ndarray, np.ndarray] | None) -> None:
        """Cut at ``plane`` (world origin, unit normal towards the side cut away), or remove the cut."""
        if plane is None:
            self.plane = None
            if self._on:
                for actor in self._clipped:
                    actor.mapper.RemoveClippingPlane(self.clip_plane)
                self._on = False
            for cap in self._made:  # on the renderer or not (unseen)
                cap.hide()
            return
        if not self._caps:
            self.prepare()
            for cap in self._made:
                cap.add_to(self.plotter)
            self._caps = self._made
        self._cut(plane)

    def _cut(self, plane: tuple[np.ndarray, np.ndarray]) -> None:
        """Clip every mapper at ``plane`` and cut every cap made (as :meth:`update`, which puts them on first)."""
        self.plane = plane
        origin, normal = (np.asarray(v, dtype=float) for v in plane)
        self.clip_plane.SetOrigin(*origin)
        self.clip_plane.SetNormal(*(-normal))  # VTK keeps what the normal points at
        if not self._on:
            for actor in self._clipped:
                actor.mapper.AddClippingPlane(self.clip_plane)
            self._on = True
        for cap in self._made:
            cap.update(origin, normal)

    @property
    def first_cut_made(self) -> bool:
        """Whether the session has cut (its caps on the renderer from then on): no work for its first cut is left."""
        return bool(self._caps)

    @property
    def cuts(self) -> int:
        """How many cuts VTK has made of the caps (a cut a cap kept and took again is not one), for tests and
        benchmarks."""
        return sum(cap.cuts for cap in self._made)

    def cut_ahead(self, plane: tuple[np.ndarray, np.ndarray]) -> None:
        """Cut every cap at ``plane`` (world origin, unit normal towards the side cut away) before the session's first
        cut, clipping and showing nothing: a cut at that plane through the same meshes finds its caps cut (each cap
        keeps its last few cuts, :class:`~calfviewer.scene.cut_cap.Cap`): the 14 to 22 structures a standard plane's
        first cut crosses, ~6 ms of CPU axial, 11-18 ms sagittal or coronal."""
        if self.first_cut_made:
            raise RuntimeError("the caps are cut ahead only before the session's first cut")
        self.prepare()
        origin, normal = (np.asarray(v, dtype=float) for v in plane)
        for cap in self._made:
            cap.update(origin, normal, keep=True)
            cap.hide()

    @contextlib.contextmanager
    def unseen(self, plane: tuple[np.ndarray, np.ndarray], drawn: bool = False) -> Iterator[None]:
        """Cut at ``plane`` as :meth:`update` does, for work no one sees, then put everything back uncut with the caps
        on no renderer; only before the session's first cut. Picks and labels see the cut meanwhile; with ``drawn``
        the caps are on the renderer too, by VTK's calls (pyvista does not list them: a session that never cuts
        lists no extra actors). Why: the first frame drawn with a cut made the GL's programs for clipped surfaces,
        caps and rims, 10-20 ms of the first cut, and a new plane's names took ~100 picks (docs/performance.md,
        "The first cut rehearsed while idle" and "The first cut of each plane, and the idle work in pieces")."""
        if self.first_cut_made:
            raise RuntimeError("a cut no one sees is made only before the session's first cut")
        self.prepare()
        actors = [actor for cap in self._made for actor in (cap.actor, cap.rim)] if drawn else []
        for actor in actors:
            self.plotter.renderer.AddActor(actor)
        self._caps = self._made  # what picks and labels ask of the caps shown
        try:
            self._cut(plane)
            yield
        finally:
            self.update(None)
            self._caps = []
            for actor in actors:
                self.plotter.renderer.RemoveActor(actor)

    def prepare(self) -> bool:
        """Make every structure's cutter, fill, cap and rim now (the window calls this when idle), so the session's
        first cut does not: made then, they were most of its time (44 structures, two pyvista mappers and actors
        each: ~30 ms; docs/performance.md, "The first section, and the Section toolbar"). True when this call made
        them. They go on the renderer at the first cut: a session that never cuts draws and lists no extra actors."""
        if self._prepared:
            return False
        self._made = [Cap(target, vtkPlane(), self._rim_width) for target in self._targets]
        self._prepared = True
        return True

    def set_rim_width(self, pixels: float) -> None:
        """Draw every rim ``pixels`` wide (the window's pixels: :data:`RIM_WIDTH` at its DPI), now and when cut."""
        self._rim_width = pixels
        for cap in self._made:
            cap.rim.prop.line_width = pixels

    def recolour(self) -> None:
        """Give every cap its structure's colour as drawn now, without cutting again: a change of colour alone
        (colour by stretch on or off) leaves the cut, and a slice showed tissue red under muscles in stretch colours."""
        for cap in self._caps:
            cap.recolour()

    def cap_actor(self, structure_id: str) -> pv.Actor | None:
        """The actor of ``structure_id``'s cap (on the renderer from the first cut on), or None before the caps are
        made (:meth:`prepare`) or if no cap is made for it."""
        return next((cap.actor for cap in self._made if cap.target.structure_id == structure_id), None)

    def caps_at(self, point: np.ndarray) -> tuple[str, ...]:
        """The structures whose shown cap covers world ``point`` (on the plane), bones first (their caps are drawn in
        front where caps overlap), then the smaller caps first (a tendon tail cut where it runs inside another
        muscle: a click there means the small one). Why picking needs it: a ray through a cap runs inside the cut
        structure from the plane on, and the first surface it meets beyond may be a neighbour's (two muscles
        touching at the cut), so only the caps themselves say what is drawn at the pixel."""
        if self.plane is None:
            return ()
        found: list[tuple[bool, float, str]] = []
        for cap in self._caps:
            if not cap.actor.GetVisibility() or cap.poly.GetNumberOfCells() == 0:
                continue
            local = np.asarray(point, dtype=float)
            m = body_matrix(cap.target.actor)
            if m is not None:
                local = to_body(m, local)
            cover = cap.covering()
            if cover.covers(local):
                found.append((not cap.target.bone, cover.area, cap.target.structure_id))
        return tuple(structure_id for *_, structure_id in sorted(found))

    def inner_point(self, structure_id: str) -> np.ndarray | None:
        """A world point well inside ``structure_id``'s shown cap (the centre of the cap's triangle farthest from its
        rim), or None when it has no cap: where a label's leader ends on a cut structure, whose cut face is what
        the section shows of it."""
        for cap in self._caps:
            if cap.target.structure_id != structure_id:
                continue
            if not cap.actor.GetVisibility() or cap.poly.GetNumberOfCells() == 0:
                return None
            best = cap.inner_point().copy()
            m = body_matrix(cap.target.actor)
            if m is not None:
                best = to_world(m, best)
            return best
        return None

    def capped(self) -> tuple[str, ...]:
        """The structures whose caps are shown now."""
        return tuple(cap.target.structure_id for cap in self._caps if cap.actor.visibility)

    def removed(self, points: np.ndarray) -> np.ndarray:
        """For world ``points`` (N, 3), whether each lies on the side cut away (False everywhere without a cut)."""
        points = np.asarray(points, dtype=float).reshape(-1, 3)
        if self.plane is None:
            return np.zeros(len(points), dtype=bool)
        origin, normal = self.plane
        return (points - origin) @ normal > 0.0
