"""The TalentMarket handle on a connected chain, and its manifest key."""

from __future__ import annotations

from ...errors import ChainError
from ..contracts import load_artifact

KEY = "talent_market"  # the manifest key
ARTIFACT = "TalentMarket"


def market_contract(chain):
    """The TalentMarket of ``chain``'s deployment; ChainError("not-deployed") in plain
    words when this network has none (a suite deployed before the talent market)."""
    contracts = chain.contracts  # not-deployed when there is no manifest at all
    extension = getattr(contracts, "extension", None)
    if extension is not None:
        return extension(KEY)
    address = (chain.manifest.contracts or {}).get(KEY)
    if not address:
        raise ChainError("not-deployed", "The talent market is not deployed on this network: its deployment "
                                         "predates it. Gigs of the older marketplace still work.")
    if not chain.w3.eth.get_code(chain.w3.to_checksum_address(address)):
        # A call to an address without code "succeeds" doing nothing: never send one.
        raise ChainError("not-deployed", f"The manifest names {address} as the talent market, but there is no "
                                         "contract there on this network.")
    from ..revert import decoding_contract_class

    return chain.w3.eth.contract(address=chain.w3.to_checksum_address(address),
                                 abi=load_artifact(ARTIFACT)["abi"], ContractFactoryClass=decoding_contract_class())
