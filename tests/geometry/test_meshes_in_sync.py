"""meshes/ is what the generator makes: rebuilding the muscles and the tendon gives byte-identical files.

The muscles are rebuilt around the bones stored in meshes/ (the bones have their own sync test), so this takes
seconds, not the full ``calfviewer build-meshes``. A failure means: run ``calfviewer build-meshes`` and commit.
"""

from __future__ import annotations

import shutil

import pytest

from calfviewer.geometry import mesh_store
from calfviewer.geometry.build import build_soft_into, soft_inputs_sha256
from calfviewer.geometry.shaping import MUSCLES_GENERATOR, MUSCLES_GENERATOR_VERSION
from calfviewer.musculoskeletal import shared_model

HINT = "meshes/ is out of date with the generator; run `calfviewer build-meshes` and commit src/calfviewer/meshes/"


@pytest.fixture(scope="module")
def stored() -> dict[str, mesh_store.ManifestEntry]:
    return mesh_store.read_manifest()


def test_soft_entries_name_the_current_generator_and_inputs(stored):
    model = shared_model("right")
    bones = {k: e for k, e in stored.items() if e.kind == "bone"}
    soft = {k: e for k, e in stored.items() if e.kind in ("muscle", "tendon")}
    assert set(soft) == {s.id for s in model.catalogue.structures if s.kind in ("muscle", "tendon")}, HINT
    inputs = soft_inputs_sha256(model, bones)
    for entry in soft.values():
        assert (entry.generator, entry.generator_version) == (MUSCLES_GENERATOR, MUSCLES_GENERATOR_VERSION), HINT
        assert entry.source.sha256 == inputs, HINT
        assert entry.frame == "world" and entry.units == "m"


def test_rebuilding_the_muscles_gives_the_same_bytes(stored, tmp_path):
    source = mesh_store.meshes_dir()
    shutil.copy(source / mesh_store.MANIFEST_NAME, tmp_path / mesh_store.MANIFEST_NAME)
    for entry in stored.values():
        if entry.kind == "bone":
            shutil.copy(source / entry.file, tmp_path / entry.file)
    rebuilt = build_soft_into(tmp_path, shared_model("right"))
    for structure_id, entry in rebuilt.items():
        assert structure_id in stored, HINT
        assert entry.sha256 == stored[structure_id].sha256, f"{structure_id}: {HINT}"
