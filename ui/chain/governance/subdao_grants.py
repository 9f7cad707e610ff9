"""Milestone grants out of a sub-DAO's budget, in the DAOs dialog (vault/chain/dao/
subdao_grants.py): the sub-DAO's milestone grants with what each released and what is
pending (the grants dialog's words); its council proposes one and funds it out of the
budget, or cancels it (the unreleased rest back to the sub-DAO reserve); the grant's
approver releases the next milestone. Writes are signals the dialog's page confirms and
sends. Titles come from the chain: plain text only.

It is the DAOs dialog's "Milestone grants" tab: the dialog shows the tab only for a sub-DAO
on a network with the contract (``available``)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFormLayout, QFrame, QLineEdit, QListWidgetItem, QPushButton, QScrollArea,
                               QVBoxLayout, QWidget)

from vault.chain.dao.subdao_grants import cancel_words, check_grant
from vault.chain.units import format_units, parse_address, parse_amount
from vault.errors import VaultError

from ...errors import describe
from ...widgets import button_row
from ...widgets.labels import text_label
from ...widgets.tables import short_list
from .dialogs import hint
from .grants import grant_words, milestone_words


def _line(name: str, placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    return edit


class MilestoneGrantsPanel(QWidget):
    propose_requested = Signal(int, str, str, object, str)   # sub-DAO number, grantee, approver, [wei], title
    fund_requested = Signal(int, str)                         # grant id, what it does (words)
    release_requested = Signal(int, str)                      # grant id, what it pays (words)
    cancel_requested = Signal(int, str)                       # grant id, what goes back (words)

    def __init__(self, error, chain_id, parent: QWidget | None = None):
        super().__init__(parent)
        self.error, self.chain_id = error, chain_id   # the dialog's status line
        self.dao: dict | None = None
        self.grants: list[dict] = []
        self.available = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(text_label("Paid in tranches out of this sub-DAO's budget: the council funds a grant, "
                                    "its approver releases each milestone.", name="hintLabel"))
        self.list = short_list("subDaoMilestoneGrants", "Milestone grants", 3)
        layout.addWidget(self.list)
        self.empty = hint("No milestone grants from this sub-DAO yet.")
        layout.addWidget(self.empty)
        self.details = text_label(name="grantDetails")
        # Up to 12 milestones, a line each: they scroll rather than make the dialog taller
        # than a laptop screen.
        scroll = QScrollArea()
        scroll.setObjectName("grantDetailsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setWidget(self.details)
        # The tab's background, not the theme's grey scroll area (light and dark alike).
        scroll.setStyleSheet("QScrollArea, QScrollArea > QWidget > QLabel { background: transparent; }")
        scroll.setMaximumHeight(self.details.fontMetrics().lineSpacing() * 5 + 4)
        layout.addWidget(scroll)
        form = QFormLayout()
        self.grantee = _line("field_grantee", "0x… or did:pkh:…")
        self.approver = _line("field_approver", "who approves each milestone: 0x…")
        self.amounts = _line("field_milestones", "BTK each, in order, e.g. 100, 250")
        self.title = _line("field_grant_title", "what for, shown to everyone")
        form.addRow("Grantee", self.grantee)
        form.addRow("Approver", self.approver)
        form.addRow("Milestones", self.amounts)
        form.addRow("Title", self.title)
        self.form = QWidget()
        self.form.setLayout(form)
        layout.addWidget(self.form)
        self.release_button = QPushButton("Approve the next milestone…")
        self.fund_button = QPushButton("Fund the selected grant…")
        self.cancel_button = QPushButton("Cancel grant…")
        self.cancel_button.setToolTip("Cancel the selected grant: what it has not released goes back to the "
                                      "sub-DAO reserve")
        self.propose_button = QPushButton("Propose a milestone grant…")
        layout.addLayout(button_row(self.cancel_button, self.release_button, self.fund_button, self.propose_button))
        self.propose_button.clicked.connect(self.propose)
        self.cancel_button.clicked.connect(self.cancel)
        self.fund_button.clicked.connect(self.fund)
        self.release_button.clicked.connect(self.release)
        self.list.currentRowChanged.connect(lambda _r: self._on_grant())

    def show_for(self, dao: dict | None, grants: list[dict] | None) -> None:
        """``dao`` None (the main DAO) or ``grants`` None (a network without the contract): not
        ``available`` (the dialog hides its tab)."""
        self.available = dao is not None and grants is not None
        self.dao = dao
        self.grants = [g for g in grants or [] if dao and g["dao"] == dao["dao"]]
        keep = self.list.currentRow()
        self.list.clear()
        for g in self.grants:
            item = QListWidgetItem(grant_words(g))
            item.setData(Qt.UserRole, g["grant_id"])
            item.setToolTip(item.text())
            self.list.addItem(item)
        self.empty.setVisible(not self.grants)
        council = bool(dao and dao["you_are_council"])
        self.form.setVisible(council)
        self.propose_button.setVisible(council)
        self.fund_button.setVisible(council)
        self.cancel_button.setVisible(council)   # the contract lets the council cancel, nobody else
        self.list.setCurrentRow(keep if 0 <= keep < len(self.grants) else 0)
        self._on_grant()

    @property
    def selected(self) -> dict | None:
        row = self.list.currentRow()
        return self.grants[row] if 0 <= row < len(self.grants) else None

    def _on_grant(self) -> None:
        g = self.selected
        # The state first: the lines below it scroll.
        self.details.setText((f"State: {g['state']}{_returned(g)}\n{milestone_words(g)}" if g else ""))
        self.fund_button.setEnabled(bool(g and g["state"] == "proposed"))
        # Paid for already (a council that needs more approvals pays first): activating is left.
        self.fund_button.setText("Activate the selected grant…" if g and g["funded"] else
                                 "Fund the selected grant…")
        self.cancel_button.setEnabled(bool(g and g["state"] in ("proposed", "active")))
        self.release_button.setEnabled(bool(g and g["you_approve"]))

    def propose(self) -> None:
        d = self.dao
        self.error.clear()
        try:
            grantee = parse_address(self.grantee.text().strip(), self.chain_id)
            approver = parse_address(self.approver.text().strip(), self.chain_id)
            amounts = [parse_amount(x.strip()) for x in self.amounts.text().split(",") if x.strip()]
            title = self.title.text().strip()
            check_grant(d, amounts, title)   # the core's checks, before a write starts
        except VaultError as exc:
            self.error.error(describe(exc))
            return
        self.propose_requested.emit(d["dao"], grantee, approver, amounts, title)

    def fund(self) -> None:
        g = self.selected
        if g["funded"]:
            self.fund_requested.emit(g["grant_id"], f"“{g['title']}” is paid for: its "
                                                    f"{format_units(int(g['total_wei']), 'BTK')} wait in the "
                                                    "milestone-grants contract; activating it lets its approver "
                                                    "release each milestone.")
            return
        self.fund_requested.emit(g["grant_id"], f"{format_units(int(g['total_wei']), 'BTK')} of {self.dao['name']}'s "
                                                f"budget to the milestone-grants contract for “{g['title']}”, "
                                                "then held there until its approver releases each milestone.")

    def release(self) -> None:
        g = self.selected
        m = g["milestones"][g["next_milestone"] - 1]
        self.release_requested.emit(g["grant_id"], f"Milestone {m['milestone']} of “{g['title']}” pays "
                                                   f"{format_units(int(m['amount_wei']), 'BTK')} to {g['grantee']}.")

    def cancel(self) -> None:
        g = self.selected
        self.cancel_requested.emit(g["grant_id"], f"Cancel “{g['title']}” (#{g['grant_id']}): "
                                                  f"{cancel_words(g)}")


def _returned(g: dict) -> str:
    if g["state"] != "cancelled":
        return ""
    return (f" — {format_units(int(g['returned_wei']), 'BTK')} returned to the sub-DAO reserve, "
            f"{format_units(int(g['released_wei']), 'BTK')} released to the grantee.")


__all__ = ["MilestoneGrantsPanel"]
