"""The colours of a section cap: the cut structure's tissue as it is where the plane cuts it.

A muscle is drawn in per-vertex colours, the belly striped muscle red and its own tendon in the tendon colour
(:mod:`calfviewer.scene.materials`), so its actor's colour (muscle red) says nothing of what the plane cuts. Taken
alone, it capped every cut through a muscle's tendon red: above the ankle the tendons of tibialis anterior, the deep
flexors and the fibulares showed as red discs, as if their bellies reached the malleoli, beside the calcaneal
tendon's white one (``render --section axial@0.92``). A slice shows tendon as tendon.

So a muscle's surface carries each vertex's tendon weight (:data:`TENDON_WEIGHT`, 0 belly .. 1 tendon, the number its
colours are made from), the cut interpolates it to the cap's outline and fill, and the cap is coloured through
:func:`tissue_ramp`: flat muscle red on the belly, the tendon colour on the tendon, the surface's blend between them.
A flat colour for the whole cap would not do: a cut along a muscle (sagittal, coronal) crosses belly and tendon, and
their mean came out pink. Where the actor's own colour is drawn instead (a selected structure, colour by stretch, a
bone, the calcaneal tendon), the cap takes that colour. Split from ``section_caps.py`` (500 lines).
"""

from __future__ import annotations

import numpy as np
import pyvista as pv
from vtkmodules.vtkCommonCore import vtkLookupTable

from calfviewer.scene.materials import MUSCLE, detail_colors

#: The point array of a muscle's surface holding each vertex's tendon weight (0 belly .. 1 tendon).
TENDON_WEIGHT = "tendon_weight"
#: Entries of the ramp: fine enough that the blend shows no steps.
RAMP_SIZE = 256


def tissue_ramp(shade: float = 1.0) -> vtkLookupTable:
    """A lookup table over tendon weight 0..1: muscle red at 0, the tendon colour (with the sheen the surface gives it)
    at 1, blended linearly between as the surface is (its fibre stripes left out: a cap is flat), times ``shade``."""
    weight = np.linspace(0.0, 1.0, RAMP_SIZE)
    colours = np.clip(shade * detail_colors(np.zeros(RAMP_SIZE), MUSCLE.color, weight), 0.0, 1.0)  # no stripes
    table = vtkLookupTable()
    table.SetNumberOfTableValues(RAMP_SIZE)
    table.SetTableRange(0.0, 1.0)
    for index, (r, g, b) in enumerate(colours):
        table.SetTableValue(index, float(r), float(g), float(b), 1.0)
    return table


def colour_by_tissue(mapper: pv.DataSetMapper, shade: float = 1.0) -> None:
    """Set up a cap's (or rim's) ``mapper`` to colour by the cut's :data:`TENDON_WEIGHT` through :func:`tissue_ramp`
    when its scalars are shown (:func:`show_tissue`)."""
    mapper.SetScalarVisibility(False)  # until a cut shows a muscle in its tissue colours
    mapper.SetLookupTable(tissue_ramp(shade))
    mapper.SetScalarModeToUsePointFieldData()
    mapper.SelectColorArray(TENDON_WEIGHT)
    mapper.SetScalarRange(0.0, 1.0)
    mapper.SetUseLookupTableScalarRange(True)
    mapper.SetColorModeToMapScalars()
    mapper.SetInterpolateScalarsBeforeMapping(True)


def shows_tissue(source: pv.Actor) -> bool:
    """Whether ``source`` is drawn in its per-vertex tissue colours and carries the tendon weight a cut needs."""
    mapper = source.GetMapper()
    if mapper is None or not mapper.GetScalarVisibility():
        return False
    drawn = mapper.GetInput()
    return drawn is not None and bool(drawn.GetPointData().HasArray(TENDON_WEIGHT))


def paint(cap: pv.Actor, rim: pv.Actor, source: pv.Actor, rim_shade: float) -> None:
    """Give a cap and its rim the colour and opacity ``source`` is drawn in now: its tissue where cut (the ramps of
    :func:`colour_by_tissue`) while it shows its tissue colours, else its own colour; the rim ``rim_shade`` darker."""
    look, tissue = source.GetProperty(), shows_tissue(source)
    r, g, b = look.GetColor()
    opacity = look.GetOpacity()
    for actor, shade in ((cap, 1.0), (rim, rim_shade)):
        actor.GetMapper().SetScalarVisibility(tissue)
        actor.GetProperty().SetColor(shade * r, shade * g, shade * b)
        actor.GetProperty().SetOpacity(opacity)
