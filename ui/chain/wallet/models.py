"""The Wallet page's words and history: statuses and tiers in words, an entry's amount,
the history's model and the filters over it (wallet.entry_matches, the core's)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont, QFontDatabase

from vault.chain import wallet
from vault.chain.units import format_units
from vault.safe_text import safe_text

from ...format import local_time
from ...widgets.labels import plain_tip
from ...widgets.table_model import ListTableModel

_Index = QModelIndex | QPersistentModelIndex

# What a history row's status means, in words (transactions.STATUSES).
STATUS_TEXT = {
    "pending": "⏳ Pending",
    "success": "✓ Succeeded",
    "reverted": "✗ Failed (reverted)",
    "rejected": "✗ Refused by the node",
    "dropped": "✗ Dropped",
    "replaced": "✗ Replaced",
}
STATUS_FILTERS = (("All statuses", None), ("Pending", "pending"), ("Succeeded", "success"),
                  ("Failed", "failed"))


def mono() -> QFont:
    return QFontDatabase.systemFont(QFontDatabase.FixedFont)


def entry_amount(entry: dict) -> str:
    if entry.get("amount") is None:
        return ""
    return format_units(int(entry["amount"]), entry.get("asset") or "BTK")


def tier_explanation(tier: str, next_tier: str | None, to_next: int | None) -> str:
    """One line on what the tier counts, and what is missing to the next one."""
    line = "Counts the BTK you hold and stake."
    if next_tier is not None and to_next is not None:
        return f"{line} {format_units(to_next, 'BTK')} more to reach {wallet.TIER_NAMES[next_tier]}."
    return f"{line} You are in the top tier."


def tier_thresholds() -> str:
    """The tiers and where each starts, from the core's table."""
    steps = [f"{wallet.TIER_NAMES[name]} from {minimum:,} BTK" for name, minimum in wallet.TIERS[1:]]
    return (f"{wallet.TIER_NAMES[wallet.TIERS[0][0]]} below {wallet.TIERS[1][1]:,} BTK, " + ", ".join(steps)
            + ", counting the BTK you hold plus the BTK you have staked. Premium features check it.")


class HistoryModel(ListTableModel):
    WHEN, WHAT, AMOUNT, COUNTERPARTY, STATUS = range(5)
    HEADERS = ("When", "What", "Amount", "To / about", "Status")
    EntryRole = Qt.UserRole + 1

    def data(self, index: _Index, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        entry, column = self.rows[index.row()], index.column()
        if role == self.EntryRole:
            return entry
        if role == Qt.DisplayRole:
            if column == self.WHEN:
                return local_time(entry["created_at"])
            if column == self.WHAT:
                return safe_text(entry["summary"])
            if column == self.AMOUNT:
                return entry_amount(entry)
            if column == self.COUNTERPARTY:
                return safe_text(entry.get("counterparty") or "")
            if column == self.STATUS:
                return STATUS_TEXT.get(entry["status"], entry["status"])
        if role == Qt.ToolTipRole:
            if column == self.STATUS and entry.get("error"):
                return plain_tip(entry["error"])      # an RPC node's words, among others
            if column in (self.WHAT, self.COUNTERPARTY):
                return plain_tip(self.data(index, Qt.DisplayRole))
        if role == Qt.FontRole:
            if column == self.COUNTERPARTY:
                return mono()
            if column == self.STATUS and entry["status"] == "pending":
                font = QFont()
                font.setBold(True)
                return font
        if role == Qt.TextAlignmentRole and column == self.AMOUNT:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None


class HistoryFilter(QSortFilterProxyModel):
    """Rows that pass wallet.entry_matches for the chosen status, group and words."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.status: str | None = None
        self.group: str | None = None
        self.text = ""

    def set_filters(self, *, status: str | None, group: str | None, text: str) -> None:
        self.beginFilterChange()
        self.status, self.group, self.text = status, group, text
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: _Index) -> bool:
        entry = self.sourceModel().rows[row]
        return wallet.entry_matches(entry, status=self.status, group=self.group, text=self.text)
