"""The 3D view's widget: pyvistaqt's QtInteractor, drawing once per paint and with cheap edge smoothing.

Why a subclass: measured in the window (docs/performance.md, "Where the time went"), every frame was drawn twice.
pyvistaqt's ``paintGL`` always renders, and every render made outside a paint (ours, or VTK's interactor style
while the camera is dragged or a button is released) ends with a ``WindowFrameEvent`` that schedules that paint. So
a click cost three full renders and a playback frame two. Here every render request, VTK's included, only asks Qt
for a paint (``update()``, which Qt merges), and the paint does the one render.

Multisampling is off and FXAA on, as in ``calfviewer render``: with 4 samples llvmpipe spent 140 ms on a frame of
the calf that costs 38 ms without them, and FXAA smooths the edges for a few milliseconds.

VTK's window is as many device pixels as Qt's picture of the widget (:meth:`SceneWidget.framebuffer_size`): Qt
rounds the widget's size times the pixel ratio half up, pyvistaqt half to even, so at 125 % or 150 % half of the
window sizes gave VTK a row (or column) fewer than the picture. That row was never drawn, a black line along the top
of the 3D view, and a click there picked one pixel below the pointer.
"""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QRect, Signal
from pyvistaqt import QtInteractor
from vtkmodules.vtkCommonCore import vtkCommand

from calfviewer.app.screen_reader import read_as_canvas
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
        read_as_canvas(type(self))  # before Qt first reads the widget: its interface is made then, and kept
        super().__init__(parent, **kwargs)
        smooth_edges(self)
        self.setAccessibleName("3D view of the leg")
        self._painting = False
        self.renders = 0  # renders done, for tests and benchmarks
        interactor = render_window(self).GetInteractor()
        interactor.EnableRenderOff()  # VTK's own render calls still invoke RenderEvent, which asks for a paint
        self._render_request: int | None = interactor.AddObserver(vtkCommand.RenderEvent, self._on_render_request)

    def framebuffer_size(self) -> tuple[int, int]:
        """The device pixels of the widget's picture, as Qt sizes it: the size times the pixel ratio, rounded half up
        (``QSize * qreal`` is ``qRound``; Python's ``round`` takes 852.5 to 852, Qt to 853)."""
        size = self.size() * self.devicePixelRatioF()
        return max(1, size.width()), max(1, size.height())

    def resizeGL(self, w: int, h: int) -> None:
        super().resizeGL(w, h)
        window = self.render_window
        size = self.framebuffer_size()
        if window is not None and tuple(window.GetSize()) != size:
            interactor = window.GetInteractor()
            if interactor is not None:
                interactor.UpdateSize(*size)
                interactor.InvokeEvent("ConfigureEvent")
            else:
                window.SetSize(*size)

    def _blit(self, target_id: int, rect: QRect) -> None:
        """The whole picture: pyvistaqt's rectangle is a row or column short where it rounds otherwise than Qt."""
        super()._blit(target_id, QRect(0, 0, *self.framebuffer_size()))

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
        # pyvistaqt keeps its GL context's surface as a Python wrapper (``_surface``) and forgets it only when the
        # context reports its end, which a widget deleted with its window did not: the wrapper outlived the surface,
        # and PySide then handed it back for a new Qt object made at the same address (the Mechanics dock's menu
        # action came back as a QSurface, "has no attribute 'setText'", in a later test). Closed, nothing draws.
        surface, self._surface = self._surface, None
        if surface is not None:
            shiboken6.invalidate(surface)
