"""Measuring the calf's shapes the way an atlas or an ultrasound study would: on the meshes, not on the code.

Plain functions over world-frame ``trimesh.Trimesh`` meshes keyed by structure id (trimesh, numpy, scipy and
manifold3d; no VTK). ``tests/geometry/test_anatomy_shapes.py`` holds the shapes to the numbers of the anatomy
issue with them; run this file to print every number for a developer tuning the shapes::

    PYTHONPATH=src python tests/geometry/anatomy_measures.py [--pose PF,KNEE ...]

Conventions (checked on the data, right leg, neutral pose): world z is up (the knee above the ankle), +y is
posterior (the calcaneus lies behind the talus, the toes in front), +x is medial (the fibula lies at smaller x than
the tibia). The left leg mirrors x. Lengths are metres in and out unless a name says ``_mm``.

Definitions (each test quotes the one it relies on):

* **Level**: a fraction of the leg from the knee joint line (0) to the ankle joint line (1), taken at the tibia and
  talus body origins (``leg_levels``). Sections are horizontal, so the levels only mean something while the shank
  is upright (any ankle angle, the knee nearly straight); ``leg_levels`` refuses a shank tilted more than 10 degrees.
* **Section area**: the area enclosed by the section's loops (even-odd rule, so a loop inside another is a hole).
* **Width along the curve** (``Section.width``): the length of the longest path along the section's medial axis
  (the Voronoi vertices of densely sampled boundary points that lie inside the section), extended at each end by
  the radius of the inscribed circle there. For a bent strip of constant thickness this is its length along the
  mid-line plus 0.4-0.5 x its thickness at square ends (the axis runs into the corners); for a crescent, the
  tip-to-tip length along its middle; for an ellipse, its major axis. It is measured on the largest piece when a
  section has several.
* **Thickness** (``Section.thickness``): the diameter of the largest circle inscribed in the section, i.e. the
  thickest place, as an ultrasound study measures a muscle between its aponeuroses or a tendon front to back.
  ``Section.mean_thickness`` (area / width) is reported too.
* **Gap between two muscles** (``section_gap``): at a level, the shortest distance between the outlines of their
  horizontal sections (0 where one's outline enters the other).
* **Contact share** (``contact_share``): at a level, the share of a structure's section outline (sampled every
  0.5 mm) that lies within 2 mm of another structure's section or inside it: how much of its boundary meets a
  neighbour or a bone, as the faces of packed muscles meet along the intermuscular septa.
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import trimesh

#: Soft structures whose overlap with the calcaneal tendon is by design: their tendon tails run inside it.
TUCKED_INTO_TENDON = ("gastrocnemius_medial_head", "gastrocnemius_lateral_head", "soleus")
TENDON = "calcaneal_tendon"
POSTERIOR = np.array([0.0, 1.0, 0.0])
UP = np.array([0.0, 0.0, 1.0])


# --------------------------------------------------------------------------------------------------------------
# Meshes of a pose


def world_meshes(geometry, result) -> tuple[dict[str, trimesh.Trimesh], dict[str, trimesh.Trimesh]]:
    """(soft, bones): every muscle/tendon and every bone as a world-frame mesh in ``result``'s pose.

    Soft tissue is posed through the public ``SceneGeometry.soft_points``; bones are moved by their body's
    transform in ``result.body_transforms``.
    """
    points = geometry.soft_points(result)
    soft = {
        k: trimesh.Trimesh(np.asarray(points[k], float), np.asarray(s.faces), process=False)
        for k, s in geometry.soft.items()
    }
    bones = {}
    for k, s in geometry.bones.items():
        t = np.asarray(result.body_transforms[geometry.bodies[k]], float)
        v = np.asarray(s.vertices, float) @ t[:3, :3].T + t[:3, 3]
        bones[k] = trimesh.Trimesh(v, np.asarray(s.faces), process=False)
    return soft, bones


# --------------------------------------------------------------------------------------------------------------
# Overlap (manifold3d booleans)


class MeshNotClosed(ValueError):
    """A mesh cannot be measured as a solid: it is not watertight, or manifold3d refuses it."""


def to_manifold(mesh: trimesh.Trimesh, name: str = "mesh"):
    """``mesh`` as a ``manifold3d.Manifold`` (float64 where the installed manifold3d has ``Mesh64``)."""
    import manifold3d

    if not mesh.is_watertight:
        raise MeshNotClosed(f"{name} is not watertight: its volume and its overlaps are undefined")
    faces = np.ascontiguousarray(mesh.faces, dtype=np.uint32)
    if hasattr(manifold3d, "Mesh64"):
        data = manifold3d.Mesh64(vert_properties=np.ascontiguousarray(mesh.vertices, np.float64), tri_verts=faces)
    else:  # pragma: no cover - older manifold3d
        data = manifold3d.Mesh(vert_properties=np.ascontiguousarray(mesh.vertices, np.float32), tri_verts=faces)
    solid = manifold3d.Manifold(data)
    status = solid.status()
    if str(status).rsplit(".", 1)[-1] != "NoError":
        raise MeshNotClosed(f"manifold3d refuses {name}: {status} (non-manifold edges or vertices?)")
    return solid


def overlap_fraction(a, b, names: tuple[str, str] = ("a", "b")) -> float:
    """Volume of the intersection of two closed meshes over the smaller one's volume (0 = apart, 1 = one inside).

    ``a`` and ``b`` are ``trimesh.Trimesh`` (converted here) or ``manifold3d.Manifold`` (for callers that convert
    once and compare many pairs). Raises :class:`MeshNotClosed` for a mesh that is not a closed manifold.
    """
    ma = a if not isinstance(a, trimesh.Trimesh) else to_manifold(a, names[0])
    mb = b if not isinstance(b, trimesh.Trimesh) else to_manifold(b, names[1])
    smaller = min(ma.volume(), mb.volume())
    if smaller <= 0:
        raise MeshNotClosed(f"{names[0]} or {names[1]} encloses no volume (inside out?)")
    return float((ma ^ mb).volume() / smaller)


@dataclass(frozen=True)
class Overlap:
    a: str
    b: str
    fraction: float  # of the smaller one's volume
    volume: float  # m^3


def pairwise_overlaps(
    first: Mapping[str, trimesh.Trimesh], second: Mapping[str, trimesh.Trimesh] | None = None
) -> list[Overlap]:
    """Overlaps of every pair within ``first`` (``second`` None) or of every ``first`` x ``second`` pair.

    Pairs whose bounding boxes do not meet are skipped (no overlap); each mesh is converted once.
    """
    meshes = dict(first) | dict(second or {})
    solids = {k: to_manifold(m, k) for k, m in meshes.items()}
    bounds = {k: m.bounds for k, m in meshes.items()}
    pairs = itertools.combinations(first, 2) if second is None else itertools.product(first, second)
    found = []
    for a, b in pairs:
        (lo_a, hi_a), (lo_b, hi_b) = bounds[a], bounds[b]
        if np.any(lo_a > hi_b) or np.any(lo_b > hi_a):
            continue
        inter = (solids[a] ^ solids[b]).volume()
        if inter > 0:
            smaller = min(solids[a].volume(), solids[b].volume())
            found.append(Overlap(a, b, float(inter / smaller), float(inter)))
    return found


def penetration_depth(a: trimesh.Trimesh, b: trimesh.Trimesh) -> float:
    """How deep (m) the deepest vertex of either mesh lies inside the other: the distance from each vertex inside
    the other mesh to that mesh's surface, the largest (0 when apart). What a student sees as one muscle pushed
    through another, where the overlap's volume is only a thin sliver."""
    deepest = 0.0
    for inner, outer in ((a, b), (b, a)):
        lo, hi = outer.bounds
        points = inner.vertices[np.all((inner.vertices >= lo) & (inner.vertices <= hi), axis=1)]
        if not len(points):
            continue
        points = points[outer.contains(points)]
        if len(points):
            _, distance, _ = trimesh.proximity.closest_point(outer, points)
            deepest = max(deepest, float(distance.max()))
    return deepest


def belly_overlaps_tendon(
    tendon: trimesh.Trimesh, muscle: trimesh.Trimesh, result, fraction_of_max: float = 0.25, step: float = 0.002
) -> tuple[float, float]:
    """(overlap fraction, belly end as a fraction of the leg) of the calcaneal tendon with a muscle's fleshy part.

    For a muscle whose tendon tail runs inside the calcaneal tendon by design (gastrocnemius heads, soleus), only
    the part above where its belly ends may not overlap the tendon: the belly end is found as in
    :func:`belly_end`, on sections perpendicular to the shank (tibia origin to talus origin, so it works with the
    knee bent too), and the muscle is cut there. The fraction is of the smaller of the tendon and the cut muscle.
    """
    knee = np.asarray(result.body_transforms["tibia"])[:3, 3]
    ankle = np.asarray(result.body_transforms["talus"])[:3, 3]
    length = float(np.linalg.norm(ankle - knee))
    down = (ankle - knee) / length
    levels = np.arange(0.0, 1.0 + 1e-9, step / length)
    basis = _plane_basis(down)
    areas = np.array(
        [_even_odd_area([lp @ basis.T for lp in _loops(muscle, knee + f * length * down, down)]) for f in levels]
    )
    end = belly_end(np.stack([levels, areas], axis=1), fraction_of_max)
    belly = to_manifold(muscle, "muscle").trim_by_plane(tuple(-down), -float(down @ knee + end * length))
    cord = to_manifold(tendon, "tendon")
    smaller = min(cord.volume(), belly.volume())
    return (float((cord ^ belly).volume() / smaller) if smaller > 0 else 0.0), end


# --------------------------------------------------------------------------------------------------------------
# Levels


@dataclass(frozen=True)
class LegLevels:
    """Heights (world z) of the knee and ankle joint lines in one pose: level 0 = knee, 1 = ankle."""

    knee_z: float
    ankle_z: float

    @property
    def length(self) -> float:
        return self.knee_z - self.ankle_z

    def z(self, fraction: float | np.ndarray) -> float | np.ndarray:
        """World z of a level given as a fraction of the leg from the knee."""
        return self.knee_z - fraction * self.length

    def fraction(self, z: float | np.ndarray) -> float | np.ndarray:
        """The level (fraction of the leg from the knee) of world height ``z``."""
        out = (self.knee_z - np.asarray(z, float)) / self.length
        return float(out) if np.ndim(out) == 0 else out


def leg_levels(result, max_tilt_deg: float = 10.0) -> LegLevels:
    """Knee and ankle joint line heights at ``result``'s pose: the tibia and talus body origins' world z.

    Raises ``ValueError`` when the shank (tibia origin to talus origin) tilts more than ``max_tilt_deg`` from
    vertical: horizontal sections and rays from behind would not follow the leg there.
    """
    knee = np.asarray(result.body_transforms["tibia"])[:3, 3]
    ankle = np.asarray(result.body_transforms["talus"])[:3, 3]
    axis = knee - ankle
    tilt = math.degrees(math.acos(axis[2] / np.linalg.norm(axis)))
    if tilt > max_tilt_deg:
        raise ValueError(f"the shank tilts {tilt:.0f} degrees from vertical; levels need an upright leg")
    return LegLevels(float(knee[2]), float(ankle[2]))


# --------------------------------------------------------------------------------------------------------------
# Sections


@dataclass(frozen=True)
class Section:
    """A planar section of a closed mesh, measured in its plane (metres and square metres).

    ``x_extent``/``y_extent`` are world extents (for a horizontal section: medial-lateral and front-back);
    ``width``, ``thickness`` and ``mean_thickness`` are those of the largest piece (see the module docstring).
    """

    area: float
    perimeter: float
    width: float
    thickness: float
    mean_thickness: float
    x_extent: float
    y_extent: float
    centroid: np.ndarray = field(repr=False)
    pieces: int
    points: np.ndarray = field(repr=False)  # (N, 3) world points on the section's outline

    def describe(self) -> str:
        return (
            f"area {self.area * 1e6:7.1f} mm^2, width {self.width * 1e3:5.1f} mm, thickness {self.thickness * 1e3:5.1f}"
            f" mm (mean {self.mean_thickness * 1e3:4.1f}), extent x {self.x_extent * 1e3:5.1f} y "
            f"{self.y_extent * 1e3:5.1f} mm, {self.pieces} piece(s)"
        )


def _plane_basis(normal: np.ndarray) -> np.ndarray:
    """Two unit vectors spanning the plane perpendicular to ``normal`` (x-ish first for a vertical normal)."""
    n = normal / np.linalg.norm(normal)
    helper = np.array([1.0, 0.0, 0.0]) if abs(n[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
    u = helper - n * (helper @ n)
    u /= np.linalg.norm(u)
    return np.stack([u, np.cross(n, u)])


def _loops(mesh: trimesh.Trimesh, origin: np.ndarray, normal: np.ndarray) -> list[np.ndarray]:
    """The closed loops where the plane cuts the closed mesh, as (n, 3) point arrays (no repeated end point).

    Chained here from the crossed edges (trimesh's own chaining needs networkx): each face the plane crosses joins
    the crossing points of two of its edges, and on a closed mesh every crossed edge is shared by two faces.
    """
    d = (np.asarray(mesh.vertices) - origin) @ (normal / np.linalg.norm(normal))
    d = np.where(d == 0.0, 1e-15, d)  # a vertex on the plane counts as above it
    faces = np.asarray(mesh.faces)
    above = d[faces] > 0
    crossed = faces[above.any(axis=1) & ~above.all(axis=1)]
    if not len(crossed):
        return []
    edges = np.stack([crossed[:, [0, 1]], crossed[:, [1, 2]], crossed[:, [2, 0]]], axis=1)  # (f, 3, 2)
    cuts = (d[edges[..., 0]] > 0) != (d[edges[..., 1]] > 0)  # two per face
    pairs = np.sort(edges[cuts].reshape(-1, 2, 2), axis=2)  # (f, 2 edges, 2 vertices)
    keys, index = np.unique(pairs.reshape(-1, 2), axis=0, return_inverse=True)
    index = index.reshape(-1, 2)
    da, db = d[keys[:, 0]], d[keys[:, 1]]
    t = (da / (da - db))[:, None]
    v = np.asarray(mesh.vertices)
    points = v[keys[:, 0]] + t * (v[keys[:, 1]] - v[keys[:, 0]])
    neighbours: list[list[int]] = [[] for _ in range(len(keys))]
    for a, b in index:
        neighbours[a].append(b)
        neighbours[b].append(a)
    seen = np.zeros(len(keys), bool)
    loops = []
    for start in range(len(keys)):
        if seen[start]:
            continue
        order, prev, node = [start], -1, start
        seen[start] = True
        while True:
            options = [n for n in neighbours[node] if n != prev]
            if not options:
                break
            nxt = options[0]
            if nxt == start or seen[nxt]:
                break
            order.append(nxt)
            seen[nxt] = True
            prev, node = node, nxt
        if len(order) >= 3:
            loops.append(points[order])
    return loops


def _signed_area(p: np.ndarray) -> float:
    x, y = p[:, 0], p[:, 1]
    return 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))


def _inside(points: np.ndarray, loops: Sequence[np.ndarray]) -> np.ndarray:
    """Even-odd point-in-polygon of 2-D ``points`` against 2-D ``loops``."""
    count = np.zeros(len(points), dtype=int)
    px, py = points[:, 0][:, None], points[:, 1][:, None]
    for loop in loops:
        a, b = loop, np.roll(loop, -1, axis=0)
        ax, ay, bx, by = a[:, 0][None], a[:, 1][None], b[:, 0][None], b[:, 1][None]
        straddle = (ay > py) != (by > py)
        with np.errstate(divide="ignore", invalid="ignore"):
            cross_x = ax + (py - ay) * (bx - ax) / (by - ay)
        count += np.sum(straddle & (px < cross_x), axis=1)
    return count % 2 == 1


def outline_samples(mesh: trimesh.Trimesh, z: float, spacing: float = 0.0005) -> tuple[np.ndarray, list[np.ndarray]]:
    """Points every ``spacing`` along the outline of ``mesh``'s horizontal section at height ``z`` (world x, y),
    and the section's loops (x, y); both empty where the plane misses the mesh."""
    loops = [lp[:, :2] for lp in _loops(mesh, np.array([0.0, 0.0, z]), UP)]
    samples = []
    for loop in loops:
        start = loop
        edge = np.roll(loop, -1, axis=0) - loop
        count = np.maximum(1, np.ceil(np.linalg.norm(edge, axis=1) / spacing).astype(int))
        for a, e, n in zip(start, edge, count, strict=True):
            samples.append(a + np.outer(np.arange(n) / n, e))
    return (np.vstack(samples) if samples else np.zeros((0, 2))), loops


def section_gap(a: trimesh.Trimesh, b: trimesh.Trimesh, z: float) -> float | None:
    """The gap between two meshes' horizontal sections at ``z`` (m; 0 where they overlap), None where the plane
    misses either (see the module docstring)."""
    from scipy.spatial import cKDTree

    (pa, la), (pb, lb) = outline_samples(a, z), outline_samples(b, z)
    if not len(pa) or not len(pb):
        return None
    if _inside(pa, lb).any() or _inside(pb, la).any():
        return 0.0
    return float(cKDTree(pb).query(pa)[0].min())


def contact_share(name: str, meshes: Mapping[str, trimesh.Trimesh], z: float, reach: float = 0.002) -> float | None:
    """The share of ``meshes[name]``'s section outline at ``z`` within ``reach`` of another mesh's section or
    inside it (see the module docstring); None where the plane misses it."""
    from scipy.spatial import cKDTree

    points, _ = outline_samples(meshes[name], z)
    if not len(points):
        return None
    near = np.zeros(len(points), dtype=bool)
    for other, mesh in meshes.items():
        if other == name:
            continue
        samples, loops = outline_samples(mesh, z)
        if len(samples):
            near |= cKDTree(samples).query(points, distance_upper_bound=reach)[0] <= reach
            near |= _inside(points, loops)
    return float(near.mean())


def free_area_behind_bones(
    bones: Sequence[trimesh.Trimesh],
    deep: Sequence[trimesh.Trimesh],
    soleus: trimesh.Trimesh,
    z: float,
    step: float = 5e-4,
) -> float:
    """Area (m^2) of the horizontal section at height ``z`` that lies between the back of the bones and the front of
    the soleus and belongs to none of the ``deep`` muscles: the empty room in the deep posterior compartment.

    Counted in columns front to back (world y, the way the soleus lies from the bones), ``step`` apart: in each
    column that meets both a bone and the soleus behind it, the cells from the bone's last to the soleus's first.
    """
    origin, normal = np.array([0.0, 0.0, z]), np.array([0.0, 0.0, 1.0])
    bone_loops = [loop[:, :2] for mesh in bones for loop in _loops(mesh, origin, normal)]
    deep_loops = [[loop[:, :2] for loop in _loops(mesh, origin, normal)] for mesh in deep]
    soleus_loops = [loop[:, :2] for loop in _loops(soleus, origin, normal)]
    if not bone_loops or not soleus_loops:
        return 0.0
    everything = np.concatenate(bone_loops + soleus_loops)
    back = np.sign(np.concatenate(soleus_loops)[:, 1].mean() - np.concatenate(bone_loops)[:, 1].mean())
    xs = np.arange(everything[:, 0].min(), everything[:, 0].max(), step)
    ys = np.arange(everything[:, 1].min(), everything[:, 1].max(), step)[:: int(back)]
    grid = np.stack(np.meshgrid(xs, ys, indexing="ij"), axis=-1).reshape(-1, 2)
    shape = (len(xs), len(ys))
    bone = _inside(grid, bone_loops).reshape(shape)
    sol = _inside(grid, soleus_loops).reshape(shape)
    muscle = np.zeros(shape, dtype=bool)
    for loops in deep_loops:
        muscle |= _inside(grid, loops).reshape(shape)
    free = 0
    for column in range(len(xs)):
        last_bone = np.flatnonzero(bone[column])
        if not len(last_bone):
            continue
        soleus_after = np.flatnonzero(sol[column, last_bone[-1] :])
        if not len(soleus_after):
            continue
        free += int(np.count_nonzero(~muscle[column, last_bone[-1] + 1 : last_bone[-1] + soleus_after[0]]))
    return free * step * step


def _resample(loop: np.ndarray, spacing: float) -> np.ndarray:
    closed = np.vstack([loop, loop[:1]])
    seg = np.linalg.norm(np.diff(closed, axis=0), axis=1)
    s = np.concatenate([[0.0], np.cumsum(seg)])
    n = max(math.ceil(s[-1] / spacing), 8)
    t = np.linspace(0.0, s[-1], n, endpoint=False)
    return np.stack([np.interp(t, s, closed[:, i]) for i in range(closed.shape[1])], axis=1)


def _medial_measures(loops2d: Sequence[np.ndarray]) -> tuple[float, float]:
    """(width along the medial axis, largest inscribed diameter) of one piece (an outer loop and its holes)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components, dijkstra
    from scipy.spatial import Voronoi, cKDTree

    perimeter = sum(float(np.sum(np.linalg.norm(np.diff(np.vstack([lp, lp[:1]]), axis=0), axis=1))) for lp in loops2d)
    spacing = min(2.5e-4, perimeter / 400)
    samples = np.vstack([_resample(lp, spacing) for lp in loops2d])
    vor = Voronoi(samples)
    inside = _inside(vor.vertices, loops2d)
    tree = cKDTree(samples)
    radius = tree.query(vor.vertices)[0]
    ridges = np.array([r for r in vor.ridge_vertices if -1 not in r], dtype=int).reshape(-1, 2)
    keep = inside[ridges[:, 0]] & inside[ridges[:, 1]]
    ridges = ridges[keep]
    if len(ridges):
        mids = 0.5 * (vor.vertices[ridges[:, 0]] + vor.vertices[ridges[:, 1]])
        ridges = ridges[_inside(mids, loops2d)]
    if not len(ridges):  # a sliver: fall back on the equivalent rectangle
        area = abs(sum(_signed_area(lp) for lp in loops2d))
        return perimeter / 2, 2 * area / max(perimeter, 1e-12)
    nodes, index = np.unique(ridges, return_inverse=True)
    index = index.reshape(-1, 2)
    length = np.linalg.norm(vor.vertices[ridges[:, 0]] - vor.vertices[ridges[:, 1]], axis=1)
    graph = coo_matrix((length, (index[:, 0], index[:, 1])), shape=(len(nodes), len(nodes))).tocsr()
    graph = graph + graph.T
    thickest = int(np.argmax(radius[nodes]))
    _, labels = connected_components(graph, directed=False)
    member = labels == labels[thickest]
    # Double sweep for the longest path (exact on a tree, which a medial axis is): the end farthest from the
    # thickest point, then the end farthest from that; both ends extended by their inscribed radius.
    d0 = dijkstra(graph, indices=thickest)
    end_a = int(np.argmax(np.where(member, d0 + radius[nodes], -1)))
    da = dijkstra(graph, indices=end_a)
    score = np.where(member & np.isfinite(da), da + radius[nodes], -1)
    end_b = int(np.argmax(score))
    width = float(da[end_b] + radius[nodes][end_a] + radius[nodes][end_b])
    return width, float(2 * radius[nodes].max())


def plane_section(mesh: trimesh.Trimesh, origin: np.ndarray, normal: np.ndarray) -> Section | None:
    """The section of ``mesh`` by the plane through ``origin`` perpendicular to ``normal``; None if it misses."""
    origin, normal = np.asarray(origin, float), np.asarray(normal, float)
    loops3d = _loops(mesh, origin, normal)
    if not loops3d:
        return None
    basis = _plane_basis(normal)
    loops2d = [(lp - origin) @ basis.T for lp in loops3d]
    # Even-odd nesting: a loop inside an odd number of others is a hole.
    depth = [
        int(sum(_inside(lp[:1], [other])[0] for j, other in enumerate(loops2d) if j != i))
        for i, lp in enumerate(loops2d)
    ]
    signed = [abs(_signed_area(lp)) * (1 if d % 2 == 0 else -1) for lp, d in zip(loops2d, depth, strict=True)]
    area = float(sum(signed))
    perimeter = sum(float(np.sum(np.linalg.norm(np.diff(np.vstack([lp, lp[:1]]), axis=0), axis=1))) for lp in loops2d)
    outers = [i for i, d in enumerate(depth) if d % 2 == 0]
    pieces = []
    for i in outers:
        holes = [j for j, d in enumerate(depth) if d == depth[i] + 1 and _inside(loops2d[j][:1], [loops2d[i]])[0]]
        pieces.append((signed[i] + sum(signed[j] for j in holes), [loops2d[i]] + [loops2d[j] for j in holes]))
    piece_area, piece = max(pieces, key=lambda p: p[0])
    width, thickness = _medial_measures(piece)
    points = np.vstack(loops3d)
    # Area-weighted centroid of the outline polygons (holes subtract).
    moments = np.zeros(2)
    for lp, s in zip(loops2d, signed, strict=True):
        a = abs(_signed_area(lp))
        if a > 0:
            x, y = lp[:, 0], lp[:, 1]
            c = x * np.roll(y, -1) - np.roll(x, -1) * y
            cen = np.array([np.sum((x + np.roll(x, -1)) * c), np.sum((y + np.roll(y, -1)) * c)]) / (
                6 * _signed_area(lp)
            )
            moments += cen * s
    centroid = origin + (moments / area if area > 0 else np.zeros(2)) @ basis
    return Section(
        area=area,
        perimeter=perimeter,
        width=width,
        thickness=thickness,
        mean_thickness=piece_area / width if width > 0 else 0.0,
        x_extent=float(np.ptp(points[:, 0])),
        y_extent=float(np.ptp(points[:, 1])),
        centroid=centroid,
        pieces=len(pieces),
        points=points,
    )


def section(mesh: trimesh.Trimesh, z: float) -> Section | None:
    """The horizontal section of ``mesh`` at world height ``z`` (None where the plane misses it)."""
    return plane_section(mesh, np.array([0.0, 0.0, z]), UP)


@dataclass(frozen=True)
class Widest:
    level: float  # fraction of the leg
    z: float
    section: Section
    areas: np.ndarray = field(repr=False)  # (n, 2): level, area of every section scanned (0 where the plane misses)


def widest_section(
    mesh: trimesh.Trimesh, levels: LegLevels, level_range: tuple[float, float], step: float = 0.002
) -> Widest:
    """The level within ``level_range`` (fractions of the leg) where the horizontal section area is largest.

    Sections every ``step`` metres; the largest one is measured in full (width, thickness).
    """
    z_top, z_bottom = levels.z(level_range[0]), levels.z(level_range[1])
    zs = np.arange(z_top, z_bottom - 1e-12, -step)
    areas = []
    for z in zs:
        loops = [lp[:, :2] for lp in _loops(mesh, np.array([0, 0, z]), UP)]
        areas.append(_even_odd_area(loops))
    areas_arr = np.array(areas)
    best = int(np.argmax(areas_arr))
    z = float(zs[best])
    found = section(mesh, z)
    if found is None:
        raise ValueError(f"the mesh has no section between levels {level_range[0]:g} and {level_range[1]:g}")
    return Widest(levels.fraction(z), z, found, np.stack([levels.fraction(zs), areas_arr], axis=1))


def _even_odd_area(loops2d: Sequence[np.ndarray]) -> float:
    total = 0.0
    for i, lp in enumerate(loops2d):
        depth = sum(_inside(lp[:1], [o])[0] for j, o in enumerate(loops2d) if j != i)
        total += abs(_signed_area(lp)) * (1 if depth % 2 == 0 else -1)
    return total


def belly_end(profile: np.ndarray, fraction_of_max: float = 0.25) -> float:
    """The lowest level, going down from the largest section, before the section area first falls below
    ``fraction_of_max`` of the largest: where the fleshy belly ends (its tendon tail is far thinner).

    ``profile`` is (n, 2): level (fraction of the leg, increasing downwards), section area (``Widest.areas``).
    """
    levels, areas = profile[:, 0], profile[:, 1]
    start = int(np.argmax(areas))
    threshold = fraction_of_max * areas[start]
    below = np.nonzero(areas[start:] < threshold)[0]
    if not len(below):
        return float(levels[-1])
    return float(levels[start + below[0] - 1])


# --------------------------------------------------------------------------------------------------------------
# Rays from behind


@dataclass(frozen=True)
class RayGrid:
    """First structure hit by rays cast from behind (+y, pointing -y) on an x-z grid."""

    x: np.ndarray  # (nx,)
    z: np.ndarray  # (nz,)
    ids: np.ndarray  # (nz, nx) object: structure id, or "" where the ray hits nothing
    hit_y: np.ndarray  # (nz, nx) world y of the hit (nan where none)

    def rows(self) -> Iterable[tuple[float, np.ndarray]]:
        yield from zip(self.z, self.ids, strict=True)


def back_profiles(
    mesh: trimesh.Trimesh,
    top: float,
    bottom: float,
    lines: Sequence[float],
    step: float = 0.001,
    missing_ok: bool = False,
) -> list[np.ndarray]:
    """The back of ``mesh`` seen from behind along vertical lines: for each of ``lines`` (quantiles side to side of
    the mesh's vertices between the heights), the posterior coordinate (m, +y) of the first hit every ``step`` m from
    ``top`` down to ``bottom`` (fractions of the mesh's height from its top); NaN where a line passes beside the mesh
    if ``missing_ok``, else an error."""
    vertices = np.asarray(mesh.vertices)
    z_top, z_bottom = vertices[:, 2].max(), vertices[:, 2].min()
    zs = np.arange(z_top - top * (z_top - z_bottom), z_top - bottom * (z_top - z_bottom), -step)
    within = vertices[(vertices[:, 2] <= zs[0]) & (vertices[:, 2] >= zs[-1])]
    profiles = []
    for x in np.quantile(within[:, 0], lines):
        origins = np.column_stack([np.full(len(zs), x), np.full(len(zs), vertices[:, 1].max() + 0.05), zs])
        locations, index, _ = mesh.ray.intersects_location(
            origins, np.tile((0.0, -1.0, 0.0), (len(zs), 1)), multiple_hits=False
        )
        depth = np.full(len(zs), np.nan)
        depth[index] = locations[:, 1]
        if np.isnan(depth).any() and not missing_ok:
            raise ValueError(f"a line at x = {x:.4f} m misses the mesh between the heights asked for")
        profiles.append(depth)
    return profiles


def back_ripple(
    mesh: trimesh.Trimesh,
    top: float,
    bottom: float,
    *,
    step: float = 0.001,
    window: int = 21,
    lines: Sequence[float] = (0.4, 0.45, 0.5, 0.55, 0.6),
) -> float:
    """How far the back of ``mesh`` departs from a smooth curve along the leg, seen from behind (m; 0 if smooth).

    Why: a band of shading across a belly is its back surface dipping and rising again over a centimetre or so; a
    smooth belly's back follows a gentle curve there. Along vertical lines (:func:`back_profiles`) between ``top``
    and ``bottom``, over every ``window`` samples a parabola is fitted and the largest distance of the samples from
    it kept (a flat facet's own error is a tenth of a millimetre). Returns the largest, over all lines and windows.
    A line may pass beside the narrowing top or bottom of a belly (those samples are left out), not beside its middle.
    """
    basis = np.vander(np.linspace(-1.0, 1.0, window), 3)
    fit = basis @ np.linalg.pinv(basis)
    worst = 0.0
    for depth in back_profiles(mesh, top, bottom, lines, step, missing_ok=True):
        hit = np.flatnonzero(np.isfinite(depth))
        depth = depth[hit[0] : hit[-1] + 1] if len(hit) else depth[:0]
        if np.isnan(depth).any() or len(depth) < window:
            raise ValueError("a line passes beside the mesh between the heights asked for, not only at their ends")
        windows = np.lib.stride_tricks.sliding_window_view(depth, window)
        worst = max(worst, float(np.abs(windows - windows @ fit.T).max()))
    return worst


def back_hollow(
    mesh: trimesh.Trimesh,
    top: float,
    bottom: float,
    *,
    lines: Sequence[float] = (0.2, 0.35, 0.5, 0.65, 0.8),
) -> float:
    """The deepest hollow across the back of ``mesh`` along the leg, seen from behind (m; 0 for a back that only
    rises and falls once, as a bulging belly's does).

    Why: :func:`back_ripple` sees dips over a couple of centimetres; a belly laid onto an uneven surface can keep its
    thickness and still show a broad trough across its back, several centimetres long, that reads as a dark band
    from behind. Along each vertical line (:func:`back_profiles`), the depth of a sample below the lower of the
    highest points above and below it (the water a trough would hold); the largest over all lines. Where a line
    passes beside the narrowing top or bottom it is skipped.
    """
    worst = 0.0
    for depth in back_profiles(mesh, top, bottom, lines, missing_ok=True):
        above, below = np.fmax.accumulate(depth), np.fmax.accumulate(depth[::-1])[::-1]
        worst = max(worst, float(np.nanmax(np.minimum(above, below) - depth)))
    return worst


def first_hits_from_behind(
    meshes: Mapping[str, trimesh.Trimesh],
    x_range: tuple[float, float],
    z_range: tuple[float, float],
    step: float,
) -> RayGrid:
    """Cast rays from far behind (+y), pointing -y, on a grid over ``x_range`` x ``z_range`` (world metres,
    ``step`` apart); per ray, the id of the first structure hit (trimesh's ray-triangle intersector over all meshes
    concatenated, with a face -> id lookup)."""
    from trimesh.ray.ray_triangle import RayMeshIntersector

    names = list(meshes)
    combined = trimesh.util.concatenate([meshes[k] for k in names])
    owner = np.repeat(np.arange(len(names)), [len(meshes[k].faces) for k in names])
    xs = np.arange(min(x_range), max(x_range) + 1e-12, step)
    zs = np.arange(max(z_range), min(z_range) - 1e-12, -step)
    gx, gz = np.meshgrid(xs, zs)
    y0 = combined.bounds[1, 1] + 0.05
    origins = np.stack([gx.ravel(), np.full(gx.size, y0), gz.ravel()], axis=1)
    directions = np.tile(-POSTERIOR, (len(origins), 1))
    faces, rays, locations = RayMeshIntersector(combined).intersects_id(
        origins, directions, multiple_hits=True, return_locations=True
    )
    ids = np.full(len(origins), "", dtype=object)
    hit_y = np.full(len(origins), np.nan)
    if len(rays):
        order = np.lexsort((-locations[:, 1], rays))  # per ray, the largest y (nearest the viewer) first
        rays, faces, locations = rays[order], faces[order], locations[order]
        first = np.r_[True, rays[1:] != rays[:-1]]
        for ray, face, loc in zip(rays[first], faces[first], locations[first], strict=True):
            ids[ray] = names[owner[face]]
            hit_y[ray] = loc[1]
    return RayGrid(xs, zs, ids.reshape(gx.shape), hit_y.reshape(gx.shape))


# --------------------------------------------------------------------------------------------------------------
# Calcaneal tendon and its insertion


@dataclass(frozen=True)
class Insertion:
    """Where the tendon lies within ``tolerance`` of the calcaneus surface."""

    points: np.ndarray = field(repr=False)  # (n, 3) tendon surface points within tolerance
    bone_normals: np.ndarray = field(repr=False)  # (n, 3) the bone's outward normal at the nearest point
    centre: np.ndarray
    z_range: tuple[float, float]
    posterior_surface_z: tuple[float, float]  # bottom and top of the calcaneus' posterior surface
    height_fraction: float  # of the contact centre on the posterior surface (0 bottom, 1 top)
    posterior_share: float  # share of contact points whose bone normal is within 45 deg of posterior
    top_share: float  # share whose bone normal is within 45 deg of up
    mean_normal: np.ndarray


def posterior_surface_z(calcaneus: trimesh.Trimesh, step: float = 0.001) -> tuple[float, float]:
    """Bottom and top (world z) of the calcaneus' posterior surface: the part of the bone seen from behind whose
    outward normal is within 45 degrees of posterior (2nd and 98th percentiles of those points' heights)."""
    from trimesh.ray.ray_triangle import RayMeshIntersector

    lo, hi = calcaneus.bounds
    xs = np.arange(lo[0], hi[0], step)
    zs = np.arange(lo[2], hi[2], step)
    gx, gz = np.meshgrid(xs, zs)
    origins = np.stack([gx.ravel(), np.full(gx.size, hi[1] + 0.05), gz.ravel()], axis=1)
    faces, rays, locations = RayMeshIntersector(calcaneus).intersects_id(
        origins, np.tile(-POSTERIOR, (len(origins), 1)), multiple_hits=True, return_locations=True
    )
    order = np.lexsort((-locations[:, 1], rays))
    rays, faces, locations = rays[order], faces[order], locations[order]
    first = np.r_[True, rays[1:] != rays[:-1]]
    normals = calcaneus.face_normals[faces[first]]
    back = normals @ POSTERIOR > math.cos(math.radians(45))
    heights = locations[first][back, 2]
    return float(np.percentile(heights, 2)), float(np.percentile(heights, 98))


def insertion(
    tendon: trimesh.Trimesh, calcaneus: trimesh.Trimesh, tolerance: float = 1.5e-3, spacing: float = 3e-4
) -> Insertion:
    """The tendon's contact with the calcaneus: tendon surface points within ``tolerance`` of the bone's surface
    (or inside the bone), with the bone's outward normal at each one's nearest bone point.

    Both surfaces are sampled (uniformly at random, seeded) about ``spacing`` apart on average and the nearest bone
    sample found with a KD-tree (distances good to a fraction of a millimetre); a tendon point is inside the bone
    where it lies behind the nearest bone sample's face.
    """
    from scipy.spatial import cKDTree

    def even(mesh: trimesh.Trimesh) -> tuple[np.ndarray, np.ndarray]:
        points, faces = trimesh.sample.sample_surface(mesh, int(mesh.area / spacing**2), seed=0)
        return points, faces

    lo, hi = calcaneus.bounds
    pts = even(tendon)[0]
    pts = pts[np.all((pts > lo - tolerance) & (pts < hi + tolerance), axis=1)]
    if not len(pts):
        raise ValueError("the calcaneal tendon does not reach the calcaneus' bounding box")
    bone_pts, bone_faces = even(calcaneus)
    distance, nearest = cKDTree(bone_pts).query(pts)
    face_normals = calcaneus.face_normals[bone_faces[nearest]]
    inside = np.einsum("ij,ij->i", pts - bone_pts[nearest], face_normals) < 0
    contact = (distance <= tolerance) | inside
    if not np.any(contact):
        raise ValueError(
            f"no part of the calcaneal tendon comes within {tolerance * 1e3:g} mm of the calcaneus"
            f" (nearest {distance.min() * 1e3:.1f} mm)"
        )
    points, normals = pts[contact], face_normals[contact]
    centre = points.mean(axis=0)
    bottom, top = posterior_surface_z(calcaneus)
    mean_normal = normals.mean(axis=0)
    mean_normal /= np.linalg.norm(mean_normal)
    cos45 = math.cos(math.radians(45))
    return Insertion(
        points=points,
        bone_normals=normals,
        centre=centre,
        z_range=(float(points[:, 2].min()), float(points[:, 2].max())),
        posterior_surface_z=(bottom, top),
        height_fraction=float((centre[2] - bottom) / (top - bottom)),
        posterior_share=float(np.mean(normals @ POSTERIOR > cos45)),
        top_share=float(np.mean(normals @ UP > cos45)),
        mean_normal=mean_normal,
    )


@dataclass(frozen=True)
class TendonSections:
    insertion: Insertion
    heights: np.ndarray  # metres above the top of the insertion
    sections: list[Section | None]  # perpendicular to the tendon's centreline at those heights
    narrowest: Section
    narrowest_height: float
    insertion_width: float  # the widest horizontal section within the contact's height range


def tendon_sections(
    tendon_mesh: trimesh.Trimesh,
    calcaneus_mesh: trimesh.Trimesh,
    heights: Sequence[float] = (0.02, 0.03, 0.04, 0.05, 0.06),
) -> TendonSections:
    """Sections of the calcaneal tendon perpendicular to its centreline at ``heights`` above its insertion.

    "Above the insertion" is measured up from the top of the tendon-bone contact (``insertion``), the proximal edge
    of the footprint, as ultrasound studies measure from the tendon's calcaneal insertion. The centreline is the
    line of centroids of horizontal sections every 2.5 mm; the plane at each height is perpendicular to a line
    fitted through the centroids within 1 cm of it. The narrowest of the sections (by width) is reported, and the
    insertion width: the widest horizontal section of the tendon at the heights of the contact.
    """
    contact = insertion(tendon_mesh, calcaneus_mesh)
    base = contact.z_range[1]
    zs = np.arange(base + 0.005, base + max(heights) + 0.02, 0.0025)
    cents = []
    for z in zs:
        s = section(tendon_mesh, float(z))
        if s is not None:
            cents.append(s.centroid)
    cents_arr = np.array(cents)
    found: list[Section | None] = []
    for h in heights:
        z = base + h
        near = cents_arr[np.abs(cents_arr[:, 2] - z) <= 0.01]
        if len(near) < 3:
            found.append(None)
            continue
        centre = near.mean(axis=0)
        direction = np.linalg.svd(near - centre)[2][0]
        direction *= np.sign(direction[2]) or 1.0
        origin = centre + direction * (z - centre[2]) / direction[2]
        found.append(plane_section(tendon_mesh, origin, direction))
    measured = [(s, h) for s, h in zip(found, heights, strict=True) if s is not None]
    if not measured:
        raise ValueError("the calcaneal tendon has no section 2-6 cm above its insertion")
    narrowest, narrowest_h = min(measured, key=lambda sh: sh[0].width)
    widths = [
        s.width
        for z in np.arange(contact.z_range[0], contact.z_range[1] + 1e-9, 0.001)
        if (s := section(tendon_mesh, float(z))) is not None
    ]
    return TendonSections(
        insertion=contact,
        heights=np.asarray(heights, float),
        sections=found,
        narrowest=narrowest,
        narrowest_height=float(narrowest_h),
        insertion_width=float(max(widths)) if widths else float("nan"),
    )


# --------------------------------------------------------------------------------------------------------------
# Regions of the rays used by the tests and the report


GASTROCNEMIUS = ("gastrocnemius_medial_head", "gastrocnemius_lateral_head")
DEEP = ("popliteus", "tibialis_posterior", "flexor_digitorum_longus", "flexor_hallucis_longus")
SEEN_FROM_BEHIND = (*GASTROCNEMIUS, "soleus", TENDON, "plantaris")


def calf_rays(
    soft: Mapping[str, trimesh.Trimesh],
    bones: Mapping[str, trimesh.Trimesh],
    levels: LegLevels,
    level_range: tuple[float, float],
    step: float = 0.002,
) -> RayGrid:
    """Rays from behind over the whole calf (every soft structure and the tibia, fibula and femur)."""
    meshes = dict(soft) | {k: bones[k] for k in ("femur", "tibia", "fibula", "talus", "calcaneus") if k in bones}
    lo = np.min([m.bounds[0] for m in meshes.values()], axis=0)
    hi = np.max([m.bounds[1] for m in meshes.values()], axis=0)
    return first_hits_from_behind(
        meshes, (lo[0] - step, hi[0] + step), (levels.z(level_range[0]), levels.z(level_range[1])), step
    )


def calf_width_mask(grid: RayGrid, layers: Sequence[str]) -> np.ndarray:
    """Per row, the rays between the outermost hits on ``layers`` (the calf's width at that height)."""
    mask = np.zeros(grid.ids.shape, bool)
    for i, row in enumerate(grid.ids):
        cols = np.nonzero(np.isin(row, list(layers)))[0]
        if len(cols):
            mask[i, cols.min() : cols.max() + 1] = True
    return mask


def bone_back_mask(
    grid: RayGrid, tibia: trimesh.Trimesh, fibula: trimesh.Trimesh, medial_sign: float, inset: float = 0.002
) -> np.ndarray:
    """Per row, the rays between the tibia's medial border and the fibula's lateral border at that height
    (``medial_sign`` +1 where medial is +x), ``inset`` inside each, to leave out rays grazing the bones' edges."""
    mask = np.zeros(grid.ids.shape, bool)
    for i, z in enumerate(grid.z):
        t, f = section(tibia, float(z)), section(fibula, float(z))
        if t is None or f is None:
            continue
        medial = (t.points[:, 0] * medial_sign).max() * medial_sign - medial_sign * inset
        lateral = (f.points[:, 0] * medial_sign).min() * medial_sign + medial_sign * inset
        lo, hi = sorted((medial, lateral))
        mask[i] = (grid.x >= lo) & (grid.x <= hi)
    return mask


def soleus_beside_gastrocnemius(grid: RayGrid, medial_sign: float) -> list[tuple[float, bool, bool]]:
    """Per row: (z, soleus seen medial of the gastrocnemius-and-tendon, soleus seen lateral of it)."""
    out = []
    centre = (*GASTROCNEMIUS, TENDON)
    for z, row in grid.rows():
        soleus = grid.x[row == "soleus"] * medial_sign
        middle = grid.x[np.isin(row, centre)] * medial_sign
        if not len(middle):
            out.append((float(z), bool(len(soleus)), bool(len(soleus))))
            continue
        out.append((float(z), bool(np.any(soleus > middle.max())), bool(np.any(soleus < middle.min()))))
    return out


# --------------------------------------------------------------------------------------------------------------
# Report


def _pct(x: float) -> str:
    return f"{100 * x:5.1f} %"


def report(geometry, model, poses) -> str:
    """Every measure, as text, for the poses given (``calfviewer.musculoskeletal.Pose``); the shape measures are
    taken in the first pose whose shank is upright."""
    lines: list[str] = []
    medial_sign = 1.0 if model.side == "right" else -1.0
    shaped = False
    for pose in poses:
        result = model.pose(pose)
        soft, bones = world_meshes(geometry, result)
        lines.append(f"== pose: plantarflexion {pose.plantarflexion:g}, knee flexion {pose.knee_flexion:g}")
        lines.append("-- overlaps between soft structures (of the smaller one's volume)")
        for o in sorted(pairwise_overlaps(soft), key=lambda o: -o.fraction):
            tag = (
                "  (tail tucked into the tendon by design)"
                if {o.a, o.b} & {TENDON} and ({o.a, o.b} - {TENDON}) <= set(TUCKED_INTO_TENDON)
                else ""
            )
            lines.append(f"   {o.a:28s} {o.b:28s} {_pct(o.fraction)}  {o.volume * 1e6:6.2f} cm^3{tag}")
        for k in TUCKED_INTO_TENDON:
            fraction, end = belly_overlaps_tendon(soft[TENDON], soft[k], result)
            lines.append(f"   {TENDON} vs {k}'s belly (above {_pct(end)} of the shank): {_pct(fraction)}")
        lines.append("-- overlaps of soft structures with bones (of the smaller one's volume)")
        for o in sorted(pairwise_overlaps(soft, bones), key=lambda o: -o.fraction):
            lines.append(f"   {o.a:28s} {o.b:28s} {_pct(o.fraction)}  {o.volume * 1e6:6.2f} cm^3")
        try:
            levels = leg_levels(result)
        except ValueError as exc:
            lines.append(f"-- no shape measures: {exc}")
            continue
        if shaped:
            continue
        shaped = True
        lines.append(
            f"-- leg: knee joint line z = {levels.knee_z:.4f} m, ankle z = {levels.ankle_z:.4f} m,"
            f" length {levels.length * 1e3:.0f} mm"
        )
        lines.extend(_shape_report(soft, bones, levels, medial_sign))
    return "\n".join(lines)


def _shape_report(soft, bones, levels: LegLevels, medial_sign: float) -> list[str]:
    lines = ["-- gastrocnemius heads: widest horizontal section between 10 % and 60 % of the leg"]
    ends = {}
    for head in GASTROCNEMIUS:
        w = widest_section(soft[head], levels, (0.10, 0.60))
        ends[head] = belly_end(widest_section(soft[head], levels, (0.0, 1.0)).areas)
        lines.append(
            f"   {head:28s} at {_pct(w.level)} of the leg: {w.section.describe()};"
            f" width/thickness {w.section.width / w.section.thickness:.1f}; belly ends at {_pct(ends[head])}"
        )
    drop = (ends["gastrocnemius_medial_head"] - ends["gastrocnemius_lateral_head"]) * levels.length
    lines.append(f"   medial belly ends {drop * 1e3:.0f} mm lower than the lateral (area < 25 % of its largest)")
    lines.append("-- sections every 5 % of the leg (horizontal)")
    for f in np.arange(0.05, 1.0, 0.05):
        parts = []
        for k in ("gastrocnemius_medial_head", "gastrocnemius_lateral_head", "soleus", "plantaris", TENDON):
            s = section(soft[k], float(levels.z(f)))
            if s is not None:
                parts.append(
                    f"{k.split('_')[-1][:6]} {s.area * 1e6:5.0f}mm2 {s.width * 1e3:4.0f}x{s.thickness * 1e3:3.0f}"
                )
        lines.append(f"   {_pct(f)}: " + "; ".join(parts))
    t = tendon_sections(soft[TENDON], bones["calcaneus"])
    ins = t.insertion
    lines.append("-- calcaneal tendon (sections perpendicular to its centreline, above the top of the insertion)")
    for h, s in zip(t.heights, t.sections, strict=True):
        lines.append(f"   {h * 100:.0f} cm: " + (s.describe() if s is not None else "no section"))
    lines.append(
        f"   narrowest at {t.narrowest_height * 100:.0f} cm: width {t.narrowest.width * 1e3:.1f} mm;"
        f" at the insertion {t.insertion_width * 1e3:.1f} mm ({t.insertion_width / t.narrowest.width:.2f} x)"
    )
    lines.append(
        f"   insertion: contact z {ins.z_range[0]:.4f}..{ins.z_range[1]:.4f} m, posterior surface z"
        f" {ins.posterior_surface_z[0]:.4f}..{ins.posterior_surface_z[1]:.4f} m, centre at"
        f" {_pct(ins.height_fraction)} of its height; bone normal posterior for {_pct(ins.posterior_share)},"
        f" up for {_pct(ins.top_share)}; mean normal {np.round(ins.mean_normal, 2)}"
    )
    p = [(f, section(soft["plantaris"], float(levels.z(f)))) for f in np.arange(0.40, 0.801, 0.01)]
    thin = min((s.width, f) for f, s in p if s is not None)
    lines.append(f"-- plantaris: narrowest between 40 % and 80 %: {thin[0] * 1e3:.1f} mm wide at {_pct(thin[1])}")
    grid = calf_rays(soft, bones, levels, (0.05, 0.60))
    mask = calf_width_mask(grid, SEEN_FROM_BEHIND) & (grid.ids != "")
    ids, counts = np.unique(grid.ids[mask], return_counts=True)
    lines.append(f"-- first hit from behind, 5-60 % of the leg, within the calf ({mask.sum()} rays)")
    lines.extend(
        f"   {k:28s} {_pct(c / mask.sum())}" for k, c in sorted(zip(ids, counts, strict=True), key=lambda x: -x[1])
    )
    deep_only = {k: soft[k] for k in DEEP} | {k: bones[k] for k in ("tibia", "fibula", "femur", "talus")}
    lo = np.min([m.bounds[0] for m in deep_only.values()], axis=0)
    hi = np.max([m.bounds[1] for m in deep_only.values()], axis=0)
    deep = first_hits_from_behind(deep_only, (lo[0], hi[0]), (levels.z(0.15), levels.z(0.75)), 0.002)
    mask = bone_back_mask(deep, bones["tibia"], bones["fibula"], medial_sign)
    ids, counts = np.unique(deep.ids[mask], return_counts=True)
    lines.append(
        f"-- deep layer only, 15-75 % of the leg, tibia's medial to fibula's lateral border ({mask.sum()} rays)"
    )
    lines.extend(
        f"   {k or '(nothing: a gap)':28s} {_pct(c / mask.sum())}"
        for k, c in sorted(zip(ids, counts, strict=True), key=lambda x: -x[1])
    )
    band = first_hits_from_behind(soft, (grid.x[0], grid.x[-1]), (levels.z(0.55), levels.z(0.65)), 0.002)
    sides = soleus_beside_gastrocnemius(band, medial_sign)
    lines.append(
        "-- soleus beside gastrocnemius/tendon, 55-65 %: medial in"
        f" {sum(m for _, m, _ in sides)}/{len(sides)} rows, lateral in {sum(la for _, _, la in sides)}/{len(sides)}"
    )
    return lines


def _parse_pose(text: str):
    from calfviewer.musculoskeletal import Pose

    try:
        pf, knee = (float(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"a pose is PLANTARFLEXION,KNEE in degrees, not {text!r}") from None
    return Pose(plantarflexion=pf, knee_flexion=knee)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pose",
        type=_parse_pose,
        action="append",
        help="PLANTARFLEXION,KNEE degrees, repeatable (default 0,0); write --pose=-30,0 for a negative angle",
    )
    args = parser.parse_args(argv)
    from calfviewer.geometry import load_scene_geometry
    from calfviewer.musculoskeletal import Pose, shared_model

    model = shared_model("right")
    geometry = load_scene_geometry(model)
    print(report(geometry, model, args.pose or [Pose()]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
