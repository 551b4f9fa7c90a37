"""geometry layer (see docs/ARCHITECTURE.md): bone, muscle and tendon meshes, and attachment footprints."""

from calfviewer.geometry.assembly import Footprint, SceneGeometry, SoftTissueDeformer, load_scene_geometry

__all__ = ["Footprint", "SceneGeometry", "SoftTissueDeformer", "load_scene_geometry"]
