"""Where a command may write, checked before any slow work, and pictures encoded in the format their name asks for.

Why here and not in each command: ``render``, ``export``, ``build-meshes`` and the window's screenshot all write
files a person named, and each mistake (a folder that is not there, a name longer than the file system takes, a
``.jpg`` name) must get the same one-line answer before seconds of loading and drawing, not a traceback after.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from calfviewer import files
from calfviewer.errors import CalfviewerError

#: Picture formats by file suffix (Pillow's names). A name with another suffix is refused, never written as PNG.
IMAGE_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".tif": "TIFF", ".tiff": "TIFF"}
#: Formats that keep an alpha channel (a transparent background); JPEG has none.
ALPHA_FORMATS = ("PNG", "TIFF")
JPEG_QUALITY = 92


def _valid(suffixes: Sequence[str]) -> str:
    return " or ".join(filter(None, (", ".join(suffixes[:-1]), suffixes[-1])))


def _check_folder(out: Path) -> None:
    """Refuse ``out`` when its folder is missing, is not a folder, cannot be written, or its name is too long."""
    folder = out.parent if str(out.parent) else Path(".")
    try:
        if not folder.is_dir():
            if folder.exists() or any(p.exists() and not p.is_dir() for p in folder.parents):
                raise CalfviewerError(
                    f"cannot write {files.shown_path(out)}: {files.shown_path(folder)} is not a folder"
                )
            # The first folder of the path that is missing: the one to make (or the typing mistake to fix).
            missing = next((p for p in (*reversed(folder.parents), folder) if not p.exists()), folder)
            raise CalfviewerError(
                f"cannot write {files.shown_path(out)}: folder {files.shown_path(missing)} does not exist"
            )
    except OSError as error:
        raise CalfviewerError(f"cannot write {files.shown_path(out)}: {error.strerror or error}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise CalfviewerError(
            f"cannot write {files.shown_path(out)}: folder {files.shown_path(folder)} is not writable"
        )
    longest = files.name_max(folder)
    if len(os.fsencode(out.name)) > longest:
        raise CalfviewerError(
            f"cannot write {str(out)[:60]!r}…: the file name is {len(os.fsencode(out.name))} bytes, "
            f"longer than the {longest} this file system takes; choose a shorter name"
        )


def _refuse_folder_name(text: str, suffixes: Sequence[str]) -> None:
    """Refuse a name that ends in a slash (or a slash and a dot): the person means a folder. ``Path`` drops both
    (``Path("x.png/")`` is ``x.png``), so without this a file named ``x.png`` was written in its place."""
    separators = tuple(sep for sep in (os.sep, os.altsep) if sep)
    if text.endswith(separators) or text.endswith(tuple(sep + "." for sep in separators)):
        folder = text.rstrip("".join(separators) + ".") or text[0]
        example = os.path.join(folder, "calf" + suffixes[0])
        raise CalfviewerError(
            f"output {text!r} ends in a slash, so it names a folder, not a file; give a file name ending in "
            f"{_valid(suffixes)}, e.g. {example!r}"
        )


def _write_target(path: Path, cannot: str, hint: str = "") -> Path:
    """The file a write to ``path`` lands in (through a symbolic link), or ``cannot``'s one-line refusal (a link
    that leads back to itself) with ``hint`` after the reason."""
    try:
        return files.write_target(path)
    except OSError as error:
        raise CalfviewerError(f"{cannot}: {error.strerror}{hint}") from None


def _check_target(target: Path, path: Path, cannot: str) -> None:
    """Refuse a read-only ``target``, and check the folder of the file a link at ``path`` writes through to."""
    if target.exists() and not os.access(target, os.W_OK):
        raise CalfviewerError(f"{cannot}: the file is read-only")
    if target != path:
        _check_folder(target)


def check_output(path: str | os.PathLike[str], suffixes: Sequence[str] = (".png",)) -> Path:
    """The output path, refused before any slow work if its suffix is not one of ``suffixes`` (lower case, with
    the dot) or its folder cannot be written. Shared by ``render`` and ``export`` (.glb, .gltf, .obj)."""
    out = Path(path)
    valid = _valid(suffixes)
    if not str(path):
        raise CalfviewerError(f"output is empty; give a file name ending in {valid}")
    _refuse_folder_name(os.fspath(path), suffixes)
    _check_folder(out)
    cannot = f"cannot write {files.shown_path(out)}"
    target = _write_target(out, cannot, "; remove it or give another name")
    if target.is_dir():
        raise CalfviewerError(f"output {files.shown_path(out)} is a folder; give a file name ending in {valid}")
    if out.name.lower() in suffixes:  # pathlib: ".png" is a hidden file with no suffix, and was told to end in .png
        raise CalfviewerError(
            f"output {files.shown_path(out)} is only a suffix; give the file a name, e.g. {'calf' + out.name!r}"
        )
    if out.suffix.lower() not in suffixes and Path(out.name.rstrip()).suffix.lower() in suffixes:
        raise CalfviewerError(
            f"output {files.shown_path(out)} ends in a space after its suffix; leave the space out "
            f"({out.name.rstrip()!r})"
        )
    if out.suffix.lower() not in suffixes:
        raise CalfviewerError(f"output {files.shown_path(out)} must end in {valid}")
    _check_target(target, out, cannot)
    return out


def check_companion(path: Path, of: Path) -> Path:
    """A file written together with the output ``of`` (an OBJ's MTL, in the same folder, which :func:`check_output`
    has checked): refused before any slow work where ``of`` itself would be, a folder or a read-only file, so the
    pair is written whole rather than failing at the end."""
    cannot = f"cannot write {files.shown_path(path)}, which {of.name!r} comes with"
    target = _write_target(path, cannot)
    if target.is_dir():
        raise CalfviewerError(f"{cannot}: it is a folder; give {of.name!r} another name")
    _check_target(target, path, cannot)
    return path


def check_folder_output(path: str | os.PathLike[str]) -> Path:
    """A folder to write into (``build-meshes --out``), refused before any building if it cannot work: empty, an
    existing file, under a file, in a folder that is missing or read-only, or a name the file system refuses."""
    if not str(path):
        raise CalfviewerError("--out is empty; give a folder to write the meshes into, e.g. --out meshes")
    out = Path(path)

    try:
        if out.exists() and not out.is_dir():
            raise CalfviewerError(f"cannot write meshes to {files.shown_path(out)}: it is a file, not a folder")
        if out.is_symlink():
            raise CalfviewerError(
                f"cannot write meshes to {files.shown_path(out)}: it is a symbolic link; give the folder it points to"
            )
        # The new set replaces the whole folder: anything in it but a mesh set's own files would be lost with it.
        foreign = _not_mesh_set_files(out) if out.is_dir() else None
        if foreign is not None:
            raise CalfviewerError(
                f"cannot write meshes to {files.shown_path(out)}: it holds {foreign!r}, which is not part of a "
                "calfviewer mesh set, and the new set replaces the whole folder; give a new or empty folder, e.g. "
                "--out meshes"
            )
        if out.is_dir() and Path.cwd().resolve().is_relative_to(out.resolve()):
            raise CalfviewerError(
                f"cannot write meshes to {files.shown_path(out)}: it is the folder you are in (or holds it), which "
                "cannot be replaced; give a folder inside it, e.g. --out meshes"
            )
    except OSError as error:
        raise CalfviewerError(f"cannot write meshes to {files.shown_path(out)}: {error.strerror or error}") from None
    _check_folder(out)
    return out


def _not_mesh_set_files(folder: Path) -> str | None:
    """The name of something in ``folder`` that a calfviewer mesh set does not hold (None: the folder is empty or a
    mesh set): a set's manifest is calfviewer's (format and mesh entries), and every file is one it lists."""
    import json

    from calfviewer.geometry.mesh_store import MANIFEST_FORMAT, MANIFEST_NAME

    names = sorted(p.name for p in folder.iterdir())
    if not names:
        return None
    try:
        manifest = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
        meshes = manifest["meshes"]
        listed = {MANIFEST_NAME, "footprints.json", *(entry["file"] for entry in meshes.values())}
        if manifest.get("format") != MANIFEST_FORMAT:
            raise ValueError("not calfviewer's manifest")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return MANIFEST_NAME if MANIFEST_NAME in names else names[0]
    return next((name for name in names if name not in listed or (folder / name).is_dir()), None)


def check_transparency(path: Path, transparent: bool) -> None:
    """Refuse a transparent background in a format without alpha (JPEG), before any drawing."""
    if transparent and IMAGE_FORMATS.get(path.suffix.lower()) not in ALPHA_FORMATS:
        raise CalfviewerError(
            f"cannot write {files.shown_path(path)} with a transparent background: JPEG has no transparency; "
            "use .png or .tiff"
        )


def image_bytes(image: np.ndarray, path: Path) -> bytes:
    """``image`` (RGB, or RGBA for a transparent background) encoded in the format ``path``'s suffix names (PNG,
    JPEG or TIFF); any other suffix is refused, and so is an RGBA picture as JPEG."""
    from PIL import Image

    name = IMAGE_FORMATS.get(path.suffix.lower())
    if name is None:
        raise CalfviewerError(
            f"cannot write {files.shown_path(path)}: a picture must end in {_valid(tuple(IMAGE_FORMATS))}"
        )
    check_transparency(path, image.ndim == 3 and image.shape[-1] == 4)
    buffer = io.BytesIO()
    by_format: dict[str, dict[str, object]] = {
        "JPEG": {"quality": JPEG_QUALITY},
        "TIFF": {"compression": "tiff_deflate"},
    }
    options = by_format.get(name, {"optimize": False})
    Image.fromarray(np.ascontiguousarray(image)).save(buffer, format=name, **options)
    return buffer.getvalue()
