"""A stored triangle mesh as the viewer reads it: vertex and face arrays plus what the manifest says about them.

Why not a ``trimesh.Trimesh``: importing trimesh (with the scipy.spatial it pulls in) costs about half a second,
a third of the whole start-up budget, and drawing, posing and picking need only the arrays. The build steps and
the tests, which measure volumes, watertightness and distances, ask for :attr:`Surface.trimesh`, made on first use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import trimesh


@dataclass(eq=False)
class Surface:
    """A closed triangle surface.

    Attributes:
        vertices: (N, 3) float64 positions, metres, in the frame the metadata names.
        faces: (M, 3) int64 vertex indices, counter-clockwise seen from outside.
        metadata: the manifest's id, kind, body, frame and units.
    """

    vertices: np.ndarray
    faces: np.ndarray
    metadata: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def trimesh(self) -> trimesh.Trimesh:
        """The same surface as a ``trimesh.Trimesh`` (shares the arrays; made once, on first use)."""
        import trimesh

        mesh = trimesh.Trimesh(self.vertices, self.faces, process=False)
        mesh.metadata.update(self.metadata)
        return mesh
