"""ray_crossings against trimesh's ray tests, on a sphere and on the calf's own deformed muscles."""

import numpy as np
import pytest
import trimesh

from calfviewer.geometry.ray_cast import ray_crossings


def trimesh_fractions(mesh: trimesh.Trimesh, near: np.ndarray, far: np.ndarray) -> np.ndarray:
    """Sorted fractions along near-far where trimesh finds the segment crossing ``mesh``."""
    segment = far - near
    hits, _, _ = mesh.ray.intersects_location([near], [segment], multiple_hits=True)
    fractions = (hits - near) @ segment / (segment @ segment) if len(hits) else np.zeros(0)
    return np.sort(fractions[(fractions >= 0) & (fractions <= 1)])


def test_a_segment_through_a_sphere_crosses_it_twice_at_the_right_depths():
    sphere = trimesh.creation.icosphere(subdivisions=3, radius=1.0)
    near, far = np.array([0.1, 0.2, -3.0]), np.array([0.1, 0.2, 3.0])
    faces, fractions = ray_crossings(sphere.vertices, sphere.faces, near, far)
    assert len(faces) == 2
    order = np.argsort(fractions)
    assert np.allclose(fractions[order], trimesh_fractions(sphere, near, far))
    points = near + fractions[order, None] * (far - near)
    assert np.allclose(np.linalg.norm(points, axis=1), 1.0, atol=0.01)  # on the (faceted) sphere
    assert points[0, 2] < 0 < points[1, 2]


@pytest.mark.parametrize(
    ("near", "far"),
    [
        ((2.0, 0.0, -3.0), (2.0, 0.0, 3.0)),  # beside the sphere
        ((0.0, 0.0, -3.0), (0.0, 0.0, -1.5)),  # stops short of it
        ((0.0, 0.0, 0.0), (0.0, 0.0, 0.0)),  # no segment at all
    ],
)
def test_segments_that_miss_cross_nothing(near, far):
    sphere = trimesh.creation.icosphere(subdivisions=2, radius=1.0)
    faces, fractions = ray_crossings(sphere.vertices, sphere.faces, np.array(near), np.array(far))
    assert len(faces) == 0 and len(fractions) == 0


def test_a_segment_that_starts_inside_crosses_once():
    sphere = trimesh.creation.icosphere(subdivisions=3, radius=1.0)
    faces, fractions = ray_crossings(sphere.vertices, sphere.faces, np.zeros(3), np.array([0.3, 2.0, 0.1]))
    assert len(faces) == 1 and 0.4 < fractions[0] < 0.5


def test_agrees_with_trimesh_on_posed_muscles():
    from calfviewer.geometry import load_scene_geometry
    from calfviewer.musculoskeletal import Pose, shared_model

    model = shared_model("right")
    geometry = load_scene_geometry(model)
    points = geometry.soft_points(model.pose(Pose(plantarflexion=30, knee_flexion=40)))
    rng = np.random.default_rng(7)
    crossed = 0
    for structure_id in ("soleus", "gastrocnemius_medial_head", "calcaneal_tendon", "flexor_digitorum_longus"):
        vertices, triangles = points[structure_id], np.asarray(geometry.soft[structure_id].faces)
        mesh = trimesh.Trimesh(vertices, triangles, process=False)
        for _ in range(25):
            target = vertices[rng.integers(len(vertices))] + rng.normal(scale=0.004, size=3)  # metres
            direction = rng.normal(size=3)
            near = target - direction / np.linalg.norm(direction)
            far = near + 2.0 * (target - near)
            _, fractions = ray_crossings(vertices, triangles, near, far)
            expected = trimesh_fractions(mesh, near, far)
            assert np.allclose(np.sort(fractions), expected, atol=1e-9), structure_id
            crossed += len(expected) > 0
    assert crossed > 45  # most segments aimed at a muscle's surface cross it (fewer at the thin gastrocnemius sheets)


def test_the_cross_product_of_a_pick_is_numpys_to_the_bit():
    from calfviewer.geometry.ray_cast import _cross

    rng = np.random.default_rng(7)
    for a, b in zip(rng.normal(size=(500, 3)), rng.normal(size=(500, 3)) * 1e3, strict=True):
        assert np.array_equal(_cross(a, b), np.cross(a, b))
    assert np.array_equal(_cross(np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0])), [0.0, 0.0, 1.0])
