"""The Staking page's words and data: the unstake cooldown in words, one read of
everything the page shows (the core's typed results, integer wei), and the validators'
model."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QFontDatabase

from vault.chain import staking
from vault.chain.units import format_units
from vault.safe_text import safe_text

from ...format import blocks_text, duration_words, local_moment, short_address
from ...widgets.labels import plain_tip
from ...widgets.table_model import ListTableModel

_Index = QModelIndex | QPersistentModelIndex


def cooldown_end(cooldown: staking.Cooldown, read_at: datetime) -> datetime:
    """When the cooldown is expected to end: the core's date where the chain's pace was
    measured, else the read's time plus its 12-s-a-block estimate."""
    if cooldown.eta:
        return datetime.fromisoformat(cooldown.eta)
    return read_at + timedelta(seconds=cooldown.seconds_estimate)


def cooldown_words(cooldown: staking.Cooldown, *, read_at: datetime, now: datetime, embedded: bool) -> tuple[str, str]:
    """(headline, detail) of an unstake request: the amount, the countdown in blocks and
    time, the local date it ends, and what makes the blocks come."""
    amount = format_units(cooldown.amount)
    at_block = f"block {cooldown.ready_at_block:,}"
    if cooldown.ready:
        return (f"{amount} unstaked: the cooldown is over, withdraw it to your wallet.",
                f"The cooldown ended at {at_block}.")
    left = blocks_text(cooldown.blocks_left)
    end = cooldown_end(cooldown, read_at)
    if cooldown.block_time_measured:
        headline = (f"{amount} unstaking: ready in {left}, about {duration_words((end - now).total_seconds())} "
                    f"({local_moment(end)}).")
        detail = f"Withdraw from {at_block} on; the countdown follows the network's pace."
    else:
        headline = (f"{amount} unstaking: ready in {left}, about {duration_words(cooldown.seconds_estimate)} "
                    f"at 12 s a block ({local_moment(end)}).")
        detail = (f"Withdraw from {at_block} on. The embedded chain makes blocks only when asked: "
                  "use Mine below." if embedded else
                  f"Withdraw from {at_block} on; the time assumes a block every 12 s.")
    return headline, detail


def read_staking(chain, address: str) -> dict:  # chain thread
    """What the page shows, in one read: the account's staking status and the validators."""
    return {"status": staking.status(chain, address), "validators": staking.validator_rows(chain)}


class ValidatorModel(ListTableModel):
    """staking.validator_rows; slashed validators cannot be selected (they take no stake)."""

    NAME, OPERATOR, DELEGATED, UNBONDING, COMMISSION, STATUS = range(6)
    HEADERS = ("Validator", "Operator", "Delegated", "Unstaking", "Commission", "Status")
    BadgeRole = Qt.UserRole + 1      # "slashed" / "yours" / "active" on the Status column
    ValidatorRole = Qt.UserRole + 2

    def __init__(self, parent=None):
        super().__init__(parent)
        self.mine: int | None = None   # the validator the account stakes with

    def set_validators(self, rows: list[staking.Validator], mine: int | None) -> None:
        self.mine = mine
        self.set_rows(rows)

    def row_of(self, validator_id: int | None) -> int:
        return next((i for i, v in enumerate(self.rows) if v.id == validator_id), -1)

    @staticmethod
    def slashed_reason(v: staking.Validator) -> str:
        return (f"{v.name} was slashed: governance took part of the stake delegated to it as a penalty "
                "for running its node badly, and it takes no new stake. Choose another validator.")

    def _badge(self, v: staking.Validator) -> str:
        if v.slashed:
            return "slashed"
        return "yours" if v.id == self.mine else "active"

    def data(self, index: _Index, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        v, column = self.rows[index.row()], index.column()
        if role == self.ValidatorRole:
            return v
        if role == self.BadgeRole:
            return self._badge(v) if column == self.STATUS else None
        if role in (Qt.DisplayRole, Qt.AccessibleTextRole):
            return self._text(v, column)
        if role == Qt.ToolTipRole:
            return self._tooltip(v, column)
        if role == Qt.FontRole:
            if column == self.OPERATOR:
                return QFontDatabase.systemFont(QFontDatabase.FixedFont)
            if column == self.NAME and v.id == self.mine:
                font = QFont()
                font.setBold(True)
                return font
        if role == Qt.TextAlignmentRole and column in (self.DELEGATED, self.UNBONDING, self.COMMISSION):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def _text(self, v: staking.Validator, column: int) -> str:
        if column == self.NAME:
            return safe_text(v.name) or f"Validator {v.id}"   # its operator's words
        if column == self.OPERATOR:
            return short_address(v.operator)
        if column == self.DELEGATED:
            return format_units(v.total_delegated)
        if column == self.UNBONDING:
            return format_units(v.total_unbonding)
        if column == self.COMMISSION:
            return v.commission
        return {"slashed": "Slashed", "yours": "Yours", "active": "Active"}[self._badge(v)]

    def _tooltip(self, v: staking.Validator, column: int) -> str:
        if v.slashed:
            return plain_tip(self.slashed_reason(v))
        if column == self.OPERATOR:
            return f"The validator's operator (its account): {v.operator}"
        if column == self.COMMISSION:
            return plain_tip(f"{v.name} keeps {v.commission} of the rewards of the BTK staked with it")
        if column == self.UNBONDING:
            return "Stake that is being unstaked: it waits out the cooldown and earns nothing"
        if v.id == self.mine:
            return plain_tip(f"You stake with {v.name}")
        return plain_tip(f"Select to stake with {v.name}")

    def flags(self, index: _Index):
        base = super().flags(index)
        if index.isValid() and self.rows[index.row()].slashed:
            return base & ~Qt.ItemIsSelectable
        return base
