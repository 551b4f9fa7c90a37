"""Playback: the Qt-free clock that the window's timer, the movie and the tests all step."""

from __future__ import annotations

import pytest

from calfviewer.musculoskeletal import Pose
from calfviewer.musculoskeletal.motion import MOTIONS, action_motion
from calfviewer.viewer.playback import MAX_STEP, Playback
from calfviewer.viewer.view_state import ViewState


@pytest.fixture
def playback(catalogue) -> Playback:
    return Playback(ViewState(catalogue=catalogue))


def test_seeking_poses_the_state(playback):
    motion = MOTIONS["plantarflexion"]
    playback.seek(0.0)
    assert playback.state.pose == motion.keys[0]
    playback.seek(motion.leg_seconds)  # one leg of the journey: the second key pose, reached
    assert playback.state.pose.plantarflexion == pytest.approx(motion.keys[1].plantarflexion)


def test_speed_scales_time_and_a_tick_is_capped(playback):
    playback.speed = 2.0
    playback.step(0.1)
    assert playback.t == pytest.approx(0.2)
    playback.advance(10.0)  # a long stall: continue, do not jump
    assert playback.t == pytest.approx(0.2 + 2.0 * MAX_STEP)


def test_a_clicked_action_plays_once_and_stops_where_it_started(playback, catalogue):
    events: list[tuple[str, object]] = []
    playback.playing_changed.connect(lambda on: events.append(("playing", on)))
    playback.motion_changed.connect(lambda motion_id: events.append(("motion", motion_id)))
    playback.state.pose = Pose(knee_flexion=20)
    motion = action_motion(catalogue.get("soleus"))
    assert motion is not None
    playback.play_once(motion)
    assert playback.playing and playback.current is motion
    assert playback.resting_pose() == Pose(knee_flexion=20)  # a frame mid-motion is not a pose anyone chose
    playback.step(motion.duration + 1.0)
    assert not playback.playing and playback.t == 0.0
    assert playback.current is MOTIONS["plantarflexion"]  # back to the loaded motion
    assert playback.state.pose == motion.keys[-1]
    assert events == [
        ("motion", motion.id),
        ("playing", True),
        ("playing", False),
        ("motion", "plantarflexion"),
    ]


def test_a_looping_motion_goes_round(playback):
    motion = MOTIONS["knee_flexion"]
    playback.set_motion("knee_flexion")
    playback.play()
    before = motion.pose_at(motion.duration * 0.5)
    playback.step(motion.duration * 1.5)
    assert playback.playing
    assert playback.t == pytest.approx(motion.duration * 0.5)  # one cycle's time: round once, half way again
    assert playback.state.pose == before
    playback.pause()
    assert not playback.playing


def test_play_at_the_end_of_a_motion_that_does_not_loop_starts_it_again(playback):
    """As a media player does; before, the first step found the motion finished and stopped at once."""
    motion = playback.motion
    playback.loop = False
    playback.play()
    playback.step(motion.duration + 1.0)
    assert not playback.playing and playback.t == pytest.approx(motion.duration)
    end_pose = playback.state.pose
    playback.play()
    assert playback.playing and playback.t == 0.0 and playback.state.pose == motion.keys[0]
    assert playback.resting_pose() == end_pose  # the pose the leg had when play was pressed
    playback.step(0.5)
    assert playback.playing and playback.t == pytest.approx(0.5)


def test_loop_off_in_a_later_cycle_finishes_that_cycle_from_the_same_pose(playback):
    """Before: time kept growing over the cycles, so turning Loop off at 1.8 cycles stopped at once at the end, and
    Play there started again from 0: the leg jumped either way."""
    motion = playback.motion
    playback.play()
    playback.step(MAX_STEP)
    for _ in range(round(1.8 * motion.duration / MAX_STEP)):
        playback.step(MAX_STEP)
    pose = playback.state.pose
    assert playback.t < motion.duration  # one cycle's time, the same pose
    playback.pause()
    playback.loop = False
    playback.play()
    assert playback.state.pose == pose  # carries on: no jump to the start
    playback.step(MAX_STEP)
    assert playback.playing
    while playback.playing:
        playback.step(MAX_STEP)
    assert playback.t == pytest.approx(motion.duration)  # finished this cycle, stopped at its end


def test_a_motion_is_watched_from_play_scrub_or_step_until_a_pose_is_set_by_other_means(playback, catalogue):
    # The one rule for when a standard view holds still over a motion (the scene frames it on the watched one).
    seen: list[object] = []
    playback.watched_changed.connect(seen.append)
    motion = playback.motion
    assert playback.watched is None  # a fresh window: nothing watched, the leg framed as a still
    playback.seek(0.4)  # a scrub
    assert playback.watched is motion
    playback.seek(0.9)
    playback.step(0.1)  # a step
    assert playback.watched is motion and seen == [motion]  # no release between scrubbed times
    playback.play()
    playback.step(0.1)
    playback.pause()  # stopping is no release: the picture must not jump when the leg stops
    assert playback.watched is motion and seen == [motion]
    playback.state.pose = Pose(knee_flexion=30)  # the pose controls (undo, a bookmark, a view file alike)
    assert playback.watched is None and seen == [motion, None]
    playback.play()  # playing from there watches the motion again
    assert playback.watched is motion
    playback.pause()
    playback.set_motion("knee_flexion")  # another motion chosen: its first pose, a still until it is watched
    assert playback.watched is None and seen == [motion, None, motion, None]
    action = action_motion(catalogue.get("soleus"))
    assert action is not None
    playback.play_once(action)  # a click's action
    while playback.playing:
        playback.step(0.25)
    assert playback.watched is action  # still the action's last pose on the leg: no jump when it ends


def test_a_pose_set_by_other_means_moves_the_time_to_where_the_leg_is(playback):
    """The same rule as watched: a pose set by other means (undo, the plot's line, a bookmark) puts the time where
    that pose is, so the timeline shows the leg and Play goes on from it. Before, the time stayed where the motion
    had stopped (0.65 s, about 23 degrees) and the next step jumped the leg back there from 0."""
    times: list[float] = []
    playback.time_changed.connect(times.append)
    motion = playback.motion
    playback.play()
    playback.step(0.65)
    playback.pause()
    stopped = playback.state.pose
    assert stopped.plantarflexion > 20
    playback.state.pose = Pose()  # undo
    assert playback.t == 0.0 and times[-1] == 0.0
    playback.play()
    playback.step(0.02)
    assert playback.state.pose.plantarflexion < 0.5  # on from 0 degrees: no jump
    playback.pause()
    playback.state.pose = stopped  # redo
    assert playback.t == pytest.approx(0.65) and playback.state.pose == stopped  # only the time is written
    playback.state.pose = Pose(plantarflexion=-10)  # the plot's line, on the way down to dorsiflexion
    assert motion.pose_at(playback.t).plantarflexion == pytest.approx(-10)
    assert 2.4 < playback.t < 3.6
    playback.state.pose = Pose(knee_flexion=40)  # a pose the motion never shows: the nearest it does
    assert motion.pose_at(playback.t) == Pose()


def test_a_pose_given_back_with_its_time_mark_returns_to_that_pass(playback):
    """Undo gives back a pose with the time mark its step kept: of the two times the ankle motion shows 20 degrees
    (0.6 s up, 1.8 s back), the one marked, not the one nearest where the timeline is. A pose the timeline never
    showed exactly (the plot's line at 20.3 degrees, nearest 20.3 at 0.6 s): its time on the marked pass. A mark
    of another motion leaves the time where the pose put it."""
    motion = playback.motion
    playback.seek(1.6)
    playback.state.pose = motion.pose_at(0.6)  # given back: the pose alone puts the time on the pass nearest 1.6
    assert playback.t == pytest.approx(1.8)
    playback.return_to((motion.id, 0.6))
    assert playback.t == 0.6 and playback.state.pose == motion.pose_at(0.6)  # only the time is written
    playback.seek(1.6)
    playback.state.pose = Pose(plantarflexion=motion.pose_at(0.6).plantarflexion + 0.3)
    playback.return_to((motion.id, 0.6))
    assert 0.6 < playback.t < 0.65 and motion.pose_at(playback.t).plantarflexion == pytest.approx(20.3, abs=1e-6)
    playback.seek(1.6)
    playback.state.pose = motion.pose_at(0.6)
    playback.return_to(("knee_flexion", 0.6))
    assert playback.t == pytest.approx(1.8)


def test_a_click_s_action_left_for_a_pose_at_its_end_plays_again_from_its_start(playback, catalogue):
    """A click's action stopped where the leg is at its end (undo put back the neutral pose it ends in): Play plays
    it again from its start, as at the end of a motion that does not loop, not nothing."""
    action = action_motion(catalogue.get("soleus"))
    assert action is not None
    playback.play_once(action)
    playback.step(action.duration - 0.1)
    playback.pause()
    playback.state.pose = Pose()  # the pose before the action, which the action ends in
    assert playback.current is action and playback.t == pytest.approx(action.duration)
    playback.play()
    assert playback.t == 0.0
    playback.step(action.leg_seconds / 2)
    assert playback.playing and playback.current is action and playback.state.pose != Pose()
