"""Grants paid by milestone (GrantEscrow.sol, vault/chain/dao/grants.py): the deployer
funds the first grants budget (deploy-parameters → grants.initialBudget, whole BTK);
later budget comes from the treasury by a proposal (a grant to the escrow's address)."""

from __future__ import annotations

from ..contracts import BTK
from .base import DeployContext, Extension


def _deploy(ctx: DeployContext) -> str:
    token = ctx.addresses["token"]
    escrow = ctx.create("GrantEscrow", token, ctx.addresses["timelock"])
    budget = int(ctx.params.get("grants", {}).get("initialBudget", 0)) * BTK
    if budget:
        ctx.call(token, "BTKToken", "approve", escrow, budget)
        ctx.call(escrow, "GrantEscrow", "fund", budget)
    return escrow


EXTENSION = Extension("grants", "GrantEscrow", "the grants escrow", _deploy)
