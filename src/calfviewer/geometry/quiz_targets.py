"""What the scene can show a quiz: the structures with meshes and the attachment patches, from ``meshes/``.

Why in geometry: ``calfviewer quiz`` must ask the same round as the window for the same seed, and the window asks
only where its scene can take the answer. Reading the mesh manifest and the stored footprints gives the same sets
the scene is built from, in milliseconds, without building a scene.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from calfviewer.anatomy.quiz import QuizTargets
from calfviewer.geometry import footprint_store, mesh_store
from calfviewer.geometry.footprint import Footprint


def targets_of(structure_ids: Iterable[str], footprints: Iterable[Footprint]) -> QuizTargets:
    """The targets of a scene that draws ``structure_ids`` and can highlight ``footprints``."""
    return QuizTargets(
        clickable=frozenset(structure_ids),
        attachments=frozenset((f.structure_id, f.role, f.index) for f in footprints),
    )


def stored_targets(directory: Path | None = None) -> QuizTargets:
    """The targets of the scene built from ``meshes/`` (or ``directory``): every mesh and every stored footprint.

    Raises:
        MeshDataError: the manifest or the footprints are missing or stale (the message says to rebuild).
    """
    entries = mesh_store.read_manifest(directory)
    bones = {k: e for k, e in entries.items() if e.kind == "bone"}
    return targets_of(entries, footprint_store.read_footprints(bones, directory))
