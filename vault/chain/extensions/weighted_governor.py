"""The weighted governor (BlocktrackWeightedGovernor.sol, vault/chain/dao/power.py): power
from delegated BTK, vote-escrow locks and credential bonuses; quadratic proposals.

A fresh deployment creates it as THE governor (manifest key "governor", deploy.py); this
extension then only wires its power sources (the escrow, the soulbound anchors, the rewards
pool's declared types), once, with the deployer's one-time ``configure``, and records the
same address under its own key. A deployment made by an older version (whose "governor" is
a BlocktrackGovernor) gets a new weighted governor with the same settings, wired the same
way; governance adopts it with the "adopt-weighted-governor" template, which moves the
timelock's proposer and canceller roles to it."""

from __future__ import annotations

import logging

from ..contracts import BTK, load_artifact
from .base import DeployContext, Extension

logger = logging.getLogger(__name__)

KEY = "weighted-governor"
ARTIFACT = "BlocktrackWeightedGovernor"


def _configurable_by(ctx: DeployContext, address: str) -> bool:
    """Whether the governor at ``address`` is a weighted one still waiting for the
    deployer's wiring (a fresh deployment's)."""
    handle = ctx.chain.w3.eth.contract(address=address, abi=load_artifact(ARTIFACT)["abi"])
    try:
        return handle.functions.configurator().call().lower() == ctx.deployer.lower()
    except Exception:  # noqa: BLE001 - an older BlocktrackGovernor has no configurator()
        logger.debug("the governor at %s is not a weighted one waiting for its wiring", address, exc_info=True)
        return False


def _deploy(ctx: DeployContext) -> str:
    a = ctx.addresses
    governor = a["governor"]
    if not _configurable_by(ctx, governor):
        g = ctx.params["governor"]
        governor = ctx.create(ARTIFACT, a["token"], a["timelock"], g["votingDelayBlocks"], g["votingPeriodBlocks"],
                              g["proposalThreshold"] * BTK, g["quorumPercent"], ctx.deployer)
    ctx.call(governor, ARTIFACT, "configure", a["escrow"], a["soulbound"], a["rewards"])
    return governor


EXTENSION = Extension(KEY, ARTIFACT, "the weighted governor", _deploy)
