"""Peer review over vault.chain.peer_review, as ``vault review`` is: submit work for review
with a fee; the review queue, where bonded reviewers approve or reject by staking; finalize
once a window closes; withdraw payouts. Outcomes are shown per submission; an approved one
can become a PeerReviewedCredential (its draft: ``vault review credential ID``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QFrame, QHBoxLayout, QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget

from vault.chain import peer_review, reputation
from vault.chain.units import format_amount, format_units, parse_amount
from vault.errors import ChainError

from ...widgets import InlineMessage, section_title
from ...widgets.labels import text_label
from ...widgets.layout import primary
from ...widgets.tables import configure_list_table, fit_columns, rows_height
from ..advance import AdvanceControl
from ..page import ChainPage
from .models import SubmissionModel


def read_reviews(chain, address: str) -> dict:  # chain thread
    return {"settings": peer_review.settings(chain), "submissions": peer_review.submissions(chain, address),
            "withdrawable": peer_review.withdrawable(chain, address),
            "bonded": reputation.status(chain, address).bonded}   # both in wei


class PeerReviewPage(ChainPage):
    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, "Peer review", "Submit your work for review by bonded peers, or review others' "
                                                 "work with a stake: the majority is paid, the minority loses "
                                                 "its stake.", parent)
        self.data: dict | None = None
        self.work: bytes | None = None
        self.rules = text_label(name="hintLabel")
        self.body.addWidget(self.rules)

        form = QFrame()
        form.setObjectName("stakingForm")
        box = QVBoxLayout(form)
        box.setContentsMargins(14, 10, 14, 12)
        box.addWidget(section_title("Submit work"))
        row = QHBoxLayout()
        self.file_button = QPushButton("Choose file…")
        self.file_label = text_label("No file chosen: its hash goes on chain, not the file.", name="hintLabel")
        row.addWidget(self.file_button)
        row.addWidget(self.file_label, 1)
        box.addLayout(row)
        row = QHBoxLayout()
        self.uri = QLineEdit()
        self.uri.setAccessibleName("Where reviewers find the work")
        self.uri.setPlaceholderText("Where reviewers find it: ipfs://… or https://…")
        self.fee = QLineEdit()
        self.fee.setAccessibleName("Review fee")
        self.fee.setPlaceholderText("Fee in BTK")
        self.submit_button = primary(QPushButton("Submit for review"))
        self.submit_button.setObjectName("submitReviewButton")
        row.addWidget(self.uri, 3)
        row.addWidget(self.fee, 1)
        row.addWidget(self.submit_button)
        box.addLayout(row)
        self.submit_message = InlineMessage()
        box.addWidget(self.submit_message)
        self.body.addWidget(form)

        self.body.addWidget(section_title("Review queue and outcomes"))
        self.model = SubmissionModel(self)
        self.table = configure_list_table(QTableView())
        self.table.setObjectName("reviewQueue")
        self.table.setAccessibleName("Review queue and outcomes")
        self.table.setModel(self.model)
        fit_columns(self.table, len(SubmissionModel.HEADERS) - 1)   # Work gives way
        self.table.setFixedHeight(rows_height(self.table, 4) + 2 * self.table.frameWidth())
        self.body.addWidget(self.table)
        row = QHBoxLayout()
        self.choice = text_label(name="hintLabel")
        self.approve_button = QPushButton("Approve")
        self.reject_button = QPushButton("Reject")
        self.finalize_button = QPushButton("Finalize")
        self.withdraw_button = QPushButton("Withdraw payouts")
        row.addWidget(self.choice, 1)
        for button in (self.approve_button, self.reject_button, self.finalize_button, self.withdraw_button):
            row.addWidget(button)
        self.body.addLayout(row)
        self.advance = AdvanceControl(self.session)
        self.body.addWidget(self.advance)
        self.action_message = InlineMessage(transient=True)
        self.body.addWidget(self.action_message)
        self.body.addStretch(1)

        self.file_button.clicked.connect(self.choose_file)
        self.submit_button.clicked.connect(self.submit)
        self.approve_button.clicked.connect(lambda: self.vote(True))
        self.reject_button.clicked.connect(lambda: self.vote(False))
        self.finalize_button.clicked.connect(self.finalize)
        self.withdraw_button.clicked.connect(self.withdraw)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_choice())
        self._show_choice()

    def refresh(self) -> None:
        account = self.account
        self.read(read_reviews, account, done=lambda data: self._on_read(account, data))

    def _on_read(self, account: str, data: dict) -> None:
        if account != self.account:
            return
        self.data = data
        s = data["settings"]
        bonded, payouts = format_amount(data["bonded"]), format_amount(data["withdrawable"])
        self.rules.setText(f"Reviewing needs a reputation bond of {s['min_bond']} BTK (you have {bonded}) "
                           f"and stakes {s['review_stake']} BTK per review; reviews close {s['window_blocks']} "
                           f"blocks after submission; fewer than {s['min_reviews']} reviews, or a tie, refunds "
                           f"everyone. Minimum fee: {s['min_fee']} BTK. Your payouts: {payouts} BTK.")
        self.model.set_rows(data["submissions"])
        self._show_choice()

    def selected(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows and rows[0].row() < len(self.model.rows) else None

    def _show_choice(self) -> None:
        s, d = self.selected(), self.data
        mine = bool(s) and s["learner"].lower() == self.account.lower()
        can_review = bool(s) and s["reviewable"] and not mine and not s["my_review"]
        self.approve_button.setEnabled(can_review)
        self.reject_button.setEnabled(can_review)
        self.finalize_button.setEnabled(bool(s) and s["finalizable"])
        self.withdraw_button.setEnabled(bool(d) and d["withdrawable"] > 0)
        if s is None:
            self.choice.setText("Choose a submission to review or finalize.")
        elif mine:
            self.choice.setText(f"Your submission #{s['id']}: {s['status']}.")
        elif s["my_review"]:
            self.choice.setText(f"You reviewed #{s['id']}: {s['my_review']}.")
        else:
            self.choice.setText(f"#{s['id']}: {s['uri']}")

    # ---- writing -----------------------------------------------------------------------

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Work to submit for review")
        if path:
            self.set_work(path)

    def set_work(self, path) -> None:
        try:
            self.work = Path(path).read_bytes()
        except OSError as exc:
            self.submit_message.error(f"Cannot read {path}: {exc.strerror}")
            return
        self.file_label.setText(f"{Path(path).name}: hash 0x{peer_review.content_hash(self.work).hex()[:16]}…")
        if not self.uri.text().strip():
            self.uri.setText(Path(path).name)

    def submit(self):
        if self.work is None:
            self.submit_message.error("Choose the file of your work first.")
            return None
        try:
            fee = parse_amount(self.fee.text())
        except ChainError as exc:
            self.submit_message.error(str(exc))
            return None
        self.submit_message.clear()
        sender, chash, uri = self.account, peer_review.content_hash(self.work), self.uri.text().strip()
        return self.write(f"Submit work with a {format_units(fee)} fee",
                          lambda service: peer_review.submit_requests(service, sender, chash, uri, fee),
                          intro=["Bonded reviewers approve or reject it; the fee pays the majority, or comes back "
                                 "if too few review it."], success="Submitted for review.")

    def vote(self, approve: bool):
        s = self.selected()
        if not s:
            return None
        sender, sid = self.account, s["id"]
        return self.write(f"{'Approve' if approve else 'Reject'} submission #{sid}",
                          lambda service: peer_review.review_requests(service, sender, sid, approve),
                          intro=[f"You stake {s['stake']} BTK on your verdict: you get it back with a share of the "
                                 "fee if the majority agrees, and lose it if not."], success="Review recorded.")

    def finalize(self):
        s = self.selected()
        if not s:
            return None
        sender, sid = self.account, s["id"]
        return self.write(f"Finalize submission #{sid}", lambda service: peer_review.finalize_request(service, sender,
                                                                                                     sid),
                          intro=["The outcome is settled; payouts can then be withdrawn."], success="Finalized.")

    def withdraw(self):
        sender = self.account
        return self.write("Withdraw review payouts", lambda service: peer_review.withdraw_request(service, sender),
                          intro=["Your review payouts and refunds go to your wallet."], success="Withdrawn.")
