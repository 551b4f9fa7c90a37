"""The toe joint: tendons and slips bent round it as a hinge bends, not cut across it.

Why a module of its own: four tendons (the long flexors and extensors of the toes) and their slips cross MyoLeg's
one metatarsophalangeal joint, and both the tubes' ends (:mod:`calfviewer.geometry.deformer`) and the slips
(:class:`calfviewer.geometry.rig.Slips`) are carried over it the same way.

A point that is neither wholly on the foot (the calcaneus' body, which carries the metatarsals) nor wholly on the
toes is carried by a *share of the joint's turn* (:meth:`ToeHinge.carry`): turned about the hinge's axis by that
share of the toes' angle, then moved with the calcaneus. So it keeps its distance from the axis, and a tendon over
the metatarsal heads bends round them on an arc. Blending the two bodies' positions instead (what the slips did)
puts a point between the two on the chord, inside the bend: with the toes flexed 30 degrees extensor hallucis
longus lay 3 mm inside the proximal phalanx of the big toe. The share goes from 0 to 1 across the plane through
the axis (:meth:`ToeHinge.shares`), which MyoLeg sets obliquely across the foot (OpenSim's gait2392 axis): the fifth
toe's joint lies about 5 cm behind the big toe's, so a hand-over at one distance along the foot left the slips to
toes 4 and 5 on the metatarsals while their phalanges turned into them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from calfviewer.geometry import sweep
from calfviewer.musculoskeletal import MusculoskeletalModel, Pose, PoseResult
from calfviewer.musculoskeletal.frames import to_world

PROBE = Pose(toes=10.0)
"""A pose that turns only the toe joint, to find its axis (any angle but 0)."""


def _axis_vector(rotation: np.ndarray) -> np.ndarray:
    """``2 sin(angle) * axis`` of a rotation matrix."""
    return np.array([rotation[2, 1] - rotation[1, 2], rotation[0, 2] - rotation[2, 0], rotation[1, 0] - rotation[0, 1]])


@dataclass(frozen=True)
class ToeHinge:
    """MyoLeg's toe joint, in the calcaneus' frame.

    Attributes:
        centre: a point on the axis.
        axis: unit axis; positive toe flexion turns the toes about it by a positive angle.
        ahead: unit normal of the plane through the axis and the foot's dorsal direction (calcaneus y), pointing
            towards the toes.
        rest: ``4 x 4`` the toes' frame in the calcaneus' at the neutral pose.
    """

    centre: np.ndarray
    axis: np.ndarray
    ahead: np.ndarray
    rest: np.ndarray

    @classmethod
    def of(cls, model: MusculoskeletalModel) -> ToeHinge:
        rest = cls._toes_in_calcn(model.pose(Pose()))
        motion = cls._toes_in_calcn(model.pose(PROBE)) @ np.linalg.inv(rest)
        rotation, shift = motion[:3, :3], motion[:3, 3]
        axis = _axis_vector(rotation)
        axis /= np.linalg.norm(axis)
        # The point on the axis nearest the calcaneus' origin: (I - R) c = t has a line of solutions, the axis.
        centre = np.linalg.lstsq(np.eye(3) - rotation, shift, rcond=None)[0]
        ahead = np.cross(axis, [0.0, 1.0, 0.0])
        ahead /= np.linalg.norm(ahead) * (1.0 if ahead[0] > 0 else -1.0)
        return cls(centre=centre, axis=axis, ahead=ahead, rest=rest)

    @staticmethod
    def _toes_in_calcn(result: PoseResult) -> np.ndarray:
        return np.linalg.inv(result.body_transforms["calcn"]) @ result.body_transforms["toes"]

    def angle(self, result: PoseResult) -> float:
        """The toes' turn about :attr:`axis` from the neutral pose (radians)."""
        rotation = self._toes_in_calcn(result)[:3, :3] @ self.rest[:3, :3].T
        return float(np.arctan2(0.5 * _axis_vector(rotation) @ self.axis, 0.5 * (np.trace(rotation) - 1.0)))

    def ahead_of(self, local: np.ndarray) -> np.ndarray:
        """How far points ``(N, 3)`` in the calcaneus' frame lie ahead of the plane through the axis (m)."""
        return (local - self.centre) @ self.ahead

    def shares(self, local: np.ndarray, width: float) -> np.ndarray:
        """The share of the joint's turn a point ``(N, 3)`` in the calcaneus' frame takes: 0 behind the plane through
        the axis, 1 ahead of it, smooth over ``width`` (m) centred on it."""
        return sweep.smoothstep(self.ahead_of(local) / width + 0.5)

    def carry(self, local: np.ndarray, share: np.ndarray) -> Carried:
        """What :meth:`Carried.posed` needs to carry points ``(N, 3)`` in the calcaneus' frame, each turned by its
        ``share`` of the joint's angle."""
        arm = local - self.centre
        along = np.outer(arm @ self.axis, self.axis)
        return Carried(base=local, across=np.cross(self.axis, arm), inward=along - arm, share=np.asarray(share))


@dataclass(frozen=True)
class Carried:
    """Points turned about the toe joint's axis by their share of its angle, then moved with the calcaneus.

    Rodrigues' formula with the parts that do not change with the angle stored: a point ``p`` turned by ``a`` about
    the unit axis ``k`` through ``c`` is ``p + sin(a) k x (p - c) + (1 - cos(a)) ((k.(p - c)) k - (p - c))``.

    Attributes:
        base: the points at rest ``(N, 3)``, calcaneus frame.
        across: ``k x (p - c)``.
        inward: ``(k.(p - c)) k - (p - c)``.
        share: ``(N,)`` each point's share of the angle.
    """

    base: np.ndarray
    across: np.ndarray
    inward: np.ndarray
    share: np.ndarray

    FIELDS: ClassVar[tuple[str, ...]] = ("base", "across", "inward", "share")

    def posed(self, result: PoseResult, angle: float) -> np.ndarray:
        """World points ``(N, 3)`` in ``result``'s pose, the toes turned by ``angle`` (:meth:`ToeHinge.angle`)."""
        local = self.base
        if angle != 0.0:
            turn = (self.share * angle)[:, None]
            local = local + np.sin(turn) * self.across + (1.0 - np.cos(turn)) * self.inward
        calcn = result.body_transforms["calcn"]
        return to_world(calcn, local)

    @staticmethod
    def joined(parts: list[Carried]) -> Carried:
        """One :class:`Carried` of all of ``parts``' points, in order."""
        return Carried(*(np.concatenate([getattr(part, name) for part in parts]) for name in Carried.FIELDS))


@dataclass(frozen=True)
class CarriedRings:
    """The rings of a tube that ends on the toes carried round the toe joint (:data:`~calfviewer.geometry.specs.
    TOE_CARRY`), in place of where the model's path puts them.

    Why: the path's corner at the joint is smoothed (and its rings sit on the smoothed line), so with the toes turned
    the tendon cut across the bend through the bones, as the slips' blend did. Carried, the tendon's end keeps its
    place on the toes and bends round the metatarsal heads; further back, where its rings follow the path again,
    the two differ by how far the tendon slides as the toes move (a few millimetres), which the hand-over takes up.

    Attributes:
        rows: the tube's rings that are carried, in order (the deformer joins every tube's into one, counted in
            its batch of rings).
        blend: ``(len(rows),)`` how far each is carried (0: on the path, 1: carried).
        carried: their rest vertices, ``len(rows) * per ring`` of them.
    """

    rows: np.ndarray
    blend: np.ndarray
    carried: Carried
