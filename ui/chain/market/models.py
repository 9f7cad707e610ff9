"""The Marketplace page's words and data: statuses, kinds and roles in words, an offer's
title, body and price, one read of everything the page shows, the offers' model and the
search / filters over it."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont

from vault.chain.marketplace import Gig, Market, roles_of
from vault.chain.units import format_amount, format_units
from vault.safe_text import safe_text

from ...format import short_address
from ...widgets.labels import plain_tip
from ...widgets.table_model import Index, ListTableModel

# (short word for the list, sentence for the offer's badge) by the contract's status.
STATUS_WORDS = {
    "open": ("Open", "Open: waiting for someone to accept it"),
    "accepted": ("Accepted", "Accepted: waiting for the client to pay into escrow"),
    "funded": ("In escrow", "In escrow: the price is held until the client releases it"),
    "released": ("Paid", "Paid: the escrow went to the talent"),
    "refunded": ("Refunded", "Refunded: the escrow went back to the client"),
    "cancelled": ("Cancelled", "Cancelled by the client before it was paid"),
}
# The badge's colour family (resources/styles: #gigStatus[look=...]).
STATUS_LOOK = {"open": "open", "accepted": "waiting", "funded": "escrow", "released": "done",
               "refunded": "stopped", "cancelled": "stopped"}
KIND_WORDS = {"gig": "Gig", "mentoring": "Mentoring"}
ROLE_WORDS = {"client": "client", "talent": "talent", "connector": "referrer"}
WHOSE = (("", "Everyone's offers"), ("mine", "My gigs: any role"), ("client", "My gigs as client"),
         ("talent", "My gigs as talent"), ("connector", "My gigs as referrer"))
LIST_ADDRESS = (6, 4)   # the list's narrow Client / Talent columns: "0x9858…Da94"


def offer_title(g: Gig) -> str:
    return safe_text((g.details.strip().splitlines() or [f"Offer {g.id}"])[0])   # anyone's words


def offer_body(g: Gig) -> str:
    return "\n".join(g.details.strip().splitlines()[1:]).strip()


def price_text(g: Gig) -> str:
    return format_units(g.price, "BTK")


def read_market(chain, account: str) -> dict:  # chain thread
    market = Market(chain)
    return {"account": account, "gigs": market.gigs(), "fee_bps": market.fee_bps(),
            "now": chain.latest_timestamp(), "btk": chain.btk_balance(account), "chain_id": chain.chain_id}


class GigTableModel(ListTableModel):
    ID, OFFER, KIND, PRICE, STATUS, CLIENT, TALENT = range(7)
    HEADERS = ("#", "Offer", "Kind", "Price", "Status", "Client", "Talent")
    SortRole = Qt.UserRole + 1

    def __init__(self, parent=None):
        super().__init__(parent)
        self.account = ""

    def set_gigs(self, gigs: list[Gig], account: str) -> None:
        self.account = account
        self.set_rows(gigs)

    def row_of(self, gig_id: int) -> int:
        return next((i for i, g in enumerate(self.rows) if g.id == gig_id), -1)

    def _who(self, address: str | None) -> str:
        if not address:
            return "—"
        return "You" if address.lower() == self.account.lower() else short_address(address, *LIST_ADDRESS)

    def data(self, index: Index, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        g, column = self.rows[index.row()], index.column()
        if role == Qt.DisplayRole:
            return (str(g.id), offer_title(g), KIND_WORDS[g.kind], price_text(g), STATUS_WORDS[g.status][0],
                    self._who(g.client), self._who(g.talent))[column]
        if role == self.SortRole:
            if column == self.ID:
                return g.id
            if column == self.PRICE:
                return g.price
            return self.data(index, Qt.DisplayRole)
        if role == Qt.ToolTipRole:
            if column == self.OFFER:
                return plain_tip(g.details)
            if column == self.STATUS:
                return STATUS_WORDS[g.status][1]
            if column == self.CLIENT:
                return g.client
            if column == self.TALENT:
                return g.talent or "Nobody has accepted it yet"
        if role == Qt.TextAlignmentRole and column in (self.ID, self.PRICE):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.FontRole and column in (self.CLIENT, self.TALENT):
            who = g.client if column == self.CLIENT else g.talent
            if who and who.lower() == self.account.lower():
                font = QFont()
                font.setBold(True)
                return font
        return None


class GigFilter(QSortFilterProxyModel):
    """Search as you type (every word must match), kind, status, and whose offers."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.words: list[str] = []
        self.kind = self.status = self.whose = ""
        self.setSortRole(GigTableModel.SortRole)

    def set_filter(self, *, text: str | None = None, kind: str | None = None, status: str | None = None,
                   whose: str | None = None) -> None:
        self.beginFilterChange()
        if text is not None:
            self.words = text.lower().split()
        self.kind = self.kind if kind is None else kind
        self.status = self.status if status is None else status
        self.whose = self.whose if whose is None else whose
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        model: GigTableModel = self.sourceModel()
        g = model.rows[row]
        if self.kind and g.kind != self.kind:
            return False
        if self.status and g.status != self.status:
            return False
        if self.whose:
            roles = roles_of(g, model.account)
            if not roles or (self.whose != "mine" and self.whose not in roles):
                return False
        if self.words:
            haystack = " ".join([f"#{g.id}", g.details, g.kind, *STATUS_WORDS[g.status], format_amount(g.price),
                                 g.client, g.talent or "", g.connector or ""]).lower()
            return all(word in haystack for word in self.words)
        return True
