"""Coloured words that stay readable on the window's palette, light, dark or high-contrast.

A few labels say something by their colour: a search that finds nothing and a wrong quiz answer in red, a right one
in green, a lasting notice in amber, a hint in grey. Those colours were chosen on a light window; on a dark desktop
(a dark system palette, Fusion's dark scheme) the same red on a grey of 53 read at 2.1 : 1 and the notice's amber at
1.6 : 1, where WCAG 2.1 asks 4.5 : 1 of text (success criterion 1.4.3). Each such label now keeps its hue and takes
the lightness its background needs: the colour as chosen where it already reads, lighter on a dark palette, darker on
a light one that is too pale, worked out again whenever the application's palette changes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel

#: The least contrast WCAG 2.1 asks of text (1.4.3, level AA).
LEAST_CONTRAST = 4.5
#: The contrast a colour that fell short is brought up to: LEAST_CONTRAST with room to spare, since a thin stroke
#: of text seldom covers a whole pixel, and the pixels drawn read a little lower than the colour (4.48 : 1 drawn for
#: a green of 4.51 : 1 on black).
AIM = 5.0
#: How far one step moves a colour's lightness while it is brought up to LEAST_CONTRAST.
_STEP = 0.01


def luminance(colour: QColor) -> float:
    """WCAG's relative luminance of an sRGB colour, 0 (black) to 1 (white)."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.redF()) + 0.7152 * linear(colour.greenF()) + 0.0722 * linear(colour.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG's contrast ratio of two colours, 1 to 21."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable(colour: QColor, background: QColor) -> QColor:
    """``colour`` where it reads on ``background`` at LEAST_CONTRAST; else the same hue and saturation, lighter on
    a dark background or darker on a light one, as little as it takes to reach AIM (white or black at the end)."""
    if contrast(colour, background) >= LEAST_CONTRAST:
        return colour
    # Lighter or darker: whichever end can reach the ratio from this background (mid-grey backgrounds can reach
    # it only one way). White gives the higher contrast exactly where the luminance is below about 0.18.
    lighter = contrast(QColor("white"), background) >= contrast(QColor("black"), background)
    hue, saturation, lightness = colour.hslHueF(), colour.hslSaturationF(), colour.lightnessF()
    while 0.0 < lightness < 1.0:
        lightness = min(1.0, lightness + _STEP) if lighter else max(0.0, lightness - _STEP)
        tried = QColor.fromHslF(hue, saturation, lightness)
        if contrast(tried, background) >= AIM:
            return tried
    return QColor("white" if lighter else "black")


class _Tone(QObject):
    """One label's colour, applied readable on its background now and again after each palette change."""

    def __init__(self, label: QLabel) -> None:
        super().__init__(label)
        self.label = label
        self.colour: QColor | None = None
        self.style = ""
        # The background's changes are heard where they happen, on the parent: a label with a style sheet keeps the
        # palette it was polished with when the application's changes, and may hear nothing of it.
        (label.parentWidget() or label).installEventFilter(self)

    def apply(self) -> None:
        label = self.label
        sheet = self.style
        if self.colour is not None:
            # The background the label's text is drawn on: its parent's (a label draws none of its own), not the
            # label's own palette, which a style sheet keeps as it was.
            parent = label.parentWidget() or label
            background = parent.palette().color(parent.backgroundRole())
            sheet = f"color: {readable(self.colour, background).name()}; {self.style}".strip()
        if label.styleSheet() != sheet:
            label.setStyleSheet(sheet)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The parent's palette changed (the application's did: a desktop switched to its dark scheme).
        if event.type() == QEvent.Type.PaletteChange:
            QTimer.singleShot(0, self, self.apply)
        return False


def set_tone(label: QLabel, colour: str | None, style: str = "") -> None:
    """Draw ``label``'s text in ``colour`` (a name Qt reads, "#c62828"; None: the palette's own text colour) made
    readable on the label's background, with ``style`` (more style sheet declarations, "font-weight: 600;") kept;
    the colour is worked out again whenever the application's palette changes."""
    tone = label.findChild(_Tone, options=Qt.FindChildOption.FindDirectChildrenOnly)
    if tone is None:
        tone = _Tone(label)
    tone.colour = None if colour is None else QColor(colour)
    tone.style = style
    tone.apply()
