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
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
from vtkmodules.vtkCommonCore import vtkLookupTable, vtkVariant
from vtkmodules.vtkRenderingAnnotation import vtkScalarBarActor
from vtkmodules.vtkRenderingCore import vtkColorTransferFunction, vtkRenderer, vtkTextProperty

from calfviewer.scene.materials import RGB
from calfviewer.scene.overlays import device_pixels, font_points, text_size, window_dpi

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
#: The colour bar's first place in the picture, upper left (fractions of its width and height), and its size;
#: :meth:`StretchColours.layout` moves it to where it covers no anatomy. BAR_MARGIN: the least room, in pixels,
#: between the bar's text and the picture's edges.
BAR_LEFT, BAR_BOTTOM, BAR_WIDTH, BAR_HEIGHT = 0.03, 0.5, 0.16, 0.42
BAR_MARGIN = 4
#: Smallest text of the colour bar, in pixels at 100 % (as the legend's).
MIN_BAR_FONT = 11
#: The stripe's width over the bar's (``SetBarRatio``), and the pixels between the stripe and its words.
BAR_RATIO, BAR_TEXT_GAP = 0.22, 16
#: How many places along each edge of the picture :meth:`StretchColours.layout` tries for the bar.
BAR_STEPS = 9


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
        bar.SetPosition(BAR_LEFT, BAR_BOTTOM)  # upper left until laid out
        bar.SetWidth(BAR_WIDTH)
        bar.SetHeight(BAR_HEIGHT)
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
        self.renderer = renderer
        self._text_pixels = 13.0  # the labels' and words' height in pixels, as last laid out
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

    def extent(self, window: tuple[int, int]) -> tuple[float, float, float, float] | None:
        """Display pixels (left, bottom, right, top, y from the bottom) the bar and its text take up in a picture
        of ``window`` pixels where it is now, or None when the bar is off or left out: what the labels keep out of."""
        if not self._enabled or self.left_out is not None:
            return None
        x, y = self.bar.GetPosition()
        return self._extent((x * window[0], y * window[1]), window)

    def _extent(self, corner: tuple[float, float], window: tuple[int, int]) -> tuple[float, float, float, float]:
        """The bar's box (its lower left ``corner`` in pixels, its size a share of ``window``) widened by what VTK
        draws outside it: the title, centred over the box, the numbers left of the stripe and the words right of
        it (past the box's right edge, after a leader). Measured from the text at its size now, so it holds in any
        picture."""
        width, height = window
        x, y = corner
        box_width, box_height = BAR_WIDTH * width, BAR_HEIGHT * height
        dpi, text = window_dpi(self.renderer), self._text_pixels
        title_width, title_height = text_size(self.bar.GetTitleTextProperty(), TITLE, dpi)
        words = self.bar.GetAnnotationTextProperty()
        word_width = max(text_size(words, word, dpi)[0] for word in ("shortened", "neutral", "stretched"))
        number_width = text_size(self.bar.GetLabelTextProperty(), "1.10", dpi)[0]
        # The stripe is centred in the box, its numbers left of it: past the box's left edge in a narrow picture.
        middle, half_stripe = x + box_width / 2, BAR_RATIO * box_width / 2
        left = min(x, middle - title_width / 2, middle - half_stripe - BAR_TEXT_GAP - number_width)
        right = max(
            x + box_width,
            middle + title_width / 2,
            x + box_width + 2 * text + word_width,
            middle + half_stripe + BAR_TEXT_GAP + word_width,
        )
        return left, y - text / 2, right, y + box_height + title_height

    def text_properties(self) -> list[vtkTextProperty]:
        bar = self.bar
        return [bar.GetLabelTextProperty(), bar.GetAnnotationTextProperty(), bar.GetTitleTextProperty()]

    def layout(
        self,
        window: tuple[int, int],
        occupied: Callable[[tuple[float, float, float, float]], float] | None,
        scale: int = 1,
    ) -> None:
        """Text sized to the window, as the legend's is, and the bar placed where ``occupied`` (how much of a
        pixel box, left, bottom, right, top, the leg and the legend cover) finds the least anatomy under it; with
        None, the bar keeps its place (a share of the picture: a still drawn larger than the window). ``scale``:
        ``window`` is a still that many times the window's size, so the smallest text is that many times larger too
        (the still shows the window's bar, only larger: laid out as a window of the still's size, a bar the window
        holds at its smallest text came out smaller in the still).

        The text is 1/60 of the height, smaller where the bar and its words would not fit across the picture, never
        under :data:`MIN_BAR_FONT`. Where even then they cannot fit (the title wider than the picture, five numbers
        piled in a bar a few pixels high: ``--size 64x1200``, ``1200x64``), the bar is left out and
        :attr:`left_out` says why, rather than drawn cut or overprinted.

        The places tried run along the picture's edges, upper left first; the bar stays where it is while no other
        place is clearer, so it does not jump about as the camera turns. It sat in the upper left corner always,
        over the thigh in a lateral view with the knee bent. It keeps whole inside the picture (in a narrow one its
        title began left of the edge)."""
        width, height = window
        title = self.bar.GetTitleTextProperty()
        label, annotation = self.bar.GetLabelTextProperty(), self.bar.GetAnnotationTextProperty()
        dpi = window_dpi(self.renderer)
        smallest = round(device_pixels(MIN_BAR_FONT, dpi)) * scale  # a still ``scale`` times the window: as big
        size = max(smallest, round(height / 60))
        while True:
            self._text_pixels = float(size)
            for prop in (label, annotation):
                prop.SetFontSize(font_points(size, dpi))
            title.SetFontSize(font_points(size + 1, dpi))
            # Across: the bar with its title, numbers and words (its extent) within the margins. Down: five
            # numbers a line and a half apart within the bar's height.
            left, _bottom, right, _top = self._extent((0.0, 0.0), window)
            fits_across = right - left + 2 * BAR_MARGIN <= width
            tall = self.bar.GetNumberOfLabels() * 1.5 * text_size(label, "1.10", dpi)[1] / BAR_HEIGHT
            if (fits_across and tall <= height) or size <= smallest:
                break
            size -= 1
        was_out, self.left_out = self.left_out is not None, None
        if not fits_across:
            self.left_out = f"its words do not fit across a picture {width} pixels wide; make it wider"
        elif tall > height:
            self.left_out = f"its numbers need a picture at least {math.ceil(tall)} pixels high; make it taller"
        if (self.left_out is not None) != was_out:  # shown or hidden only as it comes to fit or stops fitting
            self.bar.SetVisibility(self._enabled and self.left_out is None)
        if occupied is None or self.left_out is not None:
            return
        places = self._places(window)
        x, y = self.bar.GetPosition()
        current = (float(round(x * width)), float(round(y * height)))
        scores = [occupied(self._extent(place, window)) for place in places]
        best = min(range(len(places)), key=lambda index: scores[index])  # the first of the clearest
        here = scores[places.index(current)] if current in places else None
        if here is None or here > scores[best]:
            current = places[best]
        self.bar.SetPosition(current[0] / max(width, 1), current[1] / max(height, 1))

    def _places(self, window: tuple[int, int]) -> list[tuple[float, float]]:
        """Lower left corners (pixels) for the bar along the picture's edges, each keeping the bar and its text
        inside the picture: the upper left corner first, then the other corners, then between them."""
        width, height = window
        left, bottom, right, top = self._extent((0.0, 0.0), window)
        low_x, high_x = BAR_MARGIN - left, width - BAR_MARGIN - right
        low_y, high_y = BAR_MARGIN - bottom, height - BAR_MARGIN - top
        high_x, high_y = max(high_x, low_x), max(high_y, low_y)  # a picture too small for the bar: its first place
        corners = [(low_x, high_y), (high_x, high_y), (low_x, low_y), (high_x, low_y)]
        between = [float(f) for f in np.linspace(0.0, 1.0, BAR_STEPS)[1:-1]]
        edges = [(low_x, high_y + (low_y - high_y) * f) for f in between]  # the left edge, top down
        edges += [(high_x, high_y + (low_y - high_y) * f) for f in between]  # the right edge
        edges += [(low_x + (high_x - low_x) * f, high_y) for f in between]  # the top
        edges += [(low_x + (high_x - low_x) * f, low_y) for f in between]  # the bottom
        places: list[tuple[float, float]] = []
        for place in corners + edges:
            rounded = (float(round(place[0])), float(round(place[1])))
            if rounded not in places:
                places.append(rounded)
        return places
