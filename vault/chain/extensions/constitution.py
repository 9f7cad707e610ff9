"""The DAO constitution (Constitution.sol, vault/chain/dao/constitution.py): version 1 is
the hash of the text shipped with the deployment (deploy-parameters → constitution)."""

from __future__ import annotations

from eth_utils import keccak

from ..contracts import CONTRACTS_DIR
from .base import DeployContext, Extension


def initial_hash(params: dict) -> bytes:
    """Version 1 on chain: the keccak-256 of the text file the parameters name, as shipped
    in resources/contracts/constitution/ (vault/chain/dao/constitution.py reads it there)."""
    name = params.get("constitution", {}).get("textFile", "v1.md")
    return keccak((CONTRACTS_DIR / "constitution" / name).read_bytes())


def _deploy(ctx: DeployContext) -> str:
    return ctx.create("Constitution", ctx.addresses["timelock"], initial_hash(ctx.params))


EXTENSION = Extension("constitution", "Constitution", "the DAO constitution", _deploy)
