"""Moved to :mod:`calfviewer.viewer.camera` (the logic layer: no Qt, no VTK); old imports keep working."""

from calfviewer.viewer.camera import *  # noqa: F403
