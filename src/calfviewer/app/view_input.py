"""The mouse on the 3D view: a click picks and selects, a drag or a run of wheel turns moves the camera (taken into
the state, one undoable step, when it ends), a pause names what is under the pointer, and the picture is drawn for
motion while anything moves and at full quality once it has been still a moment.

Why a module of its own: this is the one place that turns Qt's mouse events into state calls, so the window
stays wiring. Keys that reach the view are dropped (VTK's and pyvista's own bindings would change the view behind
the state's back; the app's shortcuts are QActions, handled before a key reaches the widget), but for Tab and
Shift+Tab, which Qt uses to move the focus on.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QMouseEvent

from calfviewer.anatomy.names import display_name
from calfviewer.scene.picking import display_y_from_top
from calfviewer.viewer.camera import Camera, CameraError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStatusBar

    from calfviewer.anatomy import Catalogue
    from calfviewer.app.animator import Animator
    from calfviewer.app.quiz_panel import QuizPanel
    from calfviewer.app.scene_widget import SceneWidget
    from calfviewer.app.undo import History
    from calfviewer.scene.anatomy_scene import AnatomyScene
    from calfviewer.viewer.view_state import ViewState
    from calfviewer.viewer.viewer import Viewer

#: A press and release further apart than this (logical pixels) is a camera drag, not a click.
CLICK_SLOP = 4
#: The picture is drawn at full quality again this long after the camera, the leg or the state stopped changing.
REFINE_AFTER_MS = 150
HOVER_INTERVAL_MS = 60


class ViewWindow(Protocol):
    """What the mouse uses of the window (``MainWindow``): named here so this module need not import the window,
    which imports it. Read each time, not kept: a switch of leg gives the window a new scene."""

    @property
    def animator(self) -> Animator: ...
    @property
    def catalogue(self) -> Catalogue: ...
    @property
    def history(self) -> History: ...
    @property
    def names(self) -> str: ...
    @property
    def play_action_on_click(self) -> bool: ...
    @property
    def plotter(self) -> SceneWidget: ...
    @property
    def quiz(self) -> QuizPanel: ...
    @property
    def scene(self) -> AnatomyScene: ...
    @property
    def state(self) -> ViewState: ...
    @property
    def viewer(self) -> Viewer: ...
    def statusBar(self) -> QStatusBar: ...


class ViewInput(QObject):
    """Filters the mouse, wheel and key events of ``window``'s 3D view; ``parent`` (the window itself) owns it.

    Attributes:
        camera_moved_by_hand: the camera was orbited or zoomed by mouse since the state last took it in.
    """

    def __init__(self, window: ViewWindow, parent: QObject) -> None:
        super().__init__(parent)
        self.window = window
        self.camera_moved_by_hand = False
        self._press: tuple[float, float] | None = None
        self._hover_timer = self._timer(HOVER_INTERVAL_MS, self._hover)
        self._hover_at: tuple[float, float] | None = None
        self._refine_timer = self._timer(REFINE_AFTER_MS, self._refine)  # full quality once the picture is still
        self._camera_moving = False  # a drag or a run of wheel turns has started and not been taken yet
        self._camera_before: Camera | None = None  # where it started
        self._camera_started = 0.0  # and when (History.clock)
        # A run of wheel turns ends this long after the last: one camera step.
        self._wheel_timer = self._timer(REFINE_AFTER_MS, self.take_camera)
        window.animator.playing_changed.connect(self._on_playing_changed)
        window.state.events.camera.connect(self._on_camera_changed)
        window.plotter.installEventFilter(self)
        window.plotter.setMouseTracking(True)

    def _timer(self, interval: int, slot) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(interval)
        timer.timeout.connect(slot)
        return timer

    def pick_at(self, x: float, y: float) -> str | None:
        """The structure under a widget position (Qt logical pixels, y from the top)."""
        plotter = self.window.plotter
        ratio = plotter.devicePixelRatioF()
        window = plotter.render_window
        assert window is not None  # the widget is open: it has just had a mouse event
        height = window.GetSize()[1]
        return self.window.scene.pick(x * ratio, display_y_from_top(y, height, ratio))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.window.plotter:
            return super().eventFilter(watched, event)
        if isinstance(event, QMouseEvent):
            self._mouse(event)
        elif event.type() == QEvent.Type.Wheel:
            if not self._wheel_timer.isActive() and not self._camera_moving:
                self._start_camera_move()
            self._wheel_timer.start()
            self.camera_moved_by_hand = True
            self.moving()
        elif event.type() in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            # VTK's own key bindings (w wireframe, 3 stereo, q close...): dropped, see the module. Tab and Shift+Tab
            # go on to Qt, which moves the focus on: dropped too, they kept a keyboard user in the 3D view.
            return not (isinstance(event, QKeyEvent) and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab))
        return super().eventFilter(watched, event)

    def _mouse(self, event: QMouseEvent) -> None:
        position = event.position()
        kind, button = event.type(), event.button()
        if kind == QEvent.Type.MouseButtonPress and button == Qt.MouseButton.LeftButton:
            self._press = (position.x(), position.y())
        elif kind == QEvent.Type.MouseButtonRelease and button == Qt.MouseButton.LeftButton:
            press, self._press = self._press, None
            self._refine_timer.start()  # a drag ended (or a click that moved the camera a pixel)
            if press and abs(position.x() - press[0]) + abs(position.y() - press[1]) <= CLICK_SLOP:
                self._camera_moving, self._camera_before = False, None  # a click, not a camera move
                window = self.window
                window.viewer.click(self.pick_at(position.x(), position.y()), act=window.play_action_on_click)
            elif press:
                self.camera_moved_by_hand = True
                self.take_camera()
        elif kind == QEvent.Type.MouseButtonRelease and event.buttons() == Qt.MouseButton.NoButton:
            self.take_camera()  # a right-drag zoomed or a middle-drag panned
        elif kind == QEvent.Type.MouseMove and event.buttons() != Qt.MouseButton.NoButton:
            # A drag turns, pans or zooms the camera from its first move on (this filter sees the move before VTK
            # does, so the camera is still where the drag starts); a click, which does not move, never reads it.
            if not self._camera_moving:
                self._start_camera_move()
            self.moving()
        elif kind == QEvent.Type.MouseMove:
            self._hover_at = (position.x(), position.y())
            if not self._hover_timer.isActive():
                self._hover_timer.start()

    def _start_camera_move(self) -> None:
        self._camera_moving = True
        self._camera_started = self.window.history.clock()
        with contextlib.suppress(CameraError):
            self._camera_before = self.window.scene.camera_state()

    def take_camera(self) -> None:
        """A drag or a run of wheel turns ended: the camera it left becomes the state's (one undoable step)."""
        if not self._camera_moving:
            return  # nothing moved it (a click of the right or middle button)
        self._camera_moving = False
        before, self._camera_before = self._camera_before, None
        try:
            camera = self.window.scene.camera_state()
        except CameraError:  # zoomed out past the range a view may hold: the last camera that fits is kept
            return
        if camera != before:
            history = self.window.history
            history.flush()  # anything else first, as its own step
            self.window.state.camera = camera
            history.flush(started=self._camera_started)

    def _on_camera_changed(self, *_: object) -> None:
        self.camera_moved_by_hand = False

    def _hover(self) -> None:
        if self._hover_at is None:
            return
        window = self.window
        structure_id = None if window.quiz.hides_names else self.pick_at(*self._hover_at)
        text = display_name(window.catalogue.get(structure_id), window.names) if structure_id else ""
        window.statusBar().showMessage(text)

    # --- drawing for motion -----------------------------------------------------------------------------------------
    def moving(self) -> None:
        """The camera, the leg or the state is changing: draw for motion until still for REFINE_AFTER_MS (the window
        calls this for the paint that answers a click or a toggle too, issue 23)."""
        self.window.scene.set_interactive(True)
        self._refine_timer.start()

    def _on_playing_changed(self, playing: bool) -> None:
        if playing:
            self.window.scene.set_interactive(True)
        self._refine_timer.start()

    def _refine(self) -> None:
        window = self.window
        if window.animator.playing or self._press is not None:
            return  # still moving: _on_playing_changed or the button's release starts the timer again
        if window.scene.interactive and window.plotter.render_window is not None:
            window.scene.set_interactive(False)
            window.plotter.request_render()
