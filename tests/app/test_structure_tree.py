"""The structure tree groups each layer's muscles by compartment, and a compartment's box shows and hides its
muscles in that layer alone; the layers mean the same depth on every side of the leg."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAccessible
from whole_names import cut_rows

from calfviewer.anatomy import load_catalogue
from calfviewer.app.structure_tree import StructureTree
from calfviewer.viewer.view_state import ViewState


@pytest.fixture
def tree(qtbot):
    catalogue = load_catalogue()
    state = ViewState.from_dict({}, catalogue)
    widget = StructureTree(state, catalogue)
    qtbot.addWidget(widget)
    return widget


def children(item) -> list[str]:
    return [item.child(row, 0).text() for row in range(item.rowCount())]


def members(item) -> set[str]:
    return {item.child(row, 0).data(Qt.ItemDataRole.UserRole + 1) for row in range(item.rowCount())}


def test_each_layer_lists_its_compartments(tree):
    assert children(tree.item("layer:superficial")) == [
        "Posterior compartment, superficial part",
        "Anterior compartment",
        "Lateral compartment",
    ]
    assert children(tree.item("layer:intermediate")) == [
        "Posterior compartment, superficial part",
        "Anterior compartment",
        "Lateral compartment",
    ]
    assert children(tree.item("layer:deep")) == ["Posterior compartment, deep part"]


def test_with_latin_names_the_compartments_are_named_in_latin_and_found_by_either_name(tree):
    """View > Latin names renamed every structure but left the compartment rows in English ("Lateral compartment"
    over "Musculus fibularis longus"). They are named by Terminologia Anatomica (TA2, written out by hand) and their
    tooltip gives the English; back in English, the English again. The search finds a compartment by either name."""
    tree.show()
    tree.set_names("latin")
    assert children(tree.item("layer:superficial")) == [
        "Pars superficialis compartimenti cruris posterioris",
        "Compartimentum cruris anterius",
        "Compartimentum cruris laterale",
    ]
    assert children(tree.item("layer:deep")) == ["Pars profunda compartimenti cruris posterioris"]
    assert tree.group("compartment:superficial:lateral").toolTip() == (
        "Compartimentum cruris laterale — Lateral compartment"
    )
    tree.search.setText("lateral compartment")
    assert shown(tree, "fibularis_longus") and shown(tree, "fibularis_brevis") and not shown(tree, "soleus")
    tree.set_names("english")
    tree.search.setText("compartimentum cruris laterale")
    assert shown(tree, "fibularis_longus") and shown(tree, "fibularis_brevis") and not shown(tree, "soleus")
    tree.search.setText("")
    assert children(tree.item("layer:deep")) == ["Posterior compartment, deep part"]
    assert tree.group("compartment:deep:deep posterior").toolTip() == (
        "Posterior compartment, deep part — Pars profunda compartimenti cruris posterioris"
    )


def test_the_bone_groups_are_named_as_anatomy_names_them_in_either_style(tree):
    """With Latin names on, the Bones layer's group rows stayed "Tarsal bones", "Metatarsals", "Phalanges" over
    "Os naviculare" and "Os metatarsi I". They read the Terminologia Anatomica names (written out here by hand), the
    English in the tooltip, and the search finds a group by either name. The femur, patella, tibia and fibula sit in
    no group row: anatomy names no group of them."""
    tree.show()
    bones = tree.item("layer:bone")
    english = ["Femur", "Patella", "Tibia", "Fibula", "Tarsal bones", "Metatarsal bones", "Phalanges of the foot"]
    assert children(bones) == english
    tree.set_names("latin")
    latin = ["Femur", "Patella", "Tibia", "Fibula", "Ossa tarsi", "Ossa metatarsi", "Ossa digitorum pedis"]
    assert children(bones) == latin
    assert tree.group("tarsals").toolTip() == "Ossa tarsi — Tarsal bones"
    assert tree.group("phalanges").toolTip() == "Ossa digitorum pedis — Phalanges of the foot"
    tree.search.setText("metatarsal bones")
    assert shown(tree, "metatarsal_1") and shown(tree, "metatarsal_5") and not shown(tree, "cuboid")
    tree.set_names("english")
    assert children(bones) == english
    tree.search.setText("ossa digitorum pedis")
    assert shown(tree, "distal_phalanx_1") and not shown(tree, "metatarsal_1") and not shown(tree, "tibia")


def test_superficial_and_deeper_mean_the_same_on_every_side(tree):
    # Gray's Anatomy 42e: tibialis anterior, extensor digitorum longus and fibularis longus reach the crural fascia;
    # extensor hallucis longus lies deep between the first two, fibularis brevis deep to longus.
    assert members(tree.group("compartment:superficial:anterior")) == {
        "tibialis_anterior",
        "extensor_digitorum_longus",
    }
    assert members(tree.group("compartment:superficial:lateral")) == {"fibularis_longus"}
    assert members(tree.group("compartment:intermediate:anterior")) == {"extensor_hallucis_longus"}
    assert members(tree.group("compartment:intermediate:lateral")) == {"fibularis_brevis"}
    assert members(tree.group("compartment:superficial:superficial posterior")) == {
        "gastrocnemius_medial_head",
        "gastrocnemius_lateral_head",
    }


def test_a_compartment_box_hides_its_muscles_in_that_layer_only(tree):
    state = tree.state
    tree.group("compartment:superficial:anterior").setCheckState(Qt.CheckState.Unchecked)
    assert not state.effective_visibility("tibialis_anterior")
    assert not state.effective_visibility("extensor_digitorum_longus")
    assert state.effective_visibility("extensor_hallucis_longus")  # the same compartment, one layer deeper
    assert state.effective_visibility("fibularis_longus")
    assert tree.item("layer:superficial").checkState() == Qt.CheckState.PartiallyChecked
    tree.group("compartment:superficial:anterior").setCheckState(Qt.CheckState.Checked)
    assert state.effective_visibility("tibialis_anterior")
    assert tree.item("layer:superficial").checkState() == Qt.CheckState.Checked


def test_hiding_the_superficial_layer_uncovers_the_deeper_muscles_on_every_side(tree):
    tree.item("layer:superficial").setCheckState(Qt.CheckState.Unchecked)
    hidden = {"gastrocnemius_medial_head", "tibialis_anterior", "extensor_digitorum_longus", "fibularis_longus"}
    for sid in hidden:
        assert not tree.state.effective_visibility(sid), sid
    for sid in ("soleus", "extensor_hallucis_longus", "fibularis_brevis"):
        assert tree.state.effective_visibility(sid), sid
    assert tree.group("compartment:superficial:lateral").checkState() == Qt.CheckState.Unchecked


@pytest.mark.parametrize("names", ["english", "latin"])
def test_at_the_width_it_asks_for_the_tree_shows_every_name_whole(tree, qtbot, names):
    """The tree asked for Qt's default 256 pixels and kept a fixed 80-pixel slider column, so the window gave its
    dock the 300-pixel minimum and the names 210: "Posterior compartme…" three times, and with the groups open
    "Proximal phalanx of the …" or, in Latin, "Caput laterale musculi …". At the width it asks for every name is
    read whole, with every group open (a scroll bar beside them) and in either name style."""
    tree.set_names(names)
    tree.resize(tree.sizeHint().width(), 500)
    tree.show()
    qtbot.waitExposed(tree)
    assert cut_rows(tree) == []
    assert tree.view.verticalScrollBar().isVisible()  # checked with the scroll bar taking its room


def test_a_layer_or_group_row_elided_in_a_narrow_dock_names_itself_whole_in_its_tooltip(tree, qtbot):
    """In the dock at its smallest (300 pixels, to fit a 1024 x 768 projector) both posterior compartments read
    "Posterior compartme…"; their rows had no tooltip to tell them apart."""
    tree.resize(300, 600)
    tree.show()
    qtbot.waitExposed(tree)
    tree.view.expandAll()
    for layer, title in (
        ("superficial", "Posterior compartment, superficial part"),
        ("deep", "Posterior compartment, deep part"),
    ):
        (group,) = (
            tree.item(f"layer:{layer}").child(row, 0)
            for row in range(tree.item(f"layer:{layer}").rowCount())
            if tree.item(f"layer:{layer}").child(row, 0).text() == title
        )
        assert tree.view.visualRect(group.index()).width() < tree.view.fontMetrics().horizontalAdvance(title)  # elided
        assert group.toolTip().startswith(f"{title} — ")  # whole, then its Latin name, as a structure's tooltip
    for layer in ("superficial", "intermediate", "deep"):
        assert tree.item(f"layer:{layer}").toolTip() == tree.item(f"layer:{layer}").text()


@pytest.mark.parametrize(
    "typed",
    ["m. soleus", "M. Soleus", "m.soleus", "musculus soleus", "MUSCULUS SOLEUS", "soleus muscle", "Sóleus", " soleus "],
)
def test_search_finds_the_soleus_as_anatomists_write_it(tree, typed):
    """ "m. soleus" (the usual short Latin form) found nothing, nor did "soleus muscle" or an accented letter."""
    tree.search.setText(typed)
    assert tree.first_match() == "soleus"
    soleus = tree.item("soleus")
    assert not tree.view.isRowHidden(soleus.row(), soleus.parent().index())
    tibia = tree.item("tibia")
    assert tree.view.isRowHidden(tibia.row(), tibia.parent().index())


def test_typing_soleus_muscle_letter_by_letter_never_says_nothing_matches(tree):
    """Before, "soleus m" to "soleus muscl" matched nothing, so the box said "No structure matches" while the user
    was still typing the word the search leaves out."""
    typed = "soleus muscle"
    for end in range(len("soleus"), len(typed) + 1):
        tree.search.setText(typed[:end])
        assert tree.first_match() == "soleus", typed[:end]
        assert tree.no_match.isHidden(), typed[:end]
    tree.search.setText("soleus mx")
    assert tree.first_match() is None


def test_search_finds_a_genitive_m_and_still_finds_nothing_for_nonsense(tree):
    tree.search.setText("caput mediale m. gastrocnemii")
    assert tree.first_match() == "gastrocnemius_medial_head"
    tree.search.setText("m. tibialis posterior")
    assert tree.first_match() == "tibialis_posterior"
    tree.search.setText("m. tibia muscle xyz")
    assert tree.first_match() is None


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("solues", "Soleus"), ("SOLEOUS", "Soleus"), ("gastrocnemus", "Gastrocnemius, medial head"), ("tibila", "Tibia")],
)
def test_a_search_that_finds_nothing_says_so_with_the_name_nearest_to_it(tree, qtbot, typed, meant):
    """Before, a typo ("solues") emptied the tree and Enter did nothing, with not a word: a student could not tell a
    misspelling from a structure the catalogue lacks. Now a line under the box says nothing matches and names the
    structure nearest to what was typed, and goes when the search finds something again."""
    tree.show()
    tree.search.setText(typed)
    assert tree.first_match() is None
    assert tree.no_match.isVisible()
    assert tree.no_match.text() == f"No structure matches {typed!r}. Did you mean {meant}?"
    tree.search.setText("soleus")
    assert not tree.no_match.isVisible()
    tree.search.setText("")
    assert not tree.no_match.isVisible()


def test_a_search_far_from_every_name_says_only_that_nothing_matches(tree):
    tree.show()
    tree.search.setText("xyzzy")
    assert tree.no_match.isVisible() and tree.no_match.text() == "No structure matches 'xyzzy'."
    tree.set_names("latin")
    tree.search.setText("solues")
    assert tree.no_match.text() == "No structure matches 'solues'. Did you mean Musculus soleus?"


def shown(tree, key: str) -> bool:
    item = tree.item(key)
    parent = item.parent().index() if item.parent() is not None else QModelIndex()
    return not tree.view.isRowHidden(item.row(), parent)


@pytest.mark.parametrize(
    ("typed", "found", "not_found"),
    [
        ("deep", ["popliteus", "tibialis_posterior", "flexor_digitorum_longus", "flexor_hallucis_longus"], ["soleus"]),
        ("Lateral compartment", ["fibularis_longus", "fibularis_brevis"], ["tibialis_anterior", "soleus"]),
        ("tarsal", ["calcaneus", "talus", "navicular"], ["tibia", "soleus"]),
    ],
)
def test_a_search_that_names_a_layer_or_group_shows_what_is_in_it(tree, typed, found, not_found):
    """Typing a layer's or a group's name ("deep", "lateral compartment") emptied the tree: a group row was shown only
    for a structure under it whose own name matched, and "No structure matches 'deep'" followed. A group the search
    names now shows with everything in it; structures whose own names match are shown beside it as before."""
    tree.show()
    tree.search.setText(typed)
    for key in found:
        assert shown(tree, key), key
    for key in not_found:
        assert not shown(tree, key), key
    assert not tree.no_match.isVisible()


def test_tabbing_through_the_opacity_sliders_keeps_the_selection(tree, qtbot):
    """A keyboard user tabs past the tree to reach the info panel: each opacity slider that took the focus made its
    row current, and the tree took that for a choice, selecting Femur, Patella, ... in turn (an undo step each) and
    leaving the last structure passed selected. The selection stays, highlighted, while the sliders take the keys."""
    from PySide6.QtWidgets import QApplication, QSlider

    tree.state.select("soleus")
    tree.resize(420, 700)
    tree.show()
    qtbot.waitExposed(tree)
    tree.activateWindow()
    tree.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tree.view)
    selections, passed = [], []
    for _ in range(12):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        if isinstance(focused, QSlider):
            passed.append(focused.accessibleName())
        selections.append(tree.state.selection)
    assert {"Opacity of Femur", "Opacity of Soleus", "Opacity of Plantaris"} <= set(passed)
    assert set(selections) == {"soleus"}
    highlighted = [index.data(Qt.ItemDataRole.UserRole + 1) for index in tree.view.selectionModel().selectedRows()]
    assert highlighted == ["soleus"]


def test_arrow_keys_in_the_tree_still_choose_a_structure(tree, qtbot):
    """Moving the current row with the keyboard is how a keyboard user chooses a structure: that stays."""
    from PySide6.QtWidgets import QApplication

    tree.state.select("soleus")
    tree.show()
    qtbot.waitExposed(tree)
    tree.activateWindow()
    tree.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tree.view)
    qtbot.keyClick(tree.view, Qt.Key.Key_Down)
    assert tree.state.selection == "plantaris"


@pytest.mark.parametrize("typed", ["a<b>bold</b>", "knee <i>flexor", "x &lt;y&gt;", "<h1>big"])
def test_the_line_that_nothing_matches_shows_what_was_typed_as_it_was_typed(tree, typed):
    """The line quotes the search text, and Qt read it as HTML wherever the text held a tag: "a<b>bold</b>" showed
    as "No structure matches 'abold'." with "bold" in bold (and "&lt;" as "<"), so the line misquoted the user. What
    the label shows is what a screen reader reads from it: the text as typed."""
    tree.show()
    tree.search.setText(typed)
    assert tree.no_match.isVisible()
    shown = QAccessible.queryAccessibleInterface(tree.no_match).text(QAccessible.Text.Name)
    assert shown.startswith(f"No structure matches {typed!r}.")


def test_a_long_search_that_finds_nothing_does_not_widen_the_panel(tree):
    """The line under the box quoted the whole search text, and a long one (a sentence pasted, a key held down)
    is one word the line cannot wrap: the panel grew as wide as the text, the 3D view narrowed to a strip beside
    it, and the window kept the wide panel for the next session (seen: 888 pixels). The line quotes the start and
    the end of a long text, and the panel keeps its width."""
    tree.show()
    tree.search.setText("xyzzy")
    narrow = tree.minimumSizeHint().width()
    typed = "thequickbrownfoxjumpsoverthelazydog" * 6
    tree.search.setText(typed)
    assert tree.no_match.isVisible()
    assert tree.minimumSizeHint().width() <= narrow
    shown = QAccessible.queryAccessibleInterface(tree.no_match).text(QAccessible.Text.Name)
    assert shown.startswith("No structure matches 'thequickbrown") and shown.endswith("thelazydog'.")
    assert len(shown) < len(typed)
