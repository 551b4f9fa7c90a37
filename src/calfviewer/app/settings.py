"""Where the window remembers itself, and what happens when that file is damaged.

A corrupt settings file must never stop the viewer from starting or lose what it held: it is moved aside as a
backup, the viewer starts with defaults, and the user is told where the backup is.

Qt's own check is not enough: QSettings reads random bytes without an error (it finds a few odd keys in them) and
would overwrite the file on exit, so the text is also checked here to be the INI that QSettings writes.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from calfviewer.anatomy.side import SIDES

#: A line QSettings writes: blank, a comment, a ``[section]`` or a ``key=value``.
_INI_LINE = re.compile(r"\s*(?:[;#].*|\[[^\[\]]+\]|[^=\[\]]+=.*)?\s*")


@dataclass
class OpenedSettings:
    """The settings to use, and a notice for the user if the old file had to be set aside."""

    settings: QSettings
    notice: str | None = None
    #: The folder the settings file belongs in, even when this session had to use a scratch file: what else the
    #: window keeps between sessions (its bookmarks) is kept there.
    home: Path | None = None


def damage(path: Path) -> str | None:
    """What is wrong with the settings file at ``path`` (None when it is absent or reads as INI text)."""
    try:
        data = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):  # none there: a file where its folder goes holds none either
        return None
    except OSError as error:
        return f"it cannot be read ({error.strerror or error})"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "it is not text"
    for number, line in enumerate(text.splitlines(), start=1):
        if any(not ch.isprintable() and ch != "\t" for ch in line) or not _INI_LINE.fullmatch(line):
            return f"line {number} is not a setting"
    return None


def open_settings(path: str | None = None) -> OpenedSettings:
    """Open the settings file (the platform's default place unless ``path`` is given), recovering from damage."""
    settings = (
        QSettings(path, QSettings.Format.IniFormat)
        if path
        else QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "calfviewer", "calfviewer")
    )
    file = Path(settings.fileName())
    blocked = _lock_set_aside(file)
    if isinstance(blocked, OSError):
        del settings
        reason = blocked.strerror or blocked
        return _scratch(file, f"its lock {file.name}.lock is not a file and cannot be moved aside ({reason})")
    lock_notice = (
        f"A folder stood where the settings' lock file {file.name}.lock goes; it is at {blocked}" if blocked else None
    )
    problem = damage(file) if settings.status() == QSettings.Status.NoError else "Qt could not parse it"
    if problem is None:
        return OpenedSettings(settings, lock_notice, home=file.parent)
    backup = file.with_name(f"{file.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}.bak")
    del settings
    try:
        file.replace(backup)
    except OSError as error:
        # It cannot be moved aside (a read-only folder): leave it as it is and keep this session's settings in a
        # scratch file, so the damaged one is neither lost nor overwritten.
        return _scratch(file, f"it is damaged ({problem}) and could not be moved aside ({error.strerror or error})")
    fresh = QSettings(str(file), QSettings.Format.IniFormat)
    notice = f"Settings file was damaged ({problem}); started with defaults. The old file is at {backup}"
    return OpenedSettings(fresh, f"{lock_notice}. {notice}" if lock_notice else notice, home=file.parent)


def _scratch(file: Path, problem: str) -> OpenedSettings:
    """Settings in a scratch file for this session, the file at ``file`` left as it is, and a notice saying why."""
    scratch = Path(tempfile.mkdtemp(prefix="calfviewer-settings-")) / file.name
    return OpenedSettings(
        QSettings(str(scratch), QSettings.Format.IniFormat),
        f"Settings file {file}: {problem}; started with defaults, and this session's settings will not be kept",
        home=file.parent,
    )


def _lock_set_aside(file: Path) -> Path | OSError | None:
    """Move aside a folder (or anything but a file) standing where QSettings puts its lock file, ``NAME.lock``.

    QSettings takes that lock to write, and waits for as long as it cannot take it: with a folder there, which it
    can neither open nor remove as a stale lock, the window hung for good when it closed (and on the signal that
    closes it), its settings and bookmarks unwritten. Returns where it went, None when nothing was in the way, or
    the error that kept it in place."""
    lock = file.with_name(f"{file.name}.lock")
    try:
        if lock.is_file() or not (lock.exists() or lock.is_symlink()):
            return None  # a lock file QSettings can take, or none
        backup = lock.with_name(f"{lock.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}.bak")
        lock.replace(backup)
    except OSError as error:
        return error
    return backup


def unwritten(settings: QSettings) -> str | None:
    """What to tell the user when ``settings`` cannot be written (a read-only file, a folder that takes no new
    file), or None when they can. QSettings fails to write them without a word when the window closes: the layout,
    the last view, the leg and the names of the whole session were lost, and the next start came back as before
    with nothing said. Read as they are (they are not damaged), so the session starts as the user left it."""
    file = Path(settings.fileName())
    reason = _cannot_write(file)
    if reason is None:
        return None
    return f"This session's settings will not be remembered: {file} cannot be written ({reason})"


def _cannot_write(file: Path) -> str | None:
    """Why ``file`` could not be written as QSettings writes it, or None. QSettings writes a new copy beside the
    file, moves it over the old one and takes a lock file there (``NAME.lock``), so the folder (or, before it is
    made, the nearest folder that is there) must take a new file, and a file that is there must be writable."""
    folder = file.parent
    try:
        if file.exists() and not os.access(file, os.W_OK):
            return "it is read-only"
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        handle, probe = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".probe", dir=folder)
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        return f"its folder takes no new file: {error.strerror or error}"
    return None


def remembered_side(settings: QSettings) -> str:
    """The leg the last session showed (View > Leg), so the next opens on it with its last view as it was rather
    than mirrored onto the right leg; right when none is remembered or the file holds something else."""
    side = settings.value("view/side", "right")
    return side if side in SIDES else "right"


#: The window's size at its first start on a screen that holds it, and the room (pixels) left round it on a smaller
#: one for a window manager's frame and title bar.
FIRST_SIZE = (1400, 900)
FRAME_ROOM = (16, 48)


def first_window_size(screen: QScreen | None, minimum: QSize) -> QSize:
    """The window's size when no size is remembered: 1400 x 900, or what ``screen``'s free area holds, less room
    for a title bar, on a smaller screen (a 1366 x 768 laptop; a 1920 x 1080 screen at 150 % is 1280 x 720). It was
    1400 x 900 always, and at 150 % its title bar, animation bar and status bar were off the screen. Never smaller
    than ``minimum`` (the window's: the docks' and the 3D view's)."""
    size = QSize(*FIRST_SIZE)
    free = screen.availableGeometry() if screen is not None else None
    if free is not None and not free.isEmpty():
        size = size.boundedTo(QSize(free.width() - FRAME_ROOM[0], free.height() - FRAME_ROOM[1]))
    return size.expandedTo(minimum)


def fit_on_screen(window: QRect, free: QRect, minimum: QSize) -> QRect:
    """A remembered window (``window``, without its frame) made to fit ``free``, the screen's free area: no larger
    than it less room for a title bar and frame (as a first window), then moved, as little as it takes, to lie
    inside it. A window that already fits is left where the user put it. Qt's own ``restoreGeometry`` made a window
    saved on a larger screen as large as the screen less 2 pixels, so its frame and title bar overflowed it. Never
    smaller than ``minimum``."""
    size = window.size().boundedTo(QSize(free.width() - FRAME_ROOM[0], free.height() - FRAME_ROOM[1]))
    size = size.expandedTo(minimum)
    x = max(free.left(), min(window.x(), free.x() + free.width() - size.width()))
    y = max(free.top(), min(window.y(), free.y() + free.height() - size.height()))
    return QRect(x, y, size.width(), size.height())


#: The version the window's layout is saved under (``QMainWindow.saveState``). 1: since the Structures dock asks for
#: the width its names need (b7b3060). Layouts saved before carry Qt's version 0.
LAYOUT_VERSION = 1


def restore_window(window: QMainWindow, settings: QSettings, names: QDockWidget) -> None:
    """Put the window where and as large as the settings remember it (fitted to a screen that is there now), or at
    its first size on this screen; then its docks and toolbars as the user left them (:func:`restore_layout`)."""
    geometry = settings.value("window/geometry")
    if not isinstance(geometry, QByteArray) or not restore_geometry(window, geometry):
        window.resize(first_window_size(window.screen() or QGuiApplication.primaryScreen(), window.minimumSizeHint()))
    layout = settings.value("window/state")
    if isinstance(layout, QByteArray):
        restore_layout(window, layout, names)


def save_window(window: QMainWindow, settings: QSettings) -> None:
    """Remember where the window is, its size, and its docks and toolbars (under :data:`LAYOUT_VERSION`)."""
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState(LAYOUT_VERSION))


def restore_layout(window: QMainWindow, layout: QByteArray, names: QDockWidget) -> None:
    """Put the docks and toolbars back as the user left them. A layout saved before :data:`LAYOUT_VERSION` 1 held
    the Structures dock (``names``) at its old 300-pixel minimum, which cut its group names, and restoring it as it
    was kept cutting them on every start: it is restored, then that one dock is widened, once, to the width its
    names need. From then on the layout is saved under version 1, so a width the user chooses wins."""
    if window.restoreState(layout, LAYOUT_VERSION) or not window.restoreState(layout, 0):
        return
    widen_to_fit(window, names)


def widen_to_fit(window: QMainWindow, dock: QDockWidget) -> None:
    """Widen ``dock`` to the width its contents ask for (its ``sizeHint``) when it is narrower; a dock the user
    closed or floated, or one already as wide, stays as it is. For an old layout's Structures dock
    (:func:`restore_layout`) and for a switch to longer names (the Latin ones), which the user asked to read."""
    if dock.isHidden() or dock.isFloating() or dock.width() >= dock.sizeHint().width():
        return
    window.resizeDocks([dock], [dock.sizeHint().width()], Qt.Orientation.Horizontal)


def restore_geometry(window: QWidget, geometry: QByteArray) -> bool:
    """Put ``window`` where the settings remember it (Qt's ``restoreGeometry``, which moves it onto a screen that
    is there now), then fit it to that screen (:func:`fit_on_screen`); a maximised or full-screen window is left to
    the window manager. False when Qt would not restore it: a geometry that is not one, or one saved on a screen
    more than a quarter wider or narrower than this one (Qt cannot tell pixels of another DPI from it), after which
    the window kept no size of its own and opened at its smallest (the caller gives it its first size instead)."""
    if not window.restoreGeometry(geometry):
        return False
    if window.windowState() & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
        return True
    placed = window.geometry()
    screen = QGuiApplication.screenAt(placed.center()) or window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        window.setGeometry(fit_on_screen(placed, screen.availableGeometry(), window.minimumSizeHint()))
    return True
