"""TalentMarket from a client's, a talent's and a connector's side (API: the package
docstring). Reads come from the event log (log.py); every write is a Plan for TxService,
checked here first so that the error names its cause before anything is signed."""

from __future__ import annotations

from dataclasses import replace

from ...errors import ChainError
from ..contracts import ZERO_ADDRESS
from ..governance import next_block_time
from ..plan import Plan, as_plan
from ..soulbound import token as soulbound_token
from ..transactions import with_gas_margin
from ..units import format_amount, format_units, parse_address, percent
from . import gates, log as events
from .connectors import Connectors
from .contract import market_contract
from .offers import Bid, Offer
from .split import Split, split

MAX_DELIVERY_WINDOW = 365 * 86_400
MAX_MESSAGE_BYTES = 1_000
# A bid's preview limit while its stake's approval is not mined: at least the limit it is
# signed with once estimated (with the margin), since the fee shown is the most it may cost.
# Measured on the embedded chain with the margin: ~296k for a plain first bid, ~30k more to
# check a credential gate, ~34 gas per message byte (calldata, event data, its hash).
BID_GAS = 305_000
GATE_GAS = 32_000      # a credential gate (the soulbound token read)
STAKE_GATE_GAS = 22_000  # a minimum-stake gate (the staking pool read)
MESSAGE_BYTE_GAS = 36

# Why an offer in this status cannot move on (the sentence after "because").
_WHY = {"open": "no bid is accepted yet", "accepted": "it is not funded yet", "funded": "it is already funded",
        "released": "it was already released", "refunded": "it was already refunded",
        "cancelled": "it was cancelled"}


def reputation(log, address: str) -> dict:
    """A talent's standing for ordering bids, for now: its completed gigs (released, as
    talent, on the talent market or the older marketplace). A reputation registry will
    replace it; the score stays one number where higher is better."""
    done = log.completed.get((address or "").lower(), 0)
    return {"completed": done, "score": done}


class TalentMarket(Connectors):
    def __init__(self, chain):
        self.chain = chain
        self.w3 = chain.w3
        self.m = market_contract(chain)
        self.token = chain.contracts.token

    # ---- reading -----------------------------------------------------------------------

    def _log(self):
        return events.sync(self.chain, self.m, self.chain.contracts.marketplace)

    def terms(self) -> dict:
        """The terms for bids accepted from now on: fee, connector, burn and forfeit bps."""
        return dict(zip(events.TERM_NAMES, self.m.functions.terms().call()))

    def can_burn(self) -> bool:
        return bool(self.m.functions.canBurn().call())

    def offers(self, *, status: str | None = None) -> list[Offer]:
        """Every offer, oldest first (status open, accepted, funded, released, refunded, cancelled)."""
        return [Offer.from_log(o) for o in self._log().offers.values() if status is None or o["status"] == status]

    def _offer(self, offer_id: int) -> dict:
        o = self._log().offers.get(int(offer_id))
        if o is None:
            raise ChainError("unknown-offer", f"There is no offer {offer_id} on the talent market.")
        return o

    def offer(self, offer_id: int) -> Offer:
        return Offer.from_log(self._offer(offer_id))

    @staticmethod
    def _order(bids: list[Bid]) -> list[Bid]:
        """As the client weighs them: highest stake first, then the bidder's reputation."""
        return sorted(bids, key=lambda b: (-b.stake, -b.reputation["score"], b.bid_id))

    def bids(self, offer_id: int, *, all_bids: bool = False) -> list[Bid]:
        """The offer's active bids (``all_bids``: withdrawn, released, accepted too), ordered
        as the client weighs them: highest stake first, then the bidder's reputation."""
        log = self._log()
        self._offer(offer_id)
        out = []
        for (oid, _bid), b in log.bids.items():
            if oid == int(offer_id) and (all_bids or b["status"] == "active"):
                out.append(Bid.from_log(b, reputation(log, b["bidder"])))
        return self._order(out)

    def bids_by_offer(self, *, all_bids: bool = False) -> dict[int, list[Bid]]:
        """Every offer's bids at once (each list as ``bids`` orders it), from one read of
        the log: a page listing all offers asks once, not once per offer."""
        log = self._log()
        out: dict[int, list[Bid]] = {oid: [] for oid in log.offers}
        for (oid, _bid), b in log.bids.items():
            if oid in out and (all_bids or b["status"] == "active"):
                out[oid].append(Bid.from_log(b, reputation(log, b["bidder"])))
        return {oid: self._order(bids) for oid, bids in out.items()}

    def mine(self, address: str) -> list[Offer]:
        """The offers ``address`` is in, with its roles: client, talent, bidder."""
        log, me = self._log(), (address or "").lower()
        bidders = {(oid, b["bidder"].lower()) for (oid, _), b in log.bids.items()}
        out = []
        for o in log.offers.values():
            roles = [r for r, yes in (("client", o["client"].lower() == me),
                                      ("talent", (o["talent"] or "").lower() == me),
                                      ("bidder", (o["id"], me) in bidders)) if yes]
            if roles:
                out.append(replace(Offer.from_log(o), roles=tuple(roles)))
        return out

    def reputation(self, address: str) -> dict:
        return reputation(self._log(), address)

    def funding_split(self, offer_id: int) -> Split:
        """Where the money of an accepted offer goes (shown before funding and releasing)."""
        o = self._offer(offer_id)
        if not o["talent"]:
            raise ChainError("offer-open", f"Offer {offer_id} has no accepted bid yet: the split follows the "
                                           "accepted price.")
        log = self._log()
        return split(o["price_wei"], o["terms"], client_has_referrer=o["client"].lower() in log.referrer,
                     talent_has_referrer=o["talent"].lower() in log.referrer)

    def quote(self, price: int, client: str, talent: str | None = None) -> Split:
        """The split ``price`` would have under the current terms (before a bid is accepted)."""
        log = self._log()
        return split(int(price), self.terms(), client_has_referrer=client.lower() in log.referrer,
                     talent_has_referrer=bool(talent) and talent.lower() in log.referrer)

    def gate_report(self, offer_id: int, account: str, names=()) -> dict:
        """What ``account`` lacks to bid on the offer, in sentences (gates.gate_report)."""
        o = self._offer(offer_id)
        report = gates.gate_report(self.chain, self.m, o, account, names)
        return report | {"staked": format_amount(report["staked_wei"]), "staked_wei": str(report["staked_wei"])}

    # ---- checks ------------------------------------------------------------------------

    def _require(self, o: dict, allowed: tuple, action: str) -> None:
        if o["status"] not in allowed:
            raise ChainError(f"offer-{o['status']}", f"Offer {o['id']} cannot be {action}: {_WHY[o['status']]} "
                                                     f"(status {o['status']}).")

    def _require_client(self, o: dict, sender: str, action: str) -> None:
        if o["client"].lower() != sender.lower():
            raise ChainError("not-client", f"Only the client {o['client']} can {action} offer {o['id']}.")

    def _need_btk(self, sender: str, amount: int, what: str) -> None:
        held = self.chain.btk_balance(sender)
        if held < amount:
            raise ChainError("insufficient-btk", f"Not enough BTK for {what}: you hold {format_units(held)}, it needs "
                                                 f"{format_units(amount)}.", balance=str(held), needed=str(amount))

    def _approve(self, service, sender: str, amount: int, what: str) -> list:
        allowance = self.token.functions.allowance(self.w3.to_checksum_address(sender), self.m.address).call()
        if allowance >= amount:
            return []
        return [service.contract_call("btk-approve", self.token, "approve", [self.m.address, amount], sender,
                                      description=f"Allow the talent market to take {format_units(amount)} {what}",
                                      params={"spender": self.m.address, "amount": str(amount)})]

    def _call(self, service, kind: str, fn: str, args: list, sender: str, description: str, params: dict,
              btk_amount: int = 0):
        return with_gas_margin(self.chain, service.contract_call(kind, self.m, fn, args, sender,
                                                                 description=description, params=params,
                                                                 btk_amount=btk_amount))

    # ---- clients -----------------------------------------------------------------------

    def post_plan(self, service, sender: str, *, budget: int, details: str, delivery_window: int = 7 * 86400,
                  issuer: str | None = None, credential_type: str | None = None, min_stake: int = 0) -> Plan:
        """Post an offer; ``issuer`` (address or did:pkh) and ``credential_type`` (a name or
        a 0x hash) gate it on a soulbound credential, ``min_stake`` (wei) on staked BTK."""
        if budget <= 0:
            raise ChainError("invalid-argument", "The budget must be more than zero.")
        if not 0 <= int(delivery_window) <= MAX_DELIVERY_WINDOW:
            raise ChainError("invalid-argument", "The delivery window can be at most 365 days.")
        if int(min_stake) < 0:
            raise ChainError("invalid-argument", "The minimum stake cannot be negative.")
        if not (details or "").strip():
            raise ChainError("invalid-argument", "Say what the offer is: give it a title.")
        if credential_type and not issuer:
            raise ChainError("invalid-argument", "A credential type needs its issuer: name who issues it.")
        issuer_address = parse_address(str(issuer), self.chain.chain_id) if issuer else ZERO_ADDRESS
        type_hash = gates.credential_type_hash(credential_type) if credential_type else b"\0" * 32
        gated = [w for w, on in (("a credential", issuer), (f"{format_units(min_stake)} staked", min_stake)) if on]
        title = (details.strip().splitlines() or [""])[0][:60]
        return as_plan(self._call(
            service, "talent-post", "post", [int(budget), int(delivery_window),
                                             (issuer_address, type_hash, int(min_stake)), details], sender,
            f"Post an offer for up to {format_units(budget)}: {title}"
            + (f" (bidders need {' and '.join(gated)})" if gated else ""),
            {"budget": str(budget), "details": details, "issuer": issuer_address,
             "credential_type": "0x" + type_hash.hex(), "min_stake": str(min_stake)}))

    def accept_bid_plan(self, service, sender: str, offer_id: int, bid_id: int) -> Plan:
        o = self._offer(offer_id)
        self._require_client(o, sender, "accept a bid on")
        self._require(o, ("open",), "given to a bid")
        b = self._log().bids.get((int(offer_id), int(bid_id)))
        if b is None or b["status"] != "active":
            raise ChainError("bid-not-active", f"Bid {bid_id} on offer {offer_id} is not an active bid "
                                               f"({b['status'] if b else 'there is no such bid'}).")
        others = sum(1 for (oid, _), x in self._log().bids.items()
                     if oid == int(offer_id) and x["status"] == "active" and x["bid_id"] != int(bid_id))
        return as_plan(self._call(
            service, "talent-accept-bid", "acceptBid", [int(offer_id), int(bid_id)], sender,
            f"Accept bid {bid_id} on offer {offer_id}: {format_units(b['price_wei'])} to {b['bidder']}, "
            f"{format_units(b['stake_wei'])} kept as delivery bond; {others} other bid(s) get their stake back",
            {"offer_id": int(offer_id), "bid_id": int(bid_id)}))

    def fund_plan(self, service, sender: str, offer_id: int) -> Plan:
        """[approve (when the allowance is short), fund]: price + fee into escrow."""
        o = self._offer(offer_id)
        self._require_client(o, sender, "fund")
        self._require(o, ("accepted",), "funded")
        s = self.funding_split(offer_id)
        self._need_btk(sender, s.pay, f"offer {offer_id}")  # before the approval, not after it
        steps = self._approve(service, sender, s.pay, f"for offer {offer_id}")
        fund = service.contract_call("talent-fund", self.m, "fund", [int(offer_id)], sender,
                                     description=f"Fund offer {offer_id}: {s.sentence()}",
                                     params={"offer_id": int(offer_id), "split": s.to_json()}, btk_amount=s.pay)
        if not steps:
            with_gas_margin(self.chain, fund)
        return as_plan(steps + [fund], f"Fund offer {offer_id}: {s.sentence()}")

    def release_plan(self, service, sender: str, offer_id: int) -> Plan:
        o = self._offer(offer_id)
        self._require_client(o, sender, "release")
        self._require(o, ("funded",), "released")
        s = self.funding_split(offer_id)
        return as_plan(self._call(
            service, "talent-release", "release", [int(offer_id)], sender,
            f"Release offer {offer_id}: {format_units(s.price)} to the talent (and its "
            f"{format_units(o['bond_wei'])} bond back); connectors {format_units(s.connectors)}, treasury "
            f"{format_units(s.treasury)}, burned {format_units(s.burned)}",
            {"offer_id": int(offer_id), "split": s.to_json()}))

    def refund_plan(self, service, sender: str, offer_id: int) -> Plan:
        o = self._offer(offer_id)
        self._require(o, ("funded",), "refunded")
        is_client = o["client"].lower() == sender.lower()
        if not is_client and (o["talent"] or "").lower() != sender.lower():
            raise ChainError("not-offer-party", f"Only the client or the talent of offer {offer_id} can refund it.")
        now = next_block_time(self.chain)  # the refund's own block decides whether the window is over
        late = now >= o["refundable_at"]
        if is_client and not late:
            raise ChainError("refund-not-yet", f"The client can refund offer {offer_id} only after its delivery "
                                               f"window, in {o['refundable_at'] - now} s (the talent can refund "
                                               "at any time).")
        forfeit = o["bond_wei"] * o["terms"]["forfeit_bps"] // 10_000 if late else 0
        return as_plan(self._call(
            service, "talent-refund", "refund", [int(offer_id)], sender,
            f"Refund offer {offer_id}: {format_units(o['price_wei'] + o['fee_wei'])} back to the client"
            + (f", and {format_units(forfeit)} of the talent's bond ({percent(o['terms']['forfeit_bps'])})"
               if forfeit else ""),
            {"offer_id": int(offer_id), "bond_to_client": str(forfeit)}))

    def cancel_plan(self, service, sender: str, offer_id: int) -> Plan:
        o = self._offer(offer_id)
        self._require_client(o, sender, "cancel")
        self._require(o, ("open", "accepted"), "cancelled")
        return as_plan(self._call(service, "talent-cancel", "cancel", [int(offer_id)], sender,
                                  f"Cancel offer {offer_id}; every stake still held goes back to its bidder",
                                  {"offer_id": int(offer_id)}))

    # ---- talent ------------------------------------------------------------------------

    def bid_plan(self, service, sender: str, offer_id: int, *, price: int, stake: int = 0, message: str = "",
                 names=()) -> Plan:
        """[approve the stake?, bid]: the gates are checked first and what is missing is said."""
        o = self._offer(offer_id)
        self._require(o, ("open",), "bid on")
        if o["client"].lower() == sender.lower():
            raise ChainError("client-cannot-bid", f"You posted offer {offer_id}; its client cannot bid on it.")
        if not 0 < int(price) <= o["budget_wei"]:
            raise ChainError("invalid-argument", f"The price must be more than zero and at most the budget of "
                                                 f"{format_units(o['budget_wei'])}.")
        if int(stake) < 0:
            raise ChainError("invalid-argument", "The stake cannot be negative.")
        if len((message or "").encode()) > MAX_MESSAGE_BYTES:
            raise ChainError("invalid-argument", f"The message is too long: at most {MAX_MESSAGE_BYTES} bytes.")
        mine = [b for (oid, _), b in self._log().bids.items()
                if oid == int(offer_id) and b["status"] == "active" and b["bidder"].lower() == sender.lower()]
        if mine:
            raise ChainError("already-bidding", f"You already bid on offer {offer_id} (bid {mine[0]['bid_id']}): "
                                                "withdraw it to bid again.")
        report = gates.gate_report(self.chain, self.m, o, sender, names)
        if not report["ok"]:
            raise ChainError("gate-not-met", " ".join(report["missing"]), missing=report["missing"])
        if stake:
            self._need_btk(sender, int(stake), "the bid's stake")
        steps = self._approve(service, sender, int(stake), "as your bid's stake") if stake else []
        bid = service.contract_call(
            "talent-bid", self.m, "bid", [int(offer_id), int(price), int(stake), report["credential_token"] or 0,
                                          message or ""], sender,
            description=f"Bid {format_units(price)} on offer {offer_id}"
                        + (f", staking {format_units(stake)}" if stake else ""),
            params={"offer_id": int(offer_id), "price": str(price), "stake": str(stake), "message": message or "",
                    "credential_token": report["credential_token"]}, btk_amount=int(stake))
        if steps:
            bid.gas = (BID_GAS + (GATE_GAS if o["gate"]["issuer"] else 0)
                       + (STAKE_GATE_GAS if o["gate"]["min_stake_wei"] else 0)
                       + MESSAGE_BYTE_GAS * len((message or "").encode()))
        else:
            with_gas_margin(self.chain, bid)
        return as_plan(steps + [bid])

    def withdraw_bid_plan(self, service, sender: str, offer_id: int, bid_id: int) -> Plan:
        self._offer(offer_id)
        b = self._log().bids.get((int(offer_id), int(bid_id)))
        if b is None:
            raise ChainError("unknown-bid", f"Offer {offer_id} has no bid {bid_id}.")
        if b["bidder"].lower() != sender.lower():
            raise ChainError("not-bidder", f"Bid {bid_id} on offer {offer_id} is {b['bidder']}'s, not yours.")
        if b["status"] != "active":
            raise ChainError("bid-not-active", f"Bid {bid_id} on offer {offer_id} is {b['status']}: there is "
                                               "nothing to withdraw.")
        return as_plan(self._call(service, "talent-withdraw-bid", "withdrawBid", [int(offer_id), int(bid_id)],
                                  sender, f"Withdraw bid {bid_id} on offer {offer_id}"
                                  + (f" and its {format_units(b['stake_wei'])} stake" if b["stake_wei"] else ""),
                                  {"offer_id": int(offer_id), "bid_id": int(bid_id)}))

    # ---- issuers -----------------------------------------------------------------------

    def declared_type(self, token_id: int) -> str | None:
        """The type declared for soulbound token ``token_id`` (0x hash), or None when its
        issuer has not declared one yet."""
        current = bytes(self.m.functions.credentialTypeOf(int(token_id)).call())
        return None if current == b"\0" * 32 else "0x" + current.hex()

    def declare_type_plan(self, service, issuer: str, token_id: int, credential_type: str) -> Plan:
        """Declare, once, the type of a soulbound credential ``issuer`` issued."""
        t = soulbound_token(self.chain, int(token_id))
        if t["issuer"].lower() != issuer.lower():
            raise ChainError("not-credential-issuer", f"Credential token {token_id} was issued by {t['issuer']}: "
                                                      "only its issuer declares its type.")
        current = bytes(self.m.functions.credentialTypeOf(int(token_id)).call())
        if current != b"\0" * 32:
            raise ChainError("type-already-set", f"Credential token {token_id} already has its type "
                                                 f"(0x{current.hex()}); it never changes.")
        type_hash = gates.credential_type_hash(credential_type)
        return as_plan(self._call(service, "talent-declare-type", "setCredentialType", [int(token_id), type_hash],
                                  issuer, f"Declare credential token {token_id} as {credential_type.strip()}",
                                  {"token_id": int(token_id), "credential_type": "0x" + type_hash.hex()}))
