"""The window's sliders show their groove on any palette: the animation bar's timeline, the Section toolbar's slider
and the opacity sliders, on a light, a dark and a high-contrast black desktop.

Before, Fusion drew the groove's edge in the palette's Window colour darkened, over that same colour: on a black
desktop the groove was black on black (1.0 : 1) and only the handle showed; on Fusion's own light grey it read at
2.0 : 1, on a dark grey 1.2 : 1. WCAG 2.1 (1.4.11) asks 3 : 1 of a control's graphics. The contrast is measured on
the pixels drawn, by WCAG's formula (test_readable.py's), not taken from the code under test.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QSlider, QStyle, QStyleOptionSlider
from test_readable import DARK, HIGH_CONTRAST, palette_of, wcag_contrast

from calfviewer.viewer.section_plane import Section

pytestmark = pytest.mark.gui

#: WCAG 2.1, 1.4.11 (AA): the graphics that identify a control against what is next to them.
NON_TEXT = 3.0
LIGHT = {"window": "#efefef", "base": "#ffffff", "text": "#000000"}


@pytest.fixture
def desktop(qapp) -> Iterator[object]:
    """A function that gives the application a desktop's palette; the palette it had is put back after."""
    before = QPalette(qapp.palette())

    def use(colours: dict[str, str]) -> None:
        qapp.setPalette(palette_of(colours))
        QApplication.processEvents()

    yield use
    qapp.setPalette(before)
    QApplication.processEvents()


def groove_contrasts(slider: QSlider) -> list[float]:
    """For each column of the groove between the handle and the groove's end (the part no highlight fills), the
    contrast of the pixel there that stands out most from the background: the slider's commonest pixel, grabbed from
    its parent as the screen shows it."""
    QApplication.processEvents()
    image = slider.parentWidget().grab(slider.geometry()).toImage().convertToFormat(QImage.Format.Format_RGB32)
    pixels = Counter(image.pixel(x, y) for x in range(image.width()) for y in range(image.height()))
    background = QColor.fromRgb(pixels.most_common(1)[0][0])
    option = QStyleOptionSlider()
    slider.initStyleOption(option)
    style = slider.style()
    handle = style.subControlRect(QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderHandle, slider)
    groove = style.subControlRect(QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderGroove, slider)
    columns = range(handle.right() + 3, groove.right() - 3)
    assert len(columns) > 30, f"too little groove past the handle to measure: {handle} in {groove}"
    return [
        max(wcag_contrast(QColor.fromRgb(image.pixel(x, y)), background) for y in range(image.height()))
        for x in columns
    ]


@pytest.mark.parametrize("colours", [HIGH_CONTRAST, DARK, LIGHT], ids=["high-contrast", "dark", "light"])
def test_every_slider_s_groove_shows_on_the_desktop_s_palette(open_window, tmp_path, qtbot, desktop, colours):
    window = open_window(tmp_path / "settings.ini", (1400, 900))
    window.state.section = Section("axial", 0.0)  # the Section slider enabled, its handle at the start
    window.state.set_opacity("intermediate", 0.0)  # a layer's row, shown in the tree as it opens
    desktop(colours)
    sliders = {
        "timeline": window.animation_bar.scrub,
        "section": window.section_controls.slider,
        "opacity": window.tree.slider("layer:intermediate"),
    }
    assert sliders["timeline"].value() == sliders["section"].value() == sliders["opacity"].value() == 0
    for name, slider in sliders.items():
        contrasts = groove_contrasts(slider)
        faint = [round(c, 2) for c in contrasts if c < NON_TEXT]
        assert not faint, f"the {name} slider's groove at {min(contrasts):.2f} : 1 in {len(faint)} columns"


def test_the_groove_follows_the_desktop_turning_dark_while_the_window_is_open(open_window, tmp_path, desktop):
    """A desktop switched from light to its high-contrast scheme with the window open: the groove drawn for the
    first palette is not kept for the second."""
    window = open_window(tmp_path / "settings.ini", (1400, 900))
    scrub = window.animation_bar.scrub
    desktop(LIGHT)
    assert min(groove_contrasts(scrub)) >= NON_TEXT
    desktop(HIGH_CONTRAST)
    assert min(groove_contrasts(scrub)) >= NON_TEXT
