"""The SoulboundCredential contract, in its own terms: a 32-byte credential hash, a token
id, a token URI. Anchor a hash to its holder's address, revoke a token, read tokens
(docs/soulbound.md). What a credential's hash is, and what the vault does with the
answers, is vault.anchoring's: it sits above both the chain and the credentials.

    requests = issue_requests(service, issuer, holder, credential_hash, uri=...)  # TxRequests
    token_of_credential(chain, credential_hash) -> (token_id, holder, revoked)
    hash_status(chain, credential_hash)   -> "anchored" | "revoked" | "not-anchored"
    scan(chain, addresses)                -> the soulbound tokens held by those addresses

Errors name their cause: not-issuer (the account lacks ISSUER_ROLE), already-anchored,
not-anchored, already-revoked, not-credential-issuer, insufficient-btk (the issuance fee).
"""

from __future__ import annotations

from datetime import datetime, timezone

from ..errors import ChainError
from .units import format_units, parse_address

ANCHORED, REVOKED, NOT_ANCHORED = "anchored", "revoked", "not-anchored"
# The issue's preview limit while its fee approval is not mined yet: at least the limit it
# is signed with once estimated (with the margin), since the fee shown is the most it may
# cost (measured: ~465k gas plus ~900 per URI byte on anvil and the embedded chain).
ISSUE_GAS = 480_000
URI_BYTE_GAS = 950  # per byte of token URI (stored on chain: 20,000 gas per 32 bytes, plus the margin)
ZERO = "0x" + "00" * 20


def _hash32(credential_hash: bytes) -> bytes:
    """A credential hash as the contract takes it; anything else is a caller's mistake
    (e.g. a credential's bytes passed where its hash belongs: vault.anchoring hashes)."""
    chash = bytes(credential_hash)
    if len(chash) != 32:
        raise ValueError(f"a credential hash is 32 bytes, not {len(chash)} (hash the credential first)")
    return chash


# ---- reading ----------------------------------------------------------------------------

def token_of_credential(chain, credential_hash: bytes) -> tuple[int, str, bool]:
    """(token id, holder, revoked) of the token anchoring ``credential_hash``; token id 0
    when it is not anchored. Raises ChainError when the chain cannot be asked."""
    token_id, holder, revoked = chain.contracts.soulbound.functions.tokenOfCredential(_hash32(credential_hash)).call()
    return int(token_id), holder, bool(revoked)


def hash_status(chain, credential_hash: bytes) -> str:
    """'anchored' (and not revoked), 'revoked' or 'not-anchored'."""
    token_id, _, revoked = token_of_credential(chain, credential_hash)
    if token_id == 0:
        return NOT_ANCHORED
    return REVOKED if revoked else ANCHORED


def token(chain, token_id: int) -> dict:
    """One soulbound token: {token_id, holder, credential_hash, issuer, issued_at, revoked,
    revoked_at, uri}."""
    sbt = chain.contracts.soulbound
    try:
        holder, (chash, issuer, issued_at, revoked, revoked_at, uri) = sbt.functions.credential(token_id).call()
    except ChainError as exc:  # the read reverts for a token that was never minted
        if exc.reason == "reverted":
            raise ChainError("unknown-token", f"There is no credential token {token_id}.") from exc
        raise

    def when(ts):
        return datetime.fromtimestamp(ts, timezone.utc).isoformat() if ts else None

    return {"token_id": token_id, "holder": holder, "credential_hash": "0x" + bytes(chash).hex(),
            "issuer": issuer, "issued_at": when(issued_at), "revoked": bool(revoked),
            "revoked_at": when(revoked_at), "uri": uri}


def scan(chain, addresses: list[str]) -> list[dict]:
    """Every soulbound token issued to ``addresses``."""
    sbt = chain.contracts.soulbound
    out = []
    for address in addresses:
        for token_id in sbt.functions.tokensOf(chain.w3.to_checksum_address(address)).call():
            out.append(token(chain, token_id))
    return out


# ---- writes -----------------------------------------------------------------------------

def is_issuer(chain, address: str) -> bool:
    sbt = chain.contracts.soulbound
    role = sbt.functions.ISSUER_ROLE().call()
    return sbt.functions.hasRole(role, chain.w3.to_checksum_address(address)).call()


def issue_requests(service, issuer: str, holder: str, credential_hash: bytes, *, uri: str = "") -> list:
    """[approve fee?, issue]: anchor ``credential_hash`` to ``holder`` (an address or
    did:pkh) with the token URI ``uri``."""
    chash = _hash32(credential_hash)
    chain = service.chain
    sbt, tok = chain.contracts.soulbound, chain.contracts.token
    issuer = chain.w3.to_checksum_address(issuer)
    holder = parse_address(holder, chain.chain_id)
    if not is_issuer(chain, issuer):
        raise ChainError("not-issuer", f"{issuer} does not hold the issuer role on the SoulboundCredential "
                                       "contract, so it cannot anchor credentials (governance grants the role).")
    token_id, _, _ = token_of_credential(chain, chash)
    if token_id:
        raise ChainError("already-anchored", f"This credential is already anchored as token {token_id}.",
                         token_id=token_id)
    fee = sbt.functions.issuanceFee().call()
    held = chain.btk_balance(issuer)
    if held < fee:
        raise ChainError("insufficient-btk", f"Not enough BTK for the issuance fee: {issuer} holds "
                                             f"{format_units(held)}, the fee is {format_units(fee)}.",
                         balance=str(held), needed=str(fee))
    requests = []
    if fee and tok.functions.allowance(issuer, sbt.address).call() < fee:
        requests.append(service.contract_call("btk-approve", tok, "approve", [sbt.address, fee], issuer,
                                              description=f"Allow the credential contract to take the issuance "
                                                          f"fee of {format_units(fee)}",
                                              params={"spender": sbt.address, "amount": str(fee)}))
    token_uri = uri or ""
    issue = service.contract_call("soulbound-issue", sbt, "issue", [holder, chash, token_uri], issuer,
                                  description=f"Anchor credential 0x{chash.hex()[:16]}… to {holder} "
                                              f"(fee {format_units(fee)})",
                                  params={"holder": holder, "credential_hash": "0x" + chash.hex(),
                                          "uri_kind": token_uri.split(":", 1)[0] if token_uri else "",
                                          "fee": str(fee)}, btk_amount=fee)
    if requests:
        issue.gas = ISSUE_GAS + URI_BYTE_GAS * len(token_uri.encode())
    requests.append(issue)
    return requests


def revoke_request(service, issuer: str, *, token_id: int | None = None, credential_hash: bytes | None = None):
    """Revoke the token ``token_id``, or the one anchoring ``credential_hash``."""
    chain = service.chain
    sbt = chain.contracts.soulbound
    issuer = chain.w3.to_checksum_address(issuer)
    if token_id is None:
        if credential_hash is None:
            raise ValueError("give token_id or credential_hash")
        token_id = token_of_credential(chain, credential_hash)[0]
        if not token_id:
            raise ChainError("not-anchored", "This credential is not anchored on chain: there is nothing to revoke.")
    t = token(chain, token_id)
    if t["revoked"]:
        raise ChainError("already-revoked", f"Credential token {token_id} is already revoked.")
    if t["issuer"].lower() != issuer.lower():
        raise ChainError("not-credential-issuer", f"{issuer} did not issue credential token {token_id} "
                                                  f"(issuer: {t['issuer']}) and cannot revoke it.")
    if not is_issuer(chain, issuer):
        raise ChainError("not-issuer", f"{issuer} no longer holds the issuer role, so it cannot revoke "
                                       f"credential token {token_id}.")
    return service.contract_call("soulbound-revoke", sbt, "revoke", [token_id], issuer,
                                 description=f"Revoke credential token {token_id} (holder {t['holder']})",
                                 params={"token_id": token_id, "credential_hash": t["credential_hash"]})
