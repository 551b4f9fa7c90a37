"""Names placed in the free space round a leg lying across the picture, each nearest its structure.

Why apart from the columns (:mod:`calfviewer.scene.labels`): with the knee bent in a side view the leg lies across
the picture and leaves no room beside it, so each name is placed on its own, where its text covers none of the leg
and no other name, and its leader runs through as few names as can be. Plain geometry of boxes and segments in the
picture's pixels, measured against a :class:`~calfviewer.scene.overlays.Coverage` of the leg.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from calfviewer.scene.overlays import Coverage

#: What a leader run through another name costs a label placed in free space, in lines of text it may go further
#: to avoid it.
CROSSING_COST = 30.0

#: What a leader run through ``keep_out`` (the colour bar: its title, numbers and words) costs, in lines of text: a
#: name goes about anywhere else first.
KEEP_OUT_COST = 300.0

#: One laid-out label: its id, text position (x, y), whether the text runs right from x (else it ends at x), and
#: where its leader leaves the text.
Placed = tuple[str, float, float, bool, tuple[float, float]]
Box = tuple[float, float, float, float]  # left, bottom, right, top pixels
Segment = tuple[tuple[float, float], tuple[float, float]]
Spot = tuple[float, float, Box, tuple[float, float]]  # a name's place: text x, y, its box, its leader's end


def free_places(
    anchors: Mapping[str, tuple[float, float]],
    widths: Mapping[str, float],
    font: int,
    window: tuple[int, int],
    leg: Coverage,
    floor_right: float,
    keep_out: Box | None,
    spaces: tuple[float, float],
) -> list[Placed] | None:
    """Each name in the nearest free space to its anchor: above or below it (and a little to either side), where
    its text covers none of the leg, no other name, the legend's corner or ``keep_out`` (the colour bar), and its
    leader runs through ``keep_out`` only where no place is free of it (:data:`KEEP_OUT_COST`); None when some
    name finds no such place.

    Each name goes where it costs least: its distance from the anchor, in lines of text, and
    :data:`CROSSING_COST` for each leader that would run through a name. The names with the nearest free place
    of their own are placed first (a name at the leg's edge has its place just outside it; placed left to
    right, a name from the middle of the leg took that place and pushed the edge's name across the leg)."""
    width, height = window
    margin, lead = spaces  # the picture's edge margin and the leader's gap, in its pixels
    gap_x, gap_y = float(font), 0.25 * font  # a word's space between names side by side, a little above
    fixed: list[Box] = []
    if floor_right > 0:
        fixed.append((width / 2, 0.0, float(width), floor_right))  # the legend's corner, as the columns keep it
    if keep_out is not None:
        fixed.append(keep_out)
    steps = [k * 0.75 * font for k in range(int(height / (0.75 * font)) + 1)]

    def best(sid: str, taken: list[Box], leaders: list[Segment]) -> tuple[float, Spot | None]:
        (ax, ay), text = anchors[sid], widths[sid]
        spot: Spot | None = None
        cheapest = math.inf  # distance in lines, and leaders run through names
        for step in steps:
            if step / font >= cheapest:
                break  # every place from here on is further than the best place's whole cost
            for dy in (step, -step) if step else (0.0,):
                y = ay + dy
                if y - font / 2 < margin or y + font / 2 > height - margin:
                    continue
                for dx in (0.0, -0.5, 0.5, -1.0, 1.0, -1.5, 1.5, -2.0, 2.0):
                    x = min(max(ax - text / 2 + dx * text, margin), width - margin - text)
                    box = (x, y - font / 2, x + text, y + font / 2)
                    grown = (box[0] - gap_x, box[1] - gap_y, box[2] + gap_x, box[3] + gap_y)
                    if leg((box[0], grown[1], box[2], grown[3])) > 0:
                        continue
                    if any(_overlap(grown, other) for other in taken):
                        continue
                    end = _leader_end(box, (ax, ay), font, lead)
                    crossings = sum(crosses(leader, box) for leader in leaders) + sum(
                        crosses((end, (ax, ay)), other) for other in taken
                    )
                    cost = (abs(dy) + abs(x + text / 2 - ax)) / font + CROSSING_COST * crossings
                    if keep_out is not None and crosses((end, (ax, ay)), keep_out):
                        cost += KEEP_OUT_COST
                    if cost < cheapest:
                        spot, cheapest = (x, y, box, end), cost
        return cheapest, spot

    order = sorted(anchors, key=lambda sid: best(sid, fixed, [])[0])
    # Two passes: the second places each name again with every other name where it is now, so one placed early
    # is not left with a leader through a name placed after it.
    spots: dict[str, Spot] = {}
    for _round in range(2):
        for sid in order:
            others = [(o, spot) for o, spot in spots.items() if o != sid]
            _, spot = best(sid, fixed + [s[2] for _, s in others], [(s[3], anchors[o]) for o, s in others])
            if spot is not None:
                spots[sid] = spot
            elif sid not in spots:
                return None
    return [(sid, x, y, True, end) for sid, (x, y, _, end) in spots.items()]


def _leader_end(box: Box, anchor: tuple[float, float], font: float, gap: float) -> tuple[float, float]:
    """Where the leader of a name placed in the free space (its text in ``box``) leaves it for ``anchor``: from the
    point of the name nearest the anchor. Under or over the letters straight above or below the anchor when the
    anchor lies below or above the text (the leader then runs straight down or up, away from the letters); at the
    name's near end, at half its height, when the anchor lies to one side (as the columns' leaders leave their
    names).

    Before, every leader left from under or over the middle: to a point at about the name's own height it ran along
    the tops or the feet of the letters of half the name (in the medial view, most names looked struck through).
    Then a leader to a point under the text left from under its middle: to a point under the name's first letters,
    a little lower than the name, it ran along the feet of half the name all the same (extensor hallucis longus,
    medial view, knee 45)."""
    left, bottom, right, top = box
    ax, ay = anchor
    if left <= ax <= right:
        clear = max(gap, 0.25 * font)  # the least space kept between names one above another, or the side gap
        return (ax, bottom - clear if ay < (bottom + top) / 2 else top + clear)
    middle = (bottom + top) / 2
    return (left - gap, middle) if ax < left else (right + gap, middle)


def _overlap(a: Box, b: Box) -> bool:
    """Whether two boxes (left, bottom, right, top) share any area."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def crosses(segment: Segment, box: Box) -> bool:
    """Whether a line segment runs through a box (left, bottom, right, top): Liang-Barsky clipping."""
    (x0, y0), (x1, y1) = segment
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True
