"""The chain side of the app: one session per unlocked vault, one write dialog, and the
Wallet, Staking, Governance and Marketplace pages over vault.chain."""

from .session import ChainSession

__all__ = ["ChainSession"]
