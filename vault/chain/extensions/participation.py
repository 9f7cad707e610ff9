"""Rewards for taking part (ParticipationRewards.sol, vault/chain/dao/rewards.py): voters
on proposals that reached quorum share each epoch's budget; proposers of executed
proposals get a bounty. deploy-parameters → participation: epochBlocks, epochBudget and bounty
(whole BTK), initialReserve (whole BTK the deployer sends; later the treasury tops it up
with an ordinary treasury grant to the contract's address)."""

from __future__ import annotations

from ..contracts import BTK
from .base import DeployContext, Extension


def _deploy(ctx: DeployContext) -> str:
    p = ctx.params.get("participation", {})
    token = ctx.addresses["token"]
    rewards = ctx.create("ParticipationRewards", token, ctx.addresses["governor"], ctx.addresses["timelock"],
                         int(p.get("epochBlocks", 200)), int(p.get("epochBudget", 0)) * BTK,
                         int(p.get("bounty", 0)) * BTK)
    reserve = int(p.get("initialReserve", 0)) * BTK
    if reserve:
        ctx.call(token, "BTKToken", "approve", rewards, reserve)
        ctx.call(rewards, "ParticipationRewards", "fund", reserve)
    return rewards


EXTENSION = Extension("participation", "ParticipationRewards", "the participation rewards", _deploy)
