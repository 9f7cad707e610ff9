"""The TalentMarket handle on a connected chain (a registered extension: its manifest key
and deployment are in vault/chain/extensions/talent_market.py)."""

from __future__ import annotations

from ...errors import ChainError
from ..extensions.talent_market import KEY


def market_contract(chain):
    """The TalentMarket of ``chain``'s deployment; ChainError("not-deployed") in plain
    words when this network has none (a deployment older than the talent market)."""
    handle = chain.contracts.extension(KEY)
    if not chain.w3.eth.get_code(handle.address):
        # A call to an address without code "succeeds" doing nothing: never send one.
        raise ChainError("not-deployed", f"The manifest names {handle.address} as the talent market, but there is "
                                         "no contract there on this network.")
    return handle
