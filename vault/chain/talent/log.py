"""The talent market's views rebuilt from its events, read incrementally: the blocks mined
since the last read on this connection, everything again when the last block read is gone
(a dev node reverted to a snapshot, a reorganisation), as governance's _GovernorLog does.

The old Marketplace's GigReleased events are read alongside: a talent's completed gigs
there count towards its reputation too (reputation.py).
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field

from eth_utils import event_abi_to_log_topic

from ..contracts import ZERO_ADDRESS

STATUSES = ("open", "accepted", "funded", "released", "refunded", "cancelled")
TERM_NAMES = ("fee_bps", "connector_bps", "burn_bps", "forfeit_bps")
ZERO32 = b"\0" * 32


@dataclass
class TalentLog:
    """Everything the events say so far. ``offers`` by id, ``bids`` by (offer id, bid id),
    ``referrer`` by account (lower case) and ``referred`` by connector (lower case),
    ``earned`` / ``withdrawn`` per connector (lower case), ``completed`` per talent (lower
    case: released gigs on either market), ``credential_types`` by soulbound token id."""

    scanned: int | None = None
    scanned_hash: bytes | None = None
    offers: dict = field(default_factory=dict)
    bids: dict = field(default_factory=dict)
    referrer: dict = field(default_factory=dict)
    referred: dict = field(default_factory=dict)
    earned: dict = field(default_factory=dict)
    withdrawn: dict = field(default_factory=dict)
    completed: dict = field(default_factory=dict)
    credential_types: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def clear(self) -> None:
        for d in (self.offers, self.bids, self.referrer, self.referred, self.earned, self.withdrawn,
                  self.completed, self.credential_types):
            d.clear()


_LOGS: "weakref.WeakKeyDictionary[object, dict[str, TalentLog]]" = weakref.WeakKeyDictionary()

_EVENTS = ("OfferPosted", "BidPlaced", "BidWithdrawn", "StakeReleased", "BidAccepted", "OfferFunded",
           "OfferReleased", "ConnectorPaid", "OfferRefunded", "OfferCancelled", "ReferrerRegistered",
           "EarningsWithdrawn", "CredentialTypeSet")


def sync(chain, market, legacy=None) -> TalentLog:
    """The log of ``market`` (a TalentMarket handle) on ``chain``, brought up to the head."""
    log = _LOGS.setdefault(chain, {}).setdefault(market.address.lower(), TalentLog())
    w3 = chain.w3
    with log.lock:
        head = chain.block_number
        if log.scanned is not None and (log.scanned > head
                                        or bytes(w3.eth.get_block(log.scanned)["hash"]) != log.scanned_hash):
            log.scanned, log.scanned_hash = None, None
            log.clear()
        start = (chain.manifest.deployment_block if chain.manifest else 0) if log.scanned is None \
            else log.scanned + 1
        if start <= head:
            _read(w3, log, market, legacy, start, head)
            log.scanned, log.scanned_hash = head, bytes(w3.eth.get_block(head)["hash"])
        return log


def _kinds(contract, names) -> dict:
    return {(contract.address.lower(), bytes(event_abi_to_log_topic(getattr(contract.events, n).abi))):
            getattr(contract.events, n) for n in names}


def _read(w3, log: TalentLog, market, legacy, start: int, end: int) -> None:
    kinds = _kinds(market, _EVENTS)
    addresses = [market.address]
    if legacy is not None:
        kinds |= _kinds(legacy, ("GigReleased",))
        addresses.append(legacy.address)
    for entry in w3.eth.get_logs({"address": addresses, "fromBlock": start, "toBlock": end}):
        topics = entry.get("topics") or []
        event = kinds.get((str(entry["address"]).lower(), bytes(topics[0]))) if topics else None
        if event is not None:
            decoded = event().process_log(entry)
            _apply(log, decoded["event"], decoded["args"], int(decoded["blockNumber"]))


def _fields(value, names: tuple) -> tuple:
    """A struct argument's fields in order: web3 decodes a struct as a dict of its names."""
    return tuple(value[n] for n in names) if hasattr(value, "keys") else tuple(value)


def _count(d: dict, key: str, amount: int = 1) -> None:
    d[key.lower()] = d.get(key.lower(), 0) + amount


def _apply(log: TalentLog, name: str, a, block: int) -> None:  # noqa: C901 - one branch per event
    if name == "GigReleased":  # the old Marketplace
        _count(log.completed, a["talent"])
        return
    if name in ("ReferrerRegistered", "EarningsWithdrawn", "CredentialTypeSet"):
        if name == "ReferrerRegistered":
            log.referrer[a["account"].lower()] = a["referrer"]
            log.referred.setdefault(a["referrer"].lower(), []).append(a["account"])
        elif name == "EarningsWithdrawn":
            _count(log.withdrawn, a["connector"], int(a["amount"]))
        else:
            log.credential_types[int(a["tokenId"])] = bytes(a["credentialType"])
        return
    oid = int(a["offerId"])
    if name == "OfferPosted":
        issuer, ctype, min_stake = _fields(a["gate"], ("issuer", "credentialType", "minStake"))
        log.offers[oid] = {
            "id": oid, "client": a["client"], "budget_wei": int(a["budget"]), "delivery_window": int(a["deliveryWindow"]),
            "gate": {"issuer": None if issuer == ZERO_ADDRESS else issuer,
                     "credential_type": None if bytes(ctype) == ZERO32 else "0x" + bytes(ctype).hex(),
                     "min_stake_wei": int(min_stake)},
            "details": a["details"], "status": "open", "posted_block": block, "talent": None, "accepted_bid": None,
            "price_wei": 0, "bond_wei": 0, "terms": None, "fee_wei": 0, "refundable_at": None,
            "connectors": [], "treasury_wei": 0, "burned_wei": 0, "refund": None}
        return
    o = log.offers.get(oid)
    if o is None:  # an event without its offer: a log read from after the deployment block
        return
    if name == "BidPlaced":
        bid_id = int(a["bidId"])
        log.bids[(oid, bid_id)] = {"offer_id": oid, "bid_id": bid_id, "bidder": a["bidder"],
                                   "price_wei": int(a["price"]), "stake_wei": int(a["stake"]),
                                   "message": a["message"], "message_hash": "0x" + bytes(a["messageHash"]).hex(),
                                   "status": "active", "block": block}
    elif name in ("BidWithdrawn", "StakeReleased"):
        bid = log.bids.get((oid, int(a["bidId"])))
        if bid is not None:
            bid["status"] = "withdrawn" if name == "BidWithdrawn" else (
                "bond returned" if bid["status"] == "accepted" else "released")
    elif name == "BidAccepted":
        bid = log.bids.get((oid, int(a["bidId"])))
        if bid is not None:
            bid["status"] = "accepted"
        o.update(status="accepted", talent=a["talent"], accepted_bid=int(a["bidId"]), price_wei=int(a["price"]),
                 bond_wei=int(a["bond"]), terms=dict(zip(TERM_NAMES, (int(x) for x in _fields(
                     a["terms"], ("feeBps", "connectorBps", "burnBps", "forfeitBps"))))))
    elif name == "OfferFunded":
        o.update(status="funded", fee_wei=int(a["fee"]), refundable_at=int(a["refundableAt"]))
    elif name == "OfferReleased":
        o.update(status="released", treasury_wei=int(a["treasury"]), burned_wei=int(a["burned"]))
        _count(log.completed, a["talent"])
    elif name == "ConnectorPaid":
        o["connectors"].append({"connector": a["connector"], "referred": a["referred"], "amount_wei": int(a["amount"])})
        _count(log.earned, a["connector"], int(a["amount"]))
    elif name == "OfferRefunded":
        o.update(status="refunded", refund={"by": a["by"], "to_client_wei": int(a["toClient"]),
                                            "bond_to_client_wei": int(a["bondToClient"]),
                                            "bond_to_talent_wei": int(a["bondToTalent"])})
    elif name == "OfferCancelled":
        o["status"] = "cancelled"
