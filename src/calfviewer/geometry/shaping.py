"""Building the rest meshes: each muscle's sections sized to its volume and pushed clear of what lies beneath.

Why a module of its own: this runs once, in ``calfviewer build-meshes`` (:mod:`calfviewer.geometry.build`), and
needs trimesh and the clearance step (:mod:`calfviewer.geometry.clearance`); the viewer loads the result and never
imports this. Building goes deepest first (:data:`~calfviewer.geometry.specs.BUILD_ORDER`), so each layer can be
pushed out of the ones beneath it:

1. **An anatomical cross-section** (:func:`_muscle_section`, :func:`_tendon_section`). A super-ellipse, flattened
   front to back (the gastrocnemius heads and the soleus are broad and flat, the deep muscles rounder), with its
   centre offset from the line of action so the layers nest, growing from tendon size to the belly's peak and back
   (:func:`belly_profile`, :class:`~calfviewer.geometry.specs.ShapeSpec`). The peak size is solved so the volume
   matches :mod:`calfviewer.geometry.volumes`.
2. **Clearance.** Rings that dip into a bone, or into a deeper muscle, are moved as a whole within their own plane
   (and, where wedged between two bones, shrunk) until they clear (:mod:`calfviewer.geometry.clearance`). This
   happens once, at build time; the result is part of the stored rest mesh. The belly is then regrown to restore
   its volume, and pushed again.

The calcaneal (Achilles) tendon is broad and thin where it leaves the muscles at mid-calf, narrowest a few
centimetres above the heel, flaring onto the tuberosity (:class:`~calfviewer.geometry.specs.TendonSpec`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import numpy as np
import trimesh

from calfviewer.anatomy import side as sides
from calfviewer.geometry import sweep
from calfviewer.geometry.clearance import Obstacle, push_out
from calfviewer.geometry.deformer import MuscleDeformer
from calfviewer.geometry.drape import drape
from calfviewer.geometry.packing import packed_mesh
from calfviewer.geometry.pleats import unpleated
from calfviewer.geometry.rig import Rig, Slips, build_context, make_rigs, path_length
from calfviewer.geometry.specs import (
    CLEARANCE,
    DEFAULT_SPEC,
    DRAPE,
    PUSH,
    PUSH_ENVELOPE,
    ROUND_TOP_END,
    SLIDING,
    SOLEUS_WRAP,
    SPECS,
    TENDON,
    TENDON_KEY,
    TOP_LINES,
    UNDER,
    DrapeSpec,
    ShapeSpec,
    WrapSpec,
)
from calfviewer.geometry.top_line import lowered_top
from calfviewer.geometry.volumes import Subject, VolumeTarget, subject_from_leg, target_volumes
from calfviewer.geometry.wrap import wrap
from calfviewer.musculoskeletal import NEUTRAL, MusculoskeletalModel

# The value keeps the name of the module the muscles were first built in (calfviewer.geometry.muscles, since split
# into specs, rig, deformer and this module): it is written into every muscle's and the tendon's entry in
# meshes/manifest.json, so changing it would change the stored meshes.
MUSCLES_GENERATOR = "calfviewer.geometry.muscles"
MUSCLES_GENERATOR_VERSION = 38
"""Bump whenever a change changes the generated meshes (here, or in the specs, rigs or posing the build uses); the
sync test then asks for a rebuild."""

Progress = Callable[[str], None]


# --- sections: what a muscle's and the tendon's cross-sections look like --------------------------------------


def belly_profile(u: np.ndarray, peak: float, fullness: float) -> np.ndarray:
    """0 at both ends of the belly, 1 at ``peak``: ``sin(pi * u**g) ** fullness`` with ``0.5 = peak**g``."""
    g = math.log(0.5) / math.log(peak)
    return np.sin(np.pi * np.clip(u, 0.0, 1.0) ** g) ** fullness


def _section(
    per_ring: int,
    exponent: float,
    thickness: np.ndarray,
    width: np.ndarray,
    deep: float,
    ox: np.ndarray,
    oy: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Ring coordinates (normal, binormal) of super-elliptic sections of the given sizes and offsets."""
    c, s = sweep.superellipse(per_ring, exponent)
    half = np.where(c[None, :] < 0, deep, 1.0 - deep) * thickness[:, None]
    x = ox[:, None] + c[None, :] * half
    y = oy[:, None] + s[None, :] * 0.5 * width[:, None]
    return x, y


def _muscle_section(
    rig: Rig, spec: ShapeSpec, layout_s: np.ndarray, length: float, peak_thickness: float, side_sign: float
) -> tuple[np.ndarray, np.ndarray]:
    k = rig.rings
    kind_belly = rig.belly > 0
    # Position along the belly for belly rings; 0 before, 1 after (so tendon sizes interpolate).
    tp = spec.belly[0] * length
    lb = (spec.belly[1] - spec.belly[0]) * length
    u = np.clip((layout_s - tp) / max(lb, 1e-9), 0.0, 1.0)
    f = np.where(kind_belly, belly_profile(u, spec.peak, spec.fullness), 0.0)
    t_tendon = np.interp(u, [0, 1], [spec.tendon_proximal[0], spec.tendon_distal[0]])
    w_tendon = np.interp(u, [0, 1], [spec.tendon_proximal[1], spec.tendon_distal[1]])
    thickness = t_tendon + (peak_thickness - t_tendon) * f
    if spec.narrow_top > 0:
        top = np.sin(0.5 * np.pi * np.clip(u / spec.peak, 0.0, 1.0)) ** spec.narrow_top
        width = w_tendon + (spec.aspect * peak_thickness - w_tendon) * f * top
    else:
        width = w_tendon + (spec.aspect * peak_thickness - w_tendon) * f
    if spec.round_top > 0:
        r = np.clip(layout_s / spec.round_top, 0.0, 1.0)
        cap = np.maximum(ROUND_TOP_END, np.sqrt(1.0 - (1.0 - r) ** 2))
        width, thickness = width * cap, thickness * cap
    zero = np.zeros(k)
    x, y = _section(rig.topology.per_ring, spec.exponent, thickness, width, spec.deep, zero, zero)
    return _curled(x, y, spec.curl[0], math.radians(spec.curl[1]) * side_sign)


def _curled(x: np.ndarray, y: np.ndarray, radius: float, tilt: float) -> tuple[np.ndarray, np.ndarray]:
    """Sections ``(x, y)`` (normal posterior, binormal medial) bent about a centre ``radius`` in front of them.

    The bend keeps lengths along the mid-line (``x = 0`` goes onto the arc, ``y`` becomes arc length) and
    thicknesses across it, so a flat super-ellipse becomes a crescent of the same width and thickness: the
    gastrocnemius heads' sheets curve round the back of the calf instead of standing off it as flat plates.
    """
    if radius > 0:
        rho, phi = radius + x, y / radius
        x, y = rho * np.cos(phi) - radius, rho * np.sin(phi)
    if tilt:
        c, s = math.cos(tilt), math.sin(tilt)
        x, y = c * x - s * y, s * x + c * y
    return x, y


def _tendon_section(rig: Rig) -> tuple[np.ndarray, np.ndarray]:
    d = rig.b
    table = np.array(TENDON.sections)
    thickness = np.interp(d, table[:, 0], table[:, 1])
    width = np.interp(d, table[:, 0], table[:, 2])
    zero = np.zeros_like(d)
    x, y = _section(rig.topology.per_ring, TENDON.exponent, thickness, width, 0.5, zero, zero)
    # The crescent insertion: near the bone the band curves round its back (its edges come forward, to the bone).
    # The end ring itself stays flat: the end cap fans out from its ring's centre, which a curved ring leaves.
    wrap = (sweep.smoothstep(1.0 - d / TENDON.wrap_length) * (d > 0))[:, None]
    return x - wrap * y**2 / (2.0 * TENDON.wrap_radius), y


def _set_section(rig: Rig, x: np.ndarray, y: np.ndarray, deformer: MuscleDeformer) -> None:
    """Give an unbound rig its designed sections (before any clearance push)."""
    rig.set_local(np.stack([x, y, np.zeros_like(x)], axis=-1))
    frames = deformer.posed_frames(rig.structure_id, deformer.rest)
    rig.rest_estimate = float(deformer.volume_weights(rig, frames, None).sum())


# --- building: sizing to volume, pushing clear ----------------------------------------------------------------


@dataclass(frozen=True)
class BuiltStructure:
    """A generated rest mesh with what it was made to match.

    Attributes:
        mesh: closed surface, world frame, neutral pose.
        target: the volume target (None for the tendon).
        tendon_volume: nominal volume of the tendon parts of the mesh (section x length), m^3; the belly volume
            compared with the target is ``mesh.volume - tendon_volume``.
    """

    mesh: trimesh.Trimesh
    target: VolumeTarget | None
    tendon_volume: float

    @property
    def belly_volume(self) -> float:
        return float(self.mesh.volume) - self.tendon_volume


def model_subject(model: MusculoskeletalModel) -> Subject:
    """The body size the model's leg stands for (see :mod:`calfviewer.geometry.volumes`)."""
    rest = model.pose(NEUTRAL)
    leg_length = float(np.linalg.norm(rest.body_transforms["tibia"][:3, 3] - rest.body_transforms["talus"][:3, 3]))
    leg_mass = model.body_mass("tibia")
    return subject_from_leg(leg_length, leg_mass)


def nominal_tendon_volume(structure_id: str, length: float) -> float:
    """Volume of a muscle's tendon parts: elliptic section of the tendon size times the tendon length (m^3)."""
    spec = SPECS.get(structure_id, DEFAULT_SPEC)
    tp = spec.belly[0] * length
    td = (1.0 - spec.belly[1]) * length
    proximal = math.pi / 4 * spec.tendon_proximal[0] * spec.tendon_proximal[1] * tp
    distal = math.pi / 4 * spec.tendon_distal[0] * spec.tendon_distal[1] * td
    return proximal + distal


def build_soft_tissue(
    model: MusculoskeletalModel,
    bones_world: Mapping[str, trimesh.Trimesh],
    progress: Progress | None = None,
) -> tuple[dict[str, BuiltStructure], MuscleDeformer]:
    """Generate every muscle and the calcaneal tendon at the neutral pose, in world coordinates.

    Args:
        model: the leg to build for (the stored meshes are the right leg's; the left is mirrored at load).
        bones_world: closed bone surfaces placed at the neutral pose, which the muscles must stay outside.
        progress: called with each structure id as it is finished.

    Returns:
        The rest meshes by id (in build order) and a deformer bound to them.
    """
    context = build_context(model)
    rigs = make_rigs(context)
    deformer = MuscleDeformer(model, rigs, context.tendon_id)
    rest = deformer.rest
    targets = target_volumes(model_subject(model))
    side_sign = sides.side_sign(model.side)  # the left leg's tables are the right's, mirrored
    bone_obstacles = [Obstacle.of(name, mesh, CLEARANCE) for name, mesh in bones_world.items()]
    built: dict[str, BuiltStructure] = {}
    belly_tubes: dict[str, trimesh.Trimesh] = {}
    for structure_id, rig in rigs.items():
        key = TENDON_KEY if structure_id == context.tendon_id else structure_id
        # Other muscles are obstacles only away from the ends: the triceps' tails merge into the calcaneal tendon,
        # and attachments crowd each other on the bone (the plantaris arises just above the lateral head).
        free = rig.guide == 0
        if rig.kind == "muscle":
            crowded = SPECS.get(structure_id, DEFAULT_SPEC).crowded_origin
            free = free & (rig.a + rig.b * path_length(rig, rest) >= crowded)
        under = [
            Obstacle.of(
                other,
                belly_tubes[other],
                0.5 * CLEARANCE + SLIDING.get((key, other), 0.0),
                rings=free,
                directions=_outward(deformer, rig, side_sign, PUSH.get((key, other), (1.0, 0.0))),
            )
            for other in (context.tendon_id if o == TENDON_KEY else o for o in UNDER.get(key, ()))
            if other in belly_tubes
        ]
        obstacles = bone_obstacles + under
        if rig.kind == "tendon":
            _set_section(rig, *_tendon_section(rig), deformer)
            mesh = _pushed(deformer, rig, obstacles)
            built[structure_id] = BuiltStructure(mesh, None, float(mesh.volume))
        else:
            built[structure_id] = _build_muscle(deformer, rig, targets.get(structure_id), side_sign, obstacles)
            if structure_id == "soleus":
                built[structure_id] = _wrapped(deformer, rig, built[structure_id], obstacles, SOLEUS_WRAP)
            packed = packed_mesh(deformer, rig, built[structure_id].mesh, obstacles)
            built[structure_id] = replace(built[structure_id], mesh=packed)
            if structure_id in DRAPE:
                built[structure_id] = _draped(deformer, rig, built[structure_id], obstacles, DRAPE[structure_id])
            if structure_id in TOP_LINES:
                line, mesh = TOP_LINES[structure_id], built[structure_id].mesh
                lowered = lowered_top(mesh.vertices, rest.body_transforms[line.body], line, side_sign)
                mesh = trimesh.Trimesh(lowered, mesh.faces, process=False)
                built[structure_id] = replace(built[structure_id], mesh=mesh)
        if rig.slips is not None:
            built[structure_id] = _with_slips(built[structure_id], rig.slips, rig.faces, bone_obstacles)
        built[structure_id] = _without_pleats(rig, built[structure_id], SPECS.get(structure_id, DEFAULT_SPEC).crease)
        deformer.bind(structure_id, built[structure_id].mesh.vertices)
        belly_tubes[structure_id] = _sub_tube(built[structure_id].mesh.vertices, rig, free)
        if progress is not None:
            progress(structure_id)
    # Muscles built before the calcaneal tendon had nothing to tuck their tails into; now they do. The stored rest
    # mesh is by definition what the deformer makes of the neutral pose.
    final = deformer.deform(deformer.rest)
    for structure_id in rigs:
        deformer.bind(structure_id, final[structure_id])
        old = built[structure_id]
        built[structure_id] = BuiltStructure(
            trimesh.Trimesh(final[structure_id], rigs[structure_id].faces, process=False),
            old.target,
            old.tendon_volume,
        )
    return built, deformer


def _build_muscle(
    deformer: MuscleDeformer,
    rig: Rig,
    target: VolumeTarget | None,
    side_sign: float,
    obstacles: list[Obstacle],
) -> BuiltStructure:
    """Size a muscle's sections to its target volume, push it clear of what lies beneath, restore the volume."""
    spec = SPECS.get(rig.structure_id, DEFAULT_SPEC)
    length = path_length(rig, deformer.rest)
    layout_s = rig.a + rig.b * length
    tendon_volume = nominal_tendon_volume(rig.structure_id, length)
    goal = (target.volume if target else 1e-5) + tendon_volume
    # The design grows and shrinks sections about their middle (where a posed belly widens from is the deformer's
    # business: ShapeSpec.widen_medially).
    medially, rig.widen_medially = rig.widen_medially, np.zeros_like(rig.widen_medially)

    def volume_for(peak: float) -> float:
        _set_section(rig, *_muscle_section(rig, spec, layout_s, length, peak, side_sign), deformer)
        frames = deformer.posed_frames(rig.structure_id, deformer.rest)
        return sweep.signed_volume(deformer.place(rig, frames), rig.topology.faces)

    volume_for(solve_increasing(volume_for, goal, low=0.002, high=0.08, what=f"{rig.structure_id}'s volume"))
    mesh = _pushed(deformer, rig, obstacles)
    # Pushing out of bone removes a little volume: grow the belly about its deep edge to restore it, both ways
    # alike (how a belly swells in a pose, Rig.widen, is the deformer's business, not the design's).
    widen, rig.widen = rig.widen, np.zeros_like(rig.widen)
    for _ in range(4):
        deformer.bind(rig.structure_id, mesh.vertices, tube_only=True)
        volume = float(mesh.volume)
        if abs(volume / goal - 1.0) < 0.003:
            break
        frames = deformer.posed_frames(rig.structure_id, deformer.rest)
        weighted = deformer.volume_weights(rig, frames, None)
        belly = float((rig.belly * weighted).sum()) * volume / float(weighted.sum())
        factor = min(max(1.0 + (goal - volume) / belly, 0.7), 2.0)
        scale = np.sqrt(1.0 + rig.belly * (factor - 1.0))
        vertices = deformer.place(rig, frames, scale)
        deformer.bind(rig.structure_id, vertices, tube_only=True)
        mesh = _pushed(deformer, rig, obstacles, rounds=8)
    rig.widen = widen
    rig.widen_medially = medially
    if rig.bound:
        rig.set_local(rig.local)  # its anchors, for posing, where ShapeSpec.widen_medially puts them
    return BuiltStructure(mesh, target, tendon_volume)


def _wrapped(
    deformer: MuscleDeformer,
    rig: Rig,
    built: BuiltStructure,
    obstacles: list[Obstacle],
    spec: WrapSpec,
) -> BuiltStructure:
    """``built`` (the soleus) with its belly wrapped round the deep compartment (:mod:`calfviewer.geometry.wrap`).

    Only the belly changes, blending in and out over :attr:`WrapSpec.fade` at its ends (the origin and the tendon
    stay as designed); every ring keeps its area, so the volume stays on target.
    """
    weights = rig.belly_weights(*spec.fade)
    if not weights.any():
        return built
    frames = deformer.posed_frames(rig.structure_id, deformer.rest)
    k, m = rig.rings, rig.topology.per_ring
    knee, ankle = (deformer.rest.body_transforms[body][:3, 3] for body in ("tibia", "talus"))
    down = (frames.centre - knee) @ (ankle - knee) / float((ankle - knee) @ (ankle - knee))
    start, end, ramp = spec.attach
    attach = sweep.smoothstep((down - start + ramp) / ramp) * sweep.smoothstep((end + ramp - down) / ramp)
    rings = np.asarray(built.mesh.vertices)[: k * m].reshape(k, m, 3)
    wrapped = wrap(rings, frames, obstacles, weights, attach, spec)
    mesh = trimesh.Trimesh(sweep.with_caps(wrapped), rig.topology.faces, process=False)
    return BuiltStructure(mesh, built.target, built.tendon_volume)


def _draped(
    deformer: MuscleDeformer, rig: Rig, built: BuiltStructure, obstacles: list[Obstacle], spec: DrapeSpec
) -> BuiltStructure:
    """``built`` with its belly laid onto what lies beneath it (:mod:`calfviewer.geometry.drape`).

    Only the belly moves, fading in and out over :attr:`DrapeSpec.fade` at its ends (the attachments and the tendon
    stay where they are); the columns keep their thickness, so the volume stays on target.
    """
    weights = rig.belly_weights(*spec.fade)
    if not weights.any():
        return built
    frames = deformer.posed_frames(rig.structure_id, deformer.rest)
    k, m = rig.rings, rig.topology.per_ring
    rings = np.asarray(built.mesh.vertices)[: k * m].reshape(k, m, 3)
    moved = drape(rings, frames, obstacles, weights, spec)
    return replace(built, mesh=trimesh.Trimesh(sweep.with_caps(moved), rig.topology.faces, process=False))


def _with_slips(built: BuiltStructure, slips: Slips, faces: np.ndarray, obstacles: list[Obstacle]) -> BuiltStructure:
    """``built`` with its slips added as closed components, each pushed clear of the bones (as the tubes are).

    The slips are tendon: their volume counts with the tendon parts, not the belly's.
    """
    parts = []
    for first, k, m in slips.rings:
        rings = slips.design[first : first + k * m].reshape(k, m, 3)
        moved = push_out(rings, obstacles, tangents=sweep.tangents(rings.mean(axis=1)))
        parts.append(sweep.with_caps(moved))
    tube = np.asarray(built.mesh.vertices)
    slip_volume = sweep.signed_volume(np.concatenate(parts), slips.faces)
    mesh = trimesh.Trimesh(np.concatenate([tube, *parts]), faces, process=False)
    return BuiltStructure(mesh, built.target, built.tendon_volume + slip_volume)


def _without_pleats(rig: Rig, built: BuiltStructure, crease: float) -> BuiltStructure:
    """``built`` with any fold between its rings sharper than ``crease`` degrees relaxed away
    (:mod:`calfviewer.geometry.pleats`), before the next muscle is built against it and before its rings are bound."""
    faces = np.asarray(built.mesh.faces)
    cosine = float(np.cos(np.radians(crease)))
    vertices = unpleated(built.mesh.vertices, faces, rig.rings, rig.topology.per_ring, cosine)
    return replace(built, mesh=trimesh.Trimesh(vertices, faces, process=False))


def _outward(deformer: MuscleDeformer, rig: Rig, side_sign: float, towards: tuple[float, float]) -> np.ndarray:
    """Per-ring push direction out of a deeper muscle: ``towards`` = (posterior, medial) in the rest ring frame
    (the normal points posteriorly, the binormal medially on the right leg). The calf's layers are pushed
    backwards (the rest normal); the anterior and lateral compartments' forwards and sideways (:data:`PUSH`)."""
    posterior, medial = towards
    if medial == 0.0 and posterior == 1.0:
        return rig.rest_normal.copy()
    frames = deformer.posed_frames(rig.structure_id, deformer.rest)
    direction = posterior * frames.normal + medial * side_sign * frames.binormal
    return direction / np.linalg.norm(direction, axis=1, keepdims=True)


def _sub_tube(vertices: np.ndarray, rig: Rig, rings: np.ndarray) -> trimesh.Trimesh:
    """The closed tube made of the contiguous run of ``rings`` (a muscle without its tucked-in tail)."""
    index = np.flatnonzero(rings)
    first, last = int(index.min()), int(index.max())
    m = rig.topology.per_ring
    block = np.asarray(vertices)[first * m : (last + 1) * m].reshape(-1, m, 3)
    topology = sweep.TubeTopology.build(len(block), m)
    return trimesh.Trimesh(sweep.with_caps(block), topology.faces, process=False)


#: Absolute tolerance of the peak thickness found by :func:`solve_increasing` (metres): below the micrometre grid
#: the stored vertices are rounded to, so the stored meshes do not depend on where in that tolerance it stops.
SOLVE_XTOL = 1e-13


def solve_increasing(function: Callable[[float], float], goal: float, low: float, high: float, what: str) -> float:
    """The ``x`` in ``[low, high]`` where an increasing ``function`` reaches ``goal``.

    Brent's method (``scipy.optimize.brentq``): about 11 evaluations where the 40-step bisection it replaced took
    40, and each evaluation places a whole muscle. Where ``goal`` lies outside ``function(low)..function(high)``
    there is no answer (the bisection silently returned an end of the bracket): a ``RuntimeError`` says so,
    naming ``what`` was being sized and the range the bracket reaches.
    """
    from scipy.optimize import brentq

    seen: dict[float, float] = {}

    def miss(x: float) -> float:
        seen[x] = function(x) - goal
        return seen[x]

    try:
        return float(brentq(miss, low, high, xtol=SOLVE_XTOL))
    except ValueError:
        if low in seen and high in seen and seen[low] * seen[high] > 0:
            raise RuntimeError(
                f"cannot size {what}: no value in [{low:g}, {high:g}] reaches {goal:.6g} "
                f"(it gives {seen[low] + goal:.6g} to {seen[high] + goal:.6g}); the bracket needs widening"
            ) from None
        raise


def _envelope_rings(rig: Rig) -> np.ndarray:
    """How much of the push envelope each ring takes (0..1): :attr:`ShapeSpec.envelope_share` of it in the belly,
    and along the distal tendon's first :attr:`ShapeSpec.envelope_tail` metres a share falling smoothly to none, so
    a thin tendon leaving a belly that was pushed well back comes forward onto what lies beneath gradually, not
    within a ring or two."""
    k = rig.rings
    belly = (rig.belly[:k] > 0).astype(float)
    spec = SPECS.get(rig.structure_id, DEFAULT_SPEC) if rig.kind == "muscle" else DEFAULT_SPEC
    tail = spec.envelope_tail
    if tail > 0.0 and belly.any():
        arc = rig.arc[:k]
        end = arc[belly > 0].max()
        belly = np.where((arc > end) & (arc < end + tail), sweep.smoothstep((end + tail - arc) / tail), belly)
    return belly * spec.envelope_share


def _pushed(deformer: MuscleDeformer, rig: Rig, obstacles: list[Obstacle], rounds: int = 16) -> trimesh.Trimesh:
    """The rig's current rest mesh with its vertices pushed out of ``obstacles`` (see :func:`push_out`)."""
    frames = deformer.posed_frames(rig.structure_id, deformer.rest)
    vertices = deformer.place(rig, frames)
    k, m = rig.rings, rig.topology.per_ring
    weights = 1.0 - rig.guide
    pinned = SPECS.get(rig.structure_id, DEFAULT_SPEC).pinned if rig.kind == "muscle" else 0.0
    if pinned > 0:
        weights = weights * sweep.smoothstep((rig.arc[-1] - rig.arc) / pinned)
        # The end ring lies on its insertion, partly in the bone by design, and does not move; tested, it would ask
        # for a move every round and the blur along the tube would hand it to its neighbours, round after round
        # (fibularis longus's last rings hooked 7-14.5 mm under the first metatarsal that way).
        tested = weights > 0
        obstacles = [
            replace(o, rings=tested if o.rings is None else np.asarray(o.rings, bool) & tested) for o in obstacles
        ]
    rings = push_out(
        vertices[: k * m].reshape(k, m, 3),
        obstacles,
        rounds=rounds,
        tangents=frames.tangent,
        weights=weights,
        envelope=PUSH_ENVELOPE,
        envelope_rings=_envelope_rings(rig),
        shoulders=rig.kind == "muscle" and SPECS.get(rig.structure_id, DEFAULT_SPEC).round_shoulders,
    )
    return trimesh.Trimesh(sweep.with_caps(rings), rig.topology.faces, process=False)
