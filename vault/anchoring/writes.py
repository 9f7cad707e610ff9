"""Anchor a credential to its holder, or revoke its anchor: the credential's bytes hashed
(and, by default, carried in the token URI) here, the contract calls in
``vault.chain.soulbound``. Both return TxRequests for the transaction service."""

from __future__ import annotations

from ..chain import soulbound
from .hashing import credential_hash
from .token_uri import data_uri


def issue_requests(service, issuer: str, holder: str, original: bytes, *, uri: str | None = None,
                   embed: bool = True) -> list:
    """[approve fee?, issue]: anchor ``original`` to ``holder`` (an address or did:pkh).
    The token URI is ``uri``, else (``embed``) the credential itself as a data: URI."""
    token_uri = uri if uri is not None else (data_uri(original) if embed else "")
    return soulbound.issue_requests(service, issuer, holder, credential_hash(original), uri=token_uri)


def revoke_request(service, issuer: str, *, token_id: int | None = None, original: bytes | None = None):
    """Revoke the token ``token_id``, or the one anchoring ``original``."""
    if token_id is None and original is None:
        raise ValueError("give token_id or original")
    return soulbound.revoke_request(service, issuer, token_id=token_id,
                                    credential_hash=None if original is None else credential_hash(original))
