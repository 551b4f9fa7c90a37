"""One structure's facts as text and as JSON: the same wording for `calfviewer info` and the info panel."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

from calfviewer.anatomy.catalogue import Attachment, Catalogue, Fact, Structure, Term
from calfviewer.anatomy.names import DEFAULT_NAMES, display_name, other_name

LAYER_TITLES = {
    "bone": "Bones",
    "superficial": "Superficial layer",
    "intermediate": "Intermediate layer",
    "deep": "Deep layer",
}


@dataclass(frozen=True)
class FactRow:
    """One labelled line of a structure's facts (what the info panel shows as a form row)."""

    label: str
    text: str


def _cited(facts: tuple[Fact, ...], numbers: dict[str, int]) -> str:
    """Sentences each followed by the numbers of its sources in the structure's Sources row: "... heel [1, 2]."."""
    sentences = []
    for fact in facts:
        mark = f" [{', '.join(str(n) for n in sorted(numbers[key] for key in fact.sources))}]"
        text = fact.text
        sentences.append(f"{text[:-1]}{mark}{text[-1]}" if text[-1:] in ".!?" else f"{text}{mark}")
    return " ".join(sentences)


def _attachment_text(attachment: Attachment, catalogue: Catalogue, names: str, numbers: dict[str, int]) -> str:
    return f"{display_name(catalogue.get(attachment.bone), names)}: {_cited(attachment.facts, numbers)}"


def fact_rows(structure: Structure, catalogue: Catalogue, names: str = DEFAULT_NAMES) -> list[FactRow]:
    """The facts in reading order; rows that do not apply to the structure's kind are left out.

    ``names`` (``english`` or ``latin``) is the style of every name in the rows (the structure's, its bones', its
    compartment's, its bone group's, its nerve's: "Nervus tibialis (S1, S2)", "Ossa tarsi" with Latin names, as an
    atlas in Latin labels it; the sentences of the summary, notes and blood supply stay the English they were
    written and checked in); the first row gives the structure's name in the other style, so both are always one
    glance away. Every sentence ends with the numbers of its sources in the last row ("Sources: [1] Gray's Anatomy
    ...; [2] ..."), so each fact can be traced to the text it was checked against.
    """
    numbers = {key: index for index, key in enumerate(structure.sources, start=1)}
    rows = [FactRow(*other_name(structure, names)), FactRow("Layer", LAYER_TITLES[structure.layer])]
    if structure.compartment:
        rows.append(FactRow("Compartment", display_name(catalogue.compartment(structure.compartment), names)))
    group = catalogue.group_of(structure)  # None for the femur, patella, tibia and fibula: no anatomical group
    if group is not None:
        rows.append(FactRow("Group", display_name(group, names)))
    rows.append(FactRow("Summary", _cited(structure.cited("summary"), numbers)))
    if structure.formed_by:
        # "; " between the parts: the names hold commas themselves, and "Gastrocnemius, medial head, Gastrocnemius,
        # lateral head, Soleus" read as five parts, not three.
        parts = "; ".join(display_name(catalogue.get(part), names) for part in structure.formed_by)
        rows.append(FactRow("Formed by", parts))
    for label, attachments in (("Origin", structure.origins), ("Insertion", structure.insertions)):
        for attachment in attachments:
            rows.append(FactRow(label, _attachment_text(attachment, catalogue, names, numbers)))
    for action in structure.actions:
        rows.append(FactRow(f"Action ({action.joint})", f"{action.movement}: {_cited(action.facts, numbers)}"))
    if structure.innervation:
        nerve = structure.innervation
        cited = ", ".join(str(n) for n in sorted(numbers[key] for key in nerve.sources))
        named = display_name(catalogue.nerve(nerve.nerve), names)
        rows.append(FactRow("Innervation", f"{named} ({', '.join(nerve.roots)}) [{cited}]"))
    if structure.blood_supply:
        rows.append(FactRow("Blood supply", _cited(structure.cited("blood_supply"), numbers)))
    if structure.notes:
        rows.append(FactRow("Notes", _cited(structure.cited("notes"), numbers)))
    references = catalogue.sources_of(structure.id)
    rows.append(FactRow("Sources", "; ".join(f"[{i}] {s.short}" for i, s in enumerate(references, start=1))))
    return rows


def describe(structure: Structure, catalogue: Catalogue, width: int = 100, names: str = DEFAULT_NAMES) -> str:
    """Plain text for a terminal: the name (in the ``names`` style), then one wrapped paragraph per fact."""
    lines = [f"{display_name(structure, names)} ({structure.id})"]
    for row in fact_rows(structure, catalogue, names):
        lines.append(textwrap.fill(row.text, width=width, initial_indent=f"  {row.label}: ", subsequent_indent=" " * 4))
    return "\n".join(lines)


def _facts_list(facts: tuple[Fact, ...]) -> list[dict[str, Any]]:
    return [{"text": fact.text, "sources": list(fact.sources)} for fact in facts]


def _attachment_dict(attachment: Attachment) -> dict[str, Any]:
    return {
        "bone": attachment.bone,
        "description": attachment.description,
        "facts": _facts_list(attachment.facts),
        "site": attachment.site,
        "landmark": list(attachment.landmark) if attachment.landmark else None,
        "landmark_source": attachment.landmark_source,
    }


def _named(field: str, term: Term | None) -> dict[str, str | None]:
    """The names of a compartment, bone group or nerve beside its key, one shape for all three: ``<field>_name`` and
    ``<field>_latin``, both None where the structure has none. The key fields stay as they were (scripts match them);
    these add what `info --names latin` and the info panel show, so a script need not map keys to names itself."""
    return {f"{field}_name": term.name if term else None, f"{field}_latin": term.latin if term else None}


def structure_to_dict(structure: Structure, catalogue: Catalogue) -> dict[str, Any]:
    """Every catalogue field of one structure as JSON-ready data (shape documented in the README)."""
    payload: dict[str, Any] = {
        "id": structure.id,
        "name": structure.name,
        "latin": structure.latin,
        "kind": structure.kind,
        "layer": structure.layer,
        "summary": structure.summary,
        "notes": structure.notes,
        "facts": {name: _facts_list(facts) for name, facts in structure.facts},
        "sources": [
            {"key": source.key, "short": source.short, "reference": source.reference}
            for source in catalogue.sources_of(structure.id)
        ],
    }
    if structure.kind == "bone":
        payload.update(body=structure.body, group=structure.group, **_named("group", catalogue.group_of(structure)))
        return payload
    compartment = catalogue.compartment(structure.compartment) if structure.compartment else None
    payload.update(
        compartment=structure.compartment,
        **_named("compartment", compartment),
        model_tendon=structure.model_tendon,
        formed_by=list(structure.formed_by),
        origins=[_attachment_dict(a) for a in structure.origins],
        insertions=[_attachment_dict(a) for a in structure.insertions],
        actions=[
            {"joint": a.joint, "movement": a.movement, "description": a.description, "facts": _facts_list(a.facts)}
            for a in structure.actions
        ],
        innervation=(
            {
                "nerve": structure.innervation.nerve,
                **_named("nerve", catalogue.nerve(structure.innervation.nerve)),
                "roots": list(structure.innervation.roots),
                "sources": list(structure.innervation.sources),
            }
            if structure.innervation
            else None
        ),
        blood_supply=structure.blood_supply,
    )
    return payload
