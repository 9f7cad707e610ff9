"""The Issue page's chain side: whether a profile's anchoring account holds the issuer
role (and the request for it, a governance proposal from the template), anchoring a
credential just issued as a soulbound token, and revoking that token with the credential.

Every write is the one confirm → progress → result dialog (ui.chain.write, a plan run by
TxService): nothing is signed beyond what the person confirmed, and the issuance fee is
in the confirm step (the token's BTK amount, and a line of its own).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from vault.anchoring import writes
from vault.chain.governance import Governance
from vault.chain.issuer_role import request_issuer_role, role_status
from vault.chain.units import format_units

from ..chain.write import start_write
from ..errors import describe
from ..widgets import InlineMessage
from ..widgets.labels import text_label


def _role(chain, account: str) -> dict:  # chain thread
    return role_status(chain, account)


def fee_line(fee_wei: int) -> str:
    return f"Issuance fee: {format_units(int(fee_wei), 'BTK')}, paid to the credential contract's treasury."


class ChainActions(QObject):
    """Anchor and revoke on chain for the page (``host``: the widget dialogs open over)."""

    anchored = Signal(str, object)   # issued credential id, the TxRecords
    revoked = Signal(str)            # issued credential id

    def __init__(self, session, host: QWidget):
        super().__init__(host)
        self.session, self.host = session, host
        self.flow = None

    @property
    def connected(self) -> bool:
        return self.session is not None and self.session.state == "connected"

    def anchor(self, issued_id: str, account: str, holder: str, original: bytes, fee_wei: int | None = None):
        """[approve the fee?, issue]: ``original`` (the credential's bytes) anchored to
        ``holder`` by ``account``. The token carries no copy of the credential: it is the
        learner's to share (the token is public)."""
        if not original:   # a log row without its bytes would anchor the hash of nothing
            raise ValueError("anchor the credential's bytes (Issuer.get), not a log row")

        def build(service):
            return writes.issue_requests(service, account, holder, original, embed=False)
        intro = [fee_line(fee_wei)] if fee_wei is not None else []
        self.flow = start_write(self.session, self.host, "Anchor as a soulbound token", build, intro=intro,
                                success="Anchored: the learner's account holds a token for this credential.")
        self.flow.succeeded.connect(lambda records: self.anchored.emit(issued_id, records))
        return self.flow

    def revoke(self, issued_id: str, account: str, original: bytes):
        def build(service):
            return writes.revoke_request(service, account, original=original)
        self.flow = start_write(self.session, self.host, "Revoke the token on chain", build,
                                intro=["Anyone who checks the credential's token will see it revoked. This "
                                       "cannot be undone."], success="Revoked on chain.")
        self.flow.succeeded.connect(lambda _records: self.revoked.emit(issued_id))
        return self.flow


class IssuerRolePanel(QWidget):
    """"Issuer role on <network>: yes / no", and the request for it (a proposal from the
    governance template; the DAO votes on it on the Governance page)."""

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.account = ""
        self._asked = 0
        self.status: dict | None = None
        self.flow = None
        self.dialog = None
        self.write_flow = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.state = text_label(name="issuerRoleState")
        self.request_button = QPushButton("Request the issuer role…")
        self.request_button.setToolTip("Propose to the DAO that this account may anchor credentials")
        self.request_button.hide()
        row.addWidget(self.state, 1)
        row.addWidget(self.request_button)
        layout.addLayout(row)
        self.message = InlineMessage()
        layout.addWidget(self.message)
        self.request_button.clicked.connect(self.request)
        if session is not None:
            session.connected.connect(self.refresh)
            session.changed.connect(self.refresh)

    def show_account(self, account: str) -> None:
        self.account = account
        self.refresh()

    def refresh(self) -> None:
        self.status = None
        self.request_button.hide()
        if not self.account:
            self.state.setText("No anchoring account: this profile's credentials are not anchored on chain.")
            return
        if self.session is None or self.session.state != "connected":
            self.state.setText("Issuer role: connect to a network (any chain page, or Settings → Network) "
                               "to check it.")
            return
        self._asked += 1
        asked = self._asked   # an older answer arriving late is dropped
        job = self.session.run(_role, self.account)
        job.finished.connect(lambda status: self._on_status(asked, status))
        job.failed.connect(lambda exc: self.state.setText(f"Could not check the issuer role: {describe(exc)}"))

    def _on_status(self, asked: int, status: dict) -> None:
        if asked != self._asked:
            return
        account = self.account

        self.status = status
        network = self.session.network_name
        if status["issuer"]:
            self.state.setText(f"{account} holds the issuer role on {network}: it can anchor credentials "
                               f"(fee {format_units(status['fee'], 'BTK')} each).")
        else:
            self.state.setText(f"{account} does not hold the issuer role on {network} yet: governance grants it.")
            self.request_button.show()

    def request(self) -> None:
        """Delegate first when the account has no voting power (proposing needs it), then
        propose the grant; the Governance page takes it from there."""

        account, status = self.account, self.status or {}
        if status.get("votes", 0) < status.get("threshold", 0):
            def delegate(service):
                return Governance(service.chain).delegate_request(service, account, account)
            self.flow = start_write(self.session, self, "Delegate your votes to yourself", delegate,
                                    intro=["Proposing needs voting power: your BTK counts once delegated. Then "
                                           "the request for the issuer role is proposed."],
                                    success="Delegated. Next: the proposal.")
            self.flow.succeeded.connect(lambda _r: self._propose_after_delegating())
            return

        def propose(service):
            return request_issuer_role(service, Governance(service.chain), account)
        self.flow = start_write(self.session, self, "Request the issuer role", propose,
                                intro=["A proposal to the DAO: once it passes (vote, queue, execute on the "
                                       "Governance page), this account can anchor what it issues."],
                                success="Proposed. Vote for it on the Governance page.")
        self.flow.succeeded.connect(lambda _r: self.message.success(
            "Proposed: vote for it, then queue and execute it, on the Governance page."))

    def _propose_after_delegating(self) -> None:
        """The delegation is mined: the votes count from now on (the proposal's own check
        reads them again, and says so if the BTK are below the threshold)."""
        self.status = dict(self.status or {}, votes=(self.status or {}).get("threshold", 0))
        self.request()
