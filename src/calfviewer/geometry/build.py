"""``calfviewer build-meshes``: regenerate everything in ``meshes/`` from the installed myo-sim.

Bones first (:mod:`calfviewer.geometry.bones`), then the muscles and the calcaneal tendon around the stored bones
(:mod:`calfviewer.geometry.shaping`), so the muscles are kept clear of exactly the bone surfaces the app draws.
then the attachment footprints on the stored bones (:mod:`calfviewer.geometry.footprints`).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping
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


#: What :func:`build_all` says as it goes: called with one line (no newline) per stage and per structure.
Say = Callable[[str], None]


def build_all(out_dir: str | Path | None = None, say: Say | None = None) -> dict[str, ManifestEntry]:
    """Regenerate ``meshes/`` (or ``out_dir``): bones, footprints, muscles and the tendon.

    ``say`` is told each stage as it starts and each structure as it is finished, with the seconds it took. Why
    lines, not a progress bar: the build takes minutes, much of it in stages a bar did not count (loading the model,
    the footprints, the last pass over every muscle), where it sat on the name of the structure already finished for
    20 s or more and read as hung; and where standard error is a log, not a terminal, a bar is one line of carriage
    returns. Returns the manifest entries written, by id.
    """
    from calfviewer.geometry.bones import BONE_IDS, build_bones_into
    from calfviewer.geometry.footprints import build_footprints_into

    tell: Say = say if say is not None else (lambda line: None)
    directory = Path(out_dir) if out_dir is not None else mesh_store.meshes_dir()
    tell("loading the MyoLeg model")
    model = MusculoskeletalModel("right")
    lap = _Lap()
    tell(f"bones: {len(BONE_IDS)} from myo-sim {sources.source_version()}, each closed and refined")

    def bone_done(done: int, count: int, bone_id: str) -> None:
        tell(f"bone {done} of {count}: {bone_id} ({lap():.1f} s)")

    written = dict(build_bones_into(directory, progress=bone_done))
    tell("footprints: where each muscle and tendon attaches on the bones")
    lap()
    build_footprints_into(directory, model)
    tendon = tendon_structure_id(model)
    soft = [*model.muscle_ids, *([tendon] if tendon is not None else [])]
    tell(f"muscles and tendon: {len(soft)}, each kept clear of the bones and of those built before it")
    lap()
    finished: list[str] = []

    def soft_done(structure_id: str) -> None:
        finished.append(structure_id)
        tell(f"{len(finished)} of {len(soft)}: {structure_id} ({lap():.1f} s)")
        if len(finished) == len(soft):  # build_soft_tissue's last pass, as long as one structure
            tell("last pass: every muscle posed at neutral again, its tail tucked into the calcaneal tendon")

    written.update(build_soft_into(directory, model, progress=soft_done))
    return written


class _Lap:
    """Seconds since the last call (or since it was made)."""

    def __init__(self) -> None:
        self._last = time.monotonic()

    def __call__(self) -> float:
        now = time.monotonic()
        seconds, self._last = now - self._last, now
        return seconds
