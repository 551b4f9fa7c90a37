"""How muscles are told apart where several are drawn together (the mechanics plot's curves and legend): each
muscle its own colour and line pattern, so that no two curves differ in colour alone.

In the 3D view every muscle is muscle red, which is right for anatomy and useless for telling eight curves apart, so
each muscle gets its own colour here, fixed by its place in the catalogue (the same muscle is drawn the same way in
every plot, whatever else is plotted). The colours are Tableau 10 (Tableau Software's default categorical palette,
also matplotlib's ``tab10``): ten hues chosen to stay distinct on a white background and in print.

Colour is not enough. About 1 man in 12 has a red-green deficiency, and to a deuteranope or a protanope several of
these ten are one colour (Machado et al. 2009's simulation at full severity): orange and green, blue and purple,
red and brown, green and red, pink and cyan, orange and olive. With colour alone such a student could not tell the
soleus' curve from the lateral gastrocnemius', nor match either to its legend entry. So each muscle also has a line
pattern (solid, dashed, dotted, dash-dot: :data:`PATTERNS`), the legend's sample drawn in it, chosen by catalogue
order (:data:`CATALOGUE_PATTERNS`) so that

- no two muscles share both colour and pattern (the palette repeats past ten muscles; the pattern tells them apart),
- muscles next to each other in the catalogue, often plotted together (the two heads of the gastrocnemius), differ,
- any two muscles whose colours a deuteranope or a protanope sees within one noticeable difference of each other
  (Stone, Szafir & Setlur 2014's model of colour difference for thin lines; tests/colour_vision.py) differ,

and, of the patterns that do all this for the model's thirteen muscles, the ones whose same-pattern pairs are the
most different in colour to either deficiency (1.14 noticeable differences at the closest: the popliteus' purple
and the flexor hallucis longus' grey to a deuteranope).

Why not the muscle's name at the end of its curve instead: the thirteen curves meet where a moment arm crosses
zero and at the ends of the range, where such labels would sit on each other; the legend under the plot, whose
samples carry the patterns, stays tidy at any number of curves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from calfviewer.scene.materials import RGB, hex_rgb

PALETTE: tuple[RGB, ...] = tuple(
    hex_rgb(code)
    for code in (
        "#1F77B4",  # blue
        "#FF7F0E",  # orange
        "#2CA02C",  # green
        "#D62728",  # red
        "#9467BD",  # purple
        "#8C564B",  # brown
        "#E377C2",  # pink
        "#7F7F7F",  # grey
        "#BCBD22",  # olive
        "#17BECF",  # cyan
    )
)

#: Line pattern -> its dashes and gaps, alternately, in pen widths (Qt's dash patterns count so, and the pattern grows
#: with the pen); () is a solid line. A dash of 4 and gaps of 2 and more stay open at the plot's 2-pixel pens, on
#: screen and in a PNG at twice the size, and one period of each fits in the legend's sample.
PATTERNS: dict[str, tuple[float, ...]] = {
    "solid": (),
    "dotted": (1.0, 2.0),
    "dashed": (4.0, 2.5),
    "dash-dot": (4.0, 2.0, 1.0, 2.0),
}

#: The pattern of the model's muscles in catalogue order (gastrocnemius medial head, lateral head, soleus,
#: plantaris, popliteus, tibialis posterior, flexor digitorum longus, flexor hallucis longus, tibialis anterior,
#: extensor digitorum longus, extensor hallucis longus, fibularis longus, fibularis brevis): see the module's
#: docstring for the rules it keeps.
CATALOGUE_PATTERNS: tuple[str, ...] = (
    "solid",
    "dotted",
    "dashed",
    "dotted",
    "dashed",
    "solid",
    "dotted",
    "dashed",
    "dash-dot",
    "solid",
    "dash-dot",
    "solid",
    "dash-dot",
)


@dataclass(frozen=True)
class MuscleStyle:
    """How one muscle's curve is drawn: its colour (RGB 0..1) and its line pattern (a key of :data:`PATTERNS`)."""

    color: RGB
    pattern: str

    @property
    def hex(self) -> str:
        return "#" + "".join(f"{round(c * 255):02X}" for c in self.color)

    @property
    def dashes(self) -> tuple[float, ...]:
        """Dash and gap lengths in pen widths, () for a solid line."""
        return PATTERNS[self.pattern]


def muscle_styles(muscle_ids: Sequence[str]) -> dict[str, MuscleStyle]:
    """Muscle id -> its style, for every muscle of the model in ``muscle_ids`` (the catalogue's order).

    Past :data:`CATALOGUE_PATTERNS` (a model with more muscles) a muscle takes the first pattern that no muscle of its
    colour has yet, so colour and pattern stay a unique pair for up to forty muscles."""
    styles: dict[str, MuscleStyle] = {}
    taken: dict[RGB, list[str]] = {}
    for index, muscle_id in enumerate(muscle_ids):
        color = PALETTE[index % len(PALETTE)]
        used = taken.setdefault(color, [])
        if index < len(CATALOGUE_PATTERNS):
            pattern = CATALOGUE_PATTERNS[index]
        else:
            pattern = next((p for p in PATTERNS if p not in used), list(PATTERNS)[index % len(PATTERNS)])
        used.append(pattern)
        styles[muscle_id] = MuscleStyle(color, pattern)
    return styles
