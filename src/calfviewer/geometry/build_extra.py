"""The packages only ``calfviewer build-meshes`` needs: the ``build`` extra, checked before any building starts.

Why a check: scipy, rtree, pymeshfix and manifold3d are not installed by a plain ``pip install calfviewer``
(showing, rendering, measuring and exporting never import them; together with their own dependencies they are
about a fifth of the install). pymeshfix and manifold3d are imported deep inside the bone build, so without this
check ``build-meshes`` would fail with a traceback halfway through; with it, the user gets one line naming the
command that installs them.
"""

from __future__ import annotations

import importlib

BUILD_MODULES = ("scipy", "rtree", "pymeshfix", "manifold3d")
"""The import names of the ``build`` extra in pyproject.toml."""

INSTALL_HINT = "pip install 'calfviewer[build]'"


def missing_build_modules() -> list[str]:
    """The modules of :data:`BUILD_MODULES` that cannot be imported here, in that order."""
    missing = []
    for name in BUILD_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    return missing


def missing_build_message(missing: list[str]) -> str:
    """One line for the user: what is missing and the command that installs it."""
    return f"build-meshes needs {', '.join(missing)} (the build extra); install them with: {INSTALL_HINT}"
