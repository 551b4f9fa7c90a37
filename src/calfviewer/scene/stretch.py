"""Colour by stretch: each muscle drawn in the colour of its normalised length, with a colour bar that reads it.

Normalised length is the muscle-tendon length over its length at neutral (ankle 0°, knee 0°): below 1 the muscle
is shorter than at neutral, above 1 stretched. The colours run on a diverging map, cool blue (shortened) through a
neutral grey to warm red (stretched): Moreland's "cool to warm" map, which VTK's diverging colour space computes
(Moreland K, Diverging color maps for scientific visualization, in Advances in Visual Computing, ISVC 2009, LNCS
5876:92-103). A diverging map puts the eye on the direction and size of the change from neutral, which is what a
student reads here, and it has no colour shared with bone ivory, tendon white or the red of muscle.

The scale is fixed (:data:`STRETCH_LOW` to :data:`STRETCH_HIGH`), not fitted to the pose shown, so a colour means
the same stretch in every frame of a motion and in every muscle.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
from vtkmodules.vtkCommonCore import vtkLookupTable, vtkVariant
from vtkmodules.vtkRenderingAnnotation import vtkScalarBarActor
from vtkmodules.vtkRenderingCore import vtkColorTransferFunction, vtkRenderer, vtkTextProperty

from calfviewer.scene.materials import RGB
from calfviewer.scene.overlays import text_size

if TYPE_CHECKING:
    import pyvista as pv

    from calfviewer.scene.materials import Material

#: The colour scale's ends: 10 % shorter and 10 % longer than at neutral. Over MyoLeg's ranges (ankle -30..40°,
#: knee 0..120°) the triceps surae and plantaris run from about 0.81-0.91 to 1.05-1.06 and the deep flexors stay
#: within 0.97-1.01 (``calfviewer measure --sweep``); past the ends a muscle takes the end colour.
STRETCH_LOW = 0.90
STRETCH_HIGH = 1.10
#: Moreland's cool-to-warm end points, sRGB 0..255 (as in his paper and ParaView's "Cool to Warm" preset).
COOL: RGB = (59 / 255, 76 / 255, 192 / 255)
WARM: RGB = (180 / 255, 4 / 255, 38 / 255)
TABLE_SIZE = 256
TITLE = "Length ÷ neutral"
#: The colour bar's place in the picture (fractions of its width and height; :meth:`StretchColours.layout` moves it
#: right in a narrow picture) and the least room, in pixels, between its title and the picture's left edge.
BAR_LEFT, BAR_BOTTOM, BAR_WIDTH = 0.03, 0.5, 0.16
BAR_MARGIN = 4
#: Smallest text of the colour bar, in pixels (as the legend's).
MIN_BAR_FONT = 11
#: The stripe's width over the bar's (``SetBarRatio``), and the pixels between the stripe and its words.
BAR_RATIO, BAR_TEXT_GAP = 0.22, 16


def _transfer() -> vtkColorTransferFunction:
    transfer = vtkColorTransferFunction()
    transfer.SetColorSpaceToDiverging()
    transfer.AddRGBPoint(STRETCH_LOW, *COOL)
    transfer.AddRGBPoint(STRETCH_HIGH, *WARM)
    return transfer


def stretch_table(size: int = TABLE_SIZE) -> np.ndarray:
    """(size, 3) RGB 0..1: the map sampled evenly from :data:`STRETCH_LOW` to :data:`STRETCH_HIGH`."""
    transfer = _transfer()
    return np.array([transfer.GetColor(v) for v in np.linspace(STRETCH_LOW, STRETCH_HIGH, size)])


_TABLE = stretch_table()


def stretch_colours(values: Sequence[float] | np.ndarray) -> np.ndarray:
    """(N, 3) RGB 0..1 for normalised lengths ``values`` (clamped to the scale's ends)."""
    fraction = (np.clip(np.asarray(values, dtype=float), STRETCH_LOW, STRETCH_HIGH) - STRETCH_LOW) / (
        STRETCH_HIGH - STRETCH_LOW
    )
    return _TABLE[np.rint(fraction * (TABLE_SIZE - 1)).astype(int)]


class StretchColours:
    """The colour bar on ``renderer`` and the painting of muscles by stretch; off until :attr:`enabled` is set.

    The scene owns the actors; it calls :meth:`paint` after anything that resets a muscle's look (a new pose, a
    selection), so the colours follow playback.
    """

    def __init__(self, renderer: vtkRenderer, text_color: RGB) -> None:
        table = vtkLookupTable()
        table.SetNumberOfTableValues(TABLE_SIZE)
        table.SetTableRange(STRETCH_LOW, STRETCH_HIGH)
        for index, rgb in enumerate(_TABLE):
            table.SetTableValue(index, (*rgb, 1.0))
        table.Build()
        table.SetAnnotation(vtkVariant(STRETCH_LOW), "shortened")
        table.SetAnnotation(vtkVariant(1.0), "neutral")
        table.SetAnnotation(vtkVariant(STRETCH_HIGH), "stretched")
        bar = vtkScalarBarActor()
        bar.SetLookupTable(table)
        bar.SetTitle(TITLE)
        bar.SetNumberOfLabels(5)
        bar.SetLabelFormat("%.2f")
        bar.SetOrientationToVertical()
        bar.SetTextPositionToPrecedeScalarBar()  # numbers left of the bar, the words (annotations) right of it
        bar.SetPosition(BAR_LEFT, BAR_BOTTOM)  # upper left: the foot and the legend are below
        bar.SetWidth(BAR_WIDTH)
        bar.SetHeight(0.42)
        bar.SetBarRatio(BAR_RATIO)
        bar.SetAnnotationLeaderPadding(4)
        bar.SetDrawAnnotations(True)
        bar.SetUnconstrainedFontSize(True)
        for prop in (bar.GetTitleTextProperty(), bar.GetLabelTextProperty(), bar.GetAnnotationTextProperty()):
            prop.SetColor(text_color)
            prop.SetFontFamilyToArial()
            prop.SetShadow(True)
            prop.SetBold(False)
            prop.SetItalic(False)
            prop.SetFontSize(13)
        bar.GetTitleTextProperty().SetFontSize(14)
        bar.SetVisibility(False)
        bar.SetPickable(False)
        renderer.AddViewProp(bar)
        self.bar = bar
        self.lookup_table = table
        self._enabled = False
        #: Why the last layout drew no bar although it is on (the picture is too small for it); None when it did.
        self.left_out: str | None = None

    @property
    def enabled(self) -> bool:
        return self._enabled

    @enabled.setter
    def enabled(self, on: bool) -> None:
        self._enabled = bool(on)
        self.bar.SetVisibility(self._enabled and self.left_out is None)

    def paint(self, actors: Mapping[str, tuple[pv.Actor, Material]], values: Mapping[str, float]) -> None:
        """Give each muscle in ``values`` (id -> normalised length) its colour, in its own material's finish and
        without its fibre colours (a uniform colour reads as a value; stripes would add noise to it)."""
        if not self._enabled:
            return
        ids = [muscle_id for muscle_id in values if muscle_id in actors]
        for muscle_id, rgb in zip(ids, stretch_colours([values[i] for i in ids]), strict=True):
            actor, material = actors[muscle_id]
            material.apply(actor.prop, (float(rgb[0]), float(rgb[1]), float(rgb[2])))
            actor.mapper.scalar_visibility = False

    def bottom(self, window_height: int) -> float | None:
        """Display pixels from the bottom of the window to the bar's lowest text, or None when the bar is off:
        the labels on the left keep below it."""
        if not self._enabled or self.left_out is not None:
            return None
        return self.bar.GetPosition()[1] * window_height - self.bar.GetLabelTextProperty().GetFontSize()

    def text_properties(self) -> list[vtkTextProperty]:
        bar = self.bar
        return [bar.GetLabelTextProperty(), bar.GetAnnotationTextProperty(), bar.GetTitleTextProperty()]

    def layout(self, window: tuple[int, int]) -> None:
        """Text sized to the window, as the legend's is, and the bar moved right as far as its title (centred over
        the bar) needs to stay whole: in a narrow picture (300 pixels wide) it began left of the edge.

        The text is 1/60 of the height, smaller where the bar's words would not fit across the picture, never under
        11 pixels. Where even then they cannot fit (the title wider than the picture, five numbers piled in a bar a
        few pixels high: ``--size 64x1200``, ``1200x64``), the bar is left out and :attr:`left_out` says why,
        rather than drawn cut or overprinted."""
        width, height = window
        title = self.bar.GetTitleTextProperty()
        label, annotation = self.bar.GetLabelTextProperty(), self.bar.GetAnnotationTextProperty()
        size = max(MIN_BAR_FONT, round(height / 60))
        while True:
            for prop in (label, annotation):
                prop.SetFontSize(size)
            title.SetFontSize(size + 1)
            half_title = text_size(title, TITLE)[0] / 2
            left = max(BAR_LEFT, (half_title + BAR_MARGIN) / max(width, 1) - BAR_WIDTH / 2)
            # Across: the title centred over the stripe, the numbers left of it, the words (after their leaders)
            # right of it. Down: five numbers a line and a half apart within the bar's height.
            middle, half_stripe = (left + BAR_WIDTH / 2) * width, BAR_RATIO * BAR_WIDTH * width / 2
            right = max(half_title, half_stripe + BAR_TEXT_GAP + text_size(annotation, "stretched")[0])
            reach = max(half_title, half_stripe + BAR_TEXT_GAP + text_size(label, "1.10")[0])
            fits_across = middle - reach >= 0 and middle + right + BAR_MARGIN <= width
            tall = self.bar.GetNumberOfLabels() * 1.5 * text_size(label, "1.10")[1] / self.bar.GetHeight()
            if (fits_across and tall <= height) or size <= MIN_BAR_FONT:
                break
            size -= 1
        self.bar.SetPosition(left, BAR_BOTTOM)
        self.left_out = None
        if not fits_across:
            self.left_out = f"its words do not fit across a picture {width} pixels wide; make it wider"
        elif tall > height:
            self.left_out = f"its numbers need a picture at least {math.ceil(tall)} pixels high; make it taller"
        self.bar.SetVisibility(self._enabled and self.left_out is None)
