"""Coloured words on a dark desktop: a search that finds nothing, the quiz's verdict and hint, a lasting notice.

Each was drawn in a colour chosen for a light window, and on a dark palette read at 1.8 to 2.8 : 1 against the 4.5 : 1
WCAG 2.1 asks of text. The contrast is measured here on the pixels the label draws, by WCAG's own formula written
out again below, not taken from the code under test.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QStatusBar

from calfviewer.anatomy.quiz import make_round
from calfviewer.app.quiz_panel import QuizPanel
from calfviewer.app.readable import readable
from calfviewer.app.status_notice import StatusNotice
from calfviewer.app.structure_tree import StructureTree
from calfviewer.geometry.quiz_targets import stored_targets
from calfviewer.viewer.view_state import ViewState

pytestmark = pytest.mark.gui

#: WCAG 2.1, 1.4.3 (AA): text against its background.
AA = 4.5

#: The quiz panel as large as its dock in a window (shown smaller, its rows are laid over each other).
QUIZ_SIZE = (320, 600)

#: A dark desktop (Fusion's dark scheme, KDE's Breeze Dark are close to it) and a high-contrast one.
DARK = {"window": "#353535", "base": "#232323", "text": "#e6e6e6"}
HIGH_CONTRAST = {"window": "#000000", "base": "#000000", "text": "#ffffff"}


def wcag_contrast(a: QColor, b: QColor) -> float:
    """WCAG 2.1's contrast ratio, from its definition of relative luminance."""

    def luminance(colour: QColor) -> float:
        channels = [colour.red() / 255, colour.green() / 255, colour.blue() / 255]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def drawn_contrast(label: QLabel) -> float:
    """The contrast of a label's text as drawn: its commonest pixel is the background, and the text's colour the pixel
    that stands out from it most (glyph edges are blended into the background; the strokes' cores are the colour)."""
    # Grabbed from its parent, as the screen shows it: a label with a style sheet keeps the palette it was first
    # polished with, and grabbed alone it is drawn on that palette's background, not the one under it on screen.
    QApplication.processEvents()  # laid out, and any change of colour waiting for the event loop made
    image = label.parentWidget().grab(label.geometry()).toImage().convertToFormat(QImage.Format.Format_RGB32)
    pixels = Counter(image.pixel(x, y) for x in range(image.width()) for y in range(image.height()))
    background = QColor.fromRgb(pixels.most_common(1)[0][0])
    return max(wcag_contrast(QColor.fromRgb(pixel), background) for pixel in pixels)


def palette_of(colours: dict[str, str]) -> QPalette:
    palette = QPalette()
    roles = {
        "window": (QPalette.ColorRole.Window, QPalette.ColorRole.Button, QPalette.ColorRole.AlternateBase),
        "base": (QPalette.ColorRole.Base, QPalette.ColorRole.ToolTipBase),
        "text": (
            QPalette.ColorRole.WindowText,
            QPalette.ColorRole.Text,
            QPalette.ColorRole.ButtonText,
            QPalette.ColorRole.ToolTipText,
        ),
    }
    for key, each in roles.items():
        for role in each:
            palette.setColor(role, QColor(colours[key]))
    return palette


@pytest.fixture
def desktop(qapp) -> Iterator[object]:
    """A function that gives the application a desktop's palette; the palette it had is put back after."""
    before = QPalette(qapp.palette())

    def use(colours: dict[str, str]) -> None:
        qapp.setPalette(palette_of(colours))
        QApplication.processEvents()  # the change reaches every widget, and what waits for it runs

    yield use
    qapp.setPalette(before)


def wrong_and_right_verdicts(qtbot, catalogue) -> tuple[QuizPanel, list[float]]:
    """A quiz panel answered wrongly on a choice question, then rightly on the next one; the verdicts' contrasts."""
    targets = stored_targets()
    panel = QuizPanel(ViewState(catalogue=catalogue), catalogue, lambda: targets)
    qtbot.addWidget(panel)
    panel.resize(*QUIZ_SIZE)
    panel.show()
    seed = next(s for s in range(200) if all(q.choices for q in make_round(catalogue, targets, s).questions[:2]))
    panel.start(seed)
    contrasts = []
    for right in (False, True):
        question = panel.question
        next(b for b in panel.choice_buttons if (b.text() == question.answer) == right).click()
        assert panel.feedback.text().startswith("Right" if right else "Not quite")
        contrasts.append(drawn_contrast(panel.feedback))
        panel.next()
        qtbot.wait(10)  # the event loop takes the last question's buttons away (deleteLater)
    return panel, contrasts


@pytest.mark.parametrize("colours", [DARK, HIGH_CONTRAST], ids=["dark", "high-contrast"])
def test_coloured_words_read_on_a_dark_desktop(qtbot, catalogue, desktop, colours):
    """Before, on the dark palette: the search's "No structure matches" 2.2 : 1, the quiz's wrong verdict 2.2 : 1 and
    right one 2.4 : 1, the notice 1.8 : 1 (on black: 3.7, 3.7, 4.1 and 3.1)."""
    desktop(colours)
    tree = StructureTree(ViewState(catalogue=catalogue), catalogue)
    qtbot.addWidget(tree)
    tree.show()
    tree.search.setText("solues")
    assert tree.no_match.text().startswith("No structure matches")
    assert drawn_contrast(tree.no_match) >= AA

    _, verdicts = wrong_and_right_verdicts(qtbot, catalogue)
    assert min(verdicts) >= AA

    bar = QStatusBar()
    qtbot.addWidget(bar)
    notice = StatusNotice(bar)
    bar.addPermanentWidget(notice)
    bar.show()
    notice.show_notice("The last view could not be restored")
    assert drawn_contrast(notice.label) >= AA


def test_a_click_questions_hint_reads_on_a_dark_desktop(qtbot, catalogue, desktop):
    """The hint under a click question ("Click it in the 3D view ...") was a blue-grey of 2.8 : 1 on the dark
    palette (and 3.8 : 1 on Fusion's light grey)."""
    desktop(DARK)
    targets = stored_targets()
    panel = QuizPanel(ViewState(catalogue=catalogue), catalogue, lambda: targets)
    qtbot.addWidget(panel)
    panel.resize(*QUIZ_SIZE)
    panel.show()
    panel.start(next(s for s in range(200) if make_round(catalogue, targets, s).questions[0].by_click))
    assert panel.hint.text().startswith("Click it in the 3D view")
    assert drawn_contrast(panel.hint) >= AA


def test_the_desktop_turning_dark_while_the_window_is_open_recolours_the_words(qtbot, catalogue, desktop):
    """A desktop switched to its dark scheme while the window is open (GNOME's and KDE's switch does this): the
    words already shown take the new palette's readable colour, not only those shown after."""
    desktop({"window": "#efefef", "base": "#ffffff", "text": "#000000"})
    tree = StructureTree(ViewState(catalogue=catalogue), catalogue)
    qtbot.addWidget(tree)
    tree.show()
    tree.search.setText("solues")
    assert drawn_contrast(tree.no_match) >= AA
    desktop(DARK)
    qtbot.waitUntil(lambda: drawn_contrast(tree.no_match) >= AA, timeout=2000)


@pytest.mark.parametrize("colour", ["#8a4b00", "#c62828", "#2e7d32", "#607d8b", "#808080", "#ffffff", "#000000"])
@pytest.mark.parametrize("background", ["#ffffff", "#efefef", "#777777", "#353535", "#232323", "#000000"])
def test_a_colour_is_kept_where_it_reads_and_else_brought_to_the_contrast_text_needs(colour, background):
    """Unchanged where it already reads (the light window looks as it did); elsewhere at least 4.5 : 1."""
    before, on = QColor(colour), QColor(background)
    after = readable(before, on)
    if wcag_contrast(before, on) >= AA:
        assert after.name() == before.name()
    else:
        assert wcag_contrast(after, on) >= AA
