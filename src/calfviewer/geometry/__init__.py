"""geometry layer (see docs/ARCHITECTURE.md): bone, muscle and tendon meshes, and attachment footprints."""

from calfviewer.geometry.assembly import SceneGeometry, SoftTissueDeformer, load_scene_geometry
from calfviewer.geometry.footprint import Footprint

__all__ = ["Footprint", "SceneGeometry", "SoftTissueDeformer", "load_scene_geometry"]
