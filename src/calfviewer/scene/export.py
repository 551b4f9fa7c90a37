"""``calfviewer export``: the scene at one pose as a 3D file (glTF binary or text, or Wavefront OBJ).

One mesh per structure, its node, mesh (and, in OBJ, its object and material) named by the catalogue id, so a
script or a modelling tool can find ``soleus`` by name. Vertices are world metres in the frame the scene draws in
(MuJoCo's: z superior, y posterior, +x medial for the right leg and lateral for the left), not rotated into glTF's
Y-up convention: a file lines up with the model's numbers without any conversion. Bones are placed by their body
transforms; muscles and the tendon are deformed exactly as the scene deforms them
(:meth:`~calfviewer.geometry.assembly.SceneGeometry.soft_points`).

Colours are the scene's tissue materials (:mod:`calfviewer.scene.materials`), not the selection's; a structure the
view state hides is left out, and its drawn opacity becomes the material's alpha (alpha mode BLEND below 1). A
muscle also carries the scene's per-vertex colours (fibre stripes on the belly, its own tendon in the tendon
colour). In glTF they are a small base colour texture (:func:`~calfviewer.scene.materials.fibre_texture`: across,
the tendon weight; down, the fibre detail) with a white base colour factor, and each vertex's ``TEXCOORD_0`` picks
its colour: every viewer shows them, where ``COLOR_0`` is multiplied by the base colour by viewers that follow the
specification (a dark muscle) and ignored by others (no pale tendon). In an OBJ every vertex line carries its
colour (``v x y z r g b``).

glTF and GLB are written by trimesh from a ``trimesh.Scene`` (:func:`build_scene`). OBJ is written here from the
same structures: trimesh's OBJ writer merges materials that look alike (two bones would share one) and drops
opacity, while trimesh's OBJ reader names each mesh after its material, so every structure gets its own
``o``/``g``/``usemtl`` named by its id, and an ``.mtl`` beside the ``.obj`` (FILE.mtl, its spaces and ``#`` written
as ``_``: :func:`mtl_path`) carries ``Kd`` and ``d``.

Every argument is checked before the meshes load, with the same one-line errors as ``render``, and every file is
written through a temporary file and a rename (``calfviewer/files.py``).
"""

from __future__ import annotations

import io
import math
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from calfviewer.anatomy.side import check_side
from calfviewer.errors import CalfviewerError
from calfviewer.files import shown_path, write_files
from calfviewer.musculoskeletal import ANGLES
from calfviewer.musculoskeletal.frames import to_world
from calfviewer.scene import materials
from calfviewer.scene.outputs import check_companion, check_output
from calfviewer.scene.render import check_anything_drawn, posed_state
from calfviewer.scene.view_flags import hide

if TYPE_CHECKING:
    import trimesh

    from calfviewer.anatomy import Catalogue
    from calfviewer.geometry import SceneGeometry
    from calfviewer.musculoskeletal import MusculoskeletalModel, PoseResult
    from calfviewer.viewer.view_state import ViewState

#: The file types ``export`` writes, by suffix.
SUFFIXES = (".glb", ".gltf", ".obj")
#: Said when the view file has a section: a 3D file holds whole structures (the window cuts them as it draws, with
#: clipping planes and caps, which no 3D format carries).
SECTION_NOT_EXPORTED = (
    "section ({section}) is not exported: the file holds every shown structure whole (a 3D program can cut it)"
)
#: Digits after the point for OBJ coordinates (metres): 1e-8 m, far below a float32's step at a metre.
OBJ_DIGITS = 8


@dataclass
class ExportRequest:
    """What ``calfviewer export`` was asked for; angles left None keep the state file's (or neutral) value."""

    out: str
    plantarflexion: str | None = None
    knee_flexion: str | None = None
    subtalar: str | None = None
    toes: str | None = None
    state: str | None = None
    side: str = "right"
    hide: Sequence[str] = ()  # layers or structure ids, hidden over the state file's visibility


@dataclass(frozen=True)
class ExportedStructure:
    """One structure as exported.

    Attributes:
        id: the catalogue id (the node's, mesh's and material's name).
        kind: "bone", "muscle" or "tendon" (the tissue material).
        vertices: (N, 3) world positions in metres at the exported pose.
        faces: (F, 3) vertex indices, wound outward.
        color: RGBA 0..1: the tissue's colour and the drawn opacity.
        vertex_colors: (N, 3) uint8 RGB the scene draws each vertex in (muscles), or None (one colour throughout).
        texcoords: (N, 2) glTF texture coordinates (v down) into :func:`~calfviewer.scene.materials.fibre_texture`
            that give each vertex the same colour (muscles), or None.
    """

    id: str
    kind: str
    vertices: np.ndarray
    faces: np.ndarray
    color: tuple[float, float, float, float]
    vertex_colors: np.ndarray | None = None
    texcoords: np.ndarray | None = None


def exported_structures(
    geometry: SceneGeometry, result: PoseResult, catalogue: Catalogue, state: ViewState
) -> Iterator[ExportedStructure]:
    """Every structure the state shows, in the scene's order (bones, then muscles and tendon), posed at ``result``.

    Drawn or not follows the scene: the structure and its layer shown and an opacity above 0.
    """

    def shown(structure_id: str) -> float | None:
        return state.effective_opacity(structure_id) if state.is_drawn(structure_id) else None

    for bone_id, mesh in geometry.bones.items():
        opacity = shown(bone_id)
        if opacity is None:
            continue
        transform = result.body_transforms[geometry.bodies[bone_id]]
        yield ExportedStructure(
            bone_id,
            "bone",
            to_world(transform, mesh.vertices),
            np.asarray(mesh.faces),
            (*materials.BONE.color, opacity),
        )
    soft = geometry.soft_points(result)
    fibres = materials.soft_tissue_fibres(geometry, catalogue)
    for structure_id, mesh in geometry.soft.items():
        opacity = shown(structure_id)
        if opacity is None:
            continue
        kind = catalogue.get(structure_id).kind
        colors = texcoords = None
        if structure_id in fibres:
            detail, weight = fibres[structure_id]
            colors = materials.to_uint8(materials.detail_colors(detail, materials.MUSCLE.color, weight))
            texcoords = materials.fibre_texcoords(detail, weight)
        yield ExportedStructure(
            structure_id,
            kind,
            np.asarray(soft.get(structure_id, mesh.vertices), dtype=float),
            np.asarray(mesh.faces),
            (*materials.MATERIALS[kind].color, opacity),
            colors,
            texcoords,
        )


def roughness(material: materials.Material) -> float:
    """The glTF roughness that reads like a Phong finish: Beckmann's slope for the Phong exponent (sqrt(2/(n+2)))
    is glTF's alpha, the square of its roughness; no specular term at all is fully rough."""
    if material.specular <= 0.0:
        return 1.0
    return round(math.sqrt(math.sqrt(2.0 / (material.specular_power + 2.0))), 3)


def build_scene(structures: list[ExportedStructure], metadata: dict[str, Any] | None = None) -> trimesh.Scene:
    """A ``trimesh.Scene`` with one node per structure, node and geometry both named by its id."""
    import pyvista as pv
    import trimesh
    from PIL import Image
    from trimesh.visual.material import PBRMaterial
    from trimesh.visual.texture import TextureVisuals

    from calfviewer.scene.actors import vertex_normals

    texture = Image.fromarray(materials.fibre_texture(), mode="RGB")  # one image, shared by every muscle
    scene = trimesh.Scene()
    for item in structures:
        finish = materials.MATERIALS[item.kind]
        opaque = item.color[3] >= 1.0
        textured = item.texcoords is not None
        # Named by tissue (and opacity): structures that look the same share one glTF material.
        name = item.kind if opaque else f"{item.kind}_alpha{round(item.color[3] * 100):d}"
        material = PBRMaterial(
            name=f"{name}_fibres" if textured else name,
            # A textured muscle: the texture is the colour, the factor white with the drawn opacity.
            baseColorFactor=np.array((1.0, 1.0, 1.0, item.color[3]) if textured else item.color, dtype=float),
            baseColorTexture=texture if textured else None,
            metallicFactor=0.0,
            roughnessFactor=roughness(finish),
            alphaMode="OPAQUE" if opaque else "BLEND",
            doubleSided=False,  # closed meshes wound outward, as the scene culls back faces
        )
        # trimesh's UVs have v up from the bottom row and are flipped on writing; ours are glTF's (v down).
        uv = None if item.texcoords is None else np.column_stack([item.texcoords[:, 0], 1.0 - item.texcoords[:, 1]])
        visual = TextureVisuals(uv=uv, material=material)
        mesh = trimesh.Trimesh(
            vertices=item.vertices,
            faces=item.faces,
            visual=visual,
            process=False,  # keep the scene's vertices, their order and count as they are
            metadata={"name": item.id, "kind": item.kind},
        )
        # The normals the viewer shades with (area-weighted, VTK's filter). Left to itself trimesh would sum
        # angle-weighted normals through scipy.sparse, which a plain install (no build extra) lacks: its fallback
        # loop took a minute per export and logged a traceback for every mesh.
        # mypy: trimesh's vertex_normals is a cached property with a setter, which its annotations make a method.
        mesh.vertex_normals = vertex_normals(pv.PolyData.from_regular_faces(item.vertices, item.faces))  # type: ignore[method-assign]
        scene.add_geometry(mesh, geom_name=item.id, node_name=item.id)
    scene.metadata.update(metadata or {})
    return scene


def obj_files(
    structures: list[ExportedStructure], mtl_name: str, metadata: dict[str, Any] | None = None
) -> tuple[bytes, bytes]:
    """(OBJ text, MTL text): per structure an object, a group and a material named by its id.

    When any structure has per-vertex colours, every vertex line carries one (``v x y z r g b``; readers drop the
    colours of a file that mixes both forms): the scene's, or the structure's material colour. ``metadata`` (what
    a glTF carries in its scene's extras: the frame, the side, the pose) is written as comments after the first
    line: OBJ has no other place for it, and without it an OBJ of the left leg did not say that +x is lateral there.
    """
    obj = io.StringIO()
    mtl = io.StringIO()
    obj.write("# calfviewer export: world coordinates in metres (z up), one object per structure\n")
    for key, value in (metadata or {}).items():
        shown = ", ".join(f"{k} {v:g}" for k, v in value.items()) if isinstance(value, dict) else value
        obj.write(f"# {key}: {shown}\n")
    obj.write(f"mtllib {mtl_name}\n")
    mtl.write("# calfviewer export: one material per structure, the scene's tissue colour and opacity\n")
    offset = 1
    colored = any(item.vertex_colors is not None for item in structures)
    position = " ".join([f"%.{OBJ_DIGITS}f"] * 3)
    for item in structures:
        name, (r, g, b, a) = item.id, item.color
        finish = materials.MATERIALS[item.kind]
        mtl.write(f"\nnewmtl {name}\nKa {r:.6f} {g:.6f} {b:.6f}\nKd {r:.6f} {g:.6f} {b:.6f}\n")
        mtl.write(f"Ks {finish.specular:.6f} {finish.specular:.6f} {finish.specular:.6f}\n")
        mtl.write(f"Ns {finish.specular_power:.6f}\nd {a:.6f}\nillum 2\n")
        obj.write(f"\no {name}\ng {name}\nusemtl {name}\n")
        if colored:
            rgb = (
                item.vertex_colors / 255.0
                if item.vertex_colors is not None
                else np.broadcast_to(np.asarray(item.color[:3]), item.vertices.shape)
            )
            np.savetxt(obj, np.hstack([item.vertices, rgb]), fmt=f"v {position} %.4f %.4f %.4f")
        else:
            np.savetxt(obj, item.vertices, fmt=f"v {position}")
        np.savetxt(obj, np.asarray(item.faces) + offset, fmt="f %d %d %d")
        offset += len(item.vertices)
    return obj.getvalue().encode("utf-8"), mtl.getvalue().encode("utf-8")


#: glTF sampler constants: LINEAR filtering (so the tendon-to-belly blend is the window's) and CLAMP_TO_EDGE.
LINEAR, CLAMP_TO_EDGE = 9729, 33071


def linear_sampling(tree: dict[str, Any]) -> None:
    """Give every texture a linear, clamped sampler (trimesh writes none, which leaves the filter to the viewer)."""
    if not tree.get("textures"):
        return
    sampler = {"magFilter": LINEAR, "minFilter": LINEAR, "wrapS": CLAMP_TO_EDGE, "wrapT": CLAMP_TO_EDGE}
    tree["samplers"] = [sampler]
    for texture in tree["textures"]:
        texture["sampler"] = 0


#: Characters an OBJ reader takes for the end of a material library's name: whitespace (``mtllib`` names a LIST of
#: files, split on it, in Blender, MeshLab and most readers), ``#`` (a comment) and a backslash (an escape, in
#: tinyobjloader). Unicode letters are read as they are.
MTL_NAME_BREAKS = "#\\"
#: Bytes read from another OBJ to find its ``mtllib`` line (a header line: every writer puts it before the vertices).
OBJ_HEADER_BYTES = 64 * 1024


def mtl_path(out: Path) -> Path:
    """The material library written beside an OBJ: the same name with ``.mtl``, each character a reader would take
    for the end of the name (:data:`MTL_NAME_BREAKS`, whitespace, control characters) written as ``_``.

    ``mtllib my leg.mtl`` names two files, "my" and "leg.mtl", to every reader that follows the convention (trimesh
    reads the line whole, which is why an export to "my leg.obj" looked right here and lost its colours in Blender),
    so "my leg.obj" comes with ``my_leg.mtl``."""
    stem = "".join("_" if c.isspace() or c in MTL_NAME_BREAKS or ord(c) < 32 else c for c in out.stem)
    return out.with_name(f"{stem}.mtl")


def mtl_note(out: Path) -> str | None:
    """What a user is told about an OBJ's MTL named otherwise than the OBJ ("my leg.obj" with ``my_leg.mtl``), so
    that they copy the pair together; None when the names match (or ``out`` is no OBJ)."""
    if out.suffix.lower() != ".obj":
        return None
    mtl = mtl_path(out)
    if mtl.name == out.with_suffix(".mtl").name:
        return None
    return f"its materials are in {mtl.name} (an OBJ reader ends a material file's name at a space or '#')"


def mtl_libraries(obj: Path) -> list[str]:
    """The file names ``obj``'s ``mtllib`` lines give, split on whitespace as the convention reads them (in its
    first :data:`OBJ_HEADER_BYTES`); none for a file that cannot be read."""
    try:
        with obj.open("rb") as file:
            head = file.read(OBJ_HEADER_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return []
    return [name for line in head.splitlines() if line.startswith("mtllib") for name in line.split()[1:]]


def check_mtl_unclaimed(mtl: Path, out: Path) -> None:
    """Refuse to write ``mtl`` for ``out`` when another OBJ beside it names ``mtl`` as its material library: "my
    leg.obj" and "my_leg.obj" both come with ``my_leg.mtl``, and writing one's would change the other's colours
    (or drop the materials it uses)."""
    try:
        others = [p for p in out.parent.iterdir() if p.suffix.lower() == ".obj" and p.name != out.name]
    except OSError:
        return  # check_output has found the folder writable; a listing refused says nothing about a clash
    for other in sorted(others):
        if mtl.name in mtl_libraries(other):
            raise CalfviewerError(
                f"cannot write {shown_path(mtl)}, which {out.name!r} comes with: it is the material library "
                f"of {other.name!r} beside it; give {out.name!r} another name"
            )


def check_scene_output(path: str | Path) -> Path:
    """``path`` as a scene file to write, refused before any slow work as :func:`check_output` refuses it; for an
    OBJ, its MTL too (a folder or a read-only file of that name would otherwise fail the write at the end, and
    another OBJ's MTL would be written over)."""
    out = check_output(path, SUFFIXES)
    if out.suffix.lower() == ".obj":
        mtl = check_companion(mtl_path(out), out)
        check_mtl_unclaimed(mtl, out)
    return out


def encode(structures: list[ExportedStructure], out: Path, metadata: dict[str, Any]) -> dict[Path, bytes]:
    """The files to write for ``out`` (by its suffix), ``out`` first: an OBJ comes with its MTL (written together,
    so a failure leaves both old files as they were)."""
    suffix = out.suffix.lower()
    if suffix == ".obj":
        mtl = mtl_path(out)
        obj_text, mtl_text = obj_files(structures, mtl.name, metadata)
        return {out: obj_text, mtl: mtl_text}
    scene = build_scene(structures, metadata)
    if suffix == ".glb":
        from trimesh.exchange.gltf import export_glb

        return {out: export_glb(scene, include_normals=True, tree_postprocessor=linear_sampling)}
    from trimesh.exchange.gltf import export_gltf

    files = export_gltf(scene, include_normals=True, embed_buffers=True, tree_postprocessor=linear_sampling)
    (text,) = files.values()  # buffers embedded: one self-contained file
    return {out: text}


def export(request: ExportRequest) -> Path:
    """Validate ``request``, pose the model and write the file; returns the path written (the .obj for OBJ)."""
    out = check_scene_output(request.out)
    from calfviewer.anatomy import load_catalogue
    from calfviewer.musculoskeletal import shared_model

    catalogue = load_catalogue()
    model = shared_model(check_side(request.side))
    state = posed_state(
        catalogue,
        model,
        state=request.state,
        plantarflexion=request.plantarflexion,
        knee_flexion=request.knee_flexion,
        subtalar=request.subtalar,
        toes=request.toes,
    )
    hide(state, request.hide, catalogue)
    check_anything_drawn(state, "nothing to export: the view state and --hide hide every structure")
    if state.section is not None:  # said, not done silently: the window shows the leg cut, the file holds it whole
        said = SECTION_NOT_EXPORTED.format(section=state.section.describe())
        print(f"calfviewer: the view file's {said}", file=sys.stderr)

    from calfviewer.geometry import load_scene_geometry

    return write_scene(out, geometry=load_scene_geometry(model), model=model, catalogue=catalogue, state=state)


def write_scene(
    out: Path,
    *,
    geometry: SceneGeometry,
    model: MusculoskeletalModel,
    catalogue: Catalogue,
    state: ViewState,
    generator: str = "calfviewer export",
) -> Path:
    """Write the scene ``state`` describes (pose, visibility, opacity) to ``out`` by its suffix; the one writer
    behind ``calfviewer export`` and the window's File > Export scene, so both give the same file."""
    result = model.pose(state.pose)
    structures = list(exported_structures(geometry, result, catalogue, state))
    if not structures:
        raise CalfviewerError("nothing to export: the view state hides every structure")
    pose = result.pose
    metadata = {
        "generator": generator,
        "units": "m",
        "frame": "MuJoCo world, not rotated to glTF's y-up: z superior, y posterior, +x "
        + ("medial" if model.side == "right" else "lateral"),
        "side": model.side,
        "pose": {angle: getattr(pose, angle) + 0.0 for angle in ANGLES},  # + 0.0: never -0.0
    }
    write_files(encode(structures, out, metadata))
    return out
