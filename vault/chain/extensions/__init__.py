"""Contracts beyond the core six (timelock, token, governor, staking, marketplace,
soulbound): one module per extension in this package, each defining ``EXTENSION``
(an ``Extension``, see base.py), listed in ``_MODULES`` in deployment order.

What registering gives a contract:
- ``deploy_suite`` (``vault chain deploy`` and the embedded chain's first run) deploys it
  after the core and puts its address in the manifest under its key;
- an existing embedded chain (a user's, made by an older version) gets every missing
  extension deployed, with its demo data, the next time it is opened (``upgrade``);
- ``vault chain upgrade`` does the same on a JSON-RPC network, with a deployer key;
- ``chain.contracts.extension(key)`` is its web3 handle, or ChainError("not-deployed")
  in plain words on a network whose manifest lacks it (an older deployment).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import import_module

from .base import DeployContext, Extension

__all__ = ["DeployContext", "Extension", "registered", "titles", "artifacts", "missing"]

# Module names (in this package), in deployment order: an extension may use the
# addresses of the ones before it. Adding one: a module here, a line here.
_MODULES: tuple[str, ...] = ("talent_market", "rewards", "reputation", "peer_review", "constitution", "polls",
                             "grants", "escrow", "subdaos", "participation",
                             "weighted_governor", "crosschain", "subdao_grants")


@lru_cache(maxsize=1)
def _loaded() -> tuple[Extension, ...]:
    found = tuple(import_module(f"{__name__}.{name}").EXTENSION for name in _MODULES)
    keys = [e.key for e in found]
    if len(set(keys)) != len(keys):
        raise RuntimeError(f"two extensions share a manifest key: {keys}")
    return found


def registered() -> tuple[Extension, ...]:
    """Every extension, in deployment order."""
    return _loaded()


def artifacts() -> dict[str, str]:
    """Manifest key -> artifact name, for the contract handles."""
    return {e.key: e.artifact for e in registered()}


def titles() -> dict[str, str]:
    return {e.key: e.title for e in registered()}


def missing(addresses: dict[str, str]) -> list[Extension]:
    """The extensions a manifest's addresses lack, in deployment order."""
    return [e for e in registered() if e.key not in addresses]
