"""The Mechanics plot from the keyboard: the arrow keys, Page Up and Page Down, Home and End move the pose line (and
so the pose), and the Menu key or Shift+F10 opens the menu a right-click opens.

Why: Tab reaches the plot after the Information panel, but only the mouse moved its line (dragging it, clicking in
the plot) and opened its menu (the exports, removing a curve), so a keyboard user could read the curves but not pose
the leg from them or export them. The keys are a slider's, as a screen reader announces sliders: Left and Down one
:data:`STEP` back, Right and Up one forward, Page Down and Page Up :data:`PAGE_STEP`, Home and End to the joint's
range's ends.

Each press poses the leg through the panel's ``pose_at``, as a drag of the line does: the angle kept inside the
model's range for the joint (the state refuses any other), playback paused, and a run of presses less than a second
apart is one undo step, as a drag's moves are (``undo.py`` merges pose changes that follow each other quickly).

A screen reader is told where each press put the line: the plot's accessible description begins with the angle
("Pose line: ankle at 10° dorsiflexion."), worded as the plot's title words a held joint, then says the keys. It
follows the line whatever moved it (a key, a drag, playback, undo), and Qt tells assistive technology each time it
changes (a DescriptionChanged event), as a slider's value is told: before, the keys moved the line in silence.

Why a filter on the plot widget: the window's one-key shortcuts (Home: back to the start of the motion) take a key
before the focused widget unless it claims the key in the shortcut-override pass; ``control_keys.py`` does that for
Qt's own controls, and the plot (a QGraphicsView) is none of them. Without a modifier only, as a slider takes them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QKeyEvent

from calfviewer.app.plot_text import joint_at
from calfviewer.musculoskeletal.sweep import JOINTS, full_range

if TYPE_CHECKING:
    import pyqtgraph as pg  # for the type checker only: pyqtgraph waits until the plot is first shown (plot_panel.py)

    from calfviewer.musculoskeletal import MusculoskeletalModel
    from calfviewer.viewer.view_state import ViewState

#: Degrees one arrow key moves the pose line.
STEP = 1.0
#: Degrees Page Up and Page Down move it.
PAGE_STEP = 10.0
#: What the keys do, for a screen reader (the plot's accessible description) and the Keyboard shortcuts box.
KEYS_TEXT = (
    "Left and Right arrows move the pose line, and so the pose, by 1°, Page Up and Page Down by 10°, "
    "Home and End to the ends of the range; the Menu key or Shift+F10 opens the menu to export the curves."
)

_MOVES = {
    Qt.Key.Key_Left: -STEP,
    Qt.Key.Key_Down: -STEP,
    Qt.Key.Key_Right: STEP,
    Qt.Key.Key_Up: STEP,
    Qt.Key.Key_PageDown: -PAGE_STEP,
    Qt.Key.Key_PageUp: PAGE_STEP,
}
_ENDS = {Qt.Key.Key_Home, Qt.Key.Key_End}
_NO_MODIFIER = Qt.KeyboardModifier.NoModifier


def moved_angle(key: int, angle: float, low: float, high: float) -> float | None:
    """Where ``key`` puts a line at ``angle`` on a ``low`` .. ``high`` range (the ends held), or None: not a key
    that moves it."""
    if key == Qt.Key.Key_Home:
        return low
    if key == Qt.Key.Key_End:
        return high
    step = _MOVES.get(Qt.Key(key))
    return None if step is None else min(max(angle + step, low), high)


def _modifiers(event: QKeyEvent) -> Qt.KeyboardModifier:
    return event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier


def opens_menu(event: QKeyEvent) -> bool:
    """The Menu key, or Shift+F10 (the keys that open a context menu in Windows and in GNOME and KDE apps)."""
    modifiers = _modifiers(event)
    return (event.key() == Qt.Key.Key_Menu and modifiers == _NO_MODIFIER) or (
        event.key() == Qt.Key.Key_F10 and modifiers == Qt.KeyboardModifier.ShiftModifier
    )


def moves_line(event: QKeyEvent) -> bool:
    return _modifiers(event) == _NO_MODIFIER and (event.key() in _MOVES or event.key() in _ENDS)


class KeyedPlot(Protocol):
    """What the keys use of the plot panel (``plot_panel.PlotPanel``, which makes the keys): named here so this
    module need not import the panel. Read each time: the joint, the model and the pose change under the keys."""

    @property
    def plot(self) -> pg.PlotWidget: ...
    @property
    def line(self) -> pg.InfiniteLine: ...
    @property
    def joint(self) -> str: ...
    @property
    def model(self) -> MusculoskeletalModel: ...
    @property
    def state(self) -> ViewState: ...
    def pose_at(self, angle: float) -> None: ...


class PlotKeys(QObject):
    """Gives ``panel``'s plot widget the keys of the module docstring while it has the focus; ``parent`` (the panel
    itself) owns it."""

    def __init__(self, panel: KeyedPlot, parent: QObject) -> None:
        super().__init__(parent)
        self.panel = panel
        self.follow_line()
        panel.plot.installEventFilter(self)

    def follow_line(self) -> None:
        """Say the pose line's angle in the plot's description, before the keys (the panel calls this whenever the
        line moves). Qt sends DescriptionChanged only when the words change: to the tenth of a degree, as shown."""
        panel = self.panel
        where = joint_at(panel.joint, panel.state.pose)
        panel.plot.setAccessibleDescription(f"Pose line: {where}. {KEYS_TEXT}")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.panel.plot and isinstance(event, QKeyEvent):
            ours = moves_line(event) or opens_menu(event)
            if ours and event.type() == QEvent.Type.ShortcutOverride:
                event.accept()  # the key comes to the plot as a key press, not to a window shortcut (Home)
                return True
            if ours and event.type() == QEvent.Type.KeyPress:
                event.accept()  # taken: Qt makes no context menu event of a Menu key press we took
                if opens_menu(event):
                    self.open_menu()
                else:
                    self.move(event.key())
                return True
        return super().eventFilter(watched, event)

    def move(self, key: int) -> None:
        panel = self.panel
        angles = full_range(panel.joint, panel.model)
        angle = getattr(panel.state.pose, JOINTS[panel.joint])
        target = moved_angle(key, angle, float(angles[0]), float(angles[-1]))
        if target is not None:
            panel.pose_at(target)  # pauses playback, as a drag does, also where the line is at the end already

    def open_menu(self) -> None:
        """The plot's menu, as a right-click opens it, at the pose line half way up the curves."""
        plot = self.panel.plot
        box = plot.getPlotItem().getViewBox()
        (_, _), (bottom, top) = box.viewRange()
        at = box.mapViewToScene(QPointF(self.panel.line.value(), (bottom + top) / 2))
        plot.customContextMenuRequested.emit(plot.mapFromScene(at))
