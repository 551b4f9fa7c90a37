"""Colour codes parsed by pyvista: each channel is its byte over 255, and a bad code is refused."""

from __future__ import annotations

import pytest

from calfviewer.scene.materials import hex_rgb


def test_a_hex_code_is_each_byte_over_255():
    assert hex_rgb("#B03A2E") == (0xB0 / 255, 0x3A / 255, 0x2E / 255)
    assert hex_rgb("#FFFFFF") == (1.0, 1.0, 1.0) and hex_rgb("#000000") == (0.0, 0.0, 0.0)


def test_a_code_that_is_not_a_colour_is_refused():
    with pytest.raises(ValueError):
        hex_rgb("#GGGGGG")
