"""The calf drawn on a pyvista Plotter: one actor per structure, built once, then only updated.

``AnatomyScene`` follows a :class:`~calfviewer.viewer.view_state.ViewState`: every field change arrives through the
state's psygnal signal at a handler named ``_on_<field>_changed``, which edits the existing actors in place
(visibility, opacity, colour, points, transforms). Nothing is rebuilt per frame, so animation costs a points copy
and a render. The scene never renders by itself unless ``auto_render=True``; wrap several changes in
:meth:`AnatomyScene.batch` to get exactly one render for all of them.

The plotter can be anything pyvista draws on: an off-screen ``pv.Plotter`` for ``calfviewer render`` and the tests,
or pyvistaqt's ``QtInteractor`` in the window. No Qt is imported here.

Frames: bones are stored in their MyoLeg body frame and placed with ``actor.user_matrix``: one VTK matrix per
model body, shared by every bone and attachment footprint on that body, so posing rewrites six matrices in place.
Muscles and tendons are world-space meshes whose points are rewritten per pose. The world is MuJoCo's: anterior
-Y, superior +Z, and the right leg's lateral side is -X (so its medial side faces +X).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pyvista as pv
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkCommonDataModel import vtkPolyData, vtkStaticCellLocator
from vtkmodules.vtkCommonMath import vtkMatrix4x4
from vtkmodules.vtkFiltersCore import vtkQuadricDecimation, vtkTriangleMeshPointNormals
from vtkmodules.vtkFiltersHybrid import vtkPolyDataSilhouette
from vtkmodules.vtkRenderingCore import vtkCellPicker, vtkPolyDataMapper, vtkRenderer

from calfviewer.anatomy.names import DEFAULT_NAMES, check_names, display_name
from calfviewer.geometry.ray_cast import ray_crossings
from calfviewer.musculoskeletal import Pose, PoseResult
from calfviewer.scene import materials
from calfviewer.scene.materials import Material
from calfviewer.scene.overlays import LeaderLabels, Legend, project_to_display
from calfviewer.scene.section_caps import LEG_BODY, CutTarget, LegFrame, SectionCaps
from calfviewer.scene.stretch import StretchColours
from calfviewer.viewer.view_state import PICK_OPACITY, VIEWS, Camera, ViewState

if TYPE_CHECKING:
    from calfviewer.anatomy import Catalogue, Structure
    from calfviewer.geometry.assembly import SceneGeometry
    from calfviewer.geometry.footprint import Footprint
    from calfviewer.geometry.surface import Surface
    from calfviewer.musculoskeletal import MusculoskeletalModel

#: Direction from the calf to the camera for each standard view, right leg (x is mirrored for the left).
VIEW_DIRECTIONS: dict[str, tuple[float, float, float]] = {
    "posterior": (0.0, 1.0, 0.0),
    "anterior": (0.0, -1.0, 0.0),
    "medial": (1.0, 0.0, 0.0),
    "lateral": (-1.0, 0.0, 0.0),
}
#: Bodies whose bones frame a standard view: knee to toes. The femur reaches the hip, so only its distal end
#: (KNEE_MARGIN above the tibial plateau) is framed.
FRAME_BODIES = ("patella", "tibia", "talus", "calcn", "toes")
KNEE_MARGIN = 0.07
FRAME_PADDING = 1.06
#: Footprints are lifted off the bone by this much along the normals so they never z-fight it (metres).
FOOTPRINT_LIFT = 0.0004
#: Bones with more triangles than this are drawn from a coarse copy while the camera or the leg moves: the bones
#: are 195,000 of the scene's 248,000 triangles (the femur alone 58,000), more than a moving picture needs.
COARSE_MIN_TRIANGLES = 2000
#: The share of a bone's triangles its coarse copy keeps (quadric decimation, volume kept).
COARSE_KEEP = 0.2
#: Label every muscle and tendon, and these bone groups (the foot's 26 bones would bury the picture).
LABELLED_BONE_GROUPS = ("leg",)


def display_y_from_top(y_from_top: float, window_height: int, pixel_ratio: float = 1.0) -> float:
    """Convert a Qt-style y (origin at the top, logical pixels) into VTK's display y (origin at the bottom).

    ``pixel_ratio`` is Qt's ``devicePixelRatio``: VTK's window is in device pixels.
    """
    return window_height - 1 - y_from_top * pixel_ratio


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


def vertex_normals(poly: pv.PolyData) -> np.ndarray:
    """Area-weighted unit vertex normals of ``poly`` (one-off; see :class:`VertexNormals` for the per-frame path)."""
    return VertexNormals(poly)()


def vertex_areas(points: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """A third of the area of every triangle around each vertex: how much surface a vertex stands for."""
    v0, v1, v2 = (points[faces[:, k]] for k in range(3))
    areas = 0.5 * np.linalg.norm(np.cross(v1 - v0, v2 - v0), axis=1)
    return np.bincount(faces.ravel(), np.repeat(areas / 3.0, 3), minlength=len(points))


def _polydata(vertices: np.ndarray, faces: np.ndarray) -> pv.PolyData:
    """Float32 points and normals: what the GPU takes anyway, so nothing is converted on every upload."""
    points = np.asarray(vertices, dtype=np.float32)
    poly = pv.PolyData.from_regular_faces(points, np.asarray(faces, dtype=np.int64))
    poly.point_data["Normals"] = np.array(vertex_normals(poly), dtype=np.float32)
    poly.point_data.active_normals_name = "Normals"
    return poly


@dataclass
class _Item:
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
    vertex_areas: np.ndarray = field(default_factory=lambda: np.zeros(0))  # area around each vertex, on first use
    normals: VertexNormals | None = None  # soft tissue: recomputes normals as the vertices move
    coarse: pv.PolyData | None = None  # large bones: drawn instead of ``poly`` while the picture moves


@dataclass
class _SoftTriangles:
    """Every soft-tissue triangle in one array, so a pick tests them all in one vectorised pass.

    Why not cell locators: these meshes deform with every pose, and rebuilding their locators after a pose change
    cost more than the whole pick budget (see :mod:`calfviewer.geometry.ray_cast`).
    """

    items: list[_Item]
    faces: np.ndarray  # (F, 3) into the items' points, concatenated in order
    owner: np.ndarray  # (F,) index into items
    points: np.ndarray | None = None  # the items' points, concatenated: kept until they move

    @classmethod
    def of(cls, items: list[_Item]) -> _SoftTriangles:
        offsets = np.cumsum([0] + [item.poly.n_points for item in items])
        faces = [item.faces + offset for item, offset in zip(items, offsets[:-1], strict=True)]
        owner = [np.full(len(item.faces), n) for n, item in enumerate(items)]
        return cls(
            items,
            np.asfortranarray(np.concatenate(faces)) if faces else np.zeros((0, 3), dtype=int),
            np.concatenate(owner) if owner else np.zeros(0, dtype=int),
        )

    def crossings(self, near: np.ndarray, far: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(owners, fractions)``: which item each triangle the segment crosses belongs to, and where."""
        if not self.items:
            return np.zeros(0, dtype=int), np.zeros(0)
        if self.points is None:
            self.points = np.concatenate([np.asarray(item.poly.points) for item in self.items])
        faces, fractions = ray_crossings(self.points, self.faces, near, far)
        return self.owner[faces], fractions


@dataclass(frozen=True)
class _PickGroup:
    """Structures a pick tests together: indices into the scene's bones and into its soft triangles' items."""

    bones: np.ndarray
    soft: np.ndarray


@dataclass
class _Outline:
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
        self.filter = _silhouette(self.renderer.GetActiveCamera())
        self.filter.SetInputData(poly)
        self.filter.SetProp3D(prop)
        self.actor.mapper.SetInputConnection(self.filter.GetOutputPort())


def _silhouette(camera: Any) -> vtkPolyDataSilhouette:
    """The outline filter: every silhouette edge seen from ``camera``, and the open borders of a mesh."""
    silhouette = vtkPolyDataSilhouette()
    silhouette.SetCamera(camera)
    silhouette.SetEnableFeatureAngle(False)
    silhouette.SetBorderEdges(True)
    return silhouette


class AnatomyScene:
    """Draws the calf on ``plotter`` and keeps it in step with ``state``.

    Args:
        plotter: any pyvista Plotter (off-screen, or a pyvistaqt QtInteractor).
        geometry: the meshes (:class:`~calfviewer.geometry.assembly.SceneGeometry`).
        model: the posed musculoskeletal model (bone transforms and muscle paths per pose).
        catalogue: the anatomy catalogue (kinds, layers, names).
        state: the view state to follow.
        auto_render: render after every change outside :meth:`batch` (handy in a REPL; the app batches).
        legend: draw the colour legend.
        names: ``english`` or ``latin``: the names the labels show (:meth:`set_names` changes them).
    """

    def __init__(
        self,
        plotter: pv.Plotter,
        geometry: SceneGeometry,
        model: MusculoskeletalModel,
        catalogue: Catalogue,
        state: ViewState,
        *,
        auto_render: bool = False,
        legend: bool = True,
        names: str = DEFAULT_NAMES,
    ) -> None:
        self.plotter = plotter
        self.names = check_names(names)
        self.attachment_highlight: tuple[str, str, int] | None = None  # a patch shown without a selection (quiz)
        self.geometry = geometry
        self.model = model
        self.catalogue = catalogue
        self.state = state
        self.auto_render = auto_render
        self.last_pick_ms = 0.0  # duration of the last pick, for the status bar and benchmarks
        self._batch_depth = 0
        self._interactive: bool | None = None  # while drawing for motion: whether FXAA was on before
        self._dirty = False
        self._items: dict[str, _Item] = {}
        self._id_of_actor: dict[Any, str] = {}  # vtkActor (by identity) -> structure id
        self._footprints: list[tuple[Footprint, pv.Actor]] = []
        self._highlighted: str | None = None
        self._pick_groups: tuple[_PickGroup, _PickGroup] | None = None  # (solid, faded) visible structures
        self._overlay_key: tuple[int, ...] | None = None
        self._anchor_vertex: dict[str, int] = {}  # label anchors, as vertex indices, reused while they work
        self._framed: tuple[tuple[int, ...], tuple[float, ...]] | None = None  # (window, camera) of a named view

        state.set_pose_check(model.check_pose)
        self._result: PoseResult = model.pose(state.pose)
        self._identity = vtkMatrix4x4()
        self._body_matrices = {stem: vtkMatrix4x4() for stem in self._result.body_transforms}
        self._set_body_matrices(self._result)
        materials.setup_background(plotter)
        materials.setup_lights(plotter)
        self._build_bones()
        self._build_soft_tissue()
        self._soft = _SoftTriangles.of([item for item in self._items.values() if item.locator is None])
        self._bones = [item for item in self._items.values() if item.locator is not None]
        self._bone_bounds: np.ndarray | None = None  # (bones, 6) world boxes in the pose shown, on first pick
        self._footprints_built = False  # the patches show only with a selection: built then, or when idle
        self._overlay = self._build_overlay_renderer()
        self._line = self._build_line_of_action()
        self._outline = self._build_outline()
        self._labels = self._build_labels()
        self._picker = self._build_picker()
        self._leg_frame = LegFrame.measure(geometry, model.pose(Pose()), model.side)
        self._section = SectionCaps(
            plotter, [CutTarget(sid, item.actor, item.poly, item.body is not None) for sid, item in self._items.items()]
        )
        self._section.clip(self._outline.actor)
        self._legend = Legend(plotter.renderer, materials.LEGEND, materials.LABEL_TEXT)
        self._legend.enabled = legend
        self._stretch = StretchColours(plotter.renderer, materials.LABEL_TEXT)

        self._apply_appearance()
        self._apply_selection()
        self._apply_camera(state.camera)
        self._render_observer = plotter.renderer.AddObserver("StartEvent", self._before_render)
        self._connect()

    # --- construction -------------------------------------------------------------------------------------
    def _add(self, structure_id: str, poly: pv.PolyData, material: Material) -> pv.Actor:
        mapper = pv.DataSetMapper(poly)
        mapper.scalar_visibility = False
        mapper.interpolate_before_map = True
        actor = pv.Actor(mapper=mapper)
        material.apply(actor.prop)
        self.plotter.add_actor(actor, reset_camera=False, name=f"structure:{structure_id}", render=False)
        return actor

    def _register(self, item: _Item) -> None:
        if item.locator is not None:
            item.locator.SetDataSet(item.poly)
            item.locator_stale = True  # built when a pick needs it or the app is idle, not before the first frame
        self._items[item.structure.id] = item
        self._id_of_actor[item.actor] = item.structure.id

    def _build_bones(self) -> None:
        for bone_id, mesh in self.geometry.bones.items():
            structure = self.catalogue.get(bone_id)
            faces = np.asarray(mesh.faces)
            poly = _polydata(mesh.vertices, faces)
            actor = self._add(bone_id, poly, materials.BONE)
            body = self.geometry.bodies[bone_id]
            actor.SetUserMatrix(self._body_matrices[body])
            self._register(_Item(structure, actor, poly, faces, materials.BONE, vtkStaticCellLocator(), body))

    def _build_soft_tissue(self) -> None:
        points = self.geometry.soft_points(self._result)
        # Stripes, and the muscles' own tendons in the tendon colour, are computed on the rest meshes and travel
        # with the vertices when the muscles deform.
        colors = materials.soft_tissue_colors(self.geometry, self.catalogue)
        for structure_id, mesh in self.geometry.soft.items():
            structure = self.catalogue.get(structure_id)
            material = materials.MATERIALS[structure.kind]
            faces = np.asarray(mesh.faces)
            poly = _polydata(points.get(structure_id, mesh.vertices), faces)
            fibres = structure_id in colors
            if fibres:
                poly.point_data["fibres"] = colors[structure_id]
                poly.point_data.active_scalars_name = "fibres"
            actor = self._add(structure_id, poly, material)
            if fibres:
                actor.mapper.SetColorModeToDirectScalars()
                actor.mapper.scalar_visibility = True
            item = _Item(structure, actor, poly, faces, material, None, fibres=fibres)
            item.normals = VertexNormals(poly)
            self._register(item)

    def _build_footprints(self) -> None:
        if self._footprints_built:
            return
        self._footprints_built = True
        for footprint in self.geometry.footprints:
            bone = self.geometry.bones[footprint.bone_id]
            normals = np.asarray(self._items[footprint.bone_id].poly.point_data["Normals"])  # the bone's own
            poly = _footprint_patch(bone, footprint.faces, normals)
            material = materials.FOOTPRINTS[footprint.role]
            mapper = pv.DataSetMapper(poly)
            mapper.scalar_visibility = False
            # Drawn over the bone even where the lift is below depth resolution at a distance.
            mapper.SetRelativeCoincidentTopologyPolygonOffsetParameters(-2.0, -4.0)
            actor = pv.Actor(mapper=mapper)
            material.apply(actor.prop)
            actor.SetUserMatrix(self._body_matrices[self.geometry.bodies[footprint.bone_id]])
            actor.visibility = False
            actor.pickable = False
            name = f"footprint:{footprint.structure_id}:{footprint.role}:{footprint.index}"
            self.plotter.add_actor(actor, reset_camera=False, name=name, pickable=False, render=False)
            self._section.clip(actor)
            self._footprints.append((footprint, actor))

    def _build_overlay_renderer(self) -> vtkRenderer:
        """A renderer layered over the main one, sharing its camera, for diagrams drawn over tissue.

        The line of action runs inside its muscle; drawn in the main renderer it would be hidden by the very muscle
        it explains. The overlay clears depth, so what it holds is always in front, and it is not interactive, so
        picks and camera moves go to the main renderer.
        """
        main = self.plotter.renderer
        overlay = vtkRenderer()
        overlay.SetLayer(1)
        overlay.SetInteractive(False)
        overlay.SetActiveCamera(main.GetActiveCamera())
        overlay.SetViewport(main.GetViewport())
        overlay.SetPreserveColorBuffer(True)
        window = self.plotter.ren_win
        window.SetNumberOfLayers(max(2, window.GetNumberOfLayers()))
        window.AddRenderer(overlay)
        return overlay

    def _build_line_of_action(self) -> pv.Actor:
        poly = pv.PolyData(np.zeros((2, 3)), lines=[2, 0, 1])
        mapper = pv.DataSetMapper(poly)
        mapper.scalar_visibility = False
        actor = pv.Actor(mapper=mapper)
        prop = actor.prop
        prop.color = materials.LINE_OF_ACTION
        prop.line_width = 3.0
        prop.point_size = 10.0
        prop.render_lines_as_tubes = True
        prop.render_points_as_spheres = True
        prop.lighting = False
        actor.visibility = False
        actor.pickable = False
        self._overlay.AddActor(actor)
        return actor

    def _build_outline(self) -> _Outline:
        silhouette = _silhouette(self.plotter.renderer.GetActiveCamera())
        silhouette.SetInputData(pv.PolyData(np.zeros((3, 3)), faces=[3, 0, 1, 2]))
        mapper = vtkPolyDataMapper()
        mapper.SetInputConnection(silhouette.GetOutputPort())
        mapper.SetRelativeCoincidentTopologyLineOffsetParameters(0.0, -8.0)
        actor = pv.Actor(mapper=mapper)
        actor.prop.color = materials.SELECTION_OUTLINE
        actor.prop.line_width = 3.0
        actor.prop.lighting = False
        actor.visibility = False
        self.plotter.add_actor(actor, reset_camera=False, name="selection-outline", pickable=False, render=False)
        return _Outline(silhouette, actor, self.plotter.renderer)

    def _build_labels(self) -> LeaderLabels:
        names = {
            sid: display_name(item.structure, self.names)
            for sid, item in self._items.items()
            if item.structure.kind != "bone" or item.structure.group in LABELLED_BONE_GROUPS
        }
        return LeaderLabels(self.plotter.renderer, names, materials.LABEL_TEXT)

    def _build_picker(self) -> vtkCellPicker:
        picker = vtkCellPicker()
        picker.SetTolerance(0.0)
        picker.PickFromListOn()
        for item in self._items.values():
            if item.locator is not None:
                picker.AddLocator(item.locator)
        return picker

    _EVENTS = (
        "structure_visible",
        "structure_opacity",
        "layer_visible",
        "layer_opacity",
        "selection",
        "pose",
        "camera",
        "labels",
        "fade_others",
        "section",
    )

    def _connect(self) -> None:
        for name in self._EVENTS:
            getattr(self.state.events, name).connect(getattr(self, f"_on_{name}_changed"))

    def close(self) -> None:
        """Stop following the state (the actors stay on the plotter until it closes)."""
        self.state.set_pose_check(None)
        for name in self._EVENTS:
            getattr(self.state.events, name).disconnect(getattr(self, f"_on_{name}_changed"))
        self.plotter.renderer.RemoveObserver(self._render_observer)

    # --- rendering ------------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group changes: one render at the end (if any change asked for one and ``auto_render`` is on)."""
        self._batch_depth += 1
        try:
            yield
        finally:
            self._batch_depth -= 1
            if self._batch_depth == 0 and self._dirty and self.auto_render:
                self.render()

    def _changed(self) -> None:
        self._dirty = True
        self._pick_groups = None
        self._overlay_key = None
        if self.auto_render and self._batch_depth == 0:
            self.render()

    def render(self) -> None:
        """Draw once now."""
        self._dirty = False
        if getattr(self.plotter, "off_screen", False):  # a QtInteractor has no such attribute
            # pyvista's Plotter.render() waits for show(), which an off-screen plotter never gets.
            self.plotter.render_window.Render()
        else:
            self.plotter.render()

    @property
    def interactive(self) -> bool:
        """Whether frames are drawn for motion (a camera drag, a playing motion) rather than for looking at."""
        return self._interactive is not None

    def set_interactive(self, on: bool) -> None:
        """Draw for motion (``True``) or at full quality (``False``); the caller renders when it wants to.

        Why: under software GL the edge smoothing (FXAA) cost 27 of 66 ms of a frame at 708x821 (docs/performance.md),
        the difference between a drag at 15 and at 26 frames per second. Edges a moving picture shows for 40 ms are
        not worth it; the still picture gets them back when the app calls this with ``False``.
        """
        renderer = self.plotter.renderer
        if on and self._interactive is None:
            self._interactive = bool(renderer.GetUseFXAA())
            renderer.SetUseFXAA(False)
        elif not on and self._interactive is not None:
            renderer.SetUseFXAA(self._interactive)
            self._interactive = None
        else:
            return
        for item in self._bones:
            if item.coarse is not None:
                item.actor.mapper.SetInputData(item.coarse if on else item.poly)

    def screenshot(self, scale: int = 1, transparent: bool = False) -> np.ndarray:
        """The current picture as an (H, W, 3) uint8 array, or (H, W, 4) with ``transparent`` (the background's
        alpha 0), renders first. ``scale`` draws it ``scale`` times the window's size in tiles (VTK's image scale),
        so a sharp still for a slide needs no bigger window and shows the same framing, labels and legend. Always at
        full quality (:meth:`set_interactive` off)."""
        self.set_interactive(False)
        if not transparent:
            self.render()
            return self.plotter.screenshot(return_img=True, scale=scale, transparent_background=False)
        # The gradient background is opaque paint: drawn without it, on a clear colour of alpha 0, with the window
        # keeping an alpha channel; everything is put back after.
        renderer, window = self.plotter.renderer, self.plotter.render_window
        gradient, alpha = renderer.GetGradientBackground(), renderer.GetBackgroundAlpha()
        planes = window.GetAlphaBitPlanes()
        renderer.GradientBackgroundOff()
        renderer.SetBackgroundAlpha(0.0)
        window.AlphaBitPlanesOn()
        try:
            self.render()
            return self.plotter.screenshot(return_img=True, scale=scale, transparent_background=True)
        finally:
            renderer.SetGradientBackground(gradient)
            renderer.SetBackgroundAlpha(alpha)
            window.SetAlphaBitPlanes(planes)

    def _camera_pose(self) -> tuple[float, ...]:
        cam = self.plotter.camera
        return (*cam.position, *cam.focal_point, *cam.up, cam.view_angle)

    def _before_render(self, *_: object) -> None:
        """Lay out the 2D overlays when the camera, window or content changed (labels follow an orbit).

        A named view framed for another window size (a Qt widget is framed before it has its final size) is framed
        again, unless the user has moved the camera since.
        """
        window = tuple(self.plotter.window_size)
        framed = self._framed
        if framed is not None and framed[0] != window and framed[1] == self._camera_pose():
            self._apply_camera(self.state.camera)
        key = (self.plotter.camera.GetMTime(), *window)
        if key == self._overlay_key:
            return
        self._legend.layout(window, self._legend_rows())  # type: ignore[arg-type]
        self._stretch.scale_font(window[1])
        if self.state.labels:
            self._labels.layout(self._label_anchors(), window)  # type: ignore[arg-type]
        else:
            self._labels.hide()
        self._overlay_key = key

    def _legend_rows(self) -> list[str]:
        """The legend rows whose colour is in the picture now."""
        kinds = {item.structure.kind for item in self._items.values() if item.actor.visibility}
        if "muscle" in kinds:
            kinds.add("tendon")  # every muscle's own tendon is drawn in the tendon colour
        stretch = self._stretch.enabled  # muscles, the selected one too, take the colour bar's colours
        if stretch:
            kinds.discard("muscle")
        rows = [name for name, kind in (("Bone", "bone"), ("Muscle", "muscle"), ("Tendon", "tendon")) if kind in kinds]
        selected = self._items.get(self.state.selection) if self.state.selection else None
        if self._outline.actor.visibility and not (stretch and selected and selected.structure.kind == "muscle"):
            rows.append("Selected")
        roles = {footprint.role for footprint, actor in self._footprints if actor.visibility}
        rows += [name for name, role in (("Origin", "origin"), ("Insertion", "insertion")) if role in roles]
        if self._line.visibility:
            rows.append("Line of action")
        return rows

    # --- state handlers -------------------------------------------------------------------------------------
    def _on_structure_visible_changed(self, *_: object) -> None:
        """Visibility, opacity, fading and labels all come down to one pass over the actors (a few dozen)."""
        self._apply_appearance()
        self._changed()

    _on_structure_opacity_changed = _on_structure_visible_changed
    _on_layer_visible_changed = _on_structure_visible_changed
    _on_layer_opacity_changed = _on_structure_visible_changed
    _on_fade_others_changed = _on_structure_visible_changed
    _on_labels_changed = _on_structure_visible_changed

    def _on_selection_changed(self, *_: object) -> None:
        self._apply_selection()
        self._apply_appearance()
        self._changed()

    def _on_pose_changed(self, pose: Pose, *_: object) -> None:
        self.update_pose(pose)

    def _on_camera_changed(self, camera: Camera, *_: object) -> None:
        self._apply_camera(camera)
        self._changed()

    def _on_section_changed(self, *_: object) -> None:
        self._apply_section()
        self._changed()

    # --- cross-section --------------------------------------------------------------------------------------
    def section_plane(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The state's section as a world plane (origin, unit normal towards the side cut away) in the pose
        shown, or None."""
        section = self.state.section
        if section is None:
            return None
        return self._leg_frame.plane(section, self._result.body_transforms[LEG_BODY])

    def section_camera(self) -> Camera | None:
        """A camera that looks at the state's section face on, from the side cut away (None without one)."""
        section = self.state.section
        if section is None:
            return None
        width, height = self.plotter.window_size
        transform = self._result.body_transforms[LEG_BODY]
        return self._leg_frame.camera(section, transform, max(width, 1) / max(height, 1))

    @property
    def section(self) -> SectionCaps:
        """The cut and its caps (which structures are capped, their cap actors)."""
        return self._section

    def _apply_section(self) -> None:
        self._section.update(self.section_plane())

    # --- appearance -----------------------------------------------------------------------------------------
    def _apply_appearance(self) -> None:
        state = self.state
        for structure_id, item in self._items.items():
            opacity = state.effective_opacity(structure_id)
            visible = state.effective_visibility(structure_id) and opacity > 0.0
            item.actor.visibility = visible
            item.actor.prop.opacity = opacity
            item.actor.pickable = visible
        selection = state.selection
        selected = self._items.get(selection) if selection else None
        show_selection = selected is not None and bool(selected.actor.visibility)
        self._outline.actor.visibility = show_selection
        if selection is not None or self.attachment_highlight is not None:
            self._build_footprints()
        for footprint, actor in self._footprints:
            bone_visible = bool(self._items[footprint.bone_id].actor.visibility)
            relevant = selection is not None and selection in (footprint.structure_id, footprint.bone_id)
            relevant |= self.attachment_highlight == (footprint.structure_id, footprint.role, footprint.index)
            actor.visibility = relevant and bone_visible
            actor.prop.opacity = self._items[footprint.bone_id].actor.prop.opacity
        self._line.visibility = selection is not None and selection in self._result.muscles
        self._overlay.SetDraw(bool(self._line.visibility))  # an empty layer still costs a pass per frame
        if self.state.section is not None:  # caps follow the structures' visibility, colour and opacity
            self._apply_section()

    def _apply_selection(self) -> None:
        previous, selection = self._highlighted, self.state.selection
        if previous is not None and previous in self._items:
            item = self._items[previous]
            item.material.apply(item.actor.prop)
            item.actor.mapper.scalar_visibility = item.fibres
        if selection is not None and selection in self._items:
            item = self._items[selection]
            materials.SELECTION.apply(item.actor.prop)
            item.actor.mapper.scalar_visibility = False
            self._outline.point_at(item.poly, item.actor)
            self._outline.actor.SetUserMatrix(item.actor.GetUserMatrix() or self._identity)
        self._highlighted = selection
        self._paint_stretch()
        self._update_line_of_action()

    def _update_line_of_action(self) -> None:
        selection = self.state.selection
        path = self._result.muscles.get(selection) if selection else None
        if path is None:
            return
        points = np.asarray(path.points, dtype=float)
        poly = self._line.mapper.dataset
        n = len(points)
        poly.points = points
        poly.lines = np.concatenate([[n], np.arange(n)])
        poly.verts = np.array([1, 0, 1, n - 1])  # dots at origin and insertion only

    def set_names(self, names: str) -> None:
        """Label the structures with their English or Latin names (``names``); the caller renders."""
        self.names = check_names(names)
        self._labels.rename({sid: display_name(self._items[sid].structure, self.names) for sid in self._labels.ids})
        self._changed()

    def highlight_attachment(self, attachment: tuple[str, str, int] | None) -> None:
        """Show one origin or insertion patch, ``(structure id, role, index)``, whatever is selected (the quiz asks
        whose it is without selecting the muscle, which would give the answer away); None hides it again."""
        self.attachment_highlight = attachment
        self._apply_appearance()
        self._changed()

    def remove(self) -> None:
        """Stop following the state and take everything this scene drew off the plotter, so another scene (the
        other leg) can be built on it."""
        self.close()
        self.plotter.renderer.clear_actors()
        self.plotter.renderer.RemoveAllViewProps()
        self.plotter.ren_win.RemoveRenderer(self._overlay)

    # --- colour by stretch ------------------------------------------------------------------------------------
    @property
    def colour_by_stretch(self) -> bool:
        """Whether muscles are drawn in the colour of their normalised length (:mod:`calfviewer.scene.stretch`)."""
        return self._stretch.enabled

    def set_colour_by_stretch(self, on: bool) -> None:
        """Draw each muscle by its stretch, with a colour bar (``True``), or in its tissue colours again."""
        if bool(on) == self._stretch.enabled:
            return
        self._stretch.enabled = on
        for item in self._items.values():
            if item.structure.kind == "muscle":  # back to the tissue look; the selection is put on again below
                item.material.apply(item.actor.prop)
                item.actor.mapper.scalar_visibility = item.fibres
        self._highlighted = None
        self._apply_selection()
        self._changed()

    def _paint_stretch(self) -> None:
        if self._stretch.enabled:
            from calfviewer.musculoskeletal.sweep import normalised_lengths

            actors = {sid: (item.actor, item.material) for sid, item in self._items.items()}
            self._stretch.paint(actors, normalised_lengths(self._result, self.model))

    @property
    def stretch_colours(self) -> StretchColours:
        return self._stretch

    # --- pose -----------------------------------------------------------------------------------------------
    def pose_result(self) -> PoseResult:
        """What the model said about the pose on screen."""
        return self._result

    def _set_body_matrices(self, result: PoseResult) -> None:
        """Write each body's world transform into its shared matrix: every actor on that body follows."""
        for stem, matrix in self._body_matrices.items():
            matrix.DeepCopy(np.ascontiguousarray(result.body_transforms[stem]).ravel())

    def update_pose(self, pose: Pose) -> None:
        """Move bones and deform soft tissue to ``pose``, in place (raises PoseError for an out-of-range angle)."""
        result = self.model.pose(pose)
        self._result = result
        self._set_body_matrices(result)
        for structure_id, points in self.geometry.soft_points(result).items():
            item = self._items.get(structure_id)
            if item is None:
                continue
            poly = item.poly
            poly.points[:] = points
            poly.GetPoints().Modified()
            poly.point_data["Normals"][:] = item.normals()  # type: ignore[misc]
            poly.GetPointData().GetNormals().Modified()
        self._soft.points = None
        self._bone_bounds = None
        self._paint_stretch()
        self._update_line_of_action()
        if self.state.section is not None:
            self._apply_section()
        if self._framed is not None and self._framed[1] == self._camera_pose():
            # A named view frames the leg in the pose shown, so the picture depends on the state alone (not on
            # the pose the view was chosen in); a camera the user has moved stays where it is.
            self._apply_camera(self.state.camera)
        self._changed()

    # --- camera ---------------------------------------------------------------------------------------------
    def view(self, name: str) -> None:
        """Frame the calf, knee to heel, from a standard view (posterior, anterior, medial, lateral).

        Applied even when the state already names this view: a mouse orbit moves the camera without going through
        the state, so assigning the same name again would be no change and emit nothing.
        """
        camera = Camera.named(name)
        self._apply_camera(camera)
        self.state.camera = camera
        self._changed()

    def reset_camera(self) -> None:
        """Back to the standard view the state names (posterior if the state holds an explicit camera)."""
        self.view(self.state.camera.view or "posterior")

    def camera_state(self) -> Camera:
        """The camera as it is now (after the user orbited, say), as an explicit :class:`Camera`.

        Rounded to 1e-12 (a picometre, a trillionth of a unit vector): VTK renormalises the view-up it is given, so a
        camera set from this one and read back differed in its last bit (``1.0000000000000002``), and a view state
        never compared equal to the camera it had just been given."""
        cam = self.plotter.camera

        def exact(values: Any) -> tuple[float, float, float]:
            return tuple(round(float(v), 12) + 0.0 for v in values)  # type: ignore[return-value]

        return Camera(
            view=None,
            position=exact(cam.position),
            focal_point=exact(cam.focal_point),
            view_up=exact(cam.up),
            view_angle=float(cam.view_angle),
            parallel_scale=float(cam.parallel_scale) if cam.parallel_projection else None,
        )

    def frame_bounds(self) -> np.ndarray:
        """World box (min xyz, max xyz) the standard views fit: knee to toes in the current pose."""
        lows, highs = [], []
        knee_top = -np.inf
        for item in self._items.values():
            if item.body is not None and item.body not in FRAME_BODIES:
                continue
            b = np.array(item.actor.GetBounds()).reshape(3, 2)
            lows.append(b[:, 0])
            highs.append(b[:, 1])
            if item.body in ("tibia", "patella"):
                knee_top = max(knee_top, b[2, 1])
        low, high = np.min(lows, axis=0), np.max(highs, axis=0)
        if np.isfinite(knee_top):
            high[2] = knee_top + KNEE_MARGIN
        return np.stack([low, high])

    def _direction(self, view: str) -> np.ndarray:
        direction = np.array(VIEW_DIRECTIONS[view])
        if self.model.side == "left":
            direction[0] = -direction[0]
        return direction

    def _apply_camera(self, camera: Camera) -> None:
        cam = self.plotter.camera
        if camera.view is None:
            cam.position = camera.position
            cam.focal_point = camera.focal_point
            cam.up = camera.view_up
            cam.view_angle = camera.view_angle
            cam.parallel_projection = camera.parallel_scale is not None
            if camera.parallel_scale is not None:
                cam.parallel_scale = camera.parallel_scale
        else:
            if camera.view not in VIEWS:
                raise ValueError(camera.view)
            self._frame(self._direction(camera.view), camera.view_angle)
        self.plotter.renderer.ResetCameraClippingRange()
        self._framed = (tuple(self.plotter.window_size), self._camera_pose()) if camera.view else None

    def _frame(self, direction: np.ndarray, view_angle: float) -> None:
        low, high = self.frame_bounds()
        centre = (low + high) / 2.0
        up = np.array([0.0, 0.0, 1.0])
        right = np.cross(up, direction)
        corners = np.array([[x, y, z] for x in (low[0], high[0]) for y in (low[1], high[1]) for z in (low[2], high[2])])
        half_width = float(np.abs((corners - centre) @ right).max())
        half_height = float(np.abs((corners - centre) @ up).max())
        half_depth = float(np.abs((corners - centre) @ direction).max())
        width, height = self.plotter.window_size
        aspect = max(width, 1) / max(height, 1)  # a Qt widget can be 0 x 0 before it is shown
        needed = max(half_height, half_width / aspect) * FRAME_PADDING
        distance = needed / np.tan(np.radians(view_angle) / 2.0) + half_depth
        cam = self.plotter.camera
        cam.parallel_projection = False
        cam.view_angle = view_angle
        cam.focal_point = tuple(centre)
        cam.position = tuple(centre + direction * distance)
        cam.up = tuple(up)

    # --- labels ---------------------------------------------------------------------------------------------
    def _label_anchors(self) -> dict[str, tuple[float, float]]:
        """Display pixel of a visible point on each labelled structure that is drawn solid."""
        anchors = {}
        for sid in self._labels.ids:
            actor = self._items[sid].actor
            if not actor.visibility or actor.prop.opacity < PICK_OPACITY:
                continue
            anchor = self.visible_point(sid)
            if anchor is not None:
                anchors[sid] = anchor
        return anchors

    def visible_point(self, structure_id: str) -> tuple[float, float] | None:
        """Display pixel (y from the bottom) of a point in the middle of what can be seen of a structure.

        Candidates are the camera-facing vertices nearest the area-weighted middle of the structure on screen;
        the first that a pick confirms is the structure's own wins. None when nothing of it can be seen. Label
        leaders end here; tests and widgets use it to find a structure on screen (a 3D centroid can fall outside
        a curved muscle's outline).
        """
        item = self._items[structure_id]
        points = np.asarray(item.poly.points)
        normals = np.asarray(item.poly.point_data["Normals"])
        if item.body is not None:
            matrix = np.asarray(item.actor.user_matrix)
            points = points @ matrix[:3, :3].T + matrix[:3, 3]
            normals = normals @ matrix[:3, :3].T
        cam = self.plotter.camera
        to_camera = np.asarray(cam.position) - points
        to_camera /= np.linalg.norm(to_camera, axis=1, keepdims=True)
        # Clearly facing the camera (not grazing): such a point lies well inside the outline, not on its edge.
        facing = (normals * to_camera).sum(axis=1) > 0.4
        display = project_to_display(self.plotter.renderer, points)
        width, height = self.plotter.window_size
        margin = 0.04 * min(width, height)
        on_screen = (
            facing
            & (display[:, 0] > margin)
            & (display[:, 0] < width - margin)
            & (display[:, 1] > margin)
            & (display[:, 1] < height - margin)
        )
        candidates = np.flatnonzero(on_screen)
        if len(candidates) == 0:
            return None
        # The last anchor first: while a pose animates or the camera orbits, it usually still works (one pick).
        previous = self._anchor_vertex.get(structure_id)
        if previous is not None and on_screen[previous] and self.pick(*display[previous, :2]) == structure_id:
            return float(display[previous, 0]), float(display[previous, 1])
        xy = display[candidates, :2]
        # Area-weighted: the leader points at the belly, not at the long thin tendon that shares the mesh.
        if len(item.vertex_areas) == 0:  # made when a label first needs it: labels are off at start-up
            item.vertex_areas = vertex_areas(np.asarray(item.poly.points), item.faces)
        weights = item.vertex_areas[candidates]
        centre = (xy * weights[:, None]).sum(axis=0) / max(float(weights.sum()), 1e-12)
        order = candidates[np.argsort(np.linalg.norm(xy - centre, axis=1))]
        # Up to 24 tries spread over every candidate, nearest the middle first: a bone mostly hidden behind muscle
        # (the fibula from the side) shows only at one end, far from its middle.
        for index in order[:: max(1, len(order) // 24)][:24]:
            x, y = display[index, :2]
            if self.pick(x, y) == structure_id:
                self._anchor_vertex[structure_id] = int(index)
                return float(x), float(y)
        return None

    # --- picking --------------------------------------------------------------------------------------------
    def _pickables(self) -> tuple[_PickGroup, _PickGroup]:
        """The visible structures, solid then faded, as indices into ``_bones`` and ``_soft.items``."""
        if self._pick_groups is None:

            def group(solid: bool) -> _PickGroup:
                def wanted(item: _Item) -> bool:
                    return bool(item.actor.visibility) and (item.actor.prop.opacity >= PICK_OPACITY) == solid

                return _PickGroup(
                    np.array([n for n, item in enumerate(self._bones) if wanted(item)], dtype=int),
                    np.array([n for n, item in enumerate(self._soft.items) if wanted(item)], dtype=int),
                )

            self._pick_groups = (group(True), group(False))
        return self._pick_groups

    def prepare_for_interaction(self) -> bool:
        """Build what a click needs and the first frame does not: the bones' cell locators, attachment patches,
        and one bone's coarse copy per call (up to 0.2 s each). True when everything is built.

        The app calls this when idle, again until it says True, so neither start-up nor a click waits long for it.
        """
        self._build_footprints()
        for item in self._items.values():
            self._build_locator(item)
        for item in self._bones:
            if item.coarse is None and item.poly.n_cells > COARSE_MIN_TRIANGLES:
                item.coarse = _coarse_copy(item.poly)
                if self.interactive:
                    item.actor.mapper.SetInputData(item.coarse)
                return False
        return True

    def coarse_triangles(self) -> int:
        """How many triangles the scene's visible structures draw now (coarse copies where they are in use)."""
        return sum(
            (item.coarse if item.coarse is not None and self.interactive else item.poly).n_cells
            for item in self._items.values()
            if item.actor.visibility
        )

    @staticmethod
    def _build_locator(item: _Item) -> None:
        if item.locator is not None and item.locator_stale:
            item.locator.ForceBuildLocator()
            item.locator_stale = False

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
        try:
            near, far = self._pick_ray(float(x), float(y))
            soft: tuple[np.ndarray, np.ndarray] | None = None
            for group in self._pickables():
                hits = [self._pick_bones(x, y, near, far, group.bones)]
                if len(group.soft):
                    soft = self._kept_crossings(near, far) if soft is None else soft
                    owners, fractions = soft
                    mine = np.isin(owners, group.soft)
                    if mine.any():
                        n = int(np.argmin(np.where(mine, fractions, np.inf)))
                        hits.append((float(fractions[n]), self._soft.items[owners[n]].structure.id))
                found = [hit for hit in hits if hit is not None]
                if found:
                    return min(found)[1]
            return None
        finally:
            self.last_pick_ms = (time.perf_counter() - start) * 1000.0

    def _kept_crossings(self, near: np.ndarray, far: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Soft-tissue crossings of the segment, less those on the side a section cuts away (not drawn)."""
        owners, fractions = self._soft.crossings(near, far)
        if self._section.plane is not None and len(fractions):
            kept = ~self._section.removed(near + fractions[:, None] * (far - near))
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
            self._bone_bounds = np.array([item.actor.GetBounds() for item in self._bones]).reshape(-1, 6)
        crossed = [self._bones[n] for n in bones[_rays_meet_boxes(near, far, self._bone_bounds[bones])]]
        if not crossed:
            return None
        picker = self._picker
        picker.InitializePickList()
        for item in crossed:
            self._build_locator(item)
            picker.AddPickList(item.actor)
        if not picker.Pick(float(x), float(y), 0.0, self.plotter.renderer):
            return None
        segment = far - near
        structure_id = self._id_of_actor.get(picker.GetActor())
        if structure_id is None:
            return None
        fraction = float((np.array(picker.GetPickPosition()) - near) @ segment / (segment @ segment))
        return fraction, structure_id

    def _pick_ray(self, x: float, y: float) -> tuple[np.ndarray, np.ndarray]:
        """World points where display pixel (x, y) meets the near and far clipping planes."""
        renderer = self.plotter.renderer
        ends = []
        for depth in (0.0, 1.0):
            renderer.SetDisplayPoint(x, y, depth)
            renderer.DisplayToWorld()
            wx, wy, wz, w = renderer.GetWorldPoint()
            ends.append(np.array([wx, wy, wz]) / w)
        return ends[0], ends[1]

    # --- queries for tests and widgets ------------------------------------------------------------------------
    def actor(self, structure_id: str) -> pv.Actor:
        """The actor that draws ``structure_id`` (the same object for the scene's whole life)."""
        return self._items[structure_id].actor

    @property
    def structure_ids(self) -> tuple[str, ...]:
        return tuple(self._items)

    def footprint_actors(self, structure_id: str | None = None) -> list[tuple[Footprint, pv.Actor]]:
        self._build_footprints()
        return [(f, a) for f, a in self._footprints if structure_id in (None, f.structure_id)]

    @property
    def line_of_action(self) -> pv.Actor:
        return self._line

    @property
    def outline(self) -> pv.Actor:
        return self._outline.actor

    @property
    def labels(self) -> LeaderLabels:
        return self._labels

    @property
    def legend(self) -> Legend:
        return self._legend

    def world_centre(self, structure_id: str) -> np.ndarray:
        """Centroid of the structure's vertices in world metres in the current pose."""
        item = self._items[structure_id]
        points = np.asarray(item.poly.points)
        centre = points.mean(axis=0)
        if item.body is not None:
            matrix = np.asarray(item.actor.user_matrix)
            centre = matrix[:3, :3] @ centre + matrix[:3, 3]
        return centre

    def to_display(self, world: np.ndarray) -> tuple[float, float]:
        """World point -> display pixel (VTK convention, y from the bottom)."""
        renderer = self.plotter.renderer
        renderer.SetWorldPoint(*np.asarray(world, dtype=float), 1.0)
        renderer.WorldToDisplay()
        x, y, _ = renderer.GetDisplayPoint()
        return float(x), float(y)


def _rays_meet_boxes(near: np.ndarray, far: np.ndarray, bounds: np.ndarray, margin: float = 1e-3) -> np.ndarray:
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


def _coarse_copy(poly: pv.PolyData) -> pv.PolyData:
    """A copy of a closed bone surface with COARSE_KEEP of its triangles, volume kept, with its own normals."""
    surface = pv.PolyData.from_regular_faces(np.asarray(poly.points), poly.regular_faces)
    decimate = vtkQuadricDecimation()
    decimate.SetInputData(surface)
    decimate.SetTargetReduction(1.0 - COARSE_KEEP)
    decimate.VolumePreservationOn()
    decimate.Update()
    coarse = pv.wrap(decimate.GetOutput())
    return _polydata(np.asarray(coarse.points), coarse.regular_faces)


def _footprint_patch(bone: Surface, face_indices: np.ndarray, normals: np.ndarray) -> pv.PolyData:
    """The bone's own triangles under an attachment, lifted a fraction of a millimetre along its vertex normals."""
    faces = np.asarray(bone.faces)[np.asarray(face_indices, dtype=int)]
    used, inverse = np.unique(faces, return_inverse=True)
    vertices = np.asarray(bone.vertices)[used] + FOOTPRINT_LIFT * normals[used]
    return _polydata(vertices, inverse.reshape(-1, 3))
