"""Laying a muscle onto what lies beneath it (geometry/drape.py), on a flat sheet over a block with a dip in it."""

from __future__ import annotations

import numpy as np
import pytest
import trimesh

from calfviewer.geometry.clearance import Obstacle
from calfviewer.geometry.drape import drape
from calfviewer.geometry.rig_batch import Frames
from calfviewer.geometry.specs import Bridge, DrapeSpec

RINGS, PER_RING = 61, 48
#: The dip in the block's back: 6 mm deep, 4 cm long along the sheet, halfway down it.
DIP, DIP_FROM, DIP_TO = 0.006, 0.13, 0.17


def _sheet() -> tuple[np.ndarray, Frames]:
    """A flat elliptical sheet 40 x 10 mm, 30 cm long, its front 25 mm behind the block (+y is behind)."""
    z = -np.linspace(0.0, 0.3, RINGS)
    centre = np.column_stack([np.zeros(RINGS), np.full(RINGS, 0.030), z])
    frames = Frames(
        centre=centre,
        tangent=np.tile((0.0, 0.0, -1.0), (RINGS, 1)),
        normal=np.tile((0.0, 1.0, 0.0), (RINGS, 1)),
        binormal=np.tile((1.0, 0.0, 0.0), (RINGS, 1)),
    )
    angle = np.linspace(0.0, 2.0 * np.pi, PER_RING, endpoint=False)
    outline = np.column_stack([0.020 * np.cos(angle), 0.005 * np.sin(angle), np.zeros(PER_RING)])
    return centre[:, None, :] + outline[None, :, :], frames


def _block() -> list[Obstacle]:
    """A block whose back is at y = 0, except over the dip, where it is 6 mm further forward."""

    def box(top: float, bottom: float, back: float) -> Obstacle:
        mesh = trimesh.creation.box(bounds=((-0.05, back - 0.03, -bottom), (0.05, back, -top)))
        return Obstacle.of(f"block {top}-{bottom}", mesh, margin=0.001)

    return [box(-0.01, DIP_FROM, 0.0), box(DIP_FROM, DIP_TO, -DIP), box(DIP_TO, 0.31, 0.0)]


def _back(rings: np.ndarray) -> np.ndarray:
    """The sheet's back in its middle (the largest y of each ring's vertices within 5 mm of its axis)."""
    middle = np.abs(rings[:, :, 0]) < 0.005
    return np.where(middle, rings[:, :, 1], -np.inf).max(axis=1)


def _trough(profile: np.ndarray) -> float:
    """The deepest water a trough along ``profile`` would hold."""
    water = np.minimum(np.maximum.accumulate(profile), np.maximum.accumulate(profile[::-1])[::-1])
    return float((water - profile).max())


@pytest.fixture(scope="module")
def draped() -> dict[str, np.ndarray]:
    rings, frames = _sheet()
    weights = np.ones(RINGS)
    plain = DrapeSpec(reach=0.05, smooth=(1.0, 1.0))
    bridged = DrapeSpec(reach=0.05, smooth=(1.0, 1.0), bridge=Bridge(radius=0.1, hollow=0.0015))
    return {
        "rings": rings,
        "plain": drape(rings, frames, _block(), weights, plain),
        "bridged": drape(rings, frames, _block(), weights, bridged),
    }


def test_sheet_is_laid_onto_the_block(draped):
    # Away from the dip the front lies on the block's back plus its 1 mm margin (25 mm away before).
    front = draped["plain"][:, :, 1].min(axis=1)
    z = -draped["rings"][:, 0, 2]
    away = (z < DIP_FROM - 0.05) | (z > DIP_TO + 0.05)
    assert np.all(np.abs(front[away] - 0.001) < 0.5e-3)


def test_unbridged_sheet_takes_the_dip_onto_its_back(draped):
    # Whole columns keep their thickness, so a sheet laid into a dip shows the dip on its back: the trough the
    # bridge is for (docs/geometry.md, 6b).
    assert _trough(_back(draped["plain"])) > 0.004


def test_bridged_sheet_keeps_its_back_and_stays_clear(draped):
    rings, bridged = draped["rings"], draped["bridged"]
    assert _trough(_back(bridged)) <= 0.0015 + 0.2e-3
    # Held back, never pushed further forward than without the bridge, nor behind where it was.
    assert np.all(bridged[:, :, 1] >= draped["plain"][:, :, 1] - 1e-9)
    assert np.all(bridged[:, :, 1] <= rings[:, :, 1] + 1e-9)
    # Bridging moves only along the normal: the outline keeps its shape in every ring.
    assert np.allclose(bridged[:, :, [0, 2]], rings[:, :, [0, 2]])
