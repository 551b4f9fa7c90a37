"""Python that VTK calls from inside its C++ (an observer of a render), where a Ctrl-C must not be raised.

Why: when a Python observer raises KeyboardInterrupt, VTK's wrapping prints "Caught a Ctrl-C within python, exiting
program." and ends the process with exit code 1 on the spot. Nothing unwinds, so no ``finally`` runs: a movie
stopped so left its hidden temporary file beside the target, and neither the command's one line nor its exit code
130 came. The scene lays out its labels, legend and colour bar in such an observer (the start of every render), so
a Ctrl-C during a labelled render or movie landed there about one time in three.

A function marked :func:`called_from_vtk` is told apart by its code object; the command line's Ctrl-C handler
(cli.py) holds an interrupt back while one is running, as it does during an import, and sends it again a moment
later, when the render has returned to Python. Nothing here imports VTK.
"""

from __future__ import annotations

from collections.abc import Callable
from types import CodeType, FrameType
from typing import Any, TypeVar

_Function = TypeVar("_Function", bound=Callable[..., Any])

#: The code of every function marked with :func:`called_from_vtk`.
_MARKED: set[CodeType] = set()


def called_from_vtk(function: _Function) -> _Function:
    """Mark ``function`` as one VTK calls from C++ (an observer), so a Ctrl-C is not raised while it runs."""
    _MARKED.add(function.__code__)
    return function


def in_vtk_callback(frame: FrameType | None) -> bool:
    """Whether ``frame`` or a caller of it is a function marked :func:`called_from_vtk`."""
    while frame is not None:
        if frame.f_code in _MARKED:
            return True
        frame = frame.f_back
    return False
