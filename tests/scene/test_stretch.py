"""Colour by stretch: muscles drawn in the colour of their length over their length at neutral, with a colour bar,
following the pose; switched off, they are drawn in their tissue colours again.

Expected stretches come from posing the model (``model.pose``, what ``calfviewer measure`` prints), not from the
sweep code the scene uses.
"""

from __future__ import annotations

import numpy as np
import pytest

from calfviewer.musculoskeletal import Pose
from calfviewer.scene.stretch import STRETCH_HIGH, STRETCH_LOW, stretch_colours, stretch_table
from calfviewer.viewer.view_state import ViewState


@pytest.fixture(autouse=True)
def fresh(scene, catalogue):
    scene.set_colour_by_stretch(False)
    scene.state.apply(ViewState(catalogue=catalogue))
    yield
    scene.set_colour_by_stretch(False)


def _stretch(model, pose: Pose, muscle_id: str) -> float:
    return model.pose(pose).muscles[muscle_id].length / model.pose(Pose()).muscles[muscle_id].length


def test_the_map_diverges_from_a_neutral_grey_to_blue_and_red():
    low, middle, high = stretch_colours([STRETCH_LOW, 1.0, STRETCH_HIGH])
    assert low[2] > 0.6 and low[2] > low[0] + 0.3  # shortened: blue
    assert high[0] > 0.6 and high[0] > high[2] + 0.4  # stretched: red
    assert np.ptp(middle) < 0.05 and middle.mean() > 0.8  # neutral: a light grey
    assert np.array_equal(stretch_colours([0.5, 2.0]), stretch_colours([STRETCH_LOW, STRETCH_HIGH]))  # clamped
    table = stretch_table()
    half = len(table) // 2
    assert np.all(table[: half - 1, 2] > table[: half - 1, 0]) and np.all(table[half + 1 :, 0] > table[half + 1 :, 2])
    assert abs(int(np.argmax(table.mean(axis=1))) - half) <= 8  # lightest about neutral


def test_each_muscle_takes_the_colour_of_its_stretch_and_follows_the_pose(scene, model):
    scene.set_colour_by_stretch(True)
    for pose in (Pose(plantarflexion=35.0), Pose(plantarflexion=-25.0, knee_flexion=10.0), Pose(knee_flexion=100.0)):
        scene.state.pose = pose
        for muscle_id in ("soleus", "gastrocnemius_medial_head", "popliteus"):
            actor = scene.actor(muscle_id)
            expected = stretch_colours([_stretch(model, pose, muscle_id)])[0]
            assert np.allclose(actor.prop.color.float_rgb, expected, atol=0.5 / 255), (pose, muscle_id)
            assert not actor.mapper.scalar_visibility  # one colour, no fibre stripes over it
    soleus = scene.actor("soleus").prop.color
    scene.state.pose = Pose(plantarflexion=40.0)  # shortened: bluer than when dorsiflexed
    blue_end = scene.actor("soleus").prop.color.float_rgb
    assert blue_end[2] > blue_end[0]
    assert soleus != scene.actor("soleus").prop.color


def test_the_picture_shows_the_stretch_and_a_colour_bar(scene, model):
    scene.state.pose = Pose(plantarflexion=40.0)
    scene.state.camera = "medial"
    scene.set_colour_by_stretch(True)
    image = scene.screenshot()
    bar = scene.stretch_colours.bar
    assert bar.GetVisibility()
    # Where the soleus is drawn, the pixel is blue-dominated (shortened), not muscle red.
    x, y = scene.to_display(scene.world_centre("soleus"))
    height = image.shape[0]
    r, g, b = image[int(height - 1 - y), int(x)].astype(int)
    assert b > r, (r, g, b)
    assert "Muscle" not in scene.legend.shown() and "Bone" in scene.legend.shown()


def test_the_selected_muscle_keeps_its_stretch_colour_and_its_outline(scene, model):
    scene.set_colour_by_stretch(True)
    scene.state.pose = Pose(plantarflexion=-30.0)
    scene.state.select("soleus")
    expected = stretch_colours([_stretch(model, Pose(plantarflexion=-30.0), "soleus")])[0]
    assert np.allclose(scene.actor("soleus").prop.color.float_rgb, expected, atol=0.5 / 255)
    assert scene.outline.visibility
    scene.render()
    assert "Selected" not in scene.legend.shown()
    scene.state.select("tibia")  # a bone is still painted in the selection colour
    scene.render()
    assert "Selected" in scene.legend.shown()


def test_the_legend_has_no_tendon_row_for_the_muscles_own_tendons_painted_by_stretch(scene):
    """By stretch a muscle is one colour, its own tendon too (the tendon colour came from its per-vertex colours,
    which are switched off), so the muscles no longer put the tendon colour in the picture: with the calcaneal
    tendon hidden the legend still had a "Tendon" row whose colour was nowhere in the picture."""
    scene.state.set_visible("calcaneal_tendon", False)
    scene.render()
    assert "Tendon" in scene.legend.shown()  # tissue colours: the muscles' own tendons are drawn in it
    scene.set_colour_by_stretch(True)
    scene.render()
    assert "Tendon" not in scene.legend.shown() and "Bone" in scene.legend.shown()
    scene.state.set_visible("calcaneal_tendon", True)
    scene.render()
    assert "Tendon" in scene.legend.shown()  # the calcaneal tendon keeps the tendon colour


def test_switching_off_brings_back_the_tissue_colours(scene):
    before = {sid: (scene.actor(sid).prop.color, scene.actor(sid).mapper.scalar_visibility) for sid in ("soleus",)}
    scene.state.pose = Pose(plantarflexion=30.0)
    scene.set_colour_by_stretch(True)
    assert scene.actor("soleus").prop.color != before["soleus"][0]
    scene.set_colour_by_stretch(False)
    assert (scene.actor("soleus").prop.color, scene.actor("soleus").mapper.scalar_visibility) == before["soleus"]
    assert not scene.stretch_colours.bar.GetVisibility()
    scene.render()
    assert "Muscle" in scene.legend.shown()


def test_render_colour_by_stretch_draws_the_shortened_muscles_blue(run_cli, tmp_path):
    from PIL import Image

    counts = {}
    for colour_by in ("tissue", "stretch"):
        out = tmp_path / f"{colour_by}.png"
        code, _, err = run_cli(
            "render", "--out", str(out), "--colour-by", colour_by, "--plantarflexion", "40", "--view", "medial",
            "--size", "300x400",
        )  # fmt: skip
        assert code == 0, err
        pixels = np.asarray(Image.open(out).convert("RGB")).astype(int)
        r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
        counts[colour_by] = int(((b > r + 60) & (b > g + 30)).sum())  # strongly blue: the map's shortened end
    assert counts["tissue"] < 200 < counts["stretch"], counts
    code, out, err = run_cli("render", "--out", str(tmp_path / "x.png"), "--colour-by", "pink")
    assert code == 2 and "invalid choice" in err and len(err.strip().splitlines()) == 1


def test_the_colour_bar_title_is_not_cut_by_the_left_edge_of_a_narrow_picture(run_cli, tmp_path):
    """The title ("Length ÷ neutral") is centred over the bar; at 300 pixels wide it began left of the picture and
    lost its first letters. The picture's left edge, from the top to the middle, is background (the leg is framed in
    the middle), so any bright pixel there is text cut by the edge."""
    from PIL import Image

    for size in ("300x400", "200x300"):
        out = tmp_path / f"narrow-{size}.png"
        code, _, err = run_cli("render", "--out", str(out), "--colour-by", "stretch", "--size", size)
        assert code == 0, err
        pixels = np.asarray(Image.open(out).convert("RGB")).astype(int)
        edge = pixels[: pixels.shape[0] // 2, :2]
        assert edge.max() < 90, f"text at the left edge of a {size} picture (brightest {edge.max()})"


@pytest.mark.parametrize(
    ("window", "left_out"),
    [((900, 1200), None), ((300, 400), None), ((180, 1200), None),
     ((64, 1200), "make it wider"), ((1200, 64), "make it taller")],
)  # fmt: skip
def test_the_colour_bar_is_left_out_where_its_words_cannot_fit(window, left_out):
    from vtkmodules.vtkRenderingCore import vtkRenderer

    from calfviewer.scene.stretch import StretchColours

    colours = StretchColours(vtkRenderer(), (1.0, 1.0, 1.0))
    colours.enabled = True
    colours.layout(window, lambda box: 0.0)  # nothing under any place: the bar's first place, upper left
    if left_out is None:
        assert colours.left_out is None and colours.bar.GetVisibility()
        left, bottom, right, top = colours.extent(window)  # what the labels keep out of
        assert 0 <= left < right <= window[0] and 0 <= bottom < top <= window[1], "the bar is not whole in the picture"
    else:
        assert left_out in str(colours.left_out) and not colours.bar.GetVisibility()
        assert colours.extent(window) is None  # the labels need not keep out of a bar that is not drawn


def _drawn(scene) -> np.ndarray:
    return scene.screenshot()[..., :3].astype(int)


def _bar_and_leg(scene) -> tuple[np.ndarray, np.ndarray]:
    """Where the colour bar is drawn (the pixels that change when it is hidden) and where the leg is (those that
    change when every structure is hidden, the legend's corner left out)."""
    bar = scene.stretch_colours.bar
    with_bar = _drawn(scene)
    bar.SetVisibility(False)
    without_bar = _drawn(scene)
    shown = [sid for sid in scene.structure_ids if scene.actor(sid).visibility]
    for sid in shown:
        scene.actor(sid).visibility = False
    background = _drawn(scene)
    for sid in shown:
        scene.actor(sid).visibility = True
    bar.SetVisibility(True)
    bar_pixels = np.abs(with_bar - without_bar).max(axis=2) > 10
    leg = np.abs(without_bar - background).max(axis=2) > 10
    height, width = leg.shape
    leg[int(height * 0.85) :, int(width * 0.75) :] = False  # the legend's corner (its rows hidden with the leg)
    return bar_pixels, leg


@pytest.mark.parametrize("knee", [0.0, 90.0])
def test_the_colour_bar_covers_no_anatomy_in_the_standard_views(scene, knee):
    """The bar sat in the upper left corner always: over the thigh in a lateral view with the knee bent 90 degrees,
    over the calf in a lateral view with the knee straight. Read from pixels: the bar's are those that change when it
    is hidden, the leg's those that change when every structure is hidden (the legend's corner left out)."""
    scene.state.pose = Pose(knee_flexion=knee)
    scene.set_colour_by_stretch(True)
    for view in ("posterior", "anterior", "medial", "lateral"):
        scene.state.camera = view
        bar_pixels, leg = _bar_and_leg(scene)
        assert bar_pixels.sum() > 2000, f"no colour bar drawn ({view})"
        assert leg.sum() > 20000, f"no leg drawn ({view})"
        edges = bar_pixels[:2].any() or bar_pixels[-2:].any() or bar_pixels[:, :2].any() or bar_pixels[:, -2:].any()
        assert not edges, f"the colour bar is cut by the picture's edge ({view})"
        over = int((bar_pixels & leg).sum())
        assert over == 0, f"the colour bar covers {over} pixels of the leg (knee {knee:g}°, {view} view)"


def test_the_colour_bar_keeps_its_place_while_the_picture_moves_and_finds_a_clear_one_after(scene):
    """Placing the bar projects the leg (a few milliseconds), so while the picture is drawn for motion (a drag, a
    playing motion) the bar stays put; the still picture after it has the bar placed clear of the leg again."""
    scene.set_colour_by_stretch(True)
    scene.state.camera = "medial"
    bar = scene.stretch_colours.bar
    bar.SetPosition(0.03, 0.5)  # upper left, clear of the leg in the medial view with the knee straight
    scene.render()
    before = bar.GetPosition()
    scene.set_interactive(True)
    scene.state.camera = "lateral"  # where the upper left is over the calf
    scene.render()
    assert bar.GetPosition() == before  # kept while moving
    scene.set_interactive(False)
    scene.render()
    assert bar.GetPosition() != before  # placed again for the still


def test_the_colour_bar_text_is_as_big_to_the_eye_on_a_200_percent_screen():
    """A window at 200 % has twice the pixels each way (DPI 144): the bar's smallest text, kept in pixels, came out
    half the size the house reads as the least on a low 3D view there. 500 pixels high: 1/60 of it is 8, so the text
    is at its smallest at both scales."""
    from vtkmodules.vtkRenderingCore import vtkRenderer, vtkRenderWindow

    from calfviewer.scene.overlays import text_size
    from calfviewer.scene.stretch import StretchColours

    heights = {}
    for dpi in (72, 144):
        renderer = vtkRenderer()
        window = vtkRenderWindow()  # never drawn: it only tells the bar its DPI
        window.AddRenderer(renderer)
        window.SetDPI(dpi)
        colours = StretchColours(renderer, (1.0, 1.0, 1.0))
        colours.enabled = True
        colours.layout((600, 500), lambda box: 0.0)
        assert colours.left_out is None
        heights[dpi] = text_size(colours.bar.GetLabelTextProperty(), "1.10", dpi)[1]
    assert abs(heights[144] - 2 * heights[72]) <= 2, heights


def test_the_colour_bar_stands_beside_a_slice_seen_face_on(scene):
    # In the window's 3D view (752x790) a cut seen face on filled the picture, and the colour bar, with no corner
    # free, was drawn over the slice. With colours by stretch on, the face-on camera leaves room beside the slice.
    from calfviewer.viewer.section_plane import Section

    size = tuple(scene.plotter.window_size)
    scene.plotter.window_size = (752, 790)
    try:
        scene.set_colour_by_stretch(True)
        scene.state.section = Section("axial", 0.35)
        scene.state.camera = scene.section_camera()
        bar_pixels, leg = _bar_and_leg(scene)
    finally:
        scene.state.section = None
        scene.plotter.window_size = size
    assert bar_pixels.sum() > 2000 and leg.sum() > 20000
    over = int((bar_pixels & leg).sum())
    assert over == 0, f"the colour bar covers {over} pixels of the slice"
