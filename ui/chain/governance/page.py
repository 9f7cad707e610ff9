"""The Governance page: voting power, proposals and their life from vote to execution.

A holder who never used a DAO sees first whether their BTK count as votes (and activates
them in one click), then the proposals with where each stands (a state badge, a quorum
bar, what happens next and when), and for the selected one: what it would do in words,
the tallies, their own vote, the vote buttons, and queue / execute buttons that are
enabled exactly when the core would send them, with a countdown otherwise.

Everything comes from vault.chain.governance (Governance.overview, next_actions, the
templates, the request builders, offline votes); every write goes through ChainPage.write.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Signal
from shiboken6 import isValid
from PySide6.QtWidgets import QFrame, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from vault.chain.dao import power as weighted
from vault.chain.dao.crosschain import CrossChain
from vault.chain.dao.escrow import Escrow
from vault.chain.dao.grants import Grants
from vault.chain.dao.keeper import executions
from vault.chain.governance import Governance
from vault.chain.units import format_units, parse_address, parse_amount
from vault.errors import ChainError

from ...format import blocks_text, duration
from ...widgets import section_title
from ...widgets.labels import text_label
from ...widgets.layout import open_dialog, primary
from ...widgets.tables import configure_list_table, rows_height
from ...widgets.visible_timer import VisibleTimer
from ..advance import AdvanceControl
from ..page import ChainPage
from .constitution import ConstitutionDialog
from .delegates import BadgeDelegate, QuorumBarDelegate, TitleDelegate
from .dialogs import NewProposalDialog
from .grants import GrantsDialog
from .keeper import KeeperControl
from .lock import LockDialog, breakdown_text, sources_text
from .membership import DemoMembershipOffer, member_now
from .models import SUPPORT_LABELS, ProposalTableModel, ProposalView, votes_text
from .panel import ProposalPanel, caption
from .remote import RemoteVotesBox
from .rewards import open_rewards
from .subdaos import open_subdaos
from .votes import RelayVoteDialog, SignVoteDialog


def _breakdown(chain, account: str) -> dict | None:
    """Where the account's power comes from, or None on a network without the vote-escrow."""
    try:
        return Escrow(chain).breakdown(account)
    except ChainError as exc:
        if exc.reason != "not-deployed":
            raise
        return None


class GovernancePage(ChainPage):
    refreshed = Signal()   # after every read applied (tests wait on it)

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, "Governance",
                         "BTK holders decide together how the treasury is spent and how the app's rules "
                         "change. A proposal is voted on, then waits in the timelock for a while, then "
                         "anyone can execute it.", parent)
        self.setObjectName("governancePage")
        self.overview: dict | None = None
        self._reading = False
        self._read_again = False
        self._selected: str | None = None
        self._refreshed_at_zero: set[str] = set()
        self._draft = None   # a new proposal's dialog not sent yet: reopened with what was typed
        self._build_power()
        self._build_proposals()
        self.panel = ProposalPanel()
        self.remote = RemoteVotesBox(session)   # under the proposal's own tallies
        self.panel.layout().insertWidget(self.panel.layout().indexOf(self.panel.quorum) + 1, self.remote)
        # Beside the countdowns it ends: voting periods and the timelock pass on demand.
        self.advance = AdvanceControl(session)
        self.panel.layout().addWidget(self.advance)
        self.panel.hide()
        self.body.addWidget(self.panel)
        self.body.addStretch(1)

        self.timer = VisibleTimer(self, 1000, self._tick, wanted=self._counting_down)

        self.delegate_button.clicked.connect(self.activate_votes)
        self.new_button.clicked.connect(self.new_proposal)
        self.relay_button.clicked.connect(self.relay_vote)
        self.constitution_button.clicked.connect(self.open_constitution)
        self.polls_button.clicked.connect(self.open_polls)
        self.grants_button.clicked.connect(self.open_grants)
        self.daos_button.clicked.connect(lambda: self.open_dao_dialog("subdaos"))
        self.rewards_button.clicked.connect(lambda: self.open_dao_dialog("rewards"))
        self.lock_button.clicked.connect(self.open_lock)
        self.unlock_button.clicked.connect(self.unlock)
        self.polls_dialog = None
        self.table.selectionModel().currentRowChanged.connect(self._on_row)
        self.panel.vote_requested.connect(self.vote)
        self.panel.sign_requested.connect(self.sign_offline)
        self.panel.queue_requested.connect(self.queue)
        self.panel.execute_requested.connect(self.execute)
        self.remote.relay_requested.connect(self._relay_remote)

    def _build_power(self) -> None:
        power = QFrame()
        power.setObjectName("govPower")
        row = QHBoxLayout(power)
        row.setContentsMargins(16, 10, 16, 10)
        row.setSpacing(24)
        self.power_value = QLabel("–")
        self.power_value.setObjectName("govPowerValue")
        self.power_value.setAccessibleName("Your voting power")
        self.power_detail = text_label(name="govPowerDetail")
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addWidget(caption("Your voting power now"))
        column.addWidget(self.power_value)
        row.addLayout(column)
        row.addWidget(self.power_detail, 1)
        self.lock_button = QPushButton("Lock BTK…")
        self.lock_button.setToolTip("Lock BTK in the vote-escrow: the longer, the more they count in polls")
        self.unlock_button = QPushButton("Withdraw locked BTK")
        buttons = QVBoxLayout()
        buttons.addWidget(self.lock_button)
        buttons.addWidget(self.unlock_button)
        row.addLayout(buttons)
        self.body.addWidget(power)

        self.delegate_banner = QFrame()
        self.delegate_banner.setObjectName("govDelegateBanner")
        banner = QHBoxLayout(self.delegate_banner)
        banner.setContentsMargins(14, 10, 14, 10)
        self.delegate_text = text_label(name="govDelegateText")
        self.delegate_button = primary(QPushButton("Activate my votes"))
        self.delegate_button.setAutoDefault(False)
        self.delegate_button.setDefault(False)
        banner.addWidget(self.delegate_text, 1)
        banner.addWidget(self.delegate_button)
        self.delegate_banner.hide()
        self.body.addWidget(self.delegate_banner)
        # Under "Quadratic proposals: you hold no membership credential", on the embedded chain
        self.membership = DemoMembershipOffer(self.session, lambda: self.account)
        self.body.addWidget(self.membership)

    def _build_proposals(self) -> None:
        heading = QHBoxLayout()
        heading.addWidget(section_title("Proposals"))
        heading.addStretch(1)
        self.relay_button = QPushButton("Relay a signed vote…")
        self.relay_button.setToolTip("Send someone's vote that they signed offline (you pay the network fee)")
        self.new_button = QPushButton("New proposal…")
        # The DAO's dialogs on a row of their own: beside the proposal buttons they pushed
        # "New proposal…" off a 1000-pixel window.
        tools = QHBoxLayout()
        tools.addWidget(caption("The DAO"))
        self.polls_button = QPushButton("Polls…")
        self.polls_button.setToolTip("Ask holders first, for free; a poll that passes becomes a proposal")
        tools.addWidget(self.polls_button)
        self.grants_button = QPushButton("Grants…")
        self.grants_button.setToolTip("Grants paid by milestone: released, pending, approvals")
        tools.addWidget(self.grants_button)
        self.daos_button = QPushButton("DAOs…")
        self.daos_button.setToolTip("Switch to a sub-DAO: its council, budget and grants")
        tools.addWidget(self.daos_button)
        self.rewards_button = QPushButton("Rewards…")
        self.rewards_button.setToolTip("BTK for voting on proposals that reach quorum and for executed proposals")
        tools.addWidget(self.rewards_button)
        self.constitution_button = QPushButton("Constitution…")
        self.constitution_button.setToolTip("The rules the DAO gave itself: the text, its versions, amendments")
        tools.addWidget(self.constitution_button)
        tools.addStretch(1)
        heading.addWidget(self.relay_button)
        heading.addWidget(self.new_button)
        self.body.addLayout(tools)
        self.body.addLayout(heading)
        self.propose_hint = text_label(name="hintLabel")
        self.body.addWidget(self.propose_hint)
        self.keeper = KeeperControl(self.session, lambda: self.account)
        self.keeper.acted.connect(lambda _records: self.refresh_now())
        self.body.addWidget(self.keeper)

        self.model = ProposalTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("govProposals")
        self.table.setAccessibleName("Proposals")
        self.table.setModel(self.model)
        configure_list_table(self.table, text_lines=2, row_padding=16)   # a title over its next step
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ProposalTableModel.TITLE, QHeaderView.Stretch)
        for column, width in ((ProposalTableModel.STATUS, 250), (ProposalTableModel.QUORUM, 150)):
            header.setSectionResizeMode(column, QHeaderView.Interactive)
            header.resizeSection(column, width)
        self.table.setItemDelegateForColumn(ProposalTableModel.TITLE, TitleDelegate(self.table))
        self.table.setItemDelegateForColumn(ProposalTableModel.STATUS, BadgeDelegate(self.table))
        self.table.setItemDelegateForColumn(ProposalTableModel.QUORUM, QuorumBarDelegate(self.table))
        self._fit_table(3)
        self.body.addWidget(self.table)
        self.empty = text_label("No proposals yet. Anyone with at least the proposal threshold of votes can make "
                                "one with “New proposal…”.", name="hintLabel")
        self.empty.hide()
        self.body.addWidget(self.empty)

    def _fit_table(self, rows: int) -> None:
        """As tall as its rows, from 2 up to 5 (then it scrolls)."""
        rows = max(2, min(rows, 5))
        self.table.setFixedHeight(rows_height(self.table, rows) + 4)

    # ---- reading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        if self._reading:
            self._read_again = True
            return
        self._reading = True
        account = self.account

        def read(chain):
            gov = Governance(chain)
            overview = gov.overview(account)
            overview["breakdown"] = _breakdown(chain, account)
            overview["sources"] = weighted.breakdown(gov, account)   # where the power comes from
            overview["member_now"] = member_now(chain, account)   # the demo membership is offered otherwise
            for p in overview["proposals"]:
                if p.get("quadratic") and p["state"] in ("pending", "active"):
                    p["my_weight"] = weighted.vote_weight(gov, int(p["proposal_id"]), account)
            done = executions(chain)   # who executed each: the proposal's history says it
            for p in overview["proposals"]:
                p["executed_by"] = done.get(p["proposal_id"])
            return overview

        self.read(read, done=self._on_overview)

    def _on_read_failed(self, exc: BaseException) -> None:
        self._reading = False
        super()._on_read_failed(exc)

    def _on_overview(self, overview: dict) -> None:
        self._reading = False
        if self._read_again:
            self._read_again = False
            self.refresh()
        if overview["account"].lower() != self.account.lower():
            return   # another account was picked meanwhile: its read follows
        self.overview = overview
        read_at = time.monotonic()
        self._refreshed_at_zero.clear()
        self._show_power(overview)
        views = [ProposalView(p, embedded=overview["embedded"], read_at=read_at) for p in overview["proposals"]]
        keep = self._selected
        self.model.set_rows(views)
        self._fit_table(len(views))
        self.empty.setVisible(not views)
        self.table.setVisible(bool(views))
        row = self.model.row_of(keep) if keep else -1
        if views:
            self.table.selectRow(row if row >= 0 else 0)
            self._on_row(self.model.index(row if row >= 0 else 0, 0))
        else:
            self.panel.hide()
        self.timer.update_running()
        self.refreshed.emit()

    def _show_power(self, o: dict) -> None:
        power = o["power"]
        votes, held = int(power["votes_wei"]), int(power["balance_wei"])
        sources = o.get("sources") or {}
        # on the weighted governor the power on proposals includes the lock (to the hundredth: it
        # decays every block) and credential bonuses
        total = int(sources["total_wei"]) // 10**16 * 10**16 if sources.get("weighted") else votes
        self.power_value.setText(votes_text(total))
        if power["self_delegated"]:
            who = "yourself"
        elif power["delegate"]:
            who = power["delegate"]
        else:
            who = "nobody yet"
        b = o.get("breakdown")
        self.power_detail.setText(f"You hold {format_units(held, 'BTK')}; your BTK count as votes for: {who}.\n"
                                  f"The treasury holds {format_units(int(o['treasury']['btk_wei']), 'BTK')}. "
                                  f"Proposing needs {votes_text(int(o['threshold_wei']))}."
                                  + (f"\n{breakdown_text(b)}" if b else "") + sources_text(o.get("sources")))
        self.lock_button.setVisible(b is not None)
        self.unlock_button.setVisible(bool(b and int(b["locked_wei"]) and not b["blocks_left"]))
        self._show_delegation(power, held)
        self.membership.show_for(o["embedded"], bool(o.get("member_now")))
        threshold = int(o["threshold_wei"])
        self.propose_hint.setVisible(not o["can_propose"])
        self.propose_hint.setText(f"Making a proposal needs {votes_text(threshold)}; you have {votes_text(votes)}."
                                  + (" Activate your votes above first." if held and not votes else ""))

    def _show_delegation(self, power: dict, held: int) -> None:
        if not held or power["self_delegated"]:
            self.delegate_banner.hide()
            return
        if power["delegate"]:
            self.delegate_text.setText(f"Your {format_units(held, 'BTK')} count as votes for "
                                       f"{power['delegate']}, who votes with them. To vote yourself, take "
                                       "them back.")
            self.delegate_button.setText("Vote myself")
        else:
            self.delegate_text.setText(f"Your {format_units(held, 'BTK')} don't count as votes until you "
                                       "delegate them — to yourself to vote yourself.")
            self.delegate_button.setText("Activate my votes")
        self.delegate_banner.show()

    def _on_row(self, current, _previous=None) -> None:
        if not current.isValid():
            return
        view = self.model.data(self.model.index(current.row(), 0), ProposalTableModel.ViewRole)
        if view is None:
            return
        self._selected = view.id
        self.panel.show_view(view)
        self.panel.show()
        self.remote.show_proposal(view.id)
        left = (view.data.get("time_left") or {}).get("blocks")
        if view.state in ("pending", "active") and left:
            self.advance.blocks.setValue(left)   # one click on Mine ends the wait

    @property
    def selected(self) -> ProposalView | None:
        return self.panel.view if self.panel.isVisible() else None

    # ---- countdowns ------------------------------------------------------------------------

    def _counting_down(self) -> bool:
        """A queued proposal waits out its timelock: its countdown moves on by the clock."""
        return any(v.state == "queued" and not v.can_execute for v in self.model.views())

    def _tick(self) -> None:
        self.model.refresh_times()
        self.panel.update_times()
        for view in self.model.views():
            if view.state == "queued" and not view.can_execute and view.remaining == 0 \
                    and view.id not in self._refreshed_at_zero:
                # The delay should be over: ask the chain (which alone enables Execute).
                self._refreshed_at_zero.add(view.id)
                self.refresh_now()
                break

    # ---- writes ----------------------------------------------------------------------------

    def activate_votes(self) -> None:
        sender = self.account
        self.write("Activate your votes",
                   lambda service: Governance(service.chain).delegate_request(service, sender, sender),
                   intro=["Delegating to yourself makes the BTK you hold count as your votes, now and "
                          "whenever your balance changes. Your BTK stay in your account."],
                   success="Your BTK now count as votes.")

    def vote(self, support: str) -> None:
        view = self.panel.view
        if view is None:
            return
        sender, pid, reason = self.account, int(view.id), self.panel.reason.text().strip()
        flow = self.write(f"Vote {SUPPORT_LABELS[support]}",
                          lambda service: Governance(service.chain).vote_request(service, sender, pid, support,
                                                                                 reason),
                          success=f"Your vote {SUPPORT_LABELS[support].upper()} is counted.")
        if flow is not None:
            flow.succeeded.connect(lambda _r: self.panel.reason.clear())

    def queue(self) -> None:
        view = self.panel.view
        if view is None:
            return
        sender, pid = self.account, int(view.id)
        delay = duration(self.overview["timelock_delay"]) if self.overview else "a while"
        self.write("Queue the proposal",
                   lambda service: Governance(service.chain).queue_request(service, sender, pid),
                   intro=[f"The timelock holds it for {delay}; then anyone can execute it."],
                   success=f"Queued. It can be executed in {delay}.")

    def execute(self) -> None:
        view = self.panel.view
        if view is None:
            return
        sender, pid = self.account, int(view.id)
        self.write("Execute the proposal",
                   lambda service: Governance(service.chain).execute_request(service, sender, pid),
                   intro=["It will now:"] + [f"• {c['summary']}" for c in view.data["calls"]],
                   success="Executed: the proposal's actions are done.")

    def new_proposal(self) -> None:
        if self.overview is None:   # not connected (yet): the banner says why
            self._show_connection_state()
            return
        dialog = self._draft
        if dialog is None:
            dialog = NewProposalDialog(self.session, self.overview, self)
            dialog.submitted.connect(self._propose)
            self._draft = dialog
        else:
            dialog.update_overview(self.overview)
        open_dialog(self, dialog)

    def _propose(self, call_maker, description: str, summary: str) -> None:
        sender = self.account

        def build(service):
            gov = Governance(service.chain)
            return gov.propose_request(service, sender, [call_maker(gov)], description)

        delay = self.overview["voting_delay"] if self.overview else 1
        period = self.overview["voting_period"] if self.overview else 0
        flow = self.write("New proposal", build,
                          intro=[f"Proposal: {summary}",
                                 f"Voting opens after {blocks_text(delay)} and lasts {blocks_text(period)}."],
                          success="Proposal created. Select it in the list to follow it.")
        if flow is not None:
            flow.succeeded.connect(self._proposal_sent)

    def _proposal_sent(self, records) -> None:
        if self._draft is not None:
            self._draft.deleteLater()
            self._draft = None
        for record in records:
            for event in record.events:
                if event.get("event") == "ProposalCreated":
                    self._selected = str(event["args"]["proposalId"])

    def open_constitution(self) -> None:
        if not self.connected:
            self._show_connection_state()
            return
        dialog = ConstitutionDialog(self.session, self)
        dialog.submitted.connect(self._propose)
        open_dialog(self, dialog, delete_on_close=True)

    def open_polls(self) -> None:
        # start-up: ui.chain.governance.polls ~330 ms (eth-account, for signed ballots), only once Polls is opened
        from .polls import PollsDialog

        if not self.connected:
            self._show_connection_state()
            return
        dialog = PollsDialog(self.session, self.account, self)
        dialog.create_requested.connect(self._create_poll)
        dialog.promote_requested.connect(self._promote_poll)
        self.polls_dialog = dialog
        open_dialog(self, dialog, delete_on_close=True)

    def open_lock(self) -> None:
        b = (self.overview or {}).get("breakdown")
        if not self.connected or b is None:
            self._show_connection_state()
            return
        dialog = LockDialog(b, self)
        dialog.submitted.connect(self._lock)
        open_dialog(self, dialog, delete_on_close=True)

    def _lock(self, amount: int, blocks: int) -> None:
        sender = self.account
        self.write("Lock BTK", lambda service: Escrow(service.chain).lock_requests(service, sender, amount, blocks),
                   success="Locked: they count in polls from the next block.")

    def unlock(self) -> None:
        sender = self.account
        self.write("Withdraw locked BTK", lambda service: Escrow(service.chain).unlock_request(service, sender),
                   success="Your BTK are back in your account.")

    def open_grants(self) -> None:
        if not self.connected:
            self._show_connection_state()
            return
        dialog = GrantsDialog(self.session, self.account, self)
        dialog.approve_requested.connect(lambda gid, words: self._approve_milestone(dialog, gid, words))
        open_dialog(self, dialog, delete_on_close=True)

    def open_dao_dialog(self, name: str) -> None:
        """The sub-DAOs or rewards dialog; their writes go through this page."""
        if not self.connected:
            self._show_connection_state()
            return
        {"subdaos": open_subdaos, "rewards": open_rewards}[name](self)

    def _approve_milestone(self, dialog, grant_id: int, words: str) -> None:
        sender = self.account
        flow = self.write("Approve a milestone",
                          lambda service: Grants(service.chain).approve_request(service, sender, grant_id),
                          intro=[words], success="Approved: the tranche is paid to the grantee.")
        if flow is not None:
            flow.succeeded.connect(lambda _r: isValid(dialog) and dialog.load())

    def _create_poll(self, question: str, options: list, closes_in: int, to: str, amount: str, details: str,
                     quadratic: bool = False) -> None:
        # start-up: vault.chain.dao.polls ~300 ms (eth-account), as above
        from vault.chain.dao.polls import Polls

        sender = self.account

        def build(service):
            calls = []
            if to:
                gov = Governance(service.chain)
                calls = [gov.call_grant(parse_address(to, service.chain.chain_id), parse_amount(amount))]
            return Polls(service.chain).create_request(service, sender, question, options, closes_in=closes_in,
                                                       calls=calls, details=details, quadratic=quadratic)

        counting = ["Counted one member, one square root: only holders of a membership credential count."] \
            if quadratic else []
        flow = self.write("New poll", build, intro=[f"Poll: {question}", *counting, "Holders sign ballots for free; "
                                                    "only creating the poll costs a network fee."],
                          success="Poll created. Sign your ballot in the list.")
        dialog = self.polls_dialog
        if flow is not None and dialog is not None:
            flow.succeeded.connect(lambda _r: isValid(dialog) and dialog.load())

    def _promote_poll(self, poll_id: str, ballots: list, quadratic: bool = False) -> None:
        from vault.chain.dao.polls import Polls   # start-up: as above

        sender = self.account
        flow = self.write("Promote the poll",
                          lambda service: Polls(service.chain).promote_request(service, sender, poll_id, ballots,
                                                                               quadratic),
                          intro=["The poll passed: its action becomes a proposal that cites it, voted on chain."],
                          success="Proposal created from the poll.")
        if flow is not None:
            flow.succeeded.connect(self._proposal_sent)
            dialog = self.polls_dialog
            if dialog is not None:
                flow.succeeded.connect(lambda _r: isValid(dialog) and dialog.load())

    def sign_offline(self) -> None:
        view = self.panel.view
        if view is None:
            return
        dialog = SignVoteDialog(self.session, self.account, view.id, view.title, self.panel.reason.text().strip(),
                                self)
        open_dialog(self, dialog, delete_on_close=True)

    def relay_vote(self) -> None:
        dialog = RelayVoteDialog(self.session, self)
        dialog.relay.connect(self._relay)
        open_dialog(self, dialog, delete_on_close=True)

    def _relay(self, vote: dict) -> None:
        sender = self.account
        self.write("Relay a signed vote",
                   lambda service: Governance(service.chain).relay_request(service, sender, vote),
                   intro=[f"You send {vote['voter']}'s vote and pay its network fee; the vote counts as "
                          "theirs."],
                   success="The signed vote is counted.")

    def _relay_remote(self, ballot: dict, words: str) -> None:
        sender, remote = self.account, self.remote
        flow = self.write("Relay a remote ballot",
                          lambda service: CrossChain(service.chain).relay_request(service, sender, ballot),
                          intro=[words, "You pay its network fee; the vote counts as theirs."],
                          success="The remote vote is counted.")
        if flow is not None:
            flow.succeeded.connect(lambda _r: isValid(remote) and remote.proposal_id and
                                   remote.show_proposal(remote.proposal_id))

    def drop_vault_data(self) -> None:
        self.timer.stop()
        self.keeper.timer.stop()
        if self._draft is not None:
            self._draft.reject()
        super().drop_vault_data()
