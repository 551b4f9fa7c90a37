"""The generated meshes in ``calfviewer/meshes/`` (package data): one binary PLY per id plus ``manifest.json``.

Why a store: refining the bones (and later sweeping the muscles) is work done once by ``calfviewer build-meshes``;
the app, the renderer and the tests only read the result. The manifest records what each file is (kind, body,
frame, units), what it was made from (source file and package version) and by what (generator name and version),
and the sha256 of the bytes, so a stale or damaged file is caught on load instead of drawn.

Layout of ``manifest.json`` (keys sorted, two-space indent, one entry per id so several generators can share it
and git merges stay line-local)::

    {
      "format": 1,
      "meshes": {
        "femur": {
          "id": "femur", "file": "femur.ply", "kind": "bone", "body": "femur", "frame": "body", "units": "m",
          "vertices": 29058, "faces": 58112, "volume_m3": 0.000348...,
          "sha256": "<hex of femur.ply>",
          "source": {"package": "myo-sim", "version": "0.2.4", "file": "meshes/r_femur.stl", "sha256": "<hex>"},
          "generator": {"name": "calfviewer.geometry.bones", "version": 1}
        }, ...
      }
    }

``kind`` is ``"bone"`` here; the muscle step adds ``"muscle"``, ``"tendon"`` and ``"footprint"`` entries through the
same :func:`write_meshes`, which only touches the entries it is given (and, on request, prunes stale ids of one kind).

The PLY files are written by :func:`ply_bytes`, a tiny fixed-layout writer (float32 xyz, uchar-count int32 triangle
lists, little endian, no timestamps or library comments), so the same mesh always gives the same bytes and the
same sha256.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from calfviewer.errors import MeshDataError
from calfviewer.files import write_atomic
from calfviewer.geometry.surface import Surface

if TYPE_CHECKING:  # writing needs trimesh (volumes, watertightness); reading does not, so start-up never imports it
    import trimesh

log = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 1
MESHES_ENV = "CALFVIEWER_MESHES"
REBUILD_HINT = "run `calfviewer build-meshes`"
KINDS = ("bone", "muscle", "tendon", "footprint")

_FACE_DTYPE = np.dtype([("count", "u1"), ("index", "<i4", (3,))])


def meshes_dir() -> Path:
    """The ``meshes/`` folder: ``$CALFVIEWER_MESHES`` if set, else the package's own ``calfviewer/meshes/``.

    The meshes ship inside the package (package data in the wheel), so ``pip install .`` and then ``calfviewer``
    works with no checkout; a source checkout and an editable install find the same folder under ``src/``. The
    environment variable points the app, the renderer and ``build-meshes`` at another build.
    """
    override = os.environ.get(MESHES_ENV)
    if override:
        return Path(override)
    from importlib import resources

    # A package installed from a wheel or a checkout is a folder on disk, so this is a real Path
    # (zip imports, where it would not be, are not supported).
    return Path(str(resources.files("calfviewer") / "meshes"))


@dataclass(frozen=True)
class MeshSource:
    """What a generated mesh was made from.

    Attributes:
        package: the distribution that ships the source data (``myo-sim``).
        version: its installed version when the mesh was generated.
        file: the source file relative to the package's data root (``meshes/r_foot.stl`` under
            ``myo_sim.MODELS_DIR``); empty when the mesh is not made from one file.
        sha256: hex digest of that file, so a changed source is noticed even without a version bump.
    """

    package: str
    version: str
    file: str = ""
    sha256: str = ""

    def to_json(self) -> dict[str, str]:
        """A plain dict for the manifest."""
        return {"package": self.package, "version": self.version, "file": self.file, "sha256": self.sha256}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> MeshSource:
        """Read back what :meth:`to_json` wrote."""
        return cls(str(data["package"]), str(data["version"]), str(data.get("file", "")), str(data.get("sha256", "")))


@dataclass(frozen=True)
class MeshRecord:
    """A mesh a generator hands to :func:`write_meshes`, with everything the manifest says about it.

    Attributes:
        id: structure id, also the file stem (``femur`` -> ``femur.ply``).
        mesh: the closed surface, in metres, in the frame named by ``frame`` / ``body``.
        kind: ``bone``, ``muscle``, ``tendon`` or ``footprint``.
        body: model body stem whose frame the vertices are in (``tibia`` for the fibula); empty for world-frame data.
        source: what the mesh was made from.
        generator: dotted name of the generating module.
        generator_version: that generator's algorithm version; bumped when its output changes.
        frame: ``body`` (vertices in the body frame) or ``world`` (rest-pose world frame).
    """

    id: str
    mesh: trimesh.Trimesh
    kind: str
    body: str
    source: MeshSource
    generator: str
    generator_version: int
    frame: str = "body"


@dataclass(frozen=True)
class ManifestEntry:
    """One line of the manifest: a stored file and its provenance (see the module docstring for the JSON)."""

    id: str
    file: str
    kind: str
    body: str
    frame: str
    units: str
    vertices: int
    faces: int
    volume_m3: float
    sha256: str
    source: MeshSource
    generator: str
    generator_version: int
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_json(self) -> dict[str, Any]:
        """A plain dict for the manifest; unknown keys read from a newer manifest are written back untouched."""
        data = dict(self.extra)
        data.update(
            id=self.id,
            file=self.file,
            kind=self.kind,
            body=self.body,
            frame=self.frame,
            units=self.units,
            vertices=self.vertices,
            faces=self.faces,
            volume_m3=self.volume_m3,
            sha256=self.sha256,
            source=self.source.to_json(),
            generator={"name": self.generator, "version": self.generator_version},
        )
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ManifestEntry:
        """Parse one entry; ``KeyError`` / ``TypeError`` / ``ValueError`` for a malformed one."""
        known = {
            "id",
            "file",
            "kind",
            "body",
            "frame",
            "units",
            "vertices",
            "faces",
            "volume_m3",
            "sha256",
            "source",
            "generator",
        }
        generator = data["generator"]
        return cls(
            id=str(data["id"]),
            file=str(data["file"]),
            kind=str(data["kind"]),
            body=str(data["body"]),
            frame=str(data["frame"]),
            units=str(data["units"]),
            vertices=int(data["vertices"]),
            faces=int(data["faces"]),
            volume_m3=float(data["volume_m3"]),
            sha256=str(data["sha256"]),
            source=MeshSource.from_json(data["source"]),
            generator=str(generator["name"]),
            generator_version=int(generator["version"]),
            extra={k: v for k, v in data.items() if k not in known},
        )


# --- PLY ------------------------------------------------------------------------------------------------------


def _ply_header(n_vertices: int, n_faces: int) -> bytes:
    return (
        "ply\n"
        "format binary_little_endian 1.0\n"
        f"element vertex {n_vertices}\n"
        "property float x\n"
        "property float y\n"
        "property float z\n"
        f"element face {n_faces}\n"
        "property list uchar int vertex_indices\n"
        "end_header\n"
    ).encode("ascii")


def ply_bytes(vertices: np.ndarray, faces: np.ndarray) -> bytes:
    """The binary PLY of a triangle mesh: float32 positions, int32 indices; byte-identical for equal input."""
    vertices = np.ascontiguousarray(vertices, dtype="<f4")
    faces = np.asarray(faces)
    if vertices.ndim != 2 or vertices.shape[1] != 3 or faces.ndim != 2 or faces.shape[1] != 3:
        raise ValueError("expected (n, 3) vertices and (m, 3) triangles")
    if len(faces) and (faces.min() < 0 or faces.max() >= len(vertices)):
        raise ValueError("triangle index out of range")
    packed = np.empty(len(faces), dtype=_FACE_DTYPE)
    packed["count"] = 3
    packed["index"] = faces
    return _ply_header(len(vertices), len(faces)) + vertices.tobytes() + packed.tobytes()


def parse_ply(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Vertices (float64) and triangles (int64) from bytes written by :func:`ply_bytes`.

    Only that exact layout is accepted; anything else raises ``ValueError`` (the caller turns it into a
    :class:`MeshDataError`), because a file that is not ours is as wrong as a damaged one.
    """
    end = data.find(b"end_header\n")
    if not data.startswith(b"ply\n") or end < 0:
        raise ValueError("not a binary PLY written by calfviewer")
    header = data[: end + len(b"end_header\n")]
    lines = header.decode("ascii", errors="replace").splitlines()
    try:
        n_vertices = int(lines[2].split()[2])
        n_faces = int(lines[6].split()[2])
    except (IndexError, ValueError) as exc:
        raise ValueError("unexpected PLY header") from exc
    if header != _ply_header(n_vertices, n_faces):
        raise ValueError("unexpected PLY header")
    body = memoryview(data)[len(header) :]
    vertex_bytes = 12 * n_vertices
    if len(body) != vertex_bytes + _FACE_DTYPE.itemsize * n_faces:
        raise ValueError("PLY body has the wrong length")
    vertices = np.frombuffer(body[:vertex_bytes], dtype="<f4").reshape(-1, 3).astype(np.float64)
    packed = np.frombuffer(body[vertex_bytes:], dtype=_FACE_DTYPE)
    if n_faces and (np.any(packed["count"] != 3) or packed["index"].min() < 0):
        raise ValueError("PLY faces are not triangles")
    faces = packed["index"].astype(np.int64)
    if n_faces and faces.max() >= n_vertices:
        raise ValueError("PLY triangle index out of range")
    if not np.all(np.isfinite(vertices)):
        raise ValueError("PLY vertices are not finite")
    return vertices, faces


def stored_geometry(mesh: trimesh.Trimesh) -> trimesh.Trimesh:
    """The mesh exactly as it will read back from its PLY (float32 positions), for volumes and checks."""
    import trimesh

    vertices = np.asarray(mesh.vertices, dtype="<f4").astype(np.float64)
    return trimesh.Trimesh(vertices, np.asarray(mesh.faces, dtype=np.int64), process=False)


# --- manifest -------------------------------------------------------------------------------------------------


def _error(message: str) -> MeshDataError:
    return MeshDataError(f"{message}; {REBUILD_HINT}")


def _display(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def _missing_manifest(path: Path) -> MeshDataError:
    """No manifest. Where ``$CALFVIEWER_MESHES`` names a folder that holds other things, ``build-meshes`` would refuse
    to replace it (it may be the user's), so the advice is to point the variable elsewhere, not to build there."""
    directory = path.parent
    override = os.environ.get(MESHES_ENV)
    try:
        holds_files = override is not None and Path(override) == directory and any(directory.iterdir())
    except OSError:
        holds_files = False
    if holds_files:
        return MeshDataError(
            f"${MESHES_ENV} names {str(directory)!r}, which holds no calfviewer mesh set (no {MANIFEST_NAME}); "
            f"unset {MESHES_ENV} to use the meshes installed with calfviewer, or point it at a new folder and "
            f"{REBUILD_HINT} to build one there"
        )
    return _error(f"{_display(path)} is missing")


def read_manifest(directory: Path | None = None) -> dict[str, ManifestEntry]:
    """The manifest's entries by id; :class:`MeshDataError` if it is missing or cannot be read."""
    directory = Path(directory) if directory is not None else meshes_dir()
    path = directory / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _missing_manifest(path) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _error(f"{_display(path)} is not readable JSON ({exc.__class__.__name__})") from None
    try:
        if data["format"] != MANIFEST_FORMAT:
            raise _error(f"{_display(path)} has format {data['format']!r}, expected {MANIFEST_FORMAT}")
        entries = {key: ManifestEntry.from_json(value) for key, value in data["meshes"].items()}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _error(f"{_display(path)} is malformed ({exc.__class__.__name__}: {exc})") from None
    for key, entry in entries.items():
        if key != entry.id:
            raise _error(f"{_display(path)} lists {entry.id!r} under the key {key!r}")
    return entries


def _dump_manifest(entries: Mapping[str, ManifestEntry]) -> str:
    data = {"format": MANIFEST_FORMAT, "meshes": {k: entries[k].to_json() for k in sorted(entries)}}
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def write_meshes(
    records: Iterable[MeshRecord],
    directory: Path | None = None,
    *,
    prune_kind: str | None = None,
) -> dict[str, ManifestEntry]:
    """Write each record to ``<directory>/<id>.ply`` and update its manifest entry; keep every other entry.

    Args:
        records: the meshes one generator owns. Each must be a closed surface with positive volume.
        directory: the meshes folder; :func:`meshes_dir` by default.
        prune_kind: if given, entries of that kind whose id is not among ``records`` are dropped together with
            their files, so a renamed or removed structure does not linger. Entries of other kinds are never
            touched, which is what lets the bone and muscle generators share one manifest.

    Returns:
        The entries written, by id.

    An unreadable existing manifest is replaced rather than fatal, because this is the function the rebuild
    hint sends the user to.
    """
    directory = Path(directory) if directory is not None else meshes_dir()
    directory.mkdir(parents=True, exist_ok=True)
    try:
        entries = read_manifest(directory)
    except MeshDataError as exc:
        if (directory / MANIFEST_NAME).exists():
            log.warning("replacing unreadable manifest: %s", exc)
        entries = {}

    written: dict[str, ManifestEntry] = {}
    for record in records:
        if record.kind not in KINDS:
            raise ValueError(f"unknown mesh kind {record.kind!r}; expected one of {KINDS}")
        if record.id in written:
            raise ValueError(f"mesh id {record.id!r} given twice")
        mesh = stored_geometry(record.mesh)
        volume = float(mesh.volume)
        if not (mesh.is_watertight and mesh.is_winding_consistent and volume > 0):
            raise ValueError(f"{record.id}: not a closed, outward-facing surface")
        data = ply_bytes(mesh.vertices, mesh.faces)
        file = f"{record.id}.ply"
        write_atomic(directory / file, data)
        written[record.id] = ManifestEntry(
            id=record.id,
            file=file,
            kind=record.kind,
            body=record.body,
            frame=record.frame,
            units="m",
            vertices=len(mesh.vertices),
            faces=len(mesh.faces),
            volume_m3=volume,
            sha256=hashlib.sha256(data).hexdigest(),
            source=record.source,
            generator=record.generator,
            generator_version=record.generator_version,
        )

    if prune_kind is not None:
        for key in [k for k, e in entries.items() if e.kind == prune_kind and k not in written]:
            stale = directory / entries.pop(key).file
            if (
                stale.parent == directory
                and stale.suffix == ".ply"
                and stale.name not in {e.file for e in written.values()}
            ):
                stale.unlink(missing_ok=True)
    entries.update(written)
    write_atomic(directory / MANIFEST_NAME, _dump_manifest(entries).encode("utf-8"))
    return written


# --- loading --------------------------------------------------------------------------------------------------


def load_mesh(mesh_id: str, directory: Path | None = None, *, kind: str | None = None) -> Surface:
    """The stored mesh of one id, checked against the manifest's sha256.

    Raises:
        MeshDataError: the manifest or the file is missing, the id is not listed (or not of ``kind``), the file's
            bytes differ from the manifest, or the file cannot be parsed. The message is one line ending in the
            rebuild hint.
    """
    directory = Path(directory) if directory is not None else meshes_dir()
    entries = read_manifest(directory)
    return _load_entry(directory, entries, mesh_id, kind)


def _load_entry(directory: Path, entries: Mapping[str, ManifestEntry], mesh_id: str, kind: str | None) -> Surface:
    entry = entries.get(mesh_id)
    if entry is None or (kind is not None and entry.kind != kind):
        what = f"{kind} mesh" if kind else "mesh"
        raise _error(f"no {what} {mesh_id!r} in {_display(directory / MANIFEST_NAME)}")
    path = directory / entry.file
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise _error(f"{_display(path)} is missing") from None
    except OSError as exc:
        raise _error(f"{_display(path)} cannot be read ({exc.strerror})") from None
    if hashlib.sha256(data).hexdigest() != entry.sha256:
        raise _error(f"{_display(path)} differs from its manifest entry (sha256 mismatch)")
    try:
        vertices, faces = parse_ply(data)
    except ValueError as exc:
        raise _error(f"{_display(path)} is corrupt ({exc})") from None
    if len(vertices) != entry.vertices or len(faces) != entry.faces:
        raise _error(f"{_display(path)} does not have the vertex and face counts of its manifest entry")
    metadata = {"id": entry.id, "kind": entry.kind, "body": entry.body, "frame": entry.frame, "units": entry.units}
    return Surface(vertices, faces, metadata)


def load_bone_mesh(bone_id: str, directory: Path | None = None) -> Surface:
    """A refined bone in its body frame, metres (``mesh.metadata["body"]`` names the body)."""
    return load_mesh(bone_id, directory, kind="bone")


def load_meshes(directory: Path | None = None, *, kind: str | None = "bone") -> dict[str, Surface]:
    """Every stored mesh of one kind (all kinds with ``kind=None``), by id in manifest order.

    Raises :class:`MeshDataError` when there are none of that kind, or any one is missing, stale or corrupt.
    """
    directory = Path(directory) if directory is not None else meshes_dir()
    entries = read_manifest(directory)
    ids = [k for k, e in entries.items() if kind is None or e.kind == kind]
    if not ids:
        raise _error(f"{_display(directory / MANIFEST_NAME)} lists no {kind or ''} meshes".replace("  ", " "))
    return {mesh_id: _load_entry(directory, entries, mesh_id, kind) for mesh_id in ids}
