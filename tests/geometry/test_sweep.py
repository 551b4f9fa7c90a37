"""The sweep's building blocks against their definitions written out the slow, obvious way."""

import numpy as np
import pytest

from calfviewer.geometry import sweep


def smoothing_by_definition(arc: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    """Row by row: Gaussian weights over the samples and their point reflections about both ends."""
    k = len(arc)
    rows = []
    for i in range(k):
        if i in (0, k - 1) or sigma[i] <= 0:
            rows.append(np.eye(k)[i])
            continue
        row = np.zeros(k)
        # (arc position, the linear map from the samples that gives the padded point there)
        padded = [(2 * arc[0] - arc[j], 2 * np.eye(k)[0] - np.eye(k)[j]) for j in range(k - 1, 0, -1)]
        padded += [(arc[j], np.eye(k)[j]) for j in range(k)]
        padded += [(2 * arc[-1] - arc[j], 2 * np.eye(k)[-1] - np.eye(k)[j]) for j in range(k - 2, -1, -1)]
        positions = np.array([p for p, _ in padded])
        width = np.gradient(positions)
        weights = np.exp(-0.5 * ((positions - arc[i]) / sigma[i]) ** 2) * width
        for weight, (_, pick) in zip(weights / weights.sum(), padded, strict=True):
            row += weight * pick
        rows.append(row)
    return np.array(rows)


@pytest.mark.parametrize("k", [2, 3, 7, 40])
def test_smoothing_matrix_is_its_definition(k):
    rng = np.random.default_rng(k)
    arc = np.cumsum(rng.uniform(0.002, 0.01, k))
    sigma = np.where(rng.random(k) < 0.2, 0.0, rng.uniform(0.003, 0.02, k))
    smooth = sweep.smoothing_matrix(arc, sigma)
    assert np.allclose(smooth, smoothing_by_definition(arc, sigma), atol=1e-14)
    assert np.allclose(smooth.sum(axis=1), 1.0)  # an affine average: a shifted curve smooths to the shifted curve
    assert np.array_equal(smooth[0], np.eye(k)[0]) and np.array_equal(smooth[-1], np.eye(k)[-1])  # ends stay put


def test_parallel_transport_keeps_normals_square_to_the_curve_and_untwisted():
    s = np.linspace(0.0, np.pi, 60)
    curve = np.stack([np.cos(s), np.sin(s), 0.3 * s], axis=1)  # a helix turn
    tangent = sweep.tangents(curve)
    normals = sweep.parallel_transport(tangent, np.array([0.0, 0.0, 1.0]), anchor=20)
    assert np.allclose(np.linalg.norm(normals, axis=1), 1.0)
    assert np.allclose(np.einsum("ij,ij->i", normals, tangent), 0.0, atol=1e-12)
    # Untwisted: between neighbours the normal turns only as much as the tangent does.
    turn_normal = np.arccos(np.clip(np.einsum("ij,ij->i", normals[1:], normals[:-1]), -1, 1))
    turn_tangent = np.arccos(np.clip(np.einsum("ij,ij->i", tangent[1:], tangent[:-1]), -1, 1))
    assert np.all(turn_normal <= turn_tangent + 1e-9)
    # On a straight stretch, transport leaves the normal alone.
    straight = sweep.parallel_transport(np.tile([0.0, 0.0, 1.0], (5, 1)), np.array([1.0, 0.2, 0.0]), anchor=2)
    assert np.allclose(straight, np.array([1.0, 0.2, 0.0]) / np.hypot(1.0, 0.2))
