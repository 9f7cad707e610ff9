"""The Wallet page: balances and tier, send and tip, receive (a QR of one's address),
and the vault's transaction history with filters.

Everything it knows comes from vault.chain.wallet (holdings, parse_send_amount,
send_request / tip_request, history, entry_matches) and vault.chain.units (parse_address,
parse_amount, the formatters); every write goes
through the one confirm → progress → result dialog (ChainPage.write).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QComboBox, QFormLayout, QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QVBoxLayout, QWidget)

from vault.chain import fees, wallet
from vault.chain.units import format_units, glance_units, parse_address, parse_amount
from vault.errors import ChainError

from ...format import local_time
from ...widgets import InlineMessage, open_dialog, section_title
from ...widgets.labels import repolish, text_label
from ...widgets.layout import primary
from ..local_chain import LocalChainNotice
from ..page import ChainPage
from .delegates import history_table
from .dialogs import ReceiveDialog
from .models import STATUS_FILTERS, STATUS_TEXT, HistoryFilter, HistoryModel, mono, tier_explanation, tier_thresholds

ASSETS = ("BTK", "ETH")
SHOWN_DECIMALS = 6   # of a balance on the cards (the exact figure is in the tooltip)


class WalletPage(ChainPage):
    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, "Wallet",
                         "What you hold, sending and receiving BTK and ETH, and every transaction this "
                         "vault has signed.", parent)
        self.setObjectName("walletPage")
        self.holdings: wallet.Holdings | None = None   # of the chosen account
        self.history_loaded = False
        self.chain_id: int | None = None
        self._recipient: str | None = None      # checksummed, when the To field is valid
        self._amount: int | None = None         # wei, when the Amount field is valid
        self._build_balances()
        self._build_send()
        self._build_history()
        session.pending_changed.connect(lambda _n: self._on_chain_changed())
        self.account_box.currentIndexChanged.connect(self._on_account_changed)
        self._validate()

    def _on_account_changed(self, _index: int) -> None:
        """Another account: its balances are read again (the page re-reads on the
        change); until then the form cannot check amounts against the old ones."""
        self.holdings = None
        self.held_label.setText("")
        for label in (self.btk_value, self.eth_value, self.tier_value):
            label.setText("…")
        self._validate()

    # ---- layout ------------------------------------------------------------------------

    def _stat(self, caption: str, name: str) -> tuple[QFrame, QLabel, QLabel]:
        box = QFrame()
        box.setObjectName("walletStat")
        lay = QVBoxLayout(box)
        lay.setContentsMargins(14, 10, 14, 10)
        lay.setSpacing(2)
        title = QLabel(caption)
        title.setObjectName("walletStatCaption")
        value = text_label("…", name="walletStatValue", wrap=False, selectable=True)
        value.setAccessibleName(caption)
        detail = text_label(name="walletStatDetail")
        lay.addWidget(title)
        lay.addWidget(value)
        lay.addWidget(detail)
        lay.addStretch(1)
        box.setProperty("stat", name)
        return box, value, detail

    def _build_balances(self) -> None:
        head = QHBoxLayout()
        head.addWidget(section_title("Balances"))
        head.addStretch(1)
        self.receive_button = QPushButton("Receive…")
        self.receive_button.setAccessibleName("Receive: show my address and its QR code")
        self.receive_button.setToolTip("Show your address as text and as a QR code, to get paid")
        head.addWidget(self.receive_button)
        self.body.addLayout(head)

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        btk_box, self.btk_value, self.btk_detail = self._stat("BTK", "btk")
        eth_box, self.eth_value, self.eth_detail = self._stat("ETH", "eth")
        tier_box, self.tier_value, self.tier_detail = self._stat("Tier", "tier")
        self.eth_detail.setText("Pays the network fees.")
        btk_box.setToolTip("BTK is the Blocktrack token: you pay, tip, stake and vote with it.")
        eth_box.setToolTip("ETH pays the network fee of every transaction you send.")
        tier_box.setToolTip(tier_thresholds())
        grid.addWidget(btk_box, 0, 0)
        grid.addWidget(eth_box, 0, 1)
        grid.addWidget(tier_box, 0, 2)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        self.body.addLayout(grid)
        self.local_chain = LocalChainNotice()   # where the BTK came from, on the embedded chain
        self.body.addWidget(self.local_chain)
        self.receive_button.clicked.connect(self.show_receive)

    def _build_send(self) -> None:
        self.body.addSpacing(6)
        head = QHBoxLayout()
        head.addWidget(section_title("Send or tip"))
        head.addStretch(1)
        hint = QLabel("You see the amount and the network fee before anything is sent.")
        hint.setObjectName("hintLabel")
        head.addWidget(hint)
        self.body.addLayout(head)
        box = QFrame()
        box.setObjectName("walletSend")
        form = QFormLayout(box)
        form.setContentsMargins(14, 12, 14, 12)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignRight | Qt.AlignVCenter)

        self.to_field = QLineEdit()
        self.to_field.setObjectName("sendTo")
        self.to_field.setAccessibleName("Recipient")
        self.to_field.setPlaceholderText("0x… address, or did:pkh:eip155:1:0x…")
        self.to_field.setFont(mono())
        self.to_message = InlineMessage(reserve=True)
        to_col = QVBoxLayout()
        to_col.setSpacing(4)
        to_col.addWidget(self.to_field)
        to_col.addWidget(self.to_message)
        form.addRow("To", to_col)

        self.amount_field = QLineEdit()
        self.amount_field.setObjectName("sendAmount")
        self.amount_field.setAccessibleName("Amount")
        self.amount_field.setPlaceholderText("e.g. 12.5")
        self.asset_box = QComboBox()
        self.asset_box.setAccessibleName("Asset")
        self.asset_box.addItems(ASSETS)
        self.held_label = QLabel("")
        self.held_label.setObjectName("hintLabel")
        amount_row = QHBoxLayout()
        amount_row.addWidget(self.amount_field, 2)
        amount_row.addWidget(self.asset_box)
        amount_row.addWidget(self.held_label, 3)
        self.amount_message = InlineMessage(reserve=True)
        amount_col = QVBoxLayout()
        amount_col.setSpacing(4)
        amount_col.addLayout(amount_row)
        amount_col.addWidget(self.amount_message)
        form.addRow("Amount", amount_col)

        self.note_field = QLineEdit()
        self.note_field.setObjectName("sendNote")
        self.note_field.setAccessibleName("Note (makes it a tip)")
        self.note_field.setPlaceholderText("Optional: a thank-you note makes this a tip")
        self.note_field.setMaxLength(400)   # the core allows 280: more gets an inline error
        self.note_message = InlineMessage(reserve=True)
        self.send_button = primary(QPushButton("Send…"))
        self.send_button.setObjectName("sendButton")
        self.send_button.setDefault(False)
        self.send_button.setToolTip("Shows what will happen and the network fee; nothing is sent until "
                                    "you confirm there")
        note_row = QHBoxLayout()
        note_row.addWidget(self.note_field, 1)
        note_row.addSpacing(8)
        note_row.addWidget(self.send_button)
        note_col = QVBoxLayout()
        note_col.setSpacing(4)
        note_col.addLayout(note_row)
        note_col.addWidget(self.note_message)
        form.addRow("Note", note_col)
        self.send_message = InlineMessage(transient=True)
        form.addRow(self.send_message)
        self.body.addWidget(box)

        self.to_field.textChanged.connect(self._validate)
        self.amount_field.textChanged.connect(self._validate)
        self.note_field.textChanged.connect(self._validate)
        self.asset_box.currentIndexChanged.connect(self._validate)
        for field in (self.to_field, self.amount_field, self.note_field):
            field.returnPressed.connect(self.send)
        self.send_button.clicked.connect(self.send)

    def _build_history(self) -> None:
        self.body.addSpacing(6)
        head = QHBoxLayout()
        head.addWidget(section_title("History"))
        head.addStretch(1)
        self.history_count = QLabel("")
        self.history_count.setObjectName("hintLabel")
        head.addWidget(self.history_count)
        self.body.addLayout(head)

        filters = QHBoxLayout()
        filters.setSpacing(8)
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Filter by status")
        for text, value in STATUS_FILTERS:
            self.status_filter.addItem(text, value)
        self.kind_filter = QComboBox()
        self.kind_filter.setAccessibleName("Filter by kind")
        self.kind_filter.addItem("All kinds", None)
        for value, text in wallet.GROUPS:
            self.kind_filter.addItem(text, value)
        self.search_field = QLineEdit()
        self.search_field.setObjectName("historySearch")
        self.search_field.setAccessibleName("Search the history")
        self.search_field.setPlaceholderText("Search: words, an address, a hash…")
        self.search_field.setClearButtonEnabled(True)
        filters.addWidget(self.status_filter)
        filters.addWidget(self.kind_filter)
        filters.addWidget(self.search_field, 1)
        self.body.addLayout(filters)

        self.history_model = HistoryModel(self)
        self.history_proxy = HistoryFilter(self)
        self.history_proxy.setSourceModel(self.history_model)
        self.history_table = history_table(self.history_proxy)
        self.body.addWidget(self.history_table)
        self.history_empty = text_label(name="hintLabel")
        self.history_empty.hide()
        self.body.addWidget(self.history_empty)

        self.detail = QFrame()
        self.detail.setObjectName("walletDetail")
        d = QVBoxLayout(self.detail)
        d.setContentsMargins(12, 10, 12, 10)
        d.setSpacing(4)
        self.detail_title = text_label(name="walletDetailTitle", plain=True, selectable=True)
        self.detail_text = text_label(name="walletDetailText", plain=True)
        self.detail_text.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        hash_row = QHBoxLayout()
        self.detail_hash = QLabel("")
        self.detail_hash.setObjectName("walletDetailHash")
        self.detail_hash.setFont(mono())
        self.detail_hash.setAccessibleName("Transaction hash")
        self.detail_hash.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.copy_hash_button = QPushButton("Copy hash")
        self.copy_hash_button.setToolTip("Copy the transaction hash, to look it up in a block explorer")
        hash_row.addWidget(self.detail_hash, 1)
        hash_row.addWidget(self.copy_hash_button)
        d.addWidget(self.detail_title)
        d.addWidget(self.detail_text)
        d.addLayout(hash_row)
        self.detail.hide()
        self.body.addWidget(self.detail)
        self.body.addStretch(1)

        self.status_filter.currentIndexChanged.connect(self._apply_filters)
        self.kind_filter.currentIndexChanged.connect(self._apply_filters)
        self.search_field.textChanged.connect(self._apply_filters)
        self.history_table.selectionModel().selectionChanged.connect(lambda *_: self._show_detail())
        self.copy_hash_button.clicked.connect(self.copy_hash)

    # ---- reading -----------------------------------------------------------------------

    def refresh(self) -> None:
        self.read(wallet.holdings, self.account, done=self._on_holdings)
        job = self.session.run_service(lambda service: wallet.history(service.store))
        job.finished.connect(self._on_history)
        job.failed.connect(self._on_read_failed)

    def _on_holdings(self, h: wallet.Holdings) -> None:
        if h.address != self.account:   # the account was changed meanwhile
            return
        self.holdings, self.chain_id = h, h.chain_id
        self.local_chain.show_for(self.session.is_embedded)
        self._set_amount(self.btk_value, h.btk, "BTK")
        self.btk_detail.setText(f"plus {format_units(h.staked, 'BTK')} staked"
                                if h.staked else "None staked.")
        self._set_amount(self.eth_value, h.eth, "ETH")
        self.tier_value.setText(wallet.TIER_NAMES.get(h.tier, h.tier))
        self.tier_value.setProperty("tier", h.tier)
        repolish(self.tier_value)
        self.tier_detail.setText(tier_explanation(h.tier, h.next_tier, h.to_next_tier))
        self._validate()

    @staticmethod
    def _set_amount(label: QLabel, wei: int, unit: str) -> None:
        """A balance in a few digits (≈ when rounded down), the exact figure on hover."""
        exact = format_units(wei, unit)
        label.setText(glance_units(wei, unit, SHOWN_DECIMALS))
        label.setToolTip(f"Exactly {exact}")
        label.setAccessibleDescription(exact)

    def _on_history(self, entries: list[dict]) -> None:
        selected = self.selected_entry()
        self.history_loaded = True
        self.history_model.set_rows(entries)
        if selected is not None:
            row = next((i for i, e in enumerate(entries) if e["hash"] == selected["hash"]), -1)
            if row >= 0:
                index = self.history_proxy.mapFromSource(self.history_model.index(row, 0))
                if index.isValid():
                    self.history_table.selectRow(index.row())
        self._apply_filters()

    # ---- send --------------------------------------------------------------------------

    @property
    def asset(self) -> str:
        return self.asset_box.currentText()

    def _validate(self, *_args) -> None:
        """Check the form as it is typed: each field's problem under it; Send only when
        everything is right."""
        self._recipient = self._amount = None
        text = self.to_field.text().strip()
        if not text:
            self.to_message.clear()
        else:
            try:
                self._recipient = parse_address(text, self.chain_id)
            except ChainError as exc:
                self.to_message.error(str(exc))
            else:
                if self._recipient == self.account:
                    self.to_message.warning("This is your own account: sending to it only costs the fee.")
                elif text.startswith("did:"):
                    self.to_message.hint(f"Sends to the account {self._recipient}.")
                else:
                    self.to_message.clear()

        held = None
        if self.holdings is not None:
            held = self.holdings.btk if self.asset == "BTK" else self.holdings.eth
            self.held_label.setText(f"You hold {format_units(held, self.asset)}")
        amount = self.amount_field.text().strip()
        if not amount:
            self.amount_message.clear()
        else:
            try:
                self._amount = (parse_amount(amount) if held is None
                                else wallet.parse_send_amount(amount, held, self.asset))
            except ChainError as exc:
                self.amount_message.error(str(exc))
            else:
                self.amount_message.clear()

        note = self.note_field.text().strip()
        note_ok = len(note) <= 280
        if note_ok:
            self.note_message.clear()
        else:
            self.note_message.error(f"A tip's note is at most 280 characters; this one has {len(note)}.")

        ready = (self._recipient is not None and self._amount is not None and note_ok
                 and self.holdings is not None)
        self.send_button.setEnabled(ready)
        self.send_button.setText(f"Tip {self.asset}…" if note else f"Send {self.asset}…")

    def send(self) -> None:
        """Open the confirmation dialog for what the form says (when it is valid)."""
        self._validate()
        if not self.send_button.isEnabled():
            return
        sender, to, amount, asset = self.account, self._recipient, self._amount, self.asset
        note = self.note_field.text().strip()
        self.send_message.clear()
        if note:
            flow = self.write(f"Tip in {asset}",
                              lambda service: wallet.tip_request(service, sender, to, amount, note, asset),
                              intro=["A tip is a send with a note. The note stays in your vault's history; "
                                     "it is not written on the chain."],
                              success=f"Tipped {format_units(amount, asset)}.")
        else:
            flow = self.write(f"Send {asset}",
                              lambda service: wallet.send_request(service, sender, to, amount, asset),
                              success=f"Sent {format_units(amount, asset)}.")
        if flow is not None:
            flow.succeeded.connect(lambda _records: self._on_sent(amount, asset, to))

    def _on_sent(self, amount: int, asset: str, to: str) -> None:
        self.amount_field.clear()
        self.note_field.clear()
        self.send_message.success(f"Sent {format_units(amount, asset)} to {to}.")

    # ---- receive -----------------------------------------------------------------------

    def show_receive(self) -> None:
        dialog = ReceiveDialog(self.account, self.session.network_name, self)
        dialog.copied.connect(self.message)
        open_dialog(self, dialog, delete_on_close=True)

    # ---- history -----------------------------------------------------------------------

    def _apply_filters(self, *_args) -> None:
        self.history_proxy.set_filters(status=self.status_filter.currentData(),
                                       group=self.kind_filter.currentData(),
                                       text=self.search_field.text())
        if not self.history_loaded:
            return
        shown, total = self.history_proxy.rowCount(), self.history_model.rowCount()
        self.history_count.setText(f"{shown} of {total} transactions" if shown != total
                                   else f"{total} transaction{'s' if total != 1 else ''}")
        if total == 0:
            self.history_empty.setText("No transactions yet. What you send, stake, vote or pay from this "
                                       "vault shows here.")
        elif shown == 0:
            self.history_empty.setText("No transaction matches these filters.")
        else:
            self.history_empty.setText("")
        self.history_empty.setVisible(shown == 0)
        self._show_detail()

    def selected_entry(self) -> dict | None:
        index = self.history_table.currentIndex()
        if not index.isValid() or not self.history_table.selectionModel().isRowSelected(index.row(), QModelIndex()):
            return None
        return index.data(HistoryModel.EntryRole)

    def _show_detail(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            self.detail.hide()
            return
        self.detail_title.setText(entry["summary"])
        lines = []
        status = STATUS_TEXT.get(entry["status"], entry["status"])
        where = f"in block {entry['block']:,}" if entry.get("block") is not None else "not mined yet"
        lines.append(f"{status}, {where}, on {entry['network']} — sent {local_time(entry['created_at'])}")
        if entry.get("fee") is not None:
            lines.append(f"Network fee: {fees.eth(int(entry['fee']))}")
        if entry.get("note"):
            lines.append(f"Note: {entry['note']}")
        lines += [f"• {t}" for t in entry.get("events_text", [])]
        if entry.get("error"):
            lines.append(f"Why it failed: {entry['error']}")
        if entry["status"] == "pending":
            lines.append("Not mined yet: it is checked again automatically, also after a restart. "
                         "Do not send it twice.")
        self.detail_text.setText("\n".join(lines))
        self.detail_hash.setText(entry["hash"])
        self.detail.show()

    def copy_hash(self) -> None:
        entry = self.selected_entry()
        if entry is not None:
            QGuiApplication.clipboard().setText(entry["hash"])   # a hash is no secret
            self.message.emit("Transaction hash copied to the clipboard.")

    def drop_vault_data(self) -> None:
        super().drop_vault_data()
        self.history_model.set_rows([])
        self.holdings = None
