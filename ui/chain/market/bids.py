"""The bids on a talent-market offer, for its client: who bid, the price asked, the stake
behind the bid, the bidder's reputation and their message (anyone's words: plain text),
in the core's order (stake first, then reputation). The client accepts the selected bid;
a bidder withdraws their own."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QPushButton, QTableView, QVBoxLayout, QWidget

from vault.chain.talent import Bid
from vault.chain.units import format_units
from vault.safe_text import safe_text

from ...format import short_address
from ...widgets import section_title
from ...widgets.labels import plain_tip, text_label
from ...widgets.table_model import Index, ListTableModel
from ...widgets.tables import configure_list_table, rows_height

# The core's bid statuses (vault.chain.talent.log) in words.
BID_STATUS = {"active": "Open", "accepted": "Accepted", "withdrawn": "Withdrawn", "released": "Stake returned",
              "bond returned": "Bond returned"}


def reputation_text(bid: Bid) -> str:
    """The core's reputation for now: gigs completed as talent (either marketplace)."""
    n = int(bid.reputation.get("completed", 0))
    return "new" if n == 0 else f"{n} gig{'s' if n != 1 else ''} done"


class BidTableModel(ListTableModel):
    BIDDER, PRICE, STAKE, REPUTATION, MESSAGE, STATUS = range(6)
    HEADERS = ("Bidder", "Price", "Stake", "Reputation", "Message", "Status")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.account = ""

    def set_bids(self, bids: list[Bid], account: str) -> None:
        self.account = account
        self.set_rows(bids)

    def data(self, index: Index, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        b, column = self.rows[index.row()], index.column()
        if role == Qt.DisplayRole:
            mine = b.bidder.lower() == self.account.lower()
            message = safe_text((b.message or "").strip().replace("\n", " "))   # anyone's words
            stake = b.stake
            return ("You" if mine else short_address(b.bidder, 6, 4),
                    format_units(b.price, "BTK"),
                    format_units(stake, "BTK") if stake else "none",
                    reputation_text(b), message, BID_STATUS.get(b.status, b.status))[column]
        if role == Qt.ToolTipRole:
            if column == self.MESSAGE:
                return plain_tip(b.message or "")
            if column == self.BIDDER:
                return b.bidder
            if column == self.STAKE:
                return "BTK locked behind this bid: returned if another bid wins; kept as a delivery bond if it wins"
        if role == Qt.TextAlignmentRole and column in (self.PRICE, self.STAKE):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None


class BidsSection(QWidget):
    """The bids list with Accept (the client) and Withdraw (the bidder's own bid). The
    page decides what each button does; this says which bid is selected and enables each
    button for the selected bid exactly when ``can(action, bid)`` is None (else its reason
    is the tooltip)."""

    accept_requested = Signal(object)   # the talent.Bid
    withdraw_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.can = lambda action, bid: "select a bid first"
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        lay.addWidget(section_title("Bids"))
        self.summary = text_label(name="hintLabel")
        lay.addWidget(self.summary)
        self.model = BidTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("bidTable")
        self.table.setAccessibleName("Bids")
        self.table.setModel(self.model)
        configure_list_table(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(BidTableModel.MESSAGE, QHeaderView.Stretch)
        self._fit(0)
        lay.addWidget(self.table)
        self.buttons = QWidget()
        row = QHBoxLayout(self.buttons)
        row.setContentsMargins(0, 0, 0, 0)
        self.accept_button = QPushButton("Accept this bid…")
        self.withdraw_button = QPushButton("Withdraw my bid…")
        for button in (self.accept_button, self.withdraw_button):
            button.setAutoDefault(False)
            row.addWidget(button)
        row.addStretch(1)
        lay.addWidget(self.buttons)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.accept_button.clicked.connect(lambda: self._emit(self.accept_requested))
        self.withdraw_button.clicked.connect(lambda: self._emit(self.withdraw_requested))
        self._update_buttons()

    def _fit(self, rows: int) -> None:
        """As tall as the bids (two to six rows shown; more scroll)."""
        self.table.setFixedHeight(rows_height(self.table, max(2, min(rows, 6))) + 2 * self.table.frameWidth() + 2)

    def show_bids(self, bids: list[Bid], account: str, can, *, client: bool, open_offer: bool = True) -> None:
        """``bids`` in the core's order; ``can(action, bid)`` -> None or why not; the
        buttons only while the offer takes bids (``open_offer``)."""
        keep = self.selected_bid()
        self.can = can
        self.model.set_bids(bids, account)
        self._fit(len(bids))
        self.buttons.setVisible(open_offer)
        live = [b for b in bids if b.status == "active"]
        if not bids:
            self.summary.setText("No bids yet." + (" Talent bids with a price, a message and, to stand out, "
                                                   "a stake." if client else ""))
        else:
            staked = sum(1 for b in live if b.stake)
            self.summary.setText(f"{len(bids)} bid{'s' if len(bids) != 1 else ''}, {len(live)} open "
                                 f"({staked} with a stake). Highest stake first, then reputation.")
        if keep is not None:
            self.select_bid(keep.bid_id)
        self._update_buttons()

    def selected_bid(self) -> Bid | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def select_bid(self, bid_id: int) -> bool:
        for i, b in enumerate(self.model.rows):
            if b.bid_id == bid_id:
                self.table.selectRow(i)
                return True
        return False

    def _update_buttons(self) -> None:
        bid = self.selected_bid()
        for action, button in (("accept", self.accept_button), ("withdraw", self.withdraw_button)):
            why = self.can(action, bid) if bid is not None else "select a bid first"
            button.setEnabled(why is None)
            button.setToolTip("" if why is None else f"Not possible: {why}")

    def _emit(self, signal) -> None:
        bid = self.selected_bid()
        if bid is not None:
            signal.emit(bid)
