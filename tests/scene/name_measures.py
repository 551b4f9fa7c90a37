"""How much of each name shown lies on the leg as drawn: what the label tests of stills and of movies measure.

The leg's pixels are those the same picture draws without labels (alpha), the legend's box not counted; a name's
part is the middle half of its text's height, where its letters' ink is: of each line's height for a name broken
onto two lines, across the name's box as VTK measures it (its longer line's width).
"""

from __future__ import annotations

import numpy as np

from calfviewer.scene.anatomy_scene import AnatomyScene

#: The share of a name's middle band that may lie on the leg: its end touching the edge of a tendon or a toe (as
#: the names beside a slice, tests/scene/test_section_caps.py).
TOUCH = 0.02


def names_over_the_leg(scene: AnatomyScene) -> dict[str, float]:
    """Each name shown now (id) with more than :data:`TOUCH` of its middle band (its lines' middle bands) on the
    leg, and that share. The names are read where this picture draws them, before the picture without labels is
    drawn, and the picture is drawn again with its labels after.

    A two-line name measured as one line (the middle half of a line's height at its middle) was measured between
    its lines, where it has no ink: a name written over the leg on two lines would pass."""
    width = scene.plotter.window_size[0]
    font = scene.labels.text_properties()[0].GetFontSize()
    boxes = {
        sid: (scene.labels.box(sid), y, scene.labels.text(sid).count("\n") + 1)
        for sid, (_, y) in scene.labels.shown().items()
    }
    scene.state.labels = False
    drawn = scene.screenshot(transparent=True)[::-1, :, 3] > 0  # rows from the bottom, as display pixels
    scene.state.labels = True
    scene.render()
    if scene.legend.box is not None:
        left, bottom, right, top = (round(v) for v in scene.legend.box)
        drawn[max(0, bottom - 2) : top + 3, max(0, left - 2) : right + 3] = False
    over = {}
    for sid, ((x0, low, x1, high), y, lines) in boxes.items():
        pitch = (high - low) / lines  # the text is centred on y, its lines evenly spaced
        middles = [y + (lines - 1 - 2 * line) * pitch / 2 for line in range(lines)]
        columns = slice(max(0, round(x0)), min(width, round(x1)))
        bands = [drawn[max(0, round(m - font / 4)) : round(m + font / 4), columns] for m in middles]
        ink = np.concatenate([band.ravel() for band in bands])
        share = float(ink.mean()) if ink.size else 0.0
        if share > TOUCH:
            over[sid] = round(share, 3)
    return over
