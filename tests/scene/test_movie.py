"""``calfviewer movie``: frame-exact MP4 and GIF read back with imageio, bad arguments one line, no half files.

Movies here are tiny (128x160, a second at 5-10 frames per second): the checks are on frame count, size and which
pose the first and last frames show, none of which needs a big picture.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import imageio.v2 as imageio
import numpy as np
import pytest
from PIL import Image, ImageSequence

from calfviewer.cli import build_parser
from calfviewer.errors import CalfviewerError
from calfviewer.musculoskeletal import Pose
from calfviewer.musculoskeletal.motion import Motion, action_motion
from calfviewer.scene.anatomy_scene import AnatomyScene
from calfviewer.scene.movie import (
    MovieCancelled,
    Timeline,
    check_timing,
    movie_size,
    open_writer,
    parse_pose_pair,
    write_movie,
)
from calfviewer.scene.movie import frames_of as movie_frames
from calfviewer.viewer.view_state import ViewState


@pytest.fixture
def loaded_once(monkeypatch, geometry):
    """The session's geometry instead of loading meshes/ again."""
    monkeypatch.setattr("calfviewer.geometry.load_scene_geometry", lambda model: geometry)


def frames_of(path: Path) -> list[np.ndarray]:
    with imageio.get_reader(str(path)) as reader:
        return [np.asarray(frame)[..., :3].astype(int) for frame in reader]


#: A camera behind the right calf, as a view file gives it: fixed, so a movie's frames and the stills they are
#: compared with are framed alike (a standard view is framed on the leg over a movie's whole motion, a still on
#: the leg in its pose).
FIXED_CAMERA = {
    "position": [-0.088, 1.283, -0.657],
    "focal_point": [-0.088, 0.010, -0.657],
    "view_up": [0.0, 0.0, 1.0],
    "view_angle": 30.0,
}


@pytest.fixture
def fixed_camera(tmp_path) -> str:
    """A view file holding :data:`FIXED_CAMERA`, for ``--state``."""
    path = tmp_path / "fixed-camera.json"
    path.write_text(json.dumps({"camera": FIXED_CAMERA}))
    return str(path)


def still(run_cli, tmp_path: Path, plantarflexion: float, size: str, state: str) -> np.ndarray:
    out = tmp_path / f"still-{plantarflexion:g}.png"
    code, _, err = run_cli(
        "render", "--out", str(out), "--size", size, "--plantarflexion", str(plantarflexion), "--state", state
    )
    assert code == 0, err
    image = np.asarray(Image.open(out))[..., :3].astype(int)
    out.unlink()
    return image


def test_a_sweep_mp4_has_seconds_x_fps_frames_of_its_size_from_the_first_pose_to_the_last(
    run_cli, tmp_path, loaded_once, fixed_camera
):
    out = tmp_path / "sweep.mp4"
    code, stdout, err = run_cli(
        "movie", "--out", str(out), "--from", "40,0", "--to", "-20,0", "--seconds", "1", "--fps", "8",
        "--size", "128x160", "--quiet", "--state", fixed_camera,
    )  # fmt: skip
    assert code == 0, err
    assert stdout.strip() == str(out)
    frames = frames_of(out)
    assert len(frames) == 8
    assert frames[0].shape == (160, 128, 3)
    # Frame k is the pose at k / F: the first is the --from pose, the last the --to pose (before: the sweep at 7/8
    # of its way, so the pose asked for never showed).
    start = still(run_cli, tmp_path, 40, "128x160", fixed_camera)
    end = still(run_cli, tmp_path, -20, "128x160", fixed_camera)
    # Compared where the two poses differ (the foot), not over the background, where H.264's colour conversion
    # alone is off by a level or two.
    moved = np.abs(start - end).sum(axis=-1) > 60
    assert moved.sum() > 100  # the two poses look different

    def off(frame: np.ndarray, still_: np.ndarray) -> float:
        return float(np.abs(frame - still_)[moved].mean())

    assert off(frames[0], start) < off(frames[0], end) / 2
    assert off(frames[-1], end) < off(frames[-1], start) / 10
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fixed-camera.json", "sweep.mp4"]


def test_an_action_gif_loops_from_neutral_through_the_action(run_cli, tmp_path, loaded_once, fixed_camera):
    out = tmp_path / "soleus.gif"
    code, _, err = run_cli(
        "movie", "--out", str(out), "--action", "soleus", "--seconds", "1", "--fps", "5", "--size", "100x120",
        "--quiet", "--state", fixed_camera,
    )  # fmt: skip
    assert code == 0, err
    gif = Image.open(out)
    assert gif.format == "GIF" and gif.size == (100, 120) and gif.info["loop"] == 0
    # 5 frames of 200 ms; the two symmetric poses either side of the plantarflexed key (cosine easing) are the
    # same picture, which Pillow stores once for 400 ms: the frame at every k / F is still the pose at k / F.
    durations = [frame.info["duration"] for frame in ImageSequence.Iterator(gif)]
    assert sum(durations) == 1000 and all(d % 200 == 0 for d in durations)
    frames = frames_of(out)
    # Soleus plantarflexes and returns: frame 0 is neutral, the middle frames are not.
    neutral = still(run_cli, tmp_path, 0, "100x120", fixed_camera)
    assert np.abs(frames[0] - neutral).mean() < np.abs(frames[2] - neutral).mean()


def test_frame_k_is_the_pose_at_k_over_fps(catalogue):
    motion = action_motion(catalogue.get("soleus"))
    assert motion is not None
    timeline = Timeline(motion, motion.duration, 10)
    assert timeline.frames == round(motion.duration * 10)
    assert timeline.pose_at(0) == Pose()
    half = round(motion.duration * 10 / 2)  # the plantarflexed key, halfway through its two legs
    assert timeline.pose_at(half).plantarflexion == pytest.approx(35.0)
    stretched = Timeline(motion, 2 * motion.duration, 10)  # twice as long: the same motion, half the speed
    assert stretched.frames == 2 * timeline.frames
    assert stretched.pose_at(2 * half) == timeline.pose_at(half)


def test_an_mp4_ffmpeg_could_not_finish_is_an_error_not_a_file(tmp_path):
    """imageio does not report an ffmpeg that failed (a full disk while the MP4's index is written, at the end):
    before, the broken file replaced the user's and the command said it was written."""
    from calfviewer.scene.movie import check_playable, open_writer

    out = tmp_path / "good.mp4"
    writer = open_writer(out, 10)
    for shade in range(0, 250, 50):
        writer.append(np.full((64, 64, 3), shade, np.uint8))
    writer.close()  # checks what it wrote: a whole file passes
    data = out.read_bytes()
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(data[: len(data) // 2])  # what a full disk leaves: no index at the end
    with pytest.raises(OSError, match="is the disk full"):
        check_playable(broken)


def test_a_sweep_ends_on_its_last_pose_and_an_action_loops():
    from calfviewer.musculoskeletal.motion import Motion

    sweep = Motion("sweep", "Sweep", (Pose(plantarflexion=40), Pose(plantarflexion=-20)), leg_seconds=1.0)
    timeline = Timeline(sweep, 1.0, 4)
    angles = [timeline.pose_at(k).plantarflexion for k in range(timeline.frames)]
    assert angles[0] == pytest.approx(40) and angles[-1] == pytest.approx(-20)
    assert all(a > b for a, b in itertools.pairwise(angles))
    assert Timeline(sweep, 1.0, 1).pose_at(0) == Pose(plantarflexion=40)  # one frame: the first pose


def test_a_sweep_pose_takes_two_to_four_angles(model):
    """'PF,KNEE' means what it did before the foot's other joints; a third and a fourth number are the subtalar
    inversion and the toe flexion, negative ones included (argparse reads '-20,0,-5,-30' as a value)."""
    assert parse_pose_pair("-20,0", "--from", model) == Pose(plantarflexion=-20)
    assert parse_pose_pair(" 10 , 30 , -12 ", "--to", model) == Pose(10, 30, -12)
    assert parse_pose_pair("-20,0,15,−30", "--to", model) == Pose(-20, 0, 15, -30)
    args = build_parser().parse_args(["movie", "--out", "x.mp4", "--from", "-20,0,-5,-30", "--to", "-1,0"])
    assert getattr(args, "from") == "-20,0,-5,-30" and args.to == "-1,0"


def test_the_default_length_and_its_rounding_to_whole_frames_are_in_the_help(run_cli, catalogue, tmp_path, loaded_once):
    """The default --seconds is the action's own length, rounded to whole frames at --fps; --help said neither
    the length nor the rounding. What it says now is checked against the motions and a movie made without it."""
    code, usage, _ = run_cli("movie", "--help")
    said = " ".join(usage.split())  # argparse wraps the help at the terminal's width
    assert code == 0
    assert "1.8 s for each joint movement it plays" in said and "rounded to a whole number of frames at --fps" in said
    assert "1.8 s at 7 fps is 13 frames, 1.857 s" in said
    motion = action_motion(catalogue.get("soleus"))  # one movement: plantarflexion, out and back
    assert motion is not None and motion.duration == pytest.approx(1.8)
    motion = action_motion(catalogue.get("tibialis_posterior"))  # two: inversion, then plantarflexion
    assert motion is not None and motion.duration == pytest.approx(3.6)
    out = tmp_path / "soleus.gif"
    code, _, err = run_cli("movie", "--out", str(out), "--action", "soleus", "--fps", "7", "--size", "64x80", "--quiet")
    assert code == 0, err
    # 13 frames at 7 fps: frame k starts at k / 7 s to the hundredth, so the GIF lasts round(1300 / 7) hundredths
    assert sum(frame.info["duration"] for frame in ImageSequence.Iterator(Image.open(out))) == 1860


def test_a_default_length_half_a_frame_past_a_whole_number_rounds_up(run_cli, tmp_path, loaded_once, monkeypatch):
    """The command's default length is rounded to whole frames as the window's Export movie rounds a typed one,
    half a frame up (README): Python's round() took 2.5 frames to 2, and 57.5 to 57 or 58 as the float fell."""
    monkeypatch.setattr("calfviewer.scene.movie.DEFAULT_SWEEP_SECONDS", 0.5)  # 2.5 frames at 5 fps
    out = tmp_path / "half.gif"
    code, _, err = run_cli(
        "movie", "--out", str(out), "--from", "0,0", "--to", "30,0", "--fps", "5", "--size", "64x80", "--quiet"
    )
    assert code == 0, err
    frames = list(ImageSequence.Iterator(Image.open(out)))
    assert len(frames) == 3 and sum(frame.info["duration"] for frame in frames) == 600  # 3 frames of 0.2 s, not 2


@pytest.mark.parametrize(
    ("look", "fixed"),
    [
        (("--select", "soleus", "--hide", "superficial"), True),
        (("--section", "axial@0.4", "--labels", "--names", "latin", "--colour-by", "stretch"), False),
    ],
    ids=["select-hide", "section-labels-latin-stretch"],
)
def test_a_movie_looks_as_render_draws_the_same_flags(run_cli, tmp_path, loaded_once, fixed_camera, look, fixed):
    """A teacher's render flags give the movie the same look: its first frame (the action's neutral start) is
    ``render`` with those flags, not the plain scene (before, ``movie`` had none of them). With the camera of a view
    file (a standard view is framed on the leg over the whole motion; a cut is seen face on, as a still sees it)."""
    state = ("--state", fixed_camera) if fixed else ()
    out = tmp_path / "look.gif"
    code, _, err = run_cli(
        "movie", "--out", str(out), "--action", "soleus", "--seconds", "0.4", "--fps", "5", "--size", "160x200",
        "--quiet", *look, *state,
    )  # fmt: skip
    assert code == 0, err
    first = frames_of(out)[0]

    def rendered(*flags: str) -> np.ndarray:
        picture = tmp_path / "still.png"
        code, _, err = run_cli("render", "--out", str(picture), "--size", "160x200", *flags, *state)
        assert code == 0, err
        return np.asarray(Image.open(picture))[..., :3].astype(int)

    dressed, plain = rendered(*look), rendered()
    differs = np.abs(dressed - plain).sum(axis=-1) > 60
    assert differs.sum() > 500  # the flags change the picture
    assert np.abs(first - dressed)[differs].mean() < np.abs(first - plain)[differs].mean() / 4


def test_a_movie_of_a_standard_view_holds_the_leg_still_and_moves_the_foot(run_cli, tmp_path, loaded_once):
    """Each frame was framed as the still of its pose, so the whole leg moved and zoomed in the picture as the foot
    swung (by a sixth of the picture over plantarflexion 40 to dorsiflexion 30). The view is framed on the leg over
    the whole motion, as the window frames it while a motion plays: the knee stays put, the foot moves."""
    out = tmp_path / "ankle.gif"
    code, _, err = run_cli(
        "movie", "--out", str(out), "--from", "40,0", "--to", "-30,0", "--view", "lateral", "--seconds", "1",
        "--fps", "5", "--size", "240x320", "--quiet",
    )  # fmt: skip
    assert code == 0, err
    frames = frames_of(out)
    knee, foot = slice(0, 110), slice(220, 320)  # picture rows: the thigh and knee, the ankle and foot
    assert max(float(np.abs(f[knee] - frames[0][knee]).mean()) for f in frames) < 1.0, "the knee moved"
    assert float(np.abs(frames[-1][foot] - frames[0][foot]).mean()) > 5.0, "the foot should move"
    for frame in frames:  # the whole foot in every frame: no part of the leg touches the picture's bottom edge
        assert np.abs(frame[-2:] - frames[0][-2:, :1]).max() < 40


@pytest.mark.parametrize(
    ("motion", "pose"),
    [
        (("--from", "0,60", "--to", "0,0"), ("--knee-flexion", "60")),
        (("--from", "20,90", "--to", "0,90"), ("--plantarflexion", "20", "--knee-flexion", "90")),
    ],
    ids=["knee-60-to-0", "knee-90"],
)
def test_a_movie_s_cut_is_seen_face_on_in_its_first_frame(run_cli, tmp_path, loaded_once, motion, pose):
    """``--section`` without ``--view`` turns the camera to the cut face on, but it was turned for the pose the
    movie does not show (neutral, or the view file's): a sweep from the knee bent 60 degrees showed the back of
    the leg from below, the cut nowhere in sight. The first frame is now ``render`` of its pose with the cut."""
    out = tmp_path / "cut.gif"
    code, _, err = run_cli(
        "movie", "--out", str(out), "--seconds", "0.4", "--fps", "5", "--size", "160x200", "--quiet",
        "--section", "axial@0.5", *motion,
    )  # fmt: skip
    assert code == 0, err
    first = frames_of(out)[0]
    picture = tmp_path / "still.png"
    code, _, err = run_cli("render", "--out", str(picture), "--size", "160x200", "--section", "axial@0.5", *pose)
    assert code == 0, err
    still = np.asarray(Image.open(picture))[..., :3].astype(int)
    assert np.abs(first - still).sum(axis=-1).mean() < 6  # a GIF's 256 colours, not another picture


def test_movie_look_flags_are_checked_before_any_geometry(run_cli, tmp_path, monkeypatch):
    monkeypatch.setattr("calfviewer.geometry.load_scene_geometry", lambda model: pytest.fail("geometry loaded"))
    for flags, says in (
        (("--hide", "tibia_typo"), "neither a layer"),
        (("--section", "axial@1.5"), "outside 0 to 1"),
        (("--hide", "bone", "superficial", "intermediate", "deep"), "nothing to film"),
        (("--select", "solius"), "soleus"),
    ):
        code, stdout, err = run_cli("movie", "--out", str(tmp_path / "m.gif"), "--action", "soleus", *flags)
        assert code == 2 and stdout == "", err
        assert err.count("\n") == 1 and says in err, err
    assert list(tmp_path.iterdir()) == []


def test_a_state_s_labels_that_cannot_fit_the_movie_are_left_out_with_a_note(run_cli, tmp_path, loaded_once):
    state = tmp_path / "view.json"
    state.write_text(json.dumps({"labels": True}))
    out = tmp_path / "narrow.gif"
    code, _, err = run_cli(
        "movie", "--out", str(out), "--from", "0,0", "--to", "10,0", "--seconds", "0.2", "--fps", "10",
        "--size", "64x400", "--state", str(state), "--quiet",
    )  # fmt: skip
    assert code == 0 and out.exists(), err
    labels, legend = err.splitlines()  # the legend does not fit 64 pixels across either
    assert labels.startswith("calfviewer: labels left out: ") and "make it wider" in labels, err
    assert legend.startswith("calfviewer: legend left out: "), err


def test_mp4_sizes_round_to_multiples_of_16_and_say_so():
    assert movie_size("128x160", ".mp4") == ((128, 160), None)
    size, note = movie_size("150x130", ".mp4")
    assert size == (144, 128) and note is not None and "multiples of 16" in note
    assert movie_size("150x130", ".gif") == ((150, 130), None)


def test_seconds_times_fps_must_be_whole_frames():
    assert check_timing("1.5", "10") == (1.5, 10)
    with pytest.raises(CalfviewerError, match=r"12\.5 frames"):
        check_timing("2.5", "5")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--action", "soleus", "--fps", "0"], "--fps 0 is out of range"),
        (["--action", "soleus", "--fps", "2.5"], "not a whole number"),
        (["--action", "soleus", "--seconds", "-1"], "out of range"),
        (["--action", "soleus", "--seconds", "nan"], "--seconds nan is not a finite number: give a length above 0"),
        (["--action", "soleus", "--seconds", "0.25", "--fps", "10"], "whole number"),
        (["--action", "soleus", "--fps", "1_0"], "digits 0-9"),  # before: taken as 10, as Python's int() reads it
        (["--action", "soleus", "--fps", "\uff13"], "digits 0-9"),  # a full-width 3
        (["--action", "soleus", "--seconds", "1_0"], "digits 0-9 and a point"),
        # Numbers of seconds of more digits than the check read, past the range: they were "not a number of
        # seconds (digits 0-9 and a point)"; a hair past 600 was taken as 600, as a float reads it.
        (["--action", "soleus", "--seconds", "600.0000000001"], "--seconds 600.0000000001 is out of range"),
        (["--action", "soleus", "--seconds", "1234567"], "--seconds 1234567 is out of range: above 0, at most 600"),
        (["--action", "soleus", "--seconds", "600.0000000000000001", "--fps", "1"], "600.0000000000000001 is out"),
        (["--action", "bicep"], "unknown structure 'bicep'"),
        (["--action", "tibia"], "has no action"),
        (["--from", "10,0"], "say what moves"),
        (["--action", "soleus", "--from", "0,0", "--to", "10,0"], "not both"),
        (["--from", "99,0", "--to", "0,0"], "out of range"),
        (["--from", "ten,0", "--to", "0,0"], "must be a number"),
        (["--from", "10", "--to", "0,0"], "PLANTARFLEXION,KNEE_FLEXION"),
        (["--from", "0,0,0,0,0", "--to", "0,0"], "PLANTARFLEXION,KNEE_FLEXION[,INVERSION[,TOE_FLEXION]]"),
        (["--from", "0,0,25", "--to", "0,0"], "subtalar inversion 25° is out of range"),
        (["--from", "-10,0,-5,-40", "--to", "0,0"], "toe flexion -40° is out of range"),
        (["--action", "soleus", "--size", "10x10"], "64 to 8192"),
        (["--action", "soleus", "--seconds", "60", "--fps", "10", "--gif"], "short loops"),
    ],
)
def test_bad_movie_arguments_are_one_line_and_exit_2(run_cli, tmp_path, args, says):
    gif = "--gif" in args
    out = tmp_path / ("x.gif" if gif else "x.mp4")
    code, stdout, err = run_cli("movie", "--out", str(out), *[a for a in args if a != "--gif"])
    assert code == 2 and stdout == ""
    assert err.count("\n") == 1 and says in err, err
    assert list(tmp_path.iterdir()) == []


def test_a_state_that_hides_everything_is_refused_before_drawing(run_cli, tmp_path, monkeypatch):
    """As render and export refuse it; before, the movie was drawn, frame after frame of empty background."""
    monkeypatch.setattr("calfviewer.geometry.load_scene_geometry", lambda model: pytest.fail("geometry loaded"))
    state = tmp_path / "hidden.json"
    state.write_text(json.dumps({"visibility": {"layers": dict.fromkeys(("bone", "superficial", "intermediate",
                                                                            "deep"), False)}}))  # fmt: skip
    out = tmp_path / "x.gif"
    code, stdout, err = run_cli("movie", "--out", str(out), "--from", "0,0", "--to", "10,0", "--state", str(state))
    assert code == 2 and stdout == ""
    assert err.count("\n") == 1 and "nothing to film" in err and "hide every structure" in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hidden.json"]


def test_a_movie_out_with_another_suffix_is_refused(run_cli, tmp_path):
    code, _, err = run_cli("movie", "--out", str(tmp_path / "x.avi"), "--action", "soleus")
    assert code == 2 and err.count("\n") == 1 and "must end in .mp4 or .gif" in err, err


@pytest.fixture(scope="module")
def movie_scene(plotter, geometry, model, catalogue) -> AnatomyScene:
    return AnatomyScene(plotter, geometry, model, catalogue, ViewState(catalogue=catalogue))


@pytest.mark.parametrize("suffix", [".mp4", ".gif"])
def test_cancel_leaves_no_file_and_keeps_the_old_one(movie_scene, catalogue, tmp_path, suffix):
    motion = action_motion(catalogue.get("soleus"))
    assert motion is not None
    calls = []

    def cancel_after_two(done: int, total: int) -> bool:
        calls.append((done, total))
        return done < 2

    fresh = tmp_path / f"new{suffix}"
    with pytest.raises(MovieCancelled, match="after 2 of 5 frames"):
        write_movie(movie_scene, Timeline(motion, 1, 5), fresh, cancel_after_two)
    assert calls == [(1, 5), (2, 5)]
    assert list(tmp_path.iterdir()) == []
    old = tmp_path / f"old{suffix}"
    old.write_bytes(b"the movie made yesterday")
    with pytest.raises(MovieCancelled):
        write_movie(movie_scene, Timeline(motion, 1, 5), old, cancel_after_two)
    assert old.read_bytes() == b"the movie made yesterday"
    assert list(tmp_path.iterdir()) == [old]


def test_ctrl_c_mid_movie_leaves_no_file(movie_scene, catalogue, tmp_path):
    motion = action_motion(catalogue.get("soleus"))
    assert motion is not None

    def interrupt(done: int, total: int) -> bool:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_movie(movie_scene, Timeline(motion, 1, 5), tmp_path / "x.mp4", interrupt)
    assert list(tmp_path.iterdir()) == []


def test_a_gif_lasts_its_seconds_to_the_hundredth_whatever_the_fps(run_cli, tmp_path, loaded_once):
    """GIF delays are whole hundredths of a second. Before: every frame had 1000 / fps ms cut to whole hundredths, so
    a second at 7 fps lasted 0.98 s (7 x 140 ms) and 3 s at 30 fps 2.7 s."""
    out = tmp_path / "seven.gif"
    code, _, err = run_cli(
        "movie", "--out", str(out), "--from", "0,0", "--to", "40,0", "--seconds", "1", "--fps", "7",
        "--size", "64x80", "--quiet",
    )  # fmt: skip
    assert code == 0, err
    durations = [frame.info["duration"] for frame in ImageSequence.Iterator(Image.open(out))]
    assert sum(durations) == 1000
    # Frame k starts at k / 7 s to the hundredth: 0, 14, 29, 43, 57, 71, 86 hundredths (a sweep: no frame repeats).
    assert list(itertools.accumulate(durations, initial=0))[:-1] == [0, 140, 290, 430, 570, 710, 860]


def test_a_gif_faster_than_browsers_play_is_refused(run_cli, tmp_path):
    """A delay under two hundredths plays as ten in browsers: a 60 fps GIF (one hundredth a frame) ran 6x slow."""
    out = tmp_path / "fast.gif"
    code, _, err = run_cli(
        "movie", "--out", str(out), "--from", "0,0", "--to", "40,0", "--fps", "60", "--seconds", "1", "--quiet"
    )
    assert code == 2 and len(err.strip().splitlines()) == 1 and "at most 50 frames per second" in err, err
    assert not out.exists()


def test_a_gif_that_would_not_fit_in_memory_is_refused_before_drawing(run_cli, tmp_path):
    """Before: 30 frames at 4096x4096 took 2.5 GB, and the 300 frames allowed would have taken about 11 GB."""
    out = tmp_path / "big.gif"
    code, _, err = run_cli(
        "movie", "--out", str(out), "--from", "0,0", "--to", "40,0", "--size", "4096x4096", "--fps", "10",
        "--seconds", "3", "--quiet",
    )  # fmt: skip
    assert code == 2 and len(err.strip().splitlines()) == 1 and "GB of memory" in err, err
    assert not out.exists()


def test_the_colour_bar_and_the_names_keep_their_places_through_a_movie(movie_scene):
    """Each frame was laid out as a still of its own, so in a knee sweep seen from the side the colour bar jumped
    from the top of the picture to the bottom and back, and the names from their columns to the free space round
    the leg lying across the picture and back: a flicker in the film. Laid out against where the leg goes in the
    whole movie, the bar keeps one place and the names keep to their columns in every frame, as the window keeps
    them while a motion plays."""
    scene, state = movie_scene, movie_scene.state
    motion = Motion("sweep", "Sweep", (Pose(), Pose(knee_flexion=120.0)), leg_seconds=1.0)
    state.camera = "lateral"
    state.labels = True
    scene.set_colour_by_stretch(True)
    try:
        bars, places = set(), []
        for frame in movie_frames(scene, Timeline(motion, 1, 6)):
            assert frame.shape[:2] == (640, 480)
            bars.add(tuple(scene.stretch_colours.bar.GetPosition()))
            places.append(scene.labels.shown())
        assert min(map(len, places)) >= 8, "the names were left out"
        assert len(bars) == 1, f"the colour bar moved between frames: {sorted(bars)}"
        moved = [k for k, shown in enumerate(places) if any(places[0].get(sid) != xy for sid, xy in shown.items())]
        assert not moved, f"names moved from where the first frame put them in frames {moved}"
    finally:
        scene.set_colour_by_stretch(False)
        state.labels = False
        state.pose = Pose()
        state.camera = "posterior"


def test_movie_help_says_the_names_keep_to_their_columns(run_cli):
    """``movie --help`` shared render's words for --labels, which promised names in the free space round a leg
    lying across the picture; a movie keeps them to their columns in every frame, so they do not jump."""
    code, text, _ = run_cli("movie", "--help")
    said = " ".join(text[text.index("options:") :].split())
    assert code == 0
    labels = said[said.index("--labels draw") : said.index("--colour-by")]
    assert "kept there in every frame" in labels and "free space" not in labels, labels


def test_a_gif_draws_what_stays_still_in_the_same_colours_in_every_frame(tmp_path):
    """Each GIF frame was reduced to its own 256 colours, so what stayed still took other colours as the rest of
    the picture changed: the stretch colour bar of a knee sweep went from dark red to brown at its top and from grey
    blue to bright blue at its bottom, frame to frame (a flicker). One palette for the whole GIF keeps a pixel that
    does not change the same colour in every frame. Frames here: a still band of 600 greys and reds (more colours than
    a GIF has) beside a band whose colour changes each frame."""
    height, width = 120, 200
    ramp = np.linspace(0, 1, width)[None, :, None]
    still = np.concatenate([np.repeat(ramp * 255, 3, axis=2), ramp * np.array([200, 40, 30])], axis=0)
    still = np.repeat(still, height // 2, axis=0)  # (120, 200, 3): grey ramp above, red ramp below
    out = tmp_path / "still.gif"
    writer = open_writer(out, fps=5)
    for k in range(6):
        moving = np.zeros((height, width // 2, 3))
        moving[..., 0], moving[..., 1] = 40 * k, np.linspace(0, 255, width // 2)[None, :] * (k % 2)
        moving[..., 2] = np.linspace(255, 0, height)[:, None]
        writer.append(np.concatenate([still, moving], axis=1).round().astype(np.uint8))
    writer.close()
    frames = [np.asarray(f.convert("RGB"))[:, :width].astype(int) for f in ImageSequence.Iterator(Image.open(out))]
    assert len(frames) == 6
    for k, frame in enumerate(frames[1:], start=1):
        changed = np.abs(frame - frames[0]).sum(axis=-1) > 0
        assert not changed.any(), f"frame {k}: {changed.mean():.0%} of the still band changed colour"
    assert np.abs(frames[0] - still).max() < 24  # and it is still the picture given, in 256 colours
