"""The animation bar: which motion, play/pause, a scrub slider with the joint angles, speed and loop.

The bar mirrors two sources and never keeps its own copy: the animator for the motion, time and playing, and the
view state for the angles, so it reads the same numbers as the info panel whatever moved the leg (playback, a
scrub, an opened view file, the last view restored at start).

The window's Animation toolbar (:func:`animation_toolbar`) holds the bar and, as a second item, its speed and loop
(:attr:`AnimationBar.options`), so that in a narrow window the toolbar gives way in this order: the motion box
elides a long name (down to 16 characters), then speed and loop go behind the toolbar's » button, while the timeline
keeps at least :data:`TIMELINE_WIDTH`. As one item the bar held them all in one row: the window could not be made
narrower than about 790 pixels (off an 800 x 500 screen), and at its smallest the timeline was 108 pixels wide.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSignalBlocker, QSize, Qt
from PySide6.QtGui import QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QToolBar,
    QWidget,
)

from calfviewer.app.animator import Animator
from calfviewer.app.screen_reader import label_combo_box
from calfviewer.app.slider_groove import VisibleGroove
from calfviewer.app.toolbar_keys import reach_by_tab
from calfviewer.musculoskeletal.motion import MOTIONS
from calfviewer.musculoskeletal.pose import JOINT_GAP, Pose, angle_joints, angles_text

SCRUB_STEPS = 1000
SPEEDS = (0.25, 0.5, 1.0, 1.5, 2.0)
#: How many characters of a motion's name the closed motion box holds at the least, in a narrow window
#: ("Ankle plantarflexion…"); given room, it is as wide as the longest name.
MOTION_BOX_CHARACTERS = 16
#: The timeline's least width (pixels): wide enough to aim a click at a moment of the motion. The motion box gives
#: way before it does.
TIMELINE_WIDTH = 160


class _JumpToClick(VisibleGroove):
    """A left click on the slider's groove jumps to that point (a timeline), rather than Qt's default page step
    of 1% towards it; the groove visible on any palette (slider_groove.py)."""

    def styleHint(self, hint, option=None, widget=None, returnData=None) -> int:
        if hint == QStyle.StyleHint.SH_Slider_AbsoluteSetButtons:
            return Qt.MouseButton.LeftButton.value
        return super().styleHint(hint, option, widget, returnData)


class ElidingComboBox(QComboBox):
    """A combo box whose closed box ends a name too long for it with "…" (Qt's own cut it mid-letter, with no sign
    that more follows); the list shows each name whole."""

    def shown_text(self) -> str:
        """The text the closed box draws: the current name, elided to fit."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        return self._elided(option)

    def _elided(self, option: QStyleOptionComboBox) -> str:
        room = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, self
        )
        return self.fontMetrics().elidedText(option.currentText, Qt.TextElideMode.ElideRight, max(room.width() - 2, 0))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        option.currentText = self._elided(option)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)


class SteadyLabel(QWidget):
    """Holds a one-line or two-line :class:`QLabel` (:attr:`label`, filling it) and asks its parent's layout again
    only when the label's size hints change, not each time its text does.

    Why: Qt's ``QLabel.setText`` always invalidates the layout it sits in, and a widget's layout, once done again,
    always invalidates its parent's too: the angles' readout, set at every frame of playback, relaid out the bar, the
    Animation toolbar and the main window's docks at every frame, and the main window then repainted its dock
    separators in an event-loop turn of their own, after the frame's paint: one window composition more (~10 ms
    under software GL) in about one frame in twelve (docs/performance.md, "Playback with everything on: what Qt
    does"). Here the label's own layout request stops at this widget, which passes it on only when the label's
    size hints differ from those the layout last read, so the bar is laid out as before, and only then.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        #: The label's hints when the layout was last told of them; None: tell it at the next request (a label
        #: changed while this widget was hidden posts no request, and the layout reads its hints at the show).
        self._told: tuple[QSize, QSize] | None = None

    def sizeHint(self) -> QSize:
        return self.label.sizeHint()

    def minimumSizeHint(self) -> QSize:
        return self.label.minimumSizeHint()

    def setText(self, text: str) -> None:
        """The label's text, and the layout told now if its size changed (as soon as the label would have)."""
        self.label.setText(text)
        self._follow()

    def _follow(self) -> None:
        hints = (self.label.sizeHint(), self.label.minimumSizeHint())
        if hints != self._told:
            self._told = hints
            self.updateGeometry()

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.LayoutRequest:  # posted by the label (this widget has no layout): a font changed...
            self._follow()
            return True
        if kind == QEvent.Type.Hide:
            self._told = None
        return super().event(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.label.setGeometry(self.rect())


class AnimationBar(QWidget):
    """Controls for an :class:`Animator`; mirrors it so the slider follows playback without echoing back."""

    def __init__(self, animator: Animator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.animator = animator
        self.motion = ElidingComboBox(self)
        label_combo_box(self.motion, "Motion")  # a screen reader read the motion's name alone, as if a label
        # It asks for its longest name (AdjustToContents), so a window of the default size shows each whole; its
        # minimum is a short name's width (minimumContentsLength), so the bar still fits a 1024-pixel projector,
        # where the closed box elides a longer name with "…" and its tooltip gives it whole. It asked for the short
        # width alone, and the default window read "Ankle plantarflexion an…".
        self.motion.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.motion.setMinimumContentsLength(MOTION_BOX_CHARACTERS)
        for motion in MOTIONS.values():
            self.motion.addItem(motion.label, motion.id)
            if motion.note:
                self.motion.setItemData(self.motion.count() - 1, motion.note, Qt.ItemDataRole.ToolTipRole)
        # A push button named for what pressing it does ("Play", then "Pause"), as media players have it. It was a
        # checkable button, which Qt gives a screen reader as a check box ("Play, check box, not checked").
        self.play = QPushButton("Play", self)
        self.scrub = QSlider(Qt.Orientation.Horizontal, self)
        self.scrub.setRange(0, SCRUB_STEPS)
        # No base style given: a QProxyStyle takes ownership of the one it is given, and the application's style
        # would then be deleted twice at exit. Parented to the bar, it lives exactly as long as the slider.
        self._scrub_style = _JumpToClick()
        self._scrub_style.setParent(self)
        self.scrub.setStyle(self._scrub_style)
        self.scrub.setMinimumWidth(TIMELINE_WIDTH)
        self.scrub.setAccessibleName("Time in the motion")  # read as "slider" alone
        self._readout = SteadyLabel(self)
        self.angles = self._readout.label
        # Room for the widest the joints can make, so no number is cut off in a narrow window (a 260-pixel minimum,
        # for a line about 450 wide, lost "toe flexion"'s number at the window's smallest). The room is that of two
        # lines, into which the readout breaks (between joints) when the bar is too narrow for one: one line needs
        # about 470 pixels, which made the window 1076 wide at its smallest, too wide for a 1024 x 768 projector.
        widest = angles_text(Pose(plantarflexion=-88.8, knee_flexion=188.8, subtalar=-88.8, toes=-88.8))
        metrics = self.angles.fontMetrics()
        self._one_line_width = metrics.horizontalAdvance(widest) + 4
        self._readout.setMinimumWidth(max(metrics.horizontalAdvance(line) for line in in_two_lines(widest)) + 4)
        self._two_lines = False
        #: Speed and loop, a widget of their own: the toolbar's second item, the first to go behind its » button.
        self.options = QWidget(self)
        self.options.setObjectName("animation-options")
        self.speed = QComboBox(self.options)
        for speed in SPEEDS:
            self.speed.addItem(f"{speed:g}×", speed)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.loop = QCheckBox("Loop", self.options)
        self.loop.setChecked(True)
        speed_label = QLabel("Speed", self.options)
        speed_label.setBuddy(self.speed)  # the box is named by its label (a screen reader read "1×" alone)
        options = QHBoxLayout(self.options)
        options.setContentsMargins(0, 2, 6, 2)
        for option in (speed_label, self.speed, self.loop):
            options.addWidget(option)
        layout = self._row = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        self._others = (self.motion, self.play)
        for widget, stretch in ((self.motion, 0), (self.play, 0), (self.scrub, 1), (self._readout, 0)):
            layout.addWidget(widget, stretch)

        self.motion.currentIndexChanged.connect(self._on_motion_chosen)
        self.play.clicked.connect(lambda: animator.pause() if animator.playing else animator.play())
        self.scrub.valueChanged.connect(self._on_scrub)
        self.speed.currentIndexChanged.connect(lambda _: setattr(animator, "speed", self.speed.currentData()))
        self.loop.toggled.connect(lambda on: setattr(animator, "loop", on))
        animator.time_changed.connect(self._mirror_time)
        animator.playing_changed.connect(self._mirror_playing)
        animator.motion_changed.connect(self._mirror_motion)
        animator.state.events.pose.connect(self._mirror_angles)
        self._mirror_motion(animator.current.id)
        self._mirror_time(animator.t)
        self._mirror_angles()

    def set_speed(self, speed: float | None) -> None:
        """Choose a playback speed (as remembered in the settings); one the bar does not offer is ignored."""
        if speed in SPEEDS:
            self.speed.setCurrentIndex(SPEEDS.index(speed))

    def _on_motion_chosen(self, _index: int) -> None:
        motion_id = self.motion.currentData()
        if motion_id in MOTIONS:  # the temporary row of a click's action is shown, not chosen
            self.animator.set_motion(motion_id)

    def _on_scrub(self, value: int) -> None:
        self.animator.pause()
        self.animator.seek(self.animator.current.duration * value / SCRUB_STEPS)

    def _mirror_time(self, t: float) -> None:
        motion = self.animator.current
        fraction = (t % motion.duration) / motion.duration if motion.duration else 0.0
        if t >= motion.duration and not self.animator.loop:
            fraction = 1.0
        with QSignalBlocker(self.scrub):
            self.scrub.setValue(round(fraction * SCRUB_STEPS))

    def _mirror_angles(self, *_: object) -> None:
        text = angles_text(self.animator.state.pose)
        self._readout.setText("\n".join(in_two_lines(text)) if self._two_lines else text)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """One line of angles when the bar holds the widest one beside the other controls at their natural size,
        else two (decided on the widest line, not the one shown, so the readout does not jump as numbers change)."""
        super().resizeEvent(event)
        layout = self._row
        margins = layout.contentsMargins()
        others = sum(widget.sizeHint().width() for widget in self._others)
        scrub = max(self.scrub.sizeHint().width(), self.scrub.minimumWidth())
        spacing = layout.spacing() * (layout.count() - 1)
        needed = margins.left() + margins.right() + spacing + others + scrub + self._one_line_width
        two_lines = self.width() < needed
        if two_lines != self._two_lines:
            self._two_lines = two_lines
            self._mirror_angles()

    def _mirror_motion(self, motion_id: str) -> None:
        """Show the motion that plays: a loaded one, or a click's action as a temporary last row."""
        with QSignalBlocker(self.motion):
            if self.motion.count() > len(MOTIONS):
                self.motion.removeItem(len(MOTIONS))
            if motion_id in MOTIONS:
                self.motion.setCurrentIndex(list(MOTIONS).index(motion_id))
            else:
                self.motion.addItem(self.animator.current.label, motion_id)
                if self.animator.current.note:
                    self.motion.setItemData(len(MOTIONS), self.animator.current.note, Qt.ItemDataRole.ToolTipRole)
                self.motion.setCurrentIndex(len(MOTIONS))
            # The closed box's tooltip names the motion whole (the box may elide it) with its note, if it has one
            # (hovering a row shows that row's).
            note = self.motion.currentData(Qt.ItemDataRole.ToolTipRole)
            self.motion.setToolTip(f"{self.motion.currentText()}\n{note}" if note else self.motion.currentText())

    def _mirror_playing(self, playing: bool) -> None:
        self.play.setText("Pause" if playing else "Play")


def animation_toolbar(bar: AnimationBar, parent: QWidget) -> QToolBar:
    """The window's Animation toolbar: ``bar`` and its speed and loop as two items (see the module docstring), every
    control reached by Tab in the order it is seen, the » button (shown when speed and loop have no room) between
    the timeline and them."""
    toolbar = QToolBar("Animation", parent)
    toolbar.setObjectName("animation")
    toolbar.addWidget(bar)
    toolbar.addWidget(bar.options)
    reach_by_tab(toolbar, [bar.motion, bar.play, bar.scrub], [bar.speed, bar.loop], "More animation controls")
    return toolbar


def in_two_lines(angles: str) -> list[str]:
    """The angles line (``angles_text``) broken between its second and third joint."""
    joints = angle_joints(angles)
    half = (len(joints) + 1) // 2
    return [JOINT_GAP.join(joints[:half]), JOINT_GAP.join(joints[half:])]
