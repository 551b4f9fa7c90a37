"""The scene's camera: a standard view framed on the leg as drawn, an explicit camera applied, and the camera read
back as plain data. Split from ``anatomy_scene.py`` by job; which camera the state holds is the viewer's business,
putting it on VTK's camera is this module's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from calfviewer.anatomy.side import Side, mirror_x
from calfviewer.musculoskeletal.frames import to_world
from calfviewer.scene.actors import Item
from calfviewer.viewer.camera import Camera

#: Direction from the calf to the camera for each standard view, right leg (x is mirrored for the left).
VIEW_DIRECTIONS: dict[str, tuple[float, float, float]] = {
    "posterior": (0.0, 1.0, 0.0),
    "anterior": (0.0, -1.0, 0.0),
    "medial": (1.0, 0.0, 0.0),
    "lateral": (-1.0, 0.0, 0.0),
}
#: Bodies whose bones a standard view frames: knee to toes. The femur reaches the hip, so only its distal end
#: (KNEE_MARGIN above the tibial plateau) is framed. (Not geometry.specs.FRAME_BODIES: those carry the rings.)
VIEWED_BODIES = ("patella", "tibia", "talus", "calcn", "toes")
KNEE_MARGIN = 0.07
FRAME_PADDING = 1.06


def frame_bounds(items: Iterable[Item]) -> np.ndarray:
    """World box (min xyz, max xyz) the standard views fit: knee to toes in the current pose."""
    boxes: list[tuple[str | None, np.ndarray]] = []
    for item in items:
        if item.body is not None and item.body not in VIEWED_BODIES:
            continue
        if item.body is None:
            # Soft tissue, moved every frame: the box of its points, from the points alone. VTK's actor bounds
            # walk every cell for the points they use (3-4 ms a frame for the muscles under load; issue 23), and
            # numpy's min and max along the first axis of the (N, 3) array took ~0.17 ms a structure, 2.5 ms a frame
            # for all of them; the points' own bounds are the same numbers in ~0.02 ms.
            b = np.array(item.poly.GetPoints().GetBounds(), dtype=float).reshape(3, 2)
        else:
            b = np.array(item.actor.GetBounds()).reshape(3, 2)
        boxes.append((item.body, b))
    return _fitted(boxes)


def motion_bounds(
    now: np.ndarray, bones: Iterable[tuple[str, np.ndarray]], transforms: Iterable[dict[str, np.ndarray]]
) -> np.ndarray:
    """The box a standard view fits while a motion plays: ``now`` (:func:`frame_bounds` in the pose shown) grown to
    hold each viewed bone (``bones``: its body and its mesh's box corners (8, 3) in that body's frame) where each of
    ``transforms`` (body -> 4x4 world transform, one per pose of the motion) puts it. The bones reach furthest as
    the joints move (the toes, the heel); the muscles lie along them."""
    viewed = [(body, corners) for body, corners in bones if body in VIEWED_BODIES]
    boxes: list[tuple[str | None, np.ndarray]] = [(None, now.T)]
    for transform in transforms:
        for body, corners in viewed:
            points = to_world(transform[body], corners)
            boxes.append((body, np.stack([points.min(axis=0), points.max(axis=0)], axis=1)))
    return _fitted(boxes)


def _fitted(boxes: Sequence[tuple[str | None, np.ndarray]]) -> np.ndarray:
    """The box (min xyz, max xyz) round ``boxes`` (body or None, (3, 2) bounds), its top KNEE_MARGIN above the
    tibia and patella where they are among them (the femur reaches the hip)."""
    low = np.min([b[:, 0] for _, b in boxes], axis=0)
    high = np.max([b[:, 1] for _, b in boxes], axis=0)
    knee_tops = [b[2, 1] for body, b in boxes if body in ("tibia", "patella")]
    if knee_tops:
        high[2] = max(knee_tops) + KNEE_MARGIN
    return np.stack([low, high])


def view_direction(view: str, side: Side) -> np.ndarray:
    """From the leg towards the camera for a standard view of ``side``'s leg (a name :class:`Camera` checked)."""
    return mirror_x(np.array(VIEW_DIRECTIONS[view]), side)


def put_camera(cam: Any, camera: Camera) -> None:
    """Set VTK's camera ``cam`` to an explicit :class:`Camera` (``camera.view`` is None)."""
    cam.position = camera.position
    cam.focal_point = camera.focal_point
    cam.up = camera.view_up
    cam.view_angle = camera.view_angle
    cam.parallel_projection = camera.parallel_scale is not None
    if camera.parallel_scale is not None:
        cam.parallel_scale = camera.parallel_scale


def frame(cam: Any, bounds: np.ndarray, direction: np.ndarray, view_angle: float, window: Sequence[int]) -> None:
    """Point ``cam`` along ``direction`` at the box ``bounds`` so it fills a ``window`` of (width, height)."""
    low, high = bounds
    centre = (low + high) / 2.0
    up = np.array([0.0, 0.0, 1.0])
    right = np.cross(up, direction)
    corners = np.array([[x, y, z] for x in (low[0], high[0]) for y in (low[1], high[1]) for z in (low[2], high[2])])
    half_width = float(np.abs((corners - centre) @ right).max())
    half_height = float(np.abs((corners - centre) @ up).max())
    half_depth = float(np.abs((corners - centre) @ direction).max())
    width, height = window
    aspect = max(width, 1) / max(height, 1)  # a Qt widget can be 0 x 0 before it is shown
    needed = max(half_height, half_width / aspect) * FRAME_PADDING
    distance = needed / np.tan(np.radians(view_angle) / 2.0) + half_depth
    cam.parallel_projection = False
    cam.view_angle = view_angle
    cam.focal_point = tuple(centre)
    # VTK's setter, not pyvista's: that one also resets the clipping range (3-8 ms a frame while a named view
    # follows the leg in playback), which the caller does once the camera is placed (issue 23).
    cam.SetPosition(*(float(v) for v in centre + direction * distance))
    cam.up = tuple(up)


def camera_of(cam: Any) -> Camera:
    """VTK's camera ``cam`` as it is now (after the user orbited, say), as an explicit :class:`Camera`.

    Rounded to 1e-12 (a picometre, a trillionth of a unit vector): VTK renormalises the view-up it is given, so a
    camera set from this one and read back differed in its last bit (``1.0000000000000002``), and a view state
    never compared equal to the camera it had just been given."""

    def exact(values: Any) -> tuple[float, float, float]:
        x, y, z = (round(float(v), 12) + 0.0 for v in values)
        return (x, y, z)

    return Camera(
        view=None,
        position=exact(cam.position),
        focal_point=exact(cam.focal_point),
        view_up=exact(cam.up),
        view_angle=float(cam.view_angle),
        parallel_scale=float(cam.parallel_scale) if cam.parallel_projection else None,
    )
