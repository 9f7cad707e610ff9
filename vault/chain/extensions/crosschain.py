"""Votes from another chain (CrossChainVotes.sol, vault/chain/dao/crosschain.py): a
proposal's proposer records a Merkle root of BTK balances on another chain; holders there
vote with a proof and a signature that anyone relays. It reads the governor's proposal
states and is governed by the timelock. deploy-parameters → crossChain has no settings."""

from __future__ import annotations

from .base import DeployContext, Extension


def _deploy(ctx: DeployContext) -> str:
    return ctx.create("CrossChainVotes", ctx.addresses["governor"], ctx.addresses["timelock"])


EXTENSION = Extension("crosschain", "CrossChainVotes", "cross-chain voting", _deploy)
