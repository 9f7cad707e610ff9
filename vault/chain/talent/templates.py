"""The talent market's governance template: new terms (fee, connector share, burn share,
bond forfeit) as one proposal call to TalentMarket.setTerms through the timelock, checked
against the contract's caps before anything is proposed (a call that would revert passes
the vote and then fails when executed)."""

from __future__ import annotations

from ...errors import ChainError
from ..units import percent
from .contract import market_contract

NAME = "talent-terms"
TITLE = "Talent market terms"
WORDS = ("Change the talent market's fee (paid by the client), each connector's share of the price, "
         "the share of the fee's rest that is burned, and the share of a late talent's bond the client gets.")
FIELDS = ("fee_bps", "connector_bps", "burn_bps", "forfeit_bps")


def limits(chain) -> dict:
    """The caps and the current terms, for a form: {max_fee_bps, ..., current: {...}, can_burn}."""
    f = market_contract(chain).functions
    return {"max_fee_bps": int(f.MAX_FEE_BPS().call()), "max_connector_bps": int(f.MAX_CONNECTOR_BPS().call()),
            "max_burn_bps": int(f.MAX_BURN_BPS().call()), "max_forfeit_bps": int(f.MAX_FORFEIT_BPS().call()),
            "current": dict(zip(FIELDS, (int(x) for x in f.terms().call()))), "can_burn": bool(f.canBurn().call())}


def check(chain, *, fee_bps: int, connector_bps: int, burn_bps: int, forfeit_bps: int) -> tuple:
    """The terms as the contract takes them, or ChainError("invalid-argument") saying which one is wrong."""
    lim = limits(chain)
    terms = tuple(int(x) for x in (fee_bps, connector_bps, burn_bps, forfeit_bps))
    for value, field, cap, what in zip(terms, FIELDS, ("max_fee_bps", "max_connector_bps", "max_burn_bps",
                                                       "max_forfeit_bps"),
                                       ("fee", "connector share", "burn share", "bond forfeit share")):
        if not 0 <= value <= lim[cap]:
            raise ChainError("invalid-argument", f"The {what} must be between 0 and {percent(lim[cap])}; "
                                                 f"{percent(value)} is not.")
    if 2 * terms[1] > terms[0]:
        raise ChainError("invalid-argument", f"A fee of {percent(terms[0])} cannot pay two connectors "
                                             f"{percent(terms[1])} each: raise the fee or lower the share.")
    if terms[2] and not lim["can_burn"]:
        raise ChainError("invalid-argument", "This network's BTK cannot burn (it predates burning): the burn "
                                             "share must stay 0.")
    return terms


def call(gov, **terms):
    """The proposal's Call (governance.Call) setting ``terms`` (fee_bps, connector_bps, burn_bps, forfeit_bps)."""
    from ..governance import Call

    t = check(gov.chain, **terms)
    m = market_contract(gov.chain)
    calldata = bytes.fromhex(m.encode_abi("setTerms", [t])[2:])
    return Call(m.address, 0, calldata, describe(t))


def describe(terms) -> str:
    fee, connector, burn, forfeit = (int(x) for x in terms)
    return (f"Set the talent market terms: fee {percent(fee)} (paid by the client), each connector "
            f"{percent(connector)} of the price, burn {percent(burn)} of the fee's rest, late bond to the client "
            f"{percent(forfeit)}")
