"""Every quiz answer can be reached by a click in the scene the window draws, and the quiz's patch and names show.

A click question's answer must be a structure the scene draws and a pick can return: from one of the standard
views, with at most the layers above it hidden (what a student does with the tree's checkboxes), some pixel picks
it. Checked over the answers of many seeds' rounds, in the real scene built from ``meshes/``.
"""

from __future__ import annotations

import numpy as np
import pytest

from calfviewer.anatomy.quiz import make_round
from calfviewer.geometry.quiz_targets import stored_targets
from calfviewer.scene.anatomy_scene import AnatomyScene
from calfviewer.scene.render import make_plotter
from calfviewer.viewer.view_state import LAYERS, VIEWS, Camera, ViewState

SEEDS = range(200)


@pytest.fixture(scope="module")
def scene(geometry, model, catalogue):
    plotter = make_plotter((640, 800), deterministic=True)
    scene = AnatomyScene(plotter, geometry, model, catalogue, ViewState(catalogue=catalogue))
    yield scene
    scene.close()
    plotter.close()


def reachable(scene: AnatomyScene, structure_id: str) -> tuple[str, tuple[str, ...]] | None:
    """(view, layers hidden) from which a pick finds ``structure_id``, peeling the layers above it one by one."""
    state = scene.state
    layer = state.layer_of(structure_id)
    above = [name for name in LAYERS[1:] if LAYERS.index(name) < LAYERS.index(layer)]
    for peeled in range(len(above) + 1):
        state.apply(ViewState(catalogue=scene.catalogue))
        for name in above[:peeled]:
            state.set_visible(name, False)
        for view in VIEWS:
            state.camera = Camera.named(view)
            scene.render()
            point = scene.visible_point(structure_id)
            if point is not None and scene.pick(*point) == structure_id:
                return view, tuple(above[:peeled])
    return None


def test_every_click_answer_can_be_picked(scene, catalogue):
    targets = stored_targets()
    answers = {q.answer for seed in SEEDS for q in make_round(catalogue, targets, seed).questions if q.by_click}
    assert len(answers) >= 5
    for answer in sorted(answers):
        assert answer in scene.structure_ids
        assert reachable(scene, answer) is not None, f"{answer} cannot be clicked from any standard view"
    scene.state.apply(ViewState(catalogue=catalogue))


def test_the_highlighted_attachment_is_the_only_patch_shown(scene, catalogue):
    targets = stored_targets()
    question = next(
        q for seed in SEEDS for q in make_round(catalogue, targets, seed).questions if q.kind == "attachment"
    )
    h = question.highlight
    scene.state.apply(ViewState(catalogue=catalogue))
    scene.highlight_attachment((h.structure_id, h.role, h.index))
    try:
        shown = [(f.structure_id, f.role, f.index) for f, actor in scene.footprint_actors() if actor.visibility]
        assert shown == [(h.structure_id, h.role, h.index)]
        assert scene.state.selection is None  # nothing selected, so nothing names the answer
    finally:
        scene.highlight_attachment(None)
    assert not any(actor.visibility for _, actor in scene.footprint_actors())


def test_labels_follow_the_name_style(scene, catalogue):
    scene.state.apply(ViewState(catalogue=catalogue))
    scene.state.labels = True
    try:
        scene.set_names("latin")
        scene.render()
        assert scene.labels.text("soleus") == "Musculus soleus"
        assert "soleus" in scene.labels.shown()
        scene.set_names("english")
        assert scene.labels.text("soleus") == "Soleus"
        with pytest.raises(ValueError, match="english, latin"):
            scene.set_names("klingon")
    finally:
        scene.state.labels = False


def test_render_labels_in_latin_differ_from_english(tmp_path):
    from PIL import Image

    from calfviewer.scene.render import RenderRequest, render
    from calfviewer.scene.view_flags import ViewFlags

    pictures = {}
    for names in ("english", "latin"):
        look = ViewFlags(labels=True, names=names)
        out = render(RenderRequest(out=str(tmp_path / f"{names}.png"), size="400x500", look=look))
        pictures[names] = np.asarray(Image.open(out).convert("RGB"), dtype=int)
    differs = np.abs(pictures["english"] - pictures["latin"]).sum(axis=2) > 60
    assert differs.sum() > 500  # the label text changed
    # ... and only the labels: the leg itself (the middle of the picture) is the same.
    assert differs[:, 170:230].sum() < differs.sum() / 4
