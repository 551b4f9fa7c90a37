"""The mechanics plot's words: each quantity's names, what its title says is held, its legend's names, and the title
and x axis' name broken into lines as narrow as the plot.

Why: with the plot dock at its smallest (320 pixels, the window on a 1024 x 768 projector) the empty title ("Select
a muscle in the tree or the 3D view to plot it"), a title with the subtalar joint and the toes held, and
"Plantarflexion (°, dorsiflexion negative)" ran past the plot's right edge and were cut. With the window at its
smallest the y axis is about 60 pixels long, and its name was cut to "Muscle-t…": each quantity has shorter names
too (:data:`WORDINGS`), and the axis shows the longest that its length holds.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QFontMetricsF

from calfviewer.musculoskeletal import Pose
from calfviewer.musculoskeletal.pose import shown

if TYPE_CHECKING:  # pyqtgraph is imported by plot_panel, after it has chosen the Qt binding
    import pyqtgraph as pg

#: Pixels kept free on each side of the title and the x axis' name.
TEXT_MARGIN = 8


@dataclass(frozen=True)
class Wording:
    """How the plot names one quantity: ``names`` from the longest to the shortest, each one a student reads
    without the others, and the ``unit`` every one keeps (a short name without its unit would leave the numbers
    on the axis unexplained). The longest names the quantity in the plot's menu, where it is always seen whole."""

    names: tuple[str, ...]
    unit: str

    @property
    def titles(self) -> tuple[str, ...]:
        """The y axis' names, longest first: each name with the unit, as in "Length (cm)"."""
        return tuple(f"{name} ({self.unit})" if self.unit else name for name in self.names)


#: Each quantity the plot offers, by its key, in the order of the plot's menu. "Stretch" is the window's word for
#: a length over the length at neutral (View > Colour by stretch).
WORDINGS = {
    "length": Wording(("Muscle-tendon length", "Length"), "cm"),
    "normalised_length": Wording(("Length ÷ length at neutral", "Length ÷ neutral", "Stretch"), ""),
    "moment_arm_ankle": Wording(("Ankle moment arm (+ plantarflexes)", "Ankle moment arm", "Moment arm", "Arm"), "mm"),
    "moment_arm_knee": Wording(("Knee moment arm (+ flexes)", "Knee moment arm", "Moment arm", "Arm"), "mm"),
}


def fitting_title(titles: tuple[str, ...], width: Callable[[str], float], room: float) -> str:
    """The first (longest) of ``titles`` whose ``width`` is at most ``room`` pixels, else the narrowest: the whole
    of a shorter wording rather than the start of a longer one cut with an ellipsis."""
    return next((title for title in titles if width(title) <= room), min(titles, key=width))


def _degrees(angle: float) -> str:
    """``angle``'s size to the tenth, as the info panel and the animation bar print angles: "53.8°", "10°"."""
    return f"{abs(shown(angle, 1)):g}°"


def held_text(axis: str, pose: Pose) -> list[str]:
    """The joints held while the x axis' joint moves, as the title says them, one line each: "knee flexion held at
    30°" or "ankle held at 10° dorsiflexion", then the subtalar joint and the toes where they are not at neutral
    ("subtalar at 10° inversion, toes at 20° extension"): the curves are swept with them where the leg is, so a
    reader comparing with ``measure --sweep`` needs to know. Angles to the tenth, as the curves are swept at them
    and the rest of the window prints them; two lines, so the title fits the dock's width."""
    text = joint_at("knee" if axis == "ankle" else "ankle", pose, "held at")
    others = []
    if shown(pose.subtalar, 1) != 0:
        others.append(f"subtalar at {_signed(pose.subtalar, 'inversion', 'eversion')}")
    if shown(pose.toes, 1) != 0:
        others.append(f"toes at {_signed(pose.toes, 'flexion', 'extension')}")
    return [text, ", ".join(others)] if others else [text]


def joint_at(joint: str, pose: Pose, at: str = "at") -> str:
    """Where ``joint`` ("ankle" or "knee") is in ``pose``, in the title's words: "knee flexion at 30°", "ankle at
    10° dorsiflexion", "ankle at neutral (0°)" (``at``: "held at" for a joint the title says is held)."""
    if joint == "knee":
        return f"knee flexion {at} {_degrees(pose.knee_flexion)}"
    if shown(pose.plantarflexion, 1) == 0:
        return f"ankle {at} neutral (0°)"
    return f"ankle {at} {_signed(pose.plantarflexion, 'plantarflexion', 'dorsiflexion')}"


def _signed(angle: float, positive: str, negative: str) -> str:
    """``angle`` to the tenth with the movement its sign means: "10° dorsiflexion"."""
    return f"{_degrees(angle)} {positive if angle > 0 else negative}"


def legend_name(name: str, quantity: str, crosses: tuple[str, ...]) -> str:
    """A curve's name in the legend: a moment arm at a joint the muscle does not cross (``measure`` prints ``-``
    there) is drawn as the 0 that ``measure --json`` gives, and named so it is not read as a real zero arm."""
    joint = quantity.removeprefix("moment_arm_") if quantity.startswith("moment_arm_") else None
    if joint is not None and joint not in crosses:
        return f"{name} (does not cross the {joint})"
    return name


def short_latin(name: str) -> str:
    """A Latin name in the short form anatomists write where room is short: ``M.`` for musculus and ``Mm.`` for
    musculi, as in "M. tibialis posterior" and "Caput mediale m. gastrocnemii" (an English name is unchanged).
    The legend uses it before cutting a name, so two muscles do not both read "Musculus tibiali…"."""
    first, *rest = name.split(" ")
    first = {"musculus": "M.", "musculi": "Mm."}.get(first.lower(), first)  # a name's head: one muscle or several
    rest = [{"musculus": "m.", "musculi": "m.", "musculorum": "mm."}.get(word.lower(), word) for word in rest]
    return " ".join([first, *rest])


def wrap_lines(lines: list[str], fits: Callable[[str], bool]) -> list[str]:
    """``lines`` with each that does not ``fit`` broken after a comma where that makes it fit, else between
    words (a single word too wide stays whole)."""
    wrapped = []
    for line in lines:
        for group in _pack(re.split(r"(?<=,) ", line), fits):
            wrapped.extend([group] if fits(group) else _pack(group.split(" "), fits))
    return wrapped


def _pack(parts: list[str], fits: Callable[[str], bool]) -> list[str]:
    """``parts`` joined by spaces into as few lines as fit (greedily, in order)."""
    packed: list[str] = []
    for part in parts:
        if packed and fits(f"{packed[-1]} {part}"):
            packed[-1] = f"{packed[-1]} {part}"
        else:
            packed.append(part)
    return packed


def show_wrapped(plot: pg.PlotWidget, title_lines: list[str], axis_name: str, font: QFont) -> None:
    """Give ``plot`` the title ``title_lines`` (10 pt) and the x axis' name ``axis_name``, each broken to the width
    of the plot area (both are centred over it, right of the y axis)."""
    item = plot.getPlotItem()
    room = plot.width() - item.getAxis("left").width() - 2 * TEXT_MARGIN
    title_font = QFont(font)
    title_font.setPointSizeF(10)
    fits_title = QFontMetricsF(title_font)
    lines = wrap_lines(title_lines, lambda line: fits_title.horizontalAdvance(line) <= room)
    item.setTitle("<br>".join(lines), color="#333333", size="10pt")
    # pyqtgraph keeps the title's row 30 pixels high, one line: a second or third ran over the plot's top.
    height = max(30, math.ceil(item.titleLabel.item.boundingRect().height()))
    item.titleLabel.setMaximumHeight(height)
    item.layout.setRowFixedHeight(0, height)
    fits_axis = QFontMetricsF(item.getAxis("bottom").label.font())
    lines = wrap_lines([axis_name], lambda line: fits_axis.horizontalAdvance(line) <= room)
    item.setLabel("bottom", "<br>".join(lines), color="#222222")
    # A plot item once widened by a longer line keeps that width until the view is resized: fit it to the view.
    item.setGeometry(QRectF(plot.range))
