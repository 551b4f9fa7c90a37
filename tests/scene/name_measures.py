"""How much of each name shown lies on the leg as drawn: what the label tests of stills and of movies measure.

The leg's pixels are those the same picture draws without labels (alpha), the legend's box not counted; a name's
part is the middle half of its text's height, where its letters' ink is.
"""

from __future__ import annotations

from calfviewer.scene.anatomy_scene import AnatomyScene

#: The share of a name's middle band that may lie on the leg: its end touching the edge of a tendon or a toe (as
#: the names beside a slice, tests/scene/test_section_caps.py).
TOUCH = 0.02


def names_over_the_leg(scene: AnatomyScene) -> dict[str, float]:
    """Each name shown now (id) with more than :data:`TOUCH` of its middle band on the leg, and that share. The
    names are read where this picture draws them, before the picture without labels is drawn, and the picture is
    drawn again with its labels after."""
    width = scene.plotter.window_size[0]
    font = scene.labels.text_properties()[0].GetFontSize()
    boxes = {sid: (scene.labels.horizontal_extent(sid), y) for sid, (_, y) in scene.labels.shown().items()}
    scene.state.labels = False
    drawn = scene.screenshot(transparent=True)[::-1, :, 3] > 0  # rows from the bottom, as display pixels
    scene.state.labels = True
    scene.render()
    if scene.legend.box is not None:
        left, bottom, right, top = (round(v) for v in scene.legend.box)
        drawn[max(0, bottom - 2) : top + 3, max(0, left - 2) : right + 3] = False
    over = {}
    for sid, ((x0, x1), y) in boxes.items():
        band = drawn[max(0, round(y - font / 4)) : round(y + font / 4), max(0, round(x0)) : min(width, round(x1))]
        share = float(band.mean()) if band.size else 0.0
        if share > TOUCH:
            over[sid] = round(share, 3)
    return over
