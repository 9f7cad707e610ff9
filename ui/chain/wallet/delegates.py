"""The Wallet page's history table: addresses elided in the middle."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QStyledItemDelegate, QTableView

from ...widgets.tables import configure_list_table, rows_height
from .models import HistoryModel


class ElideMiddle(QStyledItemDelegate):
    """Addresses keep both ends visible (0x4B20…22C02db): people compare those."""

    def initStyleOption(self, option, index) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.ElideMiddle


def history_table(model) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setObjectName("walletHistory")
    table.setAccessibleName("Transaction history")
    configure_list_table(table)
    table.setTextElideMode(Qt.ElideRight)
    table.setItemDelegateForColumn(HistoryModel.COUNTERPARTY, ElideMiddle(table))
    header = table.horizontalHeader()
    header.setSectionResizeMode(HistoryModel.WHEN, QHeaderView.ResizeToContents)
    header.setSectionResizeMode(HistoryModel.WHAT, QHeaderView.Stretch)
    header.setSectionResizeMode(HistoryModel.AMOUNT, QHeaderView.ResizeToContents)
    header.setSectionResizeMode(HistoryModel.COUNTERPARTY, QHeaderView.Interactive)
    header.resizeSection(HistoryModel.COUNTERPARTY, 150)
    header.setSectionResizeMode(HistoryModel.STATUS, QHeaderView.ResizeToContents)
    table.setMinimumHeight(rows_height(table, 6) + 4)
    return table
