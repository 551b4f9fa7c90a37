"""Attachment footprints stored in ``meshes/footprints.json``, next to the bones whose triangles they index.

Why stored: growing every patch over the refined bones (a closest-point query and a Dijkstra per attachment) took
0.7 s of every start, with trimesh and scipy's graph code imported for it; reading the result takes milliseconds.
A stored footprint is only as good as the bone it indexes, so the file records the sha256 of each bone file it
was grown on, and loading refuses a file whose bones have since changed (the message says to rebuild). The sync
test grows them again and compares, which catches a changed catalogue or generator.

Layout (one footprint per line, so a rebuild diffs line by line)::

    {"format": 1, "generator": {"name": "calfviewer.geometry.footprints", "version": 1}, "side": "right",
     "bones": {"calcaneus": "<sha256 of calcaneus.ply>", ...},
     "footprints": [
      {"structure": "soleus", "role": "origin", "index": 0, "bone": "tibia", "centre": [x, y, z], "area": a,
       "faces": [i, ...]},
      ...]}
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from calfviewer.anatomy.side import mirror_z
from calfviewer.errors import MeshDataError
from calfviewer.files import write_atomic
from calfviewer.geometry import mesh_store
from calfviewer.geometry.footprint import Footprint, as_role

FOOTPRINTS_NAME = "footprints.json"
FOOTPRINTS_FORMAT = 1
FOOTPRINTS_GENERATOR = "calfviewer.geometry.footprints"
FOOTPRINTS_GENERATOR_VERSION = 1
"""Bump whenever a change in :mod:`calfviewer.geometry.footprints` changes the patches it grows."""


def _error(message: str) -> MeshDataError:
    return MeshDataError(f"meshes/{FOOTPRINTS_NAME} {message}; {mesh_store.REBUILD_HINT}")


def footprints_json(footprints: Iterable[Footprint], bone_entries: Mapping[str, mesh_store.ManifestEntry]) -> str:
    """The file's text: byte-identical for equal footprints, so the sync test can compare bytes."""
    items = list(footprints)
    used = sorted({f.bone_id for f in items})
    head = {
        "format": FOOTPRINTS_FORMAT,
        "generator": {"name": FOOTPRINTS_GENERATOR, "version": FOOTPRINTS_GENERATOR_VERSION},
        "side": "right",
        "bones": {bone_id: bone_entries[bone_id].sha256 for bone_id in used},
    }
    lines = [
        json.dumps(
            {
                "structure": f.structure_id,
                "role": f.role,
                "index": f.index,
                "bone": f.bone_id,
                "centre": [float(x) for x in f.centre],
                "area": float(f.area),
                "faces": [int(i) for i in f.faces],
            }
        )
        for f in items
    ]
    text = json.dumps(head, sort_keys=True)[:-1] + ', "footprints": [\n' + ",\n".join(lines) + "\n]}\n"
    return text


def write_footprints(
    footprints: Iterable[Footprint], bone_entries: Mapping[str, mesh_store.ManifestEntry], directory: Path
) -> Path:
    """Write ``footprints.json`` atomically (a crash mid-write leaves the old file)."""
    path = Path(directory) / FOOTPRINTS_NAME
    write_atomic(path, footprints_json(footprints, bone_entries).encode("utf-8"))
    return path


def read_footprints(
    bone_entries: Mapping[str, mesh_store.ManifestEntry], directory: Path | None = None
) -> tuple[Footprint, ...]:
    """The stored right-leg footprints, checked against the bones now in ``meshes/``.

    Raises:
        MeshDataError: the file is missing, unreadable or malformed, was made by another generator version, or
            indexes a bone file that has since changed. The message is one line ending in the rebuild hint.
    """
    directory = Path(directory) if directory is not None else mesh_store.meshes_dir()
    try:
        data = json.loads((directory / FOOTPRINTS_NAME).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _error("is missing") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _error(f"is not readable JSON ({exc.__class__.__name__})") from None
    try:
        return _parse(data, bone_entries)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise _error(f"is malformed ({exc.__class__.__name__}: {exc})") from None


def _parse(data: Any, bone_entries: Mapping[str, mesh_store.ManifestEntry]) -> tuple[Footprint, ...]:
    if data["format"] != FOOTPRINTS_FORMAT:
        raise _error(f"has format {data['format']!r}, expected {FOOTPRINTS_FORMAT}")
    generator = (data["generator"]["name"], data["generator"]["version"])
    if generator != (FOOTPRINTS_GENERATOR, FOOTPRINTS_GENERATOR_VERSION):
        raise _error(f"was made by {generator[0]} version {generator[1]}, not {FOOTPRINTS_GENERATOR_VERSION}")
    bones: dict[str, str] = data["bones"]
    for bone_id, sha256 in bones.items():
        entry = bone_entries.get(bone_id)
        if entry is None or entry.sha256 != sha256:
            raise _error(f"was grown on another {bone_id} mesh than the one in meshes/")
    footprints = []
    for item in data["footprints"]:
        bone_id = str(item["bone"])
        if bone_id not in bones:
            raise ValueError(f"footprint on {bone_id!r}, which the file does not list")
        faces = np.asarray(item["faces"], dtype=np.int64)
        if faces.ndim != 1 or not len(faces) or faces.min() < 0 or faces.max() >= bone_entries[bone_id].faces:
            raise ValueError(f"{item['structure']} {item['role']}: face indices outside the {bone_id} mesh")
        centre = np.asarray(item["centre"], dtype=float)
        if centre.shape != (3,) or not np.all(np.isfinite(centre)):
            raise ValueError(f"{item['structure']} {item['role']}: centre is not three numbers")
        footprints.append(
            Footprint(
                structure_id=str(item["structure"]),
                role=as_role(str(item["role"])),
                index=int(item["index"]),
                bone_id=bone_id,
                faces=faces,
                centre=centre,
                area=float(item["area"]),
            )
        )
    return tuple(footprints)


def mirrored(footprints: Iterable[Footprint]) -> tuple[Footprint, ...]:
    """The left leg's footprints: same triangles of the mirrored bones, centres mirrored across the body's z."""
    return tuple(
        Footprint(f.structure_id, f.role, f.index, f.bone_id, f.faces, mirror_z(f.centre, "left"), f.area)
        for f in footprints
    )
