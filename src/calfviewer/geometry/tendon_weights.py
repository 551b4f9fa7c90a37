"""Where a muscle's mesh is tendon: a weight per vertex, 0 in the fleshy belly and 1 in tendon.

A muscle is one closed tube from origin to insertion, tendon rings and belly rings alike (see the rigs in
``geometry/rig.py``), so the scene cannot tell its tendon from its belly by the mesh alone. The rig can: each
ring is belly or tendon. The weight is 1 on every tendon ring and fades linearly to 0 over the first
:data:`TENDON_BLEND` of belly next to it (the end of a belly is where the muscle fibres give onto their tendon), so
a colour blended by it changes smoothly rather than in one step. Cap centres take the weight of the ring they close;
slips (extra tendon components appended after the tube's vertices) and the calcaneal tendon are tendon throughout.

Computed once when the scene geometry loads; the vertex order is the rest mesh's, which posing keeps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from calfviewer.geometry.rig import Rig

TENDON_BLEND = 0.01
"""Length of belly (m, along the tube's rest centreline) over which the weight fades from tendon (1) to belly (0)."""


def ring_tendon_weights(rig: Rig) -> np.ndarray:
    """Weight of each of ``rig``'s rings: 1 on tendon rings, fading to 0 within :data:`TENDON_BLEND` of belly."""
    belly = np.asarray(rig.belly) > 0.0
    tendon = ~belly
    if rig.kind == "tendon" or not belly.any():
        return np.ones(rig.rings)
    if not tendon.any():
        return np.zeros(rig.rings)
    arc = np.asarray(rig.arc, dtype=float)
    to_tendon = np.abs(arc[:, None] - arc[None, tendon]).min(axis=1)  # along the tube to the nearest tendon ring
    # Linear: rings are 5-8 mm apart at a junction, so only one or two lie in the blend, and a smoothstep would
    # leave the first of them nearly all belly (a step after all).
    return np.where(belly, np.clip(1.0 - to_tendon / TENDON_BLEND, 0.0, 1.0), 1.0)


def tendon_weights(rig: Rig) -> np.ndarray:
    """Weight of every vertex of ``rig``'s mesh, in its order: the rings, the two cap centres, then any slips."""
    rings = ring_tendon_weights(rig)
    slips = rig.slips.count if rig.slips is not None else 0
    return np.concatenate([np.repeat(rings, rig.topology.per_ring), rings[[0, -1]], np.ones(slips)])
