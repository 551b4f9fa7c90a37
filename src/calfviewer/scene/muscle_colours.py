"""Colours that tell muscles apart where several are drawn together (the mechanics plots' curves and legend).

In the 3D view every muscle is muscle red, which is right for anatomy and useless for telling eight curves apart, so
each muscle gets its own colour here, fixed by its place in the catalogue (the same muscle is the same colour in
every plot, whatever else is plotted). The colours are Tableau 10 (Tableau Software's default categorical palette,
also matplotlib's ``tab10``): ten hues chosen to stay distinct on a white background and in print. Past ten muscles
the colours repeat with a dashed line (:func:`muscle_styles`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from calfviewer.scene.materials import RGB, hex_rgb

PALETTE: tuple[RGB, ...] = tuple(
    hex_rgb(code)
    for code in (
        "#1F77B4",
        "#FF7F0E",
        "#2CA02C",
        "#D62728",
        "#9467BD",
        "#8C564B",
        "#E377C2",
        "#7F7F7F",
        "#BCBD22",
        "#17BECF",
    )
)


@dataclass(frozen=True)
class MuscleStyle:
    """How one muscle's curve is drawn: its colour (RGB 0..1) and whether the line is dashed."""

    color: RGB
    dashed: bool

    @property
    def hex(self) -> str:
        return "#" + "".join(f"{round(c * 255):02X}" for c in self.color)


def muscle_styles(muscle_ids: Sequence[str]) -> dict[str, MuscleStyle]:
    """Muscle id -> its style, for every muscle of the model in ``muscle_ids`` (the catalogue's order)."""
    return {
        muscle_id: MuscleStyle(PALETTE[index % len(PALETTE)], dashed=index >= len(PALETTE))
        for index, muscle_id in enumerate(muscle_ids)
    }
