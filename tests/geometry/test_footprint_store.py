"""meshes/footprints.json: what the generator grows, refused with the rebuild hint when damaged or stale."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from calfviewer.errors import MeshDataError
from calfviewer.geometry import footprint_store, mesh_store
from calfviewer.geometry.footprints import compute_footprints
from calfviewer.musculoskeletal import shared_model

HINT = "run `calfviewer build-meshes`"


@pytest.fixture(scope="module")
def bone_entries() -> dict[str, mesh_store.ManifestEntry]:
    return {k: e for k, e in mesh_store.read_manifest().items() if e.kind == "bone"}


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the stored footprints file to damage."""
    shutil.copy(mesh_store.meshes_dir() / footprint_store.FOOTPRINTS_NAME, tmp_path)
    return tmp_path


def test_stored_footprints_are_what_the_generator_grows(bone_entries):
    model = shared_model("right")
    grown = compute_footprints(model, model.catalogue, mesh_store.load_meshes(kind="bone"))
    stored = (mesh_store.meshes_dir() / footprint_store.FOOTPRINTS_NAME).read_text(encoding="utf-8")
    assert footprint_store.footprints_json(grown, bone_entries) == stored, (
        "meshes/footprints.json is out of date; run `calfviewer build-meshes` and commit src/calfviewer/meshes/"
    )
    read = footprint_store.read_footprints(bone_entries)
    assert [(f.structure_id, f.role, f.index) for f in read] == [(f.structure_id, f.role, f.index) for f in grown]
    for a, b in zip(read, grown, strict=True):
        assert np.array_equal(a.faces, b.faces) and np.array_equal(a.centre, b.centre) and a.area == b.area


def test_missing_file_names_the_rebuild(bone_entries, tmp_path):
    with pytest.raises(MeshDataError, match=r"footprints\.json is missing") as error:
        footprint_store.read_footprints(bone_entries, tmp_path)
    assert HINT in str(error.value)


def test_footprints_grown_on_another_bone_are_refused(bone_entries, copy):
    changed = dict(bone_entries)
    changed["calcaneus"] = dataclasses.replace(bone_entries["calcaneus"], sha256="0" * 64)
    with pytest.raises(MeshDataError, match=f"another calcaneus mesh.*{HINT}"):
        footprint_store.read_footprints(changed, copy)


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda d: d.update(format=2), "has format 2"),
        (lambda d: d["generator"].update(version=99), "version 99"),
        (lambda d: d["footprints"][0].update(faces=[10**9]), "face indices outside"),
        (lambda d: d["footprints"][0].update(faces="12"), "malformed"),
        (lambda d: d["footprints"][0].update(centre=[0, 0]), "centre is not three numbers"),
        (lambda d: d["footprints"][0].update(role="middle"), "neither origin nor insertion"),
        (lambda d: d["footprints"][0].pop("area"), "malformed"),
        (lambda d: d.pop("bones"), "malformed"),
    ],
)
def test_damaged_files_are_refused_in_one_line(bone_entries, copy, damage, expected):
    path = copy / footprint_store.FOOTPRINTS_NAME
    data = json.loads(path.read_text())
    damage(data)
    path.write_text(json.dumps(data))
    with pytest.raises(MeshDataError, match=expected) as error:
        footprint_store.read_footprints(bone_entries, copy)
    assert HINT in str(error.value) and "\n" not in str(error.value)


def test_truncated_file_is_refused(bone_entries, copy):
    path = copy / footprint_store.FOOTPRINTS_NAME
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(MeshDataError, match="not readable JSON"):
        footprint_store.read_footprints(bone_entries, copy)


def test_left_footprints_mirror_the_right(bone_entries):
    right = footprint_store.read_footprints(bone_entries)
    left = footprint_store.mirrored(right)
    for a, b in zip(right, left, strict=True):
        assert np.array_equal(a.faces, b.faces) and a.area == b.area
        assert np.allclose(b.centre, a.centre * [1, 1, -1])


def test_loading_the_scene_geometry_imports_no_trimesh():
    """Start-up reads arrays only: trimesh and scipy.spatial (~0.5 s to import) are for building and testing."""
    code = (
        "import sys; from calfviewer.geometry import load_scene_geometry; "
        "from calfviewer.musculoskeletal import shared_model; g = load_scene_geometry(shared_model('left')); "
        "assert g.footprints and g.bones; "
        "bad = [m for m in ('trimesh', 'scipy.spatial', 'rtree', 'manifold3d', 'pymeshfix') if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
