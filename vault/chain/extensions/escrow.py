"""Vote-escrow (VoteEscrow.sol, vault/chain/dao/escrow.py): BTK locked for longer counts
for more in polls (deploy-parameters → escrow: the longest and shortest lock, in blocks)."""

from __future__ import annotations

from .base import DeployContext, Extension


def _deploy(ctx: DeployContext) -> str:
    e = ctx.params.get("escrow", {})
    return ctx.create("VoteEscrow", ctx.addresses["token"], ctx.addresses["timelock"],
                      int(e.get("maxLockBlocks", 2_628_000)), int(e.get("minLockBlocks", 100)))


EXTENSION = Extension("escrow", "VoteEscrow", "the vote-escrow", _deploy)
