"""Where the window remembers itself, and what happens when that file is damaged.

A corrupt settings file must never stop the viewer from starting or lose what it held: it is moved aside as a
backup, the viewer starts with defaults, and the user is told where the backup is.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings


@dataclass
class OpenedSettings:
    """The settings to use, and a notice for the user if the old file had to be set aside."""

    settings: QSettings
    notice: str | None = None


def open_settings(path: str | None = None) -> OpenedSettings:
    """Open the settings file (the platform's default place unless ``path`` is given), recovering from damage."""
    settings = (
        QSettings(path, QSettings.Format.IniFormat)
        if path
        else QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "calfviewer", "calfviewer")
    )
    if settings.status() == QSettings.Status.NoError:
        return OpenedSettings(settings)
    file = Path(settings.fileName())
    backup = file.with_name(f"{file.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}.bak")
    del settings
    file.replace(backup)
    fresh = QSettings(str(file), QSettings.Format.IniFormat)
    return OpenedSettings(fresh, f"Settings file was damaged; started with defaults. The old file is at {backup}")
