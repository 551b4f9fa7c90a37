"""``calfviewer build-meshes`` says what it is doing: a line on stderr per stage and per structure as it goes, the
folder it wrote on stdout at the end, nothing but that under ``--quiet``."""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from calfviewer.geometry.bones import BONE_IDS
from calfviewer.geometry.build_extra import missing_build_modules

INTERRUPTED = "calfviewer: interrupted; nothing was written"

pytestmark = pytest.mark.skipif(bool(missing_build_modules()), reason="needs the build extra")


def _lines_until(process: subprocess.Popen[bytes], done: str, seconds: float) -> list[str]:
    """Standard error's lines as they come (a carriage return ends one too), until one starts with ``done`` or
    ``seconds`` pass; read in chunks, so output without a line end cannot block the test past its time."""
    assert process.stderr is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stderr, selectors.EVENT_READ)
    text = ""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if selector.select(timeout=max(0.0, deadline - time.monotonic())):
            chunk = os.read(process.stderr.fileno(), 65536)
            if not chunk:
                break
            text += chunk.decode()
            lines = [line for line in re.split(r"[\r\n]", text) if line]
            if any(line.startswith(done) for line in lines):
                break
    lines = [line for line in re.split(r"[\r\n]", text) if line]
    ends = [at for at, line in enumerate(lines) if line.startswith(done)]
    return lines[: ends[0] + 1] if ends else lines


def test_build_meshes_says_each_stage_and_structure_as_it_goes(tmp_path):
    """Before: a progress bar of carriage returns (no line at all where stderr is a log), counting only finished
    structures: silent while the model loaded, through the footprints and the last pass (20 s and more each), and
    nothing at the end said where the meshes went. Stopped with Ctrl-C after the third bone: nothing is left."""
    out = tmp_path / "meshes"
    process = subprocess.Popen(
        [sys.executable, "-m", "calfviewer", "build-meshes", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        lines = _lines_until(process, f"calfviewer: bone 3 of {len(BONE_IDS)}: ", 240)
        process.send_signal(signal.SIGINT)
        _, rest = (stream.decode() for stream in process.communicate(timeout=120))
    finally:
        process.kill()
    assert lines[0] == "calfviewer: loading the MyoLeg model", lines
    assert re.fullmatch(r"calfviewer: bones: 30 from myo-sim \S+, each closed and refined", lines[1]), lines
    bones = [re.fullmatch(r"calfviewer: bone (\d+) of 30: (\w+) \(\d+\.\d s\)", line) for line in lines[2:]]
    assert all(bones) and [(int(m[1]), m[2]) for m in bones if m] == list(enumerate(BONE_IDS[:3], start=1)), lines
    assert process.returncode == 130 and rest.strip().splitlines()[-1] == INTERRUPTED, rest
    assert list(tmp_path.iterdir()) == []  # the staged folder went with the interrupt


def test_build_meshes_quiet_says_nothing(tmp_path):
    """--quiet, as movie's: no progress on stderr (here stopped after the seconds in which the first lines come)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "calfviewer", "build-meshes", "--out", str(tmp_path / "meshes"), "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(8)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert (process.returncode, out, err.strip()) == (130, "", INTERRUPTED)


def test_build_meshes_ends_with_the_folder_it_wrote(run_cli, tmp_path, monkeypatch):
    """The last line, on stdout as render, export and movie print what they wrote: the folder the set went to (the
    building itself stood in by a writer of one file, as the full-disk tests do; the real build takes minutes)."""
    import calfviewer.geometry.build as build

    said: list[str] = []

    def builds(folder: Path, say: object = None) -> None:
        assert callable(say)
        say("bone 1 of 1: femur (0.1 s)")
        said.append("built")
        (Path(folder) / "manifest.json").write_text('{"format": 1, "meshes": {}}')

    monkeypatch.setattr(build, "build_all", builds)
    out = tmp_path / "meshes"
    code, stdout, err = run_cli("build-meshes", "--out", str(out))
    assert code == 0 and said == ["built"], err
    assert stdout == f"{out}\n" and err == "calfviewer: bone 1 of 1: femur (0.1 s)\n"
    assert (out / "manifest.json").exists()
