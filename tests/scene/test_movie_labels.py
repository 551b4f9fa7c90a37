"""A labelled movie's names: placed once for all its frames, and in none of them written over the leg as drawn.

Names are measured against the leg's pixels as tests/scene/test_labels_beside_leg.py measures a still's: the middle
half of each name's text height against the picture drawn without labels (alpha), in every frame of the movie.
"""

from __future__ import annotations

import pytest
from name_measures import names_over_the_leg

from calfviewer.musculoskeletal import Pose
from calfviewer.musculoskeletal.motion import Motion
from calfviewer.scene.movie import Timeline, frames_of

#: A movie's size unless told (``movie --size``), width x height.
MOVIE_SIZE = (640, 800)


@pytest.mark.parametrize(
    ("view", "start", "end", "frames", "stretch"),
    [
        ("lateral", Pose(), Pose(knee_flexion=90.0), 4, False),
        ("medial", Pose(), Pose(knee_flexion=90.0), 4, False),
        ("lateral", Pose(plantarflexion=40.0), Pose(plantarflexion=-20.0), 4, False),
        ("lateral", Pose(), Pose(knee_flexion=90.0), 6, True),
    ],
    ids=["lateral-knee", "medial-knee", "lateral-plantarflexion", "lateral-knee-colour-bar"],
)
def test_no_name_of_a_movie_is_written_over_the_leg_in_any_frame(scene, view, start, end, frames, stretch):
    # The names of `movie --labels` were laid out at each frame in columns split at that frame's points, and never
    # fitted beside the leg as a still's are: as the knee bent the foot swept under the columns (in the lateral
    # view at 640 x 800 twelve names lay on the leg by the last frame), and even in a plantarflexion sweep the
    # heads of gastrocnemius and fibularis longus were written over the calf in every frame. Now they are placed
    # once, clear of where the leg goes in any frame, and each frame draws only their leaders. A name may not
    # touch the leg's cells there, as a still's may by a few: "Fibularis brevis" ended on the toes in the third of
    # the lateral knee sweep's four frames. With the colour bar above the right column, the names moved there off
    # the leg found it too short and every name was left out: now only those it has no room for are.
    state = scene.state
    size = tuple(scene.plotter.window_size)
    scene.plotter.window_size = MOVIE_SIZE
    state.pose, state.camera, state.labels = start, view, True
    scene.set_colour_by_stretch(stretch)
    motion = Motion("sweep", "Sweep", (start, end), leg_seconds=1.0)
    over, places = {}, []
    try:
        for k, _frame in enumerate(frames_of(scene, Timeline(motion, 1, frames))):
            places.append({sid: (xy, scene.labels.text(sid)) for sid, xy in scene.labels.shown().items()})
            if found := names_over_the_leg(scene):
                over[k] = {scene.labels.text(sid): share for sid, share in found.items()}
        left_out = scene.left_out_overlays().get("labels")
    finally:
        scene.plotter.window_size = size
        scene.set_colour_by_stretch(False)
        state.labels = False
        state.pose = Pose()
        state.camera = "posterior"
    assert not over, f"names written over the leg in frames of the {view} movie: {over}"
    assert len(places[0]) >= 8, f"too few names to check: {sorted(places[0])}"
    for k, frame in enumerate(places[1:], start=1):
        moved = {sid: (places[0][sid], place) for sid, place in frame.items() if places[0].get(sid) != place}
        assert not moved, f"names moved or changed between the first frame and frame {k}: {moved}"
    assert left_out is None or left_out.endswith("make it wider"), left_out


def test_a_movie_says_which_names_it_left_out(run_cli, tmp_path, monkeypatch, geometry):
    # The names that find no place clear of the leg over the whole movie are left out, and the movie says which,
    # in the line a still gives (`render --labels`): before, they were drawn over the foot and nothing was said.
    # (At 480 x 640 every name now fits, the long ones on two lines: 360 pixels leave no room for the heads of
    # gastrocnemius even so.)
    monkeypatch.setattr("calfviewer.geometry.load_scene_geometry", lambda model: geometry)
    out = tmp_path / "knee.gif"
    code, _, err = run_cli(
        "movie", "--out", str(out), "--labels", "--view", "lateral", "--from", "0,0", "--to", "0,90",
        "--seconds", "1", "--fps", "2", "--size", "360x640", "--quiet",
    )  # fmt: skip
    assert code == 0, err
    said = [line for line in err.splitlines() if "labels left out" in line]
    assert len(said) == 1, err
    assert "names do not fit beside the leg in 360 pixels (" in said[0] and said[0].endswith("make it wider"), said
    assert out.stat().st_size > 0


@pytest.mark.parametrize("view", ["lateral", "medial"])
def test_the_heads_of_gastrocnemius_are_named_on_two_lines_in_a_side_view_movie(scene, view):
    # `movie --labels --view lateral --from 40,0 --to -20,120` at 640 x 800: the leg covers x 80-496 in every row
    # over the sweep, leaving 72 pixels beside it on the left and about 128 on the right, and the two heads of
    # gastrocnemius (207 pixels on one line), the calf's main muscles, were left out of the movie with extensor
    # digitorum longus ("3 of the 17 names do not fit beside the leg"; from the medial side the heads and extensor
    # hallucis longus). Now a name with no room on one line goes on two, and every name is shown, in every frame,
    # none over the leg: each of its two lines measured where it is drawn.
    state = scene.state
    size = tuple(scene.plotter.window_size)
    scene.plotter.window_size = MOVIE_SIZE
    start, end = Pose(plantarflexion=40.0), Pose(plantarflexion=-20.0, knee_flexion=120.0)
    state.pose, state.camera, state.labels = start, view, True
    motion = Motion("sweep", "Sweep", (start, end), leg_seconds=1.0)
    over, texts = {}, []
    try:
        for k, _frame in enumerate(frames_of(scene, Timeline(motion, 1, 3))):  # the first, middle and last poses
            texts.append({sid: scene.labels.text(sid) for sid in scene.labels.shown()})
            if found := names_over_the_leg(scene):
                over[k] = {scene.labels.text(sid): share for sid, share in found.items()}
        left_out = scene.left_out_overlays().get("labels")
    finally:
        scene.plotter.window_size = size
        state.labels = False
        state.pose = Pose()
        state.camera = "posterior"
    assert left_out is None, left_out
    assert not over, f"names written over the leg in frames of the {view} movie: {over}"
    heads = {
        "gastrocnemius_lateral_head": "Gastrocnemius, lateral head",
        "gastrocnemius_medial_head": "Gastrocnemius, medial head",
    }
    for frame in texts:  # whole, on one line or two
        assert {sid: frame.get(sid, "").replace("\n", " ") for sid in heads} == heads, frame
    assert any("\n" in frame[sid] for frame in texts for sid in heads), "no name on two lines: nothing checked"
    assert len(texts[0]) >= 17, sorted(texts[0])
