"""Moved to :mod:`calfviewer.files` (the one safe writer, for every layer); this name keeps old imports working."""

from calfviewer.files import *  # noqa: F403
