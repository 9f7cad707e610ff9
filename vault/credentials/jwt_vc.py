"""VC-JWT credentials and JWT presentations.

Two encodings of a credential in a JWT are read:

* VC Data Model 1.1, "JWT encoding" (what `did-jwt-vc` produces): the payload has the
  registered claims ``iss`` ``sub`` ``nbf`` ``exp`` ``iat`` ``jti`` and the credential
  in ``vc``. Decoding follows the 1.1 spec: iss -> issuer, sub -> credentialSubject.id,
  nbf -> issuanceDate (validFrom under a v2 context), exp -> expirationDate (validUntil),
  jti -> id. A JWT claim that contradicts the credential it would set is refused
  (issuer: WRONG_KEY, the others: MALFORMED) rather than silently overwritten.
* VC-JOSE-COSE (VC 2.0), header ``typ: vc+jwt``: the payload is the credential itself;
  ``iss`` is optional and, when present, must name the credential's issuer.

The key comes from the header ``kid`` (a DID URL, or ``#fragment`` of the issuer) or,
without one, from the issuer DID; it must belong to the issuer (controller) and be
listed for ``assertionMethod`` (presentations: ``authentication``), else WRONG_KEY.

Time is not checked here: the validity window is exposed (``valid_from`` /
``valid_until``) and the top-level verifier judges it, the same way for every format.

Presentations (`did-jwt-vc` shape): payload ``iss`` = holder, ``nonce`` = challenge,
``aud`` = [domain], ``vp.verifiableCredential`` = [VC-JWT, ...].
"""

from __future__ import annotations

import copy
import functools
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping, Sequence

from . import jose
from .keys import DocumentLookup, ResolvedKey, did_of, resolve_method
from .verdict import CredentialFailure, Reason

VC_V1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
JOSE_VC_TYPES = ("vc+jwt", "vc+ld+jwt")
JOSE_VP_TYPES = ("vp+jwt", "vp+ld+jwt")
SD_JWT_TYPES = ("dc+sd-jwt", "vc+sd-jwt")
_ENVELOPED_PREFIXES = ("data:application/vc+jwt,", "data:application/vc+ld+jwt,")


@dataclass(frozen=True)
class JwtCredential:
    token: str                     # the JWT as given
    data_model: str                # "1.1" (vc claim) or "2.0" (typ vc+jwt, payload is the credential)
    header: dict
    payload: dict                  # the JWT claims as signed
    credential: dict               # the credential, decoded (1.1: vc + registered claims)
    issuer: str                    # issuer DID
    subject: str | None            # credentialSubject.id / sub
    types: tuple[str, ...]
    valid_from: datetime | None    # latest of nbf (else iat) and validFrom / issuanceDate
    valid_until: datetime | None   # earliest of exp and validUntil / expirationDate
    issued_at: datetime | None     # iat
    key_id: str                    # the verification method that signed it

    @property
    def id(self) -> str | None:
        value = self.credential.get("id")
        return value if isinstance(value, str) else None


@dataclass(frozen=True)
class JwtPresentation:
    token: str
    header: dict
    payload: dict
    presentation: dict             # the vp claim (1.1) or the payload (typ vp+jwt)
    holder: str                    # holder DID (iss)
    audience: tuple[str, ...]      # aud
    nonce: str
    credentials: tuple[JwtCredential, ...] = field(default_factory=tuple)
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    issued_at: datetime | None = None
    key_id: str = ""
    id: str | None = None          # jti


# --- shared helpers ---------------------------------------------------------------------

def resolve_jwt_key(kid: str | None, issuer: str | None, *, documents: DocumentLookup | None,
                    relationship: str, what: str) -> ResolvedKey:
    """The key a JWT names (kid) or implies (issuer DID), checked to belong to ``issuer``."""
    if kid is not None and kid.startswith(("did:", "https://")):
        method_id = kid
    elif kid is not None and kid.startswith("#") and issuer:
        method_id = issuer + kid
    elif issuer:
        method_id = issuer
    else:
        raise CredentialFailure(Reason.UNKNOWN_KEY, f"The {what} names neither a key ('kid') nor an issuer DID.")
    # The kid speaks for its own DID only, whatever a DID document says about controllers
    # (decided before anything is looked up; an https key's controller is known once read).
    if issuer is not None and method_id.startswith("did:") and did_of(method_id) != issuer:
        raise CredentialFailure(Reason.WRONG_KEY, f"The {what} is signed with a key of "
                                f"{did_of(method_id)[:100]}, not of {issuer[:100]} who it says issued it.")
    resolved = resolve_method(method_id, documents)
    if issuer is not None and resolved.controller != issuer:
        raise CredentialFailure(Reason.WRONG_KEY, f"The {what} is signed with a key of "
                                f"{resolved.controller[:100]}, not of {issuer[:100]} who it says issued it.")
    if not resolved.has_relationship(relationship):
        raise CredentialFailure(Reason.WRONG_KEY, f"The key {resolved.method_id} is not listed for "
                                f"{relationship} in {resolved.controller}'s DID document.")
    return resolved


def _string(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise CredentialFailure(Reason.MALFORMED, f"The {what} is not a string.")
    return value


def _issuer_id(issuer: Any) -> str | None:
    if isinstance(issuer, str):
        return issuer
    if isinstance(issuer, dict) and isinstance(issuer.get("id"), str):
        return issuer["id"]
    if issuer is None or isinstance(issuer, dict):
        return None
    raise CredentialFailure(Reason.MALFORMED, "The credential's issuer is neither a string nor an object.")


def _contexts(document: Mapping) -> list:
    value = document.get("@context")
    return value if isinstance(value, list) else [value]


def _types(document: Mapping, required: str, what: str) -> tuple[str, ...]:
    value = document.get("type")
    types = (value,) if isinstance(value, str) else tuple(value) if isinstance(value, list) else ()
    if not all(isinstance(t, str) for t in types) or required not in types:
        raise CredentialFailure(Reason.MALFORMED, f"The {what}'s type does not include {required}.")
    return types


def parse_datetime(value: Any, name: str) -> datetime | None:
    """XML Schema dateTime (as VCs use) -> aware datetime; no timezone means UTC."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise CredentialFailure(Reason.MALFORMED, f"The credential's {name} is not a date-time string.")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise CredentialFailure(Reason.MALFORMED, f"The credential's {name} {value[:40]!r} is not a date-time.") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def format_datetime(moment: datetime) -> str:
    moment = moment.astimezone(timezone.utc)
    text = moment.isoformat(timespec="milliseconds" if moment.microsecond else "seconds")
    return text.replace("+00:00", "Z")


def _latest(*moments: datetime | None) -> datetime | None:
    present = [m for m in moments if m is not None]
    return max(present) if present else None


def _earliest(*moments: datetime | None) -> datetime | None:
    present = [m for m in moments if m is not None]
    return min(present) if present else None


def _subject_id(credential: Mapping) -> str | None:
    subject = credential.get("credentialSubject")
    if isinstance(subject, list) and len(subject) == 1:
        subject = subject[0]
    if isinstance(subject, dict) and isinstance(subject.get("id"), str):
        return subject["id"]
    return None


def _guard(fn):
    """Deeply nested JSON can exhaust the stack in copy/walks: that is a malformed token."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except RecursionError as exc:
            raise CredentialFailure(Reason.MALFORMED, "The token nests too deeply.") from exc
    return wrapper


# --- credentials ------------------------------------------------------------------------

def _data_model(jws: jose.CompactJWS) -> str:
    typ, payload = jws.typ, jws.payload
    if typ in JOSE_VC_TYPES:
        return "2.0"
    if typ in JOSE_VP_TYPES or "vp" in payload:
        raise CredentialFailure(Reason.UNSUPPORTED_FORMAT, "This JWT is a presentation, not a credential.")
    if typ in SD_JWT_TYPES:
        raise CredentialFailure(Reason.UNSUPPORTED_FORMAT, "This is an SD-JWT VC; it is read as one, not as a VC-JWT.")
    if "vc" in payload:
        return "1.1"
    if "@context" in payload and "credentialSubject" in payload:
        return "2.0"
    raise CredentialFailure(Reason.MALFORMED, "This JWT holds no verifiable credential (no 'vc' claim, "
                            "and it is not a 'vc+jwt').")


def _claimed_issuer(jws: jose.CompactJWS, model: str) -> str:
    payload = jws.payload
    if "iss" in payload:
        return _string(payload["iss"], "JWT 'iss' claim")
    source = payload.get("vc") if model == "1.1" else payload
    issuer = _issuer_id(source.get("issuer")) if isinstance(source, dict) else None
    if issuer is None:
        raise CredentialFailure(Reason.MALFORMED, "The credential names no issuer.")
    return issuer


def _decode_v11(payload: dict, issuer: str) -> dict:
    vc = payload.get("vc")
    if not isinstance(vc, dict):
        raise CredentialFailure(Reason.MALFORMED, "The JWT's 'vc' claim is not a JSON object.")
    credential = copy.deepcopy(vc)
    stated = _issuer_id(credential.get("issuer"))
    if stated is not None and stated != issuer:
        raise CredentialFailure(Reason.WRONG_KEY, f"The credential names {stated} as issuer but the JWT "
                                f"was issued by {issuer}.")
    if isinstance(credential.get("issuer"), dict):
        credential["issuer"]["id"] = issuer
    else:
        credential["issuer"] = issuer

    if "sub" in payload:
        sub = _string(payload["sub"], "JWT 'sub' claim")
        subject = credential.setdefault("credentialSubject", {})
        if isinstance(subject, list) and len(subject) == 1:
            subject = subject[0]
        if isinstance(subject, dict):
            if subject.get("id", sub) != sub:
                raise CredentialFailure(Reason.MALFORMED, "The JWT 'sub' and credentialSubject.id differ.")
            subject["id"] = sub
    if "jti" in payload:
        jti = _string(payload["jti"], "JWT 'jti' claim")
        if credential.get("id", jti) != jti:
            raise CredentialFailure(Reason.MALFORMED, "The JWT 'jti' and the credential id differ.")
        credential["id"] = jti

    v2 = VC_V2_CONTEXT in _contexts(credential)
    from_name, until_name = ("validFrom", "validUntil") if v2 else ("issuanceDate", "expirationDate")
    nbf = jose.numeric_date(payload, "nbf")
    if nbf is None and from_name not in credential:
        nbf = jose.numeric_date(payload, "iat")
    if nbf is not None:
        _lift_date(credential, from_name, nbf, "nbf")
    exp = jose.numeric_date(payload, "exp")
    if exp is not None:
        _lift_date(credential, until_name, exp, "exp")
    return credential


def _lift_date(credential: dict, name: str, moment: datetime, claim: str) -> None:
    """Set ``name`` from the JWT claim that encodes it; when the credential states it too,
    both must agree (to the second NumericDate keeps): a later ``exp`` must not quietly
    revive a signed ``expirationDate`` in the past."""
    stated = parse_datetime(credential.get(name), name)
    if stated is not None and abs(stated - moment) >= timedelta(seconds=1):
        raise CredentialFailure(Reason.MALFORMED, f"The VC-JWT contradicts itself: its {claim!r} claim says "
                                f"{format_datetime(moment)} but the credential's {name} says "
                                f"{format_datetime(stated)}. The issuer signed two different dates, so "
                                "neither can be trusted.")
    credential[name] = format_datetime(moment)


def _check_credential(credential: Mapping) -> tuple[str, ...]:
    contexts = _contexts(credential)
    if not contexts or contexts[0] not in (VC_V1_CONTEXT, VC_V2_CONTEXT):
        raise CredentialFailure(Reason.MALFORMED, "The credential's first @context is not the W3C "
                                "credentials context (v1 or v2).")
    types = _types(credential, "VerifiableCredential", "credential")
    if not isinstance(credential.get("credentialSubject"), (dict, list)):
        raise CredentialFailure(Reason.MALFORMED, "The credential has no credentialSubject.")
    return types


@_guard
def verify_jwt_vc(token: Any, *, documents: DocumentLookup | None = None) -> JwtCredential:
    """Verify a VC-JWT (1.1 ``vc`` claim or 2.0 ``vc+jwt``); raise CredentialFailure on any fault.

    Checks: structure, alg, issuer key (kid / issuer DID, controller, assertionMethod),
    signature, credential shape. Not the validity window (see ``valid_from``/``valid_until``).
    """
    jws = jose.parse(token, "VC-JWT")
    jose.check_algorithm(jws, "VC-JWT")
    model = _data_model(jws)
    issuer = _claimed_issuer(jws, model)
    key = resolve_jwt_key(jws.kid, issuer, documents=documents, relationship="assertionMethod", what="VC-JWT")
    jose.verify_signature(jws, key.public_key, "VC-JWT")

    payload = jws.payload
    if model == "1.1":
        credential = _decode_v11(payload, issuer)
        from_name, until_name = ("validFrom", "validUntil") if VC_V2_CONTEXT in _contexts(credential) \
            else ("issuanceDate", "expirationDate")
    else:
        credential = payload
        stated = _issuer_id(credential.get("issuer"))
        if stated is not None and stated != issuer:
            raise CredentialFailure(Reason.WRONG_KEY, f"The credential names {stated} as issuer but the JWT "
                                    f"was issued by {issuer}.")
        if "sub" in payload and _subject_id(credential) not in (None, payload["sub"]):
            raise CredentialFailure(Reason.MALFORMED, "The JWT 'sub' and credentialSubject.id differ.")
        from_name, until_name = "validFrom", "validUntil"
    types = _check_credential(credential)

    nbf, iat, exp = (jose.numeric_date(payload, c, "VC-JWT") for c in ("nbf", "iat", "exp"))
    valid_from = _latest(nbf if nbf is not None else iat, parse_datetime(credential.get(from_name), from_name))
    valid_until = _earliest(exp, parse_datetime(credential.get(until_name), until_name))
    subject = _subject_id(credential)
    if subject is None and isinstance(payload.get("sub"), str):
        subject = payload["sub"]
    return JwtCredential(token=token, data_model=model, header=jws.header, payload=payload,
                         credential=credential, issuer=issuer, subject=subject, types=types,
                         valid_from=valid_from, valid_until=valid_until, issued_at=iat, key_id=key.method_id)


def _numeric(moment: datetime) -> int:
    return int(moment.timestamp())


def sign_jwt_vc(credential: Mapping, issuer_key: Any, *, kid: str, data_model: str = "1.1",
                issued_at: datetime | None = None) -> str:
    """Sign ``credential`` as a VC-JWT with ``issuer_key`` (a `cryptography` private key)
    whose verification method is ``kid``.

    ``data_model="1.1"`` encodes like did-jwt-vc (registered claims lifted out of ``vc``);
    ``"2.0"`` makes a VC-JOSE-COSE ``vc+jwt`` whose payload is the credential.
    """
    did = kid.split("#", 1)[0]
    credential = copy.deepcopy(dict(credential))
    credential.setdefault("issuer", did)
    now = issued_at or datetime.now(timezone.utc)
    if data_model == "2.0":
        return jose.sign(credential, issuer_key, header={"typ": "vc+jwt", "kid": kid})
    if data_model != "1.1":
        raise ValueError("data_model is '1.1' or '2.0'")

    payload: dict[str, Any] = {}
    issuer = credential.pop("issuer")
    if isinstance(issuer, dict):
        issuer = dict(issuer)
        payload["iss"] = issuer.pop("id", did)
        if issuer:
            credential["issuer"] = issuer
    else:
        payload["iss"] = issuer
    subject = credential.get("credentialSubject")
    if isinstance(subject, dict) and "id" in subject:
        payload["sub"] = subject.pop("id")
    if "id" in credential:
        payload["jti"] = credential.pop("id")
    for names, claim in ((("issuanceDate", "validFrom"), "nbf"), (("expirationDate", "validUntil"), "exp")):
        for name in names:
            if name in credential:
                payload[claim] = _numeric(parse_datetime(credential.pop(name), name))
    payload.setdefault("nbf", _numeric(now))
    payload["iat"] = _numeric(now)
    payload["vc"] = credential
    return jose.sign(payload, issuer_key, header={"typ": "JWT", "kid": kid})


# --- presentations ----------------------------------------------------------------------

def sign_jwt_vp(credentials: Sequence[str], holder_key: Any, *, kid: str, audience: str, nonce: str,
                now: datetime | None = None, lifetime: timedelta = timedelta(minutes=10)) -> str:
    """A did-jwt-vc style presentation JWT of ``credentials`` (VC-JWT strings), signed by
    the holder's key ``kid``, bound to the verifier's ``nonce`` (challenge) and ``audience``
    (domain), expiring after ``lifetime``."""
    holder = kid.split("#", 1)[0]
    now = now or datetime.now(timezone.utc)
    payload = {
        "iss": holder,
        "aud": [audience],
        "nonce": nonce,
        "nbf": _numeric(now),
        "iat": _numeric(now),
        "exp": _numeric(now + lifetime),
        "jti": f"urn:uuid:{uuid.uuid4()}",
        "vp": {"@context": [VC_V1_CONTEXT], "type": ["VerifiablePresentation"],
               "verifiableCredential": list(credentials)},
    }
    return jose.sign(payload, holder_key, header={"typ": "JWT", "kid": kid})


def _embedded_jwts(presentation: Mapping) -> list[str]:
    entries = presentation.get("verifiableCredential", [])
    entries = entries if isinstance(entries, list) else [entries]
    tokens = []
    for index, entry in enumerate(entries, 1):
        if isinstance(entry, dict) and entry.get("type") == "EnvelopedVerifiableCredential" \
                and isinstance(entry.get("id"), str) and entry["id"].startswith(_ENVELOPED_PREFIXES):
            entry = entry["id"].split(",", 1)[1]
        if not isinstance(entry, str):
            raise CredentialFailure(Reason.UNSUPPORTED_FORMAT, f"Credential {index} in the presentation is "
                                    "not a VC-JWT; JWT presentations here carry VC-JWTs only.")
        tokens.append(entry)
    return tokens


@_guard
def verify_jwt_vp(token: Any, *, audience: str, nonce: str,
                  documents: DocumentLookup | None = None) -> JwtPresentation:
    """Verify a JWT presentation for the verifier's ``audience`` (domain) and ``nonce``
    (challenge), and every VC-JWT in it (signatures and keys, not their time windows)."""
    jws = jose.parse(token, "presentation JWT")
    jose.check_algorithm(jws, "presentation JWT")
    payload = jws.payload
    if isinstance(payload.get("vp"), dict):
        presentation = payload["vp"]
    elif jws.typ in JOSE_VP_TYPES:
        presentation = payload
    else:
        raise CredentialFailure(Reason.MALFORMED, "This JWT holds no presentation ('vp' claim).")
    _types(presentation, "VerifiablePresentation", "presentation")
    holder = payload.get("iss", _issuer_id(presentation.get("holder")))
    holder = _string(holder, "presentation's holder ('iss')")
    stated = _issuer_id(presentation.get("holder"))
    if stated is not None and stated != holder:
        raise CredentialFailure(Reason.WRONG_KEY, f"The presentation names {stated} as holder but was "
                                f"signed for {holder}.")
    key = resolve_jwt_key(jws.kid, holder, documents=documents, relationship="authentication",
                          what="presentation")
    jose.verify_signature(jws, key.public_key, "presentation JWT")

    if payload.get("nonce") != nonce:
        raise CredentialFailure(jose.WRONG_CHALLENGE, "The presentation was made for another challenge "
                                "(its nonce is not the one this verifier asked for); it may be a replay.")
    aud = payload.get("aud")
    audiences = (aud,) if isinstance(aud, str) else tuple(a for a in aud if isinstance(a, str)) \
        if isinstance(aud, list) else ()
    if audience not in audiences:
        raise CredentialFailure(jose.WRONG_DOMAIN, f"The presentation was made for "
                                f"{', '.join(audiences) or 'no audience'}, not for {audience}.")

    credentials = []
    for index, embedded in enumerate(_embedded_jwts(presentation), 1):
        try:
            credentials.append(verify_jwt_vc(embedded, documents=documents))
        except CredentialFailure as exc:
            raise CredentialFailure(exc.reason, f"Credential {index} in the presentation: {exc.message}") from exc
    nbf, iat, exp = (jose.numeric_date(payload, c, "presentation JWT") for c in ("nbf", "iat", "exp"))
    jti = payload.get("jti")
    return JwtPresentation(token=token, header=jws.header, payload=payload, presentation=presentation,
                           holder=holder, audience=audiences, nonce=nonce, credentials=tuple(credentials),
                           valid_from=nbf if nbf is not None else iat, valid_until=exp, issued_at=iat,
                           key_id=key.method_id, id=jti if isinstance(jti, str) else None)
