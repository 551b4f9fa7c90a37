"""The mesh store: deterministic PLY files, a merge-friendly manifest, and loud, one-line errors with the rebuild hint.

Small synthetic meshes keep these fast; the real bones are checked in ``test_bones.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import trimesh

from calfviewer.errors import CalfviewerError, MeshDataError
from calfviewer.geometry import mesh_store
from calfviewer.geometry.mesh_store import (
    MANIFEST_NAME,
    REBUILD_HINT,
    MeshRecord,
    MeshSource,
    load_bone_mesh,
    load_mesh,
    load_meshes,
    parse_ply,
    ply_bytes,
    read_manifest,
    write_meshes,
)

SOURCE = MeshSource(package="myo-sim", version="0.2.4", file="meshes/r_test.stl", sha256="0" * 64)


def _record(mesh_id: str, kind: str = "bone", radius: float = 0.01, body: str = "tibia") -> MeshRecord:
    sphere = trimesh.creation.icosphere(subdivisions=2, radius=radius)
    return MeshRecord(
        id=mesh_id,
        mesh=sphere,
        kind=kind,
        body=body,
        source=SOURCE,
        generator=f"tests.{kind}",
        generator_version=3,
    )


def _assert_one_line_hint(error: pytest.ExceptionInfo[MeshDataError], *fragments: str) -> None:
    message = str(error.value)
    assert "\n" not in message
    assert message.endswith(REBUILD_HINT), message
    for fragment in fragments:
        assert fragment in message, message


# --- PLY ------------------------------------------------------------------------------------------------------


def test_ply_round_trip_keeps_triangles_and_float32_positions() -> None:
    mesh = trimesh.creation.icosphere(subdivisions=2, radius=0.0123)
    vertices, faces = parse_ply(ply_bytes(mesh.vertices, mesh.faces))
    assert np.array_equal(faces, mesh.faces)
    assert np.array_equal(vertices, np.asarray(mesh.vertices, dtype=np.float32).astype(np.float64))
    assert np.abs(vertices - mesh.vertices).max() < 1e-8


def test_ply_bytes_are_deterministic_and_readable_by_trimesh(tmp_path: Path) -> None:
    mesh = trimesh.creation.icosphere(subdivisions=1)
    first = ply_bytes(mesh.vertices, mesh.faces)
    assert first == ply_bytes(mesh.vertices.copy(), mesh.faces.copy())
    assert b"comment" not in first.split(b"end_header")[0]  # no timestamps or library names
    path = tmp_path / "sphere.ply"
    path.write_bytes(first)
    other = trimesh.load_mesh(path, process=False)
    assert np.array_equal(other.faces, mesh.faces)
    assert np.allclose(other.vertices, mesh.vertices, atol=1e-6)


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[:-5],  # truncated
        lambda b: b.replace(b"property float z", b"property double z"),  # another layout
        lambda b: b"not a ply at all",
        lambda b: b[: b.index(b"end_header")],  # header only, unterminated
    ],
)
def test_parse_ply_rejects_damaged_files(damage) -> None:
    mesh = trimesh.creation.icosphere(subdivisions=1)
    with pytest.raises(ValueError):
        parse_ply(damage(ply_bytes(mesh.vertices, mesh.faces)))


def test_parse_ply_rejects_out_of_range_indices() -> None:
    mesh = trimesh.creation.icosphere(subdivisions=1)
    faces = mesh.faces.copy()
    data = bytearray(ply_bytes(mesh.vertices, faces))
    # overwrite the last triangle's last index with a vertex that does not exist
    data[-4:] = np.int32(len(mesh.vertices) + 7).tobytes()
    with pytest.raises(ValueError, match="out of range"):
        parse_ply(bytes(data))


# --- manifest -------------------------------------------------------------------------------------------------


def test_write_then_load_round_trip(tmp_path: Path) -> None:
    written = write_meshes([_record("tibia"), _record("fibula", radius=0.005)], tmp_path)
    assert set(written) == {"tibia", "fibula"}
    manifest = json.loads((tmp_path / MANIFEST_NAME).read_text())
    assert manifest["format"] == 1
    entry = manifest["meshes"]["tibia"]
    assert entry["id"] == "tibia"
    assert entry["file"] == "tibia.ply"
    assert entry["kind"] == "bone"
    assert entry["body"] == "tibia"
    assert entry["frame"] == "body"
    assert entry["units"] == "m"
    assert entry["source"] == {
        "package": "myo-sim",
        "version": "0.2.4",
        "file": "meshes/r_test.stl",
        "sha256": "0" * 64,
    }
    assert entry["generator"] == {"name": "tests.bone", "version": 3}
    assert entry["vertices"] == 162 and entry["faces"] == 320
    assert entry["volume_m3"] == pytest.approx(4 / 3 * np.pi * 0.01**3, rel=0.05)
    import hashlib

    assert entry["sha256"] == hashlib.sha256((tmp_path / "tibia.ply").read_bytes()).hexdigest()

    mesh = load_bone_mesh("tibia", tmp_path)
    assert mesh.trimesh.is_watertight and mesh.trimesh.volume > 0
    assert mesh.metadata["body"] == "tibia" and mesh.metadata["frame"] == "body"
    assert set(load_meshes(tmp_path)) == {"fibula", "tibia"}


def test_manifest_is_stable_text(tmp_path: Path) -> None:
    write_meshes([_record("b"), _record("a")], tmp_path)
    first = (tmp_path / MANIFEST_NAME).read_bytes()
    write_meshes([_record("a"), _record("b")], tmp_path)
    assert (tmp_path / MANIFEST_NAME).read_bytes() == first
    assert list(json.loads(first)["meshes"]) == ["a", "b"]  # sorted ids: line-local git merges
    assert first.endswith(b"\n")


def test_writing_one_kind_keeps_the_other_kinds(tmp_path: Path) -> None:
    write_meshes([_record("tibia"), _record("talus")], tmp_path, prune_kind="bone")
    write_meshes([_record("soleus", kind="muscle", body="")], tmp_path, prune_kind="muscle")
    write_meshes([_record("tibia", radius=0.02)], tmp_path, prune_kind="bone")  # bones rebuilt without the talus

    entries = read_manifest(tmp_path)
    assert set(entries) == {"tibia", "soleus"}
    assert entries["soleus"].kind == "muscle"
    assert not (tmp_path / "talus.ply").exists()
    assert (tmp_path / "soleus.ply").exists()
    assert load_bone_mesh("tibia", tmp_path).trimesh.volume == pytest.approx(4 / 3 * np.pi * 0.02**3, rel=0.05)
    assert set(load_meshes(tmp_path, kind="muscle")) == {"soleus"}
    assert set(load_meshes(tmp_path, kind=None)) == {"soleus", "tibia"}


def test_unknown_manifest_keys_survive_a_rewrite(tmp_path: Path) -> None:
    write_meshes([_record("tibia"), _record("soleus", kind="muscle")], tmp_path)
    path = tmp_path / MANIFEST_NAME
    data = json.loads(path.read_text())
    data["meshes"]["soleus"]["target_volume_m3"] = 0.000123
    path.write_text(json.dumps(data))
    write_meshes([_record("tibia")], tmp_path)
    assert json.loads(path.read_text())["meshes"]["soleus"]["target_volume_m3"] == 0.000123


def test_write_refuses_open_surfaces_and_bad_kinds(tmp_path: Path) -> None:
    open_mesh = trimesh.creation.icosphere(subdivisions=1)
    open_mesh = trimesh.Trimesh(open_mesh.vertices, open_mesh.faces[1:], process=False)
    record = _record("tibia")
    with pytest.raises(ValueError, match="not a closed"):
        write_meshes([MeshRecord(**{**record.__dict__, "mesh": open_mesh})], tmp_path)
    with pytest.raises(ValueError, match="kind"):
        write_meshes([_record("tibia", kind="ligament")], tmp_path)


def test_unreadable_manifest_is_replaced_by_a_rebuild(tmp_path: Path) -> None:
    (tmp_path / MANIFEST_NAME).write_text("{ not json")
    write_meshes([_record("tibia")], tmp_path)
    assert set(read_manifest(tmp_path)) == {"tibia"}


# --- errors ---------------------------------------------------------------------------------------------------


def test_missing_manifest(tmp_path: Path) -> None:
    with pytest.raises(MeshDataError) as error:
        load_meshes(tmp_path)
    _assert_one_line_hint(error, "manifest.json", "missing")


def test_missing_file(tmp_path: Path) -> None:
    write_meshes([_record("tibia")], tmp_path)
    (tmp_path / "tibia.ply").unlink()
    with pytest.raises(MeshDataError) as error:
        load_bone_mesh("tibia", tmp_path)
    _assert_one_line_hint(error, "tibia.ply", "missing")


def test_changed_file_fails_the_sha256(tmp_path: Path) -> None:
    write_meshes([_record("tibia")], tmp_path)
    path = tmp_path / "tibia.ply"
    data = bytearray(path.read_bytes())
    data[-1] ^= 0x01  # one flipped bit, still a parseable PLY
    path.write_bytes(bytes(data))
    with pytest.raises(MeshDataError) as error:
        load_meshes(tmp_path)
    _assert_one_line_hint(error, "tibia.ply", "sha256")


def test_corrupt_file_with_matching_manifest(tmp_path: Path) -> None:
    """A file that matches a (hand-edited) manifest but is not a valid PLY is still reported, not drawn."""
    write_meshes([_record("tibia")], tmp_path)
    path = tmp_path / "tibia.ply"
    path.write_bytes(path.read_bytes()[:-7])
    manifest = tmp_path / MANIFEST_NAME
    data = json.loads(manifest.read_text())
    import hashlib

    data["meshes"]["tibia"]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest.write_text(json.dumps(data))
    with pytest.raises(MeshDataError) as error:
        load_bone_mesh("tibia", tmp_path)
    _assert_one_line_hint(error, "tibia.ply", "corrupt")


@pytest.mark.parametrize("text", ["{ not json", '{"format": 99, "meshes": {}}', '{"format": 1, "meshes": {"x": {}}}'])
def test_broken_manifest(tmp_path: Path, text: str) -> None:
    (tmp_path / MANIFEST_NAME).write_text(text)
    with pytest.raises(MeshDataError) as error:
        read_manifest(tmp_path)
    _assert_one_line_hint(error, "manifest.json")


def test_unknown_id_and_wrong_kind(tmp_path: Path) -> None:
    write_meshes([_record("tibia"), _record("soleus", kind="muscle")], tmp_path)
    with pytest.raises(MeshDataError) as error:
        load_bone_mesh("femur", tmp_path)
    _assert_one_line_hint(error, "'femur'")
    with pytest.raises(MeshDataError) as error:
        load_bone_mesh("soleus", tmp_path)
    _assert_one_line_hint(error, "bone mesh 'soleus'")
    assert load_mesh("soleus", tmp_path).metadata["kind"] == "muscle"


def test_mesh_data_error_is_a_user_error() -> None:
    assert issubclass(MeshDataError, CalfviewerError)


# --- location -------------------------------------------------------------------------------------------------


def test_meshes_dir_defaults_to_the_package_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """The meshes ship inside the package, so an installed wheel finds them with no checkout and no variable."""
    import calfviewer

    monkeypatch.delenv(mesh_store.MESHES_ENV, raising=False)
    assert mesh_store.meshes_dir() == Path(calfviewer.__file__).resolve().parent / "meshes"
    assert (mesh_store.meshes_dir() / mesh_store.MANIFEST_NAME).is_file()


def test_meshes_dir_environment_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(mesh_store.MESHES_ENV, str(tmp_path))
    assert mesh_store.meshes_dir() == tmp_path
    write_meshes([_record("tibia")])
    assert (tmp_path / "tibia.ply").exists()
    assert set(load_meshes()) == {"tibia"}


def test_an_environment_folder_of_other_things_is_not_advised_a_build_there(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``build-meshes`` refuses to replace a folder holding files that are not a mesh set (they may be the user's), so
    the advice for such a $CALFVIEWER_MESHES is to point it elsewhere. Before: "run `calfviewer build-meshes`", which
    was then refused."""
    (tmp_path / "notes.txt").write_text("mine")
    monkeypatch.setenv(mesh_store.MESHES_ENV, str(tmp_path))
    with pytest.raises(MeshDataError) as error:
        load_meshes()
    message = str(error.value)
    assert "\n" not in message and f"unset {mesh_store.MESHES_ENV}" in message and "point it at a new folder" in message
    # An empty or missing folder is still advised a build, which then fills it.
    monkeypatch.setenv(mesh_store.MESHES_ENV, str(tmp_path / "new"))
    with pytest.raises(MeshDataError, match="is missing; run `calfviewer build-meshes`"):
        load_meshes()
