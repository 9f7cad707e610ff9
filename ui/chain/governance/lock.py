"""The Governance page's vote-escrow: where the power comes from (delegated BTK, the lock
and its decay) and a small dialog to lock BTK for a number of blocks (a plan the page
confirms and sends: the approval, then the lock)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLineEdit, QPushButton, QSpinBox, QWidget

from vault.chain.units import format_units, parse_amount
from vault.errors import ChainError

from ...errors import describe
from ...widgets import InlineMessage, button_row
from ...widgets.layout import dialog_layout, primary
from .dialogs import GrowingDialog, hint


def _cents(wei) -> int:
    """To the hundredth of a vote: a lock's power has 18 decimals that change every block."""
    return int(wei) // 10**16 * 10**16


def breakdown_text(b: dict | None) -> str:
    if not b:
        return ""
    if not int(b["locked_wei"]):
        return ("Locked: nothing. BTK locked in the vote-escrow count for more the longer they are "
                "locked (“Lock BTK…”).")
    return (f"Locked: {format_units(int(b['locked_wei']), 'BTK')} until block {b['unlock_block']:,}, worth "
            f"{format_units(_cents(b['lock_power_wei']), 'votes')} now; a little less every block, "
            "nothing at the unlock.")


def sources_text(s: dict | None) -> str:
    """"Where your power comes from" on the weighted governor, and whether a vote of the
    account counts in quadratic proposals (and why not)."""
    if not s:
        return ""
    if not s["weighted"]:
        return f"\n{s['quadratic_reason']}"
    token, locked, bonus, total = (_cents(s[k]) for k in
                                   ("token_votes_wei", "lock_power_wei", "credential_bonus_wei", "total_wei"))
    return (f"\nWhere your power comes from: {format_units(token, 'BTK')} delegated + "
            f"{format_units(locked, 'votes')} from locked BTK + {format_units(bonus, 'votes')} credential bonus "
            f"= {format_units(total, 'votes')} on proposals.\nQuadratic proposals: {s['quadratic_reason']}")


class LockDialog(GrowingDialog):
    submitted = Signal(object, int)   # BTK wei (0: only extend; beyond a C int), blocks

    def __init__(self, breakdown: dict, parent: QWidget | None = None):
        super().__init__(parent)
        self.longest = int(breakdown["max_lock_blocks"])
        self.setWindowTitle("Lock BTK")
        layout = dialog_layout(self, "Lock BTK for voting power",
                               "Locked BTK count in polls: in full for the longest lock "
                               f"({self.longest:,} blocks), less for a shorter one, and less every block until "
                               "the unlock. They cannot be taken back before.")
        form = QFormLayout()
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("BTK to lock (0 to only extend)")
        self.blocks = QSpinBox()
        self.blocks.setRange(1, self.longest)
        self.blocks.setValue(self.longest)
        self.blocks.setSuffix(" blocks")
        form.addRow("Amount", self.amount)
        form.addRow("For", self.blocks)
        layout.addLayout(form)
        self.estimate = hint("")
        layout.addWidget(self.estimate)
        self.error = InlineMessage()
        layout.addWidget(self.error)
        self.cancel_button = QPushButton("Cancel")
        self.lock_button = primary(QPushButton("Review and send…"))
        layout.addLayout(button_row(self.cancel_button, self.lock_button))
        self.cancel_button.clicked.connect(self.reject)
        self.lock_button.clicked.connect(self.check)
        self.amount.textChanged.connect(self._estimate)
        self.blocks.valueChanged.connect(self._estimate)

    def _value(self) -> int:
        text = self.amount.text().strip()
        return 0 if text in ("", "0") else parse_amount(text)

    def _estimate(self) -> None:
        try:
            amount = self._value()
        except ChainError:
            self.estimate.setText("")
            return
        power = amount * self.blocks.value() // self.longest
        self.estimate.setText(f"About {format_units(power, 'votes')} in polls at first, falling to 0 at the unlock.")

    def check(self) -> None:
        try:
            amount = self._value()
        except ChainError as exc:
            self.error.error(describe(exc))
            self.amount.setFocus()
            return
        self.accept()
        self.submitted.emit(amount, self.blocks.value())


__all__ = ["LockDialog", "breakdown_text", "sources_text"]
