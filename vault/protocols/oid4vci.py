"""OpenID4VCI 1.0, wallet side, pre-authorized code flow: accept an offer the holder saw
(offer.preview), prove possession of one of the vault's DID keys, receive the
credentials, and import them through the same verification as a file.

Nothing is half-imported: every credential of the offer is received and verified first;
one that is forged, of another format than offered, or issued to someone else refuses
the whole offer and nothing is stored. Every request goes through the bounded fetcher
within one deadline (http.Exchange)."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Callable

from ..credentials import jose
from ..credentials.service import CredentialService, ImportResult, status_of
from ..errors import InvalidCredential
from ..identity import CREATABLE_METHODS, Identity
from ..net.fetch import NetworkUse
from ..safe_text import one_line
from .authcode import Authorization, sign_in
from .http import Exchange, ProtocolError, answer
from .offer import FORMATS, PRE_AUTHORIZED, Configuration, OfferPreview

log = logging.getLogger(__name__)

PROOF_TYP = "openid4vci-proof+jwt"
MAX_CREDENTIALS = 10       # one configuration's batch


@dataclass(frozen=True)
class Received:
    """What an accepted offer brought: the imported credentials and the DID they are bound to."""
    holder: str
    imported: tuple[ImportResult, ...]

    def to_json(self) -> dict:
        return {"holder": self.holder, "credentials": [
            r.summary.to_json() | {"created": r.created, "verdict": r.verdict.to_json()} for r in self.imported]}


def holder_for(identity: Identity, configurations: tuple[Configuration, ...], did: str | None) -> tuple[str, bool]:
    """The DID the proofs are signed with, and whether the proof names it by ``kid`` (else
    by its public ``jwk``, for an issuer that binds to bare keys)."""
    records = [r for r in identity.dids() if r.method in CREATABLE_METHODS]
    if did is not None:
        record = identity.get_did(did)
        if record.method not in CREATABLE_METHODS:
            raise ProtocolError(f"{did} cannot sign a proof of possession: use a did:key or did:jwk DID.")
    else:
        default = identity.default_did()
        record = default if default.method in CREATABLE_METHODS else (records[0] if records else None)
        if record is None:
            raise ProtocolError("This vault has no did:key or did:jwk DID to receive credentials with; "
                                "create one with `vault did create`.")
    for c in configurations:
        if c.binding and f"did:{record.method}" not in c.binding and "did" not in c.binding:
            if "jwk" in c.binding:
                return record.did, False
            raise ProtocolError(f"The issuer binds {c.name!r} to {', '.join(c.binding[:4])}, and "
                                f"{record.did} is a did:{record.method}.")
    return record.did, True


def _proof(identity: Identity, holder: str, by_kid: bool, audience: str, nonce: str | None) -> str:
    key = identity.signing_key(holder)
    header = {"typ": PROOF_TYP}
    if by_kid:
        method = identity.resolve(holder)["verificationMethod"][0]["id"]
        header["kid"] = holder + method if method.startswith("#") else method
    else:
        header["jwk"] = jose.public_jwk(key)
    payload = {"aud": audience, "iat": int(time.time())}
    if nonce is not None:
        payload["nonce"] = nonce
    return jose.sign(payload, key, header=header)


def _token(preview: OfferPreview, exchange: Exchange, tx_code: str | None,
           signed_in: Authorization | None = None) -> tuple[str, str | None]:
    if signed_in is not None:
        fields = {"grant_type": "authorization_code", "code": signed_in.code, "redirect_uri": signed_in.redirect_uri,
                  "code_verifier": signed_in.code_verifier, "client_id": signed_in.client_id}
    else:
        fields = {"grant_type": PRE_AUTHORIZED, "pre-authorized_code": preview.offer.pre_authorized_code}
    if preview.offer.tx_code is not None:
        fields["tx_code"] = tx_code
    token = answer(*exchange.post_form(preview.token_endpoint, fields, "token request"), "token request")
    access = token.get("access_token")
    if not isinstance(access, str) or not access:
        raise ProtocolError("The issuer's token answer has no access token.")
    kind = token.get("token_type")
    if not isinstance(kind, str) or kind.lower() != "bearer":
        raise ProtocolError(f"The issuer gave a {one_line(kind, 20)} token; the vault uses Bearer tokens only "
                            "(DPoP-bound tokens are not supported yet).")
    nonce = token.get("c_nonce")
    return access, nonce if isinstance(nonce, str) else None


def _nonce(preview: OfferPreview, exchange: Exchange) -> str | None:
    if not preview.nonce_endpoint:
        return None
    document = answer(*exchange.post_form(preview.nonce_endpoint, {}, "nonce request"), "nonce request")
    nonce = document.get("c_nonce")
    if not isinstance(nonce, str) or not nonce:
        raise ProtocolError("The issuer's nonce endpoint gave no c_nonce.")
    return nonce


def _credentials(document: dict) -> list:
    if "transaction_id" in document and "credentials" not in document:
        raise ProtocolError("The issuer will issue this credential later (deferred issuance), which the vault "
                            "does not support yet; ask the issuer to issue it now.")
    items = document.get("credentials")
    if items is None and "credential" in document:   # drafts 13-14 answered with one credential
        items = [{"credential": document["credential"]}]
    if not isinstance(items, list) or not items:
        raise ProtocolError("The issuer's credential answer holds no credential.")
    if len(items) > MAX_CREDENTIALS:
        raise ProtocolError(f"The issuer's answer holds more than {MAX_CREDENTIALS} credentials.")
    out = []
    for item in items:
        value = item.get("credential") if isinstance(item, dict) else None
        if isinstance(value, str) and value:
            out.append(value.encode("utf-8"))
        elif isinstance(value, dict):
            out.append(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        else:
            raise ProtocolError("The issuer's answer holds a credential that is neither text nor a JSON object.")
    return out


def _request_credential(preview, configuration, exchange, identity, holder, by_kid, access, nonce) -> list[bytes]:
    def ask(nonce):
        proof = _proof(identity, holder, by_kid, preview.issuer, nonce)
        body = {"credential_configuration_id": configuration.id, "proofs": {"jwt": [proof]}}
        return exchange.post_json(preview.credential_endpoint, body, "credential request",
                                  headers={"Authorization": f"Bearer {access}"})
    status, body = ask(nonce)
    try:
        return _credentials(answer(status, body, "credential request"))
    except ProtocolError as exc:
        if exc.code != "invalid_nonce":
            raise
    # the nonce was stale: one more try with a fresh one (OpenID4VCI 1.0 §8.3.1.2), never a loop
    fresh = _nonce(preview, exchange)
    if fresh is None or fresh == nonce:
        raise ProtocolError("The issuer refused the proof's nonce and gave no fresh one.", "invalid_nonce")
    return _credentials(answer(*ask(fresh), "credential request"))


def _checked(credentials: CredentialService, data: bytes, name: str, holder: str,
             expected_format: str | None = None) -> None:
    checked = credentials.check(data)
    if expected_format is not None and checked.format != FORMATS[expected_format]:
        raise ProtocolError(f"The issuer sent {one_line(name, 80)} in another format than it "
                            f"offered ({checked.format or 'not a credential'}, not {expected_format}); "
                            "nothing was imported.")
    if status_of(checked.verdict) == "invalid":
        raise ProtocolError(f"The issuer sent {one_line(name, 80)}, but it does not verify: "
                            f"{checked.verdict.message} Nothing was imported.")
    if checked.subject and checked.subject.split("#")[0] != holder:
        raise ProtocolError(f"The issuer sent {one_line(name, 80)} issued to "
                            f"{one_line(checked.subject, 120)}, not to {holder}; nothing was imported.")


def import_all(credentials: CredentialService, received: list[tuple[bytes, str, str | None]], holder: str) -> Received:
    """Verify every received credential ((bytes, name, offered format)) first, then import
    them all; one forged, foreign or of another format than offered: none is imported."""
    if not received:
        raise ProtocolError("The issuer sent no credential.")
    for data, name, fmt in received:
        _checked(credentials, data, name, holder, fmt)
    results = credentials.import_many([data for data, _, _ in received])
    refused = [r for r in results if isinstance(r, InvalidCredential)]
    if refused:   # verified a moment ago: only a status that changed in between gets here
        log.warning("a received credential was refused at import after it verified")
        raise ProtocolError(f"A received credential was refused at import: {refused[0]}")
    return Received(holder, tuple(results))


def receive(preview: OfferPreview, identity: Identity, credentials: CredentialService, network: NetworkUse, *,
            tx_code: str | None = None, did: str | None = None, exchange: Exchange | None = None,
            open_browser: Callable[[str], object] | None = None) -> Received:
    """Accept the offer the holder was shown: (sign-in in the browser, ``open_browser``, for
    the authorization code flow), token, nonce, proof, credential for each configuration;
    then verify every credential and import them all, or none."""
    blocked = [c for c in preview.configurations if c.problem]
    if blocked:
        raise ProtocolError(f"{blocked[0].name!r} cannot be received: {blocked[0].problem}.")
    if preview.offer.tx_code is not None:
        tx_code = preview.offer.tx_code.check(tx_code)
    holder, by_kid = holder_for(identity, preview.configurations, did)
    signed_in = None
    if preview.offer.signs_in:
        if open_browser is None:
            raise ProtocolError("This offer needs you to sign in at the issuer in a browser.")
        signed_in = sign_in(preview.authorization_endpoint, preview.authorization_server,
                            tuple(c.id for c in preview.configurations), preview.offer.issuer_state, open_browser)
    exchange = exchange or Exchange(network)   # the deadline starts after the sign-in
    access, nonce = _token(preview, exchange, tx_code, signed_in)
    nonce = _nonce(preview, exchange) or nonce
    received: list[tuple[bytes, str, str | None]] = []
    for configuration in preview.configurations:
        for data in _request_credential(preview, configuration, exchange, identity, holder, by_kid, access, nonce):
            received.append((data, configuration.name, configuration.format))
        nonce = None if preview.nonce_endpoint is None else _nonce(preview, exchange)
    return import_all(credentials, received, holder)
