"""What a search box's text matches: a structure's names, written as people write them.

Searching was a plain substring of the lower-cased names, so the usual short Latin form "m. soleus" (``m.`` for
musculus, ``mm.`` for musculi), "soleus muscle", or a name typed with an accent ("sóleus") or in odd capitals found
nothing. Both sides are folded the same way here (case, accents, spacing), and the needle is also tried with the
Latin abbreviations contracted on both sides and without the word "muscle" (or the start of it, while it is being
typed). When nothing matches, :func:`nearest`
finds the structure whose name is closest to what was typed ("solues" is the soleus), so a typo is told apart from a
structure the catalogue does not have.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from difflib import SequenceMatcher

#: Latin words for muscle and their usual abbreviations, each contracted to one form ("m" one muscle, "mm" several).
_CONTRACTED = {"musculus": "m", "musculi": "m", "m.": "m", "m": "m", "musculorum": "mm", "mm.": "mm", "mm": "mm"}
#: English words a searcher adds that the names leave out ("soleus muscle", "the soleus").
_FILLER = frozenset({"muscle", "muscles", "the"})


def fold(text: str) -> str:
    """``text`` lower-cased (case-folded), without accents, its runs of spaces one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", plain).strip()


def _contract(folded: str) -> str:
    return " ".join(_CONTRACTED.get(word, word) for word in folded.replace(".", ". ").split())


def matches(needle: str, *names: str) -> bool:
    """Whether the search text ``needle`` is found in any of ``names`` (a structure's names and id): as typed, with
    the Latin abbreviations contracted, or without filler words; an empty needle matches everything."""
    folded = fold(needle)
    if not folded:
        return True
    haystacks = [fold(name) for name in names]
    if any(folded in hay for hay in haystacks):
        return True
    short = _contract(folded)
    if any(short in _contract(hay) for hay in haystacks):
        return True
    words = [word for word in short.split() if word not in _FILLER]
    if len(words) > 1 and any(filler.startswith(words[-1]) for filler in _FILLER):
        words.pop()  # a filler word half typed ("soleus mus" on the way to "soleus muscle"): not a miss yet
    if words and len(words) < len(short.split()):
        trimmed = " ".join(words)
        return any(trimmed in _contract(hay) for hay in haystacks)
    return False


#: How alike (difflib's ratio, 0 to 1) a typed text and a name or one of its words must be to be offered as meant.
NEAREST_AT_LEAST = 0.75


def nearest(needle: str, named: Iterable[tuple[str, Iterable[str]]]) -> str | None:
    """The key of the ``(key, names)`` pair whose name, or a word of it, is closest to ``needle`` (a misspelling such
    as "solues" or "tibila"), or None when none is at least :data:`NEAREST_AT_LEAST` alike; the first of equals."""
    folded = _contract(fold(needle))
    if not folded:
        return None
    best, best_key = NEAREST_AT_LEAST, None
    for key, names in named:
        for name in names:
            whole = _contract(fold(name.replace("_", " ")))
            for candidate in (whole, *re.split(r"[\s,()]+", whole)):
                ratio = SequenceMatcher(None, folded, candidate).ratio() if candidate else 0.0
                if ratio > best or (ratio == best and best_key is None):
                    best, best_key = ratio, key
    return best_key
