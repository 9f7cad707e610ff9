"""The Marketplace page's dialog: post an offer on the talent market, with optional gates.

It only gathers and checks what the person typed (the core's ``parse_amount``, the gates'
parsers, no chain call); the page then sends it through the one confirm → progress →
result dialog. Opened with ``open_dialog()``, never ``exec()``."""

from __future__ import annotations

from PySide6.QtWidgets import (QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton,
                               QSpinBox, QVBoxLayout, QWidget)

from vault.chain.marketplace import offer_text
from vault.chain.units import parse_amount, percent
from vault.errors import ChainError

from ...widgets import InlineMessage, button_row, page_subtitle, page_title
from ...widgets.layout import primary
from .gates import GateFields

DAY = 86_400
TITLE_MAX = 120


class PostOfferDialog(QDialog):
    """Title, details, budget, delivery window and the gates (who may bid). ``terms``: the
    talent market's terms now (the fee the client pays on top); ``kinds``: the vault's
    anchored credential kinds, for the gate picker."""

    def __init__(self, sender: str, terms: dict | None, chain_id: int | None, kinds: list[dict],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("postOfferDialog")
        self.sender, self.chain_id = sender, chain_id
        self.values: dict | None = None
        self.setWindowTitle("Post an offer")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(page_title("Post an offer"))
        fee = f" ({percent(terms['fee_bps'])} of the price)" if terms else ""
        layout.addWidget(page_subtitle(
            "You are the client: talent bids with a price (at most your budget), a message and perhaps a stake; "
            f"you accept one bid and pay its price into escrow, plus the marketplace fee{fee}. Once the work is "
            "done you release it: the talent receives the whole price."))

        price_row = self._build_fields()
        self.gates = GateFields(kinds, chain_id)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.addRow("Title", self.title)
        form.addRow("Details", self.details)
        form.addRow("Budget", price_row)
        form.addRow("Delivery window", self.window_days)
        form.addRow("Who may bid", self.gates)
        layout.addLayout(form)
        self.error = InlineMessage()
        layout.addWidget(self.error)

        self.cancel_button = QPushButton("Cancel")
        self.post_button = primary(QPushButton("Review and post…"))
        layout.addLayout(button_row(self.cancel_button, self.post_button))
        self.cancel_button.clicked.connect(self.reject)
        self.post_button.clicked.connect(self._on_post)
        for field in (self.title, self.budget, self.gates.issuer, self.gates.credential_type, self.gates.min_stake):
            field.textEdited.connect(lambda _t: self.error.clear())
        self.title.setFocus()

    def _build_fields(self) -> QHBoxLayout:
        """The fields above the gates; returns the budget's row (the field and its unit)."""
        self.title = QLineEdit()
        self.title.setAccessibleName("Title")
        self.title.setMaxLength(TITLE_MAX)
        self.title.setPlaceholderText("e.g. Review my Python course project")
        self.details = QPlainTextEdit()
        self.details.setAccessibleName("Details")
        self.details.setPlaceholderText("Optional: what you need, by when, links to the material")
        self.details.setTabChangesFocus(True)
        self.details.setFixedHeight(self.details.fontMetrics().lineSpacing() * 3 + 18)
        self.budget = QLineEdit()
        self.budget.setAccessibleName("Budget in BTK")
        self.budget.setPlaceholderText("e.g. 250: the most you pay, before the fee")
        price_row = QHBoxLayout()
        price_row.addWidget(self.budget, 1)
        price_row.addWidget(QLabel("BTK"))
        self.window_days = QSpinBox()
        self.window_days.setAccessibleName("Delivery window in days")
        self.window_days.setRange(0, 365)
        self.window_days.setValue(7)
        self.window_days.setSuffix(" days")
        self.window_days.setToolTip("Counted from when you pay into escrow. The talent can refund you at any "
                                    "time; you can take the money back yourself only once this has passed.")
        return price_row

    def _fail(self, text: str, field: QWidget) -> None:
        self.error.error(text)
        field.setFocus()
        height = self.sizeHint().height()      # make room for the message rather than squeeze the fields
        if self.height() < height:
            self.resize(self.width(), height)

    def _on_post(self) -> None:
        """Check everything here, before the network is asked; keep what was typed."""
        title = self.title.text().strip()
        if not title:
            return self._fail("Give the offer a title: it is what people see in the list.", self.title)
        try:
            budget = parse_amount(self.budget.text())
        except ChainError as exc:
            text = self.budget.text().strip()
            return self._fail(f"Budget: {exc}" if text else "Enter the budget in BTK, e.g. 250.", self.budget)
        try:
            gates = self.gates.values()
        except ChainError as exc:
            return self._fail(str(exc), self.gates.field_of(str(exc)))
        self.values = {"budget": budget, "details": offer_text(title, self.details.toPlainText()),
                       "delivery_window": self.window_days.value() * DAY, **gates}
        self.accept()

