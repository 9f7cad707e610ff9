"""The embedded chain's demo marketplace client, so that a newcomer's first gig can end.

At set-up the demo client (a dev role whose key is public, ``embedded.dev_key("client")``)
posts the sample offers below and allows the marketplace to take its BTK. From then on
it acts as a client would, on the embedded chain only:

- when someone accepts one of its offers, it pays the price into escrow at once (right
  after the accept is mined: ``after_send``; and when the chain is opened or advanced,
  for an accept it has not answered yet: ``fund_accepted``);
- when the offer's talent says the work is delivered (``deliver``), it releases the
  escrow: the talent gets the price minus the marketplace fee. A real client checks the
  work first; this one takes the talent's word.

On the talent market (its demo offers: vault/chain/extensions/talent_market.py) it does
the same from a bid on: a bid on one of its open offers is accepted and paid into escrow
(price + fee) right after the bid is mined (``after_send``: every write of the app and the
CLI on the embedded chain passes there), and ``deliver_offer`` releases it when the
talent says the work is done.

Each of these is an ordinary transaction signed with the demo client's key and checked
by the contract like any other. Nothing here signs on another network: that key is
public, and anyone could post offers "from" it on a real chain.
"""

from __future__ import annotations

import logging

from eth_utils import keccak, to_checksum_address

from ..errors import ChainError
from .embedded import dev_address, dev_key

log = logging.getLogger(__name__)

# The sample offers (kind 0 = gig, 1 = mentoring): (kind, price in BTK, delivery window
# in s, details). Posted first on a new embedded chain, so they are offers 0, 1, 2.
DEMO_GIGS = [
    (0, 250, 7 * 86400, "Review my Python course project and suggest three improvements"),
    (1, 100, 3 * 86400, "Mentoring: one hour on Solidity basics and testing"),
    (0, 60, 2 * 86400, "Translate an Open Badges achievement description into Spanish"),
]
ROLE = "client"
_ACCEPT = keccak(text="accept(uint256)")[:4]
_BID = keccak(text="bid(uint256,uint256,uint256,uint256,string)")[:4]
_TALENT = "talent_market"
_OFFER_STATUSES = ("open", "accepted", "funded", "released", "refunded", "cancelled")  # TalentMarket.Status
_STATUSES = ("open", "accepted", "funded", "released", "refunded", "cancelled")  # Marketplace.Status
_ACCEPTED = _STATUSES.index("accepted")
_UNLIMITED = 2**256 - 1


def client_address() -> str:
    return dev_address(ROLE)


def is_demo_client(client: str, embedded: bool) -> bool:
    """True for the client of an offer posted by the demo client of the embedded chain
    (``embedded``: the chain is the embedded one; elsewhere nothing is a demo)."""
    return bool(embedded) and client.lower() == client_address().lower()


def _embedded(chain) -> bool:
    return chain.embedded is not None and chain.manifest is not None


def after_send(chain, raw: bytes) -> None:
    """Called once a transaction sent on the embedded chain is mined: an accept of one of
    the demo client's offers is answered by its payment into escrow. Never raises: the
    sender's own transaction is mined whatever the demo client then does."""
    if not _embedded(chain):
        return
    try:
        tx = chain.embedded.chain.get_vm().get_transaction_builder().decode(raw)
        to = to_checksum_address(tx.to) if tx.to else None
        target = int.from_bytes(tx.data[4:36], "big")
        if to == to_checksum_address(chain.manifest.contracts["marketplace"]) and tx.data[:4] == _ACCEPT:
            fund_accepted(chain, [target])
        elif _TALENT in chain.manifest.contracts and tx.data[:4] == _BID \
                and to == to_checksum_address(chain.manifest.contracts[_TALENT]):
            take_first_bids(chain, [target])
    except Exception as exc:  # the demo client failing must not be reported as the user's failure
        log.warning("the demo client could not pay into escrow: %s", exc)


def fund_accepted(chain, gig_ids=None) -> list[int]:
    """The demo client pays into escrow each of its offers (among ``gig_ids``; default
    the sample offers) that someone accepted; returns the ids it paid. Embedded only."""
    if not _embedded(chain):
        return []
    # Asked at every open and advance: while the marketplace's storage is as it was when
    # the demo client last looked (its root, kept in the chain's meta table), no offer was
    # accepted since. Reading the offers took ~15 ms, and the contract handles they need
    # ~40 ms of an open, where an empty block takes ~1 ms.
    market = chain.manifest.contracts["marketplace"]
    seen = chain.embedded.storage_root(market).hex() if gig_ids is None else None
    if seen is not None and chain.embedded.get_meta(_LOOKED) == seen:
        return []
    m, token = chain.contracts.marketplace, chain.contracts.token
    count = m.functions.gigCount().call()
    ids = range(min(count, len(DEMO_GIGS))) if gig_ids is None else [i for i in gig_ids if 0 <= i < count]
    client, key = client_address(), dev_key(ROLE)
    paid = []
    for gig_id in ids:
        gig = m.functions.gigs(gig_id).call()
        if gig[0] != client or gig[2] != _ACCEPTED:
            continue
        if token.functions.allowance(client, m.address).call() < gig[9]:
            chain.transact(key, {"to": token.address, "data": token.encode_abi("approve", [m.address, _UNLIMITED])})
        chain.transact(key, {"to": m.address, "data": m.encode_abi("fund", [gig_id])})
        paid.append(gig_id)
    if seen is not None:
        chain.embedded.set_meta(_LOOKED, chain.embedded.storage_root(market).hex() if paid else seen)
        chain.embedded.commit()  # one commit when the marketplace changed, none while it does not
    return paid


_LOOKED = "demo:looked"  # meta: the marketplace's storage root when its offers were last read


def allow_marketplace(chain) -> None:
    """At set-up: the demo client lets the marketplace take its BTK (one approval)."""
    m, token = chain.contracts.marketplace, chain.contracts.token
    chain.transact(dev_key(ROLE), {"to": token.address, "data": token.encode_abi("approve", [m.address, _UNLIMITED])})


def _gig(chain, gig_id: int) -> dict:
    """The fields of offer ``gig_id`` that the demo client looks at (as Market.gig; not
    imported from there: the marketplace module sits above the connection this serves)."""
    m = chain.contracts.marketplace
    if not 0 <= int(gig_id) < m.functions.gigCount().call():
        raise ChainError("unknown-gig", f"There is no gig {gig_id} on this network.")
    client, _kind, status, fee_bps, _ref, talent, *_rest, price, _details = m.functions.gigs(int(gig_id)).call()
    return {"id": int(gig_id), "client": client, "status": _STATUSES[status], "fee_bps": fee_bps,
            "talent": None if int(talent, 16) == 0 else talent, "price_wei": str(price)}


def deliver(chain, gig_id: int, talent: str) -> dict:
    """The talent of a demo offer says the work is delivered: the demo client releases
    the escrow. Returns {gig_id, block, tx_hash, talent_amount_wei, fee_wei}. Refused
    (ChainError, nothing signed) off the embedded chain, for another client's offer, for
    someone who is not its talent, and for an offer not in escrow."""
    if not _embedded(chain):
        raise ChainError("not-embedded", "Only the demo client of the local test chain is told this way. On this "
                                         "network, tell the client that the work is delivered; they release the "
                                         "payment.")
    g = _gig(chain, gig_id)
    if not is_demo_client(g["client"], True):
        raise ChainError("not-demo-gig", f"Offer {gig_id} is not from the demo client: its client {g['client']} "
                                         "releases the payment once they have the work. Tell them it is delivered.")
    if (g["talent"] or "").lower() != str(talent).lower():
        raise ChainError("not-talent", f"Only the talent of offer {gig_id} can say its work is delivered"
                                       + (f" ({g['talent']})." if g["talent"] else "; nobody has accepted it yet."))
    if g["status"] != "funded":
        why = {"accepted": "the demo client has not paid into escrow yet", "released": "it was already paid",
               "refunded": "the escrow went back to the client", "cancelled": "it was cancelled",
               "open": "nobody has accepted it yet"}[g["status"]]
        raise ChainError(f"gig-{g['status']}", f"Offer {gig_id} cannot be paid out: {why}.")
    m = chain.contracts.marketplace
    receipt = chain.transact(dev_key(ROLE), {"to": m.address, "data": m.encode_abi("release", [int(gig_id)])})
    price = int(g["price_wei"])
    fee = price * g["fee_bps"] // 10_000  # basis points
    return {"gig_id": int(gig_id), "block": receipt.blockNumber, "tx_hash": receipt.transactionHash.to_0x_hex(),
            "talent": g["talent"], "talent_amount_wei": str(price - fee), "fee_wei": str(fee),
            "fee_bps": g["fee_bps"]}


def faucet_top_up(chain, address: str, *, btk: int = 0, eth: int = 0) -> None:
    """The faucet sends ``address`` more than the welcome grant: for stories that need it
    (screenshots, tests of a whole governance cycle), never for the vault's own flows."""
    if chain.embedded is None:
        raise ChainError("not-embedded", "Only the embedded chain has a faucet.")
    key = dev_key("faucet")
    if eth:
        chain.transact(key, {"to": to_checksum_address(address), "value": eth})
    if btk:
        token = chain.contracts.token
        chain.transact(key, {"to": token.address, "data": token.encode_abi("transfer",
                                                                            [to_checksum_address(address), btk])})


# ---- the talent market ------------------------------------------------------------------

def take_first_bids(chain, offer_ids=None) -> list[int]:
    """On each of the demo client's open talent-market offers (among ``offer_ids``; default
    all) that has an active bid, accept the first one and pay price + fee into escrow;
    returns the offer ids it funded. Embedded only."""
    if not _embedded(chain) or _TALENT not in chain.manifest.contracts:
        return []
    m, token = chain.contracts.extension(_TALENT), chain.contracts.token
    count = m.functions.offerCount().call()
    ids = range(count) if offer_ids is None else [i for i in offer_ids if 0 <= i < count]
    client, key = client_address(), dev_key(ROLE)
    funded = []
    for offer_id in ids:
        offer = m.functions.offers(offer_id).call()
        if offer[0] != client or _OFFER_STATUSES[offer[1]] != "open":
            continue
        bid_id = next((i for i in range(m.functions.bidCount(offer_id).call())
                       if m.functions.bids(offer_id, i).call()[1]), None)   # (bidder, active, price, stake)
        if bid_id is None:
            continue
        chain.transact(key, {"to": m.address, "data": m.encode_abi("acceptBid", [offer_id, bid_id])})
        if token.functions.allowance(client, m.address).call() < 2**255:
            chain.transact(key, {"to": token.address, "data": token.encode_abi("approve", [m.address, _UNLIMITED])})
        chain.transact(key, {"to": m.address, "data": m.encode_abi("fund", [offer_id])})
        funded.append(offer_id)
    return funded


def deliver_offer(chain, offer_id: int, talent: str) -> dict:
    """The talent of a demo talent-market offer says the work is delivered: the demo client
    releases the escrow (the whole price and the bond to the talent). Returns {offer_id,
    block, tx_hash}. Refused as ``deliver`` refuses (ChainError, nothing signed)."""
    if not _embedded(chain):
        raise ChainError("not-embedded", "Only the demo client of the local test chain is told this way. On this "
                                         "network, tell the client that the work is delivered; they release the "
                                         "payment.")
    m = chain.contracts.extension(_TALENT)
    if not 0 <= int(offer_id) < m.functions.offerCount().call():
        raise ChainError("unknown-offer", f"There is no offer {offer_id} on the talent market.")
    offer = m.functions.offers(int(offer_id)).call()
    client, status, talent_of = offer[0], _OFFER_STATUSES[offer[1]], offer[4]
    if client.lower() != client_address().lower():
        raise ChainError("not-demo-gig", f"Offer {offer_id} is not from the demo client: its client {client} "
                                         "releases the payment once they have the work. Tell them it is delivered.")
    if status == "open":
        raise ChainError("offer-open", f"Offer {offer_id} has no accepted bid yet: nothing is in escrow.")
    if talent_of.lower() != str(talent).lower():
        raise ChainError("not-talent", f"Only the talent of offer {offer_id} can say its work is delivered.")
    if status != "funded":
        raise ChainError(f"offer-{status}", f"Offer {offer_id} cannot be paid out: it is {status}, not in escrow.")
    receipt = chain.transact(dev_key(ROLE), {"to": m.address, "data": m.encode_abi("release", [int(offer_id)])})
    return {"offer_id": int(offer_id), "block": receipt.blockNumber, "tx_hash": receipt.transactionHash.to_0x_hex()}
