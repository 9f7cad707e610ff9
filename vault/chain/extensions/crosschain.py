"""Votes from another chain (CrossChainVotes.sol, vault/chain/dao/crosschain.py): a
proposal's proposer records a Merkle root of BTK balances on another chain; holders there
vote with a proof and a signature that anyone relays. It reads the governor's proposal
states and is governed by the timelock. deploy-parameters → crossChain has no settings."""

from __future__ import annotations

from .base import DeployContext, Extension


def _deploy(ctx: DeployContext) -> str:
    # The weighted governor (registered before this) is the one whose proposals take remote
    # votes; on a fresh deployment it is also the "governor".
    a = ctx.addresses
    return ctx.create("CrossChainVotes", a.get("weighted-governor") or a["governor"], a["timelock"])


EXTENSION = Extension("crosschain", "CrossChainVotes", "cross-chain voting", _deploy)
