"""Name labels with leader lines: each shown structure's name, beside the leg or in the free space round it.

VTK 2D actors laid out in display pixels (:mod:`calfviewer.scene.overlays` has what the overlays share). Two layouts:
two columns beside an upright leg (the standard views), and, where the leg lies across the picture and the columns
would be written over it, each name in the free space nearest its structure. No name is written over the leg: one
with no room beside it is shortened, broken onto two lines, moved to the other column or left out, and
:attr:`LeaderLabels.left_out` says so.
A movie lays its names out once and holds them there (:meth:`LeaderLabels.hold`), each frame drawing their leaders.

Over 500 lines: the columns, the fitting of names beside the leg (shortened, on two lines, moved) and a movie's
held layout share the measures, the column builder and the drawing of one :class:`LeaderLabels`; apart, each would
reach into the others' state. The free space round the leg, which needs none of it, is
:mod:`calfviewer.scene.free_space`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pyvista as pv
from vtkmodules.vtkRenderingCore import vtkActor2D, vtkPolyDataMapper2D, vtkRenderer, vtkTextActor, vtkTextProperty

from calfviewer.scene.free_space import Box, Placed, crosses, free_places
from calfviewer.scene.materials import RGB
from calfviewer.scene.overlays import Coverage, device_pixels, font_points, lines_polydata, text_size, window_dpi

#: Smallest label text, in pixels at 100 % (:func:`device_pixels`): names smaller than this are not read on a slide
#: or a screen.
MIN_LABEL_FONT = 12
#: The leader lines' width, in pixels at 100 %.
LEADER_WIDTH = 1.0
#: Pixels at 100 % (:func:`device_pixels`) kept clear between a label and the picture's edge.
LABEL_MARGIN = 8.0
#: Pixels at 100 % between a name and the start of its leader (and, beside a column, between the point a name
#: leads to and the name's end).
LEADER_GAP = 4.0
#: How many cells of the leg (:class:`Coverage`), per name, the columns may write over before the names are put in
#: the free space round the leg instead (a few cells: a name's end touching a toe keeps the tidier columns).
COLUMNS_COVER = 3.0
#: Lines of text between the middles of two names one above the other in a column (a name on two lines takes
#: its second line's height more: :func:`_spread`).
ROW_GAP = 1.45


@dataclass
class _Label:
    text: vtkTextActor
    content: str


class LeaderLabels:
    """Structure names beside the leg (or round it, :meth:`layout`), each with a thin leader line to a point on its
    structure.

    :meth:`layout` gets the anchors (display pixels) of the labels to show; everything else is hidden.
    """

    def __init__(self, renderer: vtkRenderer, names: Mapping[str, str], color: RGB) -> None:
        self.renderer = renderer
        #: Why the last layout drew no label although some were asked for (they did not fit); None when they did.
        self.left_out: str | None = None
        self._labels: dict[str, _Label] = {}
        #: Names shortened or broken onto two lines by the last layout to fit beside the leg or a slice
        #: (:meth:`_fit`), id -> the text shown.
        self._shortened: dict[str, str] = {}
        #: The last layout (its names' places, text height, scale and picture size), and the one :meth:`hold` keeps.
        self._laid_out: tuple[list[Placed], int, int, tuple[int, int]] | None = None
        self._held: tuple[list[Placed], int, int, tuple[int, int]] | None = None
        for structure_id, name in names.items():
            text = vtkTextActor()
            text.SetInput(name)
            prop = text.GetTextProperty()
            prop.SetColor(color)
            prop.SetFontFamilyToArial()
            prop.SetShadow(True)
            prop.SetShadowOffset(1, -1)
            prop.SetVerticalJustificationToCentered()
            text.SetVisibility(False)
            text.SetPickable(False)
            renderer.AddViewProp(text)
            self._labels[structure_id] = _Label(text, name)
        self.leaders = vtkActor2D()
        self._leader_mapper = vtkPolyDataMapper2D()  # kept: GetMapper() is typed as the base, without inputs
        self.leaders.SetMapper(self._leader_mapper)
        self._leader_mapper.SetInputData(pv.PolyData())
        self.leaders.GetProperty().SetColor(color)
        self.leaders.GetProperty().SetLineWidth(LEADER_WIDTH)
        self.leaders.GetProperty().SetOpacity(0.85)
        self.leaders.SetPickable(False)
        renderer.AddViewProp(self.leaders)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._labels)

    def text_properties(self) -> list[vtkTextProperty]:
        return [label.text.GetTextProperty() for label in self._labels.values()]

    def rename(self, names: Mapping[str, str]) -> None:
        """Give the labels of ``names``' ids new text (English or Latin names); the next layout places them."""
        for structure_id, name in names.items():
            label = self._labels[structure_id]
            label.text.SetInput(name)
            label.content = name

    def text(self, structure_id: str) -> str:
        """The text a label shows (for tests): its name, or the name shortened or broken onto two lines ("\\n")
        beside the leg (:meth:`_fit`)."""
        return str(self._labels[structure_id].text.GetInput())

    def shown(self) -> dict[str, tuple[float, float]]:
        """id -> display position of each label drawn now (for tests): the end its text runs from or to, at the
        middle of its height (the text is centred on it; a name on two lines, between them, where its leader
        leaves it)."""
        return {
            sid: tuple(label.text.GetPosition())  # type: ignore[misc]
            for sid, label in self._labels.items()
            if label.text.GetVisibility()
        }

    def horizontal_extent(self, structure_id: str) -> tuple[float, float]:
        """Left and right pixel of a label's text as laid out (for tests: no name is cut by the window), of its
        longer line if it is on two."""
        left, _, right, _ = self.box(structure_id)
        return left, right

    def box(self, structure_id: str) -> Box:
        """Left, bottom, right and top pixel of a label's text as laid out and measured by VTK (for tests: a name on
        two lines takes about twice a line's height, centred on its :meth:`shown` position)."""
        label = self._labels[structure_id]
        prop = label.text.GetTextProperty()
        width, height = text_size(prop, self.text(structure_id), window_dpi(self.renderer))
        x, y = label.text.GetPosition()
        left = x - width if prop.GetJustification() == 2 else x  # 2: VTK_TEXT_RIGHT
        return (left, y - height / 2, left + width, y + height / 2)

    def hide(self) -> None:
        for label in self._labels.values():
            label.text.SetVisibility(False)
        self._leader_mapper.SetInputData(pv.PolyData())

    def layout(
        self,
        anchors: Mapping[str, tuple[float, float]],
        window: tuple[int, int],
        floor_right: float = 0.0,
        keep_out: Box | None = None,
        leg: Coverage | None = None,
        scale: int = 1,
        free: bool = True,
        beside_slice: bool = False,
        through_motion: bool = False,
    ) -> None:
        """Show the labels of ``anchors`` (id -> anchor pixel), left or right of the leg by where their anchor is,
        spread vertically so no two overlap, with leaders from the text to the anchor. The right column keeps above
        ``floor_right`` pixels from the bottom (the legend's corner), so no name is drawn over the legend; the
        column on the side of ``keep_out`` (left, bottom, right, top pixels: the colour bar), when given, keeps
        below it if it is in the upper half of the picture, above it if in the lower half.

        Given ``leg`` (where the leg is drawn), a column the names would write over the leg with moves out past
        the leg's edge, as far as the picture allows (a section seen face on: the slice reaches past the points the
        names lead to); and where the columns still write over the leg, each name may go in the free space nearest
        its anchor instead (:func:`~calfviewer.scene.free_space.free_places`; not when ``free`` is False): a leg
        lying across the picture (the knee bent in a side view) leaves no room beside it, and its columns were
        written over the foot and the knee.
        A name the columns would still write over the leg is shortened to its first name, broken onto two lines,
        moved to the other column (shortened and broken there too) or left out (:meth:`_fit`), ``free`` or not (a
        movie's names keep to their columns: before, with ``free`` False they were left over the leg);
        ``beside_slice`` (a cut seen face on): shortened, broken onto two lines or left out, as an atlas labels a
        section. ``through_motion``: the names are for every frame of a motion (a movie),
        ``leg`` where the leg goes in any of them; none may cover a cell of it (a still's may cover a few, its end
        touching a toe): a name a frame's foot touched at its end was written over it (:func:`_over`).

        ``scale``: the picture is a still ``scale`` times the window's size (drawn in tiles; ``anchors``,
        ``floor_right`` and ``keep_out`` in its pixels, ``leg`` in the window's): the names are laid out at the
        window's size and scaled up, so the still has them where the window has them.

        The text is 1/52 of the height, smaller where the widest name would take more than half the width, never
        under :data:`MIN_LABEL_FONT`. When even then the names cannot fit (a name wider than the picture, a column
        taller than it: ``--size 64x8192``, ``8192x64``) none is drawn and :attr:`left_out` says why, rather than
        names cut by the edge or stacked past it."""
        for label in self._labels.values():
            label.text.SetVisibility(False)
        self.left_out = None
        self._shortened = {}
        self._laid_out = ([], 0, scale, window)  # no name drawn, until some are
        if not anchors:
            self._leader_mapper.SetInputData(pv.PolyData())
            return
        small = {sid: (x / scale, y / scale) for sid, (x, y) in anchors.items()}
        keep = (
            None
            if keep_out is None
            else (keep_out[0] / scale, keep_out[1] / scale, keep_out[2] / scale, keep_out[3] / scale)
        )
        placed, font = self._place(
            small,
            (window[0] // scale, window[1] // scale),
            floor_right / scale,
            keep,
            leg,
            free,
            beside_slice,
            0.0 if through_motion else COLUMNS_COVER,
        )
        if placed is None:
            self._leader_mapper.SetInputData(pv.PolyData())
            return
        self._laid_out = (placed, font, scale, window)
        self._draw(placed, anchors, font, scale)

    @property
    def held(self) -> tuple[int, int] | None:
        """The picture size (pixels) of the layout :meth:`hold` keeps, None when none is kept."""
        return self._held[3] if self._held is not None else None

    def hold(self) -> None:
        """Keep the names where the last :meth:`layout` put them (shortened or on two lines as it wrote them, those
        it left out left out, :attr:`left_out` saying so) until :meth:`let_go`: :meth:`lead` then only draws their
        leaders.

        Why: a movie places its names once for all its frames, clear of where the leg goes in any of them. Laid out
        again at each frame from that frame's points, the columns followed the moving foot (the names split at the
        points' median, each column beside its points): names swapped columns and were written over the leg as the
        foot swept under them (a knee sweep seen from the side)."""
        self._held = self._laid_out

    def let_go(self) -> None:
        """Lay the names out afresh at each :meth:`layout` again."""
        self._held = None

    def lead(self, anchors: Mapping[str, tuple[float, float]]) -> None:
        """Draw the held names (:meth:`hold`) where they were laid out, each with its leader to its point in
        ``anchors`` (this picture's, id -> display pixel); a name whose structure has no point here is not drawn."""
        for label in self._labels.values():
            label.text.SetVisibility(False)
        if self._held is None:
            self._leader_mapper.SetInputData(pv.PolyData())
            return
        placed, font, scale, _ = self._held
        self._draw([entry for entry in placed if entry[0] in anchors], anchors, font, scale)

    def _draw(
        self, placed: Sequence[Placed], anchors: Mapping[str, tuple[float, float]], font: int, scale: int
    ) -> None:
        """Show the names of ``placed`` (in pixels of the picture ``scale`` times smaller) with their leaders to
        ``anchors`` (the picture's pixels), the text ``font`` pixels high."""
        dpi = window_dpi(self.renderer)
        points = font_points(font * scale, dpi)
        self.leaders.GetProperty().SetLineWidth(device_pixels(LEADER_WIDTH, dpi))
        segments = []
        for sid, tx, ty, left_justified, (ex, ey) in placed:
            self._labels[sid].text.SetInput(self._shortened.get(sid, self._labels[sid].content))
            prop = self._labels[sid].text.GetTextProperty()
            prop.SetFontSize(points)
            if left_justified:
                prop.SetJustificationToLeft()
            else:
                prop.SetJustificationToRight()
            self._labels[sid].text.SetPosition(tx * scale, ty * scale)
            self._labels[sid].text.SetVisibility(True)
            segments.append(((ex * scale, ey * scale), anchors[sid]))
        self._leader_mapper.SetInputData(lines_polydata(segments))

    def _place(
        self,
        anchors: Mapping[str, tuple[float, float]],
        window: tuple[int, int],
        floor_right: float,
        keep_out: Box | None,
        leg: Coverage | None,
        free: bool,
        beside_slice: bool,
        spare: float,
    ) -> tuple[list[Placed] | None, int]:
        """Where each name goes (None, with :attr:`left_out` saying why, when they cannot fit), and the text height
        in pixels; a name may cover ``spare`` cells of the leg (:func:`_over`)."""
        width, height = window
        dpi = window_dpi(self.renderer)
        smallest = round(device_pixels(MIN_LABEL_FONT, dpi))
        font = max(smallest, round(height / 52))
        widths = self._text_widths(anchors, font, dpi)
        margin, lead = device_pixels(LABEL_MARGIN, dpi), device_pixels(LEADER_GAP, dpi)
        room = width / 2 - margin
        if max(widths.values()) > room:  # text width grows about in proportion to the font size: start there
            font = max(smallest, int(font * room / max(widths.values())))
            widths = self._text_widths(anchors, font, dpi)
            while max(widths.values()) > room and font > smallest:  # hinting: not quite in proportion
                font -= 1
                widths = self._text_widths(anchors, font, dpi)
        spaces = (margin, lead)
        placed = self._columns(anchors, widths, font, window, floor_right, keep_out, spaces)
        if leg is None or placed is None:
            return placed, font
        covered = _covered(placed, widths, font, leg)
        if covered > 0:
            outside = self._columns(anchors, widths, font, window, floor_right, keep_out, spaces, clear_of=leg)
            if outside is not None and (outside_covered := _covered(outside, widths, font, leg)) < covered:
                placed, covered = outside, outside_covered
        if free and covered > COLUMNS_COVER * len(placed):
            spread = free_places(anchors, widths, font, window, leg, floor_right, keep_out, spaces)
            if spread is not None:
                return spread, font
        if any(_over(entry, widths, font, leg, spare) for entry in placed):
            sides = {entry[0]: not entry[3] for entry in placed}  # left-justified text: the right column
            fitted = self._fit(
                sides, anchors, widths, font, window, floor_right, keep_out, spaces, (leg, spare), beside_slice
            )
            return fitted, font
        return placed, font

    def _fit(
        self,
        sides: Mapping[str, bool],
        anchors: Mapping[str, tuple[float, float]],
        widths: Mapping[str, float],
        font: int,
        window: tuple[int, int],
        floor_right: float,
        keep_out: Box | None,
        spaces: tuple[float, float],
        over_leg: tuple[Coverage, float],
        beside_slice: bool,
    ) -> list[Placed] | None:
        """The columns (each name on its side of ``sides``, id -> left) past the leg, with no name written over it
        (:func:`_over`; ``over_leg``: the leg and the cells a name may cover of it): such a name (the picture's edge
        pushed it back in) is shortened to its first name ("Fibularis longus (peroneus longus)" to "Fibularis
        longus"); then broken onto two lines (:func:`_two_lines`: "Gastrocnemius," over "lateral head"), taking two
        lines' height in its column (kept on one line if its column has no room for that); then, unless
        ``beside_slice`` (a cut's names keep to their side of it), goes whole to the other column, its leader across
        the leg as an atlas's run (left out if that column has no room left for it), and is shortened and broken
        there the same way; then is left out, and :attr:`left_out` names it and asks for a wider picture. The
        columns are laid out again after each change. None when no name fits.

        Why: in the window's side views at 1400 x 900 the room beside the leg is narrower than the longest names;
        the columns were kept while their names covered a few cells each *on average*, so a few names written over
        the calf and the heel passed among many beside it. And a column too short for the names moved to it (the
        colour bar above it, in a knee sweep's movie seen from the side) left out every name, not those few. The two
        lines: a movie's columns stand clear of where the leg goes in any frame, 72 and 128 pixels wide in a lateral
        sweep at 640 x 800, where the two heads of gastrocnemius (207 pixels on one line) were left out of it."""
        sides, kept, widths = dict(sides), dict(anchors), dict(widths)
        leg, spare = over_leg
        dpi = window_dpi(self.renderer)
        whole = dict(widths)
        taller: dict[str, float] = {}  # id -> pixels a name broken onto two lines is taller than on one
        moved: set[str] = set()
        one_line: set[str] = set()  # names whose column had no room for them on two lines
        dropped: list[str] = []
        crossing: list[str] = []  # the names the last round moved to the other column
        broken: list[str] = []  # the names the last round broke onto two lines
        rooms = {left: _column_room(left, font, window, floor_right, keep_out) for left in (True, False)}
        while True:
            placed = self._columns(
                kept, widths, font, window, floor_right, keep_out, spaces, clear_of=leg, sides=sides, taller=taller
            )
            if placed is None:
                # The last round's changes to a column with no room for its names: the names moved to it are left
                # out (the last first), then its names broken onto two lines go on as one line would (the last first).
                tall = {
                    left
                    for left in (True, False)
                    if _too_tall([sid for sid in kept if sides[sid] == left], font, taller, rooms[left])
                }
                moved_in = [sid for sid in crossing if sides[sid] in tall]
                two_lined = [sid for sid in broken if sides[sid] in tall]
                if not moved_in and not two_lined:
                    return None
                self.left_out = None
                sid = moved_in[-1] if moved_in else two_lined[-1]
                if sid in crossing:
                    crossing.remove(sid)
                    dropped.append(sid)
                    del kept[sid], sides[sid]
                else:
                    broken.remove(sid)
                    one_line.add(sid)
                    self._shortened[sid] = self._shortened[sid].replace("\n", " ")
                    widths[sid] = text_size(self._labels[sid].text.GetTextProperty(), self._shortened[sid], dpi)[0]
                    del taller[sid]
                continue
            over = [entry[0] for entry in placed if _over(entry, widths, font, leg, spare, taller)]
            if not over:
                break
            crossing, broken = [], []
            for sid in over:
                label = self._labels[sid]
                prop = label.text.GetTextProperty()  # at ``font`` already
                shown = self._shortened.get(sid, label.content)
                short = label.content.split(" (", 1)[0]
                two = None if "\n" in shown or sid in one_line else _two_lines(short, prop, dpi)
                if shown == label.content and short != label.content:
                    self._shortened[sid] = short
                    widths[sid] = text_size(prop, short, dpi)[0]
                elif two is not None:
                    self._shortened[sid] = two
                    broken.append(sid)
                    widths[sid], high = text_size(prop, two, dpi)
                    taller[sid] = high - text_size(prop, short, dpi)[1]
                elif not beside_slice and sid not in moved:
                    moved.add(sid)
                    crossing.append(sid)
                    sides[sid] = not sides[sid]
                    self._shortened.pop(sid, None)
                    taller.pop(sid, None)
                    one_line.discard(sid)  # the other column may have room for its two lines
                    widths[sid] = whole[sid]
                else:
                    self._shortened.pop(sid, None)
                    taller.pop(sid, None)
                    dropped.append(sid)
                    del kept[sid], sides[sid]
            if not kept:
                placed = []
                break
        if not dropped:
            return placed
        names = ", ".join(self._labels[sid].content for sid in dropped)
        where = "the slice" if beside_slice else "the leg"
        self.left_out = (
            f"{len(dropped)} of the {len(anchors)} names do not fit beside {where} in {window[0]} pixels ({names}); "
            "make it wider"
        )
        return placed or None

    def _columns(
        self,
        anchors: Mapping[str, tuple[float, float]],
        widths: Mapping[str, float],
        font: int,
        window: tuple[int, int],
        floor_right: float,
        keep_out: Box | None,
        spaces: tuple[float, float],
        clear_of: Coverage | None = None,
        sides: Mapping[str, bool] | None = None,
        taller: Mapping[str, float] | None = None,
    ) -> list[Placed] | None:
        """The names in two columns, left and right of the anchors' median; None (and :attr:`left_out` says why)
        when they cannot fit. Given ``clear_of`` (where the leg is drawn), each column stands a word's space
        beyond the leg's edge over the rows its names take, as far as the picture's edge allows. ``spaces``: the
        margin at the picture's edge and the leader's gap, in the picture's pixels; ``sides``: each name's column
        (id -> left), if not split at the anchors' median (a single name then goes on the left); ``taller``: id ->
        the pixels a name on two lines (:meth:`_fit`) is taller than one line, the room it takes in its column over
        a name's (each of its neighbours half of it further away)."""
        if sides is None:
            middle = float(np.median([x for x, _ in anchors.values()]))
            split = {sid: x < middle or len(anchors) == 1 for sid, (x, _) in anchors.items()}
            args = (anchors, widths, font, window, floor_right, keep_out, spaces, clear_of)
            lay_out = lambda by: self._columns(*args, sides=by, taller=taller)  # noqa: E731
            return self._leaders_clear(lay_out, split, anchors, keep_out)
        width, height = window
        margin, lead = spaces
        gap = font * ROW_GAP
        extra = taller or {}
        columns = []
        for left in (True, False):
            column = [(sid, x, y) for sid, (x, y) in anchors.items() if sides[sid] == left]
            column.sort(key=lambda entry: entry[2], reverse=True)
            low, high = _column_room(left, font, window, floor_right, keep_out)
            if column and _too_tall([sid for sid, _, _ in column], font, extra, (low, high)):
                self.left_out = (
                    f"the {len(anchors)} names do not fit one above another in {height} pixels; make the picture taller"
                )
            columns.append((left, column, low, high))
        if max(widths.values()) > width - 2 * margin:
            needed = math.ceil(max(widths.values()) + 2 * margin)
            self.left_out = f"the longest name needs {needed} pixels, more than the picture's {width}; make it wider"
        if self.left_out is not None:
            return None
        placed: list[Placed] = []
        for left, column, low, high in columns:
            if not column:  # every name of this side left out (:meth:`_fit`), or every anchor at the one x
                continue
            halves = [extra.get(sid, 0.0) / 2 for sid, _, _ in column]
            heights = _spread([y for _, _, y in column], gap=gap, low=low, high=high, halves=halves)
            edge = (
                (min(x for _, x, _ in column) - 0.06 * width) if left else (max(x for _, x, _ in column) + 0.06 * width)
            )
            blocks = list(zip(heights, halves, strict=True))  # each name's middle and half its added height
            rows = (min(y - h for y, h in blocks), max(y + h for y, h in blocks))
            span = clear_of.extent(rows[0] - font / 2, rows[1] + font / 2) if clear_of and heights else None
            if span is not None:
                edge = min(edge, span[0] - font) if left else max(edge, span[1] + font)
            for (sid, ax, _), ty in zip(column, heights, strict=True):
                if left:  # beside the leg, left of the anchor, but never cut off by the window edge
                    tx = max(min(edge, ax - lead), margin + widths[sid])
                    placed.append((sid, tx, ty, False, (tx + lead, ty)))
                else:
                    tx = min(max(edge, ax + lead), width - margin - widths[sid])
                    placed.append((sid, tx, ty, True, (tx - lead, ty)))
        return placed

    def _leaders_clear(
        self,
        columns: Callable[[Mapping[str, bool]], list[Placed] | None],
        sides: Mapping[str, bool],
        anchors: Mapping[str, tuple[float, float]],
        keep_out: Box | None,
    ) -> list[Placed] | None:
        """The ``columns`` of ``sides`` (id -> left column), or, where leaders of a column run through ``keep_out``
        (the colour bar), with those names in the other column: the layout with the fewest leaders through it, the
        fewest names moved of those. Why: the column on the bar's side keeps below (or above) it, but a name there
        leading up to a point higher than the bar's foot ran its leader through the bar's words or its title (the
        knee's names in a medial view with the knee bent); from the other column the leader comes across the leg,
        as an atlas runs one. A name moved, the names left close up under the bar and the next may cross it, so
        the names crossing are moved until none does (or the columns no longer fit)."""
        placed = columns(sides)
        through = _through(placed, anchors, keep_out)
        best, fewest = placed, len(through)
        left_out, moved = self.left_out, dict(sides)
        while through and any(moved[sid] == sides[sid] for sid in through):
            moved.update({sid: not sides[sid] for sid in through})
            layout = columns(moved)
            if layout is None:
                break
            through = _through(layout, anchors, keep_out)
            if len(through) < fewest:
                best, fewest = layout, len(through)
        self.left_out = left_out  # a moved layout that did not fit is not this layout's reason
        return best

    def _text_widths(self, anchors: Mapping[str, tuple[float, float]], font: int, dpi: int) -> dict[str, float]:
        """Each shown label's text width in pixels with text ``font`` pixels high (which its text property is set
        to, as points at the window's ``dpi``)."""
        widths = {}
        for sid in anchors:
            label = self._labels[sid]
            prop = label.text.GetTextProperty()
            prop.SetFontSize(font_points(font, dpi))
            widths[sid] = text_size(prop, label.content, dpi)[0]
        return widths


def _column_room(
    left: bool, font: int, window: tuple[int, int], floor_right: float, keep_out: Box | None
) -> tuple[float, float]:
    """The lowest and the highest middle a name of the left (or right) column may have: a line of text in from the
    picture's edges, above the legend's corner (``floor_right``, the right column) and clear of ``keep_out`` (the
    colour bar) on its side, below it in the upper half of the picture, above it in the lower."""
    width, height = window
    low: float = font if left else max(font, floor_right + font)
    high: float = height - font
    if keep_out is not None and ((keep_out[0] + keep_out[2]) / 2 < width / 2) == left:
        if (keep_out[1] + keep_out[3]) / 2 > height / 2:
            high = min(high, keep_out[1] - font)
        else:
            low = max(low, keep_out[3] + font)
    return low, high


def _through(
    placed: Sequence[Placed] | None, anchors: Mapping[str, tuple[float, float]], keep_out: Box | None
) -> set[str]:
    """The names of ``placed`` whose leaders run through ``keep_out`` (the colour bar's box)."""
    if placed is None or keep_out is None:
        return set()
    return {sid for sid, _x, _y, _left, end in placed if crosses((end, anchors[sid]), keep_out)}


def _too_tall(column: Sequence[str], font: int, taller: Mapping[str, float], room: tuple[float, float]) -> bool:
    """Whether a column's names (ids) cannot stand one above another between ``room``'s lowest and highest middle:
    :data:`ROW_GAP` lines apart, a name on two lines (``taller``: id -> pixels it is taller than one) further."""
    return (len(column) - 1) * (font * ROW_GAP) + sum(taller.get(sid, 0.0) for sid in column) > room[1] - room[0]


def _covered(placed: Sequence[Placed], widths: Mapping[str, float], font: int, leg: Coverage) -> float:
    """How much of the leg the names of a layout are written over (covered cells under their text). Asked only of
    the columns before :meth:`LeaderLabels._fit`, whose names are each on one line."""
    total = 0.0
    for sid, tx, ty, left_justified, _ in placed:
        left = tx if left_justified else tx - widths[sid]
        total += leg((left, ty - font / 2, left + widths[sid], ty + font / 2))
    return total


def _over(
    entry: Placed,
    widths: Mapping[str, float],
    font: int,
    leg: Coverage,
    spare: float,
    taller: Mapping[str, float] | None = None,
) -> bool:
    """Whether a laid-out name is written over the leg: more than ``spare`` cells of it (:data:`COLUMNS_COVER` in a
    still) under the middle half of the name's height (where its letters' ink is), the name's ends a cell in; a name
    on two lines (``taller``: id -> pixels it is taller than one line) from the middle of its top line's height to
    the middle of its bottom line's.

    Why not the name's whole box: the cells (:class:`Coverage`) are marked a cell wider than the leg is drawn, so a
    name standing right at the leg's edge, clear of it in the picture, touched a column of them over its full
    height and counted as over the leg."""
    sid, tx, ty, left_justified, _ = entry
    left = tx if left_justified else tx - widths[sid]
    half = font / 4 + (taller or {}).get(sid, 0.0) / 2
    box = (left + leg.cell, ty - half, left + widths[sid] - leg.cell, ty + half)
    return leg(box) > spare


def _spread(ys: list[float], gap: float, low: float, high: float, halves: Sequence[float] | None = None) -> list[float]:
    """Label heights as near their anchors as possible and at least ``gap`` apart (``ys`` sorted high to low), each
    pair further by ``halves`` of both (per label: half the pixels a name on two lines is taller than one line, 0
    for one line), and each label's text within ``low`` and ``high`` (its middle at least its half in from them)."""
    half = list(halves) if halves is not None else [0.0] * len(ys)
    out: list[float] = []
    for i, y in enumerate(ys):
        out.append(min(y, high - half[i]) if not out else min(y, out[-1] - gap - half[i - 1] - half[i]))
    if out and out[-1] < low + half[-1]:  # pushed off the bottom: lift the lowest, those above only as far as needed
        out[-1] = low + half[-1]
        for i in range(len(out) - 2, -1, -1):
            out[i] = max(out[i], out[i + 1] + gap + half[i] + half[i + 1])
    return out


def _two_lines(text: str, prop: vtkTextProperty, dpi: int) -> str | None:
    """``text`` broken onto two lines at the space that makes its longer line shortest as drawn with ``prop`` at
    ``dpi`` ("Gastrocnemius," over "lateral head", not "Gastrocnemius, lateral" over "head"); None for one word."""
    breaks = [i for i, char in enumerate(text) if char == " "]
    if not breaks:
        return None
    best = min(breaks, key=lambda i: max(text_size(prop, text[:i], dpi)[0], text_size(prop, text[i + 1 :], dpi)[0]))
    return f"{text[:best]}\n{text[best + 1 :]}"
