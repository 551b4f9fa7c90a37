"""Sliders whose groove shows on any palette: the animation bar's timeline, the Section toolbar's slider and the
opacity sliders, on a high-contrast black desktop as on a light one.

Why: Fusion (Qt's style where the desktop names none, as on most Linux desktops) draws a slider's groove as a channel
filled with the palette's Button colour and edged in its Window colour darkened by 140 % (``QFusionStyle``'s
outline), over the Window colour behind it. On a high-contrast palette, Window and Button black, that edge is black
too: the groove vanished and only the handle's faint inner line showed (WCAG 2.1, 1.4.11 asks 3 : 1 of what
identifies a control). On Fusion's own light grey the edge is 2.0 : 1, and on a dark grey palette 1.2 : 1.

:class:`VisibleGroove` draws each slider with a Window colour of its own, taken from the palette's own colours:
Window moved towards WindowText (lighter on a dark desktop, darker on a light one) just far enough that the edge
Fusion darkens it into stands at :data:`LEAST_CONTRAST` from the real Window colour behind the slider. So the groove
keeps Fusion's shape and fill, and its edge (and the handle's, drawn in the same colour) is visible whatever the
palette, and follows the palette when the desktop changes it, with no colour written in here. Other styles draw their
grooves from other colours and are left as they are.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QProxyStyle, QSlider, QStyle, QStyleOptionComplex, QStyleOptionSlider, QWidget

from calfviewer.app.readable import contrast

#: The least contrast of the groove's edge against the background: WCAG 2.1's for a control's graphics (1.4.11).
LEAST_CONTRAST = 3.0
#: Aimed at, so that the pixels drawn (rounded to whole levels) still reach LEAST_CONTRAST.
AIM = 3.3
#: How much Fusion darkens the Window colour for a groove's edge (``QColor.darker``'s factor: QFusionStyle's outline).
FUSION_OUTLINE = 140
#: Steps from Window towards WindowText tried for the slider's own Window colour.
_STEPS = 50


def _mixed(a: QColor, b: QColor, t: float) -> QColor:
    """The colour ``t`` of the way from ``a`` to ``b``."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
    )


def groove_window(window: QColor, text: QColor) -> QColor:
    """The Window colour to draw a slider with, on a palette of ``window`` and ``text`` (its WindowText), so that
    Fusion's groove edge stands at :data:`AIM` from ``window``: ``window`` itself where its edge already reaches
    :data:`LEAST_CONTRAST`, else the nearest colour towards ``text`` that does (towards white or black where the text
    colour does not get there)."""
    if contrast(window.darker(FUSION_OUTLINE), window) >= LEAST_CONTRAST:
        return window
    lighter = contrast(QColor("white"), window) >= contrast(QColor("black"), window)
    ends = (text, QColor("white" if lighter else "black"))
    for end in ends:
        for step in range(1, _STEPS + 1):
            tried = _mixed(window, end, step / _STEPS)
            if contrast(tried.darker(FUSION_OUTLINE), window) >= AIM:
                return tried
    return ends[-1]


class VisibleGroove(QProxyStyle):
    """The application's style, but a slider drawn by Fusion has a groove that reads on its palette (module
    docstring). Give it no base style: a QProxyStyle takes ownership of the one it is given, and the application's
    would then be deleted twice at exit; parent it to a widget that lives as long as its sliders."""

    def __init__(self) -> None:
        super().__init__()
        self._palettes: dict[int, QPalette] = {}  # the palette drawn with, by the slider's palette's cache key

    def drawComplexControl(
        self,
        control: QStyle.ComplexControl,
        option: QStyleOptionComplex,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if (
            control == QStyle.ComplexControl.CC_Slider
            and isinstance(option, QStyleOptionSlider)
            and self.baseStyle().name().lower() == "fusion"
        ):
            option = QStyleOptionSlider(option)
            option.palette = self._groove_palette(option.palette)
        super().drawComplexControl(control, option, painter, widget)

    def _groove_palette(self, palette: QPalette) -> QPalette:
        """``palette`` with the Window colour of :func:`groove_window`, one copy per palette: Fusion caches the
        groove's picture by the palette's cache key, which a new copy at every paint (the timeline repaints at every
        frame of playback) would never find again."""
        key = palette.cacheKey()
        found = self._palettes.get(key)
        if found is None:
            if len(self._palettes) > 16:  # palettes seen before a desktop's change, not coming back
                self._palettes.clear()
            found = QPalette(palette)
            for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled):
                window = palette.color(group, QPalette.ColorRole.Window)
                text = palette.color(group, QPalette.ColorRole.WindowText)
                found.setColor(group, QPalette.ColorRole.Window, groove_window(window, text))
            self._palettes[key] = found
        return found


def show_grooves(owner: QObject, sliders: Iterable[QSlider]) -> VisibleGroove:
    """Draw ``sliders`` with one :class:`VisibleGroove`, owned by ``owner`` (which must outlive them)."""
    style = VisibleGroove()
    style.setParent(owner)
    for slider in sliders:
        slider.setStyle(style)
    return style
