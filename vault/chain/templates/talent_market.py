"""Governance template for the talent market: its terms (fee, connector share, burn share,
bond forfeit) in one call to TalentMarket.setTerms through the timelock, checked against
the contract's caps before anything is proposed (a call that would revert passes the vote
and then fails when executed)."""

from __future__ import annotations

from ...errors import ChainError
from ..talent.contract import market_contract
from ..units import percent
from .base import Field, Template

FIELDS = ("fee_bps", "connector_bps", "burn_bps", "forfeit_bps")
_CAPS = ("max_fee_bps", "max_connector_bps", "max_burn_bps", "max_forfeit_bps")
_WHAT = ("fee", "connector share", "burn share", "bond forfeit share")


def _market(chain):
    return market_contract(chain)


def limits(chain) -> dict:
    """The caps and the current terms, for a form: {max_fee_bps, ..., current: {...}, can_burn}."""
    f = _market(chain).functions
    return {"max_fee_bps": int(f.MAX_FEE_BPS().call()), "max_connector_bps": int(f.MAX_CONNECTOR_BPS().call()),
            "max_burn_bps": int(f.MAX_BURN_BPS().call()), "max_forfeit_bps": int(f.MAX_FORFEIT_BPS().call()),
            "current": dict(zip(FIELDS, (int(x) for x in f.terms().call()))), "can_burn": bool(f.canBurn().call())}


def check(chain, *, fee_bps: int, connector_bps: int, burn_bps: int, forfeit_bps: int) -> tuple:
    """The terms as the contract takes them, or ChainError("invalid-argument") saying which is wrong."""
    lim = limits(chain)
    terms = tuple(int(x) for x in (fee_bps, connector_bps, burn_bps, forfeit_bps))
    for value, cap, what in zip(terms, _CAPS, _WHAT):
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


def _args(values: dict, gov) -> list:
    return [check(gov.chain, **{f: values[f] for f in FIELDS})]


def describe(args: dict) -> str:
    t = args["newTerms"]
    fee, connector, burn, forfeit = (int(t[k]) for k in ("feeBps", "connectorBps", "burnBps", "forfeitBps")) \
        if hasattr(t, "keys") else (int(x) for x in t)
    return (f"Set the talent market terms: fee {percent(fee)} (paid by the client), each connector "
            f"{percent(connector)} of the price, burn {percent(burn)} of the fee's rest, late bond to the client "
            f"{percent(forfeit)}")


TEMPLATES = (
    Template("talent-terms", "Talent market terms",
             "Change the talent market's fee (paid by the client on top of the price), each connector's share "
             "of the price, the share of the fee's rest that is burned, and the share of a late talent's bond "
             "the client gets.",
             (Field("fee_bps", "Fee", "bps", "of the price, paid by the client (at most 10 %)"),
              Field("connector_bps", "Connector share", "bps", "of the price, to each side's referrer, out of "
                                                                "the fee (at most 2.5 %)"),
              Field("burn_bps", "Burn share", "bps", "of what the fee leaves after the connectors (at most 50 %)"),
              Field("forfeit_bps", "Late bond to the client", "bps", "of the talent's bond, on a refund after the "
                                                                      "delivery window")),
             "talent_market", "setTerms", _args, describe),
)
