"""Milestone grants out of a sub-DAO's budget (SubDaoGrants.sol,
vault/chain/dao/subdao_grants.py): reads the sub-DAO treasury deployed before it, pays
cancelled grants' unreleased BTK back into its reserve. No deploy parameters."""

from __future__ import annotations

from .base import DeployContext, Extension


def _deploy(ctx: DeployContext) -> str:
    return ctx.create("SubDaoGrants", ctx.addresses["token"], ctx.addresses["subdaos"], ctx.addresses["timelock"])


EXTENSION = Extension("subdao-grants", "SubDaoGrants", "the sub-DAO milestone grants", _deploy)
