"""``calfviewer build-meshes``: regenerate everything in ``meshes/`` from the installed myo-sim.

Bones first (:mod:`calfviewer.geometry.bones`), then the muscles and the calcaneal tendon around the stored bones
(:mod:`calfviewer.geometry.shaping`), so the muscles are kept clear of exactly the bone surfaces the app draws.
then the attachment footprints on the stored bones (:mod:`calfviewer.geometry.footprints`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import trimesh

from calfviewer.geometry import mesh_store, sources
from calfviewer.geometry.bones import surface_problems
from calfviewer.geometry.mesh_store import ManifestEntry, MeshRecord, MeshSource, write_meshes
from calfviewer.geometry.rig import tendon_structure_id
from calfviewer.geometry.shaping import (
    MUSCLES_GENERATOR,
    MUSCLES_GENERATOR_VERSION,
    BuiltStructure,
    Progress,
    build_soft_tissue,
)
from calfviewer.geometry.surface import Surface
from calfviewer.musculoskeletal import NEUTRAL, MusculoskeletalModel

QUANTUM = 1e-6
"""Stored vertex coordinates are rounded to this grid (metres)."""


def soft_inputs_sha256(model: MusculoskeletalModel, bone_entries: Mapping[str, ManifestEntry]) -> str:
    """A digest of everything the soft-tissue meshes are made from: the catalogue and the stored bones.

    Recorded as the muscles' source ``sha256``, so a changed catalogue or a rebuilt bone shows up as a mismatch.
    """
    from importlib import resources

    digest = hashlib.sha256()
    catalogue = resources.files("calfviewer.anatomy") / "data" / "catalogue.toml"
    digest.update(catalogue.read_bytes())
    for bone_id in sorted(bone_entries):
        digest.update(f"{bone_id}:{bone_entries[bone_id].sha256}\n".encode())
    digest.update(f"{model.side}\n".encode())
    return digest.hexdigest()


def soft_records(
    built: Mapping[str, BuiltStructure], tendon_id: str | None, inputs_sha256: str
) -> tuple[list[MeshRecord], list[MeshRecord]]:
    """Manifest records for the built muscles and the tendon (world frame at the neutral pose)."""
    source = MeshSource(package=sources.SOURCE_PACKAGE, version=sources.source_version(), sha256=inputs_sha256)
    muscles: list[MeshRecord] = []
    tendons: list[MeshRecord] = []
    for structure_id, item in built.items():
        kind = "tendon" if structure_id == tendon_id else "muscle"
        # Round to a micrometre grid so float noise in the last bits cannot change the stored bytes.
        vertices = np.round(np.asarray(item.mesh.vertices) / QUANTUM) * QUANTUM + 0.0
        record = MeshRecord(
            id=structure_id,
            mesh=trimesh.Trimesh(vertices, item.mesh.faces, process=False),
            kind=kind,
            body="",
            source=source,
            generator=MUSCLES_GENERATOR,
            generator_version=MUSCLES_GENERATOR_VERSION,
            frame="world",
        )
        (tendons if kind == "tendon" else muscles).append(record)
    return muscles, tendons


def bones_at_rest(model: MusculoskeletalModel, bones: Mapping[str, Surface]) -> dict[str, trimesh.Trimesh]:
    """The bone meshes (body frames) placed in the world at the neutral pose."""
    rest = model.pose(NEUTRAL)
    placed = {}
    for bone_id, mesh in bones.items():
        body = str(mesh.metadata.get("body") or model.catalogue.body_of(bone_id))
        world = mesh.trimesh.copy()
        world.apply_transform(rest.body_transforms[body])
        placed[bone_id] = world
    return placed


def build_soft_into(
    directory: Path | None = None, model: MusculoskeletalModel | None = None, progress: Progress | None = None
) -> dict[str, ManifestEntry]:
    """Build the muscles and the tendon around the bones already stored in ``directory`` and write them there."""
    model = model if model is not None else MusculoskeletalModel("right")
    bone_entries = {k: e for k, e in mesh_store.read_manifest(directory).items() if e.kind == "bone"}
    bones = mesh_store.load_meshes(directory, kind="bone")
    built, _ = build_soft_tissue(model, bones_at_rest(model, bones), progress=progress)
    for structure_id, item in built.items():
        problems = surface_problems(item.mesh)
        if problems:  # never store a broken surface: the generator needs fixing, not the user
            raise RuntimeError(f"generated {structure_id} is not clean: {', '.join(problems)}")
    muscles, tendons = soft_records(built, tendon_structure_id(model), soft_inputs_sha256(model, bone_entries))
    written = write_meshes(muscles, directory, prune_kind="muscle")
    written.update(write_meshes(tendons, directory, prune_kind="tendon"))
    return written


def build_all(out_dir: str | Path | None = None, progress: bool = True) -> dict[str, ManifestEntry]:
    """Regenerate ``meshes/`` (or ``out_dir``): bones, footprints, muscles and the tendon, with a progress bar.

    Returns the manifest entries written, by id.
    """
    from tqdm import tqdm

    from calfviewer.geometry.bones import BONE_IDS, build_bones_into
    from calfviewer.geometry.footprints import build_footprints_into

    directory = Path(out_dir) if out_dir is not None else mesh_store.meshes_dir()
    model = MusculoskeletalModel("right")
    total = len(BONE_IDS) + len(model.muscle_ids) + 1
    with tqdm(total=total, desc="meshes", unit="mesh", disable=not progress) as bar:

        def bone_done(done: int, count: int, bone_id: str) -> None:
            bar.set_postfix_str(bone_id)
            bar.update(1)

        def soft_done(structure_id: str) -> None:
            bar.set_postfix_str(structure_id)
            bar.update(1)

        written = dict(build_bones_into(directory, progress=bone_done))
        build_footprints_into(directory, model)
        written.update(build_soft_into(directory, model, progress=soft_done))
    return written
