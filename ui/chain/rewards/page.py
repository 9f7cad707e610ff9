"""Rewards: learn-to-earn over vault.chain.rewards, as ``vault rewards`` is. What each of
your anchored credentials earns (and why not, when it does not), the bounties governance
granted you, what you claimed, and the open schedules: what you could earn by learning
what. Claims go through the one confirm → progress → result dialog (ChainPage.write);
the core checks them again before anything is signed."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTableView, QWidget

from vault.chain import rewards

from ...widgets import InlineMessage, section_title
from ...widgets.labels import text_label
from ...widgets.layout import primary
from ...widgets.tables import configure_list_table, fit_columns, rows_height
from ..page import ChainPage
from .models import BountyModel, CredentialRewardModel, ScheduleModel, read_rewards

# Credential type names schedules are shown by (a schedule names a type by its hash).
KNOWN_TYPES = ["CourseCompletionCredential", "UniversityDegreeCredential", "OpenBadgeCredential",
               "PeerReviewedCredential"]


def _table(model, rows: int, stretch: int, name: str) -> QTableView:
    table = configure_list_table(QTableView())
    table.setAccessibleName(name)
    table.setModel(model)
    fit_columns(table, stretch)   # the long text column gives way, not the others
    table.setFixedHeight(rows_height(table, rows) + 2 * table.frameWidth())
    return table


class RewardsPage(ChainPage):
    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, "Rewards", "Learn to earn: BTK for the credentials issuers anchor to your "
                                             "account, and bounties for your contributions.", parent)
        self.data: dict | None = None
        self.body.addWidget(section_title("Your credentials"))
        self.credentials_model = CredentialRewardModel(self)
        self.credentials_table = _table(self.credentials_model, 4, 2, "Your credentials and their rewards")
        self.credentials_table.setObjectName("rewardCredentials")
        self.body.addWidget(self.credentials_table)
        self.claim_button = primary(QPushButton("Claim reward"))
        self.claim_button.setObjectName("claimRewardButton")
        self.why = text_label(name="hintLabel")
        row = QHBoxLayout()
        row.addWidget(self.why, 1)
        row.addWidget(self.claim_button)
        self.body.addLayout(row)
        self.action_message = InlineMessage(transient=True)
        self.body.addWidget(self.action_message)

        self.body.addWidget(section_title("Bounties"))
        self.bounty_model = BountyModel(self)
        self.bounty_table = _table(self.bounty_model, 2, 3, "Bounties")
        self.body.addWidget(self.bounty_table)
        self.bounty_button = QPushButton("Claim bounty")
        self.bounty_button.setObjectName("claimBountyButton")
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.bounty_button)
        self.body.addLayout(row)

        self.body.addWidget(section_title("Claimed"))
        self.history = text_label(name="rewardHistory", selectable=True)
        self.body.addWidget(self.history)

        self.body.addWidget(section_title("Open schedules: what you can earn"))
        self.schedule_model = ScheduleModel(self)
        self.schedule_table = _table(self.schedule_model, 3, 1, "Open reward schedules")
        self.body.addWidget(self.schedule_table)
        self.body.addStretch(1)

        self.credentials_table.selectionModel().selectionChanged.connect(lambda *_: self._show_choice())
        self.bounty_table.selectionModel().selectionChanged.connect(lambda *_: self._show_choice())
        self.claim_button.clicked.connect(self.claim)
        self.bounty_button.clicked.connect(self.claim_bounty)
        self._show_choice()

    # ---- reading -----------------------------------------------------------------------

    def refresh(self) -> None:
        account = self.account
        self.read(read_rewards, account, KNOWN_TYPES, done=lambda data: self._on_read(account, data))

    def _on_read(self, account: str, data: dict) -> None:
        if account != self.account:
            return
        self.data = data
        self.credentials_model.set_rows(data["credentials"])
        self.bounty_model.set_rows(data["bounties"])
        self.schedule_model.set_rows([s for s in data["schedules"] if s["open"]])
        self.history.setText("\n".join(f"{'Reward' if h['kind'] == 'reward' else 'Bounty'} "
                                       f"{'for credential #' + str(h['token_id']) if h['token_id'] else '#' + str(h['id'])}"
                                       f": {h['amount']} BTK in block {h['block']:,}" for h in data["history"])
                             or "Nothing claimed yet.")
        claimable = [i for i, c in enumerate(data["credentials"]) if c["status"] == "claimable"]
        if claimable and not self.credentials_table.selectionModel().hasSelection():
            self.credentials_table.selectRow(claimable[0])
        self._show_choice()

    def _selected(self, table, rows: list) -> dict | None:
        chosen = table.selectionModel().selectedRows()
        return rows[chosen[0].row()] if chosen and chosen[0].row() < len(rows) else None

    def selected_credential(self) -> dict | None:
        return self._selected(self.credentials_table, self.credentials_model.rows)

    def selected_bounty(self) -> dict | None:
        return self._selected(self.bounty_table, self.bounty_model.rows)

    def _show_choice(self) -> None:
        c = self.selected_credential()
        self.claim_button.setEnabled(bool(c) and c["status"] == "claimable")
        if c is None:
            self.why.setText("Choose a credential to see what it earns." if self.credentials_model.rows else
                             "No credential is anchored to this account yet: when an issuer anchors one of "
                             "the types below, it earns the reward shown.")
        elif c["status"] == "claimable":
            self.why.setText(f"Credential #{c['token_id']} earns {c['amount']} BTK ({c['title']}).")
        else:
            self.why.setText(c["why"] or "")
        b = self.selected_bounty()
        self.bounty_button.setEnabled(bool(b) and b["status"] == "open")

    # ---- writing -----------------------------------------------------------------------

    def claim(self, token_id: int | None = None) -> None:
        c = self.selected_credential() if token_id is None else next(
            (r for r in self.credentials_model.rows if r["token_id"] == token_id), None)
        if not c or c["status"] != "claimable":
            return
        sender, tid = self.account, c["token_id"]
        flow = self.write(f"Claim {c['amount']} BTK", lambda service: rewards.claim_request(service, sender, tid),
                          intro=[f"The reward of credential #{tid} ({c['title']}) goes to your wallet. A "
                                 "credential earns once."],
                          success=f"{c['amount']} BTK for credential #{tid} is in your wallet.")
        if flow is not None:
            flow.succeeded.connect(lambda _r: self.action_message.success(f"Claimed {c['amount']} BTK."))
        return flow

    def claim_bounty(self) -> None:
        b = self.selected_bounty()
        if not b or b["status"] != "open":
            return
        sender, bid = self.account, b["id"]
        flow = self.write(f"Claim the {b['amount']} BTK bounty",
                          lambda service: rewards.claim_bounty_request(service, sender, bid),
                          intro=["Governance granted you this bounty; it goes to your wallet."],
                          success=f"The {b['amount']} BTK bounty is in your wallet.")
        if flow is not None:
            flow.succeeded.connect(lambda _r: self.action_message.success(f"Claimed the {b['amount']} BTK bounty."))
