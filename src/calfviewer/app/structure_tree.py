"""The structure tree: layers and their structures, each with a checkbox and an opacity slider, and a search box.

Widgets make one state call per user action and mirror the state back under ``QSignalBlocker``, so a change never
echoes. A box says whether its structure is drawn (a hidden layer unchecks its children); a layer or bone group is
checked, unchecked or partly checked by what its children show. The selection is mirrored through the selection
model with its signals live (only this widget's own reaction is held back), so the view repaints the highlighted row.
A row made current by its opacity slider taking the focus is not a choice: Tab passes through the tree and leaves
the selection as it was.

The search box takes keys only while someone types in it: Enter (which selects the first match) and Esc hand the
keyboard back (``leave_search``), so the window's one-key shortcuts work again. A search that finds nothing says
so under the box, naming the structure nearest to what was typed: a typo emptied the tree without a word.

Filtering hides rows rather than using a proxy model, because the per-row opacity sliders are index widgets that a
proxy would destroy on every keystroke.

The tree asks for the width that shows every name whole (:meth:`StructureTree.sizeHint`), so the window's first
layout gives its dock that width: the name column stretches, the opacity column is only as wide as its title. Before,
the tree asked for Qt's default 256 pixels, the dock kept its 300-pixel minimum, and a fixed 80-pixel slider column
left the names 210: "Posterior compartment, superficial part" read "Posterior compartme…".

A compartment's row and a bone group's are names like a structure's: with Latin names they read "Compartimentum
cruris laterale", "Ossa tarsi", the tooltip gives the English, and the search finds them by either (the catalogue holds
both, :mod:`calfviewer.anatomy.names` chooses). The femur, patella, tibia and fibula sit under the Bones layer in no
group row: anatomy names no group of them (:meth:`calfviewer.anatomy.Catalogue.group_of`). Layers are the app's own
grouping, not Terminologia Anatomica terms, and keep their titles.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, QSignalBlocker, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSlider,
    QStyle,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from calfviewer.anatomy import COMPARTMENTS, Catalogue, Structure, Term
from calfviewer.anatomy.names import DEFAULT_NAMES, check_names, display_name, other_name
from calfviewer.anatomy.search import fold, matches, nearest
from calfviewer.anatomy.text import LAYER_TITLES
from calfviewer.app.readable import set_tone
from calfviewer.app.screen_reader import announce
from calfviewer.app.slider_groove import show_grooves
from calfviewer.viewer.view_state import LAYERS, ViewState

ID_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2  # "layer", "group" or "structure"
#: The opacity sliders' column is as wide as its title, and never narrower than this (pixels): a slider still to drag.
OPACITY_MIN_WIDTH = 64
#: The opacity cell of a compartment's or bone group's row, which has no slider, as a screen reader reads it.
GROUP_OPACITY = "Opacity: set for each structure in it"


class StructureTree(QWidget):
    """Tree of layers, bone groups and structures that edits and mirrors a :class:`ViewState`.

    Signals:
        leave_search(): the user is done with the search box (Enter or Esc); the window gives the keys back to
            the 3D view.
        chosen(id): a structure chosen as a click on it in the 3D view chooses it: Enter in the search box or on
            its row, or a double-click on the row. A quiz question answered by a click takes it as the answer, so a
            keyboard user can answer one (before, the round stopped at the first such question: nothing but the
            mouse on the 3D view answered it, and its Next button waits for an answer).
    """

    leave_search = Signal()
    chosen = Signal(str)

    def __init__(self, state: ViewState, catalogue: Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.catalogue = catalogue
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search structures (Enter selects)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search structures")  # what a screen reader says (it read nothing)
        self.no_match = QLabel(self)  # "No structure matches 'solues'. Did you mean Soleus?"
        self.no_match.setWordWrap(True)
        # It quotes what was typed, so it is never read as HTML: Qt took "a<b>x</b>" for rich text and showed
        # "No structure matches 'ax'." with the x in bold, and "&lt;" as "<".
        self.no_match.setTextFormat(Qt.TextFormat.PlainText)
        # Its words never widen the panel: a long search text is one word the line cannot wrap, and the panel grew
        # as wide as it, the 3D view a strip beside it (and the next session kept the width). The line quotes a long
        # text's start and end (:func:`quoted`), and takes the width the panel has.
        self.no_match.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        set_tone(self.no_match, "#c62828")  # red, lighter on a dark palette
        self.no_match.hide()
        self.view = QTreeView(self)
        self.view.setAccessibleName("Structures")
        self.view.setHeaderHidden(False)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.model = QStandardItemModel(self)
        self.model.setHorizontalHeaderLabels(["Structure", "Opacity"])
        self.view.setModel(self.model)
        layout = self._column = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.no_match)
        layout.addWidget(self.view)

        self._items: dict[str, QStandardItem] = {}  # structure id or "layer:<name>" -> first-column item
        self._sliders: dict[str, QSlider] = {}
        self._groups: dict[str, tuple[QStandardItem, tuple[str, ...]]] = {}
        self._named: dict[str, Structure | Term] = {}  # structure id or group key -> what names its row
        self._mirroring_selection = False
        self._renaming = False
        self.names = DEFAULT_NAMES
        self._build()
        show_grooves(self, self._sliders.values())  # the opacity sliders' grooves visible on any palette
        header = self.view.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, max(header.sectionSizeHint(1), OPACITY_MIN_WIDTH))
        header.setStretchLastSection(False)

        self.model.itemChanged.connect(self._on_item_changed)
        self.view.selectionModel().currentChanged.connect(self._on_current_changed)
        self.view.activated.connect(self._on_activated)  # Enter on a row, or a double-click
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._select_first_match)
        self.search.installEventFilter(self)
        events = state.events
        events.structure_visible.connect(self._mirror_checks)
        events.layer_visible.connect(self._mirror_checks)
        events.structure_opacity.connect(self._mirror_opacity)
        events.layer_opacity.connect(self._mirror_opacity)
        events.selection.connect(self._mirror_selection)
        self._mirror_checks()
        self._mirror_opacity()

    # --- building -------------------------------------------------------------------------------------------
    def _item(self, text: str, key: str, kind: str) -> QStandardItem:
        item = QStandardItem(text)
        # The name whole when the column elides it (at the dock's smallest "Posterior compartment, superficial part"
        # and "…, deep part" both read "Posterior compartme…"); a structure's tooltip adds its other name.
        item.setToolTip(text)
        item.setCheckable(True)
        item.setCheckState(Qt.CheckState.Checked)
        item.setData(key, ID_ROLE)
        item.setData(kind, KIND_ROLE)
        return item

    def _add_row(self, parent: QStandardItem, item: QStandardItem, slider_key: str | None) -> None:
        opacity_cell = QStandardItem()
        opacity_cell.setEditable(False)
        # The cell's words for a screen reader, which reads the row cell by cell (the slider over it is a widget of
        # its own, which Tab reaches): it read "blank". A row with a slider names its opacity (name_opacity).
        if slider_key is None:
            opacity_cell.setData(GROUP_OPACITY, Qt.ItemDataRole.AccessibleTextRole)
        parent.appendRow([item, opacity_cell])
        if slider_key is not None:
            slider = QSlider(Qt.Orientation.Horizontal)
            slider.setRange(0, 100)
            slider.setValue(100)
            slider.setToolTip("Opacity")
            slider.setAccessibleName(f"Opacity of {item.text()}")
            slider.valueChanged.connect(lambda value, key=slider_key: self._on_slider(key, value))
            slider.valueChanged.connect(lambda value, cell=opacity_cell: name_opacity(cell, value))
            name_opacity(opacity_cell, slider.value())
            self.view.setIndexWidget(opacity_cell.index(), slider)
            self._sliders[slider_key] = slider

    def _build(self) -> None:
        root = self.model.invisibleRootItem()
        by_layer = self.catalogue.by_layer()
        for layer in LAYERS:
            layer_item = self._item(LAYER_TITLES[layer], layer, "layer")
            self._add_row(root, layer_item, f"layer:{layer}")
            self._items[f"layer:{layer}"] = layer_item
            groups: dict[str, list] = {}
            structures = by_layer.get(layer, ())
            # Muscles and tendons sit under their compartment within the layer, in the catalogue's compartment order.
            for compartment in COMPARTMENTS:
                members = [s for s in structures if s.compartment == compartment]
                if members:
                    key = f"compartment:{layer}:{compartment}"
                    self._named[key] = self.catalogue.compartment(compartment)
                    groups[key] = members
            for structure in structures:
                bone_group = self.catalogue.group_of(structure)
                if bone_group is not None:  # "tarsals": named as anatomy names it, like a compartment
                    self._named[bone_group.key] = bone_group
                    groups.setdefault(bone_group.key, []).append(structure)
                elif structure.compartment is None:
                    self._add_structure(layer_item, structure)
            for group, members in groups.items():
                group_item = self._item(display_name(self._named[group], self.names), group, "group")
                group_item.setToolTip(self._tooltip(self._named[group]))
                self._add_row(layer_item, group_item, None)
                self._groups[group] = (group_item, tuple(s.id for s in members))
                for structure in members:
                    self._add_structure(group_item, structure)
            self.view.expand(layer_item.index())

    def _add_structure(self, parent: QStandardItem, structure: Structure) -> None:
        item = self._item(display_name(structure, self.names), structure.id, "structure")
        item.setToolTip(self._tooltip(structure))
        self._add_row(parent, item, structure.id)
        self._items[structure.id] = item
        self._named[structure.id] = structure

    def _tooltip(self, named: Structure | Term) -> str:
        """A named row's tooltip: its name shown, then its name in the other style (what the search also matches)."""
        return f"{display_name(named, self.names)} — {other_name(named, self.names)[1]}"

    def set_names(self, names: str) -> None:
        """Show every structure, compartment and bone group by its English or Latin name (the tooltip gives the
        other); search finds both."""
        self.names = check_names(names)
        self._renaming = True
        try:
            for key, named in self._named.items():
                item = self._items[key] if key in self._items else self._groups[key][0]
                item.setText(display_name(named, self.names))
                item.setToolTip(self._tooltip(named))
        finally:
            self._renaming = False
        self._filter(self.search.text())
        self.updateGeometry()  # the width the names ask for (sizeHint) changed with them

    def sizeHint(self) -> QSize:
        """Wide enough to read every row's name whole with every group open, in the names shown now, beside the
        opacity column and a scroll bar. The window's first layout gives the dock this width, and a switch to longer
        names widens the dock to it (`settings.widen_to_fit`); a width the user chose and the window remembers wins
        over it. Sized for the names shown, not the longest of both styles: the Latin compartment names ("Pars
        superficialis compartimenti cruris posterioris") would take 60 px of a 1400-px window from the 3D view for
        a student who reads English."""
        hint = super().sizeHint()
        view = self.view
        names = max((self._name_width(index, depth) for index, depth in self._rows()), default=0)
        margins = self._column.contentsMargins()
        scroll_bar = view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, view.verticalScrollBar())
        chrome = margins.left() + margins.right() + 2 * view.frameWidth() + scroll_bar
        return QSize(max(hint.width(), chrome + names + view.columnWidth(1)), hint.height())

    def _rows(self, parent: QModelIndex | None = None, depth: int = 0) -> Iterator[tuple[QModelIndex, int]]:
        """Every first-column index under ``parent`` (all of them: open or not, shown or filtered out), with its
        depth (0 for a layer)."""
        parent = parent if parent is not None else QModelIndex()
        for row in range(self.model.rowCount(parent)):
            index = self.model.index(row, 0, parent)
            yield index, depth
            yield from self._rows(index, depth + 1)

    def _name_width(self, index: QModelIndex, depth: int) -> int:
        """The first column's width that shows ``index``'s row whole: its indentation, then what the item delegate
        asks for (box, name and margins)."""
        view = self.view
        indent = view.indentation() * (depth + (1 if view.rootIsDecorated() else 0))
        return indent + view.sizeHintForIndex(index).width()

    # --- user -> state --------------------------------------------------------------------------------------
    def _on_item_changed(self, item: QStandardItem) -> None:
        if not item.isCheckable() or self._renaming:
            return
        checked = item.checkState() != Qt.CheckState.Unchecked
        key, kind = item.data(ID_ROLE), item.data(KIND_ROLE)
        if kind == "group":
            _, members = self._groups[key]
            with self.state.events.paused():
                for member in members:
                    self.state.set_drawn(member, checked)
        else:
            self.state.set_drawn(key, checked)
        self._mirror_checks()  # a refused or partial change still leaves every box telling the truth

    def _on_slider(self, key: str, value: int) -> None:
        self.state.set_opacity(key.removeprefix("layer:"), value / 100.0)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._mirroring_selection:
            return
        if QApplication.focusWidget() in self._sliders.values():
            # An opacity slider took the focus (Tab, or a click on it) and Qt made its row current: not a choice of
            # structure. Tabbing past the tree selected every structure it passed, an undo step each.
            self._highlight_selection()
            return
        index = current.siblingAtColumn(0)
        if index.data(KIND_ROLE) == "structure":
            self.state.select(index.data(ID_ROLE))

    def _filter(self, text: str) -> None:
        needle = fold(text)

        def visit(parent: QStandardItem, whole: bool) -> bool:
            """Show the rows under ``parent`` that match (all of them when ``whole``: a group named by the search
            shows everything in it, so "deep" or "lateral compartment" finds those muscles); True if any is shown."""
            any_shown = False
            for row in range(parent.rowCount()):
                child = parent.child(row, 0)
                own = whole or matches(needle, *_names_of(child), str(child.data(ID_ROLE)))
                shown = visit(child, own and child.data(KIND_ROLE) != "structure") or own
                self.view.setRowHidden(row, parent.index(), not shown)
                any_shown |= shown
            return any_shown

        found = visit(self.model.invisibleRootItem(), not needle)
        if needle:
            self.view.expandAll()
        self._say_no_match(text if needle and not found else None)

    def _say_no_match(self, typed: str | None) -> None:
        """Under the box: nothing matches ``typed``, and the structure whose name is nearest to it; hidden for None."""
        if typed is None:
            self.no_match.hide()
            return
        structures = self._structure_items()
        meant = nearest(typed, ((key, (*_names_of(item), key)) for key, item in structures))
        guess = "" if meant is None else f" Did you mean {self._items[meant].text()}?"
        self.no_match.setText(f"No structure matches {quoted(typed.strip())}.{guess}")
        self.no_match.show()

    def _structure_items(self) -> list[tuple[str, QStandardItem]]:
        """(id, first-column item) of every structure row, in tree order (not the layers and groups)."""
        return [(key, item) for key, item in self._items.items() if item.data(KIND_ROLE) == "structure"]

    def first_match(self) -> str | None:
        """The first structure id the search box's filter leaves shown, in tree order: a match on the name shown
        (or the id) first, then one on the name in the other style (English or Latin)."""
        needle = fold(self.search.text())
        if not needle:
            return None
        structures = self._structure_items()
        for key, item in structures:
            if matches(needle, item.text(), key):
                return key
        for key, item in structures:
            if matches(needle, *_names_of(item)):
                return key
        return None

    def _on_activated(self, index: QModelIndex) -> None:
        index = index.siblingAtColumn(0)
        if index.data(KIND_ROLE) == "structure":
            self.chosen.emit(index.data(ID_ROLE))

    def _select_first_match(self) -> None:
        match = self.first_match()
        if match is not None:
            self.state.select(match)
            self.leave_search.emit()
            self.chosen.emit(match)
        elif self.no_match.isVisible():
            announce(self.search, self.no_match.text())  # a screen reader does not read the label's new text

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Esc in the search box leaves it. The window's Esc shortcut (clear the selection) would take the key
        first, so the box claims it in the shortcut-override pass and handles it as its own key press."""
        if watched is self.search and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape:
            event.accept()
            if event.type() == QEvent.Type.KeyPress:
                self.leave_search.emit()
            return event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride)
        return super().eventFilter(watched, event)

    # --- state -> widgets ------------------------------------------------------------------------------------
    def _mirror_checks(self, *_: object) -> None:
        """One pass over the rows: each structure's layer is looked up once, and a box is only written where its
        state differs (a toggle changes a few rows; rewriting all of them cost ~35 ms, docs/performance.md)."""
        drawn = {sid: self.state.effective_visibility(sid) for sid in self.state.structure_ids}
        by_layer: dict[str, list[bool]] = {}
        for sid, on in drawn.items():
            by_layer.setdefault(self.state.layer_of(sid), []).append(on)
        changed = False
        with QSignalBlocker(self.model):
            for key, item in self._items.items():
                if item.data(KIND_ROLE) == "layer":
                    layer = key.removeprefix("layer:")
                    shown = by_layer.get(layer, []) if self.state.layer_visible.get(layer, True) else [False]
                    changed |= _set_check(item, _tri_state(shown))
                else:
                    changed |= _set_check(item, _tri_state([drawn[key]]))
            for group_item, group_members in self._groups.values():
                changed |= _set_check(group_item, _tri_state([drawn[m] for m in group_members]))
        if changed:
            self.view.viewport().update()

    def _mirror_opacity(self, *_: object) -> None:
        for key, slider in self._sliders.items():
            if key.startswith("layer:"):
                value = self.state.layer_opacity.get(key.removeprefix("layer:"), 1.0)
            else:
                value = self.state.structure_opacity.get(key, 1.0)
            with QSignalBlocker(slider):
                slider.setValue(round(value * 100))

    def _mirror_selection(self, *_: object) -> None:
        """Highlight the selected row (or none). The selection model's signals stay live, because the view repaints
        rows from them: blocking them left the old row painted as selected."""
        selection = self.state.selection
        model = self.view.selectionModel()
        self._mirroring_selection = True
        try:
            if selection is None or selection not in self._items:
                model.clearSelection()
                model.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.Clear)
                return
            index = self._items[selection].index()
            model.setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            )
            self.view.scrollTo(index)
        finally:
            self._mirroring_selection = False

    def _highlight_selection(self) -> None:
        """Highlight the selected row again without moving the current row (where the keyboard is) or scrolling."""
        model = self.view.selectionModel()
        selection = self.state.selection
        if selection is None or selection not in self._items:
            model.clearSelection()
            return
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        model.select(self._items[selection].index(), flags)

    # --- queries for tests --------------------------------------------------------------------------------------
    def item(self, key: str) -> QStandardItem:
        """The first-column item of a structure id or ``layer:<name>``."""
        return self._items[key]

    def slider(self, key: str) -> QSlider:
        return self._sliders[key]

    def group(self, key: str) -> QStandardItem:
        """The item of a bone group (``"tarsals"``) or of a compartment within a layer
        (``"compartment:superficial:anterior"``)."""
        return self._groups[key][0]


def _names_of(item: QStandardItem) -> tuple[str, str]:
    """What a search matches besides the id: the row's name and, from its tooltip, its name in the other style
    (matched apart, so a match never runs from the end of one into the other)."""
    return item.text(), item.toolTip()


def _set_check(item: QStandardItem, state: Qt.CheckState) -> bool:
    """Write a box's state only when it differs; True when it was written (so the view needs a repaint)."""
    if item.checkState() == state:
        return False
    item.setCheckState(state)
    return True


def _tri_state(shown: list[bool]) -> Qt.CheckState:
    """Checked when all are drawn, unchecked when none are, partly checked in between."""
    if all(shown):
        return Qt.CheckState.Checked
    return Qt.CheckState.PartiallyChecked if any(shown) else Qt.CheckState.Unchecked


def name_opacity(cell: QStandardItem, value: int) -> None:
    """Word a row's opacity cell as its slider stands, for a screen reader: "Opacity 40 %"."""
    cell.setData(f"Opacity {value} %", Qt.ItemDataRole.AccessibleTextRole)


#: The most characters of a search text the line under the box quotes: a longer one is quoted by its start and end.
QUOTED_AT_MOST = 32


def quoted(text: str) -> str:
    """``text`` in quotes as Python writes it (``repr``), its middle left out for an ellipsis past
    :data:`QUOTED_AT_MOST` characters, so that a long search text is still recognised on the panel's narrow line."""
    if len(text) > QUOTED_AT_MOST:
        half = (QUOTED_AT_MOST - 1) // 2
        text = f"{text[:half]}…{text[-half:]}"
    return repr(text)
