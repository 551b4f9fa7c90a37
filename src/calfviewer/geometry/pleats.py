"""Pleats taken out of a built muscle: where its outline folds back on itself, a crease running along it.

Why: the build steps that move a muscle's vertices after sizing it (the drape onto what lies beneath,
:mod:`calfviewer.geometry.drape`; the packing against neighbours, :mod:`calfviewer.geometry.packing`) move each
place round a ring by its own amount, and where two neighbouring places are moved past each other the ring's outline
runs forward, back and forward again (a Z-fold). Over several rings in a row that is a pleat: a sharp V-shaped
crease running along the muscle, which no muscle has. The lateral head of gastrocnemius had one on its lateral
edge in the lower third of its belly and fibularis longus two along its belly; posing carries them along, and with
the knee bent 90 degrees the lateral head's read as a crumpled patch in the standard lateral view.

How: a pleat is found as two neighbouring faces meeting in a concave fold sharper than a right angle across an edge
that runs along the muscle (from one ring to the next). A muscle's designed shape has no such fold: its thin edges
are convex, and the sharpest concave bend it is designed with, where the belly narrows into its tendon, runs round
a ring. The vertices round each pleat are relaxed towards their neighbours' mean (trimesh's Laplacian filter, every
other vertex pinned), over a wider neighbourhood each round, until no pleat is left. Nothing else of the mesh moves.
"""

from __future__ import annotations

import numpy as np
import trimesh

#: A fold between neighbouring faces counts as a pleat when the angle between their normals exceeds this (a right
#: angle; the pleats in the built meshes were sharper). At 60 degrees designed bends of the soleus and fibularis
#: longus count too, and relaxing them cost those muscles 3-4 % of their volume.
PLEAT_COSINE = 0.0

#: Rings of neighbours freed round a pleat in the first round (one more each further round).
PLEAT_REACH = 2
PLEAT_ROUNDS = 6
#: Laplacian steps per round, each halfway to the neighbours' mean.
PLEAT_STEPS = 10


def pleat_edges(mesh: trimesh.Trimesh, rings: int, per_ring: int, cosine: float = PLEAT_COSINE) -> np.ndarray:
    """``(N, 2)`` vertex pairs: the edges running from one ring to the next along which ``mesh`` is folded.

    ``mesh`` is a tube (:class:`calfviewer.geometry.sweep.TubeTopology`: ``rings`` x ``per_ring`` vertices first,
    then the caps and any slips, which are not looked at).
    """
    normals = mesh.face_normals
    pairs = mesh.face_adjacency
    between = np.einsum("ij,ij->i", normals[pairs[:, 0]], normals[pairs[:, 1]])
    edges = mesh.face_adjacency_edges[(between < cosine) & ~mesh.face_adjacency_convex]
    tube = rings * per_ring
    edges = edges[(edges < tube).all(axis=1)]
    return edges[edges[:, 0] // per_ring != edges[:, 1] // per_ring]


def unpleated(
    vertices: np.ndarray, faces: np.ndarray, rings: int, per_ring: int, cosine: float = PLEAT_COSINE
) -> np.ndarray:
    """``vertices`` with the pleats relaxed away; the same values where there are none. ``cosine``: a fold whose
    faces' normals meet at a cosine below it counts (a muscle whose rest creases are pressed into pleats as it
    shortens is relaxed further at the build: ``ShapeSpec.crease``)."""
    mesh = trimesh.Trimesh(np.array(vertices, dtype=float), faces, process=False)
    tube = rings * per_ring
    for round_ in range(PLEAT_ROUNDS):
        edges = pleat_edges(mesh, rings, per_ring, cosine)
        if len(edges) == 0:
            break
        free = set(np.unique(edges).tolist())
        for _ in range(PLEAT_REACH + round_):
            free |= {int(n) for v in free for n in mesh.vertex_neighbors[v] if n < tube}
        pinned = np.setdiff1d(np.arange(len(mesh.vertices)), np.fromiter(free, dtype=int))
        operator = trimesh.smoothing.laplacian_calculation(mesh, equal_weight=True, pinned_vertices=pinned)
        trimesh.smoothing.filter_laplacian(
            mesh, lamb=0.5, iterations=PLEAT_STEPS, volume_constraint=False, laplacian_operator=operator
        )
    return np.asarray(mesh.vertices)
