"""Writing a file so that a failure never leaves it half written: a temporary file beside it, then a rename.

Shared by view files and rendered PNGs. The temporary file is created private (mode 0600); the result gets the
mode an ordinary ``open(..., "w")`` would give it (0666 less the umask), or keeps the mode of the file it replaces.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and ``os.replace``.

    Raises OSError (the caller turns it into its one-line message); the temporary file is removed on failure.
    """
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    tmp_name = None
    try:
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False) as tmp:
            tmp_name = tmp.name
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except OSError:
        if tmp_name is not None:
            Path(tmp_name).unlink(missing_ok=True)
        raise
