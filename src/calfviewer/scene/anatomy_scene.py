"""The calf drawn on a pyvista Plotter: one actor per structure, built once, then only updated.

``AnatomyScene`` is a drawer: it follows the :class:`~calfviewer.viewer.viewer.Viewer`'s one result (the model's
answer for the pose, the selection, what is drawn and how opaque) and the state's drawing-only fields (camera,
labels, section), and edits the existing actors in place (visibility, opacity, colour, points, transforms). It never
asks the model anything itself. Nothing is rebuilt per frame, so animation costs a points copy
and a render. The scene never renders by itself unless ``auto_render=True``; wrap several changes in
:meth:`AnatomyScene.batch` to get exactly one render for all of them.

The plotter can be anything pyvista draws on: an off-screen ``pv.Plotter`` for ``calfviewer render`` and the tests,
or pyvistaqt's ``QtInteractor`` in the window. No Qt is imported here.

Split by job: the drawing pieces are in ``actors.py``, picking in ``picking.py``, the camera in ``framing.py``,
label anchors in ``anchors.py``; this module builds the actors and keeps them in step. Why it is still over 500
lines: the build, the appearance, the selection, the section and the render hooks all edit the same actor table,
and splitting them further would pass that table between modules.

Frames: bones are stored in their MyoLeg body frame and placed with ``actor.user_matrix``: one VTK matrix per
model body, shared by every bone and attachment footprint on that body, so posing rewrites six matrices in place.
Muscles and tendons are world-space meshes whose points are rewritten per pose. The world is MuJoCo's: anterior
-Y, superior +Z, and the right leg's lateral side is -X (so its medial side faces +X).
"""

from __future__ import annotations

import contextlib
from collections.abc import Hashable, Iterator
from typing import TYPE_CHECKING

import numpy as np
import pyvista as pv
from vtkmodules.vtkCommonDataModel import vtkStaticCellLocator
from vtkmodules.vtkCommonMath import vtkMatrix4x4
from vtkmodules.vtkRenderingCore import vtkCamera, vtkPolyDataMapper, vtkRenderer, vtkTextProperty

from calfviewer.anatomy.names import DEFAULT_NAMES, check_names, display_name
from calfviewer.callbacks import called_from_vtk
from calfviewer.musculoskeletal import NEUTRAL, Pose, PoseResult
from calfviewer.musculoskeletal.frames import to_world
from calfviewer.scene import framing, materials
from calfviewer.scene.actors import (
    COARSE_MIN_TRIANGLES,
    Item,
    Outline,
    VertexNormals,
    footprint_patch,
    move_soft,
    polydata,
    shade_soft,
    silhouette,
)
from calfviewer.scene.anchors import Anchors
from calfviewer.scene.cap_colour import TENDON_WEIGHT
from calfviewer.scene.coarse_copies import CoarseCopies
from calfviewer.scene.cut_cap import CutTarget
from calfviewer.scene.footprint_ghosts import FootprintGhosts
from calfviewer.scene.gl_driver import render_window
from calfviewer.scene.labels import LeaderLabels
from calfviewer.scene.materials import Material
from calfviewer.scene.overlays import Coverage, Legend, device_pixels, project_to_display, window_dpi
from calfviewer.scene.picking import Picker, build_locator
from calfviewer.scene.section_caps import LEG_BODY, RIM_WIDTH, LegFrame, SectionCaps
from calfviewer.scene.stretch import StretchColours
from calfviewer.viewer.camera import Camera
from calfviewer.viewer.section_plane import DEFAULT_POSITION, Section
from calfviewer.viewer.view_state import ViewState
from calfviewer.viewer.viewer import Viewer, ViewResult

if TYPE_CHECKING:
    from calfviewer.anatomy import Catalogue
    from calfviewer.geometry.assembly import SceneGeometry
    from calfviewer.geometry.footprint import Footprint
    from calfviewer.musculoskeletal import MusculoskeletalModel
    from calfviewer.musculoskeletal.motion import Motion

LABELLED_BONE_GROUPS = ("leg",)
#: Widths in pixels at 100 % (:func:`device_pixels`): the selection's line of action and its end points, and the
#: outline drawn round the selection.
LINE_OF_ACTION_WIDTH, LINE_OF_ACTION_ENDS, OUTLINE_WIDTH = 3.0, 10.0, 3.0
#: With labels or the stretch colour bar on, a cut seen face on takes at most this share of the picture's width, so
#: the names and the bar have room beside it rather than over the slice.
LABELLED_SECTION_SHARE = 0.55
#: A camera within about 10 degrees of the section's normal looks at the cut face on (its names kept in columns).
FACE_ON_COSINE = 0.985
#: How near a camera must be to a face-on framing of the section to be one (:meth:`AnatomyScene.frames_section`):
#: its focal point and distance within this share of the framing's half-height (1 %: about a millimetre, more than
#: what mirroring between the legs moves it), its view and up directions within about half a degree.
FRAMING_TOLERANCE = 0.01
FRAMING_COSINE = 0.99996


#: How many attachment patches one piece of the idle work makes (~3 ms each).
FOOTPRINTS_A_PIECE = 12


class AnatomyScene:
    """Draws the calf on ``plotter`` and keeps it in step with ``state``.

    Args:
        plotter: any pyvista Plotter (off-screen, or a pyvistaqt QtInteractor).
        geometry: the meshes (:class:`~calfviewer.geometry.assembly.SceneGeometry`).
        model: the posed musculoskeletal model (bone transforms and muscle paths per pose).
        catalogue: the anatomy catalogue (kinds, layers, names).
        state: the view state to follow.
        viewer: the viewer logic that poses the model for ``state`` (a new one for ``state`` and ``model`` if not
            given; the window passes its own, which its widgets follow too).
        auto_render: render after every change outside :meth:`batch` (handy in a REPL; the app batches).
        legend: draw the colour legend.
        names: ``english`` or ``latin``: the names the labels show (:meth:`set_names` changes them).
    """

    def __init__(
        self,
        plotter: pv.BasePlotter,
        geometry: SceneGeometry,
        model: MusculoskeletalModel,
        catalogue: Catalogue,
        state: ViewState,
        *,
        auto_render: bool = False,
        legend: bool = True,
        names: str = DEFAULT_NAMES,
        viewer: Viewer | None = None,
    ) -> None:
        self.plotter = plotter
        self.names = check_names(names)
        self.attachment_highlight: tuple[str, str, int] | None = None  # a patch shown without a selection (quiz)
        self.geometry = geometry
        self.model = model
        self.catalogue = catalogue
        self.state = state
        self.auto_render = auto_render
        self._batch_depth = 0
        self._interactive: bool | None = None  # while drawing for motion: whether FXAA was on before
        self._dirty = False
        self._items: dict[str, Item] = {}
        self._footprints: list[tuple[Footprint, pv.Actor]] = []
        self._highlighted: str | None = None
        self._overlay_key: tuple[int, ...] | None = None
        self._tile_texts: list[tuple[vtkTextProperty, int]] = []  # text drawn in a still's tiles, its window size
        self._faces_for_coverage: tuple[tuple[int, ...], np.ndarray] | None = None  # _coverage_faces' last
        self._held_leg: Coverage | None = None  # where a movie's leg is in any of its frames (hold_overlays)
        self._framed: tuple[tuple[int, ...], tuple[float, ...]] | None = None  # (window, camera) of a named view
        self._held: tuple[Motion, np.ndarray] | None = None  # a motion watched and the box a named view fits over it
        self._dpi: int | None = None  # the window's DPI the lines were last drawn for
        # By id() of a bone's mesh: (the mesh, its stand-in while cut away whole, its box corners); see _feed_bones.
        self._stand_ins: dict[int, tuple[pv.PolyData, pv.PolyData, np.ndarray]] = {}
        self._rehearsing = False  # drawing a frame of _rehearse_cut, which no one sees
        self._rehearsal = "caps"  # the next piece of _rehearse_cut: caps, cut, uncut, done
        self._caps_ahead = ["sagittal", "coronal", "axial"]  # the planes whose first cuts the caps piece cuts ahead
        self._frames = 0  # frames begun (the renderer's start events), for _rehearse_cut
        self._frames_at_rehearsal = 0
        self._laid_out_ahead: set[str] = set()  # the planes whose first cut _lay_out_first_cut laid out, once a session
        self._drawn_off_screen = False  # an off-screen plotter drawn once, by pyvista (see render)

        self._owns_viewer = viewer is None
        self.viewer = viewer if viewer is not None else Viewer(state, model, catalogue)
        self._result: PoseResult = self.viewer.result.pose
        self._identity = vtkMatrix4x4()
        self._body_matrices = {stem: vtkMatrix4x4() for stem in self._result.body_transforms}
        self._set_body_matrices(self._result)
        materials.setup_background(plotter)
        materials.setup_lights(plotter)
        self._build_bones()
        self._build_soft_tissue()
        self._bones = [item for item in self._items.values() if item.locator is not None]
        self._coarse = CoarseCopies(item for item in self._bones if item.poly.n_cells > COARSE_MIN_TRIANGLES)
        self._bone_bodies = [item.body for item in self._bones if item.body is not None]  # each bone's, in turn
        assert len(self._bone_bodies) == len(self._bones)  # every bone is carried by a model body
        self._overlay = self._build_overlay_renderer()
        self._ghosts = FootprintGhosts(self._overlay)  # the shown patches, seen through the tissue over them
        self._line = self._build_line_of_action()
        self._outline = self._build_outline()
        self._labels = self._build_labels()
        self._leg_frame = LegFrame.measure(geometry, model.pose(NEUTRAL), model.side)
        self._section = SectionCaps(
            plotter, [CutTarget(sid, item.actor, item.poly, item.body is not None) for sid, item in self._items.items()]
        )
        self._section.clip(self._outline.actor)
        self._picker = Picker(plotter.renderer, list(self._items.values()), self._section, lambda: self.viewer.result)
        self._anchors = Anchors(plotter, self._items, self._picker.shows, self._section, self._drawn_for_labels)
        self._legend = Legend(plotter.renderer, materials.LEGEND, materials.LABEL_TEXT)
        self._legend.enabled = legend
        self._stretch = StretchColours(plotter.renderer, materials.LABEL_TEXT)

        # The selection's look first, as a change of selection is followed: the caps of a section take each
        # structure's colour as drawn when the appearance is applied (the selected cap was tissue red).
        self._apply_selection()
        self._apply_appearance()
        self._apply_camera(state.camera)
        self._render_observer = plotter.renderer.AddObserver("StartEvent", self._before_render)
        self._connect()
        # A viewer already watching a motion (the other leg's scene, built on it mid-scrub): held as before.
        self.hold_framing(self.viewer.playback.watched)

    # --- construction -------------------------------------------------------------------------------------
    def _add(self, structure_id: str, poly: pv.PolyData, material: Material) -> pv.Actor:
        mapper = pv.DataSetMapper(poly)
        mapper.scalar_visibility = False
        mapper.interpolate_before_map = True
        actor = pv.Actor(mapper=mapper)
        material.apply(actor.prop)
        self.plotter.add_actor(actor, reset_camera=False, name=f"structure:{structure_id}", render=False)
        return actor

    def _register(self, item: Item) -> None:
        if item.locator is not None:
            item.locator.SetDataSet(item.poly)
            item.locator_stale = True  # built when a pick needs it or the app is idle, not before the first frame
        self._items[item.structure.id] = item

    def _build_bones(self) -> None:
        for bone_id, mesh in self.geometry.bones.items():
            structure = self.catalogue.get(bone_id)
            faces = np.asarray(mesh.faces)
            poly = polydata(mesh.vertices, faces)
            actor = self._add(bone_id, poly, materials.BONE)
            body = self.geometry.bodies[bone_id]
            actor.SetUserMatrix(self._body_matrices[body])
            self._register(Item(structure, actor, poly, faces, materials.BONE, vtkStaticCellLocator(), body))

    def _build_soft_tissue(self) -> None:
        points = self.geometry.soft_points(self._result)
        # Stripes, and the muscles' own tendons in the tendon colour, are computed on the rest meshes and travel
        # with the vertices when the muscles deform.
        colors = materials.soft_tissue_colors(self.geometry, self.catalogue)
        for structure_id, mesh in self.geometry.soft.items():
            structure = self.catalogue.get(structure_id)
            material = materials.MATERIALS[structure.kind]
            faces = np.asarray(mesh.faces)
            poly = polydata(points.get(structure_id, mesh.vertices), faces)
            fibres = structure_id in colors
            weight = self.geometry.tendon_weight.get(structure_id)
            if fibres and weight is not None:  # what a section's cap is coloured by (scene/cap_colour.py)
                poly.point_data[TENDON_WEIGHT] = np.asarray(weight, dtype=np.float32)
            if fibres:
                poly.point_data["fibres"] = colors[structure_id]
                poly.point_data.active_scalars_name = "fibres"
            actor = self._add(structure_id, poly, material)
            if fibres:
                actor.mapper.SetColorModeToDirectScalars()
                actor.mapper.scalar_visibility = True
            item = Item(structure, actor, poly, faces, material, None, fibres=fibres)
            item.normals = VertexNormals(poly)
            self._register(item)

    @property
    def _footprints_built(self) -> bool:
        """Whether every attachment patch is made (they show only with a selection: made then, or when idle)."""
        return len(self._footprints) == len(self.geometry.footprints)

    def _build_footprints(self, most: int | None = None) -> None:
        """Make the attachment patches' actors not made yet, ``most`` of them (all if None): the idle work makes
        them a few at a time (all 43 in one piece held the event loop ~130 ms), a selection all that are left."""
        if self._footprints_built:
            return
        for footprint in self.geometry.footprints[len(self._footprints) :][:most]:
            bone = self.geometry.bones[footprint.bone_id]
            normals = np.asarray(self._items[footprint.bone_id].poly.point_data["Normals"])  # the bone's own
            poly = footprint_patch(bone, footprint.faces, normals)
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
            self._ghosts.add(actor)
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
        # Plain alpha blending for the translucent footprint ghosts, not VTK's default order-independent pass: its
        # full-window float buffers cost 10-25 ms a frame on software GL (docs/performance.md, issue 23), and the
        # ghosts (back faces culled, one patch per place on a bone) have nothing to order.
        overlay.SetUseOIT(False)
        window = render_window(self.plotter)
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
        prop.line_width = LINE_OF_ACTION_WIDTH
        prop.point_size = LINE_OF_ACTION_ENDS
        prop.render_lines_as_tubes = True
        prop.render_points_as_spheres = True
        prop.lighting = False
        actor.visibility = False
        actor.pickable = False
        self._overlay.AddActor(actor)
        return actor

    def _build_outline(self) -> Outline:
        edges = silhouette(self.plotter.renderer.GetActiveCamera())
        edges.SetInputData(pv.PolyData(np.zeros((3, 3)), faces=[3, 0, 1, 2]))
        mapper = vtkPolyDataMapper()
        mapper.SetInputConnection(edges.GetOutputPort())
        mapper.SetRelativeCoincidentTopologyLineOffsetParameters(0.0, -8.0)
        actor = pv.Actor(mapper=mapper)
        actor.prop.color = materials.SELECTION_OUTLINE
        actor.prop.line_width = OUTLINE_WIDTH
        actor.prop.lighting = False
        actor.visibility = False
        # Left out of the scene's bounds (it lies on the selected surface): asking its bounds ran the silhouette
        # filter at every clipping-range reset, once more per frame than the render does (issue 23).
        actor.SetUseBounds(False)
        self.plotter.add_actor(actor, reset_camera=False, name="selection-outline", pickable=False, render=False)
        return Outline(edges, actor, self.plotter.renderer)

    def _build_labels(self) -> LeaderLabels:
        names = {
            sid: display_name(item.structure, self.names)
            for sid, item in self._items.items()
            if item.structure.kind != "bone" or item.structure.group in LABELLED_BONE_GROUPS
        }
        return LeaderLabels(self.plotter.renderer, names, materials.LABEL_TEXT)

    #: The state's drawing-only fields; everything the model or the appearance decides comes as the viewer's result.
    _EVENTS = ("camera", "labels", "section")

    def _connect(self) -> None:
        self.viewer.result_changed.connect(self._on_result_changed)
        self.viewer.playback.watched_changed.connect(self.hold_framing)
        for name in self._EVENTS:
            getattr(self.state.events, name).connect(getattr(self, f"_on_{name}_changed"))

    def close(self) -> None:
        """Stop following the state and the viewer (the actors stay on the plotter until it closes), and making
        coarse copies."""
        self._coarse.close()
        self.viewer.result_changed.disconnect(self._on_result_changed)
        self.viewer.playback.watched_changed.disconnect(self.hold_framing)
        for name in self._EVENTS:
            getattr(self.state.events, name).disconnect(getattr(self, f"_on_{name}_changed"))
        if self._owns_viewer:
            self.viewer.close()
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
        self._overlay_key = None
        if self.auto_render and self._batch_depth == 0:
            self.render()

    def render(self) -> None:
        """Draw once now."""
        self._dirty = False
        if not getattr(self.plotter, "off_screen", False):  # a QtInteractor has no such attribute
            self.plotter.render()
        elif self._drawn_off_screen:
            # pyvista's Plotter.render() waits for show(), which an off-screen plotter never gets.
            render_window(self.plotter).Render()
        else:
            # The first time, pyvista's screenshot draws: it draws a plotter never shown once more at its first
            # screenshot, so drawing with the window's Render() first drew every off-screen plotter's first still
            # twice (each `calfviewer render`, a movie's first frame, the first bookmark thumbnail). The picture
            # it reads back is dropped; pyvista's camera reset on a first draw leaves a camera set alone, as the
            # scene's is.
            self.plotter.screenshot(return_img=False)
            self._drawn_off_screen = True

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
            if self._stretch.enabled or self.state.labels:
                # The colour bar, kept in place while moving, is placed again, and the names, kept to their
                # columns while moving, may go in the free space round a leg lying across the picture.
                self._overlay_key = None
        else:
            return
        self._feed_bones()

    def screenshot(self, scale: int = 1, transparent: bool = False) -> np.ndarray:
        """The current picture as an (H, W, 3) uint8 array, or (H, W, 4) with ``transparent`` (the background's
        alpha 0), renders first. ``scale`` draws it ``scale`` times the window's size in tiles (VTK's image scale),
        so a sharp still for a slide needs no bigger window and shows the same framing, labels and legend. Always at
        full quality (:meth:`set_interactive` off)."""
        self.set_interactive(False)
        if not transparent:
            self.render()
            return self._picture(scale, transparent=False)
        # The gradient background is opaque paint: drawn without it, on a clear colour of alpha 0, with the window
        # keeping an alpha channel; everything is put back after.
        renderer, window = self.plotter.renderer, render_window(self.plotter)
        gradient, alpha = renderer.GetGradientBackground(), renderer.GetBackgroundAlpha()
        planes = window.GetAlphaBitPlanes()
        renderer.GradientBackgroundOff()
        renderer.SetBackgroundAlpha(0.0)
        window.AlphaBitPlanesOn()
        try:
            self.render()
            return self._picture(scale, transparent=True)
        finally:
            renderer.SetGradientBackground(gradient)
            renderer.SetBackgroundAlpha(alpha)
            window.SetAlphaBitPlanes(planes)

    def _picture(self, scale: int, transparent: bool) -> np.ndarray:
        if scale > 1:
            self._lay_out_for_tiles(scale)
        try:
            image = self.plotter.screenshot(return_img=True, scale=scale, transparent_background=transparent)
        finally:
            for prop, size in self._tile_texts:
                prop.SetFontSize(size)
            self._tile_texts = []
            self._overlay_key = None  # laid out for the window again at the next render
        assert image is not None  # pyvista returns None only when not asked for the picture (return_img=False)
        return image

    def _lay_out_for_tiles(self, scale: int) -> None:
        """Lay the overlays out once for a still ``scale`` times the window, drawn by VTK in tiles.

        While the tiles are drawn the window reports the whole still's size and 2D positions are the still's pixels,
        but text made during a tile is magnified by the tile scale. Laid out at each tile (as a render normally
        does), every name came out twice its size and off its leader at 2x. So the layout is done here, for the
        whole still (anchors measured with the window's camera, then scaled), the text sizes are divided by the
        scale, and :meth:`_before_render` only has every text made again at each tile (a text made before, at the
        window's scale, would be drawn unmagnified).
        """
        width, height = self.plotter.window_size
        texts = [*self._labels.text_properties(), *self._legend.text_properties(), *self._stretch.text_properties()]
        self._tile_texts = [(prop, prop.GetFontSize()) for prop in texts]
        anchors = {sid: (x * scale, y * scale) for sid, (x, y) in self._label_anchors().items()}
        if self._stretch.enabled:  # the bar where the window has it (a place chosen at the still's size could differ)
            window = (int(width), int(height))
            self._legend.layout(window, self._legend_rows())
            self._stretch.layout(window, self._coverage(window))
        still = (int(width) * scale, int(height) * scale)
        leg = self._coverage((int(width), int(height)), legend=False) if self.state.labels else None
        self._lay_out_overlays(still, anchors, place=False, leg=leg, scale=scale)
        for prop in texts:
            prop.SetFontSize(max(1, prop.GetFontSize() // scale))  # rounded down: never wider than laid out

    def _camera_pose(self) -> tuple[float, ...]:
        cam = self.plotter.camera
        return (*cam.position, *cam.focal_point, *cam.up, cam.view_angle)

    @called_from_vtk  # a StartEvent observer: a Ctrl-C raised here would end the process (callbacks.py)
    def _before_render(self, *_: object) -> None:
        """Lay out the 2D overlays when the camera, window or content changed (labels follow an orbit).

        A named view framed for another window size (a Qt widget is framed before it has its final size) is framed
        again, unless the user has moved the camera since. While a still is drawn in tiles the overlays keep the
        layout :meth:`_lay_out_for_tiles` gave them.
        """
        self._frames += 1
        if self._rehearsing:  # a frame no one sees (_rehearse_cut): nothing to lay out for it
            return
        if self._tile_texts:
            for prop, _size in self._tile_texts:
                prop.Modified()
            return
        self._follow_dpi()
        width, height = self.plotter.window_size
        window = (int(width), int(height))
        if self._named_view_left() and self._framed is not None and self._framed[0] != window:
            self._apply_camera(self.state.camera)
        # The legend follows the window and the content (a change clears the key); the labels and the colour bar
        # (which keeps clear of the leg) follow the camera too, so a drag or a followed pose without either lays
        # out nothing (issue 23).
        camera = self.plotter.camera.GetMTime() if self.state.labels or self._stretch.enabled else 0
        key = (camera, *window)
        if key == self._overlay_key:
            return
        static = self._overlay_key is None or self._overlay_key[1:] != key[1:]
        # The colour bar keeps its place while the picture moves (a drag, a playing motion: its coverage costs a
        # few milliseconds a frame) and finds its place again in the still picture that follows.
        self._lay_out_overlays(window, self._label_anchors(), static, place=not self.interactive)
        self._overlay_key = key

    def _follow_dpi(self) -> None:
        """Draw the lines as thick to the eye at any screen scale: their widths are pixels at 100 %, and a window at
        200 % (DPI 144) has twice the pixels (:func:`device_pixels`). Set again when the DPI changes (the window
        moved to a screen of another scale); off screen the DPI is 72 and the widths are as written."""
        dpi = window_dpi(self.plotter.renderer)
        if dpi == self._dpi:
            return
        self._dpi = dpi
        line = self._line.prop
        line.line_width = device_pixels(LINE_OF_ACTION_WIDTH, dpi)
        line.point_size = device_pixels(LINE_OF_ACTION_ENDS, dpi)
        self._outline.actor.prop.line_width = device_pixels(OUTLINE_WIDTH, dpi)
        self._section.set_rim_width(device_pixels(RIM_WIDTH, dpi))

    def _drawn_for_labels(self) -> Hashable:
        """What the labels' points depend on, as a value (:class:`Anchors` gives a still layout back for the same):
        the pose (every mesh's place and shape), the cut, each structure's visibility and opacity (what a pick finds,
        and which caps are drawn), the camera and the window. Not the clipping range, which only bounds the picks'
        rays and always holds every visible prop."""
        camera = self.plotter.camera
        drawn = tuple(
            (item.actor.GetVisibility(), item.actor.GetProperty().GetOpacity()) for item in self._items.values()
        )
        view = (self._camera_pose(), camera.GetParallelProjection(), camera.GetParallelScale())
        plane = self._section.plane  # the cut as made (a plane no one sees while the idle work lays out a first cut)
        cut = None if plane is None else tuple(float(v) for v in np.concatenate(plane))
        return (self._result.pose, cut, drawn, view, tuple(self.plotter.window_size))

    def _label_anchors(self) -> dict[str, tuple[float, float]]:
        """Where each shown label's leader ends (display pixels, the window's camera); none with labels off. While
        the picture moves, the points found before are carried with their structures (:meth:`Anchors.solid`)."""
        return self._anchors.solid(self._labels.ids, moving=self.interactive) if self.state.labels else {}

    def _lay_out_overlays(
        self,
        window: tuple[int, int],
        anchors: dict[str, tuple[float, float]],
        static: bool = True,
        place: bool = True,
        leg: Coverage | None = None,
        scale: int = 1,
    ) -> None:
        """The labels (at ``anchors``, display pixels), the colour bar (moved clear of the leg when ``place``) and,
        when ``static``, the legend, laid out for a picture of ``window`` pixels. When ``place``, or given ``leg``
        (where the leg is drawn), the names may go in the free space round a leg the columns would be written over
        (:meth:`LeaderLabels.layout`); while the picture moves they keep to the columns, as the bar keeps its place,
        since finding the leg costs a few milliseconds and the free-space layout tens. ``scale``: ``window`` is a
        still that many times the window's size, ``leg`` the window's (:meth:`LeaderLabels.layout`)."""
        if static:
            self._legend.layout(window, self._legend_rows(), scale=scale)
        if place and leg is None and self._held_leg is not None:
            leg = self._held_leg
        if place and leg is None and (self._stretch.enabled or self.state.labels):
            leg = self._coverage(window, legend=False)
        if self._stretch.enabled:
            self._stretch.layout(window, self._with_legend(leg) if place and leg is not None else None, scale=scale)
        if self.state.labels:
            if self._held_leg is not None and self._labels.held == window:
                self._labels.lead(anchors)  # a movie's names stay where its first frame put them
                return
            # Face on, a slice is read with its names in columns either side, as atlases print one: names spread
            # round it in free space took leaders across the slice and each other.
            extent = self._stretch.extent(window)
            face_on = self.faces_cut()
            free = not face_on and self._held_leg is None  # a movie's names keep to their columns
            held = leg is not None and leg is self._held_leg  # not a layout drawn while moving, without the leg
            self._labels.layout(
                anchors,
                window,
                self._legend.top,
                extent,
                leg=leg,
                scale=scale,
                free=free,
                beside_slice=face_on,
                through_motion=held,
            )
            if held:
                self._labels.hold()
        else:
            self._labels.hide()

    def left_out(self) -> list[str]:
        """One line for each 2D overlay the last layout left out because it did not fit the picture (the labels,
        the legend, the colour bar: ``render --size 64x8192``), saying why; empty when all that is on was drawn."""
        return [f"{what} left out: {why}" for what, why in self.left_out_overlays().items()]

    def left_out_overlays(self) -> dict[str, str]:
        """What the last layout left out ("labels", "legend", "colour bar"), each with why; empty when all that is
        on was drawn."""
        parts = (
            ("labels", self._labels.left_out if self.state.labels else None),
            ("legend", self._legend.left_out),
            ("colour bar", self._stretch.left_out if self._stretch.enabled else None),
        )
        return {what: why for what, why in parts if why is not None}

    def _coverage(self, window: tuple[int, int], legend: bool = True) -> Coverage:
        """Where the leg (every structure drawn, by its triangles) and, if ``legend``, the legend are in the window,
        ``window`` pixels: where the colour bar would cover something, or (the leg alone) where labels should not
        be written."""
        coverage = Coverage(window, max(4.0, min(window) / 80))
        shown = [item for item in self._items.values() if item.actor.visibility]
        if shown:  # one call for all: its cost is mostly per call, not per triangle
            # A large bone by its coarse copy once it has one (a fifth of its triangles, within 0.22 mm of every
            # vertex of the bone: far less than a cell): the bones are 195,000 of the leg's 248,000 triangles.
            meshes = [item.coarse if item.coarse is not None else item.poly for item in shown]
            renderer, bodies = self.plotter.renderer, self._result.body_transforms  # a bone's actor's user matrix
            points = np.concatenate(
                [
                    project_to_display(renderer, mesh.points, bodies[item.body] if item.body else None)[:, :2]
                    for item, mesh in zip(shown, meshes, strict=True)
                ]
            )
            coverage.add_triangles(points, self._coverage_faces(shown, meshes))
        if legend:
            return self._with_legend(coverage)
        return coverage

    def _coverage_faces(self, shown: list[Item], meshes: list[pv.PolyData]) -> np.ndarray:
        """The triangles of ``meshes`` (``shown``'s, drawn or coarse) as one array indexing their points one after
        another. A mesh's triangles never change (a pose moves its points), so the array is kept for the last set of
        meshes: a still after a pose or a turn of the camera does not gather the leg's triangles again."""
        key = tuple(id(mesh) for mesh in meshes)
        if self._faces_for_coverage is None or self._faces_for_coverage[0] != key:
            first = np.cumsum([0, *(mesh.n_points for mesh in meshes[:-1])])
            faces = [
                item.faces if mesh is item.poly else mesh.regular_faces
                for item, mesh in zip(shown, meshes, strict=True)
            ]
            together = np.concatenate([f + start for f, start in zip(faces, first, strict=True)])
            self._faces_for_coverage = (key, together)
        return self._faces_for_coverage[1]

    def leg_coverage(self, into: Coverage | None = None) -> Coverage:
        """Where the leg is drawn in the picture now (the window's pixels), added to ``into`` when given (a
        coverage of the same window): called at each frame of a movie, the union of where it is in any frame."""
        width, height = self.plotter.window_size
        here = self._coverage((int(width), int(height)), legend=False)
        if into is None:
            return here
        if into.grid.shape != here.grid.shape:
            raise ValueError("a coverage of another window size")
        into.add_grid(here)
        return into

    def hold_overlays(self, leg: Coverage | None) -> None:
        """Lay the names and the colour bar out against ``leg`` (:meth:`leg_coverage` over every frame of a
        movie) rather than against each picture's own leg, and keep the names to their columns; None goes back to
        each picture's own. The caller renders.

        Why: a movie's frames are stills, each laid out for itself, so the colour bar jumped from corner to corner
        and the names between their columns and the free space as the leg moved (a knee sweep seen from the side),
        a flicker in the film. Held against where the leg goes in the whole movie, the bar keeps one place clear
        of it in every frame, as the window keeps it while a motion plays. The names are laid out once, at the
        first frame drawn, clear of that leg (:meth:`LeaderLabels.layout` shortens, moves or leaves out a name the
        columns would write over it), and kept there (:meth:`LeaderLabels.hold`), their leaders following their
        structures: laid out at each frame, the columns followed the foot and were written over it as it swept."""
        self._held_leg = leg
        self._labels.let_go()
        self._overlay_key = None

    def _with_legend(self, leg: Coverage) -> Coverage:
        """``leg`` and the legend's box: what the colour bar keeps clear of."""
        coverage = leg.copy()
        if self._legend.box is not None:
            coverage.add_box(self._legend.box)
        return coverage

    def _legend_rows(self) -> list[str]:
        """The legend rows whose colour is in the picture now."""
        kinds = {item.structure.kind for item in self._items.values() if item.actor.visibility}
        stretch = self._stretch.enabled  # muscles, the selected one too, take the colour bar's colours
        if "muscle" in kinds and not stretch:
            kinds.add("tendon")  # every muscle's own tendon is drawn in the tendon colour (by stretch, in the bar's)
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

    # --- following the viewer and the state ----------------------------------------------------------------
    def _on_result_changed(self, result: ViewResult) -> None:
        """The viewer's one result: the pose drawn, then the selection's look, then what is drawn and how opaque."""
        if not result.changed & {"pose", "selection", "appearance"}:
            return  # only the info panel's wording changed
        if "pose" in result.changed:
            self._draw_pose(result.pose)
        if "selection" in result.changed:
            self._apply_selection()
        revealed = False
        if result.changed & {"selection", "appearance"}:
            revealed = self._apply_appearance()
        if "appearance" in result.changed and revealed:
            # A label's point may be covered now. Not when structures were only hidden or faded: what a pick found
            # at a point is then still the front-most solid structure there (a layer hidden had every label's point
            # confirmed with a pick, ~13 picks in the first paint of the toggle, for no change).
            self._anchors.recheck()
        self._changed()

    def _on_labels_changed(self, *_: object) -> None:
        self._changed()  # the labels are laid out before the next render

    def _on_camera_changed(self, camera: Camera, *_: object) -> None:
        self._apply_camera(camera)
        self._changed()

    def _on_section_changed(self, *_: object) -> None:
        self._apply_section()
        self._anchors.recheck()  # a label's point may be cut away or covered now
        self._changed()

    # --- cross-section --------------------------------------------------------------------------------------
    def section_plane(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The state's section as a world plane (origin, unit normal towards the side cut away) in the pose
        shown, or None."""
        section = self.state.section
        if section is None:
            return None
        return self._leg_frame.plane(section, self._result.body_transforms[LEG_BODY])

    def leg_middle(self) -> np.ndarray:
        """The world point in the middle of the leg between knee and ankle, in the pose shown (a free plane starts
        through it)."""
        return self._leg_frame.middle(self._result.body_transforms[LEG_BODY])

    def faces_cut(self) -> bool:
        """Whether the camera looks at a cut face on (within about 10 degrees): from the side cut away, with the
        plane through some structure shown.

        Why both: the names of a slice seen face on keep to columns beside it and are shortened or left out rather
        than moved across it. Taken by the angle alone, a camera on the side kept (which sees the leg whole, its
        skin, not the cut) or a free plane that cuts nothing shown had its names laid out as a slice's, and a
        name left out was said not to fit "beside the slice" where no slice was drawn."""
        plane = self.section_plane()
        if plane is None or not self._section.capped():
            return False
        camera = self.plotter.camera
        direction = np.subtract(camera.focal_point, camera.position)
        return -float(direction @ plane[1]) > FACE_ON_COSINE * float(np.linalg.norm(direction))

    def section_camera(self, labels: bool | None = None, section: Section | None = None) -> Camera | None:
        """A camera that looks at ``section`` (the state's if None) face on, from the side cut away (None without
        one), with room beside the slice for the names when ``labels`` (the state's labels if None) are on, and for
        the colour bar when the muscles are coloured by stretch."""
        section = self.state.section if section is None else section
        if section is None:
            return None
        width, height = self.plotter.window_size
        transform = self._result.body_transforms[LEG_BODY]
        roomy = (self.state.labels if labels is None else labels) or self._stretch.enabled
        share = LABELLED_SECTION_SHARE if roomy else 1.0
        return self._leg_frame.camera(section, transform, max(width, 1) / max(height, 1), share=share)

    def frames_section(self, camera: Camera) -> bool:
        """Whether ``camera`` is a face-on framing of the state's section as :meth:`section_camera` makes them, for
        a window of any shape, with or without room for the names: looking at the same point from the same side
        with the same up, at the distance its own zoom puts it. So is one made on the other leg and mirrored (a
        fraction of a millimetre off: the left leg's meshes are not an exact mirror of the right's). A camera the
        user has turned, panned or zoomed since is not: a zoom changes the scale and not the distance."""
        framed = self.section_camera(labels=False)
        if framed is None or camera.view is not None or camera.parallel_scale is None:
            return False
        if camera.position is None or camera.focal_point is None or camera.view_up is None:
            return False
        assert framed.position is not None and framed.focal_point is not None and framed.view_up is not None
        assert framed.parallel_scale is not None
        focal, position = np.asarray(camera.focal_point), np.asarray(camera.position)
        framed_focal = np.asarray(framed.focal_point)
        sight, framed_sight = position - focal, np.asarray(framed.position) - framed_focal
        distance, framed_distance = float(np.linalg.norm(sight)), float(np.linalg.norm(framed_sight))
        tan_half = np.tan(np.radians(framed.view_angle) / 2.0)
        depth = framed_distance - framed.parallel_scale / tan_half  # beyond the cut: the same at any window shape
        up, framed_up = np.asarray(camera.view_up), np.asarray(framed.view_up)
        tolerance = FRAMING_TOLERANCE * framed.parallel_scale
        return (
            camera.view_angle == framed.view_angle
            and float(np.linalg.norm(focal - framed_focal)) <= tolerance
            and float(sight @ framed_sight) >= FRAMING_COSINE * distance * framed_distance
            and float(up @ framed_up) >= FRAMING_COSINE * float(np.linalg.norm(up) * np.linalg.norm(framed_up))
            and abs(distance - (camera.parallel_scale / tan_half + depth)) <= tolerance
        )

    def framed_for_now(self, camera: Camera) -> Camera:
        """``camera`` as this picture shows it: a face-on framing of the cut (:meth:`frames_section`: made in a
        window or picture of another shape, or with the names or the colour bar off when they are on now, or on)
        becomes this picture's framing of it (:meth:`section_camera`); any other camera, one the user turned or
        zoomed included, is kept as it is.

        The one rule for a view brought back (a view file, a bookmark, the window's last view, ``render --state``):
        taken as saved, the names were drawn over a slice framed without room for them, or most were left out."""
        if self.frames_section(camera):
            face_on = self.section_camera()
            if face_on is not None:
                return face_on
        return camera

    @property
    def section(self) -> SectionCaps:
        """The cut and its caps (which structures are capped, their cap actors)."""
        return self._section

    def _apply_section(self) -> None:
        self._section.update(self.section_plane())
        self._feed_bones()

    def _feed_bones(self) -> None:
        """Give each bone's mapper what is drawn of it now: its coarse copy while the picture moves (if it has one),
        its mesh otherwise, and nothing while a section cuts it away whole.

        Why nothing: the mappers' clipping plane drops what lies on the side cut away, but only after the GL has
        transformed and clipped every triangle of it. With the axial cut seen from behind that was the whole foot,
        26 bones, ~9 ms of a 45 ms frame under software GL (docs/performance.md, "The window with everything on"),
        for no pixel. What the mapper draws instead is a stand-in with the eight corners of the mesh's box and no
        triangles (eight points, cut away as well): nothing drawn, and the same bounds, so the camera's clipping
        range, the frustum culling and the picks' boxes are what they were. A pick never found a bone cut away
        whole (VTK's picker honours the clipping plane), and finds nothing in the stand-in.
        """
        meshes = [item.coarse if item.coarse is not None and self.interactive else item.poly for item in self._bones]
        away = self._cut_away_whole(meshes)
        for item, mesh, gone in zip(self._bones, meshes, away, strict=True):
            drawn = self._stand_in(mesh)[0] if gone else mesh
            if item.actor.mapper.GetInput() is not drawn:  # setting the same input again would upload it again
                item.actor.mapper.SetInputData(drawn)

    def _stand_in(self, mesh: pv.PolyData) -> tuple[pv.PolyData, np.ndarray]:
        """A bone mesh's stand-in while it is cut away whole (its box's corners, no triangles) and those corners
        (8, 3), in its body frame; made once per mesh (a bone's meshes never change in its body frame)."""
        kept = self._stand_ins.get(id(mesh))
        if kept is None or kept[0] is not mesh:
            low, high = np.array(mesh.GetBounds(), dtype=float).reshape(3, 2).T
            corners = np.array(
                [[x, y, z] for x in (low[0], high[0]) for y in (low[1], high[1]) for z in (low[2], high[2])]
            )
            # Eight vertex cells: VTK's mapper takes its bounds from the cells, so they are the mesh's; they lie on
            # the side cut away whenever the stand-in is used, so the clipping plane drops them as it did the mesh.
            stand_in = pv.PolyData(corners)
            kept = (mesh, stand_in, corners)
            self._stand_ins[id(mesh)] = kept
        return kept[1], kept[2]

    def _cut_away_whole(self, meshes: list[pv.PolyData]) -> np.ndarray:
        """For each bone (as ``self._bones``) drawn from ``meshes``, whether the section cuts all of it away: every
        corner of the mesh's box, placed in the pose shown, lies on the side cut away. All False without a cut."""
        if self._section.plane is None or not self._bones:
            return np.zeros(len(self._bones), dtype=bool)
        transforms = self._result.body_transforms  # what the bones' actors hold
        pairs = zip(self._bone_bodies, meshes, strict=True)
        corners = [to_world(transforms[body], self._stand_in(mesh)[1]) for body, mesh in pairs]  # (8, 3) each
        return np.asarray(self._section.removed(np.concatenate(corners)).reshape(len(meshes), -1).all(axis=1))

    # --- appearance -----------------------------------------------------------------------------------------
    def _apply_appearance(self) -> bool:
        """Visibility, opacity and the selection's patches, outline and caps as the viewer's result says; True when a
        structure is drawn now that was not, or more opaque than it was (what could cover a label's point)."""
        state, result = self.state, self.viewer.result
        revealed = False
        for structure_id, item in self._items.items():
            opacity = result.opacity[structure_id]
            visible = result.drawn(structure_id)
            if visible and (not item.actor.visibility or opacity > item.actor.prop.opacity):
                revealed = True
            item.actor.visibility = visible
            item.actor.prop.opacity = opacity
            item.actor.pickable = visible
            if visible and item.normals_stale:  # moved while hidden
                shade_soft(item)
        selection = result.selection
        selected = self._items.get(selection) if selection else None
        # A hidden selection keeps being the selection (the info panel, the plots) but nothing of it is drawn: not its
        # outline, not its line of action, not the patches where it attaches.
        show_selection = selected is not None and bool(selected.actor.visibility)
        self._outline.actor.visibility = show_selection
        if selection is not None or self.attachment_highlight is not None:
            self._build_footprints()
        for footprint, actor in self._footprints:
            bone_visible = bool(self._items[footprint.bone_id].actor.visibility)
            relevant = show_selection and selection in (footprint.structure_id, footprint.bone_id)
            relevant |= self.attachment_highlight == (footprint.structure_id, footprint.role, footprint.index)
            actor.visibility = relevant and bone_visible
            actor.prop.opacity = self._items[footprint.bone_id].actor.prop.opacity
        self._line.visibility = show_selection and selection in self._result.muscles
        ghosts = self._ghosts.sync()
        self._overlay.SetDraw(bool(self._line.visibility) or ghosts)  # an empty layer still costs a pass per frame
        if state.section is not None:  # caps follow the structures' visibility, colour and opacity
            self._apply_section()
        return revealed

    def _apply_selection(self) -> None:
        previous, selection = self._highlighted, self.viewer.result.selection
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
        path = self.viewer.result.selected_path
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
        render_window(self.plotter).RemoveRenderer(self._overlay)

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
        self._section.recolour()  # the caps take the muscles' new colours
        self._changed()

    def _paint_stretch(self) -> None:
        if self._stretch.enabled:
            from calfviewer.musculoskeletal.sweep import normalised_lengths

            actors = {sid: (item.actor, item.material) for sid, item in self._items.items()}
            self._stretch.paint(actors, normalised_lengths(self._result, self.viewer.model))

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
            matrix.DeepCopy(result.body_transforms[stem].ravel().tolist())

    def update_pose(self, pose: Pose) -> None:
        """Show ``pose`` (raises PoseError for an out-of-range angle): the state's pose, which the viewer poses."""
        self.state.pose = pose

    def _draw_pose(self, result: PoseResult) -> None:
        """Move bones and deform soft tissue to ``result`` (the viewer's answer), in place."""
        self._result = result
        self._set_body_matrices(result)
        for structure_id, points in self.geometry.soft_points(result).items():
            item = self._items.get(structure_id)
            if item is None:
                continue
            move_soft(item, points, shade=bool(item.actor.GetVisibility()))
        self._paint_stretch()
        self._update_line_of_action()
        if self.state.section is not None:
            self._apply_section()
        if self._named_view_left():
            # A named view frames the leg in the pose shown, so the picture depends on the state alone (not on
            # the pose the view was chosen in); a camera the user has moved stays where it is.
            self._apply_camera(self.state.camera)

    # --- camera (framing.py does the work) ----------------------------------------------------------------------
    def view(self, name: str) -> None:
        """Frame the calf, knee to heel, from a standard view (posterior, anterior, medial, lateral).

        Applied even when the state already names this view (a mouse orbit moves the camera without going through
        the state, so assigning the same name again would be no change and emit nothing), and applied once: through
        the state's event when the name is new, here when it is not.
        """
        camera = Camera.named(name)
        if self.state.camera != camera:
            self.state.camera = camera  # _on_camera_changed applies it
        else:
            self._apply_camera(camera)
            self._changed()

    def reset_camera(self) -> None:
        """Back to the standard view the state names (posterior if the state holds an explicit camera)."""
        self.view(self.state.camera.view or "posterior")

    def camera_state(self) -> Camera:
        """The camera as it is now (after the user orbited, say), as an explicit :class:`Camera`."""
        return framing.camera_of(self.plotter.camera)

    def frame_bounds(self) -> np.ndarray:
        """World box (min xyz, max xyz) the standard views fit: knee to toes in the current pose."""
        return framing.frame_bounds(self._items.values())

    def hold_framing(self, motion: Motion | None) -> None:
        """Frame a named view on the leg over the whole of ``motion``, so the leg stands still in the picture and
        the foot moves in it; None lets go, and the leg is framed as shown, as a still is. Fitted to each frame's
        pose, the view moved and zoomed the whole leg as the foot swung (by a sixth of the picture over
        plantarflexion 40 to dorsiflexion 30), under the student's hand while a scrub went on too.

        The window follows its playback's watched motion (:attr:`Playback.watched`, the one rule: held from play, a
        scrub, a step or a click's action until a pose is set by other means or another motion is chosen); a movie
        holds the motion it films. Holding the motion already held keeps its box, so a scrub after a pause does not
        move the picture."""
        if motion is None:
            if self._held is None:
                return
            self._held = None
        elif self._held is not None and self._held[0] == motion:
            return
        else:
            halves = 2 * max(len(motion.keys) - 1, 0)  # each key pose and each half way between two (the arcs' bulge)
            poses = dict.fromkeys(motion.pose_at(k * motion.leg_seconds / 2, loop=False) for k in range(halves + 1))
            model = self.viewer.model
            pairs = zip(self._bone_bodies, self._bones, strict=True)
            bones = [(body, self._stand_in(item.poly)[1]) for body, item in pairs]  # mesh box corners, body frame
            transforms = [model.pose(pose).body_transforms for pose in poses]
            self._held = (motion, framing.motion_bounds(self.frame_bounds(), bones, transforms))
        if self._named_view_left():
            self._apply_camera(self.state.camera)
            self._changed()

    @contextlib.contextmanager
    def framed_as_still(self) -> Iterator[None]:
        """Within the block, a named view held over a motion (:meth:`hold_framing`) is framed on the pose shown, as
        a still is; after it, held again as before, with the same box. For a picture of the view as a view file or
        a bookmark brings it back: it stores the view's name and the pose, and restoring it lets go of the motion.
        A camera the user moved is not touched."""
        held = self._held
        if held is None or not self._named_view_left():
            yield
            return
        self._held = None
        self._apply_camera(self.state.camera)
        try:
            yield
        finally:
            self._held = held
            if self._named_view_left():
                self._apply_camera(self.state.camera)
            self._changed()

    def _named_view_left(self) -> bool:
        """Whether the camera is a named view as :meth:`_apply_camera` framed it, not moved by the user since: such a
        view is framed again when what it frames changes (the pose, the window's size, a motion playing)."""
        return self._framed is not None and self._framed[1] == self._camera_pose()

    def _apply_camera(self, camera: Camera) -> None:
        if camera.view is None:
            framing.put_camera(self.plotter.camera, camera)
        else:
            direction = framing.view_direction(camera.view, self.model.side)
            box = self._held[1] if self._held is not None else self.frame_bounds()
            framing.frame(self.plotter.camera, box, direction, camera.view_angle, self.plotter.window_size)
        self.plotter.renderer.ResetCameraClippingRange()
        self._framed = (tuple(self.plotter.window_size), self._camera_pose()) if camera.view else None

    # --- labels (anchors.py finds where each one points) ---------------------------------------------------------
    def visible_point(self, structure_id: str) -> tuple[float, float] | None:
        """Display pixel (y from the bottom) of a point in the middle of what can be seen of a structure, or None
        (:meth:`calfviewer.scene.anchors.Anchors.visible_point`)."""
        return self._anchors.visible_point(structure_id)

    def prepare_for_interaction(self) -> bool:
        """Build what a click and the session's first cut need and the first frame does not, one piece per call: the
        bones' cell locators and attachment patches, the section's caps (~30 ms), the caps cut where the first
        axial cut comes, one frame cut and then one uncut that no one sees (the GL's programs for the first cut, one
        render a piece: :meth:`_rehearse_cut`), the bones' coarse copies taken in one per call as a worker thread makes
        them (:class:`CoarseCopies`; a call with the next still being made does nothing), and with the
        names shown, each standard plane's names found for its first cut (:meth:`_lay_out_first_cut`). True when
        everything is built.

        The app calls this when idle, again until it says True, so neither start-up nor a click waits long for it.
        The first cut's pieces come before the coarse copies: a cut in the first seconds finds them done.
        """
        if not self._footprints_built:  # the attachment patches, a few a piece
            self._build_footprints(FOOTPRINTS_A_PIECE)
            return False
        stale = [item for item in self._bones if item.locator_stale]
        if stale:  # the bones' cell locators, one piece (~10 ms)
            for item in stale:
                build_locator(item)
            return False
        if self._section.prepare():  # the section's caps: made, one piece
            return False
        if self._rehearse_cut():
            return False
        if not self._coarse.started:  # made on a worker thread (coarse_copies.py); taken in here as they come
            self._coarse.start()
        made = self._coarse.take()
        if made is not None:
            item, (item.coarse, locator) = made
            self._picker.add_drawn_copy(item.coarse, locator)  # picks while it is drawn: through a locator
            self._feed_bones()
            return False
        if self._coarse.pending:  # the next copy still being made: nothing to take in now
            return False
        return not self._lay_out_first_cut()  # last, the names of each plane's first cut; else all is built

    def _first_cut_plane(self, kind: str) -> tuple[np.ndarray, np.ndarray]:
        """The world plane of the session's first ``kind`` cut (the Section menu's, at its default position)."""
        return self._leg_frame.plane(Section(kind, DEFAULT_POSITION), self._result.body_transforms[LEG_BODY])

    def _rehearse_cut(self) -> bool:
        """One piece of the rehearsal of the session's first cut, True when it did one: the caps cut at each standard
        plane's first cut (one plane a piece; each cap keeps them), then one frame drawn with the axial cut, then the
        same frame uncut, each frame into VTK's own framebuffer only, so that the session's first cut finds the GL's
        programs for clipped surfaces, caps and rims made (:meth:`SectionCaps.unseen`) and its caps cut.
        Nothing is done once the session has cut.

        Why the uncut frame too: after the cut one, each mapper takes its uncut program back and the bones their
        meshes again (a cut draws the bones it cuts away whole as stand-ins) at its next frame, ~20 ms more than a
        frame; drawn here, that is idle time and not the user's next click. It is drawn in a piece of its own (the
        two renders in one piece held the event loop ~155 ms), and not at all if a frame was drawn since.

        Never shown: with ``SwapBuffers`` off VTK leaves a frame in its render framebuffer, and what the widget
        shows (and the next paint replaces) is its display framebuffer, untouched; pyvistaqt schedules no paint for
        such a frame. The overlays are not laid out for them: they show no state. Each is waited for: llvmpipe draws a
        frame that is not swapped at the next flush, which was the next paint's (~20 ms before its render began)."""
        step = self._rehearsal
        if step == "done" or self._section.first_cut_made:
            return False
        if step == "caps":
            # The cuts of each standard plane's first cut, one plane a piece (~6-18 ms of CPU each), the axial last: the
            # frame below is cut there.
            self._section.cut_ahead(self._first_cut_plane(self._caps_ahead.pop(0)))
            if not self._caps_ahead:
                self._rehearsal = "cut"
        elif step == "cut":
            with self._section.unseen(self._first_cut_plane("axial"), drawn=True):
                self._draw_unseen()
            self._feed_bones()  # the bones it cut away whole: their meshes back for any paint before the next piece
            self._rehearsal = "uncut"
            self._frames_at_rehearsal = self._frames
        else:
            self._rehearsal = "done"
            if self._frames != self._frames_at_rehearsal:  # a frame was drawn since the cut one: it paid for it
                return False
            self._draw_unseen()
        return True

    def _draw_unseen(self) -> None:
        """Draw one frame that no one sees (:meth:`_rehearse_cut`)."""
        window = render_window(self.plotter)
        self._feed_bones()  # bones cut away whole drawn as a cut draws them, and back after it
        swap = window.GetSwapBuffers()
        window.SetSwapBuffers(False)
        self._rehearsing = True
        try:
            window.Render()
            # Drawn now: llvmpipe keeps a frame that is not swapped to draw at the next flush, the next paint's.
            window.WaitForCompletion()
        finally:
            self._rehearsing = False
            window.SetSwapBuffers(swap)

    def _lay_out_first_cut(self) -> bool:
        """With the names shown and no cut made yet, find the names' points of one standard plane's first cut as the
        Section menu makes it (its default position, the camera face on, :meth:`section_camera`), with that cut
        and camera set for the picks alone and put back after, nothing drawn; True when it laid one out. The
        first cut of that plane then finds its layout made (:meth:`Anchors.lay_out_ahead`), if the pose, what is
        shown, the window and the names are the same by then. Each plane once a session: idle time after a later
        change (a new pose) is not spent on it again.

        Why: a new plane's first layout found each name's point by picks, ~100 for the first sagittal or coronal
        cut (~70 ms of CPU, more than the rest of the cut), where a later one gave a remembered layout back
        (docs/performance.md, "The first cut of each plane")."""
        if not self.state.labels or self.state.section is not None or self._section.first_cut_made:
            return False
        for kind in ("sagittal", "coronal", "axial"):  # the caps of each were cut ahead and are kept (cut_cap.Cap)
            if kind in self._laid_out_ahead:
                continue
            self._laid_out_ahead.add(kind)
            plane = self._first_cut_plane(kind)
            camera = self.section_camera(section=Section(kind, DEFAULT_POSITION))
            assert camera is not None
            kept = vtkCamera()
            kept.DeepCopy(self.plotter.camera)
            framed = self._framed
            try:
                with self._section.unseen(plane):
                    self._apply_camera(camera)
                    self._anchors.lay_out_ahead(self._labels.ids)
            finally:
                self.plotter.camera.DeepCopy(kept)
                self._framed = framed
            return True
        return False

    def coarse_triangles(self) -> int:
        """How many triangles the scene's visible structures draw now (coarse copies where they are in use)."""
        return sum(
            (item.coarse if item.coarse is not None and self.interactive else item.poly).n_cells
            for item in self._items.values()
            if item.actor.visibility
        )

    # --- queries for tests and widgets ------------------------------------------------------------------------
    def item(self, structure_id: str) -> Item:
        """How ``structure_id`` is drawn: its actor, mesh, material, body and (bones) cell locator."""
        return self._items[structure_id]

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
            centre = to_world(matrix, centre)
        return centre

    def to_display(self, world: np.ndarray) -> tuple[float, float]:
        """World point -> display pixel (VTK convention, y from the bottom)."""
        renderer = self.plotter.renderer
        renderer.SetWorldPoint(*np.asarray(world, dtype=float), 1.0)
        renderer.WorldToDisplay()
        x, y, _ = renderer.GetDisplayPoint()
        return float(x), float(y)

    # --- picking (picking.py does the work) ----------------------------------------------------------------------
    def pick(self, x: float, y: float) -> str | None:
        """The id of the front-most structure drawn at display pixel (x, y, from the bottom), or None
        (:meth:`calfviewer.scene.picking.Picker.pick`)."""
        return self._picker.pick(x, y)

    @property
    def anchors(self) -> Anchors:
        """Where each structure can be seen on screen, a part of its own as :attr:`picker` is: the labels' points
        (``solid``, and ``found``: what each was found on, carried while the picture moves) and
        :meth:`visible_point`."""
        return self._anchors

    @property
    def picker(self) -> Picker:
        """The scene's picking, a part of its own as :attr:`section` and :attr:`labels` are: besides :meth:`pick`,
        ``shows`` (whether a pixel shows a structure: the labels' question, answered sooner for a bone) and
        ``locator_of`` (the cell locator a coarse copy drawn while the picture moves is picked through)."""
        return self._picker

    @property
    def last_pick_ms(self) -> float:
        """How long the last pick took, for the status bar and benchmarks."""
        return self._picker.last_pick_ms
