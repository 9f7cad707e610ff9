"""Deploying the talent market next to a suite: its constructor arguments from the suite's
addresses and the ``talentMarket`` section of the deployment parameters."""

from __future__ import annotations

from ..abi import constructor_data
from ..contracts import deploy_parameters
from .contract import ARTIFACT, KEY

DEFAULT_TERMS = {"feeBps": 250, "connectorBps": 100, "burnBps": 0, "forfeitBps": 10_000}


def constructor_args(addresses: dict[str, str], params: dict | None = None) -> list:
    """(token, soulbound, staking, governance = the timelock, terms) for TalentMarket."""
    p = (params or deploy_parameters()).get("talentMarket", DEFAULT_TERMS)
    terms = (p["feeBps"], p["connectorBps"], p["burnBps"], p["forfeitBps"])
    return [addresses["token"], addresses["soulbound"], addresses["staking"], addresses["timelock"], terms]


def deploy(chain, deployer_key: bytes, addresses: dict[str, str], params: dict | None = None) -> str:
    """Deploy TalentMarket for the suite at ``addresses`` with ``deployer_key``; its address.
    On a chain whose BTK cannot burn, a non-zero burn share is refused by the constructor
    (BurnNotSupported): the burn share is then deployed as 0."""
    args = constructor_args(addresses, params)
    token = chain.w3.eth.contract(address=addresses["token"], abi=[{
        "type": "function", "name": "burn", "stateMutability": "nonpayable",
        "inputs": [{"name": "value", "type": "uint256"}], "outputs": []}])
    try:  # the old token has no burn: the same probe as the constructor's
        token.functions.burn(0).call({"from": chain.w3.to_checksum_address(addresses["timelock"])})
    except Exception as exc:  # noqa: BLE001 - only a revert means "cannot burn"
        from ..revert import is_revert

        if not is_revert(exc):
            raise
        args[4] = (*args[4][:2], 0, args[4][3])
    return chain.transact(deployer_key, {"data": constructor_data(ARTIFACT, *args)}).contractAddress


__all__ = ["KEY", "constructor_args", "deploy"]
