"""The talent's bid on an offer: the price asked (at most the budget), an optional stake
that puts the bid ahead of others (returned if another bid wins, kept as a delivery bond
until release if it wins) and a short message to the client.

The offer's gates were checked before this opens (the core's check, on the chain): when
something is missing, the dialog says what and how to get it (which issuer to ask for
which credential, how much more to stake) and offers no Bid button at all: the bid would
only be refused by the contract. Opened with ``open_dialog()``, never ``exec()``."""

from __future__ import annotations

from PySide6.QtWidgets import (QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton,
                               QVBoxLayout, QWidget)

from vault.chain.talent import Offer
from vault.chain.units import format_units, parse_amount
from vault.errors import ChainError

from ...widgets import InlineMessage, button_row, page_subtitle, page_title
from ...widgets.labels import text_label
from ...widgets.layout import primary

MESSAGE_MAX = 280   # a short note: the client reads many


class BidDialog(QDialog):
    """``offer``: the core's talent.Offer; ``missing``: the core's
    sentences for each unmet gate ([] when the account may bid); ``held``: the account's
    BTK (to say so before a stake it cannot cover)."""

    def __init__(self, offer: Offer, title: str, missing: list[str], held: int | None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("bidDialog")
        self.offer, self.held = offer, held
        self.values: dict | None = None
        self.setWindowTitle("Bid on an offer")
        self.setMinimumWidth(560)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 20, 24, 20)
        lay.setSpacing(10)
        lay.addWidget(page_title("Bid on an offer"))
        self.offer_title = text_label(f"#{offer.id} · {title}", name="sectionTitle")   # the client's words
        lay.addWidget(self.offer_title)
        budget = format_units(offer.budget, "BTK")
        lay.addWidget(page_subtitle(
            f"The client's budget is {budget}. You receive the whole price you ask: the client pays the "
            "marketplace fee on top. A stake puts your bid ahead of others; it comes back to you if another "
            "bid wins, and if yours wins it is a bond returned when you are paid."))

        self.gates = InlineMessage()
        lay.addWidget(self.gates)
        self.form_box = QWidget()
        form = QFormLayout(self.form_box)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.price = QLineEdit(format_units(offer.budget, "BTK").removesuffix(" BTK"))
        self.price.setAccessibleName("Your price in BTK")
        self.stake = QLineEdit()
        self.stake.setAccessibleName("Stake in BTK")
        self.stake.setPlaceholderText("Optional, e.g. 50")
        self.message = QPlainTextEdit()
        self.message.setAccessibleName("Message to the client")
        self.message.setPlaceholderText("Why you: what you have done like it, when you can deliver")
        self.message.setTabChangesFocus(True)
        self.message.setFixedHeight(self.message.fontMetrics().lineSpacing() * 3 + 18)
        form.addRow("Your price", self._unit_row(self.price))
        form.addRow("Stake", self._unit_row(self.stake))
        form.addRow("Message", self.message)
        lay.addWidget(self.form_box)
        self.error = InlineMessage()
        lay.addWidget(self.error)

        self.cancel_button = QPushButton("Cancel")
        self.bid_button = primary(QPushButton("Review and bid…"))
        lay.addLayout(button_row(self.cancel_button, self.bid_button))
        self.cancel_button.clicked.connect(self.reject)
        self.bid_button.clicked.connect(self._on_bid)
        for field in (self.price, self.stake):
            field.textEdited.connect(lambda _t: self.error.clear())
        self.show_gates(missing)

    @staticmethod
    def _unit_row(field: QLineEdit) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(field, 1)
        row.addWidget(QLabel("BTK"))
        return row

    def show_gates(self, missing: list[str]) -> None:
        """Unmet gates: say each, and offer no way to send a bid the contract refuses."""
        self.missing = list(missing)
        if missing:
            self.gates.warning("You cannot bid on this offer yet:\n• " + "\n• ".join(missing))
        else:
            self.gates.clear()
        self.form_box.setVisible(not missing)
        self.bid_button.setVisible(not missing)
        self.cancel_button.setText("Close" if missing else "Cancel")
        if not missing:
            self.price.setFocus()

    def _fail(self, text: str, field: QWidget) -> None:
        self.error.error(text)
        field.setFocus()

    def _on_bid(self) -> None:
        """Check what was typed before the network is asked; keep it on a mistake."""
        if self.missing:
            return
        try:
            price = parse_amount(self.price.text())
        except ChainError as exc:
            return self._fail(f"Price: {exc}" if self.price.text().strip() else
                              "Enter your price in BTK.", self.price)
        if price > self.offer.budget:
            return self._fail(f"Price: at most the client's budget, "
                              f"{format_units(self.offer.budget, 'BTK')}.", self.price)
        try:
            stake = parse_amount(self.stake.text(), allow_zero=True) if self.stake.text().strip() else 0
        except ChainError as exc:
            return self._fail(f"Stake: {exc}", self.stake)
        if self.held is not None and stake > self.held:
            return self._fail(f"Stake: you hold {format_units(self.held, 'BTK')}; stake less, or receive more BTK "
                              "first (Wallet → Receive).", self.stake)
        message = self.message.toPlainText().strip()
        if len(message) > MESSAGE_MAX:
            return self._fail(f"Message: at most {MESSAGE_MAX} characters ({len(message)} now).", self.message)
        self.values = {"price": price, "stake": stake, "message": message}
        self.accept()
