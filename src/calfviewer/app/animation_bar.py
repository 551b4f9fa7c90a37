"""The animation bar: which motion, play/pause, a scrub slider with the joint angles, speed and loop."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QPushButton, QSlider, QWidget

from calfviewer.app.animator import Animator
from calfviewer.musculoskeletal.motion import MOTIONS

SCRUB_STEPS = 1000
SPEEDS = (0.25, 0.5, 1.0, 1.5, 2.0)


class AnimationBar(QWidget):
    """Controls for an :class:`Animator`; mirrors it so the slider follows playback without echoing back."""

    def __init__(self, animator: Animator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.animator = animator
        self.motion = QComboBox(self)
        for motion in MOTIONS.values():
            self.motion.addItem(motion.label, motion.id)
        self.play = QPushButton("Play", self)
        self.play.setCheckable(True)
        self.scrub = QSlider(Qt.Orientation.Horizontal, self)
        self.scrub.setRange(0, SCRUB_STEPS)
        self.angles = QLabel(self)
        self.angles.setMinimumWidth(260)
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

        self.motion.currentIndexChanged.connect(lambda _: animator.set_motion(self.motion.currentData()))
        self.play.toggled.connect(lambda on: animator.play() if on else animator.pause())
        self.scrub.valueChanged.connect(self._on_scrub)
        self.speed.currentIndexChanged.connect(lambda _: setattr(animator, "speed", self.speed.currentData()))
        self.loop.toggled.connect(lambda on: setattr(animator, "loop", on))
        animator.time_changed.connect(self._mirror_time)
        animator.playing_changed.connect(self._mirror_playing)
        self._mirror_time(animator.t)

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
        pose = self.animator.state.pose
        self.angles.setText(f"plantarflexion {pose.plantarflexion:5.1f}°  knee flexion {pose.knee_flexion:5.1f}°")

    def _mirror_playing(self, playing: bool) -> None:
        with QSignalBlocker(self.play):
            self.play.setChecked(playing)
        self.play.setText("Pause" if playing else "Play")
