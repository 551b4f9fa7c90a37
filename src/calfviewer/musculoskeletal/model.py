"""The MyoLeg model, loaded once with mujoco, posed many times.

Over 500 lines on purpose: editing MyoLeg's spec before compiling, posing and the moment-arm mechanics share the
MuJoCo indices gathered once when the model loads; split, they would pass those arrays between modules.

Posing is the hot path of animation, so the model is compiled once and every lookup that does not depend on the
pose (joint addresses, coupling polynomials, the sparse layout of the tendon Jacobian) is resolved here up front.

Why we set the coupled knee joints ourselves: MyoLeg couples the tibia's translations and rotations and the patella to
``knee_angle`` through joint equality constraints. Those are only enforced by the simulator's dynamics; kinematics
alone would leave them at zero. We evaluate the same polynomials the model declares, so the bones sit where the
model says they sit at every knee angle.

Plantaris and popliteus are not in MyoLeg. They are added to the model specification as spatial tendons through
sites placed at the catalogue's landmarks, so that mujoco computes their lengths and moment arms with the same
machinery as every other muscle.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import mujoco
import myo_sim
import numpy as np

from calfviewer.anatomy import (
    BODIES,
    Attachment,
    Catalogue,
    Structure,
    ViaPoint,
    load_catalogue,
)  # BODIES: the body stems
from calfviewer.anatomy.side import Side, mirror_z, model_suffix
from calfviewer.errors import CalfviewerError
from calfviewer.musculoskeletal.frames import to_world
from calfviewer.musculoskeletal.pose import ANGLES, ARM_JOINTS, JointRange, Pose

if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet


_ARC_SAMPLES = 8  # points drawn between the two tangent points of a wrapped path
_KNEE = "knee_angle"
_ANKLE = "ankle_angle"
_SUBTALAR = "subtalar_angle"
_TOES = "mtp_angle"  # one metatarsophalangeal joint for all five toes

#: The joints a muscle can cross, in the order moment arms are reported (``measure``, the info panel). Not the
#: catalogue's ``anatomy.catalogue.JOINTS``: the same names, in the order of the ``measure`` columns.
JOINTS: tuple[str, ...] = tuple(ARM_JOINTS)


#: The distributions whose installed version is checked: the model and its meshes depend on exactly these.
CHECKED_DISTRIBUTIONS = ("mujoco", "myo-sim")


@cache
def supported_versions() -> dict[str, SpecifierSet]:
    """The tested version range of each of :data:`CHECKED_DISTRIBUTIONS`, read from calfviewer's own metadata.

    One source: the ranges are the ``dependencies`` of pyproject.toml, as the installed package's metadata carries
    them (``importlib.metadata``), parsed by ``packaging``. A source checkout run without installing has no
    metadata; its pyproject.toml is read instead.
    """
    from packaging.requirements import Requirement

    try:
        from importlib.metadata import PackageNotFoundError, requires

        lines = requires("calfviewer") or []
    except PackageNotFoundError:
        import tomllib
        from pathlib import Path

        pyproject = Path(__file__).resolve().parents[3] / "pyproject.toml"
        lines = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    ranges = {}
    for line in lines:
        requirement = Requirement(line)
        if requirement.marker is None and requirement.name in CHECKED_DISTRIBUTIONS:
            ranges[requirement.name] = requirement.specifier
    return ranges


def is_supported(installed: str, supported: SpecifierSet) -> bool:
    """Whether a version string is in the range; a pre-release (``3.17.0rc1``) or an unreadable version is not the
    release that was tested, so it is outside."""
    from packaging.version import InvalidVersion, Version

    try:
        return supported.contains(Version(installed), prereleases=False)
    except InvalidVersion:
        return False


def check_versions() -> None:
    """Refuse an installed mujoco or myo-sim outside the tested range, with the pip command that fixes it.

    ``CALFVIEWER_ALLOW_UNTESTED=1`` lets a developer try a new release on purpose.
    """
    if os.environ.get("CALFVIEWER_ALLOW_UNTESTED") == "1":
        return
    ranges = supported_versions()
    for name, installed in (("mujoco", mujoco.__version__), ("myo-sim", myo_sim.__version__)):
        supported = ranges.get(name)
        if supported is not None and not is_supported(installed, supported):
            spec = f"{name}{supported}"
            raise CalfviewerError(
                f"installed {name} {installed} is outside the tested range; run: pip install '{spec}' "
                "(or set CALFVIEWER_ALLOW_UNTESTED=1 to try it anyway)"
            )


@dataclass(frozen=True)
class MusclePath:
    """One muscle in one pose.

    Every moment arm is minus the derivative of the length with respect to the joint's angle in the
    :class:`~calfviewer.musculoskeletal.pose.Pose` convention (per radian, so metres): positive where the muscle's
    tension turns the joint in its positive direction. A joint the muscle does not cross has an arm of exactly 0.

    Attributes:
        points: (N, 3) world positions, metres, from origin through via and wrap points to insertion. N can
            change with the pose as a path starts or stops wrapping over a surface.
        length: muscle-tendon length in metres (the path length).
        moment_arm_ankle: metres; positive where tension plantarflexes the ankle.
        moment_arm_knee: metres; positive where tension flexes the knee (the total derivative through the
            coupled knee joints).
        moment_arm_subtalar: metres; positive where tension inverts the foot at the subtalar joint.
        moment_arm_toes: metres; positive where tension flexes the toes at MyoLeg's one toe joint.
        crosses: the joints (of :data:`JOINTS`) the path spans, i.e. has points on bodies on both sides of.
    """

    points: np.ndarray
    length: float
    moment_arm_ankle: float
    moment_arm_knee: float
    moment_arm_subtalar: float = 0.0
    moment_arm_toes: float = 0.0
    crosses: tuple[str, ...] = ()

    @property
    def arms(self) -> dict[str, float]:
        """Joint -> moment arm (metres) for the joints the muscle crosses, in :data:`JOINTS` order."""
        return {joint: getattr(self, f"moment_arm_{joint}") for joint in JOINTS if joint in self.crosses}


@dataclass(frozen=True)
class PoseResult:
    """What the model says about one pose: where every body is and what every muscle does.

    Attributes:
        pose: the pose, clamped to the model's ranges.
        body_transforms: body stem (``"tibia"``) -> 4x4 world transform of that body's frame (metres).
        muscles: muscle id -> :class:`MusclePath`.
    """

    pose: Pose
    body_transforms: dict[str, np.ndarray]
    muscles: dict[str, MusclePath]


@dataclass(frozen=True)
class _Coupling:
    """A dependent joint driven by a polynomial of the knee angle (MyoLeg's joint equality)."""

    qpos_adr: int
    dof_adr: int
    coefficients: np.ndarray  # polycoef a0..a4: q_dep = sum a_i * q_knee**i (qpos0 are zero in MyoLeg)
    derivative: np.ndarray  # d q_dep / d q_knee coefficients a1, 2 a2, 3 a3, 4 a4


class MusculoskeletalModel:
    """The MyoLeg model for one leg, with the catalogue's muscles attached.

    Build it once (compiling takes about a tenth of a second) and call :meth:`pose` as often as needed.
    """

    def __init__(self, side: Side = "right", catalogue: Catalogue | None = None) -> None:
        if side not in ("right", "left"):
            raise CalfviewerError(f"side must be 'right' or 'left', not {side!r}")
        check_versions()
        self.side: Side = side
        self.suffix = f"_{model_suffix(side)}"
        self.catalogue = catalogue if catalogue is not None else load_catalogue()
        spec = myo_sim.FRAGMENT_SPEC_BUILDERS["myolegs"]()
        self._muscles = tuple(s for s in self.catalogue.structures if s.kind == "muscle")
        self._tendon_names = {s.id: self._add_path(spec, s) for s in self._muscles}
        self.model = spec.compile()
        self.data = mujoco.MjData(self.model)
        self._sweep_data: mujoco.MjData | None = None  # :meth:`mechanics` poses its own copy, made on first use
        self._resolve_addresses()

    # --- construction -------------------------------------------------------------------------------------
    def _body_name(self, stem: str) -> str:
        return f"{stem}{self.suffix}"

    def _bone_body(self, bone_id: str) -> str:
        return self._body_name(self.catalogue.body_of(bone_id))

    def _local(self, landmark: tuple[float, float, float]) -> list[float]:
        """A right-leg landmark in its body frame, mirrored for the left leg (OpenSim frames mirror across z)."""
        return list(mirror_z(landmark, self.side))

    def _add_path(self, spec: mujoco.MjSpec, muscle: Structure) -> str:
        """Name of the model tendon that carries ``muscle``.

        A muscle MyoLeg has and the catalogue gives no via points for uses MyoLeg's tendon as it is. A MyoLeg
        muscle with via points gets a copy of MyoLeg's path with the via points (and the wrap surfaces they name)
        inserted after its origin, and MyoLeg's own wrap surfaces left out: that is how the gastrocnemius heads
        ride over the femoral condyles, which MyoLeg defines a wrap surface for but does not use (MuJoCo takes
        one wrap surface between two sites). A muscle MyoLeg lacks gets a new path through its origin, via points
        and first insertion.
        """
        if muscle.model_tendon and not muscle.via:
            return f"{muscle.model_tendon}{self.suffix}_tendon"
        tendon_name = f"calfviewer_{muscle.id}{self.suffix}"
        rest: list[str] = []  # MyoLeg's sites after its first one
        if muscle.model_tendon:
            path = spec.tendon(f"{muscle.model_tendon}{self.suffix}_tendon").path
            original = [path[i] for i in range(len(path))]
            first = original[0]
            # The via points take over from MyoLeg's wrap surfaces: a via point placed below MyoLeg's calf cylinder
            # leaves that cylinder nothing to do, and keeping it lets MuJoCo wrap the long way round it.
            rest = [w.target.name for w in original[1:] if w.type == mujoco.mjtWrap.mjWRAP_SITE]
            ordered: list[str | Attachment | ViaPoint] = [first.target.name]
        else:
            ordered = [muscle.origins[0]]
        ordered += muscle.via
        if not muscle.model_tendon:
            ordered += muscle.insertions[:1]
        tendon = spec.add_tendon(name=tendon_name)
        for index, point in enumerate(ordered):
            if isinstance(point, str):  # a MyoLeg site, already named with its side
                tendon.wrap_site(point)
                continue
            if isinstance(point, ViaPoint) and point.wrap:
                assert point.wrap_side is not None  # the catalogue gives both 'wrap' and 'wrap_side' or neither
                geom = spec.geom(f"{point.wrap}{self.suffix}")
                side_name = f"calfviewer_{muscle.id}_{index}_side{self.suffix}"
                geom.parent.add_site(name=side_name, pos=self._local(point.wrap_side))
                tendon.wrap_geom(geom.name, side_name)
            if isinstance(point, Attachment) and point.site:
                tendon.wrap_site(f"{point.site}{self.suffix}")
                continue
            assert point.landmark is not None  # an attachment without a site has a landmark (the catalogue checks)
            site_name = f"calfviewer_{muscle.id}_{index}{self.suffix}"
            body_name = self._bone_body(point.bone) if isinstance(point, Attachment) else self._body_name(point.body)
            spec.body(body_name).add_site(name=site_name, pos=self._local(point.landmark))
            tendon.wrap_site(site_name)
        for target in rest:
            tendon.wrap_site(target)
        return tendon_name

    def _resolve_addresses(self) -> None:
        m = self.model
        self._joint_range: dict[str, JointRange] = {}
        knee = m.joint(self._body_name(_KNEE))
        ankle = m.joint(self._body_name(_ANKLE))
        subtalar = m.joint(self._body_name(_SUBTALAR))
        toes = m.joint(self._body_name(_TOES))
        self._knee_q, self._knee_v = int(knee.qposadr[0]), int(knee.dofadr[0])
        self._ankle_q, self._ankle_v = int(ankle.qposadr[0]), int(ankle.dofadr[0])
        self._subtalar_q, self._subtalar_v = int(subtalar.qposadr[0]), int(subtalar.dofadr[0])
        self._toes_q, self._toes_v = int(toes.qposadr[0]), int(toes.dofadr[0])

        def deg(radians: float) -> float:
            """Degrees to a thousandth: MyoLeg stores its ranges in float32 radians, so its knee limit reads back as
            120.00028°, and the range printed as "0 to 120" would take 120.0002 and record it."""
            return round(math.degrees(radians), 3) + 0.0

        self.ranges = {
            # ankle_angle is dorsiflexion-positive in MyoLeg: plantarflexion is its negative.
            "plantarflexion": JointRange("plantarflexion", -deg(ankle.range[1]), -deg(ankle.range[0])),
            "knee_flexion": JointRange("knee flexion", deg(knee.range[0]), deg(knee.range[1])),
            "subtalar": JointRange("subtalar inversion", deg(subtalar.range[0]), deg(subtalar.range[1])),
            # MyoLeg's mtp_angle turns the toes down (flexion) when positive: its axis is OpenSim's gait2392 axis
            # reversed (tests/musculoskeletal/test_pose.py checks the direction on the bones).
            "toes": JointRange("toe flexion", deg(toes.range[0]), deg(toes.range[1])),
        }
        couplings = []
        for eq in range(m.neq):
            if m.eq_type[eq] != mujoco.mjtEq.mjEQ_JOINT or m.eq_obj2id[eq] != knee.id:
                continue
            joint = int(m.eq_obj1id[eq])
            if abs(m.qpos0[m.jnt_qposadr[joint]]) > 0 or abs(m.qpos0[self._knee_q]) > 0:
                raise CalfviewerError("MyoLeg's knee coupling assumes zero reference angles; this myo-sim differs")
            coef = np.array(m.eq_data[eq, :5], dtype=float)
            couplings.append(
                _Coupling(
                    qpos_adr=int(m.jnt_qposadr[joint]),
                    dof_adr=int(m.jnt_dofadr[joint]),
                    coefficients=coef,
                    derivative=coef[1:] * np.arange(1, 5),
                )
            )
        self._couplings = tuple(couplings)
        self._body_ids = {stem: m.body(self._body_name(stem)).id for stem in BODIES}
        self._tendon_ids = np.array([m.tendon(self._tendon_names[s.id]).id for s in self._muscles])
        # The tendon Jacobian is stored sparse with a pose-independent layout: gather once, scatter per pose.
        rows: list[int] = []
        cols: list[int] = []
        values: list[int] = []
        for row, tendon_id in enumerate(self._tendon_ids):
            start, count = m.ten_J_rowadr[tendon_id], m.ten_J_rownnz[tendon_id]
            rows.extend([row] * count)
            cols.extend(m.ten_J_colind[start : start + count])
            values.extend(range(start, start + count))
        self._jac_rows = np.array(rows, dtype=int)
        self._jac_cols = np.array(cols, dtype=int)
        self._jac_values = np.array(values, dtype=int)
        self._jacobian = np.zeros((len(self._tendon_ids), m.nv))
        self._coupled_dofs = np.array([c.dof_adr for c in self._couplings], dtype=int)
        # The bodies each joint moves (the knee also moves the patella, through its coupled joints).
        joint_roots = {
            "ankle": {int(ankle.bodyid[0])},
            "knee": {int(knee.bodyid[0])} | {int(m.dof_bodyid[c.dof_adr]) for c in self._couplings},
            "subtalar": {int(subtalar.bodyid[0])},
            "toes": {int(toes.bodyid[0])},
        }
        self._crosses = {
            s.id: self._joints_spanned(int(tendon_id), joint_roots)
            for s, tendon_id in zip(self._muscles, self._tendon_ids, strict=True)
        }
        # 1 where a muscle crosses the joint (columns in JOINTS order), so an arm that is not crossed is exactly 0
        # rather than the rounding noise of two rigidly moving ends.
        self._crossing_mask = np.array(
            [[joint in self._crosses[s.id] for joint in JOINTS] for s in self._muscles], dtype=float
        )

    def _joints_spanned(self, tendon_id: int, joint_roots: dict[str, set[int]]) -> tuple[str, ...]:
        """The joints a tendon's path crosses: for each joint, the path has points (sites, wrap surfaces) on
        bodies that the joint moves differently, i.e. in different subtrees of the bodies it moves (or outside them).

        Read from the path's structure, not from a numerical derivative, so a muscle whose arm passes through
        zero at some angle still counts as crossing the joint, and one that does not cross it is exactly 0.
        """
        m = self.model
        bodies = set()
        for adr in range(m.tendon_adr[tendon_id], m.tendon_adr[tendon_id] + m.tendon_num[tendon_id]):
            kind, obj = m.wrap_type[adr], int(m.wrap_objid[adr])
            if kind == mujoco.mjtWrap.mjWRAP_SITE:
                bodies.add(int(m.site_bodyid[obj]))
            elif kind in (mujoco.mjtWrap.mjWRAP_SPHERE, mujoco.mjtWrap.mjWRAP_CYLINDER):
                bodies.add(int(m.geom_bodyid[obj]))

        def side_of(body: int, roots: set[int]) -> int:
            while body != 0:
                if body in roots:
                    return body
                body = int(m.body_parentid[body])
            return -1  # not moved by the joint

        return tuple(joint for joint in JOINTS if len({side_of(body, joint_roots[joint]) for body in bodies}) > 1)

    # --- queries ------------------------------------------------------------------------------------------
    @property
    def muscle_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self._muscles)

    def tendon_name(self, muscle_id: str) -> str:
        """The name of the mujoco tendon (in :attr:`model`) whose path and length are the muscle's, for checks that
        read mujoco directly."""
        return self._tendon_names[muscle_id]

    def crosses(self, muscle_id: str) -> tuple[str, ...]:
        """The joints (of :data:`JOINTS`) the muscle's path crosses, whatever the pose."""
        return self._crosses[muscle_id]

    def check_pose(self, pose: Pose) -> Pose:
        """The pose with every angle validated against the model's ranges (raises :class:`PoseError`)."""
        return Pose(**{angle: self.ranges[angle].check(getattr(pose, angle)) for angle in ANGLES})

    def body_mass(self, stem: str) -> float:
        """The mass (kg) MyoLeg gives the body ``stem`` (``"tibia"``: the shank) of this leg."""
        m = self.model
        return float(m.body_mass[m.body(f"{stem}{self.suffix}").id])

    def from_right_leg(self) -> np.ndarray:
        """The world transform (4 x 4) that takes a point of the right leg at the neutral pose onto the same point
        of this leg: the identity for the right leg; for the left, the mirror across the body's midline (world x)
        followed by the turn MyoLeg gives its whole left leg, 0.091 degrees about the vertical (its left body frames
        are the right ones mirrored and then turned that little). Everything placed in a body's frame (bones,
        sites, footprints) takes the turn with the body; the stored muscle meshes are the right leg's in the world,
        so this is what places them on the left leg's bones exactly (a mirror alone left them 0.1-0.2 mm off).

        Read from the one compiled model, which holds both legs: this leg's femur frame with its z mirrored (MyoLeg
        mirrors the left body frames across z), seen from the right femur's frame, both at the neutral hip."""
        if self.side == "right":
            return np.eye(4)
        m = self.model
        d = mujoco.MjData(m)  # qpos0: both hips at zero
        mujoco.mj_kinematics(m, d)

        def frame(body: str) -> np.ndarray:
            transform = np.eye(4)
            transform[:3, :3] = d.xmat[m.body(body).id].reshape(3, 3)
            transform[:3, 3] = d.xpos[m.body(body).id]
            return transform

        right = frame(f"femur_{model_suffix('right')}")
        this = frame(self._body_name("femur"))
        return this @ np.diag([1.0, 1.0, -1.0, 1.0]) @ np.linalg.inv(right)

    def site_local(self, site: str) -> tuple[str, np.ndarray]:
        """(body stem, position in that body's frame) of a MyoLeg site given without its side suffix."""
        m = self.model
        try:
            sid = m.site(f"{site}{self.suffix}").id
        except KeyError:
            raise CalfviewerError(f"MyoLeg has no site {site!r}") from None
        body = m.body(m.site_bodyid[sid]).name
        return body.removesuffix(self.suffix), np.array(m.site_pos[sid])

    def pose(self, pose: Pose) -> PoseResult:
        """Bones and muscles at ``pose``; angles out of range raise :class:`PoseError` naming the range."""
        pose = self.check_pose(pose)
        d = self.data
        lengths, arms = self._mechanics(d, pose)

        wrap_points = d.wrap_xpos.reshape(-1, 3)
        wrap_objects = d.wrap_obj.reshape(-1)
        muscles = {}
        for row, (muscle, tendon_id) in enumerate(zip(self._muscles, self._tendon_ids, strict=True)):
            start, count = d.ten_wrapadr[tendon_id], d.ten_wrapnum[tendon_id]
            muscles[muscle.id] = MusclePath(
                points=self._with_arcs(wrap_points[start : start + count], wrap_objects[start : start + count]),
                length=float(lengths[row]),
                moment_arm_ankle=float(arms[row, 0]) + 0.0,
                moment_arm_knee=float(arms[row, 1]) + 0.0,
                moment_arm_subtalar=float(arms[row, 2]) + 0.0,
                moment_arm_toes=float(arms[row, 3]) + 0.0,
                crosses=self._crosses[muscle.id],
            )
        transforms = {}
        for stem, body_id in self._body_ids.items():
            transform = np.eye(4)
            transform[:3, :3] = d.xmat[body_id].reshape(3, 3)
            transform[:3, 3] = d.xpos[body_id]
            transforms[stem] = transform
        return PoseResult(pose=pose, body_transforms=transforms, muscles=muscles)

    def _mechanics(self, d: mujoco.MjData, pose: Pose) -> tuple[np.ndarray, np.ndarray]:
        """Pose ``d`` (kinematics and tendons only) and return every muscle's length and its moment arms (one column
        per joint, in JOINTS order; zero at a joint it does not cross), in :attr:`muscle_ids` order. :meth:`pose`
        and :meth:`mechanics` share it, so a sweep reports exactly the numbers ``calfviewer measure`` prints."""
        m = self.model
        knee = math.radians(pose.knee_flexion)
        d.qpos[:] = m.qpos0
        d.qpos[self._knee_q] = knee
        d.qpos[self._ankle_q] = -math.radians(pose.plantarflexion)
        d.qpos[self._subtalar_q] = math.radians(pose.subtalar)
        d.qpos[self._toes_q] = math.radians(pose.toes)
        powers = knee ** np.arange(5)
        for coupling in self._couplings:
            d.qpos[coupling.qpos_adr] = coupling.coefficients @ powers
        mujoco.mj_kinematics(m, d)
        mujoco.mj_comPos(m, d)
        mujoco.mj_tendon(m, d)

        jac = self._jacobian
        jac[self._jac_rows, self._jac_cols] = d.ten_J[self._jac_values]
        # Total derivative of each length with respect to the knee angle, through the coupled joints.
        coupled_rates = np.array([c.derivative @ powers[:4] for c in self._couplings])
        dlength_dknee = jac[:, self._knee_v] + jac[:, self._coupled_dofs] @ coupled_rates
        # Tension shortens the path: a muscle turns a joint the way that shortens it. Per radian, in JOINTS order:
        # it plantarflexes where dorsiflexion (MyoLeg's positive ankle_angle) lengthens it, and flexes the knee,
        # inverts the foot or flexes the toes where that movement (positive in MyoLeg as in Pose) shortens it.
        arms = self._crossing_mask * np.column_stack(
            (
                jac[:, self._ankle_v],
                -dlength_dknee,
                -jac[:, self._subtalar_v],
                -jac[:, self._toes_v],
            )
        )
        return d.ten_length[self._tendon_ids].copy(), arms

    def mechanics(self, poses: Sequence[Pose]) -> tuple[np.ndarray, np.ndarray]:
        """Every muscle's length and moment arms at each of ``poses``: lengths ``(poses, muscles)`` and arms
        ``(poses, muscles, joints)`` (JOINTS order; zero where a muscle does not cross the joint), metres, muscles
        in :attr:`muscle_ids` order, the same numbers :meth:`pose` gives.

        Why a method of its own: a plot sweeps a joint over 150 poses while the user drags, and :meth:`pose` spends
        most of its time on what a plot does not need (the drawn paths with their wrap arcs, the bone transforms).
        This poses a second ``MjData`` (the one :meth:`pose` fills is left as it was) and reads lengths and the
        tendon Jacobian only. Angles out of range raise :class:`PoseError` naming the range.
        """
        checked = [self.check_pose(pose) for pose in poses]
        if self._sweep_data is None:
            self._sweep_data = mujoco.MjData(self.model)
        lengths = np.empty((len(checked), len(self._tendon_ids)))
        arms = np.empty((len(checked), len(self._tendon_ids), len(JOINTS)))
        for index, pose in enumerate(checked):
            lengths[index], arms[index] = self._mechanics(self._sweep_data, pose)
        return lengths, arms + 0.0

    def attachment_local(self, attachment: Attachment) -> tuple[str, np.ndarray]:
        """(body stem, position in that body's frame) of a catalogue attachment, for this leg."""
        if attachment.site:
            return self.site_local(attachment.site)
        assert attachment.landmark is not None  # the catalogue guarantees one of site and landmark
        return self.catalogue.body_of(attachment.bone), np.array(self._local(attachment.landmark))

    def attachment_world(self, result: PoseResult, attachment: Attachment) -> np.ndarray:
        """World position of a catalogue attachment in ``result``'s pose."""
        body, local = self.attachment_local(attachment)
        transform = result.body_transforms[body]
        return to_world(transform, local)

    def _with_arcs(self, points: np.ndarray, objects: np.ndarray) -> np.ndarray:
        """The path with the arc over each wrapping surface filled in.

        mujoco reports only the two tangent points where a path meets a wrap cylinder or sphere; the length it
        reports follows the surface between them. Drawing the chord would cut through the bone the surface
        stands for, so we sample the helix (cylinder) or great circle (sphere) between the tangent points.
        """
        wrapped = np.flatnonzero((objects[:-1] >= 0) & (objects[:-1] == objects[1:]))
        if len(wrapped) == 0:
            return points.copy()
        pieces, last = [], 0
        for index in wrapped:
            geom = int(objects[index])
            pieces.append(points[last : index + 1])
            pieces.append(self._arc(geom, points[index], points[index + 1]))
            last = int(index) + 1
        pieces.append(points[last:])
        return np.concatenate(pieces)

    def _arc(self, geom: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Interior points (excluding ends) of the surface path from ``a`` to ``b`` on wrap geom ``geom``."""
        d = self.data
        centre = d.geom_xpos[geom]
        frame = d.geom_xmat[geom].reshape(3, 3)
        la, lb = frame.T @ (a - centre), frame.T @ (b - centre)
        fractions = np.linspace(0.0, 1.0, _ARC_SAMPLES + 2)[1:-1, None]
        if self.model.geom_type[geom] == mujoco.mjtGeom.mjGEOM_SPHERE:
            radius = float(np.linalg.norm(la))
            blend = la * (1 - fractions) + lb * fractions
            local = blend / np.linalg.norm(blend, axis=1, keepdims=True) * radius
        else:  # cylinder: interpolate the angle about the axis (the short way) and the height along it
            angle_a, angle_b = math.atan2(la[1], la[0]), math.atan2(lb[1], lb[0])
            turn = (angle_b - angle_a + math.pi) % (2 * math.pi) - math.pi
            angles = angle_a + turn * fractions[:, 0]
            radius = float(np.hypot(la[0], la[1]))
            heights = la[2] + (lb[2] - la[2]) * fractions[:, 0]
            local = np.column_stack([radius * np.cos(angles), radius * np.sin(angles), heights])
        return local @ frame.T + centre

    def bone_transform(self, result: PoseResult, bone_id: str) -> np.ndarray:
        """World transform of a catalogue bone in ``result`` (bones share their model body's frame)."""
        return result.body_transforms[self.catalogue.body_of(bone_id)]


@cache
def shared_model(side: Side = "right") -> MusculoskeletalModel:
    """The one model instance per side the app and the command line reuse."""
    return MusculoskeletalModel(side)
