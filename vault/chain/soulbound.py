"""Soulbound credentials: anchor a stored credential to its holder's address, revoke it,
and let holders and verifiers see what is anchored (docs/soulbound.md).

``credentialHash = keccak256(the credential's identity)``: a JSON credential's JCS form,
an SD-JWT's issuer-signed JWT, a JWT's text (docs/soulbound.md) — what stays the same
when the credential travels inside a presentation.

    request = issue_request(service, issuer, holder, original)   # TxRequests for TxService
    anchor_status(chain, original)   -> "anchored" | "revoked" | "not-anchored"
    scan(chain, addresses)           -> the soulbound tokens held by those addresses
    sync(chain, identity)            -> scan the vault's accounts, import credentials carried
                                        in data: URIs, and match tokens to stored credentials

Errors name their cause: not-issuer (the account lacks ISSUER_ROLE), already-anchored,
not-anchored, already-revoked, not-credential-issuer, insufficient-btk (the issuance fee).
"""

from __future__ import annotations

import base64
import urllib.parse
from datetime import datetime, timezone

from eth_utils import keccak

from ..errors import ChainError, VaultError
from .units import format_units

ANCHORED, REVOKED, NOT_ANCHORED = "anchored", "revoked", "not-anchored"
# The issue's preview limit while its fee approval is not mined yet: at least the limit it
# is signed with once estimated (with the margin), since the fee shown is the most it may
# cost (measured: ~465k gas plus ~900 per URI byte on anvil and the embedded chain).
ISSUE_GAS = 480_000
URI_BYTE_GAS = 950  # per byte of token URI (stored on chain: 20,000 gas per 32 bytes, plus the margin)
ZERO = "0x" + "00" * 20


def credential_hash(original: bytes) -> bytes:
    """The on-chain credentialHash: keccak-256 of what identifies the credential however
    it is carried. A JSON credential is re-serialised inside a presentation, so its JCS
    form (RFC 8785, the same form as the vault's record id); an SD-JWT is presented with
    a subset of its disclosures and a key binding JWT, so its issuer-signed JWT; a JWT is
    its compact text."""
    import rfc8785

    from .. import safejson

    text = bytes(original).strip()
    if text.startswith(b"{"):
        try:
            return keccak(rfc8785.dumps(safejson.loads(text)))
        except (ValueError, UnicodeDecodeError, rfc8785.CanonicalizationError, RecursionError):
            return keccak(text)
    return keccak(text.split(b"~", 1)[0])


def _media_type(original: bytes) -> str:
    text = bytes(original).lstrip()
    if text.startswith(b"{"):
        return "application/vc+ld+json"
    if b"~" in text:
        return "application/vc+sd-jwt"
    return "application/vc+jwt"


def data_uri(original: bytes) -> str:
    """The credential itself as a data: URI (base64), for a token URI."""
    return f"data:{_media_type(original)};base64,{base64.b64encode(bytes(original)).decode()}"


def decode_data_uri(uri: str) -> bytes | None:
    """The bytes a data: URI carries; None for any other URI or a malformed one."""
    if not uri.startswith("data:") or "," not in uri:
        return None
    header, payload = uri[5:].split(",", 1)
    try:
        if header.endswith(";base64"):
            return base64.b64decode(payload, validate=True)
        return urllib.parse.unquote_to_bytes(payload)
    except ValueError:
        return None


# ---- reading ----------------------------------------------------------------------------

def anchor_status(chain, original: bytes) -> str:
    """'anchored' (and not revoked), 'revoked' or 'not-anchored' for a credential's bytes.
    Raises ChainError (e.g. node-unreachable) when the chain cannot be asked."""
    token_id, _, revoked = chain.contracts.soulbound.functions.tokenOfCredential(credential_hash(original)).call()
    if token_id == 0:
        return NOT_ANCHORED
    return REVOKED if revoked else ANCHORED


def anchor_sentence(status: str | None) -> str:
    """What a verifier shows; None means the chain could not be checked."""
    from ..credentials.verdict import ANCHOR_SENTENCES
    return ANCHOR_SENTENCES.get(status, "could not check the chain (network unreachable)")


def try_anchor_status(chain_factory, original: bytes) -> tuple[str | None, str]:
    """(status or None, sentence): never raises for an unreachable network."""
    try:
        chain = chain_factory()
    except (ChainError, VaultError) as exc:
        return None, f"could not check the chain: {exc}"
    try:
        status = anchor_status(chain, original)
    except ChainError as exc:
        return None, f"could not check the chain: {exc}"
    finally:
        close = getattr(chain, "close", None)
        if close:
            close()
    return status, anchor_sentence(status)


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


def sync(chain, identity, *, import_embedded: bool = True) -> dict:
    """The holder's view: tokens of the vault's accounts (credentials carried in data: URIs
    imported and verified), and which stored credentials are anchored or revoked.

    Returns {"tokens": [... + credential_id, imported, import_error],
             "credentials": [{id, title, status: anchored|revoked|not-anchored, token_id}]}."""
    from ..credentials.service import CredentialService
    from ..errors import InvalidCredential

    credentials = CredentialService(identity.store)
    repo = credentials.repository
    from . import anchors

    tokens = scan(chain, [a.address for a in identity.accounts()])
    anchors.record_tokens(identity.store, chain.chain_id, tokens)  # for the cards, offline
    for t in tokens:
        t["credential_id"], t["imported"], t["import_error"] = None, False, None
        carried = decode_data_uri(t["uri"]) if import_embedded else None
        if carried is None:
            continue
        if "0x" + credential_hash(carried).hex() != t["credential_hash"]:
            t["import_error"] = "the token URI's credential does not match the anchored hash"
            continue
        try:
            result = credentials.import_bytes(carried)
        except InvalidCredential as exc:
            t["import_error"] = str(exc)
            continue
        t["credential_id"], t["imported"] = result.summary.id, result.created
    by_hash = {t["credential_hash"]: t for t in tokens}
    stored = []
    for summary in repo.search(""):
        chash = "0x" + credential_hash(repo.original(summary.id)).hex()
        t = by_hash.get(chash)
        if t is not None:
            t["credential_id"] = t["credential_id"] or summary.id
            state, token_id = (REVOKED if t["revoked"] else ANCHORED), t["token_id"]
        else:
            token_id, _, revoked = chain.contracts.soulbound.functions.tokenOfCredential(bytes.fromhex(chash[2:])).call()
            state = NOT_ANCHORED if token_id == 0 else (REVOKED if revoked else ANCHORED)
        stored.append({"id": summary.id, "title": summary.title, "status": state,
                       "token_id": token_id or None})
    return {"tokens": tokens, "credentials": stored}


# ---- writes -----------------------------------------------------------------------------

def is_issuer(chain, address: str) -> bool:
    sbt = chain.contracts.soulbound
    role = sbt.functions.ISSUER_ROLE().call()
    return sbt.functions.hasRole(role, chain.w3.to_checksum_address(address)).call()


def issue_requests(service, issuer: str, holder: str, original: bytes, *, uri: str | None = None,
                   embed: bool = True) -> list:
    """[approve fee?, issue]: anchor ``original`` to ``holder`` (an address or did:pkh).
    The token URI is ``uri``, else (``embed``) the credential itself as a data: URI."""
    from .units import parse_address

    chain = service.chain
    sbt, tok = chain.contracts.soulbound, chain.contracts.token
    issuer = chain.w3.to_checksum_address(issuer)
    holder = parse_address(holder, chain.chain_id)
    if not is_issuer(chain, issuer):
        raise ChainError("not-issuer", f"{issuer} does not hold the issuer role on the SoulboundCredential "
                                       "contract, so it cannot anchor credentials (governance grants the role).")
    chash = credential_hash(original)
    token_id, _, _ = sbt.functions.tokenOfCredential(chash).call()
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
    token_uri = uri if uri is not None else (data_uri(original) if embed else "")
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


def revoke_request(service, issuer: str, *, token_id: int | None = None, original: bytes | None = None):
    """Revoke the token ``token_id``, or the one anchoring ``original``."""
    chain = service.chain
    sbt = chain.contracts.soulbound
    issuer = chain.w3.to_checksum_address(issuer)
    if token_id is None:
        if original is None:
            raise ValueError("give token_id or original")
        token_id = sbt.functions.tokenOfCredential(credential_hash(original)).call()[0]
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
