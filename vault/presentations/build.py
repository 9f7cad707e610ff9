"""Build a Verifiable Presentation of stored credentials for one verifier.

Two formats:

* ``"di"`` (default): a W3C VC 2.0 ``VerifiablePresentation`` secured with a Data
  Integrity proof (``DataIntegrityProof``, ``eddsa-rdfc-2022`` by default or
  ``eddsa-jcs-2022``) with ``proofPurpose: authentication``, the verifier's
  ``challenge`` and ``domain``, and ``expires``. Data Integrity credentials are embedded
  as the JSON objects they are; VC-JWT and SD-JWT VC credentials as
  ``EnvelopedVerifiableCredential`` objects whose ``id`` is a ``data:`` URL
  (``data:application/vc+jwt,<token>`` / ``data:application/dc+sd-jwt,<token>``,
  VC 2.0 §4.13).
* ``"jwt"``: a presentation JWT as did-jwt-vc makes it (``iss`` holder, ``nonce``
  challenge, ``aud`` [domain], ``exp``), only when every credential is a VC-JWT.

The holder is the DID the credentials were issued to: one presentation has one holder,
and it must be one of this vault's did:key / did:jwk DIDs (those sign Ed25519
presentations). Credentials issued to different DIDs are refused (present them
separately) rather than signed with a proof set: a verifier asking "who is this?" gets
one answer. A credential without a subject binds through its SD-JWT ``cnf`` key, or not at
all (a bearer credential, presented by the chosen or default DID).

SD-JWT VC credentials reveal only the claims the holder picks (``reveal``: credential id
or unique prefix -> a list of claim paths, each "given_name", "achievement.description"
or ("nationalities", 0); a credential not named there, or named with None, reveals every
claim it holds, ``[]`` reveals none). Data Integrity credentials with an ecdsa-sd-2023
base proof do the same (paths from the credential's root, "credentialSubject.givenName";
see ``credentials.ecdsa_sd``): the presentation carries a credential derived from the
base proof with only those claims and what the issuer made mandatory, never the base
proof itself (it holds the HMAC key and every claim). With ``cnf`` a key-binding JWT over the
verifier's challenge (nonce) and domain (aud) is added; without ``cnf`` the disclosures go
without one, and the holder's proof on the enclosing presentation is what binds them (a
bare SD-JWT without KB is refused by the verifier).

``preview`` computes exactly what will be disclosed without signing anything, for the
"show what will be disclosed before the QR" screen; ``build`` (exported by the package as
``build_presentation``) signs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, Mapping, Sequence

from ..credentials import data_integrity, ecdsa_sd, jose, jwt_vc, sd_jwt_vc
from ..credentials.openbadges import flatten_claims
from ..credentials.verdict import CredentialFailure
from ..credentials.verify import FORMAT_BLOCKCERTS, FORMAT_DI, FORMAT_JWT, FORMAT_SD_JWT, detect, unwrap
from ..did import resolver
from ..errors import NotFound, VaultError

__all__ = [
    "CRYPTOSUITES", "DEFAULT_CRYPTOSUITE", "DEFAULT_EXPIRES_IN", "DI", "DisclosedCredential",
    "JWT", "KIND_JSON", "KIND_JWT", "Presentation", "PresentationError", "PresentationPreview",
    "build", "build_presentation", "preview", "selective",
]

DI = "di"
JWT = "jwt"
FORMATS = (DI, JWT)
KIND_JSON = "vp-json"
KIND_JWT = "vp-jwt"
CRYPTOSUITES = data_integrity.CRYPTOSUITES
# Measured on a one-credential VP (the interop Open Badges 3.0 credential re-issued to a
# vault did:key, 36-character challenge): eddsa-rdfc-2022 2,057 bytes of JSON -> 961
# characters of BTV1 text -> QR version 20 at level M; eddsa-jcs-2022 (its proof repeats
# the @context) 2,107 bytes -> 973 characters -> version 21. Smaller code: rdfc is the
# default. (jcs signs faster, ~3 ms against ~4 ms with logging; both far below budget.)
DEFAULT_CRYPTOSUITE = data_integrity.RDFC
DEFAULT_EXPIRES_IN = timedelta(minutes=10)
VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
UNDEFINED_TERMS_CONTEXT = "https://www.w3.org/ns/credentials/undefined-terms/v2"
ENVELOPE_MEDIA_TYPES = {FORMAT_JWT: "application/vc+jwt", FORMAT_SD_JWT: "application/dc+sd-jwt"}
SIGNING_METHODS = ("key", "jwk")

# Claims of an SD-JWT VC that describe the token, not the subject.
SD_JWT_METADATA = frozenset({"iss", "sub", "aud", "exp", "nbf", "iat", "jti", "cnf", "vct", "vct#integrity",
                             "status", "_sd", "_sd_alg", "issuer_name"})


class PresentationError(VaultError):
    """A presentation that cannot be made as asked; the message says why and what to do."""


@dataclass(frozen=True)
class DisclosedCredential:
    """What one credential of a presentation shows the verifier."""
    id: str                          # the vault's credential id
    format: str                      # di-vc / jwt-vc / sd-jwt-vc
    title: str
    issuer: str
    issuer_name: str
    subject: str | None              # the DID it was issued to (None: no subject id)
    claims: Any                      # the subject's claims the verifier sees (dict, or list of dicts)
    claim_names: tuple[str, ...]     # dotted paths of every claim in ``claims``
    selective: bool = False          # SD-JWT: the holder chose what to reveal
    revealed: tuple[str, ...] = ()   # SD-JWT: selectively disclosable claims revealed
    withheld: tuple[str, ...] = ()   # SD-JWT: selectively disclosable claims withheld
    key_bound: bool = False          # SD-JWT: a key-binding JWT (cnf) goes with it
    status: str = ""                 # the vault's status of the credential (valid, expired, ...)

    def to_json(self) -> dict:
        return {"id": self.id, "format": self.format, "title": self.title, "issuer": self.issuer,
                "issuer_name": self.issuer_name, "subject": self.subject, "claims": self.claims,
                "claim_names": list(self.claim_names), "selective": self.selective,
                "revealed": list(self.revealed), "withheld": list(self.withheld),
                "key_bound": self.key_bound, "status": self.status}


@dataclass(frozen=True)
class PresentationPreview:
    holder: str
    format: str                      # "di" / "jwt"
    credentials: tuple[DisclosedCredential, ...]
    warnings: tuple[str, ...] = ()   # e.g. a credential that is expired: the verifier will refuse it

    def to_json(self) -> dict:
        return {"holder": self.holder, "format": self.format,
                "credentials": [c.to_json() for c in self.credentials], "warnings": list(self.warnings)}


@dataclass(frozen=True)
class Presentation:
    payload: str                     # the VP JSON (compact) or the JWT
    kind: str                        # "vp-json" / "vp-jwt"
    format: str                      # "di" / "jwt"
    cryptosuite: str | None          # Data Integrity cryptosuite; None for a JWT
    holder: str
    challenge: str
    domain: str
    created: datetime
    expires: datetime
    credentials: tuple[DisclosedCredential, ...]
    warnings: tuple[str, ...] = ()

    @property
    def data(self) -> bytes:
        return self.payload.encode("utf-8")

    def to_json(self) -> dict:
        """Everything but the payload: what was shown, to whom, until when."""
        return {"kind": self.kind, "format": self.format, "cryptosuite": self.cryptosuite,
                "holder": self.holder, "challenge": self.challenge, "domain": self.domain,
                "created": _xsd(self.created), "expires": _xsd(self.expires),
                "credentials": [c.to_json() for c in self.credentials], "warnings": list(self.warnings)}


# ------------------------------------------------------------------------------ loading

@dataclass
class _Item:
    id: str
    format: str
    status: str
    title: str
    issuer: str
    issuer_name: str
    parsed: Any                      # DI: the credential dict; JWT formats: the token text
    subject: str | None
    cnf: dict | None = None
    disclosed: DisclosedCredential | None = None
    reveal: list | None = field(default_factory=list)
    selective_di: bool = False       # a Data Integrity credential with an ecdsa-sd-2023 base proof


def _load(repository, cid: str) -> _Item:
    try:
        full_id = repository.resolve_id(cid)
        summary = repository.get(full_id)
        raw = unwrap(repository.original(full_id))
        fmt, parsed = detect(raw)
    except CredentialFailure as exc:
        raise PresentationError(f"The stored credential {cid} cannot be read: {exc.message}") from None
    except NotFound as exc:
        raise PresentationError(str(exc)) from None
    if fmt not in (FORMAT_DI, FORMAT_JWT, FORMAT_SD_JWT):     # Open Badges 2.0, Blockcerts
        kind = "a Blockcerts certificate" if fmt == FORMAT_BLOCKCERTS else "an Open Badges 2.0 badge"
        raise PresentationError(f"{summary.title or 'The credential'!r} is {kind}, which a presentation "
                                "cannot carry: share the file itself instead.")
    if isinstance(parsed, str):
        parsed = parsed.strip()
    subject = summary.subject or None
    cnf = None
    if fmt == FORMAT_SD_JWT:
        try:
            payload = jose.parse(parsed.split("~", 1)[0], "SD-JWT issuer JWT").payload
        except CredentialFailure as exc:
            raise PresentationError(f"The stored credential {cid} cannot be read: {exc.message}") from None
        cnf = payload.get("cnf") if isinstance(payload.get("cnf"), dict) else None
        if subject is None and isinstance(payload.get("sub"), str):
            subject = payload["sub"]
    return _Item(full_id, fmt, summary.status, summary.title or "Credential", summary.issuer,
                 summary.issuer_name, parsed, subject, cnf,
                 selective_di=fmt == FORMAT_DI and ecdsa_sd.is_selective(parsed))


def selective(repository, cid: str) -> bool:
    """Whether the holder can choose which claims of the stored credential ``cid`` to show
    (SD-JWT VC, or Data Integrity with an ecdsa-sd-2023 base proof)."""
    item = _load(repository, cid)
    return item.format == FORMAT_SD_JWT or item.selective_di


def _unique(ids: Iterable[str]) -> list[str]:
    if isinstance(ids, str):
        ids = [ids]
    seen, out = set(), []
    for cid in ids:
        if cid not in seen:
            seen.add(cid)
            out.append(cid)
    return out


def _reveal_map(reveal: Mapping[str, Any] | None, items: list[_Item], repository) -> dict[str, list | None]:
    """``reveal`` keyed by full credential id (its keys may be ids or unique prefixes)."""
    out: dict[str, list | None] = {}
    ids = {item.id for item in items}
    for key, paths in (reveal or {}).items():
        try:
            full = repository.resolve_id(key)
        except VaultError as exc:
            raise PresentationError(f"The claims to reveal name an unknown credential: {exc}") from None
        if full not in ids:
            raise PresentationError(f"The claims to reveal name the credential {key}, which is not among "
                                    "those presented.")
        if isinstance(paths, str):
            paths = [paths]
        out[full] = None if paths is None else list(paths)
    return out


# ------------------------------------------------------------------------------ disclosure

def _rebuild(node: Any, chosen: Mapping[str, sd_jwt_vc.Disclosure]) -> Any:
    """The claims a verifier gets from the issuer payload and only the ``chosen`` disclosures."""
    if isinstance(node, dict):
        out = {k: _rebuild(v, chosen) for k, v in node.items() if k not in ("_sd", "_sd_alg")}
        for digest in node.get("_sd", []) if isinstance(node.get("_sd"), list) else []:
            found = chosen.get(digest) if isinstance(digest, str) else None
            if found is not None and found.name is not None:
                out[found.name] = _rebuild(found.value, chosen)
        return out
    if isinstance(node, list):
        out = []
        for element in node:
            if isinstance(element, dict) and len(element) == 1 and "..." in element:
                found = chosen.get(element["..."]) if isinstance(element["..."], str) else None
                if found is not None:
                    out.append(_rebuild(found.value, chosen))
            else:
                out.append(_rebuild(element, chosen))
        return out
    return node


def _dotted(path: Sequence) -> str:
    text = ""
    for segment in path:
        text += f"[{segment}]" if isinstance(segment, int) else (f".{segment}" if text else str(segment))
    return text


def _names(claims: Any) -> tuple[str, ...]:
    return tuple(path for path, _ in flatten_claims(claims))


def _disclose_sd_jwt(item: _Item, reveal: list | None) -> DisclosedCredential:
    token = item.parsed
    try:
        # Parsing only (the issuer signature was verified when the credential was imported,
        # and the verifier checks it again): sd_jwt_vc's own strict parser and indexer.
        parts = sd_jwt_vc._split(token)
        disclosures = sd_jwt_vc._index(parts.issuer.payload, sd_jwt_vc._decode_disclosures(parts.encoded))
    except CredentialFailure as exc:
        raise PresentationError(f"The SD-JWT credential {item.title!r} cannot be read: {exc.message}") from None
    payload = parts.issuer.payload
    if reveal is None:
        chosen = list(disclosures)
    else:
        try:
            chosen = sd_jwt_vc.select(disclosures, payload, reveal)
        except ValueError as exc:
            raise PresentationError(f"{item.title!r}: {exc}") from None
    item.reveal = [d.path for d in chosen]
    visible = _rebuild(payload, {d.digest: d for d in chosen})
    claims = {k: v for k, v in visible.items() if k not in SD_JWT_METADATA}
    chosen_digests = {d.digest for d in chosen}
    return DisclosedCredential(
        id=item.id, format=item.format, title=item.title, issuer=item.issuer, issuer_name=item.issuer_name,
        subject=item.subject, claims=claims, claim_names=_names(claims), selective=True,
        revealed=tuple(_dotted(d.path) for d in disclosures if d.digest in chosen_digests),
        withheld=tuple(_dotted(d.path) for d in disclosures if d.digest not in chosen_digests),
        key_bound=item.cnf is not None, status=item.status)


def _subject_claims(credential: Mapping, sub: Any = None) -> Any:
    subject = credential.get("credentialSubject")
    if isinstance(subject, dict):
        subject = dict(subject)
        if isinstance(sub, str) and "id" not in subject:
            subject["id"] = sub
    return subject if isinstance(subject, (dict, list)) else {}


def _disclose_di(item: _Item, reveal: list | None) -> DisclosedCredential:
    try:
        shown = ecdsa_sd.preview(item.parsed, reveal)
    except ValueError as exc:
        raise PresentationError(f"{item.title!r}: {exc}") from None
    item.reveal = reveal
    claims = _subject_claims(shown.credential)
    return DisclosedCredential(
        id=item.id, format=item.format, title=item.title, issuer=item.issuer, issuer_name=item.issuer_name,
        subject=item.subject, claims=claims, claim_names=_names(claims), selective=True,
        revealed=shown.revealed, withheld=shown.withheld, status=item.status)


def _disclose(item: _Item, reveal: list | None) -> DisclosedCredential:
    if item.format == FORMAT_SD_JWT:
        return _disclose_sd_jwt(item, reveal)
    if item.selective_di:
        return _disclose_di(item, reveal)
    if reveal is not None:
        raise PresentationError(f"{item.title!r} is a {item.format} credential: it is shown whole. Only "
                                "SD-JWT VC and ecdsa-sd-2023 credentials can reveal some claims and withhold "
                                "others.")
    if item.format == FORMAT_DI:
        claims = _subject_claims(item.parsed)
    else:
        try:
            payload = jose.parse(item.parsed, "VC-JWT").payload
        except CredentialFailure as exc:
            raise PresentationError(f"The VC-JWT {item.title!r} cannot be read: {exc.message}") from None
        source = payload.get("vc") if isinstance(payload.get("vc"), dict) else payload
        claims = _subject_claims(source, payload.get("sub"))
    return DisclosedCredential(id=item.id, format=item.format, title=item.title, issuer=item.issuer,
                               issuer_name=item.issuer_name, subject=item.subject, claims=claims,
                               claim_names=_names(claims), status=item.status)


# ------------------------------------------------------------------------------ holder

def _signing_dids(identity) -> dict[str, Any]:
    return {record.did: record for record in identity.dids()}


def _cnf_did(cnf: dict, identity, candidates: Iterable[str]) -> str | None:
    """The vault DID whose key a ``cnf`` names (a DID URL kid, or a JWK equal to its key)."""
    if isinstance(cnf.get("kid"), str) and cnf["kid"].startswith("did:"):
        return cnf["kid"].split("#", 1)[0]
    jwk = cnf.get("jwk")
    if not isinstance(jwk, dict):
        return None
    wanted = {k: jwk.get(k) for k in ("kty", "crv", "x", "y") if k in jwk}
    for did in candidates:
        if jose.public_jwk(identity.signing_key(did)) == wanted:
            return did
    return None


def _choose_holder(identity, items: list[_Item], holder: str | None) -> str:
    records = _signing_dids(identity)
    signers = [did for did, r in records.items() if r.method in SIGNING_METHODS]
    bound: dict[str, list[str]] = {}
    for item in items:
        did = item.subject
        if did is None and item.cnf is not None:
            did = _cnf_did(item.cnf, identity, signers)
            if did is None:
                raise PresentationError(f"{item.title!r} is bound to a key (cnf) that no DID of this vault "
                                        "holds, so this vault cannot present it.")
        if did is not None:
            bound.setdefault(did, []).append(item.title)
    if len(bound) > 1:
        listed = "; ".join(f"{did}: {', '.join(repr(t) for t in titles)}" for did, titles in bound.items())
        raise PresentationError("These credentials were issued to different DIDs, and a presentation has "
                                f"one holder ({listed}). Present them separately, one presentation per DID.")
    if bound:
        did = next(iter(bound))
        if holder is not None and holder != did:
            raise PresentationError(f"The credentials were issued to {did}, not to {holder}: only {did} "
                                    "can present them.")
    elif holder is not None:
        did = holder
    else:  # bearer credentials only: the default DID presents them (if it can sign)
        default = identity.default_did()
        did = default.did if default.method in SIGNING_METHODS else (signers[0] if signers else default.did)
    record = records.get(did)
    if record is None:
        raise PresentationError(f"The credentials were issued to {did}, which is not a DID of this vault: "
                                "this vault holds no key to present them.")
    if record.method not in SIGNING_METHODS:
        raise PresentationError(f"The credentials were issued to {did} (did:{record.method}); presentations "
                                "are signed with a did:key or did:jwk key of this vault.")
    return did


def _verification_method(did: str) -> str:
    try:
        document = resolver.resolve(did)
    except (VaultError, ValueError) as exc:
        raise PresentationError(f"{did} cannot be resolved: {exc}") from None
    method = document["verificationMethod"][0]["id"]
    return did + method if method.startswith("#") else method


# ------------------------------------------------------------------------------ planning

@dataclass
class _Plan:
    holder: str
    format: str
    items: list[_Item]
    warnings: tuple[str, ...]


def _plan(identity, repository, ids, reveal, fmt: str, holder: str | None) -> _Plan:
    if fmt not in FORMATS:
        raise PresentationError(f"Unknown presentation format {fmt!r}; use {' or '.join(map(repr, FORMATS))}.")
    ids = _unique(ids)
    if not ids:
        raise PresentationError("Choose at least one credential to present.")
    items: list[_Item] = []
    for cid in ids:
        item = _load(repository, cid)
        if all(item.id != other.id for other in items):
            items.append(item)
    if fmt == JWT:
        others = [i for i in items if i.format != FORMAT_JWT]
        if others:
            raise PresentationError(f"A JWT presentation carries VC-JWT credentials only; {others[0].title!r} "
                                    f"is a {others[0].format} credential. Use the 'di' format for it.")
    did = _choose_holder(identity, items, holder)
    reveal_by_id = _reveal_map(reveal, items, repository)
    warnings = []
    for item in items:
        item.disclosed = _disclose(item, reveal_by_id.get(item.id))
        if item.status != "valid":
            warnings.append(f"{item.title!r} is {item.status} in this vault: the verifier will probably "
                            "refuse the presentation.")
        if item.subject is None and item.cnf is None:
            warnings.append(f"{item.title!r} names no subject: it is not bound to you, and the verifier "
                            "will be told so.")
    return _Plan(did, fmt, items, tuple(warnings))


def preview(identity, repository, ids: Sequence[str], *, reveal: Mapping[str, Any] | None = None,
            fmt: str = DI, holder: str | None = None) -> PresentationPreview:
    """What a presentation of ``ids`` would disclose, and by which holder, without signing."""
    plan = _plan(identity, repository, ids, reveal, fmt, holder)
    return PresentationPreview(plan.holder, plan.format, tuple(i.disclosed for i in plan.items), plan.warnings)


# ------------------------------------------------------------------------------ signing

def _xsd(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _check_request(challenge: Any, domain: Any, expires_in: Any) -> timedelta:
    for name, value in (("challenge", challenge), ("domain", domain)):
        if not isinstance(value, str) or not value.strip():
            raise PresentationError(f"The verifier's {name} is missing: a presentation is made for one "
                                    "verifier's challenge and domain.")
    if isinstance(expires_in, (int, float)) and not isinstance(expires_in, bool):
        expires_in = timedelta(seconds=expires_in)
    if not isinstance(expires_in, timedelta) or expires_in <= timedelta(0):
        raise PresentationError("The presentation's lifetime must be a positive duration.")
    return expires_in


def _embedded(item: _Item, key, challenge: str, domain: str, created: datetime) -> Any:
    if item.selective_di:
        try:
            return ecdsa_sd.disclose(item.parsed, item.reveal).credential
        except (CredentialFailure, ValueError) as exc:
            message = exc.message if isinstance(exc, CredentialFailure) else str(exc)
            raise PresentationError(f"{item.title!r} cannot be presented: {message}") from None
    if item.format == FORMAT_DI:
        return item.parsed
    token = item.parsed
    if item.format == FORMAT_SD_JWT:
        try:
            token = sd_jwt_vc.present(token, item.reveal, holder_key=key if item.cnf is not None else None,
                                      nonce=challenge, audience=domain, issued_at=created)
        except CredentialFailure as exc:
            raise PresentationError(f"{item.title!r} cannot be presented: {exc.message}") from None
    return {"@context": VC_V2_CONTEXT, "id": f"data:{ENVELOPE_MEDIA_TYPES[item.format]},{token}",
            "type": "EnvelopedVerifiableCredential"}


def build(identity, repository, ids: Sequence[str], *, challenge: str, domain: str,
          reveal: Mapping[str, Any] | None = None, fmt: str = DI, cryptosuite: str = DEFAULT_CRYPTOSUITE,
          expires_in: timedelta | float = DEFAULT_EXPIRES_IN, holder: str | None = None,
          now: datetime | None = None, standing=None) -> Presentation:
    """Sign a presentation of the stored credentials ``ids`` for the verifier's ``challenge``
    and ``domain``, valid for ``expires_in``. Raises PresentationError with a sentence.
    ``standing(holder DID)`` returns the holder's standing (vault.standing.link), signed
    inside the presentation; only the JSON format carries it."""
    if standing is not None and fmt != DI:
        raise PresentationError("A presentation with standing is a JSON presentation: choose that format.")
    expires_in = _check_request(challenge, domain, expires_in)
    if fmt == DI and cryptosuite not in CRYPTOSUITES:
        raise PresentationError(f"Unknown cryptosuite {cryptosuite!r}; use one of {', '.join(CRYPTOSUITES)}.")
    plan = _plan(identity, repository, ids, reveal, fmt, holder)
    created = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    expires = created + expires_in
    key = identity.signing_key(plan.holder)
    method = _verification_method(plan.holder)
    if fmt == JWT:
        payload = jwt_vc.sign_jwt_vp([i.parsed for i in plan.items], key, kid=method, audience=domain,
                                     nonce=challenge, now=created, lifetime=expires_in)
        kind, suite = KIND_JWT, None
    else:
        document = {"@context": [VC_V2_CONTEXT], "type": ["VerifiablePresentation"], "holder": plan.holder,
                    "verifiableCredential": [_embedded(i, key, challenge, domain, created) for i in plan.items]}
        if standing is not None:  # W3C's context for terms of our own, so that the proof covers them
            document["@context"].append(UNDEFINED_TERMS_CONTEXT)
            document["blocktrackStanding"] = standing(plan.holder)
        try:
            signed = data_integrity.sign(document, key, method, cryptosuite=cryptosuite,
                                         purpose="authentication", challenge=challenge, domain=domain,
                                         created=_xsd(created), expires=_xsd(expires))
        except CredentialFailure as exc:
            raise PresentationError(f"The presentation cannot be signed: {exc.message}") from None
        payload = json.dumps(signed, separators=(",", ":"), ensure_ascii=False)
        kind, suite = KIND_JSON, cryptosuite
    return Presentation(payload=payload, kind=kind, format=fmt, cryptosuite=suite, holder=plan.holder,
                        challenge=challenge, domain=domain, created=created, expires=expires,
                        credentials=tuple(i.disclosed for i in plan.items), warnings=plan.warnings)


build_presentation = build   # the package exports this name: ``vault.presentations.build`` is the module
