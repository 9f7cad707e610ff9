"""Deploying the learn-to-earn and reputation extensions (RewardsPool, ReputationRegistry)
next to a deployed core suite, with their section of deploy-parameters.json:

    "rewards":    {"initialFunding", "demoSchedule": {"credentialType", "title", "amount",
                   "budget", "durationBlocks"}}   (amounts in whole BTK)
    "reputation": {"unbondingBlocks"}

Both are governed by the timelock from their constructor on. The deployer funds the pool
right after it is created (as it funds the staking reserve); the demo schedule pays for
credentials of the first issuer.
"""

from __future__ import annotations

from eth_utils import keccak

from .abi import constructor_data
from .contracts import BTK, deploy_parameters, load_artifact

REWARDS, REPUTATION = "rewards", "reputation"  # manifest keys
ARTIFACTS = {REWARDS: "RewardsPool", REPUTATION: "ReputationRegistry"}


def _send(chain, key: bytes, tx: dict):
    return chain.transact(key, tx)


def deploy_rewards(chain, deployer_key: bytes, core: dict[str, str], *, issuers: list[str],
                   params: dict | None = None) -> str:
    """Create and fund the RewardsPool; returns its address. ``core``: the suite's manifest
    addresses (timelock, token, soulbound)."""
    r = (params or deploy_parameters())[REWARDS]
    initial = []
    demo = r.get("demoSchedule")
    if demo and issuers:
        initial.append((chain.w3.to_checksum_address(issuers[0]), keccak(text=demo["credentialType"]),
                        demo["amount"] * BTK, demo["budget"] * BTK, chain.block_number + demo["durationBlocks"],
                        demo["title"]))
    address = _send(chain, deployer_key, {"data": constructor_data(
        "RewardsPool", core["token"], core["soulbound"], core["timelock"], initial)}).contractAddress
    funding = r.get("initialFunding", 0) * BTK
    if funding:
        token = chain.w3.eth.contract(address=core["token"], abi=load_artifact("BTKToken")["abi"])
        pool = chain.w3.eth.contract(address=address, abi=load_artifact("RewardsPool")["abi"])
        _send(chain, deployer_key, {"to": token.address, "data": token.encode_abi("approve", [address, funding])})
        _send(chain, deployer_key, {"to": address, "data": pool.encode_abi("fund", [funding])})
    return address


def deploy_reputation(chain, deployer_key: bytes, core: dict[str, str], *, params: dict | None = None) -> str:
    """Create the ReputationRegistry; returns its address."""
    p = (params or deploy_parameters())[REPUTATION]
    return _send(chain, deployer_key, {"data": constructor_data(
        "ReputationRegistry", core["token"], core["timelock"], p["unbondingBlocks"])}).contractAddress
