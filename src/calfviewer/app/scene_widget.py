"""The 3D view's widget: pyvistaqt's QtInteractor, drawing once per paint and with cheap edge smoothing.

Why a subclass: measured in the window (docs/performance.md, "Where the time went"), every frame was drawn twice.
pyvistaqt's ``paintGL`` always renders, and every render made outside a paint (ours, or VTK's interactor style
while the camera is dragged or a button is released) ends with a ``WindowFrameEvent`` that schedules that paint. So
a click cost three full renders and a playback frame two. Here every render request, VTK's included, only asks Qt
for a paint (``update()``, which Qt merges), and the paint does the one render.

Multisampling is off and FXAA on, as in ``calfviewer render``: with 4 samples llvmpipe spent 140 ms on a frame of
the calf that costs 38 ms without them, and FXAA smooths the edges for a few milliseconds.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from pyvistaqt import QtInteractor
from vtkmodules.vtkCommonCore import vtkCommand

from calfviewer.scene.gl_driver import render_window
from calfviewer.scene.render import smooth_edges


class SceneWidget(QtInteractor):
    """A QtInteractor that renders only inside ``paintGL``: one render per paint, however many asked for it.

    Signals:
        rendered(): a paint drew the scene (the 2D overlays were laid out for the widget as it is now).
    """

    rendered = Signal()

    def __init__(self, parent: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("multi_samples", 0)
        super().__init__(parent, **kwargs)
        smooth_edges(self)
        self.setAccessibleName("3D view of the leg")
        self._painting = False
        self.renders = 0  # renders done, for tests and benchmarks
        interactor = render_window(self).GetInteractor()
        interactor.EnableRenderOff()  # VTK's own render calls still invoke RenderEvent, which asks for a paint
        self._render_request: int | None = interactor.AddObserver(vtkCommand.RenderEvent, self._on_render_request)

    def request_render(self) -> None:
        """Ask for a render at the next paint (several requests before it make one render)."""
        self.update()

    def paintGL(self) -> None:
        self._painting = True
        try:
            super().paintGL()
        finally:
            self._painting = False

    def _on_render_request(self, *_: object) -> None:
        if self._painting:  # paintGL's own call: the one render
            window = self.render_window
            if window is not None:
                self.renders += 1
                window.Render()
                self.rendered.emit()
        else:
            self.update()

    def close(self) -> None:  # type: ignore[override]
        window = self.render_window
        interactor = window.GetInteractor() if window is not None else None
        if interactor is not None and self._render_request is not None:
            interactor.RemoveObserver(self._render_request)
            self._render_request = None
        super().close()  # pyvistaqt's close returns None on purpose (unlike QWidget's)
