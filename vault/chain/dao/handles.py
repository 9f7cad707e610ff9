"""The DAO contracts' handles on a connected chain.

They are extensions of the core suite (vault/chain/extensions.py registers them with
``deploy_suite``); a network deployed before they existed has none of them, which is a
ChainError("not-deployed") that names what is missing.
"""

from __future__ import annotations

from ...errors import ChainError

# Manifest key -> (artifact, what it is in words).
DAO_CONTRACTS: dict[str, tuple[str, str]] = {
    "constitution": ("Constitution", "DAO constitution"),
    "polls": ("PollRegistry", "poll registry"),
}


def dao_contract(chain, key: str):
    """The web3 handle of the DAO contract ``key`` on ``chain``."""
    extension = getattr(chain.contracts, "extension", None)
    if extension is not None:
        return extension(key)
    from ..contracts import load_artifact
    from ..revert import decoding_contract_class

    artifact, words = DAO_CONTRACTS[key]
    address = (chain.manifest.contracts if chain.manifest else {}).get(key)
    if not address:
        raise ChainError("not-deployed", f"This network has no {words} contract: it was deployed before the "
                                         "DAO's constitution, polls and grants existed. Deploy them (`vault chain "
                                         "deploy` on a new network) or ask its operator.")
    w3 = chain.w3
    return w3.eth.contract(address=w3.to_checksum_address(address), abi=load_artifact(artifact)["abi"],
                           ContractFactoryClass=decoding_contract_class())
