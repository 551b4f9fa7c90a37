"""Which name of a structure to show: English or Latin (Terminologia Anatomica).

One place decides, so the tree, the labels in the 3D view, the info panel, ``calfviewer info`` and the quiz never
disagree about what a structure is called. The catalogue holds both names for every structure, and for every nerve
and compartment it names (:class:`~calfviewer.anatomy.catalogue.Term`), which are shown the same way: a student
reading a Latin-language atlas switches the whole app, not one widget, and reads "Nervus tibialis" where the English
names say "tibial nerve".
"""

from __future__ import annotations

from typing import Final, Literal, cast, get_args

from calfviewer.anatomy.catalogue import Structure, Term

__all__ = ["DEFAULT_NAMES", "NAME_STYLES", "STYLE_TITLES", "NameStyle", "check_names", "display_name", "other_name"]

NameStyle = Literal["english", "latin"]
#: The name styles, the default first.
NAME_STYLES: Final[tuple[str, ...]] = get_args(NameStyle)
DEFAULT_NAMES: Final = "english"
#: What each style is called where the other name is shown as a second line ("Latin: Musculus soleus").
STYLE_TITLES: Final[dict[str, str]] = {"english": "English", "latin": "Latin"}


def check_names(names: str) -> NameStyle:
    """``names`` if it is a known style; a ValueError naming the valid ones otherwise."""
    if names not in NAME_STYLES:
        raise ValueError(f"unknown names {names!r}: use one of {', '.join(NAME_STYLES)}")
    return cast(NameStyle, names)  # one of NAME_STYLES, checked just above


def display_name(structure: Structure | Term, names: str = DEFAULT_NAMES) -> str:
    """The structure's (or nerve's, or compartment's) name in the chosen style (``"Soleus"`` or ``"Musculus
    soleus"``; ``"tibial nerve"`` or ``"Nervus tibialis"``)."""
    return structure.latin if check_names(names) == "latin" else structure.name


def other_name(structure: Structure | Term, names: str = DEFAULT_NAMES) -> tuple[str, str]:
    """The name the chosen style does not show, with its title: ``("Latin", "Musculus soleus")`` for English."""
    other = "english" if check_names(names) == "latin" else "latin"
    return STYLE_TITLES[other], display_name(structure, other)
