"""The playback clock: which motion plays, where in it the leg is, and when it stops, with no timer of its own.

Whoever owns time advances it: the window's ``QTimer`` (``app/animator.py``) calls :meth:`Playback.step` with the
seconds a monotonic clock says have passed, a movie (``scene/movie.py``) seeks frame k to k / fps, and a test steps
by hand. Each step writes ``state.pose`` (the one thing written); the viewer poses the model from there, so the
window, ``calfviewer movie`` and the tests animate through this same code.

Events (psygnal, so no Qt is needed): ``time_changed(t)``, ``playing_changed(playing)``, ``motion_changed(id)``
(a loaded motion's id, or ``action:<structure id>`` while a click's action plays) and ``watched_changed(motion)``.

Which motion is *watched* (:attr:`Playback.watched`) is the one rule for when a standard view holds still over a
motion (the scene frames it on the leg over the whole motion, ``AnatomyScene.hold_framing``): from when the
playback puts the leg in the motion (play, a scrub or a step, Back to the start, a click's action) until a pose is
set by other means (the pose controls, undo or redo, a bookmark, a view file) or another motion is chosen. Pausing
is no release: the picture stays as it was when the motion stopped, and a scrub after it does not move the leg.
A pose set by other means also moves the time to where the leg is (``Motion.time_of``), so the timeline shows the
leg's pose and Play goes on from it, not from where the motion last stopped. Undo, redo and a History row give
back a pose with the time the timeline had then (:meth:`Playback.time_mark`, :meth:`Playback.return_to`): a looping
motion passes most poses twice a cycle, and of the two the one nearest the time shown was often the other pass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from psygnal import Signal

from calfviewer.musculoskeletal import Pose
from calfviewer.musculoskeletal.motion import MOTIONS, Motion

if TYPE_CHECKING:
    from calfviewer.viewer.view_state import ViewState

#: The longest step one call takes: after a long stall (a dialog, a slow frame) playback continues, it does not jump.
MAX_STEP = 0.25


class Playback:
    """Plays a motion (looping, or once for a click's action) by setting ``state.pose``.

    Attributes:
        motion: the loaded motion (the animation bar's choice).
        speed: motion seconds per clock second.
        loop: start again at the end (the loaded motion only; a click's action plays once).
        t: seconds into the motion shown.
        playing: whether the owner's clock should call :meth:`step`.
    """

    time_changed = Signal(float)
    playing_changed = Signal(bool)
    motion_changed = Signal(str)
    watched_changed = Signal(object)  # the motion now watched, or None

    def __init__(self, state: ViewState) -> None:
        self.state = state
        self.motion: Motion = MOTIONS["plantarflexion"]
        self.speed = 1.0
        self._loop = True
        self.t = 0.0
        self.playing = False
        self._once: Motion | None = None  # a click's action, played over the loaded motion then dropped
        self._pose_before_playing: Pose | None = None  # what the leg was doing before playback moved it
        self._watched: Motion | None = None
        self._posing = False  # the pose being written is this playback's own (seek)
        state.events.pose.connect(self._on_pose)

    @property
    def watched(self) -> Motion | None:
        """The motion the leg is being watched through: the one whose pose this playback last put on the leg
        (playing, scrubbed, stepped, a click's action), while the leg still shows it; None once a pose is set by
        other means or another motion is chosen. Not dropped when the motion pauses or a click's action ends, so
        the picture framed on it does not jump when the leg stops."""
        return self._watched

    def _watch(self, motion: Motion | None) -> None:
        if motion is not self._watched:
            self._watched = motion
            self.watched_changed.emit(motion)

    def let_go(self) -> None:
        """No motion is watched any more: a view brought back (a bookmark, a view file) sets its pose by other means
        even when it is the pose the leg shows already, which writes no pose and so let go of nothing: the view
        stayed framed over the motion, not as the still its thumbnail shows."""
        self._watch(None)

    def _on_pose(self, *_: object) -> None:
        if not self._posing:  # a pose set by other means: the motion is no longer what the leg shows
            self._watch(None)
            self._follow_leg()

    def _follow_leg(self, near: float | None = None) -> None:
        """Put the time where the leg now is: the time whose pose is the leg's (the nearest pose the motion has, if
        it has not this one), the one nearest ``near`` (the time shown). Before, undo put the leg back to 0 degrees
        while the timeline stayed where the motion had stopped (0.65 s, 23 degrees), and Play jumped the leg there.
        Part of the same rule as :attr:`watched`, so every other means (undo and redo, the plot's line, a bookmark,
        a view file) keeps the timeline and the leg agreeing alike. Only the time is written, never the pose."""
        motion = self.current
        t = motion.time_of(self.state.pose, near=self.t if near is None else near)
        if self._cycling and motion.duration > 0:
            t %= motion.duration  # one cycle's time, as a step keeps it
        self._move_time(t)

    def _move_time(self, t: float) -> None:
        """Write the time alone, never the pose (the leg is already where ``t`` shows it), and say so if it moved."""
        if t != self.t:
            self.t = t
            self.time_changed.emit(t)

    @property
    def _cycling(self) -> bool:
        """The current motion runs in cycles: Loop is on and no click's action is playing once."""
        return self._once is None and self.loop

    def time_mark(self) -> tuple[str, float]:
        """Where the timeline stands: (the id of the motion shown, seconds into it). An undo step keeps it with the
        pose, so that giving the pose back gives back this time too (:meth:`return_to`)."""
        return self.current.id, self.t

    def return_to(self, mark: tuple[str, float]) -> None:
        """The leg was given back a pose it had when the timeline stood at ``mark`` (undo, redo, a History row): put
        the time back there. A looping motion passes most poses twice a cycle (the ankle 20 degrees plantarflexed
        on the way up and on the way back); of the two, :meth:`_follow_leg` took the one nearest the time shown,
        often the other pass, and Play then moved the leg the other way from what the user had seen. The pose at
        the mark is the leg's when the pose came from the timeline: that time exactly; else (a pose set by other
        means, the leg then shown at the motion's nearest pose) the time whose pose is the leg's nearest ``mark``.
        Another motion shown now, or one playing: the time stays where the leg's pose put it. Only the time is
        written, never the pose."""
        motion_id, t = mark
        motion = self.current
        if self.playing or motion_id != motion.id:
            return
        if motion.pose_at(t, loop=self._cycling) != self.state.pose:
            self._follow_leg(near=t)
        else:
            self._move_time(t)

    @property
    def loop(self) -> bool:
        return self._loop

    @loop.setter
    def loop(self, value: bool) -> None:
        """Looping on or off. Off, the motion finishes the cycle it is in and stops at its end: time is taken into
        one cycle (a looping motion's later cycles are the first one again), so Play and the next step go on from
        the same pose instead of finding the motion over, or starting again, at once."""
        self._loop = bool(value)
        if not self._loop and self._once is None and self.motion.duration > 0 and self.t >= self.motion.duration:
            self.t = self.t % self.motion.duration
            self.time_changed.emit(self.t)

    @property
    def current(self) -> Motion:
        """The motion being shown: a click's action while it plays, else the loaded motion."""
        return self._once or self.motion

    def set_motion(self, motion_id: str) -> None:
        """Load another motion at its start: a pose chosen, not yet watched (the leg is framed as a still until
        the motion plays or is scrubbed)."""
        self.motion = MOTIONS[motion_id]
        self._once = None
        self._seek(0.0)
        self._watch(None)
        self.motion_changed.emit(motion_id)

    def resting_pose(self) -> Pose:
        """The pose to keep when the session ends now: the pose before playback started while a motion plays
        (a frame caught mid-motion is not a pose anyone chose), else the pose shown."""
        if self.playing and self._pose_before_playing is not None:
            return self._pose_before_playing
        return self.state.pose

    def play(self) -> None:
        """Start (or go on) playing; at the end of a motion that does not loop (or of a click's action, where a pose
        set by other means can leave the timeline), start it again from the beginning, as a media player does (else
        the first step would find it finished and stop at once)."""
        if not self.playing:
            if self._pose_before_playing is None:
                self._pose_before_playing = self.state.pose
            if (self._once is not None or not self.loop) and self.t >= self.current.duration:
                self.seek(0.0)
            self.playing = True
            self._watch(self.current)
            self.playing_changed.emit(True)

    def pause(self) -> None:
        if self.playing:
            self.playing = False
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
        """Jump to ``t`` seconds into the current motion and pose the leg there (the motion is watched from now)."""
        self._seek(t)
        self._watch(self.current)

    def _seek(self, t: float) -> None:
        self.t = max(0.0, t)
        self._posing = True
        try:
            self.state.pose = self.current.pose_at(self.t, loop=self._cycling)
        finally:
            self._posing = False
        self.time_changed.emit(self.t)

    def advance(self, elapsed: float) -> None:
        """What a clock tick does: step by the ``elapsed`` seconds, at most :data:`MAX_STEP`."""
        self.step(min(elapsed, MAX_STEP))

    def step(self, seconds: float) -> None:
        """Advance by ``seconds`` of clock time, scaled by the speed; a motion played once stops at its end."""
        motion = self.current
        t = self.t + seconds * self.speed
        if self._cycling and motion.duration > 0:
            t %= motion.duration  # one cycle's time: the same pose, and Loop turned off later finishes this cycle
        finished = t >= motion.duration and not self._cycling
        self.seek(min(t, motion.duration) if finished else t)
        if finished:
            self.pause()
            if self._once is not None:
                self._once = None
                self.t = 0.0
                self.motion_changed.emit(self.motion.id)
