"""Read-only list tables: the look and the keyboard behaviour the pages' tables share."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QListWidget, QTableView


def configure_list_table(table: QTableView, *, text_lines: int = 1, row_padding: int = 14) -> QTableView:
    """A list of records, one a row: whole rows selected one at a time, nothing edited in
    place (a page that allows it sets its own edit triggers after), no grid, no row numbers,
    rows of ``text_lines`` lines of text plus ``row_padding`` pixels, column titles on the
    left that do not light up with the selection. Returns ``table``."""
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setSelectionMode(QAbstractItemView.SingleSelection)
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.setTabKeyNavigation(False)   # Tab leaves the table (keyboard users); arrows move in it
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    rows = table.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(QHeaderView.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().height() * text_lines + row_padding)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignLeft | Qt.AlignVCenter)
    return table


def rows_height(table: QTableView, rows: int) -> int:
    """The height of the column titles and ``rows`` rows, frame not included: to size a
    table to what it shows."""
    return table.horizontalHeader().sizeHint().height() + rows * table.verticalHeader().defaultSectionSize()


def fit_columns(table: QTableView, stretch: int) -> QTableView:
    """Columns as wide as what they show and ``stretch`` taking the rest (elided when
    short): the table fits the page's width instead of hiding columns past its edge."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.Stretch)
    return table


def short_list(name: str, accessible: str, rows: int) -> QListWidget:
    """A list of a few text lines in a dialog (polls, grants, sub-DAO grants, rewards, the
    constitution's versions): ``name`` its object name, ``accessible`` what a screen reader
    calls it, at most ``rows`` lines high (it scrolls beyond)."""
    widget = QListWidget()
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    widget.setMaximumHeight(widget.fontMetrics().lineSpacing() * rows + 12)
    return widget
