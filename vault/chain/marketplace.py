"""The gig and mentoring marketplace from a client's and a talent's side.

    market = Market(chain)
    market.gigs()                       # every gig: price, client, talent, status
    req = market.post_request(service, sender, kind="gig", price=..., details="...")
    reqs = market.fund_requests(service, client, gig_id)               # approve + fund
    req = market.fund_with_permit_request(service, client, gig_id, key)  # one transaction
    market.release_breakdown(gig_id)    # fee, referral cut, talent's share: shown before signing

Every write checks the gig's status first and names the cause (releasing twice, funding
an open gig, ...) before anything is signed; the contract's own revert reasons back it up.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..errors import ChainError
from .contracts import ZERO_ADDRESS
from .transactions import with_gas_margin
from .units import format_amount, format_units, parse_address, percent

STATUSES = ("open", "accepted", "funded", "released", "refunded", "cancelled")
KINDS = ("gig", "mentoring")
KIND_NOUNS = {"gig": "gig", "mentoring": "mentoring offer"}  # "Post a mentoring offer", not "a mentoring"
BPS = 10_000
# The contract's limits (Marketplace.sol), checked before anything is signed.
MAX_REFERRAL_BPS = 2_500
MAX_DELIVERY_WINDOW = 365 * 86_400
ACTIONS = ("accept", "fund", "release", "refund", "cancel")

# Why a gig in this status cannot move on (the sentence after "... because").
_WHY = {"released": "it was already released", "refunded": "it was already refunded",
        "cancelled": "it was cancelled", "open": "nobody has accepted it yet",
        "accepted": "it is not funded yet", "funded": "it is already funded"}


def offer_text(title: str, details: str = "") -> str:
    """What goes on chain: the title, then the details on the following lines."""
    title, details = title.strip(), (details or "").strip()
    return f"{title}\n{details}" if details else title


@dataclass(frozen=True)
class Gig:
    """An offer of the first marketplace (a gig or mentoring). ``talent`` and
    ``connector`` (the referrer) are None until there is one; ``fee_bps`` is fixed when
    someone accepts; ``refundable_at`` (chain time) once funded; ``details`` is the
    client's words (title, then the rest): outside text. ``roles`` only from Market.mine."""
    id: int
    kind: str
    status: str
    client: str
    talent: str | None
    connector: str | None
    price: int   # wei
    fee_bps: int
    referral_bps: int
    delivery_window: int   # seconds
    refundable_at: int | None
    details: str
    roles: tuple[str, ...] = ()

    def to_json(self) -> dict:
        out = {"id": self.id, "kind": self.kind, "status": self.status, "client": self.client,
               "talent": self.talent, "connector": self.connector, "price": format_amount(self.price),
               "price_wei": str(self.price), "fee_bps": self.fee_bps, "referral_bps": self.referral_bps,
               "delivery_window": self.delivery_window, "refundable_at": self.refundable_at, "details": self.details}
        return out | {"roles": list(self.roles)} if self.roles else out


def roles_of(g: Gig, address: str) -> list[str]:
    """The parts ``address`` plays in gig ``g``: client, talent, connector (the referrer)."""
    address = (address or "").lower()
    return [r for r, who in (("client", g.client), ("talent", g.talent), ("connector", g.connector))
            if who and who.lower() == address]


def check_post(sender: str, *, kind: str, price: int, connector: str | None = None, referral_bps: int = 0,
               delivery_window: int = 7 * 86400, chain_id: int | None = None) -> str | None:
    """The checks the contract makes on a new offer, with sentences a person can act on;
    returns the referrer's checksummed address (``connector`` may be a did:pkh) or None."""
    if kind not in KINDS:
        raise ChainError("invalid-argument", f"{kind!r} is not a kind of offer: use gig or mentoring.")
    if price <= 0:
        raise ChainError("invalid-argument", "The price must be more than zero.")
    if not 0 <= int(referral_bps) <= MAX_REFERRAL_BPS:
        raise ChainError("invalid-argument", f"The referral cut can be at most {percent(MAX_REFERRAL_BPS)} "
                                             "of the price.")
    if not 0 <= int(delivery_window) <= MAX_DELIVERY_WINDOW:
        raise ChainError("invalid-argument", "The delivery window can be at most 365 days.")
    if not connector or not str(connector).strip():
        if referral_bps:
            raise ChainError("invalid-argument", "A referral cut needs a referrer: enter who referred the "
                                                 "talent, or set the cut to 0.")
        return None
    address = parse_address(str(connector), chain_id)
    if address.lower() == sender.lower():
        raise ChainError("invalid-argument", "You cannot be the referrer of your own offer.")
    return address


@dataclass(frozen=True)
class Split:
    """How a gig's price leaves the escrow on release (wei): the marketplace fee to the
    DAO treasury, the referrer's cut (none without a referrer), the talent's rest."""

    fee: int
    referral: int
    talent: int


def price_split(g: Gig) -> Split:
    """The release split of gig ``g`` at the fee and cut fixed for it (the contract's
    integer arithmetic: whatever rounding leaves goes to the talent)."""
    price = g.price
    fee = price * g.fee_bps // BPS
    referral = price * g.referral_bps // BPS if g.connector else 0
    return Split(fee, referral, price - fee - referral)


def escrow_actions(status: str, client: bool, talent: bool, refundable_at, now: int | None, needs,
                   noun: str) -> dict[str, str | None]:
    """fund, release, refund and cancel: the same escrow rules for a gig of this contract
    and an offer of the talent market (vault.chain.talent.actions). ``needs(allowed,
    action)`` is the caller's sentence for a status that does not allow the action."""
    out: dict[str, str | None] = {}
    out["fund"] = (needs(("accepted",), "funded") if client
                   else "Only the client who posted it pays into escrow.")
    out["release"] = (needs(("funded",), "released") if client
                      else "Only the client releases the payment, once the work is delivered.")
    if status != "funded":
        out["refund"] = ("Nothing is in escrow: it was never funded." if status in ("open", "accepted", "cancelled")
                         else needs(("funded",), "refunded"))
    elif talent:
        out["refund"] = None
    elif client:
        out["refund"] = (None if not refundable_at or (now is not None and now >= refundable_at)
                         else "The client can take the money back only after the delivery window "
                              "(the talent can refund at any time).")
    else:
        out["refund"] = f"Only the client or the talent of this {noun} can refund it."
    out["cancel"] = (needs(("open", "accepted"), "cancelled") if client
                     else "Only the client who posted it can cancel it.")
    return out


def actions(g: Gig, account: str, now: int | None = None) -> dict[str, str | None]:
    """For each write on gig ``g`` (ACTIONS): None when ``account`` can do it now, else why
    not, as a sentence. ``now`` is the chain's time (for the client's refund)."""
    roles = roles_of(g, account)
    client, talent = "client" in roles, "talent" in roles
    status = g.status

    def needs(allowed: tuple, action: str) -> str | None:
        return None if status in allowed else f"It cannot be {action}: {_WHY[status]}."

    out: dict[str, str | None] = {}
    out["accept"] = ("You posted this offer: someone else takes it, as talent." if client
                     else needs(("open",), "accepted"))
    out.update(escrow_actions(status, client, talent, g.refundable_at, now, needs, "gig"))
    return out


class Market:
    def __init__(self, chain):
        self.chain = chain
        self.w3 = chain.w3
        self.m = chain.contracts.marketplace
        self.token = chain.contracts.token

    # ---- reading -----------------------------------------------------------------------

    def count(self) -> int:
        return self.m.functions.gigCount().call()

    def _ids(self) -> range:
        return range(self.count())  # ids from 0

    def gig(self, gig_id: int) -> Gig:
        if not 0 <= int(gig_id) < self.count():
            raise ChainError("unknown-gig", f"There is no gig {gig_id} on this network.")
        (client, kind, status, fee_bps, referral_bps, talent, window, connector, refundable_at, price,
         details) = self.m.functions.gigs(int(gig_id)).call()
        return Gig(int(gig_id), KINDS[kind], STATUSES[status], client, None if talent == ZERO_ADDRESS else talent,
                   None if connector == ZERO_ADDRESS else connector, int(price), fee_bps, referral_bps, window,
                   refundable_at or None, details)

    def gigs(self, *, status: str | None = None, kind: str | None = None) -> list[Gig]:
        out = [self.gig(i) for i in self._ids()]
        return [g for g in out if (status is None or g.status == status) and (kind is None or g.kind == kind)]

    def mine(self, address: str) -> list[Gig]:
        """The gigs ``address`` plays a part in, each with its ``roles``."""
        out = []
        for g in self.gigs():
            roles = roles_of(g, address)
            if roles:
                out.append(replace(g, roles=tuple(roles)))
        return out

    def fee_bps(self) -> int:
        return self.m.functions.feeBps().call()

    def release_breakdown(self, gig_id: int) -> dict:
        g = self.gig(gig_id)
        price = g.price
        split = price_split(g)
        fee, referral, talent = split.fee, split.referral, split.talent
        return {"gig_id": g.id, "price": format_amount(price), "fee": format_amount(fee), "fee_bps": g.fee_bps,
                "referral": format_amount(referral), "referral_bps": g.referral_bps, "connector": g.connector,
                "talent": g.talent, "talent_amount": format_amount(talent),
                "treasury": self.m.functions.treasury().call(),
                "fee_wei": str(fee), "referral_wei": str(referral), "talent_amount_wei": str(talent)}

    @staticmethod
    def breakdown_lines(b: dict) -> list[str]:
        lines = [f"Price:    {b['price']} BTK",
                 f"Fee:      {b['fee']} BTK ({percent(b['fee_bps'])}) to the treasury {b['treasury']}"]
        if b["connector"]:
            lines.append(f"Referral: {b['referral']} BTK ({percent(b['referral_bps'])}) to {b['connector']}")
        lines.append(f"Talent:   {b['talent_amount']} BTK to {b['talent']}")
        return lines

    # ---- checks ------------------------------------------------------------------------

    def _require(self, g: Gig, allowed: tuple, action: str) -> None:
        if g.status in allowed:
            return
        why = _WHY[g.status]
        reason = {"released": "already-released", "refunded": "already-refunded",
                  "cancelled": "gig-cancelled"}.get(g.status, f"gig-{g.status}")
        raise ChainError(reason, f"Gig {g.id} cannot be {action}: {why} (status {g.status}).")

    def _require_client(self, g: Gig, sender: str, action: str) -> None:
        if g.client.lower() != sender.lower():
            raise ChainError("not-client", f"Only the client {g.client} can {action} gig {g.id}.")

    # ---- writes ------------------------------------------------------------------------

    def post_request(self, service, sender: str, *, kind: str, price: int, details: str,
                     connector: str | None = None, referral_bps: int = 0, delivery_window: int = 7 * 86400):
        connector = check_post(sender, kind=kind, price=price, connector=connector, referral_bps=referral_bps,
                               delivery_window=delivery_window, chain_id=self.chain.chain_id) or ZERO_ADDRESS
        return service.contract_call(
            "market-post", self.m, "post",
            [KINDS.index(kind), price, connector, int(referral_bps), int(delivery_window), details], sender,
            description=f"Post a {KIND_NOUNS[kind]} for {format_units(price, 'BTK')}: "
                        f"{(details.strip().splitlines() or [''])[0][:60]}",
            params={"kind": kind, "price": str(price), "details": details})

    def accept_request(self, service, sender: str, gig_id: int):
        g = self.gig(gig_id)
        self._require(g, ("open",), "accepted")
        if g.client.lower() == sender.lower():
            raise ChainError("client-cannot-accept", f"You posted gig {gig_id}; its client cannot accept it.")
        return service.contract_call("market-accept", self.m, "accept", [int(gig_id)], sender,
                                     description=f"Accept gig {gig_id} ({format_amount(g.price)} BTK) at the "
                                                 f"current fee of {percent(self.fee_bps())}",
                                     params={"gig_id": int(gig_id)})

    def _fund_check(self, sender: str, gig_id: int) -> Gig:
        g = self.gig(gig_id)
        self._require_client(g, sender, "fund")
        self._require(g, ("accepted",), "funded")
        # Before the approval, not after it: the fund step is estimated only once that is mined.
        held = self.chain.btk_balance(sender)
        if held < g.price:
            raise ChainError("insufficient-btk", f"Not enough BTK to fund gig {g.id}: you hold "
                                                 f"{format_units(held, 'BTK')}, its price is "
                                                 f"{format_units(g.price, 'BTK')}.",
                             balance=str(held), needed=str(g.price))
        return g

    def fund_requests(self, service, sender: str, gig_id: int) -> list:
        """[approve (when the allowance is short), fund]: send them in order."""
        g = self._fund_check(sender, gig_id)
        price = g.price
        out = []
        allowance = self.token.functions.allowance(self.w3.to_checksum_address(sender), self.m.address).call()
        if allowance < price:
            out.append(service.contract_call("btk-approve", self.token, "approve", [self.m.address, price], sender,
                                             description=f"Allow the marketplace to take {format_amount(price)} BTK "
                                                         f"for gig {gig_id}",
                                             params={"spender": self.m.address, "amount": str(price)}))
        out.append(self._fund_request(service, sender, g, "fund", [int(gig_id)]))
        return out

    def _fund_request(self, service, sender, g, fn, args):
        # not estimated here: after an approve in the same flow, estimate it once that is mined
        return service.contract_call("market-fund", self.m, fn, args, sender,
                                     description=f"Fund gig {g.id}: {format_amount(g.price)} BTK into escrow",
                                     params={"gig_id": g.id, "amount": str(g.price)},
                                     btk_amount=g.price)

    def fund_with_permit_request(self, service, sender: str, gig_id: int, key: bytes, *, deadline: int | None = None):
        """One transaction: an EIP-2612 permit for exactly the price, signed here."""
        # start-up: eth_account ~560 ms, only to sign a permit
        from eth_account import Account
        from eth_account.messages import encode_typed_data

        g = self._fund_check(sender, gig_id)
        owner = self.w3.to_checksum_address(sender)
        price = g.price
        deadline = deadline or self.chain.latest_timestamp() + 3600
        _fields, name, version, chain_id, verifying, _salt, _ext = self.token.functions.eip712Domain().call()
        signable = encode_typed_data(
            domain_data={"name": name, "version": version, "chainId": chain_id, "verifyingContract": verifying},
            message_types={"Permit": [{"name": "owner", "type": "address"}, {"name": "spender", "type": "address"},
                                      {"name": "value", "type": "uint256"}, {"name": "nonce", "type": "uint256"},
                                      {"name": "deadline", "type": "uint256"}]},
            message_data={"owner": owner, "spender": self.m.address, "value": price,
                          "nonce": self.token.functions.nonces(owner).call(), "deadline": deadline})
        s = Account.sign_message(signable, key)
        return with_gas_margin(self.chain, self._fund_request(
            service, sender, g, "fundWithPermit",
            [int(gig_id), deadline, s.v, s.r.to_bytes(32, "big"), s.s.to_bytes(32, "big")]))

    def release_request(self, service, sender: str, gig_id: int):
        g = self.gig(gig_id)
        self._require_client(g, sender, "release")
        self._require(g, ("funded",), "released")
        b = self.release_breakdown(gig_id)
        return with_gas_margin(self.chain, service.contract_call(
            "market-release", self.m, "release", [int(gig_id)], sender,
            description=f"Release gig {gig_id}: {b['talent_amount']} BTK to the talent, "
                        f"{b['fee']} BTK fee, {b['referral']} BTK referral",
            params={"gig_id": int(gig_id), "breakdown": b}))

    def refund_request(self, service, sender: str, gig_id: int):
        g = self.gig(gig_id)
        self._require(g, ("funded",), "refunded")
        is_client = g.client.lower() == sender.lower()
        if not is_client and (g.talent or "").lower() != sender.lower():
            raise ChainError("not-gig-party", f"Only the client or the talent of gig {gig_id} can refund it.")
        if is_client:
            now = self.chain.latest_timestamp()
            if g.refundable_at and now < g.refundable_at:
                raise ChainError("refund-not-yet", f"The client can refund gig {gig_id} only after its delivery "
                                                   f"window, in {g.refundable_at - now} s (the talent can "
                                                   "refund at any time).")
        return with_gas_margin(self.chain, service.contract_call(
            "market-refund", self.m, "refund", [int(gig_id)], sender,
            description=f"Refund gig {gig_id}: {format_amount(g.price)} BTK back to the client",
            params={"gig_id": int(gig_id)}))

    def cancel_request(self, service, sender: str, gig_id: int):
        g = self.gig(gig_id)
        self._require_client(g, sender, "cancel")
        self._require(g, ("open", "accepted"), "cancelled")
        return service.contract_call("market-cancel", self.m, "cancel", [int(gig_id)], sender,
                                     description=f"Cancel gig {gig_id}", params={"gig_id": int(gig_id)})
