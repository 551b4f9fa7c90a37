"""How things look: colours, surface finish, lights and the background of the anatomy scene.

Atlas conventions a student already reads: ivory bone, red muscle, silvery white tendon; a selected structure
lights up in one colour no tissue has, and its attachments are painted on the bone, origins warm and insertions
cool. Everything here is plain numbers so tests can compare rendered pixels with the colour a material promises.

Muscle "surface detail" is a per-vertex colour modulation in stripes along the muscle's long axis (fibres run
lengthwise), computed once from the rest mesh: cheap, no textures or shaders, and it travels with the vertices when
the muscle deforms. The same per-vertex colours paint a muscle's own tendon (plantaris' long thin one, the deep
flexors', the triceps' tails) in the tendon colour: the geometry says how much of a tendon each vertex is, and the
colour blends from the striped red belly to a paler, smoother, brighter tendon over about a centimetre.

A vertex's colour depends only on two numbers, its fibre detail and its tendon weight, and is bilinear in them, so
``calfviewer export`` writes it to glTF as a small texture of those colours (:func:`fibre_texture`) and a texture
coordinate per vertex (:func:`fibre_texcoords`): the same colours from the same formula (:func:`detail_colors`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyvista as pv

if TYPE_CHECKING:
    from calfviewer.anatomy import Catalogue
    from calfviewer.geometry import SceneGeometry

RGB = tuple[float, float, float]


def hex_rgb(code: str) -> RGB:
    """'#B03A2E' -> (0.69, 0.23, 0.18): pyvista's colour parser, each channel the byte over 255."""
    r, g, b = pv.Color(code).float_rgb
    return (r, g, b)


@dataclass(frozen=True)
class Material:
    """A surface finish for one kind of tissue (VTK's Phong model).

    Back faces are culled: every surface drawn with a material is a closed mesh wound outward (bones, muscles,
    tendons; a test holds this for every mesh and both legs) or a patch lying on one (attachment footprints), so a
    back face is never the one seen. Culling them halves the triangles the GL rasterizes, which halved the frame time
    under software GL (318 -> 158 ms at 1280x800), and a faded layer shows its near surface only, not its far side
    through itself.

    Attributes:
        color: diffuse colour, RGB 0..1.
        ambient, diffuse, specular: the Phong weights; specular_power the highlight's tightness.
    """

    color: RGB
    ambient: float = 0.12
    diffuse: float = 0.85
    specular: float = 0.1
    specular_power: float = 12.0

    def apply(self, prop: pv.Property, color: RGB | None = None) -> None:
        prop.color = color or self.color
        prop.ambient = self.ambient
        prop.diffuse = self.diffuse
        prop.specular = self.specular
        prop.specular_power = self.specular_power
        prop.interpolation = "phong"
        prop.culling = "back"


BONE = Material(hex_rgb("#E8DCC0"), ambient=0.14, diffuse=0.88, specular=0.0)  # matte: and no specular term to shade
MUSCLE = Material(hex_rgb("#B03A2E"), ambient=0.2, diffuse=0.82, specular=0.22, specular_power=18.0)
TENDON = Material(hex_rgb("#E8E8F0"), ambient=0.12, diffuse=0.78, specular=0.45, specular_power=40.0)
MATERIALS: dict[str, Material] = {"bone": BONE, "muscle": MUSCLE, "tendon": TENDON}

#: A selected structure: a saturated yellow-green no tissue has (far in hue from muscle red, bone ivory and the
#: attachment colours), and a paler outline around it.
SELECTION = Material(hex_rgb("#9BE22D"), ambient=0.18, diffuse=0.8, specular=0.2, specular_power=20.0)
SELECTION_OUTLINE: RGB = hex_rgb("#E8FF9A")
#: Attachment footprints painted on the bone: origin orange (warm, but clearly not muscle red), insertion blue.
ORIGIN = Material(hex_rgb("#FF7F11"), ambient=0.2, diffuse=0.8, specular=0.1)
INSERTION = Material(hex_rgb("#1F7BFF"), ambient=0.2, diffuse=0.8, specular=0.1)
FOOTPRINTS: dict[str, Material] = {"origin": ORIGIN, "insertion": INSERTION}
#: The selected muscle's line of action (origin, via points, insertion).
LINE_OF_ACTION: RGB = hex_rgb("#4FE3FF")

#: Background: a dark slate gradient, against which ivory, red and silver all stand out.
BACKGROUND_TOP: RGB = hex_rgb("#3A4049")
BACKGROUND_BOTTOM: RGB = hex_rgb("#14171B")
LABEL_TEXT: RGB = hex_rgb("#F2F2F2")

#: Legend rows: (label, colour), drawn by the scene in a corner; a row shows only while its colour is on screen.
LEGEND: tuple[tuple[str, RGB], ...] = (
    ("Bone", BONE.color),
    ("Muscle", MUSCLE.color),
    ("Tendon", TENDON.color),
    ("Selected", SELECTION.color),
    ("Origin", ORIGIN.color),
    ("Insertion", INSERTION.color),
    ("Line of action", LINE_OF_ACTION),
)

#: Depth of the fibre stripes: colours vary by this fraction around the material colour.
FIBRE_CONTRAST = 0.14
FIBRE_COUNT = 11  # stripes around the circumference


#: Tendon is collagen running lengthwise too, but smooth and glossy: its stripes are this much fainter, and it is
#: this much brighter than its base colour (the sheen a per-vertex colour can give; the finish is the muscle's).
TENDON_STRIPES = 0.3
TENDON_SHEEN = 1.04


#: The largest fibre detail (either sign): stripes reach 1, the noise 0.35, halved and scaled by the contrast.
FIBRE_DETAIL = FIBRE_CONTRAST * 0.5 * (1.0 + 0.35)


def fibre_detail(points: np.ndarray, seed: int = 0) -> np.ndarray:
    """Per-vertex fibre detail (within +-:data:`FIBRE_DETAIL`), for a muscle's rest-pose vertices.

    The long axis is the mesh's first principal direction; the stripe phase is the angle around it plus a slow
    twist along it (pennate fibres are not straight), and a little per-vertex noise breaks the regularity.
    """
    centred = points - points.mean(axis=0)
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    along = centred @ axes[0]
    angle = np.arctan2(centred @ axes[2], centred @ axes[1])
    span = max(float(np.ptp(along)), 1e-6)
    twist = 2.0 * np.pi * along / span
    stripes = 0.5 * np.sin(FIBRE_COUNT * angle + twist) + 0.5 * np.sin(2 * FIBRE_COUNT * angle - 0.7 * twist)
    noise = np.random.default_rng(seed).uniform(-0.35, 0.35, len(points))
    return FIBRE_CONTRAST * 0.5 * (stripes + noise)


def detail_colors(detail: np.ndarray, base: RGB, tendon_weight: np.ndarray | None = None) -> np.ndarray:
    """RGB 0..1 for each fibre ``detail`` around ``base``, blended by ``tendon_weight`` (0 belly .. 1 tendon)
    towards :data:`TENDON`'s colour with fainter stripes and a little sheen, so a muscle's own tendon reads as tendon.
    """
    detail = np.asarray(detail, dtype=float)
    rgb = np.outer(1.0 + detail, base)
    if tendon_weight is not None:
        weight = np.clip(np.asarray(tendon_weight, dtype=float), 0.0, 1.0).reshape(-1, 1)
        tendon = np.outer(TENDON_SHEEN + TENDON_STRIPES * detail, TENDON.color)
        rgb = (1.0 - weight) * rgb + weight * tendon
    return np.clip(rgb, 0.0, 1.0)


def to_uint8(rgb: np.ndarray) -> np.ndarray:
    return (np.asarray(rgb) * 255.0 + 0.5).astype(np.uint8)


def fibre_colors(points: np.ndarray, base: RGB, seed: int = 0, tendon_weight: np.ndarray | None = None) -> np.ndarray:
    """Per-vertex RGB (uint8) with lengthwise fibre stripes (:func:`fibre_detail`), for a muscle's rest-pose
    vertices; ``tendon_weight`` paints the muscle's own tendon (:func:`detail_colors`)."""
    return to_uint8(detail_colors(fibre_detail(points, seed), base, tendon_weight))


#: The muscle colour texture (width x height texels): across, the tendon weight 0..1; down, the fibre detail
#: -FIBRE_DETAIL..+FIBRE_DETAIL. The colour is bilinear in the two, so a linearly sampled texture gives it exactly.
FIBRE_TEXTURE_SIZE = (17, 9)


def fibre_texture() -> np.ndarray:
    """(height, width, 3) uint8 texture of :func:`detail_colors` for muscle red: texel (row, col) is the colour at
    tendon weight col / (width - 1) and detail -FIBRE_DETAIL + 2 FIBRE_DETAIL row / (height - 1)."""
    width, height = FIBRE_TEXTURE_SIZE
    weight, detail = np.meshgrid(np.linspace(0.0, 1.0, width), np.linspace(-FIBRE_DETAIL, FIBRE_DETAIL, height))
    return to_uint8(detail_colors(detail.ravel(), MUSCLE.color, weight.ravel())).reshape(height, width, 3)


def fibre_texcoords(detail: np.ndarray, tendon_weight: np.ndarray | None) -> np.ndarray:
    """(N, 2) glTF texture coordinates (u right, v down from the top row) that pick each vertex's colour from
    :func:`fibre_texture`: on the texel centres, so linear (and, within half a texel, nearest) sampling gives it."""
    width, height = FIBRE_TEXTURE_SIZE
    detail = np.asarray(detail, dtype=float)
    weight = np.zeros(len(detail)) if tendon_weight is None else np.clip(np.asarray(tendon_weight, float), 0.0, 1.0)
    row = np.clip((detail + FIBRE_DETAIL) / (2.0 * FIBRE_DETAIL), 0.0, 1.0) * (height - 1)
    return np.column_stack([(0.5 + weight * (width - 1)) / width, (0.5 + row) / height])


Fibres = tuple[np.ndarray, np.ndarray | None]


def soft_tissue_fibres(geometry: SceneGeometry, catalogue: Catalogue) -> dict[str, Fibres]:
    """Muscle id -> (per-vertex fibre detail, per-vertex tendon weight or None): what a muscle's colours are made of."""
    fibres: dict[str, Fibres] = {}
    for index, (structure_id, mesh) in enumerate(geometry.soft.items()):
        if catalogue.get(structure_id).kind != "muscle":
            continue
        detail = fibre_detail(np.asarray(mesh.vertices), index)
        fibres[structure_id] = (detail, geometry.tendon_weight.get(structure_id))
    return fibres


def soft_tissue_colors(geometry: SceneGeometry, catalogue: Catalogue) -> dict[str, np.ndarray]:
    """Muscle id -> per-vertex RGB (uint8) as the scene draws it: fibre stripes on the belly, tendon colour on the
    muscle's tendon. The calcaneal tendon is left out: its material colour alone draws it.

    The one place these colours are made, so ``calfviewer export`` writes exactly what the scene shows (as these
    colours in an OBJ, and through :func:`fibre_texture` and :func:`fibre_texcoords` in glTF).
    """
    return {
        structure_id: to_uint8(detail_colors(detail, MUSCLE.color, weight))
        for structure_id, (detail, weight) in soft_tissue_fibres(geometry, catalogue).items()
    }


def setup_lights(plotter: pv.BasePlotter) -> None:
    """Three lights that follow the camera: a warm key from upper left, a cool fill from the right, and a rim
    light from behind that separates the silhouette from the dark background. Shape reads from any view."""
    plotter.remove_all_lights()
    for position, color, intensity in (
        ((-1.0, 1.2, 1.0), hex_rgb("#FFF6E8"), 0.95),  # key: upper left, in front
        ((1.2, -0.3, 0.9), hex_rgb("#E6EEFF"), 0.55),  # fill: right, a little below
        ((0.2, 0.8, -1.2), hex_rgb("#FFFFFF"), 0.40),  # rim: behind and above
    ):
        light = pv.Light(
            position=position, focal_point=(0.0, 0.0, 0.0), color=color, intensity=intensity, light_type="camera light"
        )
        plotter.add_light(light)


def setup_background(plotter: pv.BasePlotter) -> None:
    # mypy: pyvista wraps this method with functools.wraps, whose typeshed type has no __get__ (taken as unbound).
    plotter.set_background(BACKGROUND_BOTTOM, top=BACKGROUND_TOP)  # type: ignore[arg-type]
