"""The DAOs dialog of the Governance page: a switcher between the main DAO and its
sub-DAOs (Ecosystem Growth, SkillFi Economy, Education Innovation, Builders).

The main DAO shows the sub-DAO reserve and how it acts on the sub-DAOs (proposals from
the fund / claw back / council templates: New proposal… → Another action). A sub-DAO
shows its council, what makes a grant paid, its budget left and spent, and its grants;
a council member grants out of the budget and approves the others' grants (writes the
page confirms and sends). Names and memos come from the chain: plain text only."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QFormLayout, QLineEdit, QListWidgetItem, QPushButton, QTabWidget,
                               QVBoxLayout, QWidget)
from shiboken6 import isValid

from vault.chain.dao.subdao_grants import SubDaoGrants
from vault.chain.dao.subdaos import SubDaos
from vault.chain.units import format_units, parse_address, parse_amount
from vault.errors import ChainError, VaultError

from ...errors import describe
from ...format import short_address
from ...widgets import button_row
from ...widgets.labels import text_label
from ...widgets.layout import dialog_layout, open_dialog, primary
from ...widgets.tables import short_list
from .dialogs import GrowingDialog, hint
from .subdao_grants import MilestoneGrantsPanel

MAIN = 0   # the switcher's first entry; sub-DAO n is entry n


def spend_words(g: dict, needed: int, short: bool = False) -> str:
    # The state first: the list is narrower than an address and a memo (``short``: the
    # address's two ends, the whole line in the row's tooltip).
    to = short_address(g["to"]) if short else g["to"]
    return (f"#{g['spend_id']} {g['state']} ({g['approvals']} of {needed} approvals"
            + (", yours" if g["you_approved"] else "")
            + f"): {format_units(int(g['amount_wei']), 'BTK')} for “{g['memo']}” to {to}")


def _milestone_grants(chain, account: str) -> list[dict] | None:
    """None on a network deployed before the milestone-grants contract."""
    try:
        return SubDaoGrants(chain).list(account)
    except ChainError as exc:
        if exc.reason == "not-deployed":
            return None
        raise


class SubDaosDialog(GrowingDialog):
    grant_requested = Signal(int, str, object, str)   # sub-DAO number, recipient, amount (wei: past 32 bits), memo
    approve_requested = Signal(int, str)           # grant id, what it pays (words)
    loaded = Signal()

    def __init__(self, session, account: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.account = session, account
        self.reserve: dict | None = None
        self.daos: list[dict] = []
        self.milestone_grants: list[dict] | None = None
        self.current: dict | None = None
        self.reads = 0
        self.setWindowTitle("DAOs")
        self.setMinimumWidth(680)
        layout = dialog_layout(self, "The main DAO and its sub-DAOs",
                               "Each sub-DAO's council grants out of the budget the main DAO gives it; the main "
                               "DAO can take unspent budget back.")
        self.switcher = QComboBox()
        self.switcher.setObjectName("daoSwitcher")
        self.switcher.setAccessibleName("DAO")
        layout.addWidget(self.switcher)
        self.summary = text_label(name="daoSummary", selectable=True)
        layout.addWidget(self.summary)
        self.rule = text_label(name="daoRule")
        layout.addWidget(self.rule)
        # The two kinds of grant in tabs: one under the other, the dialog was too tall for a
        # 768-px screen.
        self.tabs = QTabWidget()
        self.tabs.setObjectName("subDaoTabs")
        spends = QWidget()
        tab = QVBoxLayout(spends)
        tab.setContentsMargins(0, 8, 0, 0)
        self.list = short_list("subDaoGrants", "Sub-DAO grants", 5)
        tab.addWidget(self.list)
        self.empty = hint("No grants from this sub-DAO yet.")
        tab.addWidget(self.empty)
        form = QFormLayout()
        self.to = QLineEdit()
        self.to.setObjectName("field_to")
        self.to.setPlaceholderText("0x… or did:pkh:…")
        self.amount = QLineEdit()
        self.amount.setObjectName("field_amount")
        self.amount.setPlaceholderText("BTK, e.g. 250")
        self.memo = QLineEdit()
        self.memo.setObjectName("field_memo")
        self.memo.setPlaceholderText("what for, shown to everyone")
        form.addRow("Grant to", self.to)
        form.addRow("Amount", self.amount)
        form.addRow("What for", self.memo)
        self.form = QWidget()
        self.form.setLayout(form)
        tab.addWidget(self.form)
        self.approve_button = QPushButton("Approve the selected grant…")
        self.grant_button = primary(QPushButton("Grant from this sub-DAO…"))
        tab.addStretch(1)
        tab.addLayout(button_row(self.approve_button, self.grant_button))
        self.tabs.addTab(spends, "Grants")
        layout.addWidget(self.tabs, 1)
        self.add_status(layout)
        self.milestones = MilestoneGrantsPanel(self.error, getattr(session.chain, "chain_id", None))
        self.milestones.layout().setContentsMargins(0, 8, 0, 0)
        self.tabs.addTab(self.milestones, "Milestone grants")
        layout.addLayout(button_row(self.close_button))
        self.grant_button.clicked.connect(self.grant)
        self.approve_button.clicked.connect(self.approve)
        self.switcher.currentIndexChanged.connect(lambda _i: self._show())
        self.list.currentRowChanged.connect(lambda _r: self._on_grant())
        self.load()

    def load(self) -> None:
        account = self.account
        self.busy.start("Reading the DAOs…")

        def read(chain):
            s = SubDaos(chain)
            return s.reserve(), [s.get(d["dao"], account) for d in s.list(account)], _milestone_grants(chain, account)

        job = self.session.run(read)
        job.finished.connect(self._on_loaded)
        job.failed.connect(self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.busy.stop()
        self.error.error(describe(exc))

    def _on_loaded(self, result) -> None:
        self.busy.stop()
        self.reserve, self.daos, self.milestone_grants = result
        keep = max(0, self.switcher.currentIndex())
        self.switcher.blockSignals(True)
        self.switcher.clear()
        self.switcher.addItem("Main DAO — the treasury, by proposals")
        for d in self.daos:
            self.switcher.addItem(f"{d['name']}{' — your council' if d['you_are_council'] else ''}")
        self.switcher.setCurrentIndex(keep if keep <= len(self.daos) else MAIN)
        self.switcher.blockSignals(False)
        self._show()
        self.reads += 1
        self.loaded.emit()

    def _show(self) -> None:
        index = self.switcher.currentIndex()
        self.current = self.daos[index - 1] if 0 < index <= len(self.daos) else None
        d = self.current
        self.list.clear()
        if d is None:
            reserve = format_units(int(self.reserve["reserve_wei"]), "BTK") if self.reserve else "?"
            self.summary.setText(f"Sub-DAO reserve not yet allocated: {reserve}. Budgets now: " + "; ".join(
                f"{x['name']} {format_units(int(x['budget_wei']), 'BTK')}" for x in self.daos) + ".")
            self.rule.setText("The main DAO funds a sub-DAO, claws its budget back or appoints its council by a "
                              "proposal: New proposal… → Another action → “Fund a sub-DAO budget”, “Claw back a "
                              "sub-DAO budget” or “Appoint a sub-DAO council”.")
        else:
            self.summary.setText(f"{d['name']}: {format_units(int(d['budget_wei']), 'BTK')} budget left, "
                                 f"{format_units(int(d['spent_wei']), 'BTK')} granted; allocated by the main DAO "
                                 f"{format_units(int(d['allocated_wei']), 'BTK')}, clawed back "
                                 f"{format_units(int(d['clawed_back_wei']), 'BTK')}.\nCouncil: "
                                 f"{', '.join(d['council'])}.")
            self.rule.setText(d["rule"] + ("" if d["you_are_council"] else
                                           " You are not on this council: you can read its grants."))
            for g in d["grants"]:
                item = QListWidgetItem(spend_words(g, d["approvals_needed"], short=True))
                item.setData(Qt.UserRole, g["spend_id"])
                item.setToolTip(spend_words(g, d["approvals_needed"]))
                self.list.addItem(item)
            self.list.setCurrentRow(0)
        council = bool(d and d["you_are_council"])
        self.tabs.setVisible(d is not None)
        self.empty.setVisible(d is not None and not d["grants"])
        self.form.setVisible(council)
        self.grant_button.setVisible(council)
        self.approve_button.setVisible(council)
        self.milestones.show_for(d, self.milestone_grants)
        self.tabs.setTabVisible(1, self.milestones.available)
        self.tabs.setTabText(0, f"Grants ({len(d['grants'])})" if d else "Grants")
        self.tabs.setTabText(1, f"Milestone grants ({len(self.milestones.grants)})")
        self._on_grant()
        if self.isVisible():
            self.fit(shrink=self.reads == 0)   # another DAO's lines: grow rather than clip them

    def fit(self, *, shrink: bool = False) -> None:
        """The height the wrapped lines take at the width the dialog will have (their hint,
        taken at a narrower width, overshot a 768-px screen); ``shrink``: the first read's
        height, not the empty forms' shown while reading."""
        layout = self.layout()
        layout.activate()
        width = max(self.width(), self.sizeHint().width(), self.minimumSizeHint().width())
        height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else self.sizeHint().height()
        self.resize(width, height if shrink else max(self.height(), height))

    @property
    def selected(self) -> dict | None:
        row = self.list.currentRow()
        grants = self.current["grants"] if self.current else []
        return grants[row] if 0 <= row < len(grants) else None

    def _on_grant(self) -> None:
        g = self.selected
        self.approve_button.setEnabled(bool(g and g["state"] == "awaiting approval" and not g["you_approved"]))

    def grant(self) -> None:
        d = self.current
        self.error.clear()
        try:
            to = parse_address(self.to.text().strip(), getattr(self.session.chain, "chain_id", None))
            amount = parse_amount(self.amount.text().strip())
        except VaultError as exc:
            self.error.error(describe(exc))
            return
        memo = self.memo.text().strip()
        if not memo:
            self.error.error("Say what the grant is for: everyone reads it.")
            return
        if amount > int(d["budget_wei"]):
            self.error.error(f"{d['name']} has {format_units(int(d['budget_wei']), 'BTK')} of budget left; this "
                             f"grant needs {format_units(amount, 'BTK')}. The main DAO allocates more by a "
                             "proposal.")
            return
        self.grant_requested.emit(d["dao"], to, amount, memo)

    def approve(self) -> None:
        g = self.selected
        self.approve_requested.emit(g["spend_id"], f"Grant #{g['spend_id']} pays "
                                                   f"{format_units(int(g['amount_wei']), 'BTK')} to {g['to']} "
                                                   f"(“{g['memo']}”) once enough council members approve.")


def open_subdaos(page) -> None:
    """Open the dialog from the Governance page; its writes go through ``page.write``."""
    dialog = SubDaosDialog(page.session, page.account, page)
    sender = page.account

    def reload(flow):
        if flow is not None:
            flow.succeeded.connect(lambda _r: isValid(dialog) and dialog.load())

    def grant(number: int, to: str, amount: int, memo: str) -> None:
        reload(page.write("Grant from a sub-DAO",
                          lambda service: SubDaos(service.chain).grant_request(service, sender, number, to, amount,
                                                                              memo),
                          intro=[f"{format_units(amount, 'BTK')} of the sub-DAO's budget to {to}, for “{memo}”."],
                          success="Granted (paid once enough council members approve)."))

    def approve(spend_id: int, words: str) -> None:
        reload(page.write("Approve a sub-DAO grant",
                          lambda service: SubDaos(service.chain).approve_request(service, sender, spend_id),
                          intro=[words], success="Approved."))

    def propose_milestones(number: int, grantee: str, approver: str, amounts: list, title: str) -> None:
        reload(page.write("Propose a sub-DAO milestone grant",
                          lambda service: SubDaoGrants(service.chain).propose_request(
                              service, sender, number, grantee, approver, amounts, title),
                          intro=[f"“{title}”: {format_units(sum(amounts), 'BTK')} to {grantee} in {len(amounts)} "
                                 f"milestones, each released by {approver}. The council funds it next."],
                          success="Proposed: fund it from the budget to start it."))

    def fund_milestones(grant_id: int, words: str) -> None:
        reload(page.write("Fund a sub-DAO milestone grant",
                          lambda service: SubDaoGrants(service.chain).fund_requests(service, sender, grant_id),
                          intro=[words], success="Funded (active once the council's approvals paid it)."))

    def release_milestone(grant_id: int, words: str) -> None:
        reload(page.write("Approve a milestone",
                          lambda service: SubDaoGrants(service.chain).approve_request(service, sender, grant_id),
                          intro=[words], success="Milestone released."))

    def cancel_milestones(grant_id: int, words: str) -> None:
        reload(page.write("Cancel a sub-DAO milestone grant",
                          lambda service: SubDaoGrants(service.chain).cancel_request(service, sender, grant_id),
                          intro=[words], success="Cancelled: the unreleased rest is back in the sub-DAO reserve."))

    dialog.grant_requested.connect(grant)
    dialog.milestones.propose_requested.connect(propose_milestones)
    dialog.milestones.fund_requested.connect(fund_milestones)
    dialog.milestones.release_requested.connect(release_milestone)
    dialog.milestones.cancel_requested.connect(cancel_milestones)
    dialog.approve_requested.connect(approve)
    open_dialog(page, dialog, delete_on_close=True)


__all__ = ["SubDaosDialog", "open_subdaos"]
