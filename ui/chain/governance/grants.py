"""The grants dialog of the Governance page: the grants budget, every milestone grant with
what it has released and what is pending (yours marked), and, for a grant's approver, the
button that releases its next tranche (a write the page confirms and sends).

A new milestone grant is a proposal: New proposal… → Another action → “Grant paid by
milestones”. Titles come from the chain: shown as plain text only."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidgetItem, QPushButton, QWidget

from vault.chain.dao.grants import Grants
from vault.chain.units import format_units

from ...errors import describe
from ...widgets import button_row
from ...widgets.labels import text_label
from ...widgets.layout import dialog_layout, primary
from ...widgets.tables import short_list
from .dialogs import GrowingDialog, hint


def grant_words(g: dict) -> str:
    whose = " — yours" if g["yours"] else (" — you approve" if g["you_approve"] else "")
    return (f"#{g['grant_id']} {g['title']}: {format_units(int(g['released_wei']), 'BTK')} released, "
            f"{format_units(int(g['pending_wei']), 'BTK')} pending ({g['state']}){whose}")


def milestone_words(g: dict) -> str:
    lines = [f"To {g['grantee']}; milestones approved by {g['approver']}."]
    for m in g["milestones"]:
        when = f" at block {m['released_block']:,}" if m["released_block"] else ""
        lines.append(f"Milestone {m['milestone']}: {format_units(int(m['amount_wei']), 'BTK')} — {m['status']}{when}")
    return "\n".join(lines)


class GrantsDialog(GrowingDialog):
    approve_requested = Signal(int, str)   # grant id, what it pays (words)
    loaded = Signal()

    def __init__(self, session, account: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.account = session, account
        self.grants: list[dict] = []
        self.reads = 0
        self.setWindowTitle("Grants")
        self.setMinimumWidth(640)
        layout = dialog_layout(self, "Grants by milestone",
                               "Grants paid in tranches: each milestone is paid when the grant's approver "
                               "approves it. A new one is a proposal (New proposal… → Another action).")
        self.budget = text_label(name="grantsBudget")
        layout.addWidget(self.budget)
        self.list = short_list("grantList", "Grants", 6)
        layout.addWidget(self.list)
        self.empty = hint("No grants yet.")
        layout.addWidget(self.empty)
        self.details = text_label(name="grantDetails")
        layout.addWidget(self.details)
        self.add_status(layout)
        self.approve_button = primary(QPushButton("Approve the next milestone…"))
        layout.addLayout(button_row(self.close_button, self.approve_button))
        self.approve_button.clicked.connect(self.approve)
        self.list.currentRowChanged.connect(self._on_grant)
        self.load()

    def load(self) -> None:
        account = self.account
        self.busy.start("Reading the grants…")
        job = self.session.run(lambda chain: (lambda g: (g.budget(), g.list(account)))(Grants(chain)))
        job.finished.connect(self._on_loaded)
        job.failed.connect(self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.busy.stop()
        self.error.error(describe(exc))

    def _on_loaded(self, result) -> None:
        self.busy.stop()
        budget, self.grants = result
        self.budget.setText(f"Budget not yet committed: {format_units(int(budget['available_wei']), 'BTK')}; "
                            f"committed to grants: {format_units(int(budget['committed_wei']), 'BTK')}.")
        keep = self.list.currentRow()
        self.list.clear()
        for g in self.grants:
            item = QListWidgetItem(grant_words(g))
            item.setData(Qt.UserRole, g["grant_id"])
            self.list.addItem(item)
        self.empty.setVisible(not self.grants)
        self.list.setCurrentRow(keep if 0 <= keep < len(self.grants) else 0)
        self._on_grant(self.list.currentRow())
        self.reads += 1
        self.loaded.emit()

    @property
    def selected(self) -> dict | None:
        row = self.list.currentRow()
        return self.grants[row] if 0 <= row < len(self.grants) else None

    def _on_grant(self, _row: int) -> None:
        g = self.selected
        self.details.setText(milestone_words(g) if g else "")
        self.approve_button.setEnabled(bool(g and g["you_approve"]))
        if g and g["state"] == "active" and not g["you_approve"]:
            self.approve_button.setToolTip(f"Only {g['approver']} approves this grant's milestones.")

    def approve(self) -> None:
        g = self.selected
        m = g["milestones"][g["next_milestone"] - 1]
        self.approve_requested.emit(g["grant_id"], f"Milestone {m['milestone']} of “{g['title']}” pays "
                                                   f"{format_units(int(m['amount_wei']), 'BTK')} to {g['grantee']}.")


__all__ = ["GrantsDialog"]
