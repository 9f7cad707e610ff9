"""The rewards dialog of the Governance page: the rules in words, each epoch's pool and
the person's share (claimable, claimed or from which block), their bounties as proposer,
proposals still to register, and one button that registers and claims what is due (a
write the page confirms and sends). Titles come from the chain: plain text only.

The top contributors are listed too: "Award a contributor badge…" issues the DAO's badge
with this vault's issuer profile and proposes that the DAO anchor it
(vault/anchoring/dao_badge.py); "Save the badge…" delivers the file to the contributor."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QListWidgetItem, QPushButton, QWidget
from shiboken6 import isValid

from vault.anchoring.dao_badge import badge_proposal
from vault.chain.dao.rewards import Rewards
from vault.chain.governance import Governance
from vault.chain.units import format_units
from vault.errors import IssuingError
from vault.issuing.deliver import write_file
from vault.issuing.issuer import Issuer

from ...errors import describe
from ...widgets import button_row
from ...widgets.labels import text_label
from ...widgets.layout import dialog_layout, open_dialog, primary
from ...widgets.tables import short_list
from .dialogs import GrowingDialog, hint


def reward_lines(o: dict) -> list[str]:
    lines = []
    for e in o["epochs"]:
        state = ("claimed" if e["claimed"] else "claimable now" if e["claimable"] else
                 "nothing for you" if not int(e["your_reward_wei"]) else
                 f"claimable from block {e['claimable_from_block']:,}")
        votes = format_units(int(e["your_votes_wei"]), "votes")
        lines.append(f"Epoch {e['epoch']}: {format_units(int(e['your_reward_wei']), 'BTK')} of "
                     f"{format_units(int(e['pool_wei']), 'BTK')} for your {votes} — {state}")
    lines += [f"Bounty {format_units(int(o['rules']['bounty_wei']), 'BTK')} for proposing “{b['title']}” — "
              f"{'claimed' if b['claimed'] else 'claimable now'}" for b in o["bounties"]]
    lines += [f"Not yet counted: “{p['title']}” (epoch {p['epoch']}) — Claim registers it for all its voters"
              for p in o["to_register"]]
    return lines


def contributor_words(c: dict) -> str:
    return (f"{c['rank']}. {c['account']} — voted on {c['votes_on_counted_proposals']} counted proposal(s), "
            f"{c['executed_proposals']} executed proposal(s)")


class RewardsDialog(GrowingDialog):
    claim_requested = Signal()
    badge_requested = Signal(str)   # the contributor's address
    loaded = Signal()

    def __init__(self, session, account: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.account = session, account
        self.overview: dict | None = None
        self.reads = 0
        self.setWindowTitle("Rewards")
        self.setMinimumWidth(640)
        layout = dialog_layout(self, "Rewards for taking part", "Voting and proposing earn BTK from the DAO.")
        self.rules = text_label(name="rewardRules")
        layout.addWidget(self.rules)
        self.list = short_list("rewardList", "Your rewards", 6)
        layout.addWidget(self.list)
        self.empty = hint("Nothing yet: vote on proposals that reach quorum, or propose one that is executed.")
        layout.addWidget(self.empty)
        layout.addWidget(hint("Top contributors (by votes on proposals that reached quorum, then executed "
                              "proposals): the DAO can award them a soulbound badge."))
        self.contributors = short_list("contributorList", "Top contributors", 5)
        layout.addWidget(self.contributors)
        self.badge_button = QPushButton("Award a contributor badge…")
        self.badge_button.setToolTip("Issue the DAO's badge with your issuer profile and propose that the DAO "
                                     "anchor it for them")
        self.badge_button.setAutoDefault(False)   # it issues a credential: Enter never presses it
        self.save_badge_button = QPushButton("Save the badge…")
        self.save_badge_button.setVisible(False)
        layout.addLayout(button_row(self.badge_button, self.save_badge_button))
        self.badge_record = None   # the badge issued here, to deliver
        self.add_status(layout)
        self.claim_button = primary(QPushButton("Claim…"))
        layout.addLayout(button_row(self.close_button, self.claim_button))
        self.claim_button.clicked.connect(self.claim_requested)
        self.contributors.currentRowChanged.connect(lambda row: self.badge_button.setEnabled(row >= 0))
        self.badge_button.clicked.connect(self._award)
        self.save_badge_button.clicked.connect(self.save_badge)
        self.load()

    def load(self) -> None:
        account = self.account
        self.busy.start("Reading the rewards…")
        job = self.session.run(lambda chain: (Rewards(chain).overview(account), Rewards(chain).top_contributors(10)))
        job.finished.connect(self._on_loaded)
        job.failed.connect(self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.busy.stop()
        self.error.error(describe(exc))

    def _on_loaded(self, result) -> None:
        self.busy.stop()
        o, top = result
        self.overview = o
        self.contributors.clear()
        for c in top:
            item = QListWidgetItem(contributor_words(c))
            item.setData(Qt.UserRole, c["account"])
            self.contributors.addItem(item)
        self.badge_button.setEnabled(self.contributors.currentRow() >= 0)
        self.rules.setText(o["rules"]["words"] + " The reserve holds "
                           f"{format_units(int(o['rules']['reserve_wei']), 'BTK')}.")
        self.list.clear()
        lines = reward_lines(o)
        self.list.addItems(lines)
        self.empty.setVisible(not lines)
        due = (any(e["claimable"] for e in o["epochs"]) or any(b["claimable"] for b in o["bounties"])
               or bool(o["to_register"]))
        self.claim_button.setEnabled(due)
        self.reads += 1
        self.loaded.emit()

    def _award(self) -> None:
        item = self.contributors.currentItem()
        if item is not None:
            self.badge_requested.emit(item.data(Qt.UserRole))

    def badge_issued(self, record) -> None:
        self.badge_record = record
        self.save_badge_button.setVisible(True)
        self.error.success(f"Badge issued to {record.recipient} and proposed: once the proposal is executed, the DAO "
                           "anchors it. Save the badge to give it to them.")

    def save_badge(self) -> None:
        record = self.badge_record
        path, _ = QFileDialog.getSaveFileName(self, "Save the badge", "contributor-badge.json",
                                              "Badge (*.json *.png *.svg)")
        if path and record is not None:
            write_file(record, Path(path))


def open_rewards(page) -> None:
    """Open the dialog from the Governance page; the claim goes through ``page.write``."""
    dialog = RewardsDialog(page.session, page.account, page)
    sender = page.account

    def claim() -> None:
        flow = page.write("Claim rewards", lambda service: Rewards(service.chain).claim_requests(service, sender),
                          intro=["Registering a proposal counts it for all its voters; each reward and bounty "
                                 "is paid once."], success="Claimed.")
        if flow is not None:
            flow.succeeded.connect(lambda _r: isValid(dialog) and dialog.load())

    def award(address: str) -> None:
        issued = []

        def build(service):   # chain thread: checked on chain first, then issued, then proposed
            issuer = Issuer(page.session.identity)
            own = [p for p in issuer.profiles.list() if not p.is_sample]
            if not own:
                raise IssuingError("The badge is issued with your issuer profile: create one on the Issue page "
                                   "first.")
            record, request = badge_proposal(service, Governance(service.chain), issuer, sender, own[0].id, address)
            issued.append(record)
            return request

        flow = page.write("Award a contributor badge", build,
                          intro=[f"Your vault issues the DAO's contributor badge to {address}; the proposal makes the "
                                 "DAO's timelock anchor it once holders pass it."],
                          success="Badge issued and proposed.")
        if flow is not None:
            flow.succeeded.connect(lambda _r: isValid(dialog) and issued and dialog.badge_issued(issued[-1]))
            flow.succeeded.connect(page._proposal_sent)

    dialog.claim_requested.connect(claim)
    dialog.badge_requested.connect(award)
    open_dialog(page, dialog, delete_on_close=True)


__all__ = ["RewardsDialog", "open_rewards"]
