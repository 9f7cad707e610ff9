"""Sub-DAOs (SubDaoTreasury.sol, vault/chain/dao/subdaos.py): four councils, each
spending a budget the main DAO allocates out of the contract's reserve.

deploy-parameters → subdaos: ``daos`` (name, council addresses, approvals needed; an
empty council is the deployer's account until governance appoints one with the
"sub-DAO council" template) and ``initialReserve`` (whole BTK the deployer sends, so that
the first budgets can be allocated without a treasury grant first)."""

from __future__ import annotations

from ..contracts import BTK
from .base import DeployContext, Extension

DEFAULT_DAOS = ("Ecosystem Growth", "SkillFi Economy", "Education Innovation", "Builders")


def _deploy(ctx: DeployContext) -> str:
    p = ctx.params.get("subdaos", {})
    daos = p.get("daos") or [{"name": name} for name in DEFAULT_DAOS]
    names = [d["name"] for d in daos]
    councils = [list(d.get("council") or [ctx.deployer]) for d in daos]
    thresholds = [int(d.get("threshold", 1)) for d in daos]
    token = ctx.addresses["token"]
    treasury = ctx.create("SubDaoTreasury", token, ctx.addresses["timelock"], names, councils, thresholds)
    reserve = int(p.get("initialReserve", 0)) * BTK
    if reserve:
        ctx.call(token, "BTKToken", "approve", treasury, reserve)
        ctx.call(treasury, "SubDaoTreasury", "fund", reserve)
    return treasury


EXTENSION = Extension("subdaos", "SubDaoTreasury", "the sub-DAO treasury", _deploy)
