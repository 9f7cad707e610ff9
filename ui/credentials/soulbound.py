"""Soulbound credentials on the Credentials page: the "anchored on chain" / "revoked on
chain" chip of each card, and the detail view's panel where a holder checks the chain and
an issuer account anchors a credential to its holder or revokes it.

What the chain said is kept in the vault (vault.anchoring), so the chips show offline
what was last learned; the ChainSession asks again when it connects and after each write.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFormLayout, QFrame, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QVBoxLayout, QWidget)

from vault.anchoring import writes
from vault.anchoring.holder import holder_view, stored_states
from vault.anchoring.store import AnchorState
from vault.anchoring.sync import check as check_anchor
from vault.chain.rewards import claim_request, reward_of_token
from vault.chain.units import parse_address
from vault.credentials.repository import CredentialRepository
from vault.credentials.verdict import ANCHORED_BY_DAO
from vault.errors import ChainError

from ..chain.write import start_write
from ..errors import describe
from ..widgets import InlineMessage, button_row
from ..widgets.layout import dialog_layout, open_dialog, primary
from . import presentation
from .presentation import Look
from .talent_type import TalentTypeRow

ANCHORED_LOOK = Look("On chain", "info")
REVOKED_LOOK = Look("Revoked on chain", "bad")


def _short(address: str) -> str:
    return f"{address[:8]}…{address[-6:]}"


def _check(chain, store, cid: str):  # chain thread
    return cid, check_anchor(chain, store, cid)


def _view(chain, store, accounts: list[str]):  # chain thread
    """holder_view, and the DAO's timelock: a token it issued was anchored by an executed proposal."""
    return (*holder_view(chain, store, accounts), chain.contracts.timelock.address)


class SoulboundTracker(QObject):
    """The anchor state of every stored credential on the connected network, and which
    of the vault's accounts may anchor (hold the issuer role)."""

    changed = Signal()

    def __init__(self, session, store, tasks=None, parent: QObject | None = None):
        super().__init__(parent)
        self.session, self.store = session, store
        self.chain_id: int | None = None
        self.states: dict[str, AnchorState] = {}
        self.issuers: list[str] = []
        self.dao: str | None = None      # the timelock's address, once the chain answered
        self.checked: set[str] = set()   # asked the chain about these this session
        self.asked = False               # the chain answered since unlock
        session.connected.connect(self.refresh)
        session.changed.connect(self.refresh)
        if session.state == "connected":
            self.refresh()
        elif tasks is not None:   # until the chain answers: what it said last time
            job = tasks.run(stored_states, store, session.data_dir)
            job.finished.connect(self._on_stored)

    def _on_stored(self, result) -> None:
        if not self.asked:
            self.chain_id, self.states = result
            self.changed.emit()

    def refresh(self) -> None:
        job = self.session.run(_view, self.store, self.session.accounts)
        job.finished.connect(self._on_refreshed)

    def _on_refreshed(self, result) -> None:
        self.asked = True
        self.chain_id, states, self.issuers, self.dao = result
        self.states = states
        self.changed.emit()

    def check(self, cid: str):
        """Ask the chain about one credential (whoever holds its token)."""
        job = self.session.run(_check, self.store, cid)
        job.finished.connect(self._on_checked)
        return job

    def _on_checked(self, result) -> None:
        cid, state = result
        self.checked.add(cid)
        if state is None:
            self.states.pop(cid, None)
        else:
            self.states[cid] = state
        self.changed.emit()

    def look_for(self, cid: str) -> Look | None:
        state = self.states.get(cid)
        if state is None:
            return None
        return REVOKED_LOOK if state.revoked else ANCHORED_LOOK

    def by_dao(self, state: AnchorState) -> bool:
        """Whether the DAO anchored it (its token's issuer is the timelock), as verification says."""
        return self.dao is not None and state.issuer.lower() == self.dao.lower()

    def drop(self) -> None:
        self.states, self.issuers, self.dao = {}, [], None


class SoulboundPanel(QFrame):
    """In the detail view: the credential's state on chain and what this vault can do."""

    def __init__(self, tracker: SoulboundTracker, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("soulboundPanel")
        self.tracker = tracker
        self.cid: str | None = None
        self.subject = ""
        self.dialog = None
        self.write_flow = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(4)
        top = QHBoxLayout()
        self.state_label = QLabel()
        self.state_label.setObjectName("soulboundState")
        self.state_label.setTextFormat(Qt.PlainText)
        self.state_label.setWordWrap(True)
        self.state_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.check_button = QPushButton("Check on chain")
        self.check_button.setToolTip("Ask the network whether this credential is anchored or revoked")
        self.anchor_button = QPushButton("Anchor to holder…")
        self.anchor_button.setToolTip("As an issuer: tie this credential to its holder's account with a "
                                      "non-transferable token the issuer can revoke")
        self.revoke_button = QPushButton("Revoke on chain")
        self.revoke_button.setObjectName("dangerButton")
        top.addWidget(self.state_label, 1)
        for button in (self.check_button, self.anchor_button, self.revoke_button):
            top.addWidget(button, 0, Qt.AlignTop)
        layout.addLayout(top)
        # The issuer's declaration of its type on the talent market (offers gated on it).
        self.talent_type = TalentTypeRow(tracker, self)
        layout.addWidget(self.talent_type)
        # Learn-to-earn: what the anchored credential earns its holder ("earns 50 BTK, claim").
        reward_row = QHBoxLayout()
        self.reward_label = QLabel()
        self.reward_label.setObjectName("rewardState")
        self.reward_label.setTextFormat(Qt.PlainText)
        self.reward_label.setWordWrap(True)
        self.claim_button = primary(QPushButton("Claim"))
        self.claim_button.setObjectName("claimRewardButton")
        reward_row.addWidget(self.reward_label, 1)
        reward_row.addWidget(self.claim_button, 0, Qt.AlignTop)
        layout.addLayout(reward_row)
        self.reward: dict | None = None
        self._show_reward()
        self.message = InlineMessage()
        layout.addWidget(self.message)
        self.claim_button.clicked.connect(self.claim)
        self.check_button.clicked.connect(self.check)
        self.anchor_button.clicked.connect(self.open_anchor_dialog)
        self.revoke_button.clicked.connect(self.revoke)
        tracker.changed.connect(self.update_state)
        tracker.session.connected.connect(self.update_state)

    def show_credential(self, cid: str, subject: str = "") -> None:
        self.cid, self.subject = cid, subject
        self.message.clear()
        self.update_state()
        if cid not in self.tracker.checked and self.tracker.session.state == "connected":
            self.tracker.check(cid)

    def clear(self) -> None:
        self.cid = None
        self.message.clear()

    # ---- state ----------------------------------------------------------------------

    def update_state(self) -> None:
        if self.cid is None:
            return
        state = self.tracker.states.get(self.cid)
        connected = self.tracker.session.state == "connected"
        if state is None:
            text = ("Not anchored on this network." if self.cid in self.tracker.checked else
                    "Not known to be anchored on chain." + ("" if connected else " Checking needs the network."))
        elif self.tracker.by_dao(state):   # the DAO's badge: its proposal, not an issuer's account
            if state.revoked:
                text = ("Revoked on chain by the DAO (an executed proposal)"
                        f"{' on ' + presentation.day(state.revoked_at) if state.revoked_at else ''} "
                        f"(token #{state.token_id}, held by {_short(state.holder)}).")
            else:
                text = (f"{ANCHORED_BY_DAO[0].upper()}{ANCHORED_BY_DAO[1:]}: token #{state.token_id} ties it to "
                        f"{_short(state.holder)}"
                        f"{', issued on ' + presentation.day(state.issued_at) if state.issued_at else ''}.")
        elif state.revoked:
            text = (f"Revoked on chain by its issuer {_short(state.issuer)}"
                    f"{' on ' + presentation.day(state.revoked_at) if state.revoked_at else ''} "
                    f"(token #{state.token_id}, held by {_short(state.holder)}).")
        else:
            text = (f"Anchored on chain, not revoked: token #{state.token_id} ties it to "
                    f"{_short(state.holder)}, issued by {_short(state.issuer)}"
                    f"{' on ' + presentation.day(state.issued_at) if state.issued_at else ''}.")
        self.state_label.setText(text)
        self.setProperty("look", "bad" if state is not None and state.revoked else
                         "info" if state is not None else "neutral")
        self.style().unpolish(self)
        self.style().polish(self)
        issuers = self.tracker.issuers
        self.check_button.setEnabled(connected)
        self.anchor_button.setVisible(bool(issuers) and state is None)
        self.revoke_button.setVisible(state is not None and not state.revoked and
                                      state.issuer.lower() in {a.lower() for a in issuers})
        self.talent_type.show_for(self.cid, state, issuers)
        self._read_reward(state)

    # ---- learn-to-earn ----------------------------------------------------------------

    def _read_reward(self, state) -> None:
        mine = state is not None and state.holder.lower() in {a.lower() for a in self.tracker.session.accounts}
        if not mine or self.tracker.session.state != "connected":
            self.reward = None
            self._show_reward()
            return
        cid = self.cid
        job = self.tracker.session.run(reward_of_token, state.token_id)
        job.finished.connect(lambda entry: self._on_reward(cid, entry))

    def _on_reward(self, cid: str, entry: dict | None) -> None:
        if cid == self.cid:
            self.reward = entry
            self._show_reward()

    def _show_reward(self) -> None:
        r = self.reward
        self.reward_label.setVisible(r is not None)
        self.claim_button.setVisible(r is not None and r["status"] == "claimable")
        if r is None:
            return
        if r["status"] == "claimable":
            self.reward_label.setText(f"Earns {r['amount']} BTK ({r['title']}): claim it to your wallet.")
            self.claim_button.setText(f"Claim {r['amount']} BTK")
        elif r["status"] == "claimed":
            self.reward_label.setText(f"Its reward of {r['amount']} BTK was claimed.")
        else:
            self.reward_label.setText(f"Learn-to-earn: {r['why']}")

    def claim(self) -> None:
        r, state = self.reward, self.tracker.states.get(self.cid)
        if not r or r["status"] != "claimable" or state is None:
            return
        holder, token_id = state.holder, state.token_id
        self.write_flow = start_write(self.tracker.session, self, f"Claim {r['amount']} BTK",
                                      lambda service: claim_request(service, holder, token_id),
                                      intro=[f"The learn-to-earn reward of this credential ({r['title']}) goes to "
                                             "your wallet. A credential earns once."],
                                      success=f"{r['amount']} BTK is in your wallet.")
        self.write_flow.succeeded.connect(lambda _records: self.update_state())

    def check(self) -> None:
        if self.cid:
            self.message.hint("Asking the network…")
            job = self.tracker.check(self.cid)
            job.finished.connect(lambda _r: self.message.clear())
            job.failed.connect(lambda exc: self.message.error(describe(exc)))

    # ---- issuer actions -------------------------------------------------------------

    def open_anchor_dialog(self) -> None:
        dialog = AnchorDialog(self.tracker.issuers, self.subject, self)
        dialog.accepted.connect(lambda: self.anchor(dialog.issuer(), dialog.holder(), dialog.embed.isChecked(),
                                                    dialog.reward.isChecked()))
        open_dialog(self, dialog)

    def anchor(self, issuer: str, holder: str, embed: bool, reward: bool = False) -> None:
        cid = self.cid

        def build(service):
            original = CredentialRepository(service.store).original(cid)
            return writes.issue_requests(service, issuer, holder, original, embed=embed,
                                         reward_type="auto" if reward else None)
        flow = start_write(self.tracker.session, self, "Anchor the credential to its holder", build,
                           success="Anchored: the holder's account now holds a token for this credential.")
        flow.succeeded.connect(lambda _records: self.tracker.check(cid))

    def revoke(self) -> None:
        cid = self.cid
        state = self.tracker.states[cid]

        def build(service):
            original = CredentialRepository(service.store).original(cid)
            return writes.revoke_request(service, state.issuer, original=original)
        flow = start_write(self.tracker.session, self, "Revoke the credential on chain", build,
                           intro=["Anyone who checks this credential will see it as revoked on chain. "
                                  "This cannot be undone."],
                           success="Revoked on chain.")
        flow.succeeded.connect(lambda _records: self.tracker.check(cid))


class AnchorDialog(QDialog):
    """Who holds the credential, which issuer account anchors it, and whether the token
    carries the credential itself."""

    def __init__(self, issuers: list[str], subject: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._resolve, self._error_type = parse_address, ChainError
        self.setWindowTitle("Anchor to holder")
        self.setMinimumWidth(520)
        layout = dialog_layout(self, "Anchor to holder", (
            "A soulbound token ties this credential to the holder's account: it cannot be sold or "
            "passed on, and you, the issuer, can revoke it later. The issuance fee is paid in BTK."))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.holder_field = QLineEdit()
        self.holder_field.setPlaceholderText("0x… address or did:pkh:eip155:…")
        if subject.startswith("did:pkh:"):
            self.holder_field.setText(subject)
        self.issuer_box = QComboBox()
        for address in issuers:
            self.issuer_box.addItem(address, address)
        form.addRow("Holder", self.holder_field)
        form.addRow("Issuer account", self.issuer_box)
        layout.addLayout(form)
        self.embed = QCheckBox("Put the credential itself in the token, so the holder's wallet finds it")
        self.embed.setChecked(True)
        layout.addWidget(self.embed)
        note = QLabel("Anything in a token is public: leave this off for credentials with personal details, "
                      "and send the credential to the holder another way.")
        note.setObjectName("radioHint")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.reward = QCheckBox("Let it earn learn-to-earn rewards (declares the credential's type on chain)")
        self.reward.setObjectName("rewardTypeCheck")
        self.reward.setChecked(True)
        layout.addWidget(self.reward)
        self.error = InlineMessage()
        layout.addWidget(self.error)
        self.cancel_button = QPushButton("Cancel")
        self.ok_button = primary(QPushButton("Continue"))
        layout.addLayout(button_row(self.cancel_button, self.ok_button))
        self.cancel_button.clicked.connect(self.reject)
        self.ok_button.clicked.connect(self._check)
        self.holder_field.textChanged.connect(lambda _t: self.error.clear())

    def issuer(self) -> str:
        return self.issuer_box.currentData()

    def holder(self) -> str:
        return self.holder_field.text().strip()

    def _check(self) -> None:
        try:
            self._resolve(self.holder())
        except self._error_type as exc:
            self.error.error(str(exc))
            return
        self.accept()
