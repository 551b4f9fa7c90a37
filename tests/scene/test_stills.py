"""Sharp stills: ``render --scale`` and ``--transparent``, the format picked by the suffix (PNG, JPEG, TIFF)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from calfviewer.errors import CalfviewerError
from calfviewer.scene.anatomy_scene import AnatomyScene
from calfviewer.scene.outputs import image_bytes
from calfviewer.viewer.view_state import ViewState


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


def test_an_rgba_picture_is_refused_as_jpeg(tmp_path):
    with pytest.raises(CalfviewerError, match="JPEG has no transparency"):
        image_bytes(np.zeros((4, 4, 4), np.uint8), tmp_path / "x.jpeg")
