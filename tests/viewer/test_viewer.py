"""Viewer: the logic floor poses the model when the state changes and emits one result that followers read."""

from __future__ import annotations

import numpy as np
import pytest

from calfviewer.errors import CalfviewerError
from calfviewer.musculoskeletal import Pose
from calfviewer.viewer.camera import Camera
from calfviewer.viewer.view_state import FADED_OPACITY, ViewState
from calfviewer.viewer.viewer import Viewer, ViewResult


@pytest.fixture
def viewer(catalogue, model):
    v = Viewer(ViewState(catalogue=catalogue), model, catalogue)
    yield v
    v.close()


def results(viewer: Viewer) -> list[ViewResult]:
    seen: list[ViewResult] = []
    viewer.result_changed.connect(seen.append)
    return seen


def test_a_new_pose_is_posed_once_and_reported_as_a_pose_change(viewer):
    seen = results(viewer)
    neutral_length = viewer.result.pose.muscles["soleus"].length
    viewer.state.pose = Pose(plantarflexion=30)
    assert len(seen) == 1 and seen[0] is viewer.result
    assert seen[0].changed == {"pose"}
    assert seen[0].pose.pose == Pose(plantarflexion=30)
    # Plantarflexion brings the calcaneus towards soleus's origin: the muscle shortens (anatomy, not the model code).
    assert seen[0].pose.muscles["soleus"].length < neutral_length - 0.01


def test_the_same_pose_again_emits_nothing(viewer):
    seen = results(viewer)
    viewer.state.pose = Pose()
    assert seen == []


def test_selection_and_fading_come_in_one_result(viewer):
    viewer.state.fade_others = True
    seen = results(viewer)
    viewer.state.select("soleus")
    assert len(seen) == 1
    result = seen[0]
    assert result.changed == {"selection", "appearance", "facts"}
    assert result.selection == "soleus"
    assert result.opacity["soleus"] == 1.0
    assert result.opacity["tibia"] == FADED_OPACITY  # faded, still drawn
    assert result.drawn("tibia")
    assert result.selected_path is result.pose.muscles["soleus"]


def test_a_hidden_layer_is_not_drawn(viewer, catalogue):
    viewer.state.set_visible("superficial", False)
    superficial = {s.id for s in catalogue.structures if s.layer == "superficial"}
    assert superficial and not superficial & viewer.result.visible
    assert "soleus" in viewer.result.visible  # intermediate layer
    assert viewer.result.changed == {"appearance"}


def test_a_bone_has_no_muscle_path(viewer):
    viewer.state.select("tibia")
    assert viewer.result.selected_path is None


def test_the_model_ranges_limit_the_state_until_the_viewer_closes(catalogue, model):
    state = ViewState(catalogue=catalogue)
    viewer = Viewer(state, model, catalogue)
    seen = results(viewer)
    with pytest.raises(CalfviewerError, match="toe flexion 45° is out of range: use -30 to 30"):
        state.pose = Pose(toes=45)
    assert state.pose == Pose() and seen == []
    viewer.close()
    state.pose = Pose(toes=45)  # the state alone knows no model's ranges
    assert seen == []  # and the closed viewer no longer follows it


def test_turning_to_an_attachment_looks_at_its_site_from_the_same_direction(viewer, model):
    camera = Camera(view=None, position=(0.0, 1.0, 0.0), focal_point=(0.0, 0.0, 0.0), view_up=(0.0, 0.0, 1.0))
    turned = viewer.camera_to_attachment(camera, "gastrocnemius_medial_head", "origin", 0)
    # The oracle: MuJoCo's own world position of the origin site, read from the model's data after the pose.
    model.pose(viewer.state.pose)
    site = np.array(model.data.site_xpos[model.model.site("gasmed-P1_r").id])
    assert turned.focal_point == pytest.approx(tuple(site), abs=1e-9)
    # One metre away, looking along -y: 0.35 of the way, same direction, same up.
    assert turned.position == pytest.approx((site[0], site[1] + 0.35, site[2]), abs=1e-9)
    assert turned.view_up == (0.0, 0.0, 1.0) and turned.view is None


def test_a_near_camera_stops_fifteen_centimetres_away(viewer):
    camera = Camera(view=None, position=(0.0, 0.2, 0.0), focal_point=(0.0, 0.0, 0.0), view_up=(0.0, 0.0, 1.0))
    turned = viewer.camera_to_attachment(camera, "soleus", "insertion", 0)
    offset = np.subtract(turned.position, turned.focal_point)
    assert np.linalg.norm(offset) == pytest.approx(0.15)


def test_the_facts_are_worded_once_in_the_result(viewer, catalogue):
    viewer.state.select("gastrocnemius_medial_head")
    facts = viewer.result.facts
    structure = catalogue.get("gastrocnemius_medial_head")
    assert facts.structure_id == structure.id and facts.title == structure.name
    # Each origin and insertion is a link to that attachment, numbered in the catalogue's order.
    links = [row.link for row in facts.rows if row.link is not None]
    expected = [("origin", i) for i in range(len(structure.origins))]
    expected += [("insertion", i) for i in range(len(structure.insertions))]
    assert links == expected
    # The origin's row names the bone the catalogue gives it (the femur), whatever else it says.
    origin_row = next(row for row in facts.rows if row.link == ("origin", 0))
    assert catalogue.get(structure.origins[0].bone).name.lower() in origin_row.text.lower()
    viewer.set_names("latin")
    assert viewer.result.changed == {"facts"}
    assert viewer.result.facts.title == structure.latin


def test_the_live_block_follows_the_pose_for_a_muscle_only(viewer, catalogue):
    assert viewer.result.live is None  # nothing selected
    viewer.state.select("soleus")
    at_neutral = viewer.result.live
    assert "Muscle-tendon length" in at_neutral
    viewer.state.pose = Pose(plantarflexion=30)
    assert viewer.result.live != at_neutral and "plantarflexion  30.0°" in viewer.result.live
    viewer.state.select("tibia")
    assert viewer.result.live is None and viewer.result.facts.title == catalogue.get("tibia").name


def test_a_click_selects_and_plays_a_muscles_action_once(viewer):
    viewer.click("soleus")
    assert viewer.state.selection == "soleus"
    assert viewer.playback.playing and viewer.playback.current.id == "action:soleus"
    viewer.playback.pause()
    viewer.click("tibia")  # a bone has no action to play
    assert viewer.state.selection == "tibia" and not viewer.playback.playing
    viewer.click("gastrocnemius_lateral_head", act=False)
    assert viewer.state.selection == "gastrocnemius_lateral_head" and not viewer.playback.playing
    viewer.click(None)
    assert viewer.state.selection is None


def test_something_that_takes_clicks_gets_them_first(viewer):
    taken: list[str | None] = []
    viewer.take_clicks(lambda structure_id: taken.append(structure_id) or structure_id is not None)
    viewer.click("soleus")
    assert taken == ["soleus"] and viewer.state.selection is None and not viewer.playback.playing
    viewer.click(None)  # not taken: the background clears the selection as usual
    assert taken == ["soleus", None]
    viewer.take_clicks(None)
    viewer.click("soleus", act=False)
    assert taken == ["soleus", None] and viewer.state.selection == "soleus"
