"""An installed mujoco or myo-sim outside the tested range is refused with the command that fixes it."""

from __future__ import annotations

import mujoco
import myo_sim
import pytest

from calfviewer.errors import CalfviewerError
from calfviewer.musculoskeletal import check_versions


def test_installed_versions_are_supported(monkeypatch):
    monkeypatch.delenv("CALFVIEWER_ALLOW_UNTESTED", raising=False)
    check_versions()


@pytest.mark.parametrize(("module", "version", "name"), [(mujoco, "4.0.0", "mujoco"), (myo_sim, "0.2.3", "myo-sim")])
def test_untested_version_is_refused_in_one_line(monkeypatch, module, version, name):
    monkeypatch.delenv("CALFVIEWER_ALLOW_UNTESTED", raising=False)
    monkeypatch.setattr(module, "__version__", version)
    with pytest.raises(CalfviewerError) as caught:
        check_versions()
    message = str(caught.value)
    assert "\n" not in message and f"{name} {version}" in message and "pip install" in message


def test_untested_version_can_be_allowed_on_purpose(monkeypatch):
    monkeypatch.setattr(mujoco, "__version__", "4.0.0")
    monkeypatch.setenv("CALFVIEWER_ALLOW_UNTESTED", "1")
    check_versions()


def test_the_ranges_are_the_pyprojects_dependencies():
    """One source: the ranges checked are the ones pyproject.toml declares."""
    import tomllib
    from pathlib import Path

    from packaging.requirements import Requirement

    from calfviewer.musculoskeletal.model import supported_versions

    pyproject = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    declared = {Requirement(line).name: Requirement(line).specifier for line in pyproject["project"]["dependencies"]}
    assert supported_versions() == {"mujoco": declared["mujoco"], "myo-sim": declared["myo-sim"]}


@pytest.mark.parametrize(
    ("module", "version"),
    [
        (myo_sim, "0.2.4rc1"),
        (myo_sim, "0.2.5rc1"),
        (mujoco, "3.17.0rc2"),
        (mujoco, "3.18.0"),
        (mujoco, "not.a.version"),
    ],
)
def test_a_release_candidate_is_not_read_as_the_release(monkeypatch, module, version):
    """0.2.4rc1 comes before 0.2.4, and a pre-release inside the range is not the release that was tested."""
    monkeypatch.delenv("CALFVIEWER_ALLOW_UNTESTED", raising=False)
    monkeypatch.setattr(module, "__version__", version)
    with pytest.raises(CalfviewerError, match="outside the tested range; run: pip install '"):
        check_versions()


@pytest.mark.parametrize(("module", "version"), [(myo_sim, "0.2.4"), (myo_sim, "0.2.9"), (mujoco, "3.17.5")])
def test_a_release_in_the_range_is_accepted(monkeypatch, module, version):
    monkeypatch.delenv("CALFVIEWER_ALLOW_UNTESTED", raising=False)
    monkeypatch.setattr(module, "__version__", version)
    check_versions()
