"""Leader labels at any picture shape: whole names inside the picture, or none and a reason (``left_out``); names
beside an upright leg, and in the free space round one lying across the picture."""

from __future__ import annotations

import itertools

import pytest
from vtkmodules.vtkRenderingCore import vtkRenderer, vtkRenderWindow

from calfviewer.scene.labels import LeaderLabels
from calfviewer.scene.overlays import Coverage, text_size

#: The smallest label text the house takes, in pixels (labels.MIN_LABEL_FONT).
SMALLEST = 12

#: The names the labels of a posterior view show (the longest of them is the calcaneal tendon's).
NAMES = {
    "soleus": "Soleus",
    "plantaris": "Plantaris",
    "popliteus": "Popliteus",
    "tibia": "Tibia",
    "fibula": "Fibula",
    "calcaneal_tendon": "Calcaneal tendon (Achilles tendon)",
    "gastrocnemius_medial_head": "Gastrocnemius, medial head",
    "gastrocnemius_lateral_head": "Gastrocnemius, lateral head",
    "flexor_digitorum_longus": "Flexor digitorum longus",
    "flexor_hallucis_longus": "Flexor hallucis longus",
    "tibialis_posterior": "Tibialis posterior",
    "fibularis_longus": "Fibularis longus (peroneus longus)",
}


def _laid_out(window: tuple[int, int], dpi: int = 72) -> LeaderLabels:
    """The labels laid out for a picture of ``window`` pixels, anchored down a leg in its middle third, in a window
    of ``dpi`` (72 times the screen's scale, as pyvistaqt sets it)."""
    width, height = window
    renderer = vtkRenderer()
    if dpi != 72:
        render_window = vtkRenderWindow()  # never drawn: it only tells the labels its DPI
        render_window.AddRenderer(renderer)
        render_window.SetDPI(dpi)
    labels = LeaderLabels(renderer, NAMES, (1.0, 1.0, 1.0))
    anchors = {
        sid: (width * (0.45 + 0.1 * (index % 2)), height * (0.9 - 0.8 * index / len(NAMES)))
        for index, sid in enumerate(NAMES)
    }
    labels.layout(anchors, window)
    return labels


def _assert_inside(labels: LeaderLabels, window: tuple[int, int]) -> None:
    width, height = window
    shown = labels.shown()
    for sid, (_, y) in shown.items():
        left, right = labels.horizontal_extent(sid)
        assert left >= 0 and right <= width, (sid, left, right)
        assert 0 <= y <= height, (sid, y)
    font = labels.text_properties()[0].GetFontSize()
    for side in (True, False):  # in each column, no two names closer than a line of text: none overlaps another
        ys = sorted(y for sid, (_, y) in shown.items() if (labels.horizontal_extent(sid)[1] < width / 2) == side)
        assert all(b - a >= font for a, b in itertools.pairwise(ys)), (side, ys, font)
    assert font >= SMALLEST


@pytest.mark.parametrize("window", [(900, 1200), (640, 800), (2000, 250), (400, 1600), (500, 2000)])
def test_names_that_fit_are_drawn_whole_inside_the_picture(window):
    labels = _laid_out(window)
    assert labels.left_out is None and set(labels.shown()) == set(NAMES)
    _assert_inside(labels, window)


def test_a_narrow_tall_picture_gets_smaller_text_not_names_past_its_edge():
    """The text is 1/52 of the height (38 px at 2000): the longest names were wider than the picture's 500 pixels,
    drawn across the leg from edge to edge. Now no name takes more than half the width."""
    labels = _laid_out((500, 2000))
    assert max(labels.horizontal_extent(sid)[1] - labels.horizontal_extent(sid)[0] for sid in NAMES) <= 500 / 2 - 8
    assert SMALLEST <= labels.text_properties()[0].GetFontSize() < round(2000 / 52)


def test_the_smallest_text_and_the_leaders_are_as_big_to_the_eye_on_a_200_percent_screen():
    """A window at 200 % has twice the pixels each way (DPI 144). The smallest text was kept in pixels, so in a
    small 3D view on such a screen the names were half the size the house takes as the least that is read (9 pixels
    of the screen at 100 %, where 1/52 of the height was above 12 pixels, 12 where below), and the leader lines half
    as thick. Here the picture is low enough (400 pixels: 1/52 is 8) for the smallest text at both scales."""
    window = (900, 400)
    heights, leaders = {}, {}
    for dpi in (72, 144):
        labels = _laid_out(window, dpi)
        assert labels.left_out is None and set(labels.shown()) == set(NAMES)
        heights[dpi] = text_size(labels.text_properties()[0], "Soleus", dpi)[1]
        leaders[dpi] = labels.leaders.GetProperty().GetLineWidth()
    assert abs(heights[144] - 2 * heights[72]) <= 2, heights
    assert leaders == {72: 1.0, 144: 2.0}


def test_the_margin_and_the_leader_gap_are_as_big_to_the_eye_on_a_200_percent_screen():
    """The space kept between a name and the picture's edge (8 pixels at 100 %) and between a name and its leader's
    start (4) were device pixels: on a 200 % screen (DPI 144) half as wide to the eye as the rest of the overlays,
    which follow the screen's scale. Two names whose points lie near the picture's edges: each is pushed in to the
    margin, its leader starting a gap from its text."""
    window = (900, 400)
    anchors = {"soleus": (30.0, 300.0), "tibia": (870.0, 100.0)}  # the left and the right column, one name each
    for dpi, margin, gap in ((72, 8.0, 4.0), (144, 16.0, 8.0)):
        renderer = vtkRenderer()
        if dpi != 72:
            render_window = vtkRenderWindow()  # never drawn: it only tells the labels its DPI
            render_window.AddRenderer(renderer)
            render_window.SetDPI(dpi)
        labels = LeaderLabels(renderer, NAMES, (1.0, 1.0, 1.0))
        labels.layout(anchors, window)
        assert set(labels.shown()) == set(anchors), dpi
        left, right = labels.horizontal_extent("soleus"), labels.horizontal_extent("tibia")
        assert left[0] == pytest.approx(margin) and right[1] == pytest.approx(window[0] - margin), dpi
        leaders = labels.leaders.GetMapper().GetInput()
        starts = sorted(leaders.GetPoint(2 * cell)[0] for cell in range(leaders.GetNumberOfCells()))
        assert starts == pytest.approx([left[1] + gap, right[0] - gap]), dpi


@pytest.mark.parametrize(
    ("window", "says"),
    [
        ((64, 8192), "the longest name needs"),
        ((150, 1200), "make it wider"),
        ((8192, 64), f"the {len(NAMES)} names do not fit one above another in 64 pixels; make the picture taller"),
    ],
)
def test_names_that_cannot_fit_are_left_out_with_the_reason(window, says):
    """Before, at 64x8192 the names (158 px text) ran far past both edges, and at 8192x64 they were stacked
    above the top of the picture; now none is drawn, and ``left_out`` says why (render prints it on stderr)."""
    labels = _laid_out(window)
    assert labels.shown() == {} and labels.left_out is not None and says in labels.left_out
    assert labels.leaders.GetMapper().GetInput().GetNumberOfCells() == 0  # no leader to a name not drawn


def test_a_leg_lying_across_the_picture_gets_its_names_in_the_free_space_round_it():
    # A knee bent in a side view: the leg runs out to both edges, so no column beside it is free of it.
    window, band = (1000, 700), (300.0, 420.0)
    leg = Coverage(window, 10.0)
    leg.add_box((0.0, band[0], 1000.0, band[1]))
    anchors = {sid: (60.0 + 75.0 * i, band[0] + 20.0 + 80.0 * (i % 2)) for i, sid in enumerate(NAMES)}

    def over_the_leg(labels: LeaderLabels) -> list[str]:
        font = labels.text_properties()[0].GetFontSize()
        return [sid for sid, (_, y) in labels.shown().items() if y + font / 2 > band[0] and y - font / 2 < band[1]]

    columns = LeaderLabels(vtkRenderer(), NAMES, (1.0, 1.0, 1.0))
    columns.layout(anchors, window)  # no leg given: the columns, as while the picture moves
    assert over_the_leg(columns), "the columns should run over this leg: nothing to compare with"
    labels = LeaderLabels(vtkRenderer(), NAMES, (1.0, 1.0, 1.0))
    labels.layout(anchors, window, leg=leg)
    assert labels.left_out is None and set(labels.shown()) == set(NAMES)
    assert over_the_leg(labels) == []
    font = labels.text_properties()[0].GetFontSize()
    boxes = {
        sid: (*labels.horizontal_extent(sid), y - font / 2, y + font / 2) for sid, (_, y) in labels.shown().items()
    }
    for (a, (l1, r1, b1, t1)), (b, (l2, r2, b2, t2)) in itertools.combinations(boxes.items(), 2):
        assert not (l1 < r2 and l2 < r1 and b1 < t2 and b2 < t1), f"{a} and {b} overlap"
    for left, right, bottom, top in boxes.values():
        assert left >= 0 and right <= window[0] and bottom >= 0 and top <= window[1]
    lines = labels.leaders.GetMapper().GetInput()
    ends = [lines.GetPoint(i)[:2] for i in range(lines.GetNumberOfPoints())]
    for (x0, y0), (x1, y1) in zip(ends[::2], ends[1::2], strict=True):  # from a name's text to its anchor
        for sid, (left, right, bottom, top) in boxes.items():
            own = left - 1 <= x0 <= right + 1 and bottom - font <= y0 <= top + font
            # Sampled along the leader: no point of it inside another name's box.
            inside = any(
                left < x0 + t * (x1 - x0) < right and bottom < y0 + t * (y1 - y0) < top
                for t in (k / 50 for k in range(51))
            )
            assert own or not inside, f"a leader runs through {sid}"


def test_an_upright_leg_keeps_the_two_columns_with_no_name_over_it():
    # The calcaneal tendon's long name, pushed back in by the picture's edge, was written 30 pixels over the leg:
    # the columns were kept because their names covered only a few of its cells on average. It is shortened to its
    # first name now; every name keeps its column and its height, and the names that were beside the leg their text.
    window = (900, 1200)
    leg_box = (400.0, 60.0, 520.0, 1140.0)  # a leg standing in the middle third, as the standard views show it
    leg = Coverage(window, 10.0)
    leg.add_box(leg_box)
    plain, given = _laid_out(window), LeaderLabels(vtkRenderer(), NAMES, (1.0, 1.0, 1.0))
    width, height = window
    anchors = {
        sid: (width * (0.45 + 0.1 * (index % 2)), height * (0.9 - 0.8 * index / len(NAMES)))
        for index, sid in enumerate(NAMES)
    }
    given.layout(anchors, window, leg=leg)

    def over_the_leg(labels: LeaderLabels) -> list[str]:
        return [
            sid
            for sid in labels.shown()
            if min(labels.horizontal_extent(sid)[1], leg_box[2]) > max(labels.horizontal_extent(sid)[0], leg_box[0])
        ]

    assert over_the_leg(plain) == ["calcaneal_tendon"], "nothing to compare with"
    assert given.left_out is None and set(given.shown()) == set(NAMES)
    assert over_the_leg(given) == []
    for sid, (_, y) in given.shown().items():
        assert y == plain.shown()[sid][1], sid
        left_of_leg = given.horizontal_extent(sid)[1] <= leg_box[0]
        assert left_of_leg == (plain.horizontal_extent(sid)[1] <= leg_box[0]), sid
    assert given.text("calcaneal_tendon") == "Calcaneal tendon"
    assert all(given.text(sid) == NAMES[sid] for sid in NAMES if sid != "calcaneal_tendon")
    _assert_inside(given, window)


def _slab(window: tuple[int, int], slab: tuple[float, float], cell: float) -> Coverage:
    """A slice seen face on, as high as the picture, from ``slab[0]`` to ``slab[1]`` pixels across."""
    leg = Coverage(window, cell)
    leg.add_box((slab[0], 0.0, slab[1], float(window[1])))
    return leg


def _on_the_slab(labels: LeaderLabels, slab: tuple[float, float]) -> list[str]:
    """The shown names any part of which is written over the slab."""
    extents = {sid: labels.horizontal_extent(sid) for sid in labels.shown()}
    return [sid for sid, (left, right) in extents.items() if min(right, slab[1]) > max(left, slab[0])]


def test_the_columns_stand_past_a_slice_that_reaches_beyond_the_names_points():
    # A section seen face on: the slice is as high as the picture and wider than the spread of the points the
    # names lead to, so there is no free space above or below a name's point, and the columns (a little beside the
    # outermost points) were written over the slice. They now stand past its edges.
    window, slab = (1200, 800), (330.0, 870.0)
    leg = _slab(window, slab, 10.0)
    short = ("soleus", "plantaris", "popliteus", "tibia", "fibula", "tibialis_posterior")
    anchors = {sid: (540.0 + 120.0 * (i % 2), 700.0 - 110.0 * i) for i, sid in enumerate(short)}
    plain = LeaderLabels(vtkRenderer(), NAMES, (1.0, 1.0, 1.0))
    plain.layout(anchors, window)  # no leg given: the columns, as while the picture moves
    assert _on_the_slab(plain, slab), "the plain columns should run over this slab: nothing to compare with"
    labels = LeaderLabels(vtkRenderer(), NAMES, (1.0, 1.0, 1.0))
    labels.layout(anchors, window, leg=leg)
    assert labels.left_out is None and set(labels.shown()) == set(short)
    assert _on_the_slab(labels, slab) == []
    _assert_inside(labels, window)
    sides = {sid: labels.horizontal_extent(sid)[1] <= slab[0] for sid in short}
    assert sides == {sid: anchors[sid][0] < 600.0 for sid in short}, "each name on its own point's side"


def test_names_whose_points_share_one_x_are_laid_out_in_one_column():
    # Every anchor at the same x (the median, so none left of it): the empty left column raised ValueError (min of
    # an empty sequence) inside the render, and the picture was never drawn.
    window = (900, 1200)
    labels = LeaderLabels(vtkRenderer(), NAMES, (1.0, 1.0, 1.0))
    anchors = {sid: (450.0, 100.0 + 80.0 * index) for index, sid in enumerate(NAMES)}
    labels.layout(anchors, window)
    assert labels.left_out is None and set(labels.shown()) == set(NAMES)
    _assert_inside(labels, window)


def test_a_name_that_cannot_fit_beside_a_slice_in_a_small_picture_is_left_out_not_written_over_it():
    # A slice seen face on in a very small 3D view: the columns stand past its edges, but the longest names, wider
    # than the room between the slice and the picture's edge, were pushed back in by the edge over the slice's rim.
    # A name that fits there on two lines is shown so ("Fibularis" over "longus": it was left out too, before names
    # were broken); one that does not, even so, is left out, and left_out names it; the short names keep their
    # places on their own side.
    window, slab = (360, 300), (70.0, 290.0)
    leg = _slab(window, slab, 4.0)
    ids = ("soleus", "fibularis_longus", "tibia", "calcaneal_tendon", "fibula", "plantaris")
    anchors = {sid: (150.0 + 60.0 * (i % 2), 260.0 - 40.0 * i) for i, sid in enumerate(ids)}
    labels = LeaderLabels(vtkRenderer(), NAMES, (1.0, 1.0, 1.0))
    labels.layout(anchors, window, leg=leg, free=False, beside_slice=True)  # face on: the names keep to the columns
    extents = {sid: labels.horizontal_extent(sid) for sid in labels.shown()}
    assert _on_the_slab(labels, slab) == []
    # Both wider at 12 pixels than the 62 beside the slab on either side; "Calcaneal" alone is too.
    assert set(labels.shown()) == set(ids) - {"calcaneal_tendon"}
    assert labels.text("fibularis_longus") == "Fibularis\nlongus"
    assert labels.left_out is not None and labels.left_out.endswith("make it wider")
    assert NAMES["calcaneal_tendon"] in labels.left_out and NAMES["fibularis_longus"] not in labels.left_out
    _assert_boxes_apart(labels, window)
    sides = {sid: right <= slab[0] for sid, (_, right) in extents.items()}
    assert sides == {sid: anchors[sid][0] < 180.0 for sid in extents}, "each name on its own point's side"


def test_a_long_name_beside_a_slice_is_shortened_to_its_first_name_where_that_fits():
    # With a little more room beside the slice, the names with a second name in brackets fit without it: shown as
    # "Fibularis longus", not left out, and nothing is left out. The next layout with room shows the whole name.
    window, slab = (500, 300), (130.0, 370.0)
    leg = _slab(window, slab, 4.0)
    ids = ("soleus", "fibularis_longus", "tibia", "calcaneal_tendon", "fibula", "plantaris")
    anchors = {sid: (220.0 + 60.0 * (i % 2), 260.0 - 40.0 * i) for i, sid in enumerate(ids)}
    labels = LeaderLabels(vtkRenderer(), NAMES, (1.0, 1.0, 1.0))
    labels.layout(anchors, window, leg=leg, free=False, beside_slice=True)
    assert labels.left_out is None and set(labels.shown()) == set(ids)
    assert labels.text("fibularis_longus") == "Fibularis longus"
    assert labels.text("calcaneal_tendon") == "Calcaneal tendon"
    assert labels.text("soleus") == "Soleus"
    assert _on_the_slab(labels, slab) == []
    labels.layout(anchors, (1600, 300), leg=None)  # room enough: the whole names again
    assert labels.text("fibularis_longus") == "Fibularis longus (peroneus longus)"


#: Names of a side view's sweep, some too long for the room beside its leg on one line (the calf's two heads).
SWEEP_NAMES = {
    "soleus": "Soleus",
    "plantaris": "Plantaris",
    "tibia": "Tibia",
    "fibula": "Fibula",
    "gastrocnemius_lateral_head": "Gastrocnemius, lateral head",
    "gastrocnemius_medial_head": "Gastrocnemius, medial head",
    "extensor_digitorum_longus": "Extensor digitorum longus",
    "fibularis_longus": "Fibularis longus (peroneus longus)",
    "tibialis_anterior": "Tibialis anterior",
    "popliteus": "Popliteus",
}


def _assert_boxes_apart(labels: LeaderLabels, window: tuple[int, int]) -> None:
    """Every shown name's whole text (both lines of one on two) inside the picture and clear of every other's."""
    boxes = {sid: labels.box(sid) for sid in labels.shown()}
    for left, bottom, right, top in boxes.values():
        assert left >= 0 and right <= window[0] and bottom >= 0 and top <= window[1]
    for (a, (l1, b1, r1, t1)), (b, (l2, b2, r2, t2)) in itertools.combinations(boxes.items(), 2):
        assert not (l1 < r2 and l2 < r1 and b1 < t2 and b2 < t1), f"{a} and {b} overlap"


def _leader_starts(labels: LeaderLabels) -> list[tuple[float, float]]:
    """Where each leader leaves its name (the first point of each segment: from the text to the anchor)."""
    lines = labels.leaders.GetMapper().GetInput()
    return [lines.GetPoint(2 * cell)[:2] for cell in range(lines.GetNumberOfCells())]


def test_a_long_name_with_no_room_beside_the_leg_goes_on_two_lines_in_its_own_column():
    # A movie's names stand clear of where the leg goes in any frame: here it covers x 80-496 of 640 in every row,
    # leaving 72 pixels on the left and 120 on the right. "Gastrocnemius, lateral head" (207 pixels at the 15-pixel
    # text) was shortened (nothing to cut), moved to the left column, still over the leg there, and left out: the
    # two heads of gastrocnemius and extensor digitorum longus were left out of every labelled calf movie seen from
    # the side. Now each is broken onto two lines at the space that makes its longer line shortest, in its own
    # column; its neighbours give it two lines' height, and its leader leaves it at its side, at its middle.
    window = (640, 800)
    leg = Coverage(window, 8.0)
    leg.add_box((80.0, 0.0, 496.0, 800.0))
    # Alternately left and right of the leg's middle; the three long names next to each other on the right, close
    # enough that two-line names need more than a line's room between them.
    anchors = {sid: (250.0 + 150.0 * (i % 2), 720.0 - 70.0 * i) for i, sid in enumerate(SWEEP_NAMES)}
    anchors |= {
        "gastrocnemius_lateral_head": (400.0, 470.0),
        "gastrocnemius_medial_head": (400.0, 450.0),
        "extensor_digitorum_longus": (400.0, 430.0),
    }
    labels = LeaderLabels(vtkRenderer(), SWEEP_NAMES, (1.0, 1.0, 1.0))
    labels.layout(anchors, window, leg=leg, free=False, through_motion=True)
    assert labels.left_out is None and set(labels.shown()) == set(SWEEP_NAMES)
    assert labels.text("gastrocnemius_lateral_head") == "Gastrocnemius,\nlateral head"
    assert labels.text("gastrocnemius_medial_head") == "Gastrocnemius,\nmedial head"
    assert labels.text("extensor_digitorum_longus") == "Extensor\ndigitorum longus"  # not "...digitorum\nlongus"
    assert labels.text("tibialis_anterior") == "Tibialis\nanterior"  # on the left, where "Tibialis anterior" is over
    assert labels.text("fibularis_longus") == "Fibularis longus"  # its first name fits on one line
    assert labels.text("soleus") == "Soleus"
    one_line = labels.box("soleus")[3] - labels.box("soleus")[1]
    for sid, (left, bottom, right, top) in ((sid, labels.box(sid)) for sid in labels.shown()):
        assert right <= 80.0 or left >= 496.0, f"{sid} is written over the leg: {left}-{right}"
        assert (right <= 80.0) == (anchors[sid][0] < 325.0), f"{sid} left its own column"
        if "\n" in labels.text(sid):
            assert top - bottom >= 1.8 * one_line, (sid, top - bottom, one_line)
    _assert_boxes_apart(labels, window)
    starts = _leader_starts(labels)
    gap = 4.0  # LEADER_GAP at 72 DPI
    for sid in ("gastrocnemius_lateral_head", "gastrocnemius_medial_head", "extensor_digitorum_longus"):
        left, bottom, _, top = labels.box(sid)
        assert (left - gap, (bottom + top) / 2) in [pytest.approx(start) for start in starts], sid


def test_a_name_whose_column_has_no_room_for_two_lines_goes_to_the_other_column_on_two_lines():
    # The right column holds eleven names in 200 pixels, a line and a half apart: no room for a twelfth line. The
    # medial head of gastrocnemius, over the leg there, stays on one line (broken, the column could not be laid out
    # at all) and goes to the other column, where it is broken onto two lines, not left out as before.
    short = ("Soleus", "Plantaris", "Popliteus", "Tibia", "Fibula", "Femur", "Patella", "Talus", "Calcaneus")
    names = {name.lower(): name for name in (*short, "Navicular", "Cuboid")}
    names["gastrocnemius_medial_head"] = "Gastrocnemius, medial head"
    window = (640, 200)
    leg = Coverage(window, 4.0)
    leg.add_box((130.0, 0.0, 510.0, 200.0))
    right = [sid for sid in names if sid != "cuboid"]
    anchors = {sid: (400.0, 185.0 - 15.0 * i) for i, sid in enumerate(right)} | {"cuboid": (200.0, 100.0)}
    labels = LeaderLabels(vtkRenderer(), names, (1.0, 1.0, 1.0))
    labels.layout(anchors, window, leg=leg, free=False, through_motion=True)
    assert labels.left_out is None and set(labels.shown()) == set(names)
    assert labels.text("gastrocnemius_medial_head") == "Gastrocnemius,\nmedial head"
    left, _, right_edge, _ = labels.box("gastrocnemius_medial_head")
    assert right_edge <= 130.0, (left, right_edge)  # the left column, clear of the leg
    assert all(labels.box(sid)[0] >= 510.0 for sid in right if sid != "gastrocnemius_medial_head")
    _assert_boxes_apart(labels, window)


def _leaders(labels: LeaderLabels) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The leader lines drawn, each from its name to its point (display pixels)."""
    lines = labels.leaders.GetMapper().GetInput()
    points = [lines.GetPoint(i)[:2] for i in range(lines.GetNumberOfPoints())]
    return [(points[i], points[i + 1]) for i in range(0, len(points), 2)]


def test_no_leader_of_the_columns_runs_through_the_colour_bar():
    """The colour bar in the upper left, the left column kept under it: names leading up to points higher than the
    bar's foot (the knee's, in a medial view with the knee bent) ran their leaders through its words and title.
    Those names go to the other column, their leaders across the leg."""
    from calfviewer.scene.free_space import crosses

    window, bar = (900, 700), (4.0, 420.0, 285.0, 696.0)
    anchors = {
        sid: (300.0 + 25.0 * (i % 3) + (160.0 if i >= 6 else 0.0), 600.0 - 45.0 * i) for i, sid in enumerate(NAMES)
    }
    labels = LeaderLabels(vtkRenderer(), NAMES, (1.0, 1.0, 1.0))
    labels.layout(anchors, window, keep_out=bar)
    assert labels.left_out is None and set(labels.shown()) == set(NAMES)
    through = [line for line in _leaders(labels) if crosses(line, bar)]
    assert not through, f"leaders through the colour bar: {through}"
    for sid in labels.shown():
        left, bottom, right, top = labels.box(sid)
        assert not (left < bar[2] and bar[0] < right and bottom < bar[3] and bar[1] < top), f"{sid} over the bar"


def test_a_name_in_the_free_space_leads_round_the_colour_bar_not_through_it():
    """In the free space round a leg lying across the picture, a leader through the colour bar cost a name no more
    than going 30 lines further: the name under the bar led up through it to its point on the leg."""
    from calfviewer.scene.free_space import crosses, free_places

    window, band, bar = (1000, 700), (296.6, 403.4), (54.5, 213.0, 323.0, 291.6)
    leg = Coverage(window, 10.0)
    leg.add_box((0.0, band[0], 1000.0, band[1]))
    anchors = {"soleus": (188.3, 384.7), "tibia": (335.9, 330.9), "fibula": (215.5, 311.6)}
    widths = {"soleus": 132.0, "tibia": 144.4, "fibula": 119.5}
    for font in (12, 16, 18):  # before, fibula's leader ran up through the bar at each of these
        placed = free_places(anchors, widths, font, window, leg, 0.0, bar, (8.0, 4.0))
        assert placed is not None and {entry[0] for entry in placed} == set(anchors)
        through = [sid for sid, _x, _y, _left, end in placed if crosses((end, anchors[sid]), bar)]
        assert not through, f"leaders through the colour bar at {font} px: {through}"
