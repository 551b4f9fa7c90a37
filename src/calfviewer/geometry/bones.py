"""Bones fit for an anatomy atlas, generated from MyoLeg's simulation meshes.

Over 500 lines on purpose: one build-time pipeline (split, repair, smooth, check) that ``build-meshes`` runs in
order; nothing of it runs in the viewer.

MyoLeg's bone meshes are made for simulation: coarse (a femur of 908 triangles), several bones to a file (the
foot file holds eleven, the toe file fourteen), and not all closed (the tibia carries 36 loose or duplicated
triangles, the calcaneus and the distal phalanges have small holes). This module turns them into one closed,
smooth surface per bone, in the bone's body frame, in metres:

1. **Split**: a multi-bone file is cut into its vertex-connected pieces; fragments of fewer than
   :data:`MIN_PIECE_FACES` triangles are dropped as strays, and the counts are asserted (11 in the foot file,
   14 in the toe file) so a changed model fails loudly instead of mislabelling bones.
2. **Identify**: pieces are named by geometry, not by file order (see :func:`identify_foot_bones` and
   :func:`identify_toe_bones`). The right foot's medial side is -z: the most medial metatarsal is also the
   stoutest one, which is the hallux's and is checked.
3. **Repair**: each piece on its own (MeshFix keeps only the largest component, so the whole file at once would
   lose bones). Only triangles connected to the main sheet across two-sided edges are kept, which drops the
   tibia's loose and duplicated triangles; MeshFix then closes the holes and removes the few self-intersecting
   triangles. The result is the *closed original* every later limit is measured against.
4. **Refine**: Loop subdivision, evaluated on the limit surface, of a control mesh placed halfway between the
   original vertices (plain Loop: the surface shrinks 6-14 %) and the control points whose limit surface
   interpolates them (the surface swells 7-17 %). Halfway keeps the volume within about one percent and every
   vertex within about 1.8 mm of the original surface, with no iteration and nothing to tune per bone. Levels are
   chosen per bone so the mean edge ends below :attr:`RefineSettings.target_edge` (two or three levels). Where a
   sliver-thin ridge of the original makes the half-interpolating surface fold through itself (one ridge on the
   second metatarsal), the control points under the fold move back toward plain Loop until it is gone.

All steps are plain numpy/scipy plus trimesh, pymeshfix and manifold3d (the geometry layer never imports Qt or
VTK), and deterministic: the same installed myo-sim gives byte-identical files in ``meshes/``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import trimesh
from scipy import sparse
from scipy.sparse.linalg import splu

from calfviewer.geometry import sources
from calfviewer.geometry.mesh_store import ManifestEntry, MeshRecord, MeshSource, write_meshes
from calfviewer.geometry.sources import BONE_IDS, FOOT_BONE_IDS, SOURCE_MESHES, TOE_BONE_IDS, SourceMesh

BONES_GENERATOR = "calfviewer.geometry.bones"
BONES_GENERATOR_VERSION = 1
"""Bump whenever a change here changes the generated files; the sync test then asks for a rebuild."""

MIN_PIECE_FACES = 20
"""Connected pieces with fewer triangles are stray fragments, not bones (the smallest bone has 80)."""

Progress = Callable[[int, int, str], None]
"""``progress(done, total, bone_id)``, called after each bone is finished (the CLI drives a progress bar)."""


class BoneSplitError(RuntimeError):
    """A source file did not split into the bones this module expects: the model changed, fix the generator."""


@dataclass(frozen=True)
class RefineSettings:
    """How coarse bones are refined (see the module docstring, step 4).

    Attributes:
        alpha: 0 places the control mesh on the original vertices (approximating Loop, shrinks), 1 on the
            interpolating control points (swells); 0.5 balances the two.
        target_edge: subdivide until the mean edge length is at most this (metres)...
        min_levels: ...but at least this many times...
        max_levels: ...and at most this many (each level multiplies the triangles by four).
        quantum: final vertex coordinates are rounded to this grid (metres), then to float32 as stored, so
            float noise in the last bits cannot change the stored bytes between machines.
    """

    alpha: float = 0.5
    target_edge: float = 2.0e-3
    min_levels: int = 2
    max_levels: int = 3
    quantum: float = 1e-6


DEFAULT_SETTINGS = RefineSettings()


@dataclass(frozen=True)
class OriginalBone:
    """One bone as MyoLeg ships it, split out and closed, before refinement.

    Attributes:
        id: bone id.
        body: model body stem whose frame the vertices are in.
        source: the file it comes from.
        raw: the piece's triangles exactly as in the file (may be open or carry stray triangles).
        closed: the repaired, closed surface; the reference for the 2 mm and 3 % limits.
    """

    id: str
    body: str
    source: SourceMesh
    raw: trimesh.Trimesh
    closed: trimesh.Trimesh


# --- split ----------------------------------------------------------------------------------------------------


def _vertex_components(n_vertices: int, faces: np.ndarray) -> np.ndarray:
    """Component label of every face, components connected through shared vertices (trimesh's graph labelling)."""
    edges = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]]])
    return trimesh.graph.connected_component_labels(edges, node_count=n_vertices)[faces[:, 0]]


def _submesh(vertices: np.ndarray, faces: np.ndarray) -> trimesh.Trimesh:
    """The triangles ``faces`` with only the vertices they use (kept in their original order)."""
    used, inverse = np.unique(faces.ravel(), return_inverse=True)
    return trimesh.Trimesh(vertices[used], inverse.reshape(-1, 3), process=False)


def split_pieces(vertices: np.ndarray, faces: np.ndarray, min_faces: int = MIN_PIECE_FACES) -> list[trimesh.Trimesh]:
    """The vertex-connected pieces of a mesh with at least ``min_faces`` triangles, largest first."""
    labels = _vertex_components(len(vertices), faces)
    counts = np.bincount(labels)
    keep = [label for label in np.argsort(-counts, kind="stable") if counts[label] >= min_faces]
    return [_submesh(vertices, faces[labels == label]) for label in keep]


# --- repair ---------------------------------------------------------------------------------------------------


def _edge_manifold_core(mesh: trimesh.Trimesh) -> trimesh.Trimesh:
    """The largest set of triangles connected across edges that exactly two triangles share.

    Duplicated triangles make their edges three- or four-sided and loose triangles hang off one-sided edges, so
    neither joins the main sheet; what the core lacks is then closed as holes.
    """
    faces = np.asarray(mesh.faces)
    face_edges = np.sort(np.stack([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]], axis=1), axis=2)
    _, edge_of, uses = np.unique(face_edges.reshape(-1, 2), axis=0, return_inverse=True, return_counts=True)
    edge_of = edge_of.ravel()
    owner = np.repeat(np.arange(len(faces)), 3)
    two_sided = uses[edge_of] == 2
    order = np.argsort(edge_of[two_sided], kind="stable")
    pairs = owner[two_sided][order].reshape(-1, 2)
    labels = trimesh.graph.connected_component_labels(pairs, node_count=len(faces))
    largest = np.argmax(np.bincount(labels))
    return _submesh(np.asarray(mesh.vertices), faces[labels == largest])


def repair_piece(mesh: trimesh.Trimesh) -> trimesh.Trimesh:
    """One bone piece as a closed, manifold, self-intersection-free surface with outward normals.

    MeshFix (pymeshfix) fills the holes and removes self-intersecting triangles; it is run on a single piece
    because it keeps only the largest component of whatever it is given.
    """
    import pymeshfix

    core = _edge_manifold_core(mesh)
    fixer = pymeshfix.MeshFix(np.asarray(core.vertices, dtype=np.float64), np.asarray(core.faces, dtype=np.int32))
    fixer.repair(joincomp=False, remove_smallest_components=True)
    closed = trimesh.Trimesh(np.asarray(fixer.points), np.asarray(fixer.faces, dtype=np.int64), process=False)
    if closed.volume < 0:
        closed.faces = closed.faces[:, ::-1]
    return closed


# --- identify -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Shape:
    """What identification looks at: position, extent along x (anterior), size and elongation of a piece."""

    mesh: trimesh.Trimesh
    centroid: np.ndarray
    x_min: float
    x_max: float
    volume: float
    elongation: float
    base: np.ndarray  # mean of the most posterior vertices
    tip: np.ndarray  # mean of the most anterior vertices

    @classmethod
    def of(cls, mesh: trimesh.Trimesh) -> _Shape:
        v = np.asarray(mesh.vertices)
        x = v[:, 0]
        length = x.max() - x.min()
        eig = np.linalg.eigvalsh(np.cov(v.T))
        return cls(
            mesh=mesh,
            centroid=np.asarray(mesh.center_mass if mesh.is_volume else v.mean(axis=0)),
            x_min=float(x.min()),
            x_max=float(x.max()),
            volume=float(mesh.volume),
            elongation=float(np.sqrt(eig[2] / max(eig[1], 1e-30))),
            base=v[x <= x.min() + 0.15 * length].mean(axis=0),
            tip=v[x >= x.max() - 0.15 * length].mean(axis=0),
        )


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise BoneSplitError(message)


def identify_foot_bones(pieces: list[trimesh.Trimesh]) -> dict[str, int]:
    """Name the eleven closed pieces of the right foot file (calcn frame: x anterior, z lateral).

    Returns the index into ``pieces`` of every bone in :data:`FOOT_BONE_IDS`. The rules:

    * calcaneus: the largest piece, and it must also be the most posterior one;
    * metatarsals: the five pieces reaching farthest anterior, which must also be the five most elongated;
      numbered 1 (hallux) to 5 from medial (-z) to lateral, and metatarsal 1 must be the stoutest;
    * cuboid: the most lateral of the remaining five; navicular: the most posterior of the last four;
    * cuneiforms: the remaining three from medial to lateral; the bases of metatarsals 1, 2, 3 and 5 must lie
      closest to the medial, intermediate and lateral cuneiform and the cuboid.

    Raises :class:`BoneSplitError` when the count or any of the cross-checks fails.
    """
    shapes = [_Shape.of(p) for p in pieces]
    _check(len(shapes) == 11, f"foot mesh split into {len(shapes)} pieces, expected 11")
    order = range(len(shapes))
    calcaneus = max(order, key=lambda i: shapes[i].volume)
    _check(
        calcaneus == min(order, key=lambda i: shapes[i].centroid[0]),
        "largest foot piece is not the most posterior",
    )
    rest = [i for i in order if i != calcaneus]
    metatarsals = sorted(rest, key=lambda i: -shapes[i].x_max)[:5]
    _check(
        set(metatarsals) == set(sorted(rest, key=lambda i: -shapes[i].elongation)[:5]),
        "the five most anterior foot pieces are not the five long bones",
    )
    metatarsals.sort(key=lambda i: shapes[i].centroid[2])
    _check(
        metatarsals[0] == max(metatarsals, key=lambda i: shapes[i].volume),
        "the most medial (-z) metatarsal is not the stoutest: is medial really -z?",
    )
    tarsals = [i for i in rest if i not in metatarsals]
    cuboid = max(tarsals, key=lambda i: shapes[i].centroid[2])
    tarsals.remove(cuboid)
    navicular = min(tarsals, key=lambda i: shapes[i].centroid[0])
    cuneiforms = sorted((i for i in tarsals if i != navicular), key=lambda i: shapes[i].centroid[2])
    front_tarsals = [*cuneiforms, cuboid]
    for metatarsal, expected in zip([*metatarsals[:3], metatarsals[4]], front_tarsals, strict=True):
        base = shapes[metatarsal].base
        nearest = min(front_tarsals, key=lambda i: float(np.linalg.norm(shapes[i].centroid - base)))
        _check(nearest == expected, "metatarsals 1, 2, 3 and 5 do not sit on the three cuneiforms and the cuboid")
    named = [calcaneus, navicular, cuboid, *cuneiforms, *metatarsals]
    return dict(zip(FOOT_BONE_IDS, named, strict=True))


def identify_toe_bones(pieces: list[trimesh.Trimesh]) -> dict[str, int]:
    """Name the fourteen closed phalanges of the right toe file (toes frame: x anterior, z lateral).

    Returns the index into ``pieces`` of every bone in :data:`TOE_BONE_IDS`. Each phalanx is chained to the
    piece whose posterior end (base) lies closest to its anterior end (tip); the chains are the five rays. The
    hallux's ray must be the most medial (-z) and the only one of two bones; along a ray the bones are proximal,
    (middle,) distal. Raises :class:`BoneSplitError` when the chains do not come out that way.
    """
    shapes = [_Shape.of(p) for p in pieces]
    _check(len(shapes) == 14, f"toe mesh split into {len(shapes)} pieces, expected 14")
    successor: dict[int, int] = {}
    for i, s in enumerate(shapes):
        candidates = [j for j, t in enumerate(shapes) if t.centroid[0] > s.centroid[0]]
        if not candidates:
            continue
        j = min(candidates, key=lambda j: float(np.linalg.norm(shapes[j].base - s.tip)))
        # a true neighbour's base is much closer than half the two bones' lengths
        reach = 0.25 * (s.x_max - s.x_min + shapes[j].x_max - shapes[j].x_min)
        if np.linalg.norm(shapes[j].base - s.tip) < reach:
            successor[i] = j
    _check(len(set(successor.values())) == len(successor), "two phalanges claim the same distal neighbour")
    rays = []
    for start in (i for i in range(len(shapes)) if i not in successor.values()):
        ray = [start]
        while ray[-1] in successor:
            ray.append(successor[ray[-1]])
        rays.append(ray)
    rays.sort(key=lambda ray: shapes[ray[0]].centroid[2])
    _check(
        [len(r) for r in rays] == [2, 3, 3, 3, 3],
        f"toe rays have {[len(r) for r in rays]} bones from medial to lateral, expected [2, 3, 3, 3, 3]",
    )
    named: dict[str, int] = {}
    for toe, ray in enumerate(rays, start=1):
        levels = ["proximal", "distal"] if toe == 1 else ["proximal", "middle", "distal"]
        for level, index in zip(levels, ray, strict=True):
            named[f"{level}_phalanx_{toe}"] = index
    return {bone: named[bone] for bone in TOE_BONE_IDS}


# --- refine ---------------------------------------------------------------------------------------------------


def _edges(faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique edges (sorted pairs) and, per triangle, the edge ids of (f0, f1), (f1, f2), (f2, f0)."""
    face_edges = np.stack([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]], axis=1).reshape(-1, 2)
    edges, inverse = np.unique(np.sort(face_edges, axis=1), axis=0, return_inverse=True)
    return edges, inverse.reshape(-1, 3)


def _adjacency(n_vertices: int, edges: np.ndarray) -> sparse.csr_matrix:
    rows = np.concatenate([edges[:, 0], edges[:, 1]])
    cols = np.concatenate([edges[:, 1], edges[:, 0]])
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_vertices, n_vertices))


def _loop_weights(n_vertices: int, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Valence k and Loop's beta(k) (the same rule trimesh's ``subdivide_loop`` uses)."""
    k = np.bincount(edges.ravel(), minlength=n_vertices).astype(np.float64)
    beta = (40.0 - (2.0 * np.cos(2.0 * np.pi / k) + 3.0) ** 2) / (64.0 * k)
    return k, beta


def _loop_step(n_vertices: int, faces: np.ndarray) -> tuple[sparse.csr_matrix, np.ndarray]:
    """One Loop subdivision of a closed mesh as a sparse matrix (new vertices = S @ old) and the new faces."""
    edges, face_edges = _edges(faces)
    k, beta = _loop_weights(n_vertices, edges)
    even = sparse.diags(1.0 - k * beta) + sparse.diags(beta) @ _adjacency(n_vertices, edges)
    opposite = faces[:, [2, 0, 1]]  # the corner opposite edge (f0, f1) is f2, and so on
    n_edges = len(edges)
    rows = np.concatenate([np.arange(n_edges), np.arange(n_edges), face_edges.ravel()])
    cols = np.concatenate([edges[:, 0], edges[:, 1], opposite.ravel()])
    vals = np.concatenate([np.full(2 * n_edges, 0.375), np.full(face_edges.size, 0.125)])
    odd = sparse.csr_matrix((vals, (rows, cols)), shape=(n_edges, n_vertices))
    mid = face_edges + n_vertices
    new_faces = np.column_stack(
        [
            faces[:, 0], mid[:, 0], mid[:, 2],
            mid[:, 0], faces[:, 1], mid[:, 1],
            mid[:, 2], mid[:, 1], faces[:, 2],
            mid[:, 0], mid[:, 1], mid[:, 2],
        ]
    ).reshape(-1, 3)  # fmt: skip
    return sparse.vstack([even, odd]).tocsr(), new_faces


def _limit_matrix(n_vertices: int, faces: np.ndarray) -> sparse.csr_matrix:
    """Where Loop subdivision carried on forever would take each vertex (the limit surface point)."""
    edges, _ = _edges(faces)
    k, beta = _loop_weights(n_vertices, edges)
    chi = 1.0 / (3.0 / (8.0 * beta) + k)
    return (sparse.diags(1.0 - k * chi) + sparse.diags(chi) @ _adjacency(n_vertices, edges)).tocsr()


def subdivision_levels(mesh: trimesh.Trimesh, settings: RefineSettings = DEFAULT_SETTINGS) -> int:
    """How many Loop levels bring the mean edge of ``mesh`` down to ``settings.target_edge``."""
    mean_edge = float(np.mean(mesh.edges_unique_length))
    levels = int(np.ceil(np.log2(max(mean_edge / settings.target_edge, 1.0))))
    return int(np.clip(levels, settings.min_levels, settings.max_levels))


def refine(
    mesh: trimesh.Trimesh, settings: RefineSettings = DEFAULT_SETTINGS, levels: int | None = None
) -> trimesh.Trimesh:
    """A smooth, finer surface through (about) the same places as the closed coarse ``mesh``.

    The control points are ``V + alpha * (P - V)`` where ``V`` are the original vertices and ``P`` the control
    points whose Loop limit surface passes exactly through ``V`` (one sparse solve); the result is that control
    mesh subdivided ``levels`` times and pushed onto its limit surface, so its shading is as smooth as its
    triangle size allows.

    Where a sliver-thin crease of the original makes the half-interpolating surface fold through itself (one
    ridge on the second metatarsal), ``alpha`` is halved for the control points under the fold, step by step,
    until the surface is free of self-intersections; plain approximating Loop (``alpha = 0``) never folds on
    these bones. ``RuntimeError`` if it still does.
    """
    vertices = np.asarray(mesh.vertices, dtype=np.float64)
    faces = np.asarray(mesh.faces, dtype=np.int64)
    if levels is None:
        levels = subdivision_levels(mesh, settings)
    interpolating = splu(_limit_matrix(len(vertices), faces).tocsc()).solve(vertices)
    operator: sparse.csr_matrix = sparse.identity(len(vertices), format="csr")
    n = len(vertices)
    for _ in range(levels):
        step, faces = _loop_step(n, faces)
        operator = step @ operator
        n = step.shape[0]
    operator = (_limit_matrix(n, faces) @ operator).tocsr()

    alpha = np.full(len(vertices), settings.alpha)
    for _ in range(8):
        control = vertices + alpha[:, None] * (interpolating - vertices)
        refined = np.round(operator @ control / settings.quantum) * settings.quantum + 0.0
        refined = refined.astype(np.float32).astype(np.float64)  # exactly what the PLY stores and reads back
        result = trimesh.Trimesh(refined, faces, process=False)
        pairs = self_intersecting_pairs(result)
        if not len(pairs):
            return result
        under_fold = np.unique(operator[np.unique(faces[pairs.ravel()])].indices)
        alpha[under_fold] = np.where(alpha[under_fold] > 1e-3, alpha[under_fold] / 2, 0.0)
    raise RuntimeError(f"refined surface still intersects itself at {len(pairs)} triangle pairs")


# --- checks ---------------------------------------------------------------------------------------------------


def _segments_cross_triangles(
    p0: np.ndarray, p1: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray, eps: float = 1e-9
) -> np.ndarray:
    """Row-wise: does segment ``p0 p1`` pass through the inside of triangle ``a b c`` (Moeller-Trumbore)?

    Hits within ``eps`` (relative, in barycentric and segment parameters) of an edge, corner or segment end are
    not counted, so triangles that merely touch where they share a corner are not reported.
    """
    d = p1 - p0
    e1, e2 = b - a, c - a
    h = np.cross(d, e2)
    det = np.einsum("ij,ij->i", e1, h)
    scale = np.linalg.norm(e1, axis=1) * np.linalg.norm(e2, axis=1) * np.linalg.norm(d, axis=1)
    usable = np.abs(det) > 1e-12 * scale  # a segment parallel to the plane cannot pierce it
    inv = np.where(usable, 1.0 / np.where(usable, det, 1.0), 0.0)
    s = p0 - a
    u = np.einsum("ij,ij->i", s, h) * inv
    q = np.cross(s, e1)
    v = np.einsum("ij,ij->i", d, q) * inv
    t = np.einsum("ij,ij->i", e2, q) * inv
    return usable & (u > eps) & (v > eps) & (u + v < 1 - eps) & (t > eps) & (t < 1 - eps)


def self_intersecting_pairs(mesh: trimesh.Trimesh) -> np.ndarray:
    """Pairs of triangle indices ``(i, j)``, ``i < j``, where the surface passes through itself.

    Why this is a sound check: two triangles in general position intersect exactly when an edge of one pierces
    the other. Every pair whose bounding boxes overlap (found with an R-tree) is tested that way:

    * no shared corner: all six edges against the other triangle;
    * one shared corner: the edge opposite the shared corner of each against the other (any intersection
      besides the shared corner must reach one of those edges);
    * a shared edge: they intersect only if folded flat onto each other (normals opposite).

    Degenerate contacts are not counted: coplanar overlaps of triangles without a shared corner, and crossings
    exactly through another edge or corner (within ``eps``). On a smooth closed surface neither can happen
    without neighbouring triangles crossing in general position, which is detected.
    """
    from rtree import index

    vertices = np.asarray(mesh.vertices, dtype=np.float64)
    faces = np.asarray(mesh.faces, dtype=np.int64)
    tri = vertices[faces]
    lo, hi = tri.min(axis=1), tri.max(axis=1)
    props = index.Property()
    props.dimension = 3
    tree = index.Index((np.arange(len(faces), dtype=np.int64), lo, hi), properties=props)
    hits, counts = tree.intersection_v(lo, hi)
    first = np.repeat(np.arange(len(faces)), counts.astype(np.int64))
    second = hits.astype(np.int64)
    keep = first < second
    first, second = first[keep], second[keep]
    fa, fb = faces[first], faces[second]
    same = fa[:, :, None] == fb[:, None, :]  # same[k, i, j]: corner i of a is corner j of b
    shared = same.sum(axis=(1, 2))
    bad = np.zeros(len(first), dtype=bool)

    rows = np.flatnonzero(shared == 0)
    ta, tb = tri[first[rows]], tri[second[rows]]
    crossing = np.zeros(len(rows), dtype=bool)
    for x, y in ((ta, tb), (tb, ta)):
        for i, j in ((0, 1), (1, 2), (2, 0)):
            crossing |= _segments_cross_triangles(x[:, i], x[:, j], y[:, 0], y[:, 1], y[:, 2])
    bad[rows[crossing]] = True

    rows = np.flatnonzero(shared == 1)
    ka = np.argmax(same[rows].any(axis=2), axis=1)  # the shared corner in a
    kb = np.argmax(same[rows].any(axis=1), axis=1)  # ... and in b
    r = np.arange(len(rows))
    ta, tb = tri[first[rows]], tri[second[rows]]
    crossing = _segments_cross_triangles(
        ta[r, (ka + 1) % 3], ta[r, (ka + 2) % 3], tb[:, 0], tb[:, 1], tb[:, 2]
    ) | _segments_cross_triangles(tb[r, (kb + 1) % 3], tb[r, (kb + 2) % 3], ta[:, 0], ta[:, 1], ta[:, 2])
    bad[rows[crossing]] = True

    rows = np.flatnonzero(shared == 2)
    normals = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    normals /= np.linalg.norm(normals, axis=1, keepdims=True)
    folded = np.einsum("ij,ij->i", normals[first[rows]], normals[second[rows]]) < -0.9999
    bad[rows[folded]] = True
    return np.column_stack([first[bad], second[bad]])


def surface_problems(mesh: trimesh.Trimesh, *, self_intersection: bool = True) -> list[str]:
    """Why ``mesh`` is not a closed, manifold, outward-facing, self-intersection-free surface (empty if it is).

    Watertightness and winding come from trimesh; manifold3d must accept the mesh as a valid manifold (every
    edge shared by exactly two triangles in opposite directions); the volume must be positive (outward normals).
    """
    import manifold3d

    problems = []
    if not mesh.is_watertight:
        problems.append("not watertight")
    if not mesh.is_winding_consistent:
        problems.append("winding not consistent")
    if not mesh.volume > 0:
        problems.append(f"volume {mesh.volume:.3g} is not positive (normals point inward)")
    solid = manifold3d.Manifold(
        manifold3d.Mesh(
            vert_properties=np.asarray(mesh.vertices, dtype=np.float32),
            tri_verts=np.asarray(mesh.faces, dtype=np.uint32),
        )
    )
    if solid.status() != manifold3d.Error.NoError:
        problems.append(f"manifold3d rejects it ({solid.status().name})")
    if self_intersection:
        pairs = self_intersecting_pairs(mesh)
        if len(pairs):
            problems.append(f"{len(pairs)} pairs of triangles intersect")
    return problems


# --- build ----------------------------------------------------------------------------------------------------


def _source_in_right_convention(source: SourceMesh, side: str) -> tuple[np.ndarray, np.ndarray]:
    """A source file's geometry, mirrored into the right side's frame for the left side (see sources.py)."""
    vertices, faces = sources.read_stl(source.path(side))
    if side == "left":
        vertices, faces = sources.mirror_z(vertices, faces)
    return vertices, faces


def original_bones(side: str = "right") -> dict[str, OriginalBone]:
    """Every bone split out of MyoLeg's files, identified and closed, but not refined (fast: about a second).

    For the left side the pieces are returned in the left body frames, like the refined ones.
    """
    sources.side_prefix(side)
    bones: dict[str, OriginalBone] = {}
    for source in SOURCE_MESHES:
        vertices, faces = _source_in_right_convention(source, side)
        raws = split_pieces(vertices, faces)
        closed = [repair_piece(raw) for raw in raws]
        if source.bone_ids == FOOT_BONE_IDS:
            index = identify_foot_bones(closed)
        elif source.bone_ids == TOE_BONE_IDS:
            index = identify_toe_bones(closed)
        else:
            _check(len(raws) == 1, f"{source.relative_path(side)} split into {len(raws)} pieces, expected 1")
            index = {source.bone_ids[0]: 0}
        for bone, i in index.items():
            raw, shut = raws[i], closed[i]
            if side == "left":
                raw = trimesh.Trimesh(*sources.mirror_z(raw.vertices, raw.faces), process=False)
                shut = trimesh.Trimesh(*sources.mirror_z(shut.vertices, shut.faces), process=False)
            bones[bone] = OriginalBone(id=bone, body=source.body, source=source, raw=raw, closed=shut)
    return {bone: bones[bone] for bone in BONE_IDS}


def build_bone_meshes(
    side: str = "right", progress: Progress | None = None, settings: RefineSettings = DEFAULT_SETTINGS
) -> dict[str, trimesh.Trimesh]:
    """Every bone as a refined, closed surface in its body frame (metres), by id in :data:`BONE_IDS` order.

    Each mesh's ``metadata`` holds ``id``, ``body`` (model body stem) and ``side``. Raises
    :class:`BoneSplitError` if a source file does not split into the expected bones, and ``RuntimeError`` if a
    refined bone fails :func:`surface_problems` (the stored meshes must be clean, so this is never silent).
    """
    originals = original_bones(side)
    refined: dict[str, trimesh.Trimesh] = {}
    for done, (bone, original) in enumerate(originals.items(), start=1):
        mesh = refine(original.closed, settings)
        problems = surface_problems(mesh, self_intersection=False)
        if problems:
            raise RuntimeError(f"refined {bone} is not clean: {', '.join(problems)}")
        mesh.metadata.update(id=bone, body=original.body, side=side)
        refined[bone] = mesh
        if progress is not None:
            progress(done, len(originals), bone)
    return refined


def bone_records(meshes: dict[str, trimesh.Trimesh], side: str = "right") -> list[MeshRecord]:
    """Manifest records for built bones, with their source file, its sha256 and the myo-sim version."""
    version = sources.source_version()
    records = []
    for bone, mesh in meshes.items():
        source = sources.source_of(bone)
        records.append(
            MeshRecord(
                id=bone,
                mesh=mesh,
                kind="bone",
                body=source.body,
                source=MeshSource(
                    package=sources.SOURCE_PACKAGE,
                    version=version,
                    file=source.relative_path(side),
                    sha256=sources.file_sha256(source.path(side)),
                ),
                generator=BONES_GENERATOR,
                generator_version=BONES_GENERATOR_VERSION,
            )
        )
    return records


def build_bones_into(directory: Path | None = None, progress: Progress | None = None) -> dict[str, ManifestEntry]:
    """Build the right-side bones and write them to ``directory`` (``meshes/`` by default).

    This is what ``calfviewer build-meshes`` runs for the bones. Bone entries that are no longer generated are
    pruned; muscle, tendon and footprint entries in the same manifest are kept.
    """
    meshes = build_bone_meshes("right", progress=progress)
    return write_meshes(bone_records(meshes, "right"), directory, prune_kind="bone")
