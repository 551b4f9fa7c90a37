"""A tool button's pressed and released looks are painted with the window's next frame, not each on its own.

Why: ``QAbstractButton`` repaints itself at once (``repaint()``, not ``update()``) when it is pressed and again when
it is released, the second time after its action has run and before the event loop turns. In this window a repaint
of any widget is a composition of the whole window, since the 3D view is a ``QOpenGLWidget``: the window is drawn
through GL, on software GL 21-24 ms each on a loaded 2-core machine (docs/performance.md, "The first section, and the
Section toolbar"). So a click on the Section toolbar's Axial waited for two compositions that showed only the
button, then a third with the cut: ~20 ms more than the same choice from the Section menu, as testers found. Here
the button's updates are held from its press or release to the next turn of the event loop, when Qt paints the
button and the 3D view in one composition.

The key presses that press a focused button (Space, Enter) repaint it the same way, so keys are held likewise.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QAbstractButton

#: The events on which ``QAbstractButton`` repaints at once.
REPAINTING = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
    }
)


class PaintWithNextFrame(QObject):
    """An event filter that holds a button's repaints on press and release until the event loop turns."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in REPAINTING and isinstance(watched, QAbstractButton) and watched.updatesEnabled():
            watched.setUpdatesEnabled(False)  # repaint() and update() do nothing meanwhile
            # Enabling updates again schedules a paint of the whole button: Qt paints it with what else changed.
            QTimer.singleShot(0, watched, lambda: watched.setUpdatesEnabled(True))
        return False  # the button still gets the event


def paint_with_next_frame(buttons: Iterable[QAbstractButton], parent: QObject) -> PaintWithNextFrame:
    """Hold ``buttons``' repaints on press and release to the next turn of the event loop (one filter, owned by
    ``parent``)."""
    holder = PaintWithNextFrame(parent)
    for button in buttons:
        button.installEventFilter(holder)
    return holder
