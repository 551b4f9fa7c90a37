"""What a deuteranope or a protanope sees of a colour, and whether two colours are one to them: the tests' own
colour science, written from the papers, never taken from the code under test.

- Simulation: Machado, Oliveira & Fernandes (2009), "A physiologically-based model for simulation of color vision
  deficiency", IEEE TVCG 15(6): their matrices at severity 1.0 (dichromacy), applied to linear sRGB.
- Difference: CIELAB (D65) scaled per axis by Stone, Szafir & Setlur (2014), "An engineering model for color
  difference as a function of size", Color and Imaging Conference: a noticeable difference for a share ``p`` of
  viewers and marks ``s`` degrees of visual angle across is ``p (A + B / s)`` along L*, a* and b*, with A = (10.16,
  10.68, 10.70) and B = (1.50, 3.08, 5.74). A plot's 2-pixel line at a desk (96 dpi, 50 cm) is 0.06°; the model
  was fitted down to a third of a degree, so the thin marks here are taken at 0.1°, its thinnest use (as the
  authors' d3-jnd library's "thin" does), which the lines are no thicker than.

Two colours are *confused* when, as the deficiency sees them, they are less than one noticeable difference apart
for half of viewers (p = 0.5) at 0.1°: even side by side, half would see no difference.
"""

from __future__ import annotations

import numpy as np

MACHADO = {
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
}
#: sRGB's linear RGB -> CIE XYZ (IEC 61966-2-1) and the D65 white.
XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
WHITE = np.array([0.95047, 1.0, 1.08883])
#: Stone, Szafir & Setlur's (2014) noticeable difference along L*, a*, b* for half of viewers, 0.1° marks.
SHARE, SIZE = 0.5, 0.1
NOTICEABLE = SHARE * (np.array([10.16, 10.68, 10.70]) + np.array([1.50, 3.08, 5.74]) / SIZE)
#: Closer than this many noticeable differences, a pair of colours is confused.
CONFUSED_BELOW = 1.0


def linear(srgb: np.ndarray) -> np.ndarray:
    """sRGB (0..1, gamma encoded) -> linear RGB."""
    srgb = np.asarray(srgb, dtype=float)
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def encoded(rgb: np.ndarray) -> np.ndarray:
    """Linear RGB -> sRGB (0..1), clipped to the gamut."""
    rgb = np.clip(rgb, 0.0, 1.0)
    return np.where(rgb <= 0.0031308, rgb * 12.92, 1.055 * rgb ** (1 / 2.4) - 0.055)


def simulate(srgb: np.ndarray, deficiency: str) -> np.ndarray:
    """What a dichromat sees of sRGB colours (..., 3), as sRGB: Machado's matrix applied in linear RGB."""
    return encoded(linear(srgb) @ MACHADO[deficiency].T)


def lab(srgb: np.ndarray) -> np.ndarray:
    """sRGB colours (..., 3) -> CIELAB under D65."""
    t = (linear(srgb) @ XYZ.T) / WHITE
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], axis=-1)


def noticeable_differences(first: np.ndarray, second: np.ndarray, deficiency: str | None = None) -> float:
    """How many noticeable differences apart two sRGB colours are, to normal vision or to ``deficiency``."""
    pair = np.array([first, second], dtype=float)
    if deficiency is not None:
        pair = simulate(pair, deficiency)
    a, b = lab(pair)
    return float(np.linalg.norm((a - b) / NOTICEABLE))


def confused(first: np.ndarray, second: np.ndarray) -> str | None:
    """The deficiency that sees two sRGB colours as one (deuteranopia first), or None."""
    for deficiency in MACHADO:
        if noticeable_differences(first, second, deficiency) < CONFUSED_BELOW:
            return deficiency
    return None
