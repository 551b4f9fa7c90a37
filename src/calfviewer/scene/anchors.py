"""Where a structure can be seen on screen: the point a label's leader ends on, and what tests and widgets use to
find a structure in the picture (a 3D centroid can fall outside a curved muscle's outline).

Split from ``anatomy_scene.py`` by job; it reads the drawn meshes and confirms each candidate with a pick. While the
picture moves, the labels' points found before are carried with their structures instead (:meth:`Anchors.solid`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from calfviewer.musculoskeletal.frames import to_world, turned
from calfviewer.scene.actors import Item, vertex_areas
from calfviewer.scene.overlays import project_to_display
from calfviewer.viewer.view_state import PICK_OPACITY

if TYPE_CHECKING:
    from calfviewer.scene.section_caps import SectionCaps


#: How far (pixels) round a candidate point the picks must still find its structure for the point to count as inside
#: its outline: two pixels clear a 3 x 3 block read round the point, and a label's leader ending there.
SURROUND_PX = 2.0
#: How far inside the picture's edge (a fraction of its smaller side) a label's point must lie.
EDGE = 0.04
#: What a label's point found by a search was, kept to be carried while the picture moves: a vertex of the
#: structure's mesh (its index), the middle of its section cap, or nothing of it to be seen.
CAP = "cap"
_Found = int | str | None
#: A still layout: the points, and what each search found.
_Layout = tuple[dict[str, tuple[float, float]], dict[str, _Found]]
#: While the picture moves, how many structures found hidden before try the middle of their cap again at each layout
#: (one pick each, taken in turn): a playing motion uncovers cut faces (the deep muscles' caps seen past the
#: gastrocnemius as the foot points down), and their labels come within a few frames, not only when it stops.
CAP_RETRIES = 2
#: How many still layouts are remembered by what they were made in (:meth:`Anchors.solid`): a layer hidden and shown
#: again, back and forth, needs two.
REMEMBERED = 4
#: How many layouts made in advance are kept (:meth:`Anchors.lay_out_ahead`): the first cut of each standard plane.
AHEAD = 3


class Anchors:
    """Finds visible points of the structures in ``items`` drawn on ``plotter``, each confirmed by ``shows(x, y,
    structure_id)``: whether a pick at that display pixel finds that structure; with a ``section``, a cut
    structure's point is on its cap, and nothing on the side cut away counts. ``drawn`` (optional) says what the
    picks and the projection depend on (the camera, the pose, what is drawn and how opaque, the cut, the window) as a
    hashable value: a still layout made in a picture drawn the same way as a remembered one is given back without a
    pick (:meth:`solid`)."""

    def __init__(
        self,
        plotter: Any,
        items: Mapping[str, Item],
        shows: Callable[[float, float, str], bool],
        section: SectionCaps | None = None,
        drawn: Callable[[], Hashable] | None = None,
    ) -> None:
        self.plotter = plotter
        self._items = items
        self.shows = shows
        self.section = section
        self._drawn = drawn
        # Still layouts by (labels, what was drawn): the points, and what each search found and its vertex.
        self._still: OrderedDict[Hashable, _Layout]
        self._still = OrderedDict()
        self._ahead: dict[Hashable, _Layout] = {}  # still layouts made in advance (lay_out_ahead), until used
        # Each structure's area round each vertex (the search's weights), and the time its points were last written:
        # a soft structure's triangles stretch and shrink with the pose.
        self._areas: dict[str, tuple[int, np.ndarray]] = {}
        self._found: dict[str, _Found] = {}  # what the last search for each label's point found, carried when moving
        self._retries = 0  # how many caps of structures found hidden have been tried again while moving (the turn)
        self._unconfirmed: set[str] = set()  # kept points to confirm with a pick: what is drawn changed since

    @property
    def found(self) -> Mapping[str, _Found]:
        """What the last search for each label's point found (a vertex index, :data:`CAP`, or None: nothing of the
        structure to be seen), which the frames drawn while the picture moves carry instead of searching again."""
        return MappingProxyType(self._found)

    def recheck(self) -> None:
        """What is drawn changed (a layer shown or hidden, faded, a cut moved): each label's point kept may be covered
        or cut away now, so the next layout confirms it with a pick (and searches again where that fails)."""
        self._unconfirmed = set(self._found)

    def solid(self, structure_ids: Iterable[str], moving: bool = False) -> dict[str, tuple[float, float]]:
        """Display pixel of a visible point on each of ``structure_ids`` that is drawn solid (the labels' ends).

        Each is found by :meth:`visible_point` (picks) and what was found is kept. With ``moving`` (frames drawn
        for motion: a drag, playback), a structure's point found before is carried instead: the same vertex of its
        mesh, posed and projected, or the middle of its cap, kept while it is on screen, faces the camera and is
        not cut away, with no pick; after a change of what is drawn (:meth:`recheck`: the first paint of a toggle is
        drawn for motion) with one pick, to confirm it. One that was found hidden stays unlabelled until the
        picture is still, except that :data:`CAP_RETRIES` of those with a cap shown try its middle again (one pick
        each, in turn). Only a structure with nothing kept, or whose carried point fails those checks, is searched
        (up to 32 picks for a hidden one). A playback frame laid out its labels with ~16 picks, ~38 ms
        (docs/performance.md, "The window with everything on"); the still picture that follows is laid out by
        the picks as before.

        A still layout is remembered (the last :data:`REMEMBERED`) by the labels and what ``drawn`` says of the
        picture. A layout, still or moving, asked in a picture drawn the same way is that one given back, and what
        its searches found kept again, with no pick: a layer shown again before the camera, the pose or the cut
        changed has the points it had before it was hidden (each confirmed by picks in that same picture), where
        its first paint confirmed every kept point with a pick and the still picture searched every label again."""
        structure_ids = list(structure_ids)
        key = (tuple(structure_ids), self._drawn()) if self._drawn is not None else None
        remembered = self._still.get(key) if key is not None else None
        if remembered is None and key in self._ahead:
            remembered = self._still[key] = self._ahead.pop(key)
        if remembered is not None:
            self._still.move_to_end(key)
            kept, found = remembered
            self._found.update(found)
            self._unconfirmed.difference_update(found)
            return dict(kept)
        anchors = {}
        shown = []
        for sid in structure_ids:
            actor = self._items[sid].actor
            if actor.visibility and actor.prop.opacity >= PICK_OPACITY:
                shown.append(sid)
        carried = self._carried([sid for sid in shown if sid in self._found]) if moving else {}
        for sid in [sid for sid in carried if sid in self._unconfirmed]:
            point = carried[sid]
            if point is not None and not self.shows(point[0], point[1], sid):
                del carried[sid]  # covered or cut away now: searched below
        if moving and self.section is not None and self.section.plane is not None:
            capped = set(self.section.capped())
            hidden = [sid for sid in shown if sid in capped and sid in carried and carried[sid] is None]
            for n in range(min(CAP_RETRIES, len(hidden))):
                sid = hidden[(self._retries + n) % len(hidden)]
                carried[sid] = self._cap_point(sid)
                if carried[sid] is not None:
                    self._found[sid] = CAP
            self._retries += CAP_RETRIES
        for sid in shown:
            if sid in carried:
                anchor = carried[sid]
            else:
                anchor, self._found[sid] = self._search(sid)
            if anchor is not None:
                anchors[sid] = anchor
        self._unconfirmed.difference_update(shown)
        if key is not None and not moving:  # every point found by a search, in this picture
            self._still[key] = (dict(anchors), {sid: self._found[sid] for sid in shown})
            while len(self._still) > REMEMBERED:
                self._still.popitem(last=False)
        return anchors

    def lay_out_ahead(self, structure_ids: Iterable[str]) -> None:
        """Find the points of ``structure_ids`` in the picture as set up now (a camera and a cut no one sees) and
        keep that layout until a layout is asked in a picture drawn the same way (:meth:`solid` gives it back, with
        no pick), without being pushed out by the layouts made meanwhile; what is carried while the picture moves
        stays as it was. Why: the window finds the names of each plane's first cut while idle (a new plane's
        first layout took ~100 picks, ~70 ms, docs/performance.md, "The first cut of each plane")."""
        if self._drawn is None:
            return
        structure_ids = list(structure_ids)
        key = (tuple(structure_ids), self._drawn())
        if key in self._ahead or key in self._still:
            return
        kept = (dict(self._found), set(self._unconfirmed), self._retries)
        still = self._still.copy()
        try:
            self.solid(structure_ids)  # as the first layout of that picture would find them
            self._ahead[key] = self._still[key]
            while len(self._ahead) > AHEAD:
                del self._ahead[next(iter(self._ahead))]
        finally:
            self._still = still
            self._found, self._unconfirmed, self._retries = kept

    def _carried(self, structure_ids: list[str]) -> dict[str, tuple[float, float] | None]:
        """The kept point of each of ``structure_ids`` where it is now (None: found hidden before), for those whose
        point still passes the cheap checks; the others are left out (to be searched)."""
        out: dict[str, tuple[float, float] | None] = {}
        world: list[np.ndarray] = []
        facing: list[bool] = []
        whose: list[str] = []
        cam = np.asarray(self.plotter.camera.position, dtype=float)
        for sid in structure_ids:
            found = self._found[sid]
            if found is None:
                out[sid] = None
                continue
            if found == CAP:
                inner = self.section.inner_point(sid) if self.section is not None else None
                if inner is None or self.section is None:
                    continue
                world.append(np.asarray(inner, dtype=float))
                facing.append(bool(self.section.removed(cam)[0]))  # a cap is seen from the side cut away
                whose.append(sid)
                continue
            item = self._items[sid]
            assert isinstance(found, int)
            point = np.asarray(item.poly.points[found], dtype=float)
            normal = np.asarray(item.poly.point_data["Normals"][found], dtype=float)
            if item.body is not None:
                matrix = np.asarray(item.actor.user_matrix)
                point = to_world(matrix, point)
                normal = turned(matrix, normal)
            world.append(point)
            facing.append(float(normal @ (cam - point)) > 0.0)
            whose.append(sid)
        if not whose:
            return out
        points = np.array(world)
        display = project_to_display(self.plotter.renderer, points)
        kept = np.array(facing) & self._well_inside(display)
        if self.section is not None:
            cut = np.array([self._found[sid] != CAP for sid in whose])  # a cap lies on the plane itself
            kept &= ~(cut & self.section.removed(points))
        for sid, ok, (x, y, _) in zip(whose, kept, display, strict=True):
            if ok:
                out[sid] = (float(x), float(y))
        return out

    def visible_point(self, structure_id: str) -> tuple[float, float] | None:
        """Display pixel (y from the bottom) of a point in the middle of what can be seen of a structure.

        Candidates are the camera-facing vertices nearest the area-weighted middle of the structure on screen;
        the first that a pick confirms is the structure's own wins. None when nothing of it can be seen. Label
        leaders end here; tests and widgets use it to find a structure on screen (a 3D centroid can fall outside
        a curved muscle's outline).
        """
        return self._search(structure_id)[0]

    def _search(self, structure_id: str) -> tuple[tuple[float, float] | None, _Found]:
        """:meth:`visible_point`, and what it found (for :meth:`solid` to carry while the picture moves)."""
        cap = self._cap_point(structure_id)
        if cap is not None:
            return cap, CAP
        item = self._items[structure_id]
        points = np.asarray(item.poly.points)
        normals = np.asarray(item.poly.point_data["Normals"])
        if item.body is not None:
            matrix = np.asarray(item.actor.user_matrix)
            points = to_world(matrix, points)
            normals = turned(matrix, normals)
        cam = self.plotter.camera
        to_camera = np.asarray(cam.position) - points
        to_camera /= np.linalg.norm(to_camera, axis=1, keepdims=True)
        # Clearly facing the camera (not grazing): such a point lies well inside the outline, not on its edge.
        facing = (normals * to_camera).sum(axis=1) > 0.4
        if self.section is not None:
            facing &= ~self.section.removed(points)  # not drawn
        display = project_to_display(self.plotter.renderer, points)
        on_screen = facing & self._well_inside(display)
        candidates = np.flatnonzero(on_screen)
        if len(candidates) == 0:
            return None, None
        xy = display[candidates, :2]
        # Area-weighted: the leader points at the belly, not at the long thin tendon that shares the mesh.
        weights = self._vertex_areas(structure_id)[candidates]
        centre = (xy * weights[:, None]).sum(axis=0) / max(float(weights.sum()), 1e-12)
        order = candidates[np.argsort(np.linalg.norm(xy - centre, axis=1))]
        # Up to 24 tries spread over every candidate, nearest the middle first: a bone mostly hidden behind muscle
        # (the fibula from the side) shows only at one end, far from its middle. A point whose neighbours a few
        # pixels away are the structure too wins over one on its outline (where the pixel is half background, or
        # half the muscle in front); a structure too thin on screen for that takes the first point a pick confirms.
        # If none of those shows, 8 more half-way between them, spread as widely (the soleus from behind shows only
        # in strips at both sides of gastrocnemius and below it, which the first spread can step over); a hidden
        # structure costs 32 picks, not 48, each time the labels are laid out.
        step = max(1, len(order) // 24)
        spreads = [order[::step][:24]]
        if step > 1:
            spreads.append(order[step // 2 :: step][:24:3])
        fallback = None
        for spread in spreads:
            if fallback is not None:
                break
            for index in spread:
                x, y = display[index, :2]
                if not self.shows(x, y, structure_id):
                    continue
                if self._surrounded(structure_id, x, y):
                    return (float(x), float(y)), int(index)
                fallback = fallback if fallback is not None else int(index)
        if fallback is None:
            return None, None
        return (float(display[fallback, 0]), float(display[fallback, 1])), fallback

    def _vertex_areas(self, structure_id: str) -> np.ndarray:
        """The area round each vertex of a structure's mesh as it is posed now (a third of each triangle's round
        it), made again when its points were written since (a soft structure posed: its triangles stretch and
        shrink).

        Why not once: the areas of the pose the first labels were laid out in weighted every later search, so
        where a label's leader ended at a pose depended on the pose the labels were first switched on in."""
        item = self._items[structure_id]
        written = item.poly.GetPoints().GetMTime()
        kept = self._areas.get(structure_id)
        if kept is None or kept[0] != written:
            kept = self._areas[structure_id] = (written, vertex_areas(np.asarray(item.poly.points), item.faces))
        return kept[1]

    def _cap_point(self, structure_id: str) -> tuple[float, float] | None:
        """The display pixel of the middle of a cut structure's cap when a pick there finds the structure (one pick);
        None without a cut, a cap, or where that point is off the picture or something else is drawn there."""
        if self.section is None or self.section.plane is None:
            return None
        inner = self.section.inner_point(structure_id)
        if inner is None:
            return None
        display = project_to_display(self.plotter.renderer, inner[None, :])
        x, y = display[0, :2]
        return (float(x), float(y)) if self._well_inside(display)[0] and self.shows(x, y, structure_id) else None

    def _well_inside(self, display: np.ndarray) -> np.ndarray:
        """Which display points (N, 2 or more) lie more than :data:`EDGE` of the picture's smaller side inside it:
        a leader's end there is not lost at the picture's edge."""
        width, height = self.plotter.window_size
        margin = EDGE * min(width, height)
        x, y = display[:, 0], display[:, 1]
        return (x > margin) & (x < width - margin) & (y > margin) & (y < height - margin)

    def _surrounded(self, structure_id: str, x: float, y: float, step: float = SURROUND_PX) -> bool:
        """Whether picks ``step`` pixels left, right, above and below ``(x, y)`` all find ``structure_id``."""
        return all(
            self.shows(x + dx, y + dy, structure_id) for dx, dy in ((step, 0), (-step, 0), (0, step), (0, -step))
        )
