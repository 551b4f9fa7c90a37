"""The cross-section off screen: clipped structures, caps in each structure's colour that fill the whole cut,
planes placed in the leg's frame, picks through the cut, and ``render --section``."""

from __future__ import annotations

import numpy as np
import pytest
import trimesh
from PIL import Image

from calfviewer.musculoskeletal import Pose
from calfviewer.scene import materials
from calfviewer.scene.stretch import stretch_colours
from calfviewer.viewer.camera import Camera
from calfviewer.viewer.section_plane import Section

#: This module's scene is drawn without the legend (tests/scene/conftest.py).
LEGEND = False


def _world(scene, structure_id: str, points: np.ndarray) -> np.ndarray:
    matrix = scene.actor(structure_id).GetUserMatrix()
    if matrix is None:
        return points
    m = np.array(matrix.GetData()).reshape(4, 4)
    return points @ m[:3, :3].T + m[:3, 3]


def _cap_area(scene, structure_id: str) -> float:
    poly = scene.section.cap_actor(structure_id).mapper.dataset
    return float(poly.compute_cell_sizes(length=False, volume=False)["Area"].sum())


def _inner_point(scene, structure_id: str) -> np.ndarray:
    """World centre of the cap's largest triangle that no other cap covers: inside the cap whatever its outline's
    shape, and where only it is drawn (a tendon tail runs inside the calcaneal tendon by design, so their caps can
    overlap; a point in both is the other's if that is the smaller, as the picker's rule says)."""
    poly = scene.section.cap_actor(structure_id).mapper.dataset.triangulate()
    sizes = poly.compute_cell_sizes(length=False, volume=False)["Area"]
    centres = [
        _world(scene, structure_id, np.asarray(poly.points)[poly.regular_faces[cell]].mean(axis=0))
        for cell in np.argsort(sizes)[::-1]
    ]
    return next((c for c in centres if scene.section.caps_at(c) == (structure_id,)), centres[0])


def test_an_axial_cut_caps_the_bones_and_muscles_it_crosses(scene, state):
    state.section = Section("axial", 0.35)
    capped = set(scene.section.capped())
    assert {"tibia", "fibula", "soleus", "gastrocnemius_medial_head", "tibialis_posterior"} <= capped
    assert not capped & {"femur", "calcaneus", "talus", "popliteus"}  # above or below the cut
    state.section = None
    assert scene.section.capped() == ()
    assert scene.actor("tibia").mapper.GetClippingPlanes().GetNumberOfItems() == 0


def _area_inside(segments: np.ndarray, normal: np.ndarray, samples: int = 300) -> float:
    """The area inside closed outlines (segments (K, 2, 3) on a plane), by the even-odd rule on a grid of points:
    an independent count of what a cap should cover, holes excluded."""
    u = np.cross(normal, [1.0, 0.0, 0.0] if abs(normal[0]) < 0.9 else [0.0, 1.0, 0.0])
    u /= np.linalg.norm(u)
    v = np.cross(normal, u)
    a = np.stack([segments[:, 0] @ u, segments[:, 0] @ v], axis=1)
    b = np.stack([segments[:, 1] @ u, segments[:, 1] @ v], axis=1)
    low = np.minimum(a, b).min(axis=0)
    high = np.maximum(a, b).max(axis=0)
    xs = low[0] + (np.arange(samples) + 0.5) / samples * (high[0] - low[0])
    ys = low[1] + (np.arange(samples) + 0.5) / samples * (high[1] - low[1])
    inside = np.zeros((samples, samples), dtype=bool)
    for (ax, ay), (bx, by) in zip(a, b, strict=True):  # a ray to +x from each point crosses this segment?
        if ay == by:
            continue
        rows = (np.minimum(ay, by) <= ys) & (ys < np.maximum(ay, by))
        if not rows.any():
            continue
        cross_x = ax + (ys[rows] - ay) * (bx - ax) / (by - ay)
        inside[rows] ^= xs[None, :] < cross_x[:, None]
    return float(inside.mean() * (high[0] - low[0]) * (high[1] - low[1]))


@pytest.mark.parametrize("section", [Section("axial", 0.35), Section("axial", 0.6), Section("sagittal", 0.5),
                                     Section("coronal", 0.55)])  # fmt: skip
def test_caps_fill_the_whole_cut_without_holes(scene, state, section):
    """Each cap's area equals the area inside the mesh's outline on that plane (found by trimesh and counted on a
    grid): a cap that bridged a concave notch would be larger, one with a hole smaller."""
    state.section = section
    origin, normal = scene.section_plane()
    checked = 0
    for sid in scene.section.capped():
        poly = scene.actor(sid).mapper.dataset
        mesh = trimesh.Trimesh(np.asarray(poly.points, dtype=float), poly.regular_faces, process=False)
        m = scene.actor(sid).GetUserMatrix()
        o, n = origin, normal
        if m is not None:
            matrix = np.array(m.GetData()).reshape(4, 4)
            o, n = matrix[:3, :3].T @ (origin - matrix[:3, 3]), matrix[:3, :3].T @ normal
        segments = trimesh.intersections.mesh_plane(mesh, n, o)
        if len(segments) < 8:
            continue
        expected = _area_inside(np.asarray(segments), n)
        if expected < 40e-6:  # under 40 mm²: too few grid points for a 3% check
            continue
        assert _cap_area(scene, sid) == pytest.approx(expected, rel=0.03), sid
        checked += 1
    assert checked >= 4


def test_caps_show_in_the_structures_colours_where_the_cut_is(scene, state):
    state.section = Section("axial", 0.35)
    state.camera = scene.section_camera()
    image = scene.screenshot()
    for sid, colour in (("tibia", materials.BONE.color), ("soleus", materials.MUSCLE.color)):
        x, y = scene.to_display(_inner_point(scene, sid))
        row, col = image.shape[0] - 1 - round(y), round(x)
        assert np.abs(image[row, col].astype(float) - 255 * np.asarray(colour)).max() <= 3, sid
        assert scene.pick(x, y) == sid  # a click on a cap picks its structure, not what was cut away


def _pixel(scene, image: np.ndarray, structure_id: str) -> np.ndarray:
    x, y = scene.to_display(_inner_point(scene, structure_id))
    return image[image.shape[0] - 1 - round(y), round(x)].astype(float)


def test_a_cut_through_a_muscle_s_own_tendon_is_capped_in_the_tendon_colour(scene, state):
    """Just above the ankle (92 % of the way down) tibialis anterior, tibialis posterior, flexor digitorum longus,
    extensor digitorum longus and the two fibulares are tendons (their bellies end higher, in the lower third:
    Gray's Anatomy 42e; the app draws those tendons white), and the slice shows them as tendon, as it shows the
    calcaneal tendon: they were capped muscle red, as if their bellies reached the malleoli. The bellies cut higher up
    stay muscle red, and a selected tendon its highlight."""
    tendon = 255 * np.clip(np.asarray(materials.TENDON.color) * materials.TENDON_SHEEN, 0.0, 1.0)
    state.section = Section("axial", 0.92)
    state.camera = scene.section_camera()
    image = scene.screenshot()
    tendons = ("tibialis_anterior", "tibialis_posterior", "flexor_digitorum_longus", "extensor_digitorum_longus")
    for sid in (*tendons, "fibularis_longus", "fibularis_brevis"):
        assert np.abs(_pixel(scene, image, sid) - tendon).max() <= 6, sid
    calcaneal = _pixel(scene, image, "calcaneal_tendon")
    assert np.abs(calcaneal - 255 * np.asarray(materials.TENDON.color)).max() <= 3
    state.select("tibialis_anterior")
    image = scene.screenshot()
    assert np.abs(_pixel(scene, image, "tibialis_anterior") - 255 * np.asarray(materials.SELECTION.color)).max() <= 3
    state.select(None)
    state.section = Section("axial", 0.35)
    state.camera = scene.section_camera()
    image = scene.screenshot()
    for sid in ("tibialis_anterior", "tibialis_posterior", "flexor_digitorum_longus", "fibularis_longus"):
        assert np.abs(_pixel(scene, image, sid) - 255 * np.asarray(materials.MUSCLE.color)).max() <= 3, sid


def test_caps_take_the_stretch_colours_and_give_them_back(scene, state, model):
    """With colour by stretch each muscle's cap is its surface's stretch colour (expected from the model's lengths,
    as ``calfviewer measure`` gives them), whichever is switched first, and tissue red again when it is off."""
    pose = Pose(plantarflexion=40.0)  # the triceps surae shortened: the blue end of the map, far from muscle red
    state.pose = pose
    neutral = model.pose(Pose())
    try:
        for stretch_first in (False, True):
            if stretch_first:
                scene.set_colour_by_stretch(True)
            state.section = Section("axial", 0.35)
            state.camera = scene.section_camera()
            scene.set_colour_by_stretch(True)
            image = scene.screenshot()
            for sid in ("soleus", "gastrocnemius_medial_head", "flexor_hallucis_longus"):
                ratio = model.pose(pose).muscles[sid].length / neutral.muscles[sid].length
                expected = 255 * stretch_colours([ratio])[0]
                assert np.abs(_pixel(scene, image, sid) - expected).max() <= 3, (sid, stretch_first)
            soleus = _pixel(scene, image, "soleus")
            assert soleus[2] > soleus[0] + 40  # shortened reads blue, not the tissue red it had
            assert np.abs(_pixel(scene, image, "tibia") - 255 * np.asarray(materials.BONE.color)).max() <= 3
            scene.set_colour_by_stretch(False)
            image = scene.screenshot()
            for sid in ("soleus", "gastrocnemius_medial_head"):
                assert np.abs(_pixel(scene, image, sid) - 255 * np.asarray(materials.MUSCLE.color)).max() <= 3, sid
            state.section = None
    finally:
        scene.set_colour_by_stretch(False)


def test_a_section_changes_the_picture_and_the_cut_part_is_gone(scene, state):
    state.camera = "anterior"
    whole = scene.screenshot()
    x, y = scene.to_display(scene.world_centre("tibia"))
    assert scene.pick(x, y) == "tibia"
    state.section = Section("coronal", 0.6)  # seen from the front, as a coronal cut is: the front cut away
    cut = scene.screenshot()
    assert np.abs(whole.astype(int) - cut.astype(int)).sum(axis=2).astype(bool).mean() > 0.05
    # 60% of the way back the plane lies behind the whole tibia: it is cut away, not capped, and where its middle
    # was, the flat cap of a calf muscle shows and is what a click picks.
    assert "tibia" not in scene.section.capped()
    picked = scene.pick(x, y)
    assert picked in scene.section.capped() and scene.catalogue.get(picked).kind == "muscle"
    # The cap's flat muscle colour (lit surfaces never match it this closely) fills at least a quarter of the pixels
    # round that point: the point itself may fall on the dark outline drawn round a cap (the soleus's, whose cut is
    # C-shaped here, has its inner edge 1 px from it).
    row, col = cut.shape[0] - 1 - round(y), round(x)
    patch = cut[row - 4 : row + 5, col - 4 : col + 5].reshape(-1, 3).astype(float)
    flat = np.abs(patch - 255 * np.asarray(materials.MUSCLE.color)).max(axis=1) <= 3
    assert flat.mean() >= 0.25, (
        f"{flat.mean():.0%} of the 9 x 9 pixels round the tibia's middle are the muscle cap colour"
    )


def test_a_hidden_structure_has_no_cap_and_a_selected_one_a_highlighted_cap(scene, state):
    state.section = Section("axial", 0.4)
    state.set_visible("soleus", False)
    assert "soleus" not in scene.section.capped()
    state.set_visible("soleus", True)
    state.select("tibia")
    assert tuple(scene.section.cap_actor("tibia").prop.color)[:3] == pytest.approx(materials.SELECTION.color)


def test_standard_planes_sit_at_their_fraction_of_the_leg(scene, state, geometry, model):
    """axial@0 meets the top of the tibia and axial@1 its lowest point; sagittal@0 and @1 touch the leg's medial
    and lateral edges (the right leg's medial side is +x in the world)."""
    tibia_body = model.pose(Pose()).body_transforms["tibia"]
    tibia = np.asarray(geometry.bones["tibia"].vertices) @ tibia_body[:3, :3].T + tibia_body[:3, 3]
    for position, height in ((0.0, tibia[:, 2].max()), (1.0, tibia[:, 2].min())):
        state.section = Section("axial", position)
        origin, normal = scene.section_plane()
        assert normal @ np.array([0, 0, -1.0]) > 0.99  # seen from below: the foot side is cut away
        assert origin[2] == pytest.approx(height, abs=0.002)
    state.section = Section("sagittal", 0.0)
    medial_x = scene.section_plane()[0][0]
    state.section = Section("sagittal", 1.0)
    lateral_x = scene.section_plane()[0][0]
    assert medial_x > lateral_x
    # The leg's lateral edge is the lateral head of gastrocnemius at rest (soft tissue is stored in the world frame at
    # rest); compared with the soleus's, as before, the 3 cm allowed was used up once the soleus moved 0.7 mm.
    lateral_edge = min(tibia[:, 0].min(), *(np.asarray(mesh.vertices)[:, 0].min() for mesh in geometry.soft.values()))
    assert lateral_x == pytest.approx(lateral_edge, abs=0.005)


def test_the_plane_moves_with_the_leg_when_the_knee_bends(scene, state):
    state.section = Section("axial", 0.5)
    straight = scene.section_plane()
    tibia_straight = scene.pose_result().body_transforms["tibia"]
    state.pose = Pose(knee_flexion=60)
    bent = scene.section_plane()
    tibia_bent = scene.pose_result().body_transforms["tibia"]
    local = [np.linalg.solve(t[:3, :3], p[0] - t[:3, 3]) for t, p in ((tibia_straight, straight), (tibia_bent, bent))]
    assert np.allclose(local[0], local[1], atol=1e-9)
    assert not np.allclose(straight[0], bent[0], atol=0.01)
    assert "tibia" in scene.section.capped()


def test_render_section_writes_a_cut_that_differs_from_the_whole_leg(run_cli, tmp_path, monkeypatch, geometry):
    monkeypatch.setattr("calfviewer.geometry.load_scene_geometry", lambda model: geometry)
    pictures = {}
    for name, extra in (("whole", ["--view", "posterior"]), ("cut", ["--section", "coronal@0.5"]),
                        ("axial", ["--section", "axial@0.35"])):  # fmt: skip
        out = tmp_path / f"{name}.png"
        code, _, err = run_cli("render", "--out", str(out), "--size", "240x300", *extra)
        assert code == 0, err
        pictures[name] = np.asarray(Image.open(out))[..., :3].astype(int)
    assert np.abs(pictures["whole"] - pictures["cut"]).sum(axis=2).astype(bool).mean() > 0.05
    # Face on at axial@0.35 the picture is mostly caps: flat bone and muscle colours fill much of it.
    flat = pictures["axial"].reshape(-1, 3)
    muscle = np.abs(flat - 255 * np.asarray(materials.MUSCLE.color)).max(axis=1) <= 3
    bone = np.abs(flat - 255 * np.asarray(materials.BONE.color)).max(axis=1) <= 3
    assert muscle.mean() > 0.1 and bone.mean() > 0.002


@pytest.mark.parametrize(
    ("value", "says"),
    [("axial@1.2", "outside 0 to 1"), ("oblique@0.5", "'oblique' is unknown"), ("axial", "PLANE@FRACTION"),
     ("sagittal@x", "PLANE@FRACTION")],
)  # fmt: skip
def test_bad_section_values_are_one_line_and_exit_2(run_cli, tmp_path, value, says):
    out = tmp_path / "x.png"
    code, stdout, err = run_cli("render", "--out", str(out), "--section", value)
    assert code == 2 and stdout == "" and not out.exists()
    assert err.count("\n") == 1 and says in err, err


def test_render_section_in_stretch_colours_has_no_tissue_red_caps(run_cli, tmp_path, monkeypatch, geometry):
    """``render --colour-by stretch --section axial@0.35`` at 40 degrees of plantarflexion: the caps are drawn in
    the stretch map's blue, not muscle red (which covers a quarter of the tissue picture; the stretch picture frames
    the slice smaller, leaving room for its colour bar beside it, so blue covers a twentieth of it or more)."""
    monkeypatch.setattr("calfviewer.geometry.load_scene_geometry", lambda model: geometry)
    shares = {}
    for colour_by in ("tissue", "stretch"):
        out = tmp_path / f"{colour_by}.png"
        code, _, err = run_cli(
            "render", "--out", str(out), "--size", "240x300", "--section", "axial@0.35", "--plantarflexion", "40",
            "--colour-by", colour_by,
        )  # fmt: skip
        assert code == 0, err
        flat = np.asarray(Image.open(out).convert("RGB")).reshape(-1, 3).astype(int)
        red = np.abs(flat - 255 * np.asarray(materials.MUSCLE.color)).max(axis=1) <= 3
        blue = (flat[:, 2] > flat[:, 0] + 60) & (flat[:, 2] > flat[:, 1] + 30)
        shares[colour_by] = (float(red.mean()), float(blue.mean()))
    assert shares["tissue"][0] > 0.1 and shares["tissue"][1] < 0.01, shares
    assert shares["stretch"][0] < 0.005 and shares["stretch"][1] > 0.05, shares


def _cap_on_screen(scene, structure_id: str) -> np.ndarray:
    """The cap's triangles in display pixels ``(T, 3, 2)``."""
    poly = scene.section.cap_actor(structure_id).mapper.dataset.triangulate()
    corners = _world(scene, structure_id, np.asarray(poly.points))
    pixels = np.array([scene.to_display(p) for p in corners])
    return pixels[poly.regular_faces]


def _inside(triangles: np.ndarray, x: float, y: float) -> bool:
    a, b, c = triangles[:, 0], triangles[:, 1], triangles[:, 2]

    def side(p, q):
        return (q[:, 0] - p[:, 0]) * (y - p[:, 1]) - (q[:, 1] - p[:, 1]) * (x - p[:, 0])

    s1, s2, s3 = side(a, b), side(b, c), side(c, a)
    return bool(np.any(((s1 >= 0) & (s2 >= 0) & (s3 >= 0)) | ((s1 <= 0) & (s2 <= 0) & (s3 <= 0))))


@pytest.mark.parametrize("position", [0.35, 0.45, 0.6])
def test_a_click_on_a_cap_picks_the_structure_cut_there(scene, state, position):
    # Seen face on, a ray through a cap runs inside the cut structure from the plane on; where two muscles touch at
    # the cut (tibialis posterior and flexor digitorum longus at 45 %), the first surface beyond the plane can be the
    # neighbour's. What is drawn at the pixel is the cap, and a click must pick it.
    state.section = Section("axial", position)
    state.camera = scene.section_camera()
    scene.screenshot()
    wrong = {}
    for sid in scene.section.capped():
        x, y = scene.to_display(_inner_point(scene, sid))
        if scene.pick(x, y) != sid:
            wrong[sid] = scene.pick(x, y)
    state.section = None
    assert not wrong, f"clicks on these caps pick another structure: {wrong}"


def test_labels_of_cut_structures_point_at_their_caps(scene, state):
    # With the leg cut, a student reads the section: each cut structure's leader ends on its own cut face, not on
    # a neighbour's cap nor on a part cut away.
    state.section = Section("axial", 0.45)
    state.camera = scene.section_camera()
    state.labels = True
    scene.screenshot()
    off = []
    for sid in scene.section.capped():
        anchor = scene.visible_point(sid)
        if anchor is None or not _inside(_cap_on_screen(scene, sid), *anchor):
            off.append(sid)
    state.section = None
    state.labels = False
    assert not off, f"these labels do not end on their structure's cap: {off}"


@pytest.mark.parametrize("position", [0.7, 0.8, 0.92])
def test_a_thread_cut_is_no_cap_and_no_name_lands_on_another_s_cut(scene, state, position):
    """Below their bellies the gastrocnemius heads' tendon tails are threads (0.05 mm across) running inside the
    soleus and the calcaneal tendon. Cut, each gave a cap of a speck that no one sees, and the labels named the head
    there: "Gastrocnemius, medial head" pointed at the calcaneal tendon's cut at 80 and 92 % of the leg and into the
    soleus at 70 %. A shown cap is at least half a millimetre across, and a head's name, where it is drawn, ends on
    something of the head seen beyond the cut, not on the calcaneal tendon's or the soleus's cap."""
    state.section = Section("axial", position)
    state.camera = scene.section_camera()
    state.labels = True
    scene.screenshot()
    try:
        capped = scene.section.capped()
        assert {"calcaneal_tendon", "plantaris", "soleus"} <= set(capped)
        for sid in capped:
            low, high = np.array(scene.section.cap_actor(sid).mapper.dataset.bounds).reshape(3, 2).T
            assert (high - low).max() >= 5e-4, (sid, high - low)
        others = [_cap_on_screen(scene, sid) for sid in ("calcaneal_tendon", "soleus")]
        for head in ("gastrocnemius_medial_head", "gastrocnemius_lateral_head"):
            anchor = scene.visible_point(head)
            if anchor is not None:
                assert not any(_inside(cap, *anchor) for cap in others), head
    finally:
        state.section = None
        state.labels = False


def test_what_a_pick_and_a_label_read_of_the_caps_follows_the_cut_as_it_moves(scene, state):
    # The caps' triangles and the points labels end on are gathered once per cut and kept for the picks that follow;
    # a cut moved along the leg, or carried by a bent knee, must be read afresh, not from the last cut.
    capped = {}
    for position, knee in ((0.35, 0.0), (0.6, 0.0), (0.6, 60.0)):
        state.section = Section("axial", position)
        state.pose = Pose(knee_flexion=knee)
        origin, normal = scene.section_plane()
        capped[(position, knee)] = scene.section.capped()
        for sid in scene.section.capped():
            point = scene.section.inner_point(sid)
            assert abs(float((point - origin) @ normal)) < 1e-6, (sid, position, knee)  # on this cut
            assert sid in scene.section.caps_at(point), (sid, position, knee)
    state.section = None
    assert all(len(found) >= 5 for found in capped.values())
    assert "soleus" in capped[(0.35, 0.0)] and "soleus" in capped[(0.6, 60.0)]


@pytest.mark.parametrize("plane", ["axial", "coronal"])
def test_names_stand_beside_a_slice_seen_face_on(scene, state, plane):
    # A cut seen face on filled the picture and its names were written over the slice (the medial head's name on
    # its own cap, its leader a few pixels long): the slice reaches past the points the names lead to, and there is
    # no free space round it. With labels on, the face-on camera leaves room beside the slice, and the columns of
    # names stand past its edges, as an atlas prints a section.
    size = tuple(scene.plotter.window_size)
    scene.plotter.window_size = (1200, 800)
    try:
        state.section = Section(plane, 0.35)
        state.labels = True
        state.camera = scene.section_camera()
        scene.render()
        state.labels = False
        leg = scene.screenshot(transparent=True)[..., 3] > 0  # image rows from the top
        state.labels = True
        scene.render()
        shown = scene.labels.shown()
        font = scene.labels.text_properties()[0].GetFontSize()
        over = {}
        for sid, (_, y) in shown.items():
            x0, x1 = scene.labels.horizontal_extent(sid)
            rows = slice(max(0, round(800 - y - font / 2)), round(800 - y + font / 2))
            share = float(leg[rows, max(0, round(x0)) : round(x1)].mean())
            if share > 0.02:
                over[sid] = round(share, 2)
    finally:
        state.section = None
        state.labels = False
        scene.plotter.window_size = size
        scene.render()
    assert len(shown) >= 12, f"too few names to check: {sorted(shown)}"
    assert not over, f"names written over the {plane} slice: {over}"


def test_a_slice_seen_face_on_keeps_its_names_in_two_columns(scene, state):
    # In a small 3D view (392x586: the window at 1024x700) the long names do not fit beside the slice, and names
    # were spread in the free space round it, as a leg lying across the picture has them (each above or below its
    # point, its leader from the middle of its top or bottom): their leaders ran across the slice and each other.
    # Face on, the names stay in two columns, each leader leaving its name's end at the name's middle height.
    size = tuple(scene.plotter.window_size)
    scene.plotter.window_size = (392, 586)
    scene.legend.enabled = True  # as in the window: the right column keeps above the legend's corner
    try:
        state.section = Section("axial", 0.35)
        state.labels = True
        state.camera = scene.section_camera()
        scene.render()
        names = {sid: (*scene.labels.horizontal_extent(sid), y) for sid, (_, y) in scene.labels.shown().items()}
        lines = scene.labels.leaders.GetMapper().GetInput()
        starts = [lines.GetPoint(i)[:2] for i in range(0, lines.GetNumberOfPoints(), 2)]  # from a name's text
    finally:
        state.section = None
        state.labels = False
        scene.legend.enabled = False
        scene.plotter.window_size = size
        scene.render()
    # The names that cannot fit beside the slice even shortened are left out now (test_labels), not written over it.
    assert len(names) >= 8, f"too few names to check: {sorted(names)}"
    assert len(starts) == len(names)
    beside = [
        (x, y)
        for x, y in starts
        if any(abs(y - ty) < 1.0 and min(abs(x - left), abs(x - right)) <= 5.0 for left, right, ty in names.values())
    ]
    assert len(beside) == len(starts), f"leaders not from a name's end: {sorted(set(starts) - set(beside))}"


def _world_points(scene, structure_id: str) -> np.ndarray:
    return _world(scene, structure_id, np.asarray(scene.item(structure_id).poly.points, dtype=float))


CUTS = [
    (Section("axial", 0.35), Pose(), "posterior"),
    (Section("coronal", 0.3), Pose(plantarflexion=30.0), "anterior"),
    (Section("sagittal", 0.5), Pose(knee_flexion=60.0), "medial"),
]


@pytest.mark.parametrize(("section", "pose", "view"), CUTS)
def test_bones_cut_away_whole_are_not_drawn_and_the_picture_is_the_same(scene, state, section, pose, view):
    """A bone the section cuts away whole is fed to its mapper as a stand-in with no triangles (its box's corners),
    still and moving (coarse copies), and the picture, the actors' bounds and the camera's clipping range are the
    same as with every bone's mesh drawn and clipped; a bone with any vertex on the kept side keeps its mesh."""
    while not scene.prepare_for_interaction():
        pass
    state.pose = pose
    state.camera = view
    state.section = section
    origin, normal = scene.section_plane()
    bones = [sid for sid in scene.structure_ids if scene.item(sid).body is not None]
    try:
        for moving in (False, True):
            scene.set_interactive(moving)
            scene.render()
            drawn = {}
            for sid in bones:
                item = scene.item(sid)
                mesh = item.coarse if moving and item.coarse is not None else item.poly
                drawn[sid] = mesh
                fed = item.actor.mapper.GetInput()
                away = bool((((_world_points(scene, sid) - origin) @ normal) > 0.0).all())
                if fed is not mesh:
                    assert away and fed.GetNumberOfPolys() == 0, (sid, moving)
            stood_in = [sid for sid in bones if scene.item(sid).actor.mapper.GetInput() is not drawn[sid]]
            if section.kind == "axial":
                assert {"calcaneus", "talus", "metatarsal_1", "distal_phalanx_5"} <= set(stood_in)
            assert stood_in, (section, moving)
            renderer = scene.plotter.renderer
            renderer.ResetCameraClippingRange()
            clipping, bounds = renderer.GetActiveCamera().GetClippingRange(), renderer.ComputeVisiblePropBounds()
            picture = scene.plotter.screenshot(return_img=True).copy()
            for sid in stood_in:  # every mesh drawn and clipped, as before the stand-ins
                scene.item(sid).actor.mapper.SetInputData(drawn[sid])
            renderer.ResetCameraClippingRange()
            assert renderer.GetActiveCamera().GetClippingRange() == clipping, moving
            assert renderer.ComputeVisiblePropBounds() == bounds, moving
            assert np.array_equal(scene.plotter.screenshot(return_img=True), picture), moving
            # The stand-ins come back with the next switch between still and moving (and when the cut goes).
    finally:
        scene.set_interactive(False)
        state.section = None
        state.pose = Pose()
    for sid in bones:  # no cut: every bone drawn from its own mesh again
        assert scene.item(sid).actor.mapper.GetInput() is scene.item(sid).poly, sid


def _arrays(poly) -> list:
    """Everything a cut gives: points, each kind of cell, and every point and cell array with its name and type."""
    from vtkmodules.util.numpy_support import vtk_to_numpy

    out: list = [vtk_to_numpy(poly.GetPoints().GetData()).copy() if poly.GetPoints() is not None else None]
    for cells in (poly.GetVerts(), poly.GetLines(), poly.GetPolys(), poly.GetStrips()):
        out += [vtk_to_numpy(cells.GetConnectivityArray()).copy(), vtk_to_numpy(cells.GetOffsetsArray()).copy()]
    for data in (poly.GetPointData(), poly.GetCellData()):
        out += [(data.GetArrayName(i), vtk_to_numpy(data.GetArray(i)).copy()) for i in range(data.GetNumberOfArrays())]
    return out


def _same(first: list, second: list) -> bool:
    if len(first) != len(second):
        return False
    for a, b in zip(first, second, strict=True):
        if isinstance(a, tuple):
            a, b = a[1], b[1]  # the arrays here, their names at the end
        if a is None or b is None:
            if a is not b:
                return False
        elif a.dtype != b.dtype or not np.array_equal(a, b):
            return False
    return [x[0] for x in first if isinstance(x, tuple)] == [x[0] for x in second if isinstance(x, tuple)]


@pytest.mark.parametrize(("section", "pose", "view"), CUTS)
def test_caps_and_rims_are_what_vtks_general_cutter_gives(scene, state, section, pose, view):
    """The caps are cut by VTK's plane cutter for polygonal data; each cap and rim equals, array for array, what
    ``vtkCutter`` with the same plane and a contour triangulator give for the same mesh."""
    from vtkmodules.vtkCommonDataModel import vtkPlane
    from vtkmodules.vtkFiltersCore import vtkCutter
    from vtkmodules.vtkFiltersGeneral import vtkContourTriangulator

    from calfviewer.musculoskeletal.frames import to_body, turned_back

    state.pose = pose
    state.section = section
    checked = 0
    try:
        for sid in scene.section.capped():
            item = scene.item(sid)
            origin, normal = scene.section_plane()
            if item.body is not None:  # a bone's mesh is stored, and cut, in its body's frame
                matrix = np.asarray(item.actor.user_matrix)
                origin, normal = to_body(matrix, origin), turned_back(matrix, normal)
            plane = vtkPlane()
            plane.SetOrigin(*origin)
            plane.SetNormal(*normal)
            cutter = vtkCutter()
            cutter.SetCutFunction(plane)
            cutter.SetInputData(item.poly)
            fill = vtkContourTriangulator()
            fill.SetInputConnection(cutter.GetOutputPort())
            fill.Update()
            rim = scene.plotter.actors[f"rim:{sid}"].mapper.GetInput()  # the cap's outline, drawn as its own actor
            assert _same(_arrays(cutter.GetOutput()), _arrays(rim)), sid
            assert _same(_arrays(fill.GetOutput()), _arrays(scene.section.cap_actor(sid).mapper.GetInput())), sid
            checked += 1
    finally:
        state.section = None
        state.pose = Pose()
    assert checked >= 5


def test_a_cut_is_faced_only_from_the_side_cut_away_and_only_where_it_cuts_something(scene, state):
    """A slice's names keep to columns beside it only when a slice is seen: the camera face on from the side cut
    away. Taken by the angle alone, the same camera turned round to the side kept (it sees the leg's skin), or a
    free plane that cuts nothing shown, laid the names out as a slice's and said a name did not fit "beside the
    slice" where none was drawn."""
    state.section = Section("axial", 0.5)
    framed = scene.section_camera()
    state.camera = framed
    scene.render()
    assert scene.faces_cut()
    focal, position = np.asarray(framed.focal_point), np.asarray(framed.position)
    state.camera = Camera(
        view=None, position=tuple(2 * focal - position), focal_point=framed.focal_point, view_up=framed.view_up,
        view_angle=framed.view_angle, parallel_scale=framed.parallel_scale,
    )  # fmt: skip
    scene.render()
    assert not scene.faces_cut()  # looking up the leg from below the cut: the kept half, whole
    # A free plane beside the right leg (world +x is its medial side), its removed side away from it: nothing cut.
    leg_left = float(scene.plotter.bounds[0])
    state.section = Section.free((leg_left - 0.05, 0.0, 0.0), (-1.0, 0.0, 0.0))
    assert scene.section.capped() == ()
    state.camera = Camera(
        view=None, position=(leg_left - 1.0, 0.0, 0.0), focal_point=(leg_left, 0.0, 0.0), view_up=(0.0, 0.0, 1.0),
        view_angle=30.0, parallel_scale=0.3,
    )  # fmt: skip
    scene.render()
    assert not scene.faces_cut()


def test_a_scene_built_on_a_cut_with_a_selection_highlights_the_selected_cap(geometry, model, catalogue):
    """A scene made for a view that already has a selection and a section (``render --state``/``--select`` with
    ``--section``, the window's last view at start, the other leg after View > Leg) drew the selected muscle green and
    its cap in the tissue red: the caps took their colours before the selection was put on. Now as a selection made
    afterwards: the cap in the highlight."""
    from calfviewer.scene.anatomy_scene import AnatomyScene
    from calfviewer.scene.render import make_plotter
    from calfviewer.viewer.view_state import ViewState

    state = ViewState(catalogue=catalogue, selection="soleus", section=Section("axial", 0.35))
    plotter = make_plotter((240, 320), deterministic=True)
    built = AnatomyScene(plotter, geometry, model, catalogue, state, legend=False)
    try:
        assert "soleus" in built.section.capped()
        assert tuple(built.section.cap_actor("soleus").prop.color)[:3] == pytest.approx(materials.SELECTION.color)
        assert tuple(built.section.cap_actor("tibialis_posterior").prop.color)[:3] == pytest.approx(
            materials.MUSCLE.color
        )
    finally:
        built.close()
        plotter.close()


def test_caps_made_ahead_go_on_the_renderer_at_the_first_cut_and_not_before():
    """The window makes the caps while idle (``SectionCaps.prepare``, the last piece of ``prepare_for_interaction``),
    so the first cut of a session only cuts; before, the first cut made them all (docs/performance.md)."""
    import pyvista as pv

    from calfviewer.scene.cut_cap import CutTarget
    from calfviewer.scene.render import make_plotter
    from calfviewer.scene.section_caps import SectionCaps

    plotter = make_plotter((64, 64), deterministic=True)
    try:
        ball = pv.Sphere(radius=1.0)
        caps = SectionCaps(plotter, [CutTarget("ball", plotter.add_mesh(ball, render=False), ball, bone=False)])
        assert caps.cap_actor("ball") is None
        assert caps.prepare()
        made = caps.cap_actor("ball")
        assert made is not None and not caps.prepare()  # made once
        assert "cap:ball" not in plotter.actors and "rim:ball" not in plotter.actors
        caps.update((np.zeros(3), np.array([0.0, 0.0, 1.0])))
        assert plotter.actors["cap:ball"] is made and caps.capped() == ("ball",)
        assert made.mapper.dataset.area == pytest.approx(np.pi, rel=0.02)  # the ball's whole cross-section
    finally:
        plotter.close()


def test_a_cap_takes_a_cut_it_made_before_while_its_mesh_has_not_moved():
    """Each cap keeps its last few cuts: going back to a plane it cut, with its mesh as it was, takes that cut again
    instead of cutting (the first cut of each standard plane is made ahead while idle); a moved mesh is cut afresh."""
    import pyvista as pv

    from calfviewer.scene.cut_cap import CutTarget
    from calfviewer.scene.render import make_plotter
    from calfviewer.scene.section_caps import SectionCaps

    plotter = make_plotter((64, 64), deterministic=True)
    try:
        ball = pv.Sphere(radius=1.0, theta_resolution=60, phi_resolution=60)
        caps = SectionCaps(plotter, [CutTarget("ball", plotter.add_mesh(ball, render=False), ball, bone=False)])
        middle = (np.zeros(3), np.array([0.0, 0.0, 1.0]))
        higher = (np.array([0.0, 0.0, 0.6]), np.array([0.0, 0.0, 1.0]))
        caps.cut_ahead(middle)
        caps.cut_ahead(higher)
        assert caps.cuts == 2
        for plane, radius in ((middle, 1.0), (higher, 0.8), (middle, 1.0)):
            caps.update(plane)
            cap = caps.cap_actor("ball")
            assert cap is not None and cap.mapper.dataset.area == pytest.approx(np.pi * radius**2, rel=0.02)
        assert caps.cuts == 2
        ball.points *= 0.5  # the mesh moved (as a muscle does at a new pose): the same plane is a new cut
        caps.update(middle)
        assert caps.cuts == 3 and caps.cap_actor("ball").mapper.dataset.area == pytest.approx(np.pi / 4, rel=0.02)  # type: ignore[union-attr]
    finally:
        plotter.close()
