"""The anatomy catalogue: every bone, muscle and tendon of the calf, read once from one TOML file.

Over 500 lines on purpose: the schema (its literal types), the reader with its one-line errors and the immutable
records are one contract, kept together; the data itself is the TOML file.

Why a data file: names, attachments, actions, nerves and their sources are checked by people who read
anatomy, not Python, so they live in ``data/catalogue.toml``, each fact next to the text it was checked
against.

Why strict validation: every layer above (model, geometry, scene, app) trusts these ids and points. A typo
must fail here, once, with a one-line :class:`~calfviewer.errors.CatalogueError` naming the structure and
the field, not as a ``KeyError`` three layers up. After loading, everything is frozen dataclasses and
tuples, so no caller can change what another caller sees.

Points: an attachment is either a MyoLeg ``site`` stem (``"gasmed-P1"``; the model appends ``_r`` or ``_l``)
or a ``landmark`` in metres in the frame of that bone's model body, OpenSim convention (x anterior, y
superior, z to the right) for the RIGHT leg; mirror z for the left. This module never imports the model:
whether sites resolve is checked by the musculoskeletal layer's tests.

Citations: every sentence of a text field ends with the keys of the references it was checked against, in square
brackets (``"The heel bone. [gray42]"``). The loader splits each field into :class:`Fact` s, refuses a sentence
without a citation or a key the structure does not list, and keeps the plain text (citations removed) in the
field itself, so every caller that only reads text reads it as before.

Names that are not structures: the nerves an innervation names and the compartments structures lie in are shown as
names too (a quiz choice, the info panel's Innervation and Compartment rows, the tree's compartment rows), so the file
gives each its English and its Terminologia Anatomica Latin name (:class:`Term`) beside the structures' own, and
the loader refuses a nerve or a compartment used without one: a Latin round or the Latin names mode would otherwise
show it in English. The bone groups anatomy names as groups (:data:`NAMED_BONE_GROUPS`: the tarsal and metatarsal
bones and the phalanges, TA's Ossa tarsi, Ossa metatarsi, Ossa digitorum pedis) are named the same way, in
``[[group]]`` tables; the long bones' bucket ``"leg"`` is the app's own and has no name (see
:meth:`Catalogue.group_of`).
"""

from __future__ import annotations

import difflib
import functools
import math
import os
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Final, Literal, NoReturn, cast, get_args

from calfviewer.anatomy.search import matches
from calfviewer.anatomy.side import Side, model_suffix
from calfviewer.errors import CatalogueError

__all__ = [
    "BODIES",
    "BONE_GROUPS",
    "COMPARTMENTS",
    "JOINTS",
    "KINDS",
    "LAYERS",
    "MOVEMENTS",
    "NAMED_BONE_GROUPS",
    "Action",
    "Attachment",
    "BodyName",
    "BoneGroup",
    "Catalogue",
    "Fact",
    "Innervation",
    "Joint",
    "Kind",
    "Layer",
    "Movement",
    "Side",
    "Source",
    "Structure",
    "Term",
    "ViaPoint",
    "load_catalogue",
    "parse_catalogue",
    "split_sentences",
]

Kind = Literal["bone", "muscle", "tendon"]
Layer = Literal["bone", "superficial", "intermediate", "deep"]
Joint = Literal["knee", "ankle", "subtalar", "toes"]
BoneGroup = Literal["leg", "tarsals", "metatarsals", "phalanges"]
BodyName = Literal["femur", "patella", "tibia", "talus", "calcn", "toes"]
Movement = Literal[
    "flexion",
    "extension",
    "plantarflexion",
    "dorsiflexion",
    "inversion",
    "eversion",
    "medial rotation",
    "lateral rotation",
]

KINDS: Final[tuple[str, ...]] = get_args(Kind)
#: Layers in display order: the skeleton, then the muscles from the surface inwards.
LAYERS: Final[tuple[Layer, ...]] = get_args(Layer)
JOINTS: Final[tuple[str, ...]] = get_args(Joint)
BONE_GROUPS: Final[tuple[str, ...]] = get_args(BoneGroup)
#: The bone groups that are anatomical groups, each named by a ``[[group]]`` table (English and TA Latin), shown as
#: the tree's group rows and the info panel's Group row. ``"leg"`` is not one: it is the app's bucket for the femur,
#: patella, tibia and fibula, which Terminologia Anatomica lists one by one under the free lower limb's skeleton, not
#: as a group (calling the femur's group "leg" was wrong too: the leg is the crus, knee to ankle), so those bones show
#: no Group row. Its key stays, for ``info --json``'s ``group`` and the scene's labelling.
NAMED_BONE_GROUPS: Final[tuple[str, ...]] = ("tarsals", "metatarsals", "phalanges")
#: MyoLeg body stems (the model appends ``_r``/``_l``) that bones move with and via points are fixed to.
BODIES: Final[tuple[str, ...]] = get_args(BodyName)
MOVEMENTS: Final[tuple[str, ...]] = get_args(Movement)
#: Fascial compartments of the leg, as anatomy texts name them.
COMPARTMENTS: Final[tuple[str, ...]] = ("superficial posterior", "deep posterior", "anterior", "lateral")

SCHEMA_VERSION: Final = 1
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_STEM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_ROOT = re.compile(r"^(?:L[1-5]|S[1-5])$")
#: A citation after a sentence: ``[gray42]`` or ``[gray42, moore9]``.
_CITATION = re.compile(r"\s*\[([a-z][a-z0-9_]*(?:\s*,\s*[a-z][a-z0-9_]*)*)\]\s*")
#: Where one sentence ends and the next begins: a full stop (or ! ?) then a capital, digit or opening bracket.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"'])")
#: Abbreviations whose full stop does not end a sentence.
_ABBREVIATION = re.compile(r"(?:\bet al|\be\.g|\bi\.e|\bed|\bvs|\bSt|\bNo|\bcf)\.$")
_PLACEHOLDER = re.compile(r"\b(?:TODO|TBD|FIXME|XXX)\b|lorem ipsum", re.IGNORECASE)
#: Landmarks are metres in a body frame; anything this far out is almost surely millimetres by mistake.
_MAX_COORD: Final = 1.0

_COMMON = frozenset({"id", "name", "latin", "kind", "layer", "summary", "sources", "notes"})
_ALLOWED: Final[dict[str, frozenset[str]]] = {
    "bone": _COMMON | {"body", "group"},
    "muscle": _COMMON
    | {"compartment", "model_tendon", "origin", "insertion", "action", "innervation", "blood_supply", "via"},
    "tendon": _COMMON | {"compartment", "formed_by", "origin", "insertion", "action", "innervation", "blood_supply"},
}


@dataclass(frozen=True, slots=True)
class Source:
    """A reference the facts were checked against.

    Attributes:
        key: the id structures cite in their ``sources`` list.
        short: a label for the info panel, e.g. "Gray's Anatomy, 42nd ed.".
        reference: the full reference.
    """

    key: str
    short: str
    reference: str


@dataclass(frozen=True, slots=True)
class Term:
    """A name the app shows that is not a structure of its own: a nerve an innervation names, a compartment of the
    leg, or a named bone group. It has the two names a structure has, so
    :func:`calfviewer.anatomy.names.display_name` shows it as it shows a structure, in English or in Latin.

    Attributes:
        key: what the catalogue calls it elsewhere: a nerve's English name (``Innervation.nerve``, "tibial nerve"),
            a compartment's key in :data:`COMPARTMENTS` ("superficial posterior"), a bone group's in
            :data:`NAMED_BONE_GROUPS` ("tarsals").
        name: the English name ("tibial nerve", "Posterior compartment, superficial part").
        latin: the Terminologia Anatomica name ("Nervus tibialis").
        sources: keys into :attr:`Catalogue.sources` the names were checked against.
    """

    key: str
    name: str
    latin: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Fact:
    """One sentence of catalogue text and the keys of the references it was checked against.

    Attributes:
        text: the sentence, without its citation.
        sources: keys into :attr:`Catalogue.sources`, at least one.
    """

    text: str
    sources: tuple[str, ...]


def split_sentences(text: str) -> list[str]:
    """``text`` cut into sentences: after a full stop (or ! ?) followed by a capital, except after an abbreviation
    such as "et al." or "e.g.". Used to hold each citation to one sentence."""
    sentences, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if _ABBREVIATION.search(text[start : match.start()]):
            continue
        sentences.append(text[start : match.start()])
        start = match.end()
    sentences.append(text[start:])
    return sentences


@dataclass(frozen=True, slots=True)
class Attachment:
    """Where a muscle or tendon attaches: one bone, a sentence, and one point.

    Exactly one of ``site`` and ``landmark`` is set. A site is where the model's own path starts or ends, so
    the drawn muscle and the computed moment arms agree; a landmark is used where the model has no site at
    the anatomical spot.

    Attributes:
        bone: id of a bone structure in the catalogue.
        description: the attachment in words, for the info panel.
        site: MyoLeg site stem without the side suffix, e.g. ``"gasmed-P1"``.
        landmark: ``(x, y, z)`` in metres in the right leg's frame of the bone's model body.
        landmark_source: how the landmark was placed and per which text; set exactly when ``landmark`` is.
        facts: ``description`` sentence by sentence, each with its sources.
        also_on: other bones that slips or parts of it reach, as its description or the structure's notes say
            (tibialis posterior's slips to the cuneiforms; extensor digitorum longus's fibularis tertius on the
            fifth metatarsal): not drawn as patches of their own, but the muscle attaches there too, so a quiz must
            not count it out for those bones.
    """

    bone: str
    description: str
    site: str | None = None
    landmark: tuple[float, float, float] | None = None
    landmark_source: str | None = None
    facts: tuple[Fact, ...] = ()
    also_on: tuple[str, ...] = ()

    @property
    def bones(self) -> tuple[str, ...]:
        """Every bone this attachment reaches: its own, then those of ``also_on``."""
        return (self.bone, *self.also_on)

    def site_name(self, side: Side = "right") -> str | None:
        """The model's full site name for one side (``"gasmed-P1_r"``), or None for a landmark."""
        return None if self.site is None else f"{self.site}_{model_suffix(side)}"


@dataclass(frozen=True, slots=True)
class Action:
    """What a muscle does at one joint it crosses.

    Attributes:
        joint: ``knee``, ``ankle`` (talocrural), ``subtalar`` or ``toes`` (metatarsophalangeal and
            interphalangeal joints).
        movement: the movement it produces, from :data:`MOVEMENTS`.
        description: one sentence for students.
        facts: ``description`` with its sources.
    """

    joint: Joint
    movement: Movement
    description: str
    facts: tuple[Fact, ...] = ()


@dataclass(frozen=True, slots=True)
class Innervation:
    """The motor nerve and the spinal cord segments its fibres come from (``("S1", "S2")``), with the keys of the
    references they follow (texts differ by a segment, so the source matters). ``disputed``: the cited texts give
    different segments for this muscle (its notes say how), so no one set can be marked the only right answer."""

    nerve: str
    roots: tuple[str, ...]
    sources: tuple[str, ...] = ()
    disputed: bool = False


@dataclass(frozen=True, slots=True)
class ViaPoint:
    """A point a muscle not in the model passes, so its drawn path stays outside the bones.

    A via point can also name a MyoLeg wrap surface the path rides over on its way from the previous point to
    this one. MuJoCo allows one wrap surface between two sites, so a path that must pass over two surfaces (the
    femoral condyles, then the back of the calf) is split by a via point between them; ``wrap_side`` is MuJoCo's
    *sidesite*, a point on the side of the surface the path must take (inside the surface it forces wrapping).

    Attributes:
        body: MyoLeg body stem the point moves with (``femur``, ``tibia``, ``calcn`` ...).
        landmark: ``(x, y, z)`` in metres in that body's frame, right leg.
        landmark_source: how the point was placed and per which text.
        wrap: MyoLeg wrap geom stem without the side suffix (``"Gastroc_at_condyles_wrap"``), or None.
        wrap_side: the sidesite, ``(x, y, z)`` in metres in the frame of the wrap geom's body, right leg; set
            exactly when ``wrap`` is.
    """

    body: BodyName
    landmark: tuple[float, float, float]
    landmark_source: str
    wrap: str | None = None
    wrap_side: tuple[float, float, float] | None = None


@dataclass(frozen=True, slots=True)
class Structure:
    """One bone, muscle or tendon.

    Fields that do not apply to a kind are empty (None or ``()``); the loader guarantees which are present:
    bones have ``body`` and ``group``; muscles have ``compartment``, origins, insertions, actions, innervation
    and blood supply; tendons have ``compartment``, insertions and either origins or ``formed_by``.

    Attributes:
        id: stable snake_case id used by every layer (``"soleus"``).
        name: English name. latin: Terminologia Anatomica name.
        kind: ``bone``, ``muscle`` or ``tendon``.
        layer: ``bone``, ``superficial``, ``intermediate`` or ``deep``.
        summary: one or two sentences for students. notes: optional extra text (variants, model remarks).
        sources: keys into :attr:`Catalogue.sources`.
        body: for bones, the MyoLeg body stem the bone moves with. group: for bones, the structure-tree group.
        compartment: fascial compartment of a muscle or tendon.
        model_tendon: MyoLeg tendon stem for muscles in the model (``"gasmed"``), else None.
        origins, insertions: attachments, in file order. formed_by: muscle ids a tendon is formed by.
        actions, innervation, blood_supply: what it does, its nerve, its arteries.
        via: extra path points for muscles not in the model.
        facts: the structure's own cited text fields as (field, its facts): ``summary``, then ``blood_supply`` and
            ``notes`` where present (see :meth:`cited`; attachments and actions carry their own ``facts``).
    """

    id: str
    name: str
    latin: str
    kind: Kind
    layer: Layer
    summary: str
    sources: tuple[str, ...]
    notes: str | None = None
    body: BodyName | None = None
    group: BoneGroup | None = None
    compartment: str | None = None
    model_tendon: str | None = None
    origins: tuple[Attachment, ...] = ()
    insertions: tuple[Attachment, ...] = ()
    formed_by: tuple[str, ...] = ()
    actions: tuple[Action, ...] = ()
    innervation: Innervation | None = None
    blood_supply: str | None = None
    via: tuple[ViaPoint, ...] = ()
    facts: tuple[tuple[str, tuple[Fact, ...]], ...] = ()

    def cited(self, field_path: str) -> tuple[Fact, ...]:
        """The facts of one text field (``"summary"``, ``"notes"``, ``"blood_supply"``), or ``()`` if it is empty."""
        return dict(self.facts).get(field_path, ())

    def all_facts(self) -> Iterator[tuple[str, Fact]]:
        """Every cited sentence of the structure with the field it is in (``"origin[0]"``, ``"action[1]"``), in
        reading order: what a check that no fact goes without a source walks."""
        yield from ((name, fact) for name, facts in self.facts if name == "summary" for fact in facts)
        for role, attachments in (("origin", self.origins), ("insertion", self.insertions)):
            for index, attachment in enumerate(attachments):
                yield from ((f"{role}[{index}]", fact) for fact in attachment.facts)
        for index, action in enumerate(self.actions):
            yield from ((f"action[{index}]", fact) for fact in action.facts)
        yield from ((name, fact) for name, facts in self.facts if name != "summary" for fact in facts)

    @property
    def is_bone(self) -> bool:
        return self.kind == "bone"

    @property
    def in_model(self) -> bool:
        """True for muscles the MyoLeg model simulates (they have a model tendon)."""
        return self.model_tendon is not None

    @property
    def attachments(self) -> tuple[Attachment, ...]:
        """Origins then insertions: every point where this structure meets bone."""
        return self.origins + self.insertions

    def model_tendon_name(self, side: Side = "right") -> str | None:
        """The model's tendon name for one side (``"gasmed_r_tendon"``), or None if not in the model."""
        return None if self.model_tendon is None else f"{self.model_tendon}_{model_suffix(side)}_tendon"


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Every structure, in file order, plus the references they cite; immutable, from :func:`load_catalogue`.

    Attributes:
        structures: all structures in file order (the structure tree's order).
        sources: all references, in file order.
        side: the leg whose body frames the landmarks are written in (``"right"``).
        nerves: the names of every nerve an innervation names, in file order.
        compartments: the names of every compartment a structure lies in, in :data:`COMPARTMENTS` order.
        groups: the names of every named bone group a bone is in, in :data:`NAMED_BONE_GROUPS` order.
    """

    structures: tuple[Structure, ...]
    sources: tuple[Source, ...]
    side: str = "right"
    nerves: tuple[Term, ...] = ()
    compartments: tuple[Term, ...] = ()
    groups: tuple[Term, ...] = ()
    _by_id: dict[str, Structure] = field(init=False, repr=False, compare=False, hash=False)
    _by_key: dict[str, Source] = field(init=False, repr=False, compare=False, hash=False)
    _terms: dict[tuple[str, str], Term] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        # Private lookup tables; never handed out, so the catalogue stays read-only in practice.
        object.__setattr__(self, "_by_id", {s.id: s for s in self.structures})
        object.__setattr__(self, "_by_key", {s.key: s for s in self.sources})
        terms = [("nerve", t) for t in self.nerves] + [("compartment", t) for t in self.compartments]
        terms += [("group", t) for t in self.groups]
        object.__setattr__(self, "_terms", {(kind, t.key): t for kind, t in terms})

    def __len__(self) -> int:
        return len(self.structures)

    def __iter__(self) -> Iterator[Structure]:
        return iter(self.structures)

    def __contains__(self, structure_id: object) -> bool:
        return structure_id in self._by_id

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.structures)

    def get(self, structure_id: str) -> Structure:
        """The structure with this id; CatalogueError with a suggestion if there is none."""
        try:
            return self._by_id[structure_id]
        except (KeyError, TypeError):
            text = str(structure_id)
            # No id is longer than 40 characters: a longer one (a pasted paragraph) is not echoed whole.
            shown = text if len(text) <= 40 else f"{text[:40]}… ({len(text)} characters)"
            if text in get_args(Layer):
                raise CatalogueError(
                    f"{text!r} is a layer, not a structure; `calfviewer info` lists the structures in each layer"
                ) from None
            # A name typed for the id ("SOLEUS", "Musculus soleus", "gastrocnemius", "peroneus longus") names the
            # structures it names, as the search box finds them; a misspelt id, the id closest to it.
            named = [s.id for s in self.structures if len(text) <= 100 and matches(text, s.id, s.name, s.latin)]
            close = named if 0 < len(named) <= 3 else difflib.get_close_matches(text[:100], self._by_id, n=1)
            hint = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
            raise CatalogueError(f"unknown structure '{shown}'; {hint}run `calfviewer info` to list ids") from None

    def nerve(self, nerve: str) -> Term:
        """The names of a nerve an innervation names (``"tibial nerve"``); CatalogueError if the file gives none."""
        return self._term("nerve", nerve)

    def compartment(self, compartment: str) -> Term:
        """The names of a compartment (``"superficial posterior"``); CatalogueError if the file gives none."""
        return self._term("compartment", compartment)

    def group(self, group: str) -> Term:
        """The names of a named bone group (``"tarsals"``); CatalogueError for ``"leg"``, which has none."""
        return self._term("group", group)

    def group_of(self, structure: Structure) -> Term | None:
        """The anatomical group a bone is in, by its names ("Tarsal bones", "Ossa tarsi"); None for a bone in the
        app's ``"leg"`` bucket (see :data:`NAMED_BONE_GROUPS`) and for a muscle or tendon. The one place the tree's
        group rows and the Group row of the facts ask, so neither shows a group anatomy does not name."""
        if structure.group not in NAMED_BONE_GROUPS:
            return None
        return self.group(structure.group)

    def _term(self, kind: str, key: str) -> Term:
        try:
            return self._terms[(kind, key)]
        except (KeyError, TypeError):
            known = ", ".join(repr(k) for t, k in self._terms if t == kind)
            raise CatalogueError(f"unknown {kind} {key!r}; the catalogue names {known}") from None

    def source(self, key: str) -> Source:
        """The reference with this key; CatalogueError if there is none."""
        try:
            return self._by_key[key]
        except KeyError:
            raise CatalogueError(f"unknown source '{key}'; known: {', '.join(self._by_key)}") from None

    def sources_of(self, structure_id: str) -> tuple[Source, ...]:
        """The full references one structure cites, in its own order."""
        return tuple(self._by_key[k] for k in self.get(structure_id).sources)

    def of_kind(self, kind: Kind) -> tuple[Structure, ...]:
        return tuple(s for s in self.structures if s.kind == kind)

    def bones(self) -> tuple[Structure, ...]:
        return self.of_kind("bone")

    def muscles(self) -> tuple[Structure, ...]:
        return self.of_kind("muscle")

    def tendons(self) -> tuple[Structure, ...]:
        return self.of_kind("tendon")

    def by_layer(self) -> dict[Layer, tuple[Structure, ...]]:
        """Structures grouped by layer, every layer present, in :data:`LAYERS` order."""
        return {layer: tuple(s for s in self.structures if s.layer == layer) for layer in get_args(Layer)}

    def by_group(self) -> dict[BoneGroup, tuple[Structure, ...]]:
        """Bones grouped for the structure tree, every group present, in :data:`BONE_GROUPS` order."""
        return {g: tuple(s for s in self.bones() if s.group == g) for g in get_args(BoneGroup)}

    def body_of(self, bone_id: str) -> BodyName:
        """The MyoLeg body stem a bone moves with, so an attachment's point can be placed in the model."""
        bone = self.get(bone_id)
        if bone.body is None:
            raise CatalogueError(f"structure '{bone_id}' is a {bone.kind}, not a bone")
        return bone.body


# --------------------------------------------------------------------------------------------------- loading


def load_catalogue(path: str | os.PathLike[str] | None = None) -> Catalogue:
    """Read and validate a catalogue; with no path, the package's own file, parsed once and then cached.

    A path is read fresh every call (it is for editing and testing a catalogue); the default is cached because
    every layer asks for it and it never changes while the program runs.
    """
    if path is None:
        return _load_default()
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise CatalogueError(f"catalogue: cannot read {p}: {e.strerror or e}") from e
    return parse_catalogue(text)


@functools.cache
def _load_default() -> Catalogue:
    resource = resources.files("calfviewer.anatomy") / "data" / "catalogue.toml"
    return parse_catalogue(resource.read_text(encoding="utf-8"))


def parse_catalogue(text: str) -> Catalogue:
    """Validate catalogue TOML text and build the frozen :class:`Catalogue` (no caching)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise CatalogueError(f"catalogue: not valid TOML: {e}") from e
    return _Builder(data).build()


def _fail(where: str | None, field_path: str, problem: str) -> NoReturn:
    place = f"{where}, " if where else ""
    raise CatalogueError(f"catalogue: {place}field '{field_path}': {problem}")


class _Table:
    """One TOML table being read; remembers where it is, so every error names the structure and the field."""

    def __init__(self, data: object, where: str | None, path: str, allowed: frozenset[str]) -> None:
        self.where, self.path = where, path
        if not isinstance(data, dict):
            _fail(where, path, f"must be a table, got {type(data).__name__}")
        self.data: dict[str, Any] = data
        for key in data:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(sorted(allowed))}"
                _fail(where, self.field(key), f"unknown field; {hint}")

    def field(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, problem: str) -> NoReturn:
        _fail(self.where, self.field(key), problem)

    def has(self, key: str) -> bool:
        return key in self.data

    def text(self, key: str) -> str:
        value = self.optional_text(key)
        if value is None:
            self.fail(key, "missing")
        return value

    def optional_text(self, key: str) -> str | None:
        if key not in self.data:
            return None
        value = self.data[key]
        if not isinstance(value, str) or not value.strip():
            self.fail(key, "must be non-empty text")
        if _PLACEHOLDER.search(value):
            self.fail(key, "contains placeholder text")
        return value.strip()

    def cited_text(self, key: str, allowed: tuple[str, ...], *, required: bool) -> tuple[str | None, tuple[Fact, ...]]:
        """A text field whose every sentence ends with its citation: the plain text (citations removed) and its
        facts; ``(None, ())`` for an absent optional field. ``allowed`` are the source keys it may cite."""
        raw = self.text(key) if required else self.optional_text(key)
        if raw is None:
            return None, ()
        parts = _CITATION.split(raw)  # sentence, keys, sentence, keys, ..., what follows the last citation
        facts = []
        for sentence, keys in zip(parts[0:-1:2], parts[1::2], strict=True):
            sentence = sentence.strip()
            if not sentence:
                self.fail(key, f"citation [{keys}] has no sentence before it")
            if "[" in sentence or "]" in sentence:
                self.fail(key, f"malformed citation in {sentence[:50]!r}; write [key] or [key1, key2]")
            count = len(split_sentences(sentence))
            if count > 1:
                self.fail(key, f"{count} sentences share one citation ({sentence[:50]!r}...); cite each sentence")
            cited = tuple(k.strip() for k in keys.split(","))
            for k in cited:
                if k not in allowed:
                    self.fail(key, f"cites '{k}', which is not in the structure's sources ({', '.join(allowed)})")
            facts.append(Fact(text=sentence, sources=cited))
        tail = parts[-1].strip()
        if tail:
            self.fail(key, f"{tail[:50]!r} has no citation; end each sentence with its sources' keys, e.g. [gray42]")
        return " ".join(f.text for f in facts), tuple(facts)

    def choice(self, key: str, options: tuple[str, ...]) -> str:
        value = self.text(key)
        if value not in options:
            self.fail(key, f"'{value}' is not one of {', '.join(options)}")
        return value

    def text_list(self, key: str, *, required: bool) -> tuple[str, ...]:
        if key not in self.data:
            if required:
                self.fail(key, "missing")
            return ()
        value = self.data[key]
        if not isinstance(value, list) or (required and not value):
            self.fail(key, "must be a non-empty list of text" if required else "must be a list of text")
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                _fail(self.where, f"{self.field(key)}[{i}]", "must be non-empty text")
        return tuple(item.strip() for item in value)

    def tables(self, key: str, *, required: bool) -> list[tuple[object, str]]:
        """The entries of an array of tables with their field paths (``insertion[0]``)."""
        if key not in self.data:
            if required:
                self.fail(key, "missing")
            return []
        value = self.data[key]
        if not isinstance(value, list) or (required and not value):
            self.fail(key, "must be a non-empty list of tables")
        return [(item, f"{self.field(key)}[{i}]") for i, item in enumerate(value)]

    def point(self, key: str) -> tuple[float, float, float]:
        value = self.data.get(key)
        if not isinstance(value, list) or len(value) != 3:
            self.fail(key, "must be a list of 3 numbers [x, y, z] in metres")
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
            self.fail(key, "must be a list of 3 numbers [x, y, z] in metres")
        coords = tuple(float(v) for v in value)
        if not all(math.isfinite(v) for v in coords):
            self.fail(key, "coordinates must be finite")
        if any(abs(v) >= _MAX_COORD for v in coords):
            self.fail(key, f"coordinates are metres and must be under {_MAX_COORD} in size (millimetres?)")
        return cast(tuple[float, float, float], coords)

    def stem(self, key: str) -> str | None:
        value = self.optional_text(key)
        if value is None:
            return None
        if not _STEM.match(value) or value.endswith(("_r", "_l")):
            self.fail(key, f"'{value}' must be a MyoLeg name stem without the _r/_l side suffix")
        return value


class _Builder:
    """Turns parsed TOML into a Catalogue, checking each structure alone, then the references between them."""

    def __init__(self, data: dict[str, Any]) -> None:
        tables = frozenset({"schema", "side", "sources", "structure", "nerve", "compartment", "group"})
        self.top = _Table(data, None, "", tables)

    def build(self) -> Catalogue:
        top = self.top
        schema = top.data.get("schema")
        if schema != SCHEMA_VERSION:
            top.fail("schema", f"must be {SCHEMA_VERSION}, got {schema!r}")
        side = top.choice("side", ("right",))
        sources = self._sources()
        known_sources = {s.key for s in sources}
        structures: list[Structure] = []
        seen: dict[str, int] = {}
        for index, (raw, path) in enumerate(top.tables("structure", required=True)):
            s = self._structure(raw, path, index, known_sources)
            if s.id in seen:
                _fail(f"structure '{s.id}'", "id", f"duplicate id (also structure #{seen[s.id] + 1})")
            seen[s.id] = index
            structures.append(s)
        self._check_references(structures)
        nerves = self._terms("nerve", known_sources, None)
        compartments = self._terms("compartment", known_sources, COMPARTMENTS)
        groups = self._terms("group", known_sources, NAMED_BONE_GROUPS)
        self._check_names(structures, nerves, compartments, groups)
        order = {key: index for index, key in enumerate((*COMPARTMENTS, *NAMED_BONE_GROUPS))}
        return Catalogue(
            structures=tuple(structures),
            sources=sources,
            side=side,
            nerves=nerves,
            compartments=tuple(sorted(compartments, key=lambda t: order[t.key])),
            groups=tuple(sorted(groups, key=lambda t: order[t.key])),
        )

    def _terms(self, kind: str, known_sources: set[str], keys: tuple[str, ...] | None) -> tuple[Term, ...]:
        """The ``[[nerve]]``, ``[[compartment]]`` or ``[[group]]`` tables: a nerve is keyed by its English name (what
        an innervation says), a compartment or a bone group by ``key``, one of ``keys``. Each key and each name once."""
        terms: list[Term] = []
        seen: dict[str, set[str]] = {"key": set(), "name": set(), "latin": set()}
        fields = frozenset({"name", "latin", "sources"} | ({"key"} if keys is not None else set()))
        for index, (raw, _) in enumerate(self.top.tables(kind, required=False)):
            where = f"{kind} #{index + 1}"
            t = _Table(raw, where, "", fields)
            name = t.text("name")
            key = name if keys is None else t.choice("key", keys)
            where = f"{kind} '{key}'"
            t.where = where
            term = Term(key=key, name=name, latin=t.text("latin"), sources=t.text_list("sources", required=True))
            for i, source in enumerate(term.sources):
                if source not in known_sources:
                    _fail(where, f"sources[{i}]", f"'{source}' is not a key of [sources]")
            for field_name in ("key", "name", "latin"):
                value = getattr(term, field_name)
                if value in seen[field_name]:
                    _fail(where, field_name, f"'{value}' is given twice")
                seen[field_name].add(value)
            terms.append(term)
        return tuple(terms)

    @staticmethod
    def _check_names(
        structures: list[Structure], nerves: tuple[Term, ...], compartments: tuple[Term, ...], groups: tuple[Term, ...]
    ) -> None:
        """Every nerve an innervation names, every compartment a structure lies in and every named bone group a bone
        is in has its names in the file."""
        named = {t.key for t in nerves}
        placed = {t.key for t in compartments}
        grouped = {t.key for t in groups}
        for s in structures:
            where = f"structure '{s.id}'"
            if s.innervation is not None and s.innervation.nerve not in named:
                close = difflib.get_close_matches(s.innervation.nerve, named, n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                _fail(
                    where,
                    "innervation.nerve",
                    f"'{s.innervation.nerve}' has no [[nerve]] table; {hint}"
                    "give each nerve its English and Latin name there",
                )
            if s.compartment is not None and s.compartment not in placed:
                _fail(where, "compartment", f"'{s.compartment}' has no [[compartment]] table giving its names")
            if s.group in NAMED_BONE_GROUPS and s.group not in grouped:
                _fail(where, "group", f"'{s.group}' has no [[group]] table giving its names")

    def _sources(self) -> tuple[Source, ...]:
        raw = self.top.data.get("sources")
        if not isinstance(raw, dict) or not raw:
            self.top.fail("sources", "missing or empty; need a [sources.<key>] table per reference")
        out = []
        for key, value in raw.items():
            where = f"source '{key}'"
            if not _ID.match(key):
                _fail(where, "key", "must be snake_case (a-z, 0-9, _)")
            t = _Table(value, where, "", frozenset({"short", "reference"}))
            out.append(Source(key=key, short=t.text("short"), reference=t.text("reference")))
        return tuple(out)

    def _structure(self, raw: object, path: str, index: int, known_sources: set[str]) -> Structure:
        if not isinstance(raw, dict):
            _fail(f"structure #{index + 1}", path, "must be a table")
        sid = raw.get("id")
        where = f"structure '{sid}'" if isinstance(sid, str) and sid else f"structure #{index + 1} (no id)"
        kind = raw.get("kind")
        if kind not in KINDS:
            _fail(where, "kind", f"{kind!r} is not one of {', '.join(KINDS)}" if kind else "missing")
        t = _Table(raw, where, "", _ALLOWED[kind])
        sid = t.text("id")
        if not _ID.match(sid):
            t.fail("id", f"'{sid}' must be snake_case (a-z, 0-9, _), starting with a letter")
        layer = t.choice("layer", LAYERS)
        if (kind == "bone") != (layer == "bone"):
            t.fail("layer", "bones and only bones are in layer 'bone'")
        sources = t.text_list("sources", required=True)
        for i, key in enumerate(sources):
            if key not in known_sources:
                _fail(where, f"sources[{i}]", f"'{key}' is not a key of [sources]")
        summary, summary_facts = t.cited_text("summary", sources, required=True)
        notes, notes_facts = t.cited_text("notes", sources, required=False)
        blood_supply, blood_facts = t.cited_text("blood_supply", sources, required=kind == "muscle")
        fields = (("summary", summary_facts), ("blood_supply", blood_facts), ("notes", notes_facts))
        common = dict(
            id=sid,
            name=t.text("name"),
            latin=t.text("latin"),
            kind=kind,
            layer=layer,
            summary=summary,
            sources=sources,
            notes=notes,
            facts=tuple((name, facts) for name, facts in fields if facts),
        )
        if kind == "bone":
            body = cast(BodyName, t.choice("body", BODIES))  # one of BODIES: choice() checked it
            group = cast(BoneGroup, t.choice("group", BONE_GROUPS))
            return Structure(**common, body=body, group=group)

        is_muscle = kind == "muscle"
        origins = tuple(self._attachment(r, p, where, sources) for r, p in t.tables("origin", required=is_muscle))
        formed_by = t.text_list("formed_by", required=False)
        if not is_muscle and not origins and not formed_by:
            t.fail("origin", "a tendon needs an origin or formed_by")
        innervation = None
        if t.has("innervation") or is_muscle:
            innervation = self._innervation(t, sources)
        return Structure(
            **common,
            compartment=t.choice("compartment", COMPARTMENTS),
            model_tendon=t.stem("model_tendon"),
            origins=origins,
            insertions=tuple(self._attachment(r, p, where, sources) for r, p in t.tables("insertion", required=True)),
            formed_by=formed_by,
            actions=tuple(self._action(r, p, where, sources) for r, p in t.tables("action", required=is_muscle)),
            innervation=innervation,
            blood_supply=blood_supply,
            via=tuple(self._via(r, p, where) for r, p in t.tables("via", required=False)),
        )

    @staticmethod
    def _attachment(raw: object, path: str, where: str, sources: tuple[str, ...]) -> Attachment:
        t = _Table(
            raw, where, path, frozenset({"bone", "description", "site", "landmark", "landmark_source", "also_on"})
        )
        bone = t.text("bone")
        also_on = t.text_list("also_on", required=False)
        description, facts = t.cited_text("description", sources, required=True)
        assert description is not None  # required
        if t.has("site") == t.has("landmark"):
            t.fail("site", "give exactly one of 'site' and 'landmark'")
        if t.has("site"):
            if t.has("landmark_source"):
                t.fail("landmark_source", "only a landmark has a landmark_source")
            return Attachment(bone=bone, description=description, site=t.stem("site"), facts=facts, also_on=also_on)
        return Attachment(
            bone=bone,
            description=description,
            landmark=t.point("landmark"),
            landmark_source=t.text("landmark_source"),
            facts=facts,
            also_on=also_on,
        )

    @staticmethod
    def _action(raw: object, path: str, where: str, sources: tuple[str, ...]) -> Action:
        t = _Table(raw, where, path, frozenset({"joint", "movement", "description"}))
        description, facts = t.cited_text("description", sources, required=True)
        assert description is not None  # required
        return Action(
            joint=cast(Joint, t.choice("joint", JOINTS)),
            movement=cast(Movement, t.choice("movement", MOVEMENTS)),
            description=description,
            facts=facts,
        )

    @staticmethod
    def _innervation(parent: _Table, sources: tuple[str, ...]) -> Innervation:
        if not parent.has("innervation"):
            parent.fail("innervation", "missing")
        t = _Table(
            parent.data["innervation"],
            parent.where,
            "innervation",
            frozenset({"nerve", "roots", "sources", "disputed"}),
        )
        roots = t.text_list("roots", required=True)
        for i, root in enumerate(roots):
            if not _ROOT.match(root):
                _fail(t.where, f"innervation.roots[{i}]", f"'{root}' is not a spinal segment like 'L5' or 'S1'")
        cited = t.text_list("sources", required=True)
        for i, key in enumerate(cited):
            if key not in sources:
                _fail(t.where, f"innervation.sources[{i}]", f"'{key}' is not in the structure's sources")
        disputed = t.data.get("disputed", False)
        if not isinstance(disputed, bool):
            _fail(t.where, "innervation.disputed", "expected true or false")
        return Innervation(nerve=t.text("nerve"), roots=roots, sources=cited, disputed=disputed)

    @staticmethod
    def _via(raw: object, path: str, where: str) -> ViaPoint:
        t = _Table(raw, where, path, frozenset({"body", "landmark", "landmark_source", "wrap", "wrap_side"}))
        if t.has("wrap") != t.has("wrap_side"):
            t.fail("wrap", "give both 'wrap' and 'wrap_side' (the side of the surface the path takes), or neither")
        return ViaPoint(
            body=cast(BodyName, t.choice("body", BODIES)),
            landmark=t.point("landmark"),
            landmark_source=t.text("landmark_source"),
            wrap=t.stem("wrap"),
            wrap_side=t.point("wrap_side") if t.has("wrap_side") else None,
        )

    @staticmethod
    def _check_references(structures: list[Structure]) -> None:
        """Checks that need the whole file: attachment bones and formed_by ids point at the right kinds."""
        kinds = {s.id: s.kind for s in structures}
        bones = [sid for sid, k in kinds.items() if k == "bone"]
        for s in structures:
            where = f"structure '{s.id}'"
            for role, attachments in (("origin", s.origins), ("insertion", s.insertions)):
                for i, a in enumerate(attachments):
                    for field_name, bone in (
                        ("bone", a.bone),
                        *((f"also_on[{k}]", b) for k, b in enumerate(a.also_on)),
                    ):
                        if kinds.get(bone) != "bone":
                            close = difflib.get_close_matches(bone, bones, n=1)
                            hint = f"; did you mean '{close[0]}'?" if close else ""
                            _fail(where, f"{role}[{i}].{field_name}", f"'{bone}' is not a bone id{hint}")
            for i, muscle in enumerate(s.formed_by):
                if kinds.get(muscle) != "muscle":
                    _fail(where, f"formed_by[{i}]", f"'{muscle}' is not a muscle id")
