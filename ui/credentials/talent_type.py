"""On a credential's soulbound panel, for the vault's account that anchored it: declare its
type on the talent market, so that offers asking for this kind of credential from this
issuer accept its holder's bids (TalentMarket.setCredentialType, once per token).

SoulboundCredential keeps no type, and the market names a token by its id, which exists
only once the anchoring is mined: so this is a step of its own, under the anchor state,
where the issuer just anchored. The write is the core's plan (``declare_type_plan``) in the
one confirm dialog; the contract checks again that the sender is the token's issuer."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QPushButton, QWidget

from vault.errors import ChainError
from vault.safe_text import safe_text

from ..widgets import InlineMessage, button_row
from ..widgets.labels import text_label
from ..widgets.layout import dialog_layout, open_dialog, primary


def talent_type_state(chain, store, cid: str, token_id: int) -> dict | None:  # chain thread
    """{"declared": 0x hash or None, "label": it in words, "types": the credential's own
    types (most specific last)}; None when this network has no talent market."""
    # start-up: vault.chain.talent ~890 ms (web3), on the chain thread only
    from vault.chain.talent import TalentMarket, type_label
    from vault.credentials.repository import CredentialRepository

    try:
        market = TalentMarket(chain)
    except ChainError as exc:
        if exc.reason == "not-deployed":
            return None
        raise
    types = [t for t in CredentialRepository(store).get(cid).types if t != "VerifiableCredential"]
    declared = market.declared_type(token_id)
    return {"declared": declared, "label": type_label(declared, types) if declared else None, "types": types}


class TalentTypeRow(QWidget):
    """"Talent market: declared as X", or not yet and the button to declare it. Shown only
    to the issuer of a valid anchored credential, on a network with the talent market."""

    def __init__(self, tracker, parent: QWidget | None = None):
        super().__init__(parent)
        self.tracker = tracker
        self.cid: str | None = None
        self.state = None          # the credential's AnchorState
        self.info: dict | None = None
        self.dialog = None
        self.write_flow = None
        self._asked = 0
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = text_label(name="talentTypeState")   # the types are the credential issuer's words
        self.declare_button = QPushButton("Declare for the talent market…")
        self.declare_button.setObjectName("declareTalentTypeButton")
        self.declare_button.setToolTip("As its issuer: say once, on chain, what kind of credential this token is, "
                                       "so that offers asking for that kind accept its holder")
        row.addWidget(self.label, 1)
        row.addWidget(self.declare_button)
        self.declare_button.clicked.connect(self.open_dialog)
        self.hide()

    def show_for(self, cid: str | None, state, issuers: list[str]) -> None:
        """Read the declared type of ``state``'s token when a vault account issued it."""
        self._asked += 1
        self.cid, self.state, self.info = cid, state, None
        mine = state is not None and not state.revoked and state.issuer.lower() in {a.lower() for a in issuers}
        if not mine or self.tracker.session.state != "connected":
            self.hide()
            return
        asked = self._asked   # an older answer arriving late is dropped
        job = self.tracker.session.run(talent_type_state, self.tracker.store, cid, state.token_id)
        job.finished.connect(lambda info: self._on_info(asked, info))
        job.failed.connect(lambda exc: self._on_info(asked, None))

    def _on_info(self, asked: int, info: dict | None) -> None:
        if asked != self._asked:
            return
        self.info = info
        self.setVisible(info is not None)
        if info is None:
            return
        if info["declared"]:
            self.label.setText(f"Talent market: declared as {info['label']}; offers asking for that kind of "
                               "credential from you accept its holder.")
        else:
            self.label.setText("Talent market: its type is not declared yet, so offers asking for a kind of "
                               "credential from you do not count it. Declare it once.")
        self.declare_button.setVisible(not info["declared"])

    def open_dialog(self) -> None:
        if self.info is None or self.info["declared"]:
            return
        self.dialog = DeclareTypeDialog(self.info["types"], self)
        dialog = self.dialog
        dialog.accepted.connect(lambda: self.declare(dialog.type_name()))
        open_dialog(self, dialog)

    def declare(self, type_name: str) -> None:
        """The plan: the core checks the sender issued the token and that no type is set."""
        # start-up: vault.chain.talent ~890 ms, ui.chain.write ~250 ms; paid on the first declaration
        from vault.chain.talent import TalentMarket

        from ..chain.write import start_write

        if self.state is None:
            return
        cid, issuer, token_id = self.cid, self.state.issuer, self.state.token_id
        flow = start_write(
            self.tracker.session, self, "Declare the credential's type",
            lambda service: TalentMarket(service.chain).declare_type_plan(service, issuer, token_id, type_name),
            intro=[f"Token #{token_id} is declared as {type_name} on the talent market, for good: a declared "
                   "type never changes."],
            success="Declared: offers asking for this kind of credential from you accept its holder.")
        flow.succeeded.connect(lambda _records: self.show_for(cid, self.state, self.tracker.issuers))


class DeclareTypeDialog(QDialog):
    """Which type to declare: the credential's own types offered (its most specific one
    first, the name offers usually ask for), or another name typed."""

    def __init__(self, types: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Declare for the talent market")
        self.setMinimumWidth(480)
        layout = dialog_layout(self, "Declare for the talent market", (
            "An offer on the talent market may ask bidders for a credential of a given type from a given issuer. "
            "Say which type this token is: its holder can then bid on such offers. It is public and never "
            "changes."))
        self.type_box = QComboBox()
        self.type_box.setEditable(True)
        self.type_box.setAccessibleName("Credential type")
        for name in reversed(types):   # the most specific type first
            self.type_box.addItem(safe_text(name), name)
        layout.addWidget(self.type_box)
        self.error = InlineMessage()
        layout.addWidget(self.error)
        self.cancel_button = QPushButton("Cancel")
        self.ok_button = primary(QPushButton("Continue"))
        layout.addLayout(button_row(self.cancel_button, self.ok_button))
        self.cancel_button.clicked.connect(self.reject)
        self.ok_button.clicked.connect(self._check)

    def type_name(self) -> str:
        index = self.type_box.currentIndex()
        typed = self.type_box.currentText().strip()
        if index >= 0 and self.type_box.itemText(index) == self.type_box.currentText():
            return self.type_box.itemData(index)     # the credential's own name, not its display
        return typed

    def _check(self) -> None:
        # start-up: vault.chain.talent ~890 ms (as above)
        from vault.chain.talent import credential_type_hash

        try:
            credential_type_hash(self.type_name())
        except ChainError as exc:
            self.error.error(str(exc))
            return
        self.accept()
