"""Fixtures shared by the muscle tests (test_shaping, test_rig, test_deformer, test_proxies): the calcaneal tendon's
id and the depth of points inside the bones, measured on the real bone surfaces."""

from __future__ import annotations

from collections.abc import Callable, Collection

import numpy as np
import pytest

from calfviewer.geometry import SceneGeometry
from calfviewer.geometry.clearance import SurfaceSamples, exact_depth
from calfviewer.musculoskeletal import PoseResult

DeepestInBone = Callable[..., tuple[float, str]]


@pytest.fixture(scope="session")
def bone_samples(geometry: SceneGeometry) -> dict[str, SurfaceSamples]:
    return {bone_id: SurfaceSamples(mesh.trimesh) for bone_id, mesh in geometry.bones.items()}


@pytest.fixture(scope="session")
def tendon_id(geometry: SceneGeometry) -> str:
    return next(k for k, rig in geometry.deformer.rigs.items() if rig.kind == "tendon")


@pytest.fixture(scope="session")
def deepest_in_bone(geometry: SceneGeometry, bone_samples: dict[str, SurfaceSamples]) -> DeepestInBone:
    def deepest(points: np.ndarray, result: PoseResult, bones: Collection[str] | None = None) -> tuple[float, str]:
        """Deepest point inside any bone (or any of ``bones``) (m) and that bone: approximate search, exact where
        within 2 mm."""
        worst, where = -np.inf, ""
        for bone_id, sample in bone_samples.items():
            if bones is not None and bone_id not in bones:
                continue
            transform = result.body_transforms[geometry.bodies[bone_id]]
            local = (points - transform[:3, 3]) @ transform[:3, :3]
            approx, _ = sample.depth(local)
            close = approx > -2e-3
            if close.any():
                depth = float(exact_depth(geometry.bones[bone_id].trimesh, local[close]).max())
                if depth > worst:
                    worst, where = depth, bone_id
        return worst, where

    return deepest
