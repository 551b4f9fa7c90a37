"""The window's clock for playback: a QTimer that advances the Qt-free :class:`~calfviewer.viewer.playback.Playback`.

Everything about a motion (which one, where, looping, a click's action played once, the pose to keep) lives in the
playback clock, which ``calfviewer movie`` and the tests drive too; this only owns the timer and passes the
playback's events on as Qt signals for the widgets. Time comes from a monotonic clock, not from counting ticks, so a
slow frame never slows the motion down.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

from calfviewer.musculoskeletal import Pose
from calfviewer.musculoskeletal.motion import Motion
from calfviewer.viewer.playback import Playback
from calfviewer.viewer.view_state import ViewState

FRAME_MS = 16


class Animator(QObject):
    """Plays a motion (looping or once) by stepping a :class:`Playback` from a QTimer.

    Signals (the playback's, as Qt signals):
        time_changed(float): seconds into the motion, after every step.
        playing_changed(bool): started or stopped.
        motion_changed(str): the id of the motion now shown (:attr:`current`): a loaded one, or a click's action
            while it plays (``action:<structure id>``).
    """

    time_changed = Signal(float)
    playing_changed = Signal(bool)
    motion_changed = Signal(str)

    def __init__(self, state: ViewState, parent: QObject | None = None, playback: Playback | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.playback = playback if playback is not None else Playback(state)  # the viewer's, in the window
        self._last_tick = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._tick)
        self.playback.time_changed.connect(self.time_changed.emit)
        self.playback.playing_changed.connect(self._on_playing_changed)
        self.playback.motion_changed.connect(self.motion_changed.emit)

    # --- the playback's settings, read and written through ------------------------------------------------------
    @property
    def motion(self) -> Motion:
        return self.playback.motion

    @property
    def speed(self) -> float:
        return self.playback.speed

    @speed.setter
    def speed(self, value: float) -> None:
        self.playback.speed = value

    @property
    def loop(self) -> bool:
        return self.playback.loop

    @loop.setter
    def loop(self, value: bool) -> None:
        self.playback.loop = value

    @property
    def t(self) -> float:
        return self.playback.t

    @property
    def playing(self) -> bool:
        return self.playback.playing

    @property
    def current(self) -> Motion:
        """The motion being shown: a click's action while it plays, else the loaded motion."""
        return self.playback.current

    # --- commands -------------------------------------------------------------------------------------------------
    def set_motion(self, motion_id: str) -> None:
        self.playback.set_motion(motion_id)

    def resting_pose(self) -> Pose:
        """The pose to keep when the session ends now (see :meth:`Playback.resting_pose`)."""
        return self.playback.resting_pose()

    def play(self) -> None:
        self.playback.play()

    def pause(self) -> None:
        self.playback.pause()

    def toggle(self) -> None:
        self.playback.toggle()

    def play_once(self, motion: Motion) -> None:
        """Play ``motion`` one time from its start (a muscle's action after a click), then stop."""
        self.playback.play_once(motion)

    def seek(self, t: float) -> None:
        """Jump to ``t`` seconds into the current motion and pose the leg there."""
        self.playback.seek(t)

    def step(self, seconds: float) -> None:
        """Advance by ``seconds`` of motion time (what one timer tick does, scaled by the speed)."""
        self.playback.step(seconds)

    def _on_playing_changed(self, playing: bool) -> None:
        if playing:
            self._last_tick = time.monotonic()
            self._timer.start()
        else:
            self._timer.stop()
        self.playing_changed.emit(playing)

    def _tick(self) -> None:
        now = time.monotonic()
        elapsed, self._last_tick = now - self._last_tick, now
        self.playback.advance(elapsed)
