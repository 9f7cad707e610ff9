"""What an account may do now with a talent-market offer and its bids, and why not, in
sentences: the desktop enables each button from this (its tooltip says why not), as the
older marketplace's ``actions()`` does. The writes check the same again (market.py) and
the contract has the last word.

    offer_actions(offer, account, now, bids)  {bid, fund, release, refund, cancel: None | why}
    bid_actions(offer, bid, account)          {accept, withdraw: None | why}
"""

from __future__ import annotations

from ..marketplace import escrow_actions
from .offers import Bid, Offer

OFFER_ACTIONS = ("bid", "fund", "release", "refund", "cancel")

# Why an offer in this status cannot move on (the sentence after "because").
_WHY = {"open": "no bid is accepted yet", "accepted": "it is not funded yet", "funded": "it is already funded",
        "released": "it was already released", "refunded": "it was already refunded",
        "cancelled": "it was cancelled"}


def _is(address, account: str) -> bool:
    return bool(address) and address.lower() == (account or "").lower()


def offer_actions(o: Offer, account: str, now: int | None, bids: list[Bid]) -> dict[str, str | None]:
    """For each write on offer ``o`` (OFFER_ACTIONS): None when ``account`` can do it now,
    else why not. ``now``: the chain's time (the client's refund); ``bids``: the offer's
    bids (``TalentMarket.bids``), to know whether the account bids already."""
    client, talent, status = _is(o.client, account), _is(o.talent, account), o.status

    def needs(allowed: tuple, action: str) -> str | None:
        return None if status in allowed else f"It cannot be {action}: {_WHY[status]}."

    out: dict[str, str | None] = {}
    mine = [b for b in bids if _is(b.bidder, account) and b.status == "active"]
    if client:
        out["bid"] = "You posted this offer: talent bids on it, you choose a bid."
    elif status != "open":
        out["bid"] = "It takes no more bids: " + ("a bid was accepted." if status in ("accepted", "funded",
                                                                                       "released", "refunded")
                                                  else "it was cancelled.")
    elif mine:
        out["bid"] = f"You already bid on it (bid {mine[0].bid_id}): withdraw that bid to bid again."
    else:
        out["bid"] = None
    out.update(escrow_actions(status, client, talent, o.refundable_at, now, needs, "offer"))
    return out


def bid_actions(o: Offer, bid: Bid, account: str) -> dict[str, str | None]:
    """Accept (the offer's client, while it is open) and withdraw (the bidder, while the
    bid is active): None when ``account`` can, else why not."""
    active = bid.status == "active"
    if not _is(o.client, account):
        accept = "Only the client who posted the offer chooses a bid."
    elif o.status != "open":
        accept = "A bid was already accepted." if o.talent else "The offer was cancelled."
    else:
        accept = None if active else f"This bid is {bid.status}: it can no longer be accepted."
    if not _is(bid.bidder, account):
        withdraw = "Only its bidder can withdraw a bid."
    else:
        withdraw = None if active else f"This bid is {bid.status}: there is nothing to withdraw."
    return {"accept": accept, "withdraw": withdraw}
