"""What the scene draws with: one structure's actor and data (:class:`Item`), float32 meshes with their normals,
the coarse copies of large bones, attachment patches and the selection's outline.

Split from ``anatomy_scene.py`` by job (drawing pieces here, picking in ``picking.py``, the camera in
``framing.py``); the scene puts these together and follows the viewer's result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyvista as pv
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkCommonDataModel import vtkPolyData, vtkStaticCellLocator
from vtkmodules.vtkFiltersCore import vtkQuadricDecimation, vtkTriangleMeshPointNormals
from vtkmodules.vtkFiltersHybrid import vtkPolyDataSilhouette
from vtkmodules.vtkRenderingCore import vtkRenderer

from calfviewer.scene.footprint_outline import smooth_patch
from calfviewer.scene.materials import Material

if TYPE_CHECKING:
    from calfviewer.anatomy import Structure
    from calfviewer.geometry.surface import Surface

#: Footprints are lifted off the bone by this much along the normals so they never z-fight it (metres).
FOOTPRINT_LIFT = 0.0004
#: Bones with more triangles than this are drawn from a coarse copy while the camera or the leg moves: the bones
#: are 195,000 of the scene's 248,000 triangles (the femur alone 58,000), more than a moving picture needs.
COARSE_MIN_TRIANGLES = 2000
#: The share of a bone's triangles its coarse copy keeps (quadric decimation, volume kept).
COARSE_KEEP = 0.2
#: Label every muscle and tendon, and these bone groups (the foot's 26 bones would bury the picture).
LABELLED_BONE_GROUPS = ("leg",)


class VertexNormals:
    """Area-weighted unit vertex normals of one triangle mesh, recomputed as its vertices move.

    The muscles deform every frame, so their normals are recomputed every frame. VTK's
    ``vtkTriangleMeshPointNormals`` sums the unnormalised face normals (area-weighted) at each vertex in C++, reading
    the mesh's own points in place: 1.0 ms per pose for all nine soft-tissue meshes on a two-core machine, against
    8.1 ms for the numpy ``bincount`` sums it replaced, and within 0.02 degrees of them (float32 against float64
    sums; benchmarks/run.py "muscle normals" row, tests/scene/test_scene.py).
    """

    def __init__(self, poly: pv.PolyData) -> None:
        # A bare copy of the mesh sharing its points and triangles (not its colours), so each update only reads
        # the points the pose wrote and no point data is passed through.
        source = vtkPolyData()
        source.SetPoints(poly.GetPoints())
        source.SetPolys(poly.GetPolys())
        self._points = poly.GetPoints()
        self._filter = vtkTriangleMeshPointNormals()
        self._filter.SetInputData(source)

    def __call__(self) -> np.ndarray:
        """The unit normals (float32, one row per vertex) of the mesh's points as they are now."""
        self._points.Modified()  # the points were written in place: tell the pipeline they changed
        self._filter.Update()
        return vtk_to_numpy(self._filter.GetOutput().GetPointData().GetNormals())


def move_soft(item: Item, points: np.ndarray, shade: bool) -> None:
    """Write a soft structure's posed vertices into its mesh in place; its normals too when ``shade``.

    Why not always the normals: a hidden structure's shading is never seen, and recomputing it was most of the
    per-structure work of a playback frame (docs/performance.md, issue 23). Its points are still written, so its
    bounds (the standard views frame hidden structures too) and picks stay exact; :func:`shade_soft` brings its
    normals up to date when it is shown.
    """
    vtk_points = item.poly.GetPoints()
    vtk_to_numpy(vtk_points.GetData())[:] = points
    vtk_points.Modified()
    if shade:
        shade_soft(item)
    else:
        item.normals_stale = True


def shade_soft(item: Item) -> None:
    """Recompute a soft structure's normals from its points as they are now."""
    if item.normals is None:
        return
    normals = item.poly.GetPointData().GetNormals()
    vtk_to_numpy(normals)[:] = item.normals()
    normals.Modified()
    item.normals_stale = False


def vertex_normals(poly: pv.PolyData) -> np.ndarray:
    """Area-weighted unit vertex normals of ``poly`` (one-off; see :class:`VertexNormals` for the per-frame path)."""
    return VertexNormals(poly)()


def vertex_areas(points: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """A third of the area of every triangle around each vertex: how much surface a vertex stands for."""
    v0, v1, v2 = (points[faces[:, k]] for k in range(3))
    areas = 0.5 * np.linalg.norm(np.cross(v1 - v0, v2 - v0), axis=1)
    return np.bincount(faces.ravel(), np.repeat(areas / 3.0, 3), minlength=len(points))


def polydata(vertices: np.ndarray, faces: np.ndarray) -> pv.PolyData:
    """Float32 points and normals: what the GPU takes anyway, so nothing is converted on every upload."""
    points = np.asarray(vertices, dtype=np.float32)
    # pyvista annotates the arrays as float64 and Python int; float32 points and int64 faces are what it takes too.
    poly = pv.PolyData.from_regular_faces(points, np.asarray(faces, dtype=np.int64))  # type: ignore[arg-type]
    poly.point_data["Normals"] = np.array(vertex_normals(poly), dtype=np.float32)
    poly.point_data.active_normals_name = "Normals"
    return poly


@dataclass
class Item:
    """One drawn structure: its actor, its data and how it looks when not selected."""

    structure: Structure
    actor: pv.Actor
    poly: pv.PolyData
    faces: np.ndarray
    material: Material
    locator: vtkStaticCellLocator | None  # bones only: soft tissue moves every pose and is ray-cast directly
    body: str | None = None  # bones: the model body that carries it
    fibres: bool = False  # per-vertex fibre colours present
    locator_stale: bool = False
    normals: VertexNormals | None = None  # soft tissue: recomputes normals as the vertices move
    coarse: pv.PolyData | None = None  # large bones: drawn instead of ``poly`` while the picture moves
    normals_stale: bool = False  # soft tissue moved while hidden: its normals wait until it is shown


@dataclass
class Outline:
    """The selection's silhouette: one actor, fed by a silhouette filter made for whatever is selected."""

    filter: vtkPolyDataSilhouette
    actor: pv.Actor
    renderer: vtkRenderer

    def point_at(self, poly: pv.PolyData, prop: pv.Actor) -> None:
        """Outline ``poly`` from now on, through a new filter.

        The filter caches the edges of its input and rebuilds them only when the input is newer than that cache,
        so re-pointing one filter at a structure whose mesh last changed before the cache was built (soleus after
        another muscle's action played) drew the old structure's edges through the new one's points: a stray line.
        A new filter has no cache; making one costs microseconds, once per selection.
        """
        self.filter = silhouette(self.renderer.GetActiveCamera())
        self.filter.SetInputData(poly)
        self.filter.SetProp3D(prop)
        self.actor.mapper.SetInputConnection(self.filter.GetOutputPort())


def silhouette(camera: Any) -> vtkPolyDataSilhouette:
    """The outline filter: every silhouette edge seen from ``camera``, and the open borders of a mesh."""
    silhouette = vtkPolyDataSilhouette()
    silhouette.SetCamera(camera)
    silhouette.SetEnableFeatureAngle(False)
    silhouette.SetBorderEdges(True)
    return silhouette


def coarse_copy(points: np.ndarray, faces: np.ndarray) -> pv.PolyData:
    """A copy of a closed bone surface (``points``, triangles ``faces``) with COARSE_KEEP of its triangles, volume
    kept, with its own normals. Plain arrays in, a new mesh out: it runs on a worker thread (coarse_copies.py)."""
    surface = pv.PolyData.from_regular_faces(points, faces)
    decimate = vtkQuadricDecimation()
    decimate.SetInputData(surface)
    decimate.SetTargetReduction(1.0 - COARSE_KEEP)
    decimate.VolumePreservationOn()
    decimate.Update()
    coarse = pv.wrap(decimate.GetOutput())
    return polydata(np.asarray(coarse.points), coarse.regular_faces)


def footprint_patch(bone: Surface, face_indices: np.ndarray, normals: np.ndarray) -> pv.PolyData:
    """The bone's surface under an attachment, its outline smoothed (:mod:`calfviewer.scene.footprint_outline`),
    lifted a fraction of a millimetre along the bone's vertex normals."""
    vertices, faces = smooth_patch(
        np.asarray(bone.vertices), np.asarray(bone.faces), face_indices, FOOTPRINT_LIFT * normals
    )
    return polydata(vertices, faces)
