"""How the leg moves: the MyoLeg model through mujoco. Pose in; bone transforms, muscle paths, lengths and
moment arms out. No VTK, no Qt."""

from calfviewer.musculoskeletal.model import (
    BODIES,
    JOINTS,
    MusclePath,
    MusculoskeletalModel,
    PoseResult,
    check_versions,
    shared_model,
)
from calfviewer.musculoskeletal.pose import ANGLES, NEUTRAL, JointRange, Pose

__all__ = [
    "ANGLES",
    "BODIES",
    "JOINTS",
    "NEUTRAL",
    "JointRange",
    "MusclePath",
    "MusculoskeletalModel",
    "Pose",
    "PoseResult",
    "check_versions",
    "shared_model",
]
