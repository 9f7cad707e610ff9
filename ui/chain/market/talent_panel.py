"""The selected talent-market offer: its title, status badge and details, the facts (budget,
who may bid, client, talent, accepted price and bond, delivery window), what happens
next for the chosen account, the action buttons (each enabled exactly when the core's
``offer_actions()`` allows it; its tooltip says why not), where the money goes once a bid
is accepted (``split.FundingSplitView``, shown before funding) and the offer's bids
(``bids.BidsSection``)."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QWidget

from vault.chain.talent.actions import bid_actions, offer_actions

from ...format import duration_words, short_address
from ...widgets import InlineMessage, section_title
from ...widgets.labels import repolish
from .bids import BidsSection
from .panel import action_row, facts_grid, local_date, offer_head, show_no_offer
from .split import FundingSplitView
from .talent_models import STATUS_LOOK, STATUS_WORDS, btk, gate_words, offer_body, offer_title

ACTION_TIPS = {
    "bid": "Bid on this offer: your price, a message, and a stake if you like",
    "fund": "Pay the price and the fee into escrow (approve, then fund); the split is shown first",
    "release": "Pay the talent the whole price from escrow; the fee goes to connectors, treasury, burn",
    "refund": "Send the escrow back to the client",
    "cancel": "Withdraw this offer (only before it is paid); every stake goes back",
}
# (key, caption, row, column, columns spanned by the value)
FACTS = (("budget", "Budget", 0, 0, 1), ("client", "Client", 0, 1, 1), ("needs", "Who may bid", 1, 0, 3),
         ("price", "Accepted price", 2, 0, 1), ("talent", "Talent", 2, 1, 1), ("bond", "Delivery bond", 3, 0, 1),
         ("delivery", "Delivery window", 3, 1, 1))


class TalentOfferPanel(QFrame):
    def __init__(self, extra: QWidget | None = None, parent: QWidget | None = None):
        """``extra`` goes at the end of the button row (the demo client's Deliver button)."""
        super().__init__(parent)
        self.account = ""
        self.offer: dict | None = None
        lay = offer_head(self)
        lay.addLayout(facts_grid(self, FACTS, parties=("client", "talent")))
        self.next_step = InlineMessage()
        lay.addWidget(self.next_step)
        lay.addLayout(action_row(self, {"bid": "Bid…", "fund": "Pay into escrow…", "release": "Release payment…",
                                        "refund": "Refund…", "cancel": "Cancel offer…"}, extra))
        self.split_title = section_title("Where the money goes")
        self.split = FundingSplitView()
        lay.addWidget(self.split_title)   # above the bids: once one is accepted, what the client pays matters
        lay.addWidget(self.split)
        self.bids = BidsSection()
        lay.addWidget(self.bids)

    # ---- showing ----------------------------------------------------------------------------

    def show_none(self, text: str = "Select an offer in the list to see its bids and what you can do.") -> None:
        self.offer = None
        show_no_offer(self, text)
        self.bids.hide()
        self.split_title.hide()
        self.split.hide()

    def show_offer(self, o: dict, *, account: str, now: int | None, data: dict, demo: str = "") -> None:
        """``data``: the page's last read of the talent market (read_talent); ``demo``: what
        the local test chain's demo client does with this offer, if it is one of its."""
        self.offer, self.account = o, account
        bids = data["bids"].get(o["id"], [])
        self.detail_title.setText(f"#{o['id']} · {offer_title(o)}")
        body = offer_body(o)
        self.detail_body.setText(body)
        self.detail_body.setVisible(bool(body))
        self.status_badge.setText(STATUS_WORDS[o["status"]][0])
        self.status_badge.setToolTip(STATUS_WORDS[o["status"]][1])
        self.status_badge.setProperty("look", STATUS_LOOK[o["status"]])
        repolish(self.status_badge)
        self.status_badge.show()
        self._fill_facts(o, now, data["names"])
        allowed = offer_actions(o, account, now, bids)
        for name, button in self.action_buttons.items():
            why = allowed[name]
            button.setEnabled(why is None)
            button.setToolTip(ACTION_TIPS[name] if why is None else f"Not possible: {why}")
            if name in ("bid", "fund", "release") and button.property("primary") != (why is None):
                button.setProperty("primary", why is None)    # the account's next step stands out
                repolish(button)
        client = o["client"].lower() == account.lower()
        self.bids.show_bids(bids, account, lambda action, bid: bid_actions(o, bid, account)[action], client=client,
                            open_offer=o["status"] == "open")
        self.bids.show()
        split = data["splits"].get(o["id"])
        self.split.show_split(split)
        self.split_title.setVisible(split is not None)
        self.split.setVisible(split is not None)
        self.next_step.hint(" ".join(t for t in (self._next_text(o, account, bids, now), demo) if t))

    def _who(self, address: str | None, empty: str) -> str:
        if not address:
            return empty
        return f"{address} (you)" if address.lower() == self.account.lower() else address

    def _fill_facts(self, o: dict, now: int | None, names) -> None:
        f = self.facts
        f["budget"].setText(btk(o["budget_wei"]))
        f["client"].setText(self._who(o["client"], "—"))
        f["needs"].setText(gate_words(o, names))
        f["talent"].setText(self._who(o["talent"], "nobody yet: the client accepts a bid"))
        f["price"].setText(btk(o["price_wei"]) if o["talent"] else "—")
        bond = int(o["bond_wei"])
        f["bond"].setText("—" if not o["talent"] else "none: the bid had no stake" if not bond else
                          f"{btk(bond)}: the bid's stake, returned when paid")
        days = duration_words(o["delivery_window"])
        due = o["refundable_at"]
        if o["status"] == "funded" and due:
            left = f"in {duration_words(due - now, round_down=True)}" if now is not None and now < due else "passed"
            f["delivery"].setText(f"{days}: the client can take a refund from {local_date(due)} ({left})")
        else:
            f["delivery"].setText(f"{days}, counted from when the client pays")

    @staticmethod
    def _next_text(o: dict, account: str, bids: list[dict], now: int | None) -> str:
        me = account.lower()
        client, talent = o["client"].lower() == me, (o["talent"] or "").lower() == me
        status = o["status"]
        live = [b for b in bids if b["status"] == "active"]
        mine = [b for b in live if b["bidder"].lower() == me]
        if status == "open":
            if client:
                return (f"{len(live)} open bid{'s' if len(live) != 1 else ''}. Select one and accept it: the other "
                        "bidders get their stake back at once. You can still cancel." if live else
                        "Waiting for bids. You can still cancel the offer.")
            if mine:
                return (f"You bid {btk(mine[0]['price_wei'])}. Wait for the client to choose; you can withdraw your "
                        "bid (and its stake) until then.")
            return ("Open for bids: you receive the whole price you ask (the client pays the fee). A stake puts "
                    "your bid ahead of others and comes back if another bid wins.")
        if status == "accepted":
            if client:
                return (f"You accepted {short_address(o['talent'])}'s bid. Pay the price and the fee into escrow "
                        "so the work can start; the split is below.")
            if talent:
                return "Your bid won. Wait for the client to pay into escrow before you start the work."
            return "A bid was accepted; the offer waits for the client's payment."
        if status == "funded":
            if client:
                return "The price is in escrow. Release it once the work is delivered: the talent gets all of it."
            if talent:
                return (f"{btk(o['price_wei'])} is in escrow for you: do the work, and the client releases it with "
                        "your bond. If you cannot, refund the client.")
            return "The price is in escrow until the client releases it to the talent."
        if status == "released":
            return "Done: the talent received the whole price and the bond back."
        if status == "refunded":
            return "Closed: the escrow went back to the client."
        return "Closed: the client withdrew this offer; every stake went back."
