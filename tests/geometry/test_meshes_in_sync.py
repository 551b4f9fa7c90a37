"""meshes/ is what the generator makes: rebuilding the muscles and the tendon gives the same surfaces.

The muscles are rebuilt around the bones stored in meshes/ (the bones have their own sync test), so this takes
seconds, not the full ``calfviewer build-meshes``. A failure means: run ``calfviewer build-meshes`` and commit.

The same surfaces, not always the same bytes: numpy chooses its vectorised code by the processor it runs on
(AVX-512 or AVX2, say), and those can give different last bits in the same arithmetic. Rebuilt on another machine
(an AVX2 processor), the stored meshes differed in six files, the triangles identical, every vertex within 2.3
micrometres of where it was but in the soleus (0.024 mm: its belly is pushed round the deep muscles in rounds, which
carry a difference on). A change to the generator moves vertices by millimetres, so the test allows
:data:`ROUNDING` and nothing else: the same triangles, every vertex within it.
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from calfviewer.geometry import mesh_store
from calfviewer.geometry.build import build_soft_into, soft_inputs_sha256
from calfviewer.geometry.shaping import MUSCLES_GENERATOR, MUSCLES_GENERATOR_VERSION
from calfviewer.musculoskeletal import shared_model

HINT = "meshes/ is out of date with the generator; run `calfviewer build-meshes` and commit src/calfviewer/meshes/"
ROUNDING = 1e-4
"""Metres a rebuilt vertex may lie from the stored one: four times the largest seen between two processors (2.4e-5),
rounded up; a pixel of the whole calf in a 1400x900 window is about 0.5 mm."""


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


def test_rebuilding_the_muscles_gives_the_same_surfaces(stored, tmp_path):
    source = mesh_store.meshes_dir()
    shutil.copy(source / mesh_store.MANIFEST_NAME, tmp_path / mesh_store.MANIFEST_NAME)
    for entry in stored.values():
        if entry.kind == "bone":
            shutil.copy(source / entry.file, tmp_path / entry.file)
    rebuilt = build_soft_into(tmp_path, shared_model("right"))
    for structure_id, entry in rebuilt.items():
        assert structure_id in stored, HINT
        if entry.sha256 == stored[structure_id].sha256:
            continue
        now = mesh_store.load_mesh(structure_id, tmp_path, kind=entry.kind)
        before = mesh_store.load_mesh(structure_id, source, kind=entry.kind)
        assert np.array_equal(now.faces, before.faces), f"{structure_id}: other triangles; {HINT}"
        moved = float(np.linalg.norm(now.vertices - before.vertices, axis=1).max())
        assert moved <= ROUNDING, f"{structure_id}: a vertex moved {moved * 1000:.3f} mm; {HINT}"
