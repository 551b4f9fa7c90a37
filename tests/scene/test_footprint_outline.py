"""Attachment patches cut along a smoothed outline (:mod:`calfviewer.scene.footprint_outline`), on a sphere whose
answers are known: a disc of its triangles has a saw-tooth edge; the cut one lies on the sphere, keeps the area and
has a round edge."""

from __future__ import annotations

import math

import numpy as np
import pytest
import pyvista as pv

from calfviewer.scene.footprint_outline import smooth_patch

RADIUS = 0.05


@pytest.fixture(scope="module")
def sphere():
    mesh = pv.Sphere(radius=RADIUS, theta_resolution=120, phi_resolution=120).triangulate()
    return np.asarray(mesh.points), np.asarray(mesh.regular_faces)


def disc_faces(vertices: np.ndarray, faces: np.ndarray, radius: float) -> np.ndarray:
    """The triangles whose centroids lie within ``radius`` (straight-line) of the point on the sphere's equator."""
    centre = np.array([RADIUS, 0.0, 0.0])
    centroids = vertices[faces].mean(axis=1)
    return np.flatnonzero(np.linalg.norm(centroids - centre, axis=1) < radius)


def area(vertices: np.ndarray, faces: np.ndarray) -> float:
    a, b, c = (vertices[faces[:, i]] for i in range(3))
    return float(0.5 * np.linalg.norm(np.cross(b - a, c - a), axis=1).sum())


def edge_length(vertices: np.ndarray, faces: np.ndarray) -> float:
    """Total length of the edges used by one triangle only: the outline."""
    edges = np.sort(np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]), axis=1)
    unique, counts = np.unique(edges, axis=0, return_counts=True)
    outline = unique[counts == 1]
    return float(np.linalg.norm(vertices[outline[:, 0]] - vertices[outline[:, 1]], axis=1).sum())


def test_cut_patch_is_round_keeps_its_area_and_lies_on_the_surface(sphere):
    vertices, faces = sphere
    patch = disc_faces(vertices, faces, 0.012)
    jagged_area = area(vertices, faces[patch])
    jagged_edge = edge_length(vertices, faces[patch])
    points, triangles = smooth_patch(vertices, faces, patch, np.zeros_like(vertices))
    smooth_area, smooth_edge = area(points, triangles), edge_length(points, triangles)
    circle = 2.0 * math.sqrt(math.pi * smooth_area)  # perimeter of a flat disc of that area
    # The triangles' own edge zig-zags: far longer than a circle's; the cut one is within 10 % of it.
    assert jagged_edge > 1.25 * circle
    assert smooth_edge < 1.10 * circle, (smooth_edge, circle)
    assert abs(smooth_area - jagged_area) < 0.10 * jagged_area, (smooth_area, jagged_area)
    # On the sphere (the cut runs through triangles, whose chords lie a hair inside it).
    assert np.allclose(np.linalg.norm(points, axis=1), RADIUS, atol=2e-4)


def test_lift_moves_the_patch_off_the_surface(sphere):
    vertices, faces = sphere
    normals = vertices / np.linalg.norm(vertices, axis=1, keepdims=True)
    points, _ = smooth_patch(vertices, faces, disc_faces(vertices, faces, 0.01), 0.0004 * normals)
    assert np.allclose(np.linalg.norm(points, axis=1), RADIUS + 0.0004, atol=2e-4)
