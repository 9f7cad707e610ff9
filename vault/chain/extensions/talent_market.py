"""TalentMarket as an extension: deployed after the core, governed by the timelock, its
terms from the ``talentMarket`` section of the deployment parameters.

BTK before ERC20Burnable (a chain made by an older version) cannot burn, and the
contract refuses a non-zero burn share there: the deployment probes the token as the
constructor does and deploys such a market with a burn share of 0 (governance can never
raise it: ``canBurn`` is false for good).

On the embedded chain, ``demo`` posts a few open offers from the demo client
(``vault.chain.demo``), so that a newcomer's Marketplace is not empty: one open to
anyone, one gated on a credential type the demo issuer anchors (the type the rewards
pool's demo schedule pays for), one on a minimum stake a welcome grant covers."""

from __future__ import annotations

from eth_utils import keccak

from ..contracts import BTK, ZERO_ADDRESS
from ..embedded import dev_address, dev_key
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


# The demo offers: (budget in BTK, delivery window in s, gate, details); gate is
# "credential" (the demo issuer's DEMO_CREDENTIAL_TYPE), a minimum stake in BTK, or None.
DEMO_CREDENTIAL_TYPE = "CourseCompletionCredential"
DEMO_OFFERS = [
    (300, 7 * 86_400, None, "Write unit tests for a small Python package\nAbout twenty functions; pytest."),
    (400, 10 * 86_400, "credential", "Tutor a first-year course for four weeks\nFor holders of a course "
                                     "completion credential from the demo issuer."),
    (200, 5 * 86_400, 100, "Review a staking dashboard's wording\nFor people with 100 BTK staked."),
]


def demo(chain) -> None:
    """The embedded chain's demo offers, posted by the demo client (its key is public:
    embedded chain only; deploy.py calls this only there)."""
    market = chain.contracts.extension(KEY)
    for budget, window, gate, details in DEMO_OFFERS:
        issuer, kind = (dev_address("issuer"), keccak(text=DEMO_CREDENTIAL_TYPE)) if gate == "credential" \
            else (ZERO_ADDRESS, b"\0" * 32)
        min_stake = gate * BTK if isinstance(gate, int) else 0
        chain.transact(dev_key("client"), {"to": market.address, "data": market.encode_abi(
            "post", [budget * BTK, window, (issuer, kind, min_stake), details])})


EXTENSION = Extension(KEY, ARTIFACT, "the talent market", deploy, demo)
