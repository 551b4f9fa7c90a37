"""Moved to :mod:`calfviewer.viewer.view_state` (the logic layer: no Qt, no VTK); old imports keep working."""

from calfviewer.viewer.view_state import *  # noqa: F403
