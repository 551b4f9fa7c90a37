"""One structure's cap on a section (:class:`Cap`): where the plane meets its closed mesh, filled, and drawn flat in
its colour with a darker rim; split from ``section_caps.py``, which cuts every structure's cap at one plane.

A cap is cut in the mesh's own frame (a bone's body frame, a muscle's world) by VTK's plane cutter and filled by
VTK's contour triangulator, which fills concave outlines and outlines with holes correctly.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import pyvista as pv
from vtkmodules.vtkCommonDataModel import vtkPlane, vtkPolyData
from vtkmodules.vtkFiltersCore import vtkPolyDataPlaneCutter
from vtkmodules.vtkFiltersGeneral import vtkContourTriangulator

from calfviewer.musculoskeletal.frames import to_body, turned_back
from calfviewer.scene.cap_colour import colour_by_tissue, paint
from calfviewer.scene.cap_cover import CapCover

#: Cap polygon offsets: bones drawn in front of muscles where caps overlap (VTK's coincident-topology units).
BONE_CAP_OFFSET = -4.0
SOFT_CAP_OFFSET = -2.0
#: Each cap's rim is drawn in its colour times this, so neighbouring structures of one colour stay apart (the
#: fascia between muscles on a slice).
RIM_SHADE = 0.45
#: A cut smaller than this across (m) is no cap: the gastrocnemius heads' tendon tails, threads 0.05 mm thick inside
#: the soleus and the calcaneal tendon, were "cut" and named there, their leaders ending on the others' caps.
SPECK = 5e-4
#: How many cuts made ahead a cap keeps (:class:`Cap`): the first cuts of the three standard planes. A cap of a few
#: thousand triangles: a few hundred kB at most.
KEPT_CUTS = 3


@dataclass
class CutTarget:
    """One structure the plane cuts: its drawn actor and its mesh (in the actor's own frame)."""

    structure_id: str
    actor: pv.Actor
    poly: pv.PolyData
    bone: bool


class Cap:
    """The cutter and triangulator for one structure, the actor that shows its cap, and the cuts made ahead.

    Why it keeps cuts made ahead: the idle work cuts the caps at each standard plane's first cut
    (``SectionCaps.cut_ahead``), and a cut at a plane is the same cut later while the mesh has not moved, so the
    session's first sagittal or coronal cut, and going back to a standard plane in the same pose, takes them instead
    of cutting 16 to 22 structures (11-18 ms of CPU at a sagittal or coronal plane; docs/performance.md, "Cuts
    kept"). Other cuts (a plane dragged, playback) are not kept: copying each cut to keep it made a drag's cuts 1.5-2
    times slower."""

    def __init__(self, target: CutTarget, plane: vtkPlane, rim_width: float) -> None:
        self.target = target
        self.plane = plane
        # VTK's plane cutter for polygonal data: what vtkCutter hands a plane and a vtkPolyData to, made afresh at
        # every cut there (~0.07 ms of each ~0.33 ms cut, a dozen cuts a playback frame with an axial section).
        self.cutter = vtkPolyDataPlaneCutter()
        self.cutter.SetPlane(plane)
        self.cutter.SetInputData(target.poly)
        self.fill = vtkContourTriangulator()
        self.fill.SetInputConnection(self.cutter.GetOutputPort())
        self.poly = pv.PolyData()
        mapper = pv.DataSetMapper(self.poly)
        colour_by_tissue(mapper)
        offset = BONE_CAP_OFFSET if target.bone else SOFT_CAP_OFFSET
        mapper.SetRelativeCoincidentTopologyPolygonOffsetParameters(offset, offset)
        self.actor = pv.Actor(mapper=mapper)
        self.actor.prop.lighting = False
        self.actor.prop.culling = "none"
        self.rim_poly = pv.PolyData()
        rim_mapper = pv.DataSetMapper(self.rim_poly)
        colour_by_tissue(rim_mapper, RIM_SHADE)
        rim_mapper.SetRelativeCoincidentTopologyLineOffsetParameters(0.0, offset - 4.0)
        self.rim = pv.Actor(mapper=rim_mapper)
        self.rim.prop.lighting = False
        self.rim.prop.line_width = rim_width
        #: The cap's triangles, ready for :meth:`SectionCaps.caps_at`: gathered at the first pick after a cut, kept
        #: until the next (the labels pick several times per structure at every layout).
        self.cover: CapCover | None = None
        self.inner: np.ndarray | None = None  # the point a label's leader ends on, likewise
        self._cut_for: tuple[float | int, ...] | None = None  # the plane (own frame) and mesh time of the last cut
        #: Cuts made ahead, the latest last (KEPT_CUTS at most): the fill and the rim of each, by plane and mesh time.
        self._kept: OrderedDict[tuple[float | int, ...], tuple[vtkPolyData, vtkPolyData]] = OrderedDict()
        self.cuts = 0  # cuts VTK made (not taken from those kept), for tests and benchmarks
        matrix = target.actor.GetUserMatrix()
        for actor in (self.actor, self.rim):
            actor.visibility = False
            actor.pickable = False
            if matrix is not None:
                actor.SetUserMatrix(matrix)  # the body's shared matrix: the cap moves with the bone

    def add_to(self, plotter: pv.BasePlotter) -> None:
        """Put the cap and its rim on ``plotter``'s renderer (hidden until a cut shows them)."""
        for actor, kind in ((self.actor, "cap"), (self.rim, "rim")):
            # A name no actor has yet (one cap per structure, added once), so pyvista need not look for one to
            # replace: that look-up lists every actor of the renderer, ~0.7 ms a cap, 88 times at the first cut.
            name = f"{kind}:{self.target.structure_id}"
            plotter.add_actor(
                actor, reset_camera=False, name=name, pickable=False, render=False, remove_existing_actor=False
            )

    def update(self, origin: np.ndarray, normal: np.ndarray, keep: bool = False) -> bool:
        """Cut and fill for the plane ``origin``/``normal`` (world), a cut kept from before if there is one; with
        ``keep``, keep this one (a cut made ahead). True when there is a cap to show."""
        source = self.target.actor
        if not source.GetVisibility():
            self.hide()
            return False
        m = body_matrix(source)
        if m is not None:  # into the body frame the mesh is stored in
            origin, normal = to_body(m, origin), turned_back(m, normal)
        low, high = np.array(self.target.poly.GetBounds()).reshape(3, 2).T
        corners = np.array([[x, y, z] for x in (low[0], high[0]) for y in (low[1], high[1]) for z in (low[2], high[2])])
        distances = (corners - origin) @ normal
        if distances.min() > 0.0 or distances.max() < 0.0:
            self.hide()
            return False
        # The same plane (in the mesh's frame) through the same mesh is the same cut: a change of selection, colour or
        # visibility elsewhere re-runs this for every cap, and cutting again would also throw away what picks and
        # labels gathered of the cut. A moved plane, a bone's new pose or a muscle's moved points cut afresh.
        key = (*map(float, origin), *map(float, normal), self.target.poly.GetMTime())
        if key != self._cut_for:
            kept = self._kept.get(key)
            # Plain VTK calls below, not pyvista's properties: this runs for every structure on every move.
            if kept is not None:
                self.poly.ShallowCopy(kept[0])
                self.rim_poly.ShallowCopy(kept[1])
            else:
                self.plane.SetOrigin(*origin)
                self.plane.SetNormal(*normal)
                self.fill.Update()
                self.cuts += 1
                self.poly.ShallowCopy(self.fill.GetOutput())
                self.rim_poly.ShallowCopy(self.cutter.GetOutput())
            if keep and kept is None:
                self._keep(key)
            self._cut_for = key
            self.cover = self.inner = None  # gathered again when a pick or a label asks
        low, high = np.array(self.poly.GetBounds()).reshape(3, 2).T
        shown = self.poly.GetNumberOfCells() > 0 and float((high - low).max()) >= SPECK
        self.actor.SetVisibility(shown)
        self.rim.SetVisibility(shown)
        if shown:
            self.recolour()
        return shown

    def _keep(self, key: tuple[float | int, ...]) -> None:
        """Keep the cut shown as the one at ``key``: copies, as VTK's filters may write their next cut into the
        arrays the cap shares with them."""
        fill, rim = vtkPolyData(), vtkPolyData()
        fill.DeepCopy(self.poly)
        rim.DeepCopy(self.rim_poly)
        self._kept[key] = fill, rim
        if len(self._kept) > KEPT_CUTS:
            self._kept.popitem(last=False)

    def recolour(self) -> None:
        """Take the structure's colour and opacity as drawn now (its tissue, stretch or selection colour) where cut."""
        paint(self.actor, self.rim, self.target.actor, RIM_SHADE)

    def hide(self) -> None:
        self.actor.SetVisibility(False)
        self.rim.SetVisibility(False)

    def inner_point(self) -> np.ndarray:
        """The centre of the shown cap's triangle farthest from its rim, in the cap's own frame (found once per cut:
        the labels ask at every layout)."""
        if self.inner is None:
            points = np.asarray(self.poly.points)
            centres = points[self.poly.faces.reshape(-1, 4)[:, 1:]].mean(axis=1)
            rim = np.asarray(self.rim_poly.points)
            if len(rim):
                depth = np.min(np.linalg.norm(centres[:, None, :] - rim[None, ::4, :], axis=2), axis=1)
                self.inner = centres[int(np.argmax(depth))]
            else:
                self.inner = centres.mean(axis=0)
        return self.inner

    def covering(self) -> CapCover:
        """The cap's triangles as :class:`CapCover` (gathered once per cut)."""
        if self.cover is None:
            self.cover = CapCover.of(np.asarray(self.poly.points), self.poly.faces.reshape(-1, 4)[:, 1:])
        return self.cover


def body_matrix(actor: pv.Actor) -> np.ndarray | None:
    """The 4 x 4 body matrix an actor shares with its bone (None for soft tissue, drawn in world coordinates)."""
    matrix = actor.GetUserMatrix()
    return None if matrix is None else np.array(matrix.GetData()).reshape(4, 4)
