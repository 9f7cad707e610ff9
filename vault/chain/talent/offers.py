"""The talent market's reads as typed results: offers and bids in integer wei, each with
the ``to_json()`` that `vault market offers / offer / bids --json` print (amounts as whole-BTK
decimal strings with ``*_wei`` twins). Built from the event log's entries (log.py), which
stay the market's own working state."""

from __future__ import annotations

from dataclasses import dataclass

from ..units import format_amount


@dataclass(frozen=True)
class Gate:
    """Who may bid: a soulbound credential from ``issuer`` (of ``credential_type``, a 0x
    hash, or any type), and/or ``min_stake`` wei staked; None / 0: no such gate."""
    issuer: str | None
    credential_type: str | None
    min_stake: int

    def to_json(self) -> dict:
        return {"issuer": self.issuer, "credential_type": self.credential_type,
                "min_stake_wei": str(self.min_stake), "min_stake": format_amount(self.min_stake)}


@dataclass(frozen=True)
class ConnectorPayment:
    connector: str
    referred: str
    amount: int   # wei

    def to_json(self) -> dict:
        return {"connector": self.connector, "referred": self.referred, "amount_wei": str(self.amount)}


@dataclass(frozen=True)
class Refund:
    by: str
    to_client: int   # wei, and so below
    bond_to_client: int
    bond_to_talent: int

    def to_json(self) -> dict:
        return {"by": self.by, "to_client_wei": str(self.to_client), "bond_to_client_wei": str(self.bond_to_client),
                "bond_to_talent_wei": str(self.bond_to_talent)}


@dataclass(frozen=True)
class Offer:
    """An offer: ``talent``, ``accepted_bid``, ``price`` and ``bond`` once a bid is accepted
    (None / 0 before), ``terms`` (fee, connector, burn, forfeit bps) fixed then, ``fee`` and
    ``refundable_at`` once funded. ``details`` is the client's words: outside text.
    ``roles`` (client, talent, bidder) only from TalentMarket.mine."""
    id: int
    client: str
    budget: int   # wei, and every amount below
    delivery_window: int   # seconds
    gate: Gate
    details: str
    status: str
    posted_block: int
    talent: str | None
    accepted_bid: int | None
    price: int
    bond: int
    terms: dict | None
    fee: int
    refundable_at: int | None
    connectors: tuple[ConnectorPayment, ...]
    treasury: int
    burned: int
    refund: Refund | None
    roles: tuple[str, ...] = ()

    @classmethod
    def from_log(cls, o: dict) -> Offer:
        gate, refund = o["gate"], o["refund"]
        return cls(o["id"], o["client"], o["budget_wei"], o["delivery_window"],
                   Gate(gate["issuer"], gate["credential_type"], gate["min_stake_wei"]), o["details"], o["status"],
                   o["posted_block"], o["talent"], o["accepted_bid"], o["price_wei"], o["bond_wei"],
                   dict(o["terms"]) if o["terms"] else None, o["fee_wei"], o["refundable_at"],
                   tuple(ConnectorPayment(c["connector"], c["referred"], c["amount_wei"]) for c in o["connectors"]),
                   o["treasury_wei"], o["burned_wei"],
                   Refund(refund["by"], refund["to_client_wei"], refund["bond_to_client_wei"],
                          refund["bond_to_talent_wei"]) if refund else None)

    @property
    def title(self) -> str:
        return (self.details.strip().splitlines() or [""])[0]

    def to_json(self) -> dict:
        out = {"id": self.id, "client": self.client, "budget_wei": str(self.budget),
               "delivery_window": self.delivery_window, "gate": self.gate.to_json(), "details": self.details,
               "status": self.status, "posted_block": self.posted_block, "talent": self.talent,
               "accepted_bid": self.accepted_bid, "price_wei": str(self.price), "bond_wei": str(self.bond),
               "terms": dict(self.terms) if self.terms else None, "fee_wei": str(self.fee),
               "refundable_at": self.refundable_at, "connectors": [c.to_json() for c in self.connectors],
               "treasury_wei": str(self.treasury), "burned_wei": str(self.burned),
               "refund": self.refund.to_json() if self.refund else None, "budget": format_amount(self.budget),
               "price": format_amount(self.price) if self.talent else None, "bond": format_amount(self.bond),
               "title": self.title}
        return out | {"roles": list(self.roles)} if self.roles else out


@dataclass(frozen=True)
class Bid:
    """A bid on an offer; ``stake`` backs it (the bond once accepted); ``message`` is the
    bidder's words: outside text; ``reputation``: {completed, score} of the bidder."""
    offer_id: int
    bid_id: int
    bidder: str
    price: int   # wei
    stake: int   # wei
    message: str
    message_hash: str
    status: str   # active, withdrawn, accepted, released, bond returned
    block: int
    reputation: dict

    @classmethod
    def from_log(cls, b: dict, reputation: dict) -> Bid:
        return cls(b["offer_id"], b["bid_id"], b["bidder"], b["price_wei"], b["stake_wei"], b["message"],
                   b["message_hash"], b["status"], b["block"], reputation)

    def to_json(self) -> dict:
        return {"offer_id": self.offer_id, "bid_id": self.bid_id, "bidder": self.bidder,
                "price_wei": str(self.price), "stake_wei": str(self.stake), "message": self.message,
                "message_hash": self.message_hash, "status": self.status, "block": self.block,
                "price": format_amount(self.price), "stake": format_amount(self.stake),
                "reputation": dict(self.reputation)}
