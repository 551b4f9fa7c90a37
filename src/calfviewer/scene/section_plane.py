"""Moved to :mod:`calfviewer.viewer.section_plane` (the logic layer: no Qt, no VTK); old imports keep working."""

from calfviewer.viewer.section_plane import *  # noqa: F403
