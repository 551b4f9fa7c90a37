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
