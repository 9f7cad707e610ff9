"""The DAO constitution (Constitution.sol, vault/chain/dao/constitution.py): version 1 is
the hash of the text shipped with the deployment (deploy-parameters → constitution)."""

from __future__ import annotations

from .base import DeployContext, Extension


def _deploy(ctx: DeployContext) -> str:
    from ..dao.constitution import initial_hash

    return ctx.create("Constitution", ctx.addresses["timelock"], initial_hash(ctx.params))


EXTENSION = Extension("constitution", "Constitution", "the DAO constitution", _deploy)
