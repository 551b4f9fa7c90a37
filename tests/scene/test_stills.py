"""Sharp stills: ``render --scale`` and ``--transparent``, the format picked by the suffix (PNG, JPEG, TIFF)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

from calfviewer.errors import CalfviewerError
from calfviewer.scene.anatomy_scene import AnatomyScene
from calfviewer.scene.outputs import image_bytes
from calfviewer.scene.render import make_plotter
from calfviewer.viewer.view_state import LAYERS, ViewState


@pytest.fixture
def loaded_once(monkeypatch, geometry):
    monkeypatch.setattr("calfviewer.geometry.load_scene_geometry", lambda model: geometry)


def test_render_scale_2_transparent_is_twice_the_size_with_a_clear_background(run_cli, tmp_path, loaded_once):
    out = tmp_path / "sharp.png"
    code, stdout, err = run_cli(
        "render", "--out", str(out), "--size", "96x128", "--scale", "2", "--transparent", "--view", "posterior"
    )
    assert code == 0, err and stdout.strip() == str(out)
    image = np.asarray(Image.open(out))
    assert image.shape == (256, 192, 4)
    assert image[0, 0, 3] == 0 and image[-1, 0, 3] == 0  # the corners are background: see-through
    assert image[128, 96, 3] == 255  # the middle of the leg is solid
    assert 0.05 < (image[..., 3] == 255).mean() < 0.8  # a tall leg in a frame with room around it


def test_render_to_tiff_keeps_transparency(run_cli, tmp_path, loaded_once):
    out = tmp_path / "sharp.tiff"
    code, _, err = run_cli("render", "--out", str(out), "--size", "64x96", "--transparent")
    assert code == 0, err
    picture = Image.open(out)
    assert picture.format == "TIFF" and picture.mode == "RGBA" and picture.size == (64, 96)
    assert np.asarray(picture)[0, 0, 3] == 0


def test_an_opaque_render_has_the_window_background(run_cli, tmp_path, loaded_once):
    out = tmp_path / "plain.tif"
    code, _, err = run_cli("render", "--out", str(out), "--size", "64x96", "--scale", "3")
    assert code == 0, err
    picture = Image.open(out)
    assert picture.format == "TIFF" and picture.mode == "RGB" and picture.size == (192, 288)


@pytest.mark.parametrize(
    ("name", "args", "says"),
    [
        ("x.jpg", ["--transparent"], "JPEG has no transparency"),
        ("x.bmp", [], "must end in .png, .jpg, .jpeg, .tif or .tiff"),
        ("x.png", ["--scale", "5"], "invalid choice"),
    ],
)
def test_bad_still_options_are_one_line(run_cli, tmp_path, name, args, says):
    code, stdout, err = run_cli("render", "--out", str(tmp_path / name), *args)
    assert code == 2 and stdout == "" and err.count("\n") == 1 and says in err, err
    assert list(tmp_path.iterdir()) == []


def test_scene_screenshot_scale_and_transparency_leave_the_window_as_it_was(plotter, geometry, model, catalogue):
    scene = AnatomyScene(plotter, geometry, model, catalogue, ViewState(catalogue=catalogue))
    try:
        before = scene.screenshot()
        sharp = scene.screenshot(scale=2, transparent=True)
        after = scene.screenshot()
    finally:
        scene.close()
    assert sharp.shape == (2 * before.shape[0], 2 * before.shape[1], 4)
    assert sharp[0, 0, 3] == 0
    assert np.array_equal(before, after)  # the gradient background and the window's alpha are put back


@pytest.mark.parametrize("transparent", [False, True])
def test_an_off_screen_plotter_s_first_still_is_drawn_once(geometry, model, catalogue, transparent):
    """pyvista draws a plotter never shown once more at its first screenshot; the scene drew with the window's own
    Render() first, so every off-screen plotter's first still (each `calfviewer render`, a movie's first frame, the
    first bookmark thumbnail) was drawn twice. The picture is the same as a still drawn later."""
    from vtkmodules.vtkCommonCore import vtkCommand

    from calfviewer.scene.gl_driver import render_window

    plotter = make_plotter((240, 320), deterministic=True)
    scene = AnatomyScene(plotter, geometry, model, catalogue, ViewState(catalogue=catalogue), legend=False)
    renders: list[int] = []
    render_window(plotter).AddObserver(vtkCommand.StartEvent, lambda *_: renders.append(1))
    try:
        first = scene.screenshot(transparent=transparent)
        firsts = len(renders)
        later = scene.screenshot(transparent=transparent)
    finally:
        scene.close()
        plotter.close()
    assert firsts == 1, f"the first still was drawn {firsts} times"
    assert len(renders) == 2 and np.array_equal(first, later)


@pytest.mark.parametrize("overlay", ["labels", "colour bar"])
def test_a_scaled_still_keeps_its_overlays_where_the_window_has_them(geometry, model, catalogue, overlay):
    # Tiled drawing reports the whole picture's size to the overlays while each tile is drawn; laid out per tile,
    # the names came out twice their size and shifted off their leaders (most of them off the picture).
    state = ViewState(catalogue=catalogue)
    state.camera = "lateral"
    plotter = make_plotter((480, 640), deterministic=True)  # its own: a closed scene leaves its actors on its plotter
    scene = AnatomyScene(plotter, geometry, model, catalogue, state)
    if overlay == "colour bar":
        state.layer_visible = dict.fromkeys(LAYERS, False)  # the bar alone

    def show(on: bool) -> None:
        if overlay == "labels":
            state.labels = on
        else:
            scene.set_colour_by_stretch(on)

    try:
        show(True)
        window, sharp, again = scene.screenshot(), scene.screenshot(scale=2), scene.screenshot()
        show(False)
        window_without, sharp_without = scene.screenshot(), scene.screenshot(scale=2)
    finally:
        scene.close()
        plotter.close()
    drawn = np.abs(window.astype(int) - window_without).max(axis=2) > 40  # the overlay's pixels in the window
    sharp_drawn = np.abs(sharp.astype(int) - sharp_without).max(axis=2) > 40
    height, width = drawn.shape
    pooled = sharp_drawn.reshape(height, 2, width, 2).any(axis=(1, 3))  # the still's overlay, at the window's pixels
    near_pooled = ndimage.binary_dilation(pooled, iterations=2)
    near_drawn = ndimage.binary_dilation(drawn, iterations=2)
    assert drawn.sum() > 200  # the overlay is drawn at all
    assert (drawn & near_pooled).sum() / drawn.sum() > 0.8  # what the window shows is in the still too...
    assert (pooled & near_drawn).sum() / pooled.sum() > 0.8  # ...and what the still shows is where the window has it
    assert np.array_equal(window, again)  # and the window is drawn as it was


def test_a_scaled_still_draws_the_colour_bar_as_the_window_does_only_larger(geometry, model, catalogue):
    """In a 480x360 window the bar's text is held at its smallest size (height / 60 is 6 pixels); a 2x still laid it
    out as a window of 960x720 (height / 60: 12 pixels, above the smallest), so its title, numbers and words came out
    half as big as the window's, scaled, and the bar moved (the legend likewise). Now the still is the window's bar,
    twice as big: the box its pixels take is the window's, doubled."""
    state = ViewState(catalogue=catalogue)
    state.camera = "lateral"
    state.layer_visible = dict.fromkeys(LAYERS, False)  # the bar alone
    plotter = make_plotter((480, 360), deterministic=True)
    scene = AnatomyScene(plotter, geometry, model, catalogue, state)
    try:
        scene.set_colour_by_stretch(True)
        window, sharp = scene.screenshot(), scene.screenshot(scale=2)
        scene.set_colour_by_stretch(False)
        window_without, sharp_without = scene.screenshot(), scene.screenshot(scale=2)
    finally:
        scene.close()
        plotter.close()

    def box(picture: np.ndarray, without: np.ndarray) -> np.ndarray:
        rows, cols = np.nonzero(np.abs(picture.astype(int) - without).max(axis=2) > 40)
        return np.array([cols.min(), rows.min(), cols.max() + 1, rows.max() + 1], dtype=float)

    in_window, in_still = box(window, window_without), box(sharp, sharp_without)
    assert in_window[2] - in_window[0] > 80  # the bar and its words are drawn
    assert np.abs(in_still - 2 * in_window).max() <= 12, (in_window * 2, in_still)  # text metrics: not quite linear


def test_an_rgba_picture_is_refused_as_jpeg(tmp_path):
    with pytest.raises(CalfviewerError, match="JPEG has no transparency"):
        image_bytes(np.zeros((4, 4, 4), np.uint8), tmp_path / "x.jpeg")
