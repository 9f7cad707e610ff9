"""Table models over the identity service's DidRecord and Account lists."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase

from vault.errors import VaultError

from ..widgets.table_model import ListTableModel

_Index = QModelIndex | QPersistentModelIndex


def _mono() -> QFont:
    return QFontDatabase.systemFont(QFontDatabase.FixedFont)


class DidTableModel(ListTableModel):
    DEFAULT, NAME, METHOD, DID = range(4)
    HEADERS = ("", "Name", "Method", "DID")
    DidRole = Qt.UserRole + 1

    rename_failed = Signal(str)

    def __init__(self, rename: Callable[[str, str], object], parent=None):
        """``rename(did, name)`` is the core call behind editing the Name column."""
        super().__init__(parent)
        self._rename = rename

    @property
    def records(self) -> list:
        return self.rows

    set_records = ListTableModel.set_rows

    def row_of(self, did: str) -> int:
        return next((i for i, r in enumerate(self.records) if r.did == did), -1)

    def headerData(self, section: int, orientation, role: int = Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.ToolTipRole and section == self.DEFAULT:
            return "★ marks the default DID"
        return super().headerData(section, orientation, role)

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


class AccountTableModel(ListTableModel):
    NAME, ADDRESS, PATH = range(3)
    HEADERS = ("Name", "Address", "Derivation path")

    @property
    def accounts(self) -> list:
        return self.rows

    set_accounts = ListTableModel.set_rows

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
