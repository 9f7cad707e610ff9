"""The talent market's words and data on the Marketplace page: an offer's status and gates
in words, one read of everything the talent part of the page shows (offers with their
bids, the terms, the account's connector standing, the names of the vault's own anchored
credential types), and the offers' table model."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from vault.anchoring.holder import anchored_kinds
from vault.chain.extensions.talent_market import DEMO_CREDENTIAL_TYPE
from vault.chain.talent import Offer, TalentMarket, type_label
from vault.chain.units import format_units
from vault.credentials.repository import CredentialRepository
from vault.errors import ChainError
from vault.safe_text import safe_text

from ...format import short_address
from ...widgets.labels import plain_tip
from ...widgets.table_model import Index, ListTableModel

# (short word for the list, sentence for the offer's badge) by the core's status.
STATUS_WORDS = {
    "open": ("Taking bids", "Open: talent bids on it until the client accepts one"),
    "accepted": ("Bid accepted", "A bid is accepted: waiting for the client to pay price + fee into escrow"),
    "funded": ("In escrow", "In escrow: the price is held until the client releases it"),
    "released": ("Paid", "Paid: the talent received the whole price"),
    "refunded": ("Refunded", "Refunded: the escrow went back to the client"),
    "cancelled": ("Cancelled", "Cancelled by the client before it was paid"),
}
STATUS_LOOK = {"open": "open", "accepted": "waiting", "funded": "escrow", "released": "done",
               "refunded": "stopped", "cancelled": "stopped"}


def btk(wei: int) -> str:
    return format_units(wei, "BTK")


def offer_title(o: Offer) -> str:
    return safe_text((o.details.strip().splitlines() or [f"Offer {o.id}"])[0])   # anyone's words


def offer_body(o: Offer) -> str:
    return "\n".join(o.details.strip().splitlines()[1:]).strip()


def gate_words(o: Offer, names=()) -> str:
    """"a OpenBadgeCredential from 0x…; 100 BTK staked", or "anyone" (``names``: type names
    to show for their hashes, the core's ``type_label``)."""
    gate, needs = o.gate, []
    if gate.issuer:
        kind = type_label(gate.credential_type, names)
        needs.append(f"a credential ({'any type' if kind == 'any type' else kind}) from {gate.issuer}")
    if gate.min_stake:
        needs.append(f"{btk(gate.min_stake)} staked")
    return "; ".join(needs) if needs else "anyone may bid"


def read_talent(chain, account: str, store, typed=()) -> dict:  # chain thread
    """The talent part of the page: {"offers", "bids" and "splits" (of the offers waiting to
    be funded or released) by offer id, "terms", "connector", "kinds", "names"}, or
    {"missing": why} when the network has no talent market. ``names``: the credential type
    names a gate's hash is shown as (those of the vault's credentials, and ``typed`` ones:
    a gate the person typed this session; the demo offers' type). A hash is shown as a name
    only when it is that name's hash."""
    try:
        tm = TalentMarket(chain)
    except ChainError as exc:
        if exc.reason != "not-deployed":
            raise
        return {"missing": str(exc)}
    offers = tm.offers()
    kinds = anchored_kinds(store, chain.chain_id)   # what the vault holds: the post dialog's gate picker
    splits = {o.id: tm.funding_split(o.id) for o in offers if o.status in ("accepted", "funded")}
    return {"offers": offers, "bids": tm.bids_by_offer(all_bids=True), "splits": splits, "terms": tm.terms(),
            "connector": tm.connector(account), "kinds": kinds,
            "names": sorted({t for t, _n in CredentialRepository(store).types()} | set(typed)
                            | {DEMO_CREDENTIAL_TYPE})}   # what a demo offer asks for, by name


class TalentOfferModel(ListTableModel):
    ID, OFFER, BUDGET, BIDS, NEEDS, STATUS, CLIENT = range(7)
    HEADERS = ("#", "Offer", "Budget", "Bids", "Who may bid", "Status", "Client")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.account, self.bids, self.names = "", {}, ()

    def set_offers(self, offers: list[dict], bids: dict, account: str, names=()) -> None:
        self.account, self.bids, self.names = account, bids, tuple(names)
        self.set_rows(sorted(offers, key=lambda o: -o.id))   # newest first

    def row_of(self, offer_id: int) -> int:
        return next((i for i, o in enumerate(self.rows) if o.id == offer_id), -1)

    def _who(self, address: str | None) -> str:
        if not address:
            return "—"
        return "You" if address.lower() == self.account.lower() else short_address(address, 6, 4)

    def data(self, index: Index, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        o, column = self.rows[index.row()], index.column()
        if role == Qt.DisplayRole:
            live = sum(1 for b in self.bids.get(o.id, []) if b.status == "active")
            bids = str(live) if o.status == "open" else "—"
            return (str(o.id), offer_title(o), btk(o.budget), bids, safe_text(gate_words(o, self.names)),
                    STATUS_WORDS[o.status][0], self._who(o.client))[column]
        if role == Qt.ToolTipRole:
            if column == self.OFFER:
                return plain_tip(o.details)
            if column == self.STATUS:
                return STATUS_WORDS[o.status][1]
            if column == self.CLIENT:
                return o.client
        if role == Qt.FontRole and column == self.CLIENT and o.client.lower() == self.account.lower():
            font = QFont()
            font.setBold(True)
            return font
        return None
