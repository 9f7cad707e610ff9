"""OpenID4VP 1.0, wallet side: answer a verifier's request (vp_request) with credentials the
holder picked among those that match its DCQL query (dcql), after seeing exactly what each
discloses; sent by direct_post, or direct_post.jwt (encrypted to the verifier's key).

Each presentation is made by the vault's own presentation code for this request's nonce
and client_id and logged like any presentation: a VC-JWT as a JWT VP, a Data Integrity
credential in a Data Integrity VP, an SD-JWT VC with only the claims asked for disclosed
and a key-binding JWT. Nothing is signed before the holder confirmed the preview."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Mapping

from jwcrypto import jwe, jwk

from ..credentials import sd_jwt_vc
from ..credentials.service import CredentialService
from ..credentials.verdict import CredentialFailure
from ..credentials.verify import FORMAT_DI, FORMAT_JWT, FORMAT_SD_JWT
from ..identity import Identity
from ..net.fetch import NetworkUse
from ..presentations.build import DEFAULT_EXPIRES_IN, DisclosedCredential, Presentation, PresentationError
from ..presentations.service import PresentationService
from ..safe_text import one_line
from .dcql import Candidate, Matches, match
from .http import Exchange, ProtocolError, answer
from .vp_request import VpRequest

ENCRYPTIONS = ("A128GCM", "A256GCM")
KIND_SD_JWT = "sd-jwt"


@dataclass(frozen=True)
class Choice:
    """One credential query answered: the stored credential and what it shows."""
    query_id: str
    candidate: Candidate
    disclosed: DisclosedCredential
    reveal: tuple | None              # SD-JWT: the claim paths disclosed; None: the whole credential


@dataclass(frozen=True)
class Answer:
    request: VpRequest
    holder: str
    choices: tuple[Choice, ...]

    def lines(self) -> list[str]:
        out = [self.request.verifier.sentence(), f"Presented by {self.holder}:"]
        for c in self.choices:
            d = c.disclosed
            shown = ", ".join(d.revealed) if d.selective else "every claim of the credential"
            out.append(f"  [{c.query_id}] {one_line(d.title, 80)}: discloses {one_line(shown, 200)}")
            if d.withheld:
                out.append(f"    withheld: {one_line(', '.join(d.withheld), 200)}")
        return out

    def to_json(self) -> dict:
        v = self.request.verifier
        return {"verifier": {"client_id": v.client_id, "prefix": v.prefix, "authenticated": v.authenticated,
                             "name_self_declared": v.name or None, "sentence": v.sentence()},
                "response_uri": self.request.response_uri, "response_mode": self.request.response_mode,
                "holder": self.holder,
                "credentials": [{"query": c.query_id} | c.disclosed.to_json() for c in self.choices]}


def matches(request: VpRequest, credentials: CredentialService) -> Matches:
    return match(request.dcql_query, credentials)


def _reveal(candidate: Candidate) -> tuple:
    """SD-JWT: the disclosable claims asked for (a wildcard path reveals the whole array)."""
    paths = []
    for claim in candidate.claims:
        path = []
        for part in claim.path:
            if part is None:
                break
            path.append(part)
        if path:
            paths.append(tuple(path))
    return tuple(paths)


def prepare(request: VpRequest, identity: Identity, credentials: CredentialService, found: Matches,
            picked: Mapping[str, str] | None = None) -> Answer:
    """The answer to show before anything is signed: for each query the holder's pick
    (``picked``: query id -> credential id; default the first valid match) and what it
    discloses. Only what the query requires is answered: of a credential set, its first
    option the vault can meet; an optional set is left out."""
    picked = dict(picked or {})
    needed = found.needed()
    if needed is None:
        unmet = next(options for options in found.required
                     if not any(all(found.candidates.get(q) for q in o) for o in options))
        ids = sorted({q for o in unmet for q in o})
        why = next((q.problem for q in found.queries if q.id in ids and q.problem), "")
        raise ProtocolError(f"The verifier asks for a credential you do not have ({one_line(', '.join(ids), 80)})"
                            + (f": {why}" if why else "") + ". Nothing was sent.")
    answered = []
    for query in found.queries:
        if query.id not in needed:
            continue      # optional, or another option of a set: not disclosed
        candidates = found.candidates[query.id]
        wanted = picked.get(query.id)
        candidate = next((c for c in candidates if wanted is None or c.id == wanted or c.id.startswith(wanted)),
                         None)
        if candidate is None:
            raise ProtocolError(f"The credential {one_line(wanted, 20)} does not answer the query {query.id!r}.")
        answered.append((query, candidate))
    if request.response_mode == "direct_post.jwt":
        _encryption(request)
    service = PresentationService(identity, credentials)
    choices, holder = [], None
    for query, candidate in answered:
        summary = credentials.repository.get(candidate.id)
        reveal = _reveal(candidate) if summary.format == FORMAT_SD_JWT else None
        preview = service.preview([candidate.id], {candidate.id: list(reveal)} if reveal is not None else None)
        if holder not in (None, preview.holder):
            raise ProtocolError("The credentials asked for were issued to different DIDs of yours; the vault "
                                "answers with one DID at a time.")
        holder = preview.holder
        choices.append(Choice(query.id, candidate, preview.credentials[0], reveal))
    return Answer(request, holder, tuple(choices))


def _present(choice: Choice, answer_: Answer, identity: Identity, credentials: CredentialService,
             service: PresentationService):
    request, fmt = answer_.request, choice.disclosed.format
    nonce, audience = request.nonce, request.verifier.client_id
    if fmt == FORMAT_JWT:
        return service.present([choice.candidate.id], challenge=nonce, domain=audience, fmt="jwt").payload
    if fmt == FORMAT_DI:
        return json.loads(service.present([choice.candidate.id], challenge=nonce, domain=audience, fmt="di").payload)
    token = credentials.repository.original(choice.candidate.id).decode("utf-8").strip()
    now = datetime.now(timezone.utc).replace(microsecond=0)
    try:
        key = identity.signing_key(answer_.holder) if choice.disclosed.key_bound else None
        presented = sd_jwt_vc.present(token, choice.reveal or (), holder_key=key, nonce=nonce, audience=audience,
                                      issued_at=now)
    except (CredentialFailure, ValueError) as exc:
        raise PresentationError(f"{choice.disclosed.title!r} cannot be presented: "
                                f"{getattr(exc, 'message', exc)}") from None
    service.log.record(Presentation(payload=presented, kind=KIND_SD_JWT, format=KIND_SD_JWT, cryptosuite=None,
                                    holder=answer_.holder, challenge=nonce, domain=audience, created=now,
                                    expires=now + DEFAULT_EXPIRES_IN, credentials=(choice.disclosed,)))
    return presented


def _encryption(request: VpRequest):
    """The verifier's key and the JWE header for direct_post.jwt; checked before anything is
    signed, so that an answer that could not be sent is never made."""
    keys = request.client_metadata.get("jwks", {}).get("keys") if isinstance(
        request.client_metadata.get("jwks"), dict) else None
    usable = [k for k in keys or () if isinstance(k, dict) and k.get("kty") == "EC" and k.get("crv") == "P-256"
              and k.get("use", "enc") == "enc" and k.get("alg", "ECDH-ES") == "ECDH-ES"]
    if not usable:
        raise ProtocolError("The verifier wants an encrypted answer but gives no P-256 key (ECDH-ES) to "
                            "encrypt it to. Nothing was sent.")
    offered = request.client_metadata.get("encrypted_response_enc_values_supported") or ["A128GCM"]
    enc = next((e for e in offered if e in ENCRYPTIONS), None)
    if enc is None:
        raise ProtocolError("The verifier wants an encryption the vault does not make (only A128GCM, A256GCM).")
    try:
        key = jwk.JWK(**{k: v for k, v in usable[0].items() if k in ("kty", "crv", "x", "y", "kid")})
    except (ValueError, TypeError):
        raise ProtocolError("The verifier's encryption key is not a valid key. Nothing was sent.") from None
    header = {"alg": "ECDH-ES", "enc": enc, **({"kid": usable[0]["kid"]} if isinstance(usable[0].get("kid"), str)
                                                else {})}
    return key, header


def _encrypted(encryption, payload: dict) -> str:
    key, header = encryption
    token = jwe.JWE(json.dumps(payload).encode(), protected=json.dumps(header))
    token.add_recipient(key)
    return token.serialize(compact=True)


def respond(answer_: Answer, identity: Identity, credentials: CredentialService, network: NetworkUse, *,
            exchange: Exchange | None = None) -> dict:
    """Sign the presentations the holder confirmed and post them to the verifier. Returns
    the verifier's answer (it may carry a redirect_uri, which is shown, never opened)."""
    request = answer_.request
    encryption = _encryption(request) if request.response_mode == "direct_post.jwt" else None
    service = PresentationService(identity, credentials)
    vp_token: dict[str, list] = {}
    for choice in answer_.choices:
        vp_token.setdefault(choice.query_id, []).append(_present(choice, answer_, identity, credentials, service))
    payload = {"vp_token": vp_token} | ({"state": request.state} if request.state else {})
    if request.response_mode == "direct_post.jwt":
        form = {"response": _encrypted(encryption, payload)}
    else:
        form = {"vp_token": json.dumps(vp_token)} | ({"state": request.state} if request.state else {})
    exchange = exchange or Exchange(network)
    status, body = exchange.post_form(request.response_uri, form, "answer to the verifier")
    if status == 200 and not body.strip():
        return {}
    return answer(status, body, "answer to the verifier")
