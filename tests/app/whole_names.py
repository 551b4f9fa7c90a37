"""Whether a name is read whole, for the tests of the structure tree and of the window at first sight: a row whose
cell is narrower than its item asks for is elided ("Posterior compartme…") by the item delegate, and one that runs
past the viewport's edge is cut by it."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QApplication


def rows(tree, parent: QModelIndex | None = None) -> Iterator[QModelIndex]:
    """Every first-column index of a :class:`StructureTree`'s model, open or not."""
    parent = parent if parent is not None else QModelIndex()
    for row in range(tree.model.rowCount(parent)):
        index = tree.model.index(row, 0, parent)
        yield index
        yield from rows(tree, index)


def cut_rows(tree) -> list[str]:
    """The names the tree cuts as it is laid out now, with every group opened first (so its scroll bar takes its
    room): each as "name (cell width < width asked)"."""
    view = tree.view
    view.expandAll()
    QApplication.processEvents()
    cut = []
    for index in rows(tree):
        cell, asked = view.visualRect(index), view.sizeHintForIndex(index).width()
        if cell.width() < asked or cell.right() >= view.viewport().width():
            cut.append(f"{index.data()} ({cell.width()} < {asked})")
    return cut
