"""Points between a body's frame and the world, through the 4x4 transforms a :class:`PoseResult` carries.

Every layer above the model moves points this way (bone meshes into a pose, attachments, labels' anchors, section
planes into a bone's frame, exports); this module is the one place the arithmetic is written, so a reader meets one
name for it and the conventions (rows are points; metres; the transform maps the body's frame to the world) are
said once.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def to_world(transform: np.ndarray, points: ArrayLike) -> np.ndarray:
    """``points`` ((N, 3) or one (3,)) given in a body's frame, placed in the world by that body's ``transform``."""
    return np.asarray(points, dtype=float) @ transform[:3, :3].T + transform[:3, 3]


def to_body(transform: np.ndarray, points: ArrayLike) -> np.ndarray:
    """World ``points`` ((N, 3) or one (3,)) in the frame of the body whose world transform is ``transform``."""
    return (np.asarray(points, dtype=float) - transform[:3, 3]) @ transform[:3, :3]


def turned(transform: np.ndarray, directions: ArrayLike) -> np.ndarray:
    """Directions or normals ((N, 3) or one (3,)) turned with the body; a direction has no position to move."""
    return np.asarray(directions, dtype=float) @ transform[:3, :3].T


def turned_back(transform: np.ndarray, directions: ArrayLike) -> np.ndarray:
    """World directions or normals ((N, 3) or one (3,)) in the frame of the body ``transform`` places."""
    return np.asarray(directions, dtype=float) @ transform[:3, :3]
