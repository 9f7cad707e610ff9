"""The ReputationRegistry (vault/chain/reputation.py): reputation bonds, governed by the
timelock; deploy-parameters.json's "reputation": {"unbondingBlocks"}."""

from __future__ import annotations

from .base import DeployContext, Extension


def _deploy(ctx: DeployContext) -> str:
    a = ctx.addresses
    return ctx.create("ReputationRegistry", a["token"], a["timelock"], ctx.params["reputation"]["unbondingBlocks"])


EXTENSION = Extension("reputation", "ReputationRegistry", "the reputation bond registry", _deploy)
