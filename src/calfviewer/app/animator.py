"""Drives the pose from a QTimer: the motion says where the leg is at time t; this only advances t.

Time comes from a monotonic clock, not from counting ticks, so a slow frame never slows the motion down; the view
state is the only thing written, and the scene follows it.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

from calfviewer.musculoskeletal import Pose
from calfviewer.musculoskeletal.motion import MOTIONS, Motion
from calfviewer.viewer.view_state import ViewState

FRAME_MS = 16


class Animator(QObject):
    """Plays a motion (looping or once) by setting ``state.pose``.

    Signals:
        time_changed(float): seconds into the motion, after every step.
        playing_changed(bool): started or stopped.
        motion_changed(str): the id of the motion now shown (:attr:`current`): a loaded one, or a click's action
            while it plays (``action:<structure id>``).
    """

    time_changed = Signal(float)
    playing_changed = Signal(bool)
    motion_changed = Signal(str)

    def __init__(self, state: ViewState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.motion: Motion = MOTIONS["plantarflexion"]
        self.speed = 1.0
        self.loop = True
        self.t = 0.0
        self._once: Motion | None = None  # a click's action, played over the loaded motion then dropped
        self._pose_before_playing: Pose | None = None  # what the leg was doing before playback moved it
        self._last_tick = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._tick)

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    @property
    def current(self) -> Motion:
        """The motion being shown: a click's action while it plays, else the loaded motion."""
        return self._once or self.motion

    def set_motion(self, motion_id: str) -> None:
        self.motion = MOTIONS[motion_id]
        self._once = None
        self.seek(0.0)
        self.motion_changed.emit(motion_id)

    def resting_pose(self) -> Pose:
        """The pose to keep when the session ends now: the pose before playback started while a motion plays
        (a frame caught mid-motion is not a pose anyone chose), else the pose shown."""
        if self.playing and self._pose_before_playing is not None:
            return self._pose_before_playing
        return self.state.pose

    def play(self) -> None:
        if not self.playing:
            if self._pose_before_playing is None:
                self._pose_before_playing = self.state.pose
            self._last_tick = time.monotonic()
            self._timer.start()
            self.playing_changed.emit(True)

    def pause(self) -> None:
        if self.playing:
            self._timer.stop()
            self._pose_before_playing = None
            self.playing_changed.emit(False)

    def toggle(self) -> None:
        self.pause() if self.playing else self.play()

    def play_once(self, motion: Motion) -> None:
        """Play ``motion`` one time from its start (a muscle's action after a click), then stop."""
        before = self.state.pose if not self.playing else self._pose_before_playing
        self._once = motion
        self._pose_before_playing = before
        self.motion_changed.emit(motion.id)
        self.seek(0.0)
        self.play()

    def seek(self, t: float) -> None:
        """Jump to ``t`` seconds into the current motion and pose the leg there."""
        self.t = max(0.0, t)
        self.state.pose = self.current.pose_at(self.t, loop=self._once is None and self.loop)
        self.time_changed.emit(self.t)

    def step(self, seconds: float) -> None:
        """Advance by ``seconds`` of motion time (what one timer tick does, scaled by the speed)."""
        motion = self.current
        t = self.t + seconds * self.speed
        finished = t >= motion.duration and (self._once is not None or not self.loop)
        self.seek(min(t, motion.duration) if finished else t)
        if finished:
            self.pause()
            if self._once is not None:
                self._once = None
                self.t = 0.0
                self.motion_changed.emit(self.motion.id)

    def _tick(self) -> None:
        now = time.monotonic()
        elapsed, self._last_tick = now - self._last_tick, now
        self.step(min(elapsed, 0.25))  # after a long stall, continue rather than jump
