"""The Marketplace page's dialog: post a gig or a mentoring offer.

It only gathers and checks what the person typed (the core's ``check_post`` and
``parse_amount``, no chain call); the page then sends it through the one confirm →
progress → result dialog. Opened with ``open_dialog()``, never ``exec()``."""

from __future__ import annotations

from PySide6.QtWidgets import (QButtonGroup, QDialog, QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QPlainTextEdit, QPushButton, QRadioButton, QSpinBox, QVBoxLayout,
                               QWidget)

from vault.chain.marketplace import MAX_REFERRAL_BPS, check_post, offer_text
from vault.chain.units import parse_amount, percent
from vault.errors import ChainError

from ...widgets import InlineMessage, button_row, page_subtitle, page_title
from ...widgets.layout import primary

DAY = 86_400
KIND_CHOICES = (
    ("gig", "Gig", "A piece of work: a review, a translation, a design…"),
    ("mentoring", "Mentoring", "Time with someone who knows: a session, advice on a project…"),
)
TITLE_MAX = 120



class PostOfferDialog(QDialog):
    """Kind, title, details, price, delivery window and an optional referrer with a cut."""

    def __init__(self, sender: str, fee_bps: int | None, chain_id: int | None, parent: QWidget | None = None):
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
        fee = f"{percent(fee_bps)} " if fee_bps is not None else ""
        layout.addWidget(page_subtitle(
            "You are the client: someone accepts your offer, you pay the price into escrow, and "
            f"once the work is done you release it. The talent gets the price minus the marketplace "
            f"fee ({fee}to the DAO treasury) and the referrer's cut, if any."))

        kinds = self._kind_row()
        price_row = self._build_fields()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.addRow("Kind", kinds)
        form.addRow("", self.kind_hint)
        form.addRow("Title", self.title)
        form.addRow("Details", self.details)
        form.addRow("Price", price_row)
        form.addRow("Delivery window", self.window_days)
        form.addRow("Referrer", self.referrer)
        form.addRow("Referrer's cut", self.referral)
        layout.addLayout(form)
        self.error = InlineMessage()
        layout.addWidget(self.error)

        self.cancel_button = QPushButton("Cancel")
        self.post_button = primary(QPushButton("Review and post…"))
        layout.addLayout(button_row(self.cancel_button, self.post_button))
        self.cancel_button.clicked.connect(self.reject)
        self.post_button.clicked.connect(self._on_post)
        for field in (self.title, self.price, self.referrer):
            field.textEdited.connect(lambda _t: self.error.clear())
        self.title.setFocus()

    def _kind_row(self) -> QHBoxLayout:
        kinds = QHBoxLayout()
        self.kind_group = QButtonGroup(self)
        self.kind_buttons: dict[str, QRadioButton] = {}
        for i, (kind, title, hint) in enumerate(KIND_CHOICES):
            button = QRadioButton(title)
            button.setObjectName(f"kind_{kind}")
            button.setToolTip(hint)
            self.kind_group.addButton(button, i)
            self.kind_buttons[kind] = button
            kinds.addWidget(button)
        kinds.addStretch(1)
        self.kind_buttons["gig"].setChecked(True)
        self.kind_hint = QLabel(KIND_CHOICES[0][2])
        self.kind_hint.setObjectName("hintLabel")
        self.kind_group.idClicked.connect(lambda i: self.kind_hint.setText(KIND_CHOICES[i][2]))
        return kinds

    def _build_fields(self) -> QHBoxLayout:
        """The fields below the kind; returns the price's row (the field and its unit)."""
        self.title = QLineEdit()
        self.title.setAccessibleName("Title")
        self.title.setMaxLength(TITLE_MAX)
        self.title.setPlaceholderText("e.g. Review my Python course project")
        self.details = QPlainTextEdit()
        self.details.setAccessibleName("Details")
        self.details.setPlaceholderText("Optional: what you need, by when, links to the material")
        self.details.setTabChangesFocus(True)
        self.details.setFixedHeight(self.details.fontMetrics().lineSpacing() * 3 + 18)
        self.price = QLineEdit()
        self.price.setAccessibleName("Price in BTK")
        self.price.setPlaceholderText("e.g. 250")
        price_row = QHBoxLayout()
        price_row.addWidget(self.price, 1)
        price_row.addWidget(QLabel("BTK"))
        self.window_days = QSpinBox()
        self.window_days.setAccessibleName("Delivery window in days")
        self.window_days.setRange(0, 365)
        self.window_days.setValue(7)
        self.window_days.setSuffix(" days")
        self.window_days.setToolTip("Counted from when you pay into escrow. The talent can refund you at any "
                                    "time; you can take the money back yourself only once this has passed.")
        self.referrer = QLineEdit()
        self.referrer.setAccessibleName("Referrer")
        self.referrer.setPlaceholderText("Optional: address (0x…) or did:pkh of who introduced the talent")
        self.referral = QDoubleSpinBox()
        self.referral.setAccessibleName("Referral cut in percent")
        self.referral.setRange(0, MAX_REFERRAL_BPS / 100)
        self.referral.setDecimals(2)
        self.referral.setSingleStep(0.5)
        self.referral.setSuffix(" %")
        self.referral.setToolTip(f"The referrer's share of the price, paid on release (at most "
                                 f"{percent(MAX_REFERRAL_BPS)}).")
        return price_row

    def kind(self) -> str:
        return KIND_CHOICES[self.kind_group.checkedId()][0]

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
            price = parse_amount(self.price.text())
        except ChainError as exc:
            text = self.price.text().strip()
            return self._fail(f"Price: {exc}" if text else "Enter the price in BTK, e.g. 250.", self.price)
        bps = round(self.referral.value() * 100)
        try:
            connector = check_post(self.sender, kind=self.kind(), price=price, connector=self.referrer.text(),
                                   referral_bps=bps, delivery_window=self.window_days.value() * DAY,
                                   chain_id=self.chain_id)
        except ChainError as exc:
            return self._fail(f"Referrer: {exc}", self.referrer)
        self.values = {"kind": self.kind(), "price": price, "details": offer_text(title, self.details.toPlainText()),
                       "connector": connector, "referral_bps": bps if connector else 0,
                       "delivery_window": self.window_days.value() * DAY}
        self.accept()
