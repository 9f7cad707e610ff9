"""The learn-to-earn RewardsPool (vault/chain/rewards.py), governed by the timelock, with
its section of deploy-parameters.json:

    "rewards": {"initialFunding", "demoSchedule": {"credentialType", "title", "amount",
                "budget", "durationBlocks"}}     amounts in whole BTK

The deployer funds the pool right after creating it (as it funds the staking reserve).
The demo schedule pays for credentials of the first account given the issuer role at
deployment (read from SoulboundCredential's RoleGranted events), when there is one.
"""

from __future__ import annotations

from eth_utils import event_abi_to_log_topic, keccak

from ..contracts import BTK, load_artifact
from .base import DeployContext, Extension

ISSUER_ROLE = keccak(text="ISSUER_ROLE")


def first_issuer(chain, soulbound: str) -> str | None:
    """The first account granted the issuer role on ``soulbound``, or None."""
    sbt = chain.w3.eth.contract(address=soulbound, abi=load_artifact("SoulboundCredential")["abi"])
    topic = event_abi_to_log_topic(sbt.events.RoleGranted.abi)
    for entry in chain.w3.eth.get_logs({"address": soulbound, "fromBlock": 0, "toBlock": "latest",
                                        "topics": [topic, ISSUER_ROLE]}):
        return chain.w3.to_checksum_address("0x" + bytes(entry["topics"][2])[-20:].hex())
    return None


def _deploy(ctx: DeployContext) -> str:
    chain, a, r = ctx.chain, ctx.addresses, ctx.params["rewards"]
    initial = []
    demo, issuer = r.get("demoSchedule"), first_issuer(chain, a["soulbound"])
    if demo and issuer:
        initial.append((issuer, keccak(text=demo["credentialType"]), demo["amount"] * BTK, demo["budget"] * BTK,
                        chain.block_number + demo["durationBlocks"], demo["title"]))
    pool = ctx.create("RewardsPool", a["token"], a["soulbound"], a["timelock"], initial)
    funding = r.get("initialFunding", 0) * BTK
    if funding:
        ctx.call(a["token"], "BTKToken", "approve", pool, funding)
        ctx.call(pool, "RewardsPool", "fund", funding)
    return pool


EXTENSION = Extension("rewards", "RewardsPool", "the learn-to-earn rewards pool", _deploy)
