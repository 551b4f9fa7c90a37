"""``calfviewer export``: one node per structure named by its id, world metres at the pose, the scene's colours,
and the same one-line errors as ``render``.

Every file is read back with trimesh (``trimesh.load(FILE, force="scene")``), the way a user's script would, and
compared with independent paths: the model's bone transforms on the stored bone meshes, the geometry's deformed
muscle points, and the points the scene itself draws.
"""

from __future__ import annotations

import json
import struct

import numpy as np
import pytest
import trimesh

from calfviewer.geometry import load_scene_geometry
from calfviewer.musculoskeletal import Pose
from calfviewer.scene import materials
from calfviewer.scene.anatomy_scene import AnatomyScene
from calfviewer.viewer.view_state import ViewState

POSE = {"plantarflexion": 25.0, "knee_flexion": 40.0}


@pytest.fixture
def loaded_once(monkeypatch, geometry):
    """The session's geometry (and one left geometry) instead of reading meshes/ again for every export."""
    cache = {"right": geometry}

    def load(model):
        if model.side not in cache:
            cache[model.side] = load_scene_geometry(model)
        return cache[model.side]

    monkeypatch.setattr("calfviewer.geometry.load_scene_geometry", load)


@pytest.fixture
def export(run_cli, tmp_path, loaded_once):
    """Run ``calfviewer export`` into tmp_path and load the result: (path, trimesh.Scene)."""

    def run(name: str, *args: str) -> tuple[object, trimesh.Scene]:
        out = tmp_path / name
        code, stdout, err = run_cli("export", "--out", str(out), *args)
        assert code == 0, err
        assert stdout.strip() == str(out) and err == ""
        return out, trimesh.load(out, force="scene")

    return run


def ids_of(catalogue, layers=None) -> set[str]:
    return {s.id for s in catalogue.structures if layers is None or s.layer in layers}


def gltf_json(path) -> dict:
    """The JSON chunk of a .glb, read by the container's layout (not by trimesh)."""
    data = path.read_bytes()
    (length,) = struct.unpack("<I", data[12:16])
    assert data[16:20] == b"JSON"
    return json.loads(data[20 : 20 + length])


def sample_base_color(mesh: trimesh.Trimesh) -> np.ndarray:
    """(N, 3) 0..1: the base colour texture at each vertex's TEXCOORD_0 times the base colour factor, sampled as
    the glTF specification says for a LINEAR, CLAMP_TO_EDGE sampler: texel centres at (i + 0.5) / size, v down
    from the first row. trimesh reads UVs with v up, so glTF's v is 1 - trimesh's."""
    material = mesh.visual.material
    image = np.asarray(material.baseColorTexture.convert("RGB"), dtype=float) / 255.0
    height, width = image.shape[:2]
    u, v = mesh.visual.uv[:, 0], 1.0 - mesh.visual.uv[:, 1]
    x = np.clip(u * width - 0.5, 0.0, width - 1.0)
    y = np.clip(v * height - 0.5, 0.0, height - 1.0)
    x0, y0 = np.floor(x).astype(int), np.floor(y).astype(int)
    x1, y1 = np.minimum(x0 + 1, width - 1), np.minimum(y0 + 1, height - 1)
    fx, fy = (x - x0)[:, None], (y - y0)[:, None]
    top = (1 - fx) * image[y0, x0] + fx * image[y0, x1]
    bottom = (1 - fx) * image[y1, x0] + fx * image[y1, x1]
    return ((1 - fy) * top + fy * bottom) * np.asarray(material.baseColorFactor[:3]) / 255.0


def test_glb_has_one_node_per_structure_named_by_id(export, catalogue):
    _, scene = export("calf.glb")
    ids = ids_of(catalogue)
    assert set(scene.geometry) == ids
    assert set(scene.graph.nodes_geometry) == ids
    for sid in ids:
        transform, geometry_name = scene.graph[sid]
        assert geometry_name == sid
        assert np.allclose(transform, np.eye(4))  # vertices are already in the world: no node transforms


def test_vertices_are_the_posed_world_geometry(export, model, geometry, catalogue):
    _, scene = export(
        "posed.glb", "--plantarflexion", str(POSE["plantarflexion"]), "--knee-flexion", str(POSE["knee_flexion"])
    )
    result = model.pose(Pose(**POSE))
    for bone_id in ("tibia", "calcaneus", "femur", "proximal_phalanx_1"):
        transform = model.bone_transform(result, bone_id)  # the catalogue's body, not the geometry's
        stored = np.asarray(geometry.bones[bone_id].vertices)
        expected = stored @ transform[:3, :3].T + transform[:3, 3]
        got = scene.geometry[bone_id].vertices
        assert got.shape == expected.shape
        assert np.abs(got - expected).max() < 1e-6, bone_id
        assert np.array_equal(scene.geometry[bone_id].faces, geometry.bones[bone_id].faces)
    soft = geometry.soft_points(result)
    for sid in ("soleus", "gastrocnemius_medial_head", "plantaris", "calcaneal_tendon", "flexor_hallucis_longus"):
        assert np.abs(scene.geometry[sid].vertices - soft[sid]).max() < 1e-6, sid
        assert np.array_equal(scene.geometry[sid].faces, geometry.soft[sid].faces)


def test_vertices_match_what_the_scene_draws(export, plotter, model, geometry, catalogue):
    _, exported = export("drawn.glb", "--plantarflexion", "-20", "--knee-flexion", "90")
    state = ViewState(pose=Pose(plantarflexion=-20, knee_flexion=90), catalogue=catalogue)
    scene = AnatomyScene(plotter, geometry, model, catalogue, state, legend=False)
    try:
        for sid in ("tibia", "talus", "soleus", "tibialis_posterior", "calcaneal_tendon"):
            actor = scene.actor(sid)
            matrix = np.asarray(actor.user_matrix)
            drawn = np.asarray(actor.mapper.dataset.points, dtype=float) @ matrix[:3, :3].T + matrix[:3, 3]
            assert np.abs(exported.geometry[sid].vertices - drawn).max() < 1e-6, sid
        # The muscles' per-vertex colours (belly stripes, their own tendon pale): the texture at each vertex's
        # texture coordinates, as a viewer samples it, is the colour the window draws there.
        for sid in ("soleus", "plantaris", "flexor_hallucis_longus"):
            drawn = scene.actor(sid).mapper.dataset.point_data["fibres"] / 255.0
            assert np.abs(sample_base_color(exported.geometry[sid]) - drawn).max() < 3 / 255, sid
    finally:
        scene.close()
        plotter.clear_actors()


def test_muscles_are_textured_not_vertex_coloured(export, catalogue):
    out, scene = export("textured.glb")
    tree = gltf_json(out)
    muscles = {s.id for s in catalogue.structures if s.kind == "muscle"}
    assert muscles and len(tree["meshes"]) == len(tree["nodes"]) == len(ids_of(catalogue))
    for mesh in tree["meshes"]:
        (primitive,) = mesh["primitives"]  # one primitive per structure
        assert "COLOR_0" not in primitive["attributes"], mesh["name"]
        material = tree["materials"][primitive["material"]]["pbrMetallicRoughness"]
        textured = mesh["name"] in muscles
        assert ("TEXCOORD_0" in primitive["attributes"]) == textured, mesh["name"]
        assert ("baseColorTexture" in material) == textured, mesh["name"]
        if textured:
            assert material["baseColorFactor"] == [1.0, 1.0, 1.0, 1.0]  # white: the texture is the colour
            texture = tree["textures"][material["baseColorTexture"]["index"]]
            sampler = tree["samplers"][texture["sampler"]]
            assert sampler["magFilter"] == sampler["minFilter"] == 9729  # LINEAR, as the window blends
    for sid in muscles:
        mesh = scene.geometry[sid]
        assert "color" not in mesh.visual.vertex_attributes
        assert mesh.visual.uv.shape == (len(mesh.vertices), 2)
    for sid in ("tibia", "calcaneus", "calcaneal_tendon"):
        assert scene.geometry[sid].visual.material.baseColorTexture is None, sid


@pytest.mark.parametrize("plantarflexion", ["-20", "30"])
def test_sampled_texture_gives_the_viewers_colours(export, geometry, catalogue, plantarflexion):
    _, scene = export("sampled.glb", "--plantarflexion", plantarflexion, "--knee-flexion", "60")
    expected = materials.soft_tissue_colors(geometry, catalogue)  # the colours the scene draws muscles in
    assert set(expected) == {s.id for s in catalogue.structures if s.kind == "muscle"}
    for sid, colours in expected.items():
        sampled = sample_base_color(scene.geometry[sid])
        assert np.abs(sampled - colours / 255.0).max() < 3 / 255, sid
    # A muscle's own tendon is pale and its belly red in the file, not only in the comparison above.
    plantaris = sample_base_color(scene.geometry["plantaris"])
    tendon, belly = geometry.tendon_weight["plantaris"] == 1.0, geometry.tendon_weight["plantaris"] == 0.0
    assert tendon.any() and belly.any()
    assert plantaris[tendon].min() > 0.8
    assert plantaris[belly][:, 1].max() < 0.3 and plantaris[belly][:, 0].min() > 0.55


def test_units_are_metres(export):
    _, scene = export("units.glb")
    tibia = scene.geometry["tibia"].vertices
    assert 0.30 < np.ptp(tibia[:, 2]) < 0.45  # z is up in the world frame: the file is not rotated to y-up


def test_plantarflexion_moves_the_calcaneus_not_the_tibia(export):
    _, neutral = export("neutral.glb")
    _, pointed = export("pointed.glb", "--plantarflexion", "35")
    moved = np.linalg.norm(pointed.geometry["calcaneus"].centroid - neutral.geometry["calcaneus"].centroid)
    assert moved > 0.01
    assert np.abs(pointed.geometry["tibia"].vertices - neutral.geometry["tibia"].vertices).max() < 1e-9


TOE_BONES = ("proximal_phalanx_1", "distal_phalanx_1", "proximal_phalanx_5", "distal_phalanx_5")


def test_inversion_turns_the_foot_and_its_muscles_not_the_leg(export):
    """The subtalar joint turns the calcaneus and every bone in front of it, not the talus or the tibia; the
    muscles that cross it (tibialis posterior) follow; those above it (popliteus) do not move."""
    _, neutral = export("neutral.glb")
    _, inverted = export("inverted.glb", "--inversion", "20")
    for still in ("tibia", "fibula", "talus", "popliteus"):
        assert np.abs(inverted.geometry[still].vertices - neutral.geometry[still].vertices).max() < 1e-9, still
    for moved in ("calcaneus", "navicular", "metatarsal_1", *TOE_BONES, "tibialis_posterior"):
        shift = np.abs(inverted.geometry[moved].vertices - neutral.geometry[moved].vertices).max()
        assert shift > 0.005, moved


def test_toe_flexion_moves_the_toes_and_the_toe_flexors(export):
    """All five toes move together (one joint); the metatarsals stay; the long toe flexors' meshes follow the toes
    while the soleus, which crosses no toe joint, stays exactly where it was."""
    _, neutral = export("neutral.glb")
    _, flexed = export("toes.glb", "--toe-flexion", "30")
    for still in ("calcaneus", "metatarsal_1", "metatarsal_5", "soleus"):
        assert np.abs(flexed.geometry[still].vertices - neutral.geometry[still].vertices).max() < 1e-9, still
    for toe in TOE_BONES:
        drop = neutral.geometry[toe].centroid[2] - flexed.geometry[toe].centroid[2]
        assert drop > 0.002, toe  # flexion curls the toes down, towards the sole
    for flexor in ("flexor_hallucis_longus", "flexor_digitorum_longus"):
        shift = np.abs(flexed.geometry[flexor].vertices - neutral.geometry[flexor].vertices).max()
        assert shift > 0.005, flexor


def test_left_side_mirrors_the_right(export):
    _, right = export("right.glb")
    _, left = export("left.glb", "--side", "left")
    for sid in ("tibia", "soleus", "calcaneus"):
        r, lft = right.geometry[sid].centroid, left.geometry[sid].centroid
        assert abs(r[0]) > 0.02, sid  # off the midline, so the sign of x means something
        assert lft[0] == pytest.approx(-r[0], abs=0.005), sid
        assert lft[1:] == pytest.approx(r[1:], abs=0.005), sid


def test_a_hidden_layer_is_left_out_and_opacity_is_alpha(export, tmp_path, catalogue):
    state = tmp_path / "view.json"
    state.write_text(
        json.dumps(
            {
                "visibility": {"layers": {"superficial": False}, "structures": {"patella": False}},
                "opacity": {"structures": {"soleus": 0.4}},
            }
        )
    )
    _, scene = export("peeled.glb", "--state", str(state))
    hidden = ids_of(catalogue, {"superficial"}) | {"patella"}
    assert hidden and set(scene.geometry) == ids_of(catalogue) - hidden
    soleus = scene.geometry["soleus"].visual.material
    assert soleus.alphaMode == "BLEND"
    assert soleus.baseColorFactor[3] / 255 == pytest.approx(0.4, abs=0.01)
    tibia = scene.geometry["tibia"].visual.material
    assert tibia.alphaMode == "OPAQUE" and tibia.baseColorFactor[3] == 255


def test_hide_leaves_out_layers_and_structures_over_the_state_file(export, tmp_path, catalogue):
    """``--hide`` as ``render`` takes it: layers or ids, added to what the state file hides."""
    state = tmp_path / "view.json"
    state.write_text(json.dumps({"visibility": {"structures": {"patella": False}}}))
    _, scene = export("deep.glb", "--state", str(state), "--hide", "superficial", "bone", "--hide", "soleus")
    hidden = ids_of(catalogue, {"superficial", "bone"}) | {"patella", "soleus"}
    assert set(scene.geometry) == ids_of(catalogue) - hidden
    assert {"tibialis_posterior", "flexor_hallucis_longus"} <= set(scene.geometry)


@pytest.mark.parametrize(
    ("hide", "says"),
    [
        (("tibia_typo",), "neither a layer"),
        (("bone", "superficial", "intermediate", "deep"), "hide every structure"),
    ],
)
def test_a_bad_or_total_hide_is_one_line_before_any_geometry(run_cli, tmp_path, monkeypatch, hide, says):
    monkeypatch.setattr("calfviewer.geometry.load_scene_geometry", lambda model: pytest.fail("geometry loaded"))
    code, stdout, err = run_cli("export", "--out", str(tmp_path / "x.glb"), "--hide", *hide)
    assert code == 2 and stdout == ""
    assert err.count("\n") == 1 and says in err, err
    assert list(tmp_path.iterdir()) == []


def test_the_state_file_gives_the_pose(export, tmp_path):
    state = tmp_path / "view.json"
    state.write_text(json.dumps({"pose": {"plantarflexion": 35}}))
    _, from_state = export("state.glb", "--state", str(state))
    _, from_flag = export("flag.glb", "--plantarflexion", "35")
    assert np.array_equal(from_state.geometry["calcaneus"].vertices, from_flag.geometry["calcaneus"].vertices)


def test_materials_are_the_tissue_colours(export, catalogue):
    _, scene = export("colours.glb")

    def rgb(sid: str) -> np.ndarray:
        return np.asarray(scene.geometry[sid].visual.material.baseColorFactor[:3]) / 255.0

    for sid, material in (
        ("tibia", materials.BONE),
        ("calcaneus", materials.BONE),
        ("calcaneal_tendon", materials.TENDON),
    ):
        assert rgb(sid) == pytest.approx(material.color, abs=1 / 255), sid
    # A muscle's colour is its texture: the base colour factor is white, and a belly vertex samples muscle red.
    for sid in ("soleus", "gastrocnemius_medial_head"):
        assert rgb(sid) == pytest.approx((1.0, 1.0, 1.0)), sid
        belly = np.median(sample_base_color(scene.geometry[sid]), axis=0)
        assert belly == pytest.approx(materials.MUSCLE.color, abs=0.04), sid


@pytest.mark.parametrize("suffix", [".gltf", ".obj"])
def test_gltf_and_obj_round_trip_the_ids(export, catalogue, suffix):
    out, scene = export(f"calf{suffix}", "--plantarflexion", "10")
    ids = ids_of(catalogue)
    assert set(scene.geometry) == ids and set(scene.graph.nodes_geometry) == ids
    assert 0.30 < np.ptp(scene.geometry["tibia"].vertices[:, 2]) < 0.45
    if suffix == ".obj":
        assert out.with_suffix(".mtl").is_file()
        diffuse = np.asarray(scene.geometry["tibia"].visual.material.diffuse[:3]) / 255.0
        assert diffuse == pytest.approx(materials.BONE.color, abs=1 / 255)
    assert sorted(p.name for p in out.parent.iterdir()) == sorted(
        [out.name] + ([out.with_suffix(".mtl").name] if suffix == ".obj" else [])
    )


def test_obj_vertices_carry_the_drawn_colours(export, geometry, catalogue):
    out, _ = export("colours.obj")
    lines = [line.split() for line in out.read_text().splitlines() if line.startswith(("o ", "v "))]
    blocks: dict[str, list[list[float]]] = {}
    for line in lines:
        if line[0] == "o":
            current = blocks.setdefault(line[1], [])
        else:
            current.append([float(v) for v in line[1:]])
    assert all(len(row) == 6 for rows in blocks.values() for row in rows)  # every vertex: position and colour
    colours = materials.soft_tissue_colors(geometry, catalogue)
    plantaris = np.array(blocks["plantaris"])[:, 3:]
    assert np.abs(plantaris - colours["plantaris"] / 255.0).max() < 1e-3
    tendon = geometry.tendon_weight["plantaris"] == 1.0
    assert plantaris[tendon].min() > 0.8 and plantaris[~tendon][:, 1].min() < 0.3
    assert np.array(blocks["tibia"])[:, 3:] == pytest.approx(
        np.broadcast_to(materials.BONE.color, (len(blocks["tibia"]), 3)), abs=1e-3
    )


def test_an_existing_file_is_replaced_and_no_temporary_file_is_left(export, tmp_path):
    out = tmp_path / "calf.glb"
    out.write_bytes(b"old contents")
    export("calf.glb")
    assert out.read_bytes()[:4] == b"glTF"
    assert [p.name for p in tmp_path.iterdir()] == ["calf.glb"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--out", "calf.stl"], "must end in .glb, .gltf or .obj"),
        (["--out", "calf.glb", "--plantarflexion", "abc"], "must be a number"),
        (["--out", "calf.glb", "--plantarflexion", "99"], "out of range"),
        (["--out", "calf.glb", "--knee-flexion", "-5"], "0 to 120"),
        (["--out", "missing/calf.glb"], "does not exist"),
        (["--out", "calf.glb", "--state", "nope.json"], "cannot read view file"),
        (["--out", "calf.glb", "--side", "middle"], "invalid choice"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(run_cli, tmp_path, monkeypatch, args, says):
    monkeypatch.chdir(tmp_path)
    code, stdout, err = run_cli("export", *args)
    assert code == 2 and stdout == ""
    assert err.count("\n") == 1 and says in err, err
    assert list(tmp_path.iterdir()) == []


def test_an_obj_whose_mtl_cannot_be_written_is_refused_before_any_work(run_cli, tmp_path, monkeypatch):
    """The .mtl an .obj comes with is checked as the .obj is: before, a folder named calf.mtl was found only when
    the files were written, after the scene was loaded and posed."""
    monkeypatch.setattr("calfviewer.geometry.load_scene_geometry", lambda model: pytest.fail("geometry loaded"))
    (tmp_path / "calf.mtl").mkdir()
    code, stdout, err = run_cli("export", "--out", str(tmp_path / "calf.obj"))
    assert code == 2 and stdout == ""
    assert err.count("\n") == 1 and "calf.mtl" in err and "is a folder" in err and "calf.obj" in err, err
    assert [p.name for p in tmp_path.iterdir()] == ["calf.mtl"]


def mtllib_files(obj) -> list[str]:
    """The files an OBJ's ``mtllib`` lines name, read as the convention reads them (Blender, MeshLab,
    tinyobjloader): a list split on whitespace, a ``#`` starting a comment."""
    names = []
    for line in obj.read_text(encoding="utf-8").splitlines():
        words = line.split("#", 1)[0].split()
        if words[:1] == ["mtllib"]:
            names += words[1:]
    return names


@pytest.mark.parametrize(
    ("name", "mtl"), [("my leg.obj", "my_leg.mtl"), ("Wade #2 — jambe.obj", "Wade__2_—_jambe.mtl")]
)
def test_an_obj_named_with_spaces_or_a_hash_names_a_material_file_every_reader_finds(
    run_cli, tmp_path, loaded_once, name, mtl
):
    """``mtllib my leg.mtl`` names two files, "my" and "leg.mtl", to a reader that follows the convention (trimesh
    reads the line whole, so the fault did not show here): Blender drew the leg without its colours. The MTL is now
    named without spaces or ``#`` and the one line printed says where it is."""
    out = tmp_path / name
    code, stdout, err = run_cli("export", "--out", str(out), "--hide", "deep")
    assert code == 0 and err == "", err
    assert mtllib_files(out) == [mtl]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, mtl])
    assert stdout.count("\n") == 1 and stdout.startswith(str(out)) and mtl in stdout, stdout
    scene = trimesh.load(out, force="scene")
    tibia, soleus = scene.geometry["tibia"], scene.geometry["soleus"]
    assert tibia.visual.material.name == "tibia" and soleus.visual.material.name == "soleus"
    assert np.asarray(tibia.visual.material.diffuse[:3]) / 255.0 == pytest.approx(materials.BONE.color, abs=1 / 255)
    assert np.asarray(soleus.visual.material.diffuse[:3]) / 255.0 == pytest.approx(materials.MUSCLE.color, abs=1 / 255)


def test_an_obj_whose_material_file_another_obj_uses_is_refused(run_cli, tmp_path, loaded_once):
    """ "my leg.obj" and "my_leg.obj" both come with ``my_leg.mtl``: the second export would have changed the
    first's colours (and dropped materials it uses), so it is refused in one line, the pair beside it untouched."""
    code, _, err = run_cli("export", "--out", str(tmp_path / "my leg.obj"), "--hide", "deep")
    assert code == 0, err
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    code, stdout, err = run_cli("export", "--out", str(tmp_path / "my_leg.obj"))
    assert code == 2 and stdout == ""
    assert err.count("\n") == 1 and "my_leg.mtl" in err and "'my leg.obj'" in err, err
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    code, _, err = run_cli("export", "--out", str(tmp_path / "my leg.obj"))  # its own MTL: written again
    assert code == 0, err


def test_hiding_everything_is_one_line(run_cli, tmp_path, loaded_once):
    state = tmp_path / "view.json"
    state.write_text(json.dumps({"visibility": {"layers": dict.fromkeys(("bone", "superficial", "intermediate",
                                                                            "deep"), False)}}))  # fmt: skip
    code, _, err = run_cli("export", "--out", str(tmp_path / "x.glb"), "--state", str(state))
    assert code == 2 and err.count("\n") == 1 and "nothing to export" in err


def test_side_is_read_before_or_after_the_subcommand(run_cli, tmp_path, loaded_once):
    xs = {}
    for name, argv in (
        ("after", ("export", "--out", str(tmp_path / "after.glb"), "--side", "left")),
        ("before", ("--side", "left", "export", "--out", str(tmp_path / "before.glb"))),
        ("default", ("export", "--out", str(tmp_path / "default.glb"))),
    ):
        code, _, err = run_cli(*argv)
        assert code == 0, err
        xs[name] = trimesh.load(tmp_path / f"{name}.glb", force="scene").geometry["tibia"].centroid[0]
    assert xs["after"] == pytest.approx(xs["before"])
    assert xs["after"] == pytest.approx(-xs["default"], abs=0.005)


FRONT_AND_SIDE = (
    "tibialis_anterior",
    "extensor_digitorum_longus",
    "extensor_hallucis_longus",
    "fibularis_longus",
    "fibularis_brevis",
)


def test_the_front_and_side_of_the_leg_are_exported(export, model, geometry):
    # Issue 21: the five muscles of the anterior and lateral compartments are structures like any other: a node and
    # a mesh each, named by id in the glTF JSON itself, at the posed world geometry, textured like every muscle.
    path, scene = export("leg.glb", "--plantarflexion", "-20")
    document = gltf_json(path)
    assert set(FRONT_AND_SIDE) <= {node["name"] for node in document["nodes"]}
    assert set(FRONT_AND_SIDE) <= {mesh["name"] for mesh in document["meshes"]}
    soft = geometry.soft_points(model.pose(Pose(plantarflexion=-20)))
    for sid in FRONT_AND_SIDE:
        assert np.abs(scene.geometry[sid].vertices - soft[sid]).max() < 1e-6, sid
        assert scene.geometry[sid].visual.material.baseColorTexture is not None, sid
        # Each has a belly (red) and its own tendon (pale) drawn: both colours occur among its vertices.
        colours = sample_base_color(scene.geometry[sid])
        assert (colours[:, 0] - colours[:, 2] > 0.3).any() and (colours.min(axis=1) > 0.6).any(), sid


def test_an_obj_says_its_side_frame_and_pose_as_a_gltf_does(export):
    """A glTF carries the side, the frame and the pose in its scene's extras; an OBJ said only "z up", so an OBJ of
    the left leg did not say that +x is lateral there, nor which pose it holds. Now its first comments say so."""
    out, _ = export("left.obj", "--side", "left", "--knee-flexion", "30", "--toes", "-10", "--hide", "bone")
    header = [line for line in out.read_text().splitlines()[:10] if line.startswith("#")]
    assert "# side: left" in header
    assert any(line.startswith("# frame: ") and "+x lateral" in line and "z superior" in line for line in header)
    assert "# pose: plantarflexion 0, knee_flexion 30, subtalar 0, toes -10" in header
    assert "# units: m" in header


def test_a_view_file_s_section_is_said_not_to_be_exported(run_cli, tmp_path, loaded_once, catalogue):
    """A view file with an axial cut seen from below shows no foot (every foot bone is cut away whole), but the
    file held every structure whole and said nothing: the section is not carried by any 3D format. It is now said
    in one line on stderr, and the file is the state's structures, whole, as without the cut."""
    state = tmp_path / "cut.json"
    state.write_text(
        json.dumps({"section": {"kind": "axial", "position": 0.35}, "visibility": {"layers": {"deep": False}}})
    )
    out = tmp_path / "cut.glb"
    code, stdout, err = run_cli("export", "--out", str(out), "--state", str(state))
    assert code == 0 and stdout.strip() == str(out), err
    assert err.count("\n") == 1 and "section (axial at 35%) is not exported" in err, err
    assert set(trimesh.load(out, force="scene").geometry) == ids_of(catalogue) - ids_of(catalogue, {"deep"})
