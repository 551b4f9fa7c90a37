"""The one safe writer: files replaced whole or not at all."""

from __future__ import annotations

import errno
import os
import re

import pytest

from calfviewer import files
from calfviewer.errors import CalfviewerError


def test_files_that_belong_together_replace_nothing_when_one_fails(tmp_path, monkeypatch):
    """An OBJ and its MTL: before, the MTL was renamed into place before the OBJ was written, so a full disk left
    the new MTL beside the old OBJ."""
    obj, mtl = tmp_path / "leg.obj", tmp_path / "leg.mtl"
    obj.write_text("old obj")
    mtl.write_text("old mtl")
    real_fsync = os.fsync
    calls = []

    def second_fills_the_disk(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(files.os, "fsync", second_fills_the_disk)
    with pytest.raises(CalfviewerError, match=r"cannot write .*leg\.mtl.*No space left on device"):
        files.write_files({obj: b"new obj", mtl: b"new mtl"})
    assert obj.read_text() == "old obj" and mtl.read_text() == "old mtl"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leg.mtl", "leg.obj"]  # no temporary file left

    monkeypatch.setattr(files.os, "fsync", real_fsync)
    files.write_files({obj: b"new obj", mtl: b"new mtl"})
    assert obj.read_text() == "new obj" and mtl.read_text() == "new mtl"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leg.mtl", "leg.obj"]


def test_a_folder_where_one_of_the_pair_goes_replaces_neither_and_is_named(tmp_path):
    """Before, the OBJ was renamed into place and then the MTL's rename failed, naming the OBJ."""
    obj, mtl = tmp_path / "a.obj", tmp_path / "a.mtl"
    obj.write_text("old obj")
    mtl.mkdir()
    with pytest.raises(CalfviewerError, match=r"cannot write .*a\.mtl.*Is a directory"):
        files.write_files({obj: b"new obj", mtl: b"new mtl"})
    assert obj.read_text() == "old obj" and sorted(p.name for p in tmp_path.iterdir()) == ["a.mtl", "a.obj"]


@pytest.fixture
def chattr():
    """Sets a file attribute for the test (``chattr(path, "+i")``: immutable, not even root may replace it; ``"+a"``
    on a folder: files may be added, none renamed or removed) and clears it after; skips where the file system or
    the user cannot set it."""
    import shutil
    import subprocess

    if shutil.which("chattr") is None:
        pytest.skip("needs chattr")
    made: list[tuple[str, str]] = []

    def set_attribute(path, flag: str) -> None:
        done = subprocess.run(["chattr", flag, str(path)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot set {flag} here: {done.stderr.strip()}")
        made.append((str(path), flag))

    yield set_attribute
    for path, flag in reversed(made):
        subprocess.run(["chattr", flag.replace("+", "-"), path], check=True)


def test_a_pair_whose_second_file_cannot_be_replaced_replaces_neither(tmp_path, chattr):
    """Before, the OBJ was renamed into place and then the MTL's rename failed (an immutable file: "Operation not
    permitted", even for root), leaving the new OBJ beside the old MTL."""
    obj, mtl = tmp_path / "leg.obj", tmp_path / "leg.mtl"
    obj.write_text("old obj")
    mtl.write_text("old mtl")
    chattr(mtl, "+i")
    with pytest.raises(CalfviewerError, match=r"cannot write .*leg\.mtl"):
        files.write_files({obj: b"new obj", mtl: b"new mtl"})
    assert obj.read_text() == "old obj" and mtl.read_text() == "old mtl"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leg.mtl", "leg.obj"]  # no temporary file left


def test_a_failed_write_names_the_file_asked_for_even_when_its_temporary_file_cannot_be_removed(tmp_path, chattr):
    """In an append-only folder (chattr +a) the temporary file is made but can be neither renamed nor removed.
    Before, the failure to remove it replaced the rename's error, and the message named the hidden temporary file."""
    folder = tmp_path / "append-only"
    folder.mkdir()
    chattr(folder, "+a")
    with pytest.raises(CalfviewerError, match=r"^cannot write '[^']*append-only/leg\.png': Operation not permitted$"):
        files.write_file(folder / "leg.png", b"png")


def test_a_pipe_or_a_device_is_never_replaced_by_a_file(tmp_path):
    """Before, a write ended in a rename over whatever had the name: File > Save view to /dev/full (as root) put a
    regular file where the device was, and a write to a FIFO replaced the FIFO. Refused in one line, untouched."""
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    with pytest.raises(CalfviewerError, match=r"cannot write .*pipe\.json.*not a regular file \(a pipe or a device\)"):
        files.write_file(fifo, b"{}")
    with pytest.raises(OSError, match="not a regular file"), files.staged_file(fifo):
        pass
    assert fifo.is_fifo() and sorted(p.name for p in tmp_path.iterdir()) == ["pipe.json"]


def test_parse_json_names_the_first_repeated_key_by_its_path_outermost_first():
    assert files.parse_json('{"a": [1, {"b": 2}], "c": {"d": 1}}', "f", "view file") == {
        "a": [1, {"b": 2}],
        "c": {"d": 1},
    }
    for text, where in (
        ('{"a": [1, {"b": 2, "b": 3}]}', "a[1].b"),
        ('[{"x": 1}, {"y": {"z": 1, "z": 1}}]', "[1].y.z"),  # the same value twice is refused too
        ('{"a": {"b": {"c": 1, "c": 2}}, "a": 0}', "a"),  # the outer repeat is the one named
        ('{"": 1, "": 2}', ""),
    ):
        with pytest.raises(CalfviewerError, match="^" + re.escape(f"f field {where!r} is given twice")):
            files.parse_json(text, "f", "view file")


def test_parse_json_refusals_are_one_line():
    for text, says in (
        ("{", "f is not valid JSON (line 1, column 2)"),
        ("[" * 100_000, "f is nested too deeply to be a view file"),
        ("9" * 5000, "f holds a number with thousands of digits; no view file field takes one"),
    ):
        with pytest.raises(CalfviewerError) as error:
            files.parse_json(text, "f", "view file")
        assert str(error.value).startswith(says) and "\n" not in str(error.value), error.value


def test_shown_path_quotes_a_path_and_cuts_the_middle_of_a_long_one():
    assert files.shown_path("view.json") == "'view.json'"
    assert files.shown_path("a" * 120) == repr("a" * 120)
    long = "d/" * 100 + "end.png"  # 207 characters
    assert files.shown_path(long) == f"{long[:60]!r}…{long[-60:]!r} (207 characters)"


def test_a_symbolic_link_that_leads_back_to_itself_is_refused_and_kept(tmp_path):
    """a.png -> b.png -> a.png: the write used to replace the link a.png with a file (b.png then pointed at it)."""
    (tmp_path / "a.png").symlink_to("b.png")
    (tmp_path / "b.png").symlink_to("a.png")
    with pytest.raises(OSError) as error:
        files.write_atomic(tmp_path / "a.png", b"x")
    assert error.value.errno == errno.ELOOP and "leads back to itself" in str(error.value)
    assert os.readlink(tmp_path / "a.png") == "b.png" and os.readlink(tmp_path / "b.png") == "a.png"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png", "b.png"]  # no temporary file left either
