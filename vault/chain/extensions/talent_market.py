"""TalentMarket as an extension: deployed after the core, governed by the timelock, its
terms from the ``talentMarket`` section of the deployment parameters.

BTK before ERC20Burnable (a chain made by an older version) cannot burn, and the
contract refuses a non-zero burn share there: the deployment probes the token as the
constructor does and deploys such a market with a burn share of 0 (governance can never
raise it: ``canBurn`` is false for good)."""

from __future__ import annotations

from ..revert import is_revert
from .base import DeployContext, Extension

KEY = "talent_market"
ARTIFACT = "TalentMarket"
DEFAULT_TERMS = {"feeBps": 250, "connectorBps": 100, "burnBps": 0, "forfeitBps": 10_000}
_BURN_ABI = [{"type": "function", "name": "burn", "stateMutability": "nonpayable",
              "inputs": [{"name": "value", "type": "uint256"}], "outputs": []}]


def constructor_args(addresses: dict[str, str], params: dict, *, can_burn: bool = True) -> list:
    """(token, soulbound, staking, governance = the timelock, terms) for TalentMarket."""
    p = {**DEFAULT_TERMS, **(params or {}).get("talentMarket", {})}
    terms = (p["feeBps"], p["connectorBps"], p["burnBps"] if can_burn else 0, p["forfeitBps"])
    return [addresses["token"], addresses["soulbound"], addresses["staking"], addresses["timelock"], terms]


def token_can_burn(chain, token: str, caller: str) -> bool:
    """Whether BTK at ``token`` has ``burn`` (burning 0 succeeds), as the constructor probes."""
    handle = chain.w3.eth.contract(address=chain.w3.to_checksum_address(token), abi=_BURN_ABI)
    try:
        handle.functions.burn(0).call({"from": chain.w3.to_checksum_address(caller)})
    except Exception as exc:  # noqa: BLE001 - only a revert means "cannot burn"; anything else is raised
        if not is_revert(exc):
            raise
        return False
    return True


def deploy(ctx: DeployContext) -> str:
    can_burn = token_can_burn(ctx.chain, ctx.addresses["token"], ctx.deployer)
    return ctx.create(ARTIFACT, *constructor_args(ctx.addresses, ctx.params, can_burn=can_burn))


EXTENSION = Extension(KEY, ARTIFACT, "the talent market", deploy)
