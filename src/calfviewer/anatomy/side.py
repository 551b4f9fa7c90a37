"""Which leg: one ``Side`` for the whole package, and the one mirror between the two legs.

MyoLeg names its bodies, sites and tendons with ``_r`` and ``_l``; everything of ours says ``"right"`` or
``"left"`` and asks :func:`model_suffix` for MyoLeg's form. The left leg is the right one mirrored: across the
body's midline (world x) for what is placed in the world, across z for what is placed in a body's own frame (MyoLeg's
left bodies are the right ones with z flipped). :func:`mirror` is the one place that flips a coordinate for the left
leg; every mirrored table, ring, landmark and camera direction goes through it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, TypeVar

if TYPE_CHECKING:
    import numpy as np

Side = Literal["right", "left"]
SIDES: tuple[Side, Side] = ("right", "left")
#: The axis the left leg is mirrored across, in world coordinates and in a body's own frame.
WORLD_MIRROR_AXIS = 0
BODY_MIRROR_AXIS = 2

_Values = TypeVar("_Values", "np.ndarray", tuple[float, float, float])


def check_side(side: str) -> Side:
    """``side`` if it is ``"right"`` or ``"left"``; anything else is a programming error (the CLI offers choices)."""
    if side not in SIDES:
        raise ValueError(f"unknown side {side!r}: use one of {', '.join(SIDES)}")
    return side


def model_suffix(side: Side) -> str:
    """MyoLeg's letter for ``side`` (``"r"`` or ``"l"``), as in ``gasmed_r_tendon``."""
    return "r" if check_side(side) == "right" else "l"


def side_sign(side: Side) -> float:
    """+1 for the right leg, -1 for the left: what a mirrored coordinate is multiplied by."""
    return 1.0 if check_side(side) == "right" else -1.0


def mirror(values: _Values, side: Side, axis: int) -> _Values:
    """``values`` (one point or vector, or rows of them) for ``side``'s leg: coordinate ``axis`` negated for the
    left leg, unchanged for the right. Returns a new array (or tuple); the input is never changed. (No numpy import:
    the anatomy layer stays free of numerics; an array is multiplied by a tuple, which numpy broadcasts over rows.)"""
    factors = tuple(side_sign(side) if k == axis else 1.0 for k in range(3))
    if isinstance(values, tuple):
        x, y, z = (v * f for v, f in zip(values, factors, strict=True))
        return (x, y, z)
    flipped: Any = values * factors
    return flipped


def mirror_x(values: _Values, side: Side) -> _Values:
    """World coordinates for ``side``'s leg: x negated for the left (the body's midline is x = 0)."""
    return mirror(values, side, WORLD_MIRROR_AXIS)


def mirror_z(values: _Values, side: Side) -> _Values:
    """Body-frame coordinates for ``side``'s leg: z negated for the left (MyoLeg's left frames flip z)."""
    return mirror(values, side, BODY_MIRROR_AXIS)
