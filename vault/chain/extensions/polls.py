"""Gas-free polls (PollRegistry.sol, vault/chain/dao/polls.py): creating one needs the
votes of deploy-parameters → polls.creationThreshold (whole BTK) at its snapshot."""

from __future__ import annotations

from ..contracts import BTK
from .base import DeployContext, Extension


def _deploy(ctx: DeployContext) -> str:
    threshold = int(ctx.params.get("polls", {}).get("creationThreshold", 0)) * BTK
    return ctx.create("PollRegistry", ctx.addresses["token"], ctx.addresses["timelock"], threshold)


EXTENSION = Extension("polls", "PollRegistry", "the poll registry", _deploy)
