"""The rewards dialog of the Governance page: the rules in words, each epoch's pool and
the person's share (claimable, claimed or from which block), their bounties as proposer,
proposals still to register, and one button that registers and claims what is due (a
write the page confirms and sends). Titles come from the chain: plain text only."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QListWidget, QPushButton, QWidget
from shiboken6 import isValid

from vault.chain.dao.rewards import Rewards
from vault.chain.units import format_units

from ...errors import describe
from ...widgets import BusyIndicator, InlineMessage, button_row
from ...widgets.labels import text_label
from ...widgets.layout import open_dialog, primary
from .dialogs import GrowingDialog, dialog_layout, hint


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


class RewardsDialog(GrowingDialog):
    claim_requested = Signal()
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
        self.list = QListWidget()
        self.list.setObjectName("rewardList")
        self.list.setAccessibleName("Your rewards")
        self.list.setMaximumHeight(self.list.fontMetrics().lineSpacing() * 6 + 12)
        layout.addWidget(self.list)
        self.empty = hint("Nothing yet: vote on proposals that reach quorum, or propose one that is executed.")
        layout.addWidget(self.empty)
        self.error = InlineMessage()
        layout.addWidget(self.error)
        self.busy = BusyIndicator()
        layout.addWidget(self.busy)
        self.close_button = QPushButton("Close")
        self.claim_button = primary(QPushButton("Claim…"))
        layout.addLayout(button_row(self.close_button, self.claim_button))
        self.close_button.clicked.connect(self.reject)
        self.claim_button.clicked.connect(self.claim_requested)
        self.load()

    def load(self) -> None:
        account = self.account
        self.busy.start("Reading the rewards…")
        job = self.session.run(lambda chain: Rewards(chain).overview(account))
        job.finished.connect(self._on_loaded)
        job.failed.connect(self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.busy.stop()
        self.error.error(describe(exc))

    def _on_loaded(self, o: dict) -> None:
        self.busy.stop()
        self.overview = o
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

    dialog.claim_requested.connect(claim)
    open_dialog(page, dialog, delete_on_close=True)


__all__ = ["RewardsDialog", "open_rewards"]
