"""The optional gates of a new talent-market offer: who may bid. A bidder may have to hold
a valid soulbound credential (its issuer's address and its credential type) and/or have
at least some BTK staked; the contract checks both at bid time.

The credential is picked from the vault's own anchored credentials (their on-chain issuer
and types: ``choices``), or typed. This gathers and checks what was typed (the core's
parsers); ``values()`` raises a ChainError naming the field."""

from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout,
                               QWidget)

from vault.chain.units import parse_address, parse_amount
from vault.errors import ChainError
from vault.safe_text import safe_text

from ...format import short_address
from ...widgets.labels import text_label

TYPED = "typed"   # the picker's last entry: type the issuer and the type


class GateFields(QWidget):
    """Two optional gates. ``choices``: [{"issuer", "type", "title"}] from the vault's own
    anchored credentials (the issuer is the account that anchored it on chain)."""

    def __init__(self, choices: list[dict], chain_id: int | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.chain_id = chain_id
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        self.need_credential = QCheckBox("Bidders must hold a credential")
        self.need_credential.setObjectName("gateCredential")
        lay.addWidget(self.need_credential)

        self.credential_box = QWidget()
        form = QFormLayout(self.credential_box)
        form.setContentsMargins(24, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.picker = QComboBox()
        self.picker.setAccessibleName("Credential from your vault")
        for choice in choices:
            # a credential's title and type are its issuer's words
            label = safe_text(f"{choice['type']} from {short_address(choice['issuer'])} · {choice['title']}")
            self.picker.addItem(label, choice)
        self.picker.addItem("Another: type the issuer and the credential type", TYPED)
        self.issuer = QLineEdit()
        self.issuer.setAccessibleName("Issuer address")
        self.issuer.setPlaceholderText("The issuer's address on chain (0x…) or did:pkh")
        self.credential_type = QLineEdit()
        self.credential_type.setAccessibleName("Credential type")
        self.credential_type.setPlaceholderText("e.g. PythonDeveloperCredential")
        form.addRow("Like", self.picker)
        form.addRow("Issuer", self.issuer)
        form.addRow("Type", self.credential_type)
        lay.addWidget(self.credential_box)
        self.hint = text_label(name="hintLabel")
        self.hint.setText("Pick one of your own anchored credentials to require the same kind: same issuer, same "
                          "type. A bidder without it is refused and told which issuer to ask." if choices else
                          "None of your credentials is anchored on this network: type the issuer and the type.")
        form.addRow("", self.hint)

        stake_row = QHBoxLayout()
        self.need_stake = QCheckBox("Bidders must have staked at least")
        self.need_stake.setObjectName("gateStake")
        self.min_stake = QLineEdit()
        self.min_stake.setAccessibleName("Minimum stake in BTK")
        self.min_stake.setPlaceholderText("e.g. 100")
        stake_row.addWidget(self.need_stake)
        stake_row.addWidget(self.min_stake, 1)
        stake_row.addWidget(QLabel("BTK"))
        lay.addLayout(stake_row)

        self.need_credential.toggled.connect(self._show)
        self.need_stake.toggled.connect(self._show)
        self.picker.currentIndexChanged.connect(self._picked)
        self._picked()
        self._show()

    def _show(self) -> None:
        self.credential_box.setVisible(self.need_credential.isChecked())
        self.min_stake.setEnabled(self.need_stake.isChecked())

    def _picked(self) -> None:
        choice = self.picker.currentData()
        typed = choice == TYPED
        self.issuer.setReadOnly(not typed)
        self.credential_type.setReadOnly(not typed)
        if not typed:
            self.issuer.setText(choice["issuer"])
            self.credential_type.setText(choice["type"])
        else:
            self.issuer.clear()
            self.credential_type.clear()

    def values(self) -> dict:
        """{"issuer": address | None, "credential_type": str | None, "min_stake": wei};
        a ChainError whose message starts with the field's name."""
        issuer = credential_type = None
        if self.need_credential.isChecked():
            try:
                issuer = parse_address(self.issuer.text(), self.chain_id)
            except ChainError as exc:
                raise ChainError(exc.reason, f"Issuer: {exc}") from None
            credential_type = self.credential_type.text().strip()
            if not credential_type:
                raise ChainError("invalid-argument", "Credential type: enter the type the bidder's credential must "
                                                     "have, e.g. PythonDeveloperCredential.")
        min_stake = 0
        if self.need_stake.isChecked():
            try:
                min_stake = parse_amount(self.min_stake.text())
            except ChainError as exc:
                text = self.min_stake.text().strip()
                raise ChainError(exc.reason, f"Minimum stake: {exc}" if text else
                                 "Minimum stake: enter an amount of BTK, e.g. 100.") from None
        return {"issuer": issuer, "credential_type": credential_type, "min_stake": min_stake}

    def field_of(self, message: str) -> QWidget:
        """The field a ``values()`` error names (to focus it)."""
        if message.startswith("Issuer"):
            return self.issuer
        if message.startswith("Credential type"):
            return self.credential_type
        return self.min_stake
