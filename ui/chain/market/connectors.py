"""Connectors on the talent market: whoever brought an account earns a share of every gig
it is paid for, for life, out of the fee (never out of the talent's price). This section
shows the chosen account's referrer (or lets it name one, once: it can never change),
the accounts it referred, what it has earned and not yet withdrawn, and Withdraw.

The page reads the figures and sends the writes; this only shows them and asks."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from vault.chain.units import format_units, percent

from ...widgets import InlineMessage, section_title
from ...widgets.labels import text_label


class ConnectorsSection(QFrame):
    register_requested = Signal(str)   # what was typed: an address or a did:pkh (the core checks it)
    withdraw_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("connectorsSection")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.setSpacing(8)
        lay.addWidget(section_title("Connectors"))
        self.how = text_label(name="hintLabel")
        lay.addWidget(self.how)
        self.referrer = text_label(selectable=True)
        self.referrer.setObjectName("connectorReferrer")
        lay.addWidget(self.referrer)

        self.register_row = QWidget()
        reg = QHBoxLayout(self.register_row)
        reg.setContentsMargins(0, 0, 0, 0)
        self.referrer_field = QLineEdit()
        self.referrer_field.setAccessibleName("Your referrer")
        self.referrer_field.setPlaceholderText("Who brought you: address (0x…) or did:pkh")
        self.register_button = QPushButton("Name my referrer…")
        self.register_button.setAutoDefault(False)
        self.register_button.setToolTip("Once only: the referrer you name can never be changed")
        reg.addWidget(self.referrer_field, 1)
        reg.addWidget(self.register_button)
        lay.addWidget(self.register_row)
        self.error = InlineMessage()
        lay.addWidget(self.error)

        self.referred = text_label(selectable=True)
        self.referred.setObjectName("connectorReferred")
        lay.addWidget(self.referred)
        earn = QHBoxLayout()
        self.earnings = text_label()
        self.earnings.setObjectName("connectorEarnings")
        self.withdraw_button = QPushButton("Withdraw earnings…")
        self.withdraw_button.setAutoDefault(False)
        earn.addWidget(self.earnings, 1)
        earn.addWidget(self.withdraw_button)
        lay.addLayout(earn)

        self.register_button.clicked.connect(self._register)
        self.referrer_field.returnPressed.connect(self._register)
        self.referrer_field.textEdited.connect(lambda _t: self.error.clear())
        self.withdraw_button.clicked.connect(self.withdraw_requested)
        self.show_connector(None, None)

    def _register(self) -> None:
        text = self.referrer_field.text().strip()
        if not text:
            self.error.error("Enter the address of who brought you to the marketplace.")
            self.referrer_field.setFocus()
            return
        self.register_requested.emit(text)

    def show_error(self, text: str) -> None:
        self.error.error(text)
        self.referrer_field.setFocus()

    def show_connector(self, info: dict | None, share_bps: int | None) -> None:
        """``info``: the core's ``TalentMarket.connector()`` of the chosen account
        (referrer, referred, earned_wei, withdrawable_wei), or None before the first read."""
        share = f"{percent(share_bps)} of the price" if share_bps is not None else "a share of the price"
        self.how.setText(f"Whoever brought an account to the marketplace earns {share} of every gig it is paid "
                         "for, as client or as talent, for life. It comes out of the client's fee, never out of "
                         "the talent's price.")
        if info is None:
            self.referrer.setText("Your referrer: —")
            self.register_row.hide()
            self.referred.setText("")
            self.earnings.setText("")
            self.withdraw_button.setEnabled(False)
            return
        if info["referrer"]:
            self.referrer.setText(f"Your referrer: {info['referrer']}. It earns on your gigs; this never changes.")
            self.register_row.hide()
            self.error.clear()
        else:
            self.referrer.setText("You have not named a referrer. If someone brought you here, name them: they "
                                  "earn from the fee on your gigs, you pay nothing more. You can do it once.")
            self.register_row.show()
        referred = info["referred"]
        self.referred.setText("You referred nobody yet: share your address, and name it as their referrer."
                              if not referred else
                              f"You referred {len(referred)} account{'s' if len(referred) != 1 else ''}: "
                              + ", ".join(referred))
        earned, due = int(info["earned_wei"]), int(info["withdrawable_wei"])
        self.earnings.setText(f"Earned as a connector: {format_units(earned, 'BTK')}; "
                              f"to withdraw: {format_units(due, 'BTK')}")
        self.withdraw_button.setEnabled(due > 0)
        self.withdraw_button.setToolTip("Send your connector earnings to this account" if due
                                        else "Not possible: nothing to withdraw yet")
