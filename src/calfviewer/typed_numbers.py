"""Numbers as people type them on the command line: one reading for every numeric option, so none refuses a
spelling another takes.

Taken: what Python's ``float()`` (or ``int()``, for a whole number) takes, in ASCII digits: whitespace round it, a
sign (the typographic minus, U+2212, the README's, counts as a minus), a fraction and an exponent (``1e1``, ``.5``,
``10.``). Refused: ``1_0``, full-width or Arabic-Indic digits and words, which Python also reads as numbers but are
typing mistakes here. Why one module: ``movie --seconds 1e1`` was refused while ``--plantarflexion 1e1`` was taken,
and ``quiz --seed " 5"`` while ``--fps " 5"`` was.
"""

from __future__ import annotations

import math
import re

#: A decimal number: an optional sign, digits with an optional point and fraction (or a point and a fraction) and
#: an optional exponent.
DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
#: A whole number: an optional sign and digits.
WHOLE = re.compile(r"[+-]?[0-9]+")
#: What float() reads as not a number or infinite, with an optional sign.
NOT_FINITE = re.compile(r"[+-]?(?:nan|inf|infinity)", re.IGNORECASE)
_MINUS_SIGNS = str.maketrans({"\u2212": "-"})


def decimal_text(text: str) -> str | None:
    """``text`` as Python reads it (whitespace off, a typographic minus made ASCII) when it is a decimal number as
    typed, else None. Kept as text, so a range can be checked on the decimal typed, not the float it rounds to."""
    cleaned = text.strip().translate(_MINUS_SIGNS)
    return cleaned if DECIMAL.fullmatch(cleaned) else None


def is_not_finite(text: str) -> bool:
    """Whether ``text`` is ``nan``, ``inf`` or ``infinity`` (any case, signed, whitespace round it): a word float()
    takes, which a caller refuses saying the number must be finite rather than that it is no number."""
    return NOT_FINITE.fullmatch(text.strip().translate(_MINUS_SIGNS)) is not None


def parse_decimal(text: str) -> float | None:
    """``text`` as a finite float when it is a decimal number as typed (:func:`decimal_text`), else None (an
    exponent too large for a float, ``1e999``, included)."""
    cleaned = decimal_text(text)
    if cleaned is None:
        return None
    number = float(cleaned)
    return number if math.isfinite(number) else None


def parse_whole(text: str, most_digits: int) -> int | None:
    """``text`` as an int when it is a whole number as typed, of at most ``most_digits`` digits (leading zeros not
    counted), else None. The digits are counted before ``int()``, which raises on thousands of them."""
    cleaned = text.strip().translate(_MINUS_SIGNS)
    if not WHOLE.fullmatch(cleaned) or len(cleaned.lstrip("+-").lstrip("0")) > most_digits:
        return None
    return int(cleaned)
