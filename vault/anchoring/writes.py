"""Anchor a credential to its holder, or revoke its anchor: the credential's bytes hashed
(and, by default, carried in the token URI) here, the contract calls in
``vault.chain.soulbound``. Both return TxRequests for the transaction service."""

from __future__ import annotations

import json

from ..chain import rewards, soulbound
from .hashing import credential_hash
from .token_uri import data_uri


def issue_requests(service, issuer: str, holder: str, original: bytes, *, uri: str | None = None,
                   embed: bool = True, reward_type: str | None = None) -> list:
    """[approve fee?, issue, declare type?]: anchor ``original`` to ``holder`` (an address or
    did:pkh). The token URI is ``uri``, else (``embed``) the credential itself as a data:
    URI. ``reward_type`` (a type name, or "auto": the credential's most specific type, when
    it names one and the network has the rewards pool) also declares its type on the
    rewards pool, so that learn-to-earn schedules pay for it."""
    token_uri = uri if uri is not None else (data_uri(original) if embed else "")
    chash = credential_hash(original)
    requests = soulbound.issue_requests(service, issuer, holder, chash, uri=token_uri)
    if reward_type:
        if reward_type == "auto":
            reward_type = _type_of(original) if rewards.has_pool(service.chain) else None
        if reward_type:
            requests.append(rewards.declare_type_request(service, issuer, chash, reward_type))
    return requests


def _type_of(original: bytes) -> str | None:
    """The most specific type a JSON credential names; None for other formats."""
    try:
        return rewards.credential_type_name(json.loads(original))
    except (ValueError, UnicodeDecodeError):
        return None


def revoke_request(service, issuer: str, *, token_id: int | None = None, original: bytes | None = None):
    """Revoke the token ``token_id``, or the one anchoring ``original``."""
    if token_id is None and original is None:
        raise ValueError("give token_id or original")
    return soulbound.revoke_request(service, issuer, token_id=token_id,
                                    credential_hash=None if original is None else credential_hash(original))
