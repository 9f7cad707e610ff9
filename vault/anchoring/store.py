"""What the vault knows about its credentials' soulbound tokens, per chain id (another
network has other tokens), so that a card can say "anchored on chain" or "revoked on
chain" without a network. Kept through the credential repository, which owns the
credentials table; each credential's hash is computed once and kept there too."""

from __future__ import annotations

from ..credentials.repository import AnchorState, CredentialRepository
from .hashing import hash_hex

__all__ = ["AnchorState", "fill_hashes", "record_tokens", "forget", "states", "state_of", "chain_hash"]


def fill_hashes(store, *, batch: int = 500) -> int:
    """Compute the on-chain hash of the credentials stored since the last time; returns how many."""
    return CredentialRepository(store).fill_chain_hashes(hash_hex, batch=batch)


def record_tokens(store, chain_id: int, tokens: list[dict]) -> None:
    """Keep tokens as ``vault.chain.soulbound.token`` returns them."""
    CredentialRepository(store).record_anchors(chain_id, tokens)


def forget(store, chain_id: int, credential_hash: str) -> None:
    CredentialRepository(store).forget_anchor(chain_id, credential_hash)


def states(store, chain_id: int) -> dict[str, AnchorState]:
    """Every stored credential known to be anchored (or revoked) on ``chain_id``."""
    return CredentialRepository(store).anchor_states(chain_id)


def state_of(store, chain_id: int, credential_id: str) -> AnchorState | None:
    return CredentialRepository(store).anchor_state(chain_id, credential_id)


def chain_hash(store, credential_id: str) -> str | None:
    """The stored credential's hash ("0x…"), computed now if it was not yet; None for an unknown id."""
    fill_hashes(store)
    return CredentialRepository(store).chain_hash(credential_id)
