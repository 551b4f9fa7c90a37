"""How the leg moves: the MyoLeg model through mujoco. Pose in; bone transforms, muscle paths, lengths and
moment arms out. No VTK, no Qt."""

from calfviewer.musculoskeletal.model import (
    BODIES,
    MusclePath,
    MusculoskeletalModel,
    PoseResult,
    check_versions,
    shared_model,
)
from calfviewer.musculoskeletal.pose import NEUTRAL, JointRange, Pose

__all__ = [
    "BODIES",
    "NEUTRAL",
    "JointRange",
    "MusclePath",
    "MusculoskeletalModel",
    "Pose",
    "PoseResult",
    "check_versions",
    "shared_model",
]
