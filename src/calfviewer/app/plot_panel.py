"""The mechanics plot: the selected muscles' length, normalised length or moment arms over a joint's whole range,
linked to the pose both ways.

A vertical line marks the angle the leg is at now and follows playback, the animation bar and anything else that
poses the leg; dragging the line (or clicking in the plot) poses the leg. Each muscle selected in the tree or the 3D
view adds its curve, in its own colour and line pattern (:mod:`calfviewer.scene.muscle_colours`: no two curves
differ in colour alone), named in the legend. The numbers are a :mod:`calfviewer.musculoskeletal.sweep` of the model
with the other joint held where the leg is, so they are the numbers ``calfviewer measure`` prints at each angle.

pyqtgraph is imported here only, and this module only when the plot is first shown (``app/plot_dock.py``): it
costs about half a second of start-up the window need not pay until then.
"""

from __future__ import annotations

import io
import math
import os
from dataclasses import dataclass, replace
from pathlib import Path

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")  # before pyqtgraph picks a Qt binding of its own

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters
from PySide6.QtCore import QBuffer, QIODevice, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFontMetricsF
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from calfviewer.anatomy import Catalogue
from calfviewer.app.animator import Animator
from calfviewer.app.file_dialogs import save_file_name
from calfviewer.app.plain_text import plain
from calfviewer.app.plot_keys import PlotKeys
from calfviewer.app.plot_legend import LEGEND_POINTS, LayoutLegend, muscle_pen, widened_pens
from calfviewer.app.plot_svg import plot_svg
from calfviewer.app.plot_text import WORDINGS, fitting_title, held_text, legend_name, show_wrapped
from calfviewer.app.screen_reader import label_combo_box
from calfviewer.app.view_frame import RingBehind
from calfviewer.errors import CalfviewerError
from calfviewer.files import write_file
from calfviewer.musculoskeletal import MusculoskeletalModel, Pose
from calfviewer.musculoskeletal.sweep import (
    JOINTS,
    PLOT_CSV_FIELDS,
    Sweep,
    csv_rows,
    full_range,
    sweep_joint,
    write_csv,
)
from calfviewer.scene.muscle_colours import muscle_styles


@dataclass(frozen=True)
class Quantity:
    """What the y axis shows: ``scale`` turns the sweep's metres into its unit; its names are ``WORDINGS[key]``
    (plot_text.py), the one place the plot's words are kept."""

    key: str
    scale: float
    reference: float | None  # a dashed horizontal line (neutral, zero), or None


QUANTITIES = {
    q.key: q
    for q in (
        Quantity("length", 100.0, None),
        Quantity("normalised_length", 1.0, 1.0),
        Quantity("moment_arm_ankle", 1000.0, 0.0),
        Quantity("moment_arm_knee", 1000.0, 0.0),
    )
}
AXES = {"ankle": "Plantarflexion (°, dorsiflexion negative)", "knee": "Knee flexion (°)"}
EXPORT_FILTER = "CSV (*.csv)"
IMAGE_FILTER = "PNG picture (*.png);;SVG drawing (*.svg)"
EMPTY_TITLE = "Select a muscle in the tree or the 3D view to plot it"
#: A PNG is drawn at this many times the plot's size on screen, so it stays sharp on a slide.
PNG_SCALE = 2
#: Pixels kept clear between the legend and the plot's right edge.
LEGEND_MARGIN = 4
#: The row of the plot's layout the legend takes: under the bottom axis and its label (pyqtgraph's PlotItem puts
#: the title in row 0, the top axis in 1, the plot in 2 and the bottom axis in 3).
LEGEND_ROW = 4
#: The plot's smallest height (pixels): its axes and a curve stay readable with this many rows of names.
PLOT_MIN_HEIGHT, LEGEND_ROWS_IN_MIN = 180, 1


class PlotPanel(QWidget):
    """The plot and its controls: quantity, x axis (ankle or knee) and a button that clears the curves.

    Signals:
        message(str): a line for the window's status bar: what an export wrote, and where.
    """

    message = Signal(str)

    def __init__(
        self, animator: Animator, model: MusculoskeletalModel, catalogue: Catalogue, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.animator = animator
        self.state = animator.state
        self.model = model
        self.catalogue = catalogue
        self.names = {muscle_id: catalogue.get(muscle_id).name for muscle_id in model.muscle_ids}
        self.shown_names = dict(self.names)  # the legend's: English or Latin (PlotDock.set_names); a CSV keeps English
        self.styles = muscle_styles(model.muscle_ids)
        self.muscles: list[str] = []  # plotted, in the order they were selected
        self._sweep: Sweep | None = None
        self._sweep_key: tuple[str, Pose] | None = None
        self._mirroring = False
        #: The plot's title as one line of plain text (on screen its held joints take two lines).
        self.title = EMPTY_TITLE
        self._title_lines = [EMPTY_TITLE]  # the title on screen, before it is broken to the plot's width

        self.quantity = QComboBox(self)
        for quantity in QUANTITIES.values():
            self.quantity.addItem(WORDINGS[quantity.key].names[0], quantity.key)
        label_combo_box(self.quantity, "Quantity plotted")
        self.axis = QComboBox(self)
        against = label_combo_box(self.axis, "Joint angle on the x axis", QLabel("against", self))
        for joint in AXES:
            self.axis.addItem(f"{joint.title()} angle", joint)
        self.clear_button = QPushButton("Clear", self)
        self.clear_button.setToolTip("Remove every curve but the selected muscle's")
        # The quantity on a row of its own, "against" the axis and Clear under it: in one row they made the panel
        # 506 pixels wide at its smallest, and opening it widened the window past a 1024 x 768 projector's edge.
        controls = QGridLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addWidget(self.quantity, 0, 0, 1, 4)
        controls.addWidget(against, 1, 0)
        controls.addWidget(self.axis, 1, 1)
        controls.setColumnStretch(2, 1)
        controls.addWidget(self.clear_button, 1, 3)
        self.plot = pg.PlotWidget(self, background="w")
        self.plot.setAccessibleName("Mechanics plot")
        # 220 made the right column, with the information panel, this plot and the quiz open, too tall for a
        # 1280 x 720 screen (the window 690 high at its smallest).
        self.plot.setMinimumHeight(PLOT_MIN_HEIGHT)
        item = self.plot.getPlotItem()
        item.setMenuEnabled(False)  # our own menu (exports, removing curves) instead of pyqtgraph's
        item.setMouseEnabled(x=False, y=False)  # the axes follow the data; a left drag moves the pose line
        item.hideButtons()
        item.showGrid(x=True, y=True, alpha=0.25)
        for side in ("left", "bottom"):
            axis = item.getAxis(side)
            axis.setPen(pg.mkPen("#444444"))
            axis.setTextPen(pg.mkPen("#222222"))
        # The y axis' name is ours alone, fitted to its length (_fit_y_title): pyqtgraph's automatic scale added
        # "(x1e-15)" to it where the curves are flat (a moment arm at a joint the muscle does not cross).
        item.getAxis("left").enableAutoSIPrefix(False)
        # The legend under the plot, not over it: in the plot's upper right corner it covered the curves' peaks
        # there (the triceps surae's lengths at full dorsiflexion, the moment arms at full knee flexion).
        self.legend = LayoutLegend(
            brush=pg.mkBrush(255, 255, 255, 190), labelTextColor="#222222", labelTextSize=f"{LEGEND_POINTS:g}pt"
        )
        item.legend = self.legend  # the plot names each curve in it, as addLegend would
        item.layout.addItem(self.legend, LEGEND_ROW, 1)
        item.layout.setAlignment(self.legend, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # The left axis widens with its tick labels ("-0.05") after the curves are drawn: the legend's room is
        # measured again then, or it ran a few pixels past the plot's right edge.
        item.getAxis("left").geometryChanged.connect(lambda: QTimer.singleShot(0, self._refit_legend))
        self.reference = pg.InfiniteLine(angle=0, movable=False, pen=pg.mkPen("#888888", style=Qt.PenStyle.DashLine))
        item.addItem(self.reference, ignoreBounds=True)
        pen, hover = pg.mkPen("#0B6E99", width=2), pg.mkPen("#0B6E99", width=4)
        self.line = _PoseLine(angle=90, movable=True, pen=pen, hoverPen=hover)
        self.line.setZValue(10)
        item.addItem(self.line, ignoreBounds=True)
        self._curves: dict[str, pg.PlotDataItem] = {}
        self.plot.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.plot.customContextMenuRequested.connect(self._context_menu)
        self.keys = PlotKeys(self, parent=self)  # the line and the menu from the keyboard (plot_keys.py)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(controls)
        layout.addWidget(self.plot, 1)
        self.focus_ring = RingBehind(self.plot)  # round the plot, in the layout's margin, while Tab put the focus on it

        self.quantity.currentIndexChanged.connect(lambda _: self.refresh())
        self.axis.currentIndexChanged.connect(lambda _: self._on_axis_changed())
        self.clear_button.clicked.connect(self.clear)
        self.line.sigPositionChanged.connect(self._on_line_moved)
        self.plot.scene().sigMouseClicked.connect(self._on_plot_clicked)
        self.state.events.pose.connect(self._on_pose)
        self.state.events.selection.connect(self._on_selection)
        self._on_selection(self.state.selection)
        self._on_axis_changed()

    # --- what is plotted --------------------------------------------------------------------------------------
    @property
    def joint(self) -> str:
        """The joint on the x axis: ``"ankle"`` or ``"knee"``."""
        return self.axis.currentData()

    @property
    def quantity_key(self) -> str:
        return self.quantity.currentData()

    def set_axis(self, joint: str) -> None:
        self.axis.setCurrentIndex(list(AXES).index(joint))

    def set_quantity(self, key: str) -> None:
        self.quantity.setCurrentIndex(list(QUANTITIES).index(key))

    def add_muscle(self, muscle_id: str) -> None:
        if muscle_id in self.names and muscle_id not in self.muscles:
            self.muscles.append(muscle_id)
            self.refresh()

    def remove_muscle(self, muscle_id: str) -> None:
        if muscle_id in self.muscles:
            self.muscles.remove(muscle_id)
            self.refresh()

    def clear(self) -> None:
        """Every curve removed but the selected muscle's (if a muscle is selected)."""
        self.muscles = [m for m in self.muscles if m == self.state.selection]
        self.refresh()

    def curves(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Muscle id -> (x, y) as drawn: degrees against the quantity in the axis' unit."""
        out = {}
        for muscle_id, curve in self._curves.items():
            x, y = curve.getData()
            out[muscle_id] = (np.asarray(x), np.asarray(y))
        return out

    def sweep(self) -> Sweep:
        """The mechanics behind the curves: the x axis' joint over its range, the other joint where the leg is."""
        pose = self.state.pose
        held = replace(pose, **{JOINTS[self.joint]: 0.0})
        key = (self.joint, held)
        if self._sweep is None or self._sweep_key != key:
            self._sweep = sweep_joint(self.joint, full_range(self.joint, self.model), held, self.model)
            self._sweep_key = key
        return self._sweep

    def set_model(self, model: MusculoskeletalModel) -> None:
        """Plot ``model``'s mechanics from now on (the window switched legs): the curves are swept again."""
        self.model = model
        self._sweep = None
        self.refresh()

    # --- drawing ------------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Draw the curves for the pose shown (only while the panel can be seen; showing it draws again)."""
        if not self.isVisible():
            return
        item = self.plot.getPlotItem()
        quantity = QUANTITIES[self.quantity_key]
        sweep = self.sweep()
        x = sweep.angles(self.joint)
        values = sweep.normalised_length if quantity.key == "normalised_length" else getattr(sweep, quantity.key)
        for muscle_id in list(self._curves):
            if muscle_id not in self.muscles:
                item.removeItem(self._curves.pop(muscle_id))
        for muscle_id in self.muscles:
            y = values[:, sweep.column(muscle_id)] * quantity.scale
            name = legend_name(self.shown_names[muscle_id], quantity.key, self.model.crosses(muscle_id))
            curve = self._curves.get(muscle_id)
            if curve is None:
                curve = item.plot(x, y, name=name)
                self._curves[muscle_id] = curve
            else:
                curve.setData(x, y)
                self._rename(curve, name)
            width = 3.5 if muscle_id == self.state.selection else 2.0
            curve.setPen(muscle_pen(self.styles[muscle_id], width))
        self.reference.setVisible(quantity.reference is not None and bool(self.muscles))
        if quantity.reference is not None:
            self.reference.setValue(quantity.reference)
        first, *rest = held_text(self.joint, self.state.pose)
        lines = [first.capitalize(), *rest]
        self.title = "; ".join(lines) if self.muscles else EMPTY_TITLE
        self._title_lines = lines if self.muscles else [EMPTY_TITLE]
        self._show_wrapped()
        low, high = float(x[0]), float(x[-1])
        item.setXRange(low, high, padding=0.02)
        item.enableAutoRange(axis="y")
        self._fit_legend()
        self._mirror_line()

    def _fit_legend(self) -> None:
        """The legend fitted under the plot (:meth:`LayoutLegend.fit`), and the plot kept tall enough for the
        curves' least height above it."""
        # The room is the widget's, right of the left axis, not the view box's width: a legend wider than the box
        # widens its column past the widget's edge, and measured so, two columns of names that grew (Latin names
        # chosen with the plot open) kept "room" and ran off the plot ("Musculus poplit").
        box = self.plot.getPlotItem().getViewBox().sceneBoundingRect()
        room = self.plot.width() - box.left() - LEGEND_MARGIN
        rows, row_height = self.legend.fit(room, box.height() + self.legend.geometry().height(), self.font())
        # The curves keep their room: a legend of more rows than the dock's height leaves them asks for a taller
        # plot (the information panel above gives way; it scrolls).
        least = PLOT_MIN_HEIGHT + round(max(0, rows - LEGEND_ROWS_IN_MIN) * row_height)
        # The plot item is sized to the widget only when the widget is resized: widened by a legend wider than the
        # widget, it stayed so after the legend narrowed, the view box's right end (the last 8°) off the widget.
        self.plot.getPlotItem().setGeometry(self.plot.range)
        self._fit_y_title(least)

    def _refit_legend(self) -> None:
        if self.isVisible():
            self._fit_legend()

    def _fit_y_title(self, least: int) -> None:
        """The y axis named in the longest of its quantity's wordings (plot_text.py) that the axis' length holds,
        by the font's measured widths, the longest in the axis' tooltip when a shorter is shown; and the plot kept
        at least ``least`` pixels high, and taller where the axis would be too short for the shortest wording.

        Why: cut with an ellipsis to the axis' length, the name read "Muscle-t…" with the window at its smallest
        (a 62-pixel axis), and the moment arms' names were cut at 1400 x 900."""
        item = self.plot.getPlotItem()
        item.layout.activate()  # the axis' length as it will be laid out now, not before the legend changed
        axis = item.getAxis("left")
        width = QFontMetricsF(axis.label.font()).horizontalAdvance
        titles = WORDINGS[self.quantity_key].titles
        length = axis.geometry().height()
        # The rows above and below the curves keep their heights, so the axis gains or loses what the plot does.
        at_least = length - (self.plot.height() - least)
        short = math.ceil(min(map(width, titles)) - at_least) if length > 0 else 0  # 0: not laid out yet
        self.plot.setMinimumHeight(least + max(0, short))
        shown = fitting_title(titles, width, length)
        if axis.labelText != shown:
            item.setLabel("left", shown, color="#222222")
        axis.setToolTip(titles[0] if shown != titles[0] else "")

    def _show_wrapped(self) -> None:
        """The title and the x axis' name, broken into lines as narrow as the plot (plot_text.py)."""
        show_wrapped(self.plot, self._title_lines, AXES[self.joint], self.font())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.isVisible():
            self._show_wrapped()
            self._fit_legend()

    def _rename(self, curve: pg.PlotDataItem, name: str) -> None:
        """Name ``curve`` ``name`` in the legend, keeping its place there."""
        if curve.name() == name:
            return
        curve.opts["name"] = name
        for sample, label in self.legend.items:
            if sample.item is curve:
                label.setText(name)

    def _mirror_line(self) -> None:
        angle = getattr(self.state.pose, JOINTS[self.joint])
        self._mirroring = True
        try:
            self.line.setValue(angle)
        finally:
            self._mirroring = False
        self.keys.follow_line()  # a screen reader told where the line is now

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()

    # --- the pose, both ways ----------------------------------------------------------------------------------
    def _on_pose(self, *_: object) -> None:
        if self._sweep_key is not None and self._sweep_key[1] != replace(self.state.pose, **{JOINTS[self.joint]: 0.0}):
            self.refresh()  # the held joint moved: new curves
        else:
            self._mirror_line()

    def _on_selection(self, selection: str | None, *_: object) -> None:
        if selection in self.names and selection not in self.muscles:
            self.muscles.append(selection)
        self.refresh()

    def _on_axis_changed(self) -> None:
        joint_range = full_range(self.joint, self.model)
        self.line.setBounds((float(joint_range[0]), float(joint_range[-1])))
        self.refresh()

    def pose_at(self, angle: float) -> None:
        """Put the x axis' joint at ``angle`` degrees (to a tenth, within the range), as a drag of the line does."""
        joint_range = full_range(self.joint, self.model)
        angle = round(min(max(float(angle), float(joint_range[0])), float(joint_range[-1])), 1)
        self.animator.pause()
        self.state.pose = replace(self.state.pose, **{JOINTS[self.joint]: angle})

    def _on_line_moved(self, line: pg.InfiniteLine) -> None:
        if not self._mirroring:
            self.pose_at(line.value())

    def _on_plot_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or event.isAccepted():
            return
        view = self.plot.getPlotItem().getViewBox()
        if view.sceneBoundingRect().contains(event.scenePos()):
            self.pose_at(view.mapSceneToView(event.scenePos()).x())

    # --- exports ------------------------------------------------------------------------------------------------
    def _context_menu(self, point: QPoint) -> None:
        menu = QMenu(self)
        csv_action = menu.addAction("Export curves as CSV…", self.export_csv_dialog)
        csv_action.setEnabled(bool(self.muscles))
        menu.addAction("Export plot as PNG or SVG…", self.export_image_dialog)
        if self.muscles:
            menu.addSeparator()
            for muscle_id in self.muscles:
                action = QAction(f"Remove {self.shown_names[muscle_id]}", menu)
                action.triggered.connect(lambda _=False, m=muscle_id: self.remove_muscle(m))
                menu.addAction(action)
        menu.popup(self.plot.mapToGlobal(point))
        self.context_menu = menu  # kept for tests and so it is not collected while open

    def export_csv(self, path: str | os.PathLike[str]) -> None:
        """Write the plotted curves, one row per angle and muscle with ``measure --csv``'s columns and the
        normalised length, atomically; a failure is one :class:`CalfviewerError` line naming the file."""
        if not self.muscles:
            raise CalfviewerError("nothing is plotted: select a muscle first")
        text = io.StringIO()
        write_csv(csv_rows(self.sweep(), self.names, self.muscles, normalised=True), text, PLOT_CSV_FIELDS)
        write_file(Path(path), text.getvalue().encode("utf-8"))

    def export_image(self, path: str | os.PathLike[str]) -> None:
        """The plot as a PNG (at :data:`PNG_SCALE` times its size on screen) or an SVG, by the name's suffix."""
        path = Path(path)
        suffix = path.suffix.lower()
        item = self.plot.getPlotItem()
        if suffix == ".svg":
            data = plot_svg(item, self.title)
        elif suffix == ".png":
            exporter = pg.exporters.ImageExporter(item)
            exporter.parameters()["width"] = int(item.sceneBoundingRect().width() * PNG_SCALE)
            with widened_pens(item.listDataItems(), PNG_SCALE):  # the curves as thick as on screen, to scale
                image = exporter.export(toBytes=True)
            buffer = QBuffer()
            buffer.open(QIODevice.OpenModeFlag.WriteOnly)
            image.save(buffer, "PNG")
            data = bytes(buffer.data().data())
        else:
            raise CalfviewerError(f"cannot export the plot as {path.name!r}: give a name ending in .png or .svg")
        write_file(path, data if isinstance(data, bytes) else bytes(data))

    def export_csv_dialog(self) -> None:
        path = save_file_name(self, "Export curves", "mechanics.csv", EXPORT_FILTER)
        if path:
            self._guard(lambda: self.export_csv(path), f"Saved the curves to {path}")

    def export_image_dialog(self) -> None:
        path = save_file_name(self, "Export plot", "mechanics.png", IMAGE_FILTER)
        if path:
            self._guard(lambda: self.export_image(path), f"Saved the plot to {path}")

    def _guard(self, work, done: str) -> None:
        """Do ``work``, then say ``done`` (as the File menu's commands say what they wrote); or the one-line error."""
        try:
            work()
        except CalfviewerError as error:
            QMessageBox.warning(self, "calfviewer", plain(str(error)))
            return
        self.message.emit(done)

    def close_panel(self) -> None:
        """Stop following the state (the window calls this as it closes)."""
        self.state.events.pose.disconnect(self._on_pose)
        self.state.events.selection.disconnect(self._on_selection)


class _PoseLine(pg.InfiniteLine):
    """The pose line, which moves at every frame of playback: moving it repaints the strips it leaves and enters.

    It is added with ``ignoreBounds``, so the axes' range never depends on it; but pyqtgraph's items tell their view
    at every move that their bounds changed, and the view then queued an auto-range and repainted itself whole (the
    grid drawn by both axes, every curve, the legend), ~3 ms of CPU a playback frame in the window with everything
    on (docs/performance.md). Telling the view nothing leaves the range and the picture as they were.
    """

    def informViewBoundsChanged(self) -> None:
        return  # added with ignoreBounds: the view's auto-range never reads this line
