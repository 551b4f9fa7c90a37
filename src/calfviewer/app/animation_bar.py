"""The animation bar: which motion, play/pause, a scrub slider with the joint angles, speed and loop.

The bar mirrors two sources and never keeps its own copy: the animator for the motion, time and playing, and the
view state for the angles, so it reads the same numbers as the info panel whatever moved the leg (playback, a
scrub, an opened view file, the last view restored at start).
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProxyStyle,
    QPushButton,
    QSlider,
    QStyle,
    QWidget,
)

from calfviewer.app.animator import Animator
from calfviewer.musculoskeletal.motion import MOTIONS
from calfviewer.musculoskeletal.pose import Pose, angles_text

SCRUB_STEPS = 1000
SPEEDS = (0.25, 0.5, 1.0, 1.5, 2.0)


class _JumpToClick(QProxyStyle):
    """A left click on the slider's groove jumps to that point (a timeline), rather than Qt's default page step
    of 1% towards it."""

    def styleHint(self, hint, option=None, widget=None, returnData=None) -> int:
        if hint == QStyle.StyleHint.SH_Slider_AbsoluteSetButtons:
            return Qt.MouseButton.LeftButton.value
        return super().styleHint(hint, option, widget, returnData)


class AnimationBar(QWidget):
    """Controls for an :class:`Animator`; mirrors it so the slider follows playback without echoing back."""

    def __init__(self, animator: Animator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.animator = animator
        self.motion = QComboBox(self)
        # As wide as a short motion's name, not the longest: the bar must fit the window's smallest width (the
        # closed box elides a longer name; the list shows each whole).
        self.motion.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.motion.setMinimumContentsLength(22)
        for motion in MOTIONS.values():
            self.motion.addItem(motion.label, motion.id)
            if motion.note:
                self.motion.setItemData(self.motion.count() - 1, motion.note, Qt.ItemDataRole.ToolTipRole)
        self.play = QPushButton("Play", self)
        self.play.setCheckable(True)
        self.scrub = QSlider(Qt.Orientation.Horizontal, self)
        self.scrub.setRange(0, SCRUB_STEPS)
        # No base style given: a QProxyStyle takes ownership of the one it is given, and the application's style
        # would then be deleted twice at exit. Parented to the bar, it lives exactly as long as the slider.
        self._scrub_style = _JumpToClick()
        self._scrub_style.setParent(self)
        self.scrub.setStyle(self._scrub_style)
        self.scrub.setMinimumWidth(80)
        self.angles = QLabel(self)
        # Room for the widest line the joints can make, so no number is cut off in a narrow window (a 260-pixel
        # minimum, for a line about 450 wide, lost "toe flexion"'s number at the window's smallest).
        widest = angles_text(Pose(plantarflexion=-88.8, knee_flexion=188.8, subtalar=-88.8, toes=-88.8))
        self.angles.setMinimumWidth(self.angles.fontMetrics().horizontalAdvance(widest) + 4)
        self.speed = QComboBox(self)
        for speed in SPEEDS:
            self.speed.addItem(f"{speed:g}×", speed)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.loop = QCheckBox("Loop", self)
        self.loop.setChecked(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        for widget, stretch in (
            (self.motion, 0),
            (self.play, 0),
            (self.scrub, 1),
            (self.angles, 0),
            (QLabel("Speed", self), 0),
            (self.speed, 0),
            (self.loop, 0),
        ):
            layout.addWidget(widget, stretch)

        self.motion.currentIndexChanged.connect(self._on_motion_chosen)
        self.play.toggled.connect(lambda on: animator.play() if on else animator.pause())
        self.scrub.valueChanged.connect(self._on_scrub)
        self.speed.currentIndexChanged.connect(lambda _: setattr(animator, "speed", self.speed.currentData()))
        self.loop.toggled.connect(lambda on: setattr(animator, "loop", on))
        animator.time_changed.connect(self._mirror_time)
        animator.playing_changed.connect(self._mirror_playing)
        animator.motion_changed.connect(self._mirror_motion)
        animator.state.events.pose.connect(self._mirror_angles)
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
        self.angles.setText(angles_text(self.animator.state.pose))

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
            # The closed box shows the note of the motion it names (hovering a row shows that row's).
            self.motion.setToolTip(self.motion.currentData(Qt.ItemDataRole.ToolTipRole) or "")

    def _mirror_playing(self, playing: bool) -> None:
        with QSignalBlocker(self.play):
            self.play.setChecked(playing)
        self.play.setText("Pause" if playing else "Play")
