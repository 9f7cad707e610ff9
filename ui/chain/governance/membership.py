"""“Get a demo membership”: where the Governance page or the polls dialog says a vote will
not count for lack of a membership credential, on the embedded chain only.

The core (vault.anchoring.demo_membership) runs on the session's chain thread: the demo
issuer signs, anchors and declares the credential, the vault stores it. Nothing is signed
with the person's keys and nothing is asked to confirm (the demo issuer pays); on another
network the offer is not shown, and the core refuses anyway.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from vault.chain.dao.membership import Membership

from ...errors import describe
from ...widgets import InlineMessage
from ...widgets.labels import text_label

OFFER = ("On this built-in test chain, its demo issuer can give you a membership credential (a sample that proves "
         "nothing elsewhere), so that you can try quadratic polls and proposals. It counts on those made from now on.")


def member_now(chain, account: str) -> bool | None:
    """Chain thread: whether ``account`` is a member at the latest block, as the core's
    "already a member" check judges it (None off the embedded chain: nothing is offered)."""
    return None if chain.embedded is None else Membership(chain).is_member_now(account)


class DemoMembershipOffer(QFrame):
    obtained = Signal(dict)   # the core's result, once the membership is anchored and stored

    def __init__(self, session, account: Callable[[], str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("demoMembership")
        self.session, self.account = session, account
        self.job = None
        self.job_account = None
        column = QVBoxLayout(self)
        column.setContentsMargins(14, 8, 14, 8)
        row = QHBoxLayout()
        self.text = text_label(OFFER, name="hintLabel")
        self.button = QPushButton("Get a demo membership")
        self.button.setObjectName("demoMembershipButton")
        self.button.setAutoDefault(False)
        row.addWidget(self.text, 1)
        row.addWidget(self.button)
        column.addLayout(row)
        self.message = InlineMessage()
        column.addWidget(self.message)
        self.button.clicked.connect(self.get)
        self.hide()

    def show_for(self, embedded: bool, member: bool) -> None:
        """Offered on the embedded chain to an account that is not a member; a result just
        given for the same account stays in view."""
        if self.job is not None and self.job_account != self.account():
            self.message.clear()
        offered = bool(embedded) and not member
        self.text.setVisible(offered)
        self.button.setVisible(offered)
        self.setVisible(offered or self.message.kind in ("success", "error"))

    def get(self) -> None:
        # start-up: vault.anchoring.demo_membership ~430 ms, only once the button is pressed
        from vault.anchoring.demo_membership import get_demo_membership

        account, identity = self.account(), self.session.identity
        self.job_account = account
        self.button.setEnabled(False)
        self.message.hint("The demo issuer is anchoring your membership credential…")
        self.job = self.session.run(lambda chain: get_demo_membership(chain, identity, account))
        self.job.finished.connect(self._done)
        self.job.failed.connect(self._failed)

    def _done(self, result: dict) -> None:
        self.button.setEnabled(True)
        self.message.success(result["words"])
        self.text.hide()
        self.button.hide()
        self.obtained.emit(result)
        self.session.note_settled()   # the chain moved on: every page reads again

    def _failed(self, exc: BaseException) -> None:
        self.button.setEnabled(True)
        self.message.error(describe(exc))
