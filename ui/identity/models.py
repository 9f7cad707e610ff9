"""Table models over the identity service's DidRecord and Account lists."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase

from vault.errors import VaultError

_Index = QModelIndex | QPersistentModelIndex


def _mono() -> QFont:
    return QFontDatabase.systemFont(QFontDatabase.FixedFont)


class DidTableModel(QAbstractTableModel):
    DEFAULT, NAME, METHOD, DID = range(4)
    HEADERS = ("", "Name", "Method", "DID")
    DidRole = Qt.UserRole + 1

    rename_failed = Signal(str)

    def __init__(self, rename: Callable[[str, str], object], parent=None):
        """``rename(did, name)`` is the core call behind editing the Name column."""
        super().__init__(parent)
        self._rename = rename
        self.records: list = []

    def set_records(self, records: list) -> None:
        self.beginResetModel()
        self.records = list(records)
        self.endResetModel()

    def row_of(self, did: str) -> int:
        return next((i for i, r in enumerate(self.records) if r.did == did), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation, role: int = Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return self.HEADERS[section]
        if orientation == Qt.Horizontal and role == Qt.ToolTipRole and section == self.DEFAULT:
            return "★ marks the default DID"
        return None

    def data(self, index: _Index, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        record, column = self.records[index.row()], index.column()
        if role == self.DidRole:
            return record.did
        if role == Qt.DisplayRole:
            if column == self.DEFAULT:
                return "★" if record.is_default else ""
            if column == self.NAME:
                return record.name or "(no name)"
            if column == self.METHOD:
                return f"did:{record.method}"
            if column == self.DID:
                return record.did
        if role == Qt.EditRole and column == self.NAME:
            return record.name
        if role == Qt.ToolTipRole:
            if column == self.DEFAULT and record.is_default:
                return "The default DID: the one used to sign unless you pick another"
            if column == self.DID:
                return record.did
            if column == self.NAME:
                return "Double-click to rename"
        if role == Qt.FontRole:
            if column == self.DID:
                return _mono()
            if record.is_default and column == self.NAME:
                font = QFont()
                font.setBold(True)
                return font
        if role == Qt.TextAlignmentRole and column == self.DEFAULT:
            return int(Qt.AlignCenter)
        if role == Qt.AccessibleTextRole and column == self.DEFAULT:
            return "default" if record.is_default else ""
        return None

    def flags(self, index: _Index):
        base = super().flags(index)
        if index.isValid() and index.column() == self.NAME:
            return base | Qt.ItemIsEditable
        return base

    def setData(self, index: _Index, value, role: int = Qt.EditRole) -> bool:
        if role != Qt.EditRole or index.column() != self.NAME:
            return False
        record = self.records[index.row()]
        name = str(value).strip()
        if name == record.name:
            return False
        try:
            self.records[index.row()] = self._rename(record.did, name)
        except VaultError as exc:
            self.rename_failed.emit(str(exc))
            return False
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), self.DID))
        return True


class AccountTableModel(QAbstractTableModel):
    NAME, ADDRESS, PATH = range(3)
    HEADERS = ("Name", "Address", "Derivation path")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.accounts: list = []

    def set_accounts(self, accounts: list) -> None:
        self.beginResetModel()
        self.accounts = list(accounts)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.accounts)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation, role: int = Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        account, column = self.accounts[index.row()], index.column()
        if role == Qt.DisplayRole:
            return (account.name or "(no name)", account.address, account.key_path)[column]
        if role == Qt.ToolTipRole and column == self.ADDRESS:
            return account.address
        if role == Qt.FontRole and column in (self.ADDRESS, self.PATH):
            return _mono()
        return None
