"""The one way the vault learns what is anchored, for the command line and the app alike.

The chain is read in one pass that costs what the vault's accounts hold, never once per
stored credential: the tokens issued to the vault's accounts (``tokensOf``, then each
token), matched to stored credentials by the hash each has kept since it was first
needed. A token whose URI carries the credential itself (a data: URI matching its hash)
can be imported, verified like any other. Everything learned is kept per chain id.

One stored credential (the detail view, and after the vault's own anchor or revoke) is
asked about on request, whoever holds its token: ``check``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..chain import soulbound
from ..credentials.service import CredentialService
from ..errors import InvalidCredential
from . import store as anchors
from .hashing import hash_hex
from .token_uri import decode_data_uri


@dataclass
class SyncResult:
    chain_id: int
    # The tokens of the accounts as vault.chain.soulbound.token returns them, plus
    # credential_id (the stored credential it anchors, if any), imported, import_error.
    tokens: list[dict]
    states: dict[str, anchors.AnchorState]   # stored credential id -> what this chain says


def sync(chain, store, accounts: list[str], *, import_carried: bool = False) -> SyncResult:
    """Read the tokens of ``accounts``, keep them, and (``import_carried``) import the
    credentials their URIs carry; returns what the chain says of the stored credentials."""
    tokens = soulbound.scan(chain, accounts)
    anchors.record_tokens(store, chain.chain_id, tokens)   # for the cards, offline
    for t in tokens:
        t["credential_id"], t["imported"], t["import_error"] = None, False, None
    if import_carried:
        _import_carried(store, tokens)
    anchors.fill_hashes(store)
    states = anchors.states(store, chain.chain_id)
    by_hash = {state.credential_hash: cid for cid, state in states.items()}
    for t in tokens:
        t["credential_id"] = t["credential_id"] or by_hash.get(t["credential_hash"].lower())
    return SyncResult(chain.chain_id, tokens, states)


def _import_carried(store, tokens: list[dict]) -> None:
    """Import the credential a token's data: URI carries, only if it is the one anchored."""
    credentials = CredentialService(store)
    for t in tokens:
        carried = decode_data_uri(t["uri"])
        if carried is None:
            continue
        if hash_hex(carried) != t["credential_hash"].lower():
            t["import_error"] = "the token URI's credential does not match the anchored hash"
            continue
        try:
            result = credentials.import_bytes(carried)
        except InvalidCredential as exc:
            t["import_error"] = str(exc)
            continue
        t["credential_id"], t["imported"] = result.summary.id, result.created


def check(chain, store, credential_id: str) -> anchors.AnchorState | None:
    """Ask the chain about one stored credential (whoever holds its token), keep the
    answer; None when it is not anchored on this chain."""
    chash = anchors.chain_hash(store, credential_id)
    if chash is None:
        return None
    token_id, _, _ = soulbound.token_of_credential(chain, bytes.fromhex(chash[2:]))
    if not token_id:
        anchors.forget(store, chain.chain_id, chash)
        return None
    anchors.record_tokens(store, chain.chain_id, [soulbound.token(chain, token_id)])
    return anchors.state_of(store, chain.chain_id, credential_id)
