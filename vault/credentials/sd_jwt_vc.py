"""SD-JWT VC (IETF SD-JWT, RFC 9901, and SD-JWT VC): verify, present with key binding, issue.

``<issuer-jwt>~<disclosure>~...~<disclosure>~[<kb-jwt>]``, header ``typ`` ``dc+sd-jwt``
(or the older ``vc+sd-jwt``).

The `sd-jwt` library (0.10.4) verifies the issuer signature (SDJWTVerifier), resolves the
disclosures into the processed payload, selects disclosures for a presentation and signs
the KB-JWT (SDJWTHolder), and issues (SDJWTIssuer). What it leaves out is done here:

* a strict parse first (jose.parse of each JWT, canonical base64url, JSON disclosures of
  the right shape, no "~~"), so a bad token is MALFORMED, never a stray ValueError;
* the issuer key: from the certificate chain in the header (``x5c``, checked against the
  certificate authorities the user added: webkeys.x5c); for an https ``iss``, from its
  JWT VC Issuer Metadata (webkeys.jwt_issuer); else from ``kid`` (DID URL) or the ``iss``
  DID via resolve_method; and the alg allow-list (its verifier takes the alg from the
  token header);
* every disclosure must be referenced by a digest in the signed payload (the library
  ignores extra ones): an unreferenced disclosure is TAMPERED; a digest used twice, a
  claim name that is already present, an array/object disclosure in the wrong place are
  MALFORMED; ``_sd_alg`` sha-256 (the default) and sha3-256 are read (the library's
  classes get the hash as its ``HASH_ALG`` says), anything else is UNSUPPORTED_CRYPTOSUITE;
* the KB-JWT check (its verifier accepts only ES256 holder keys and raises KeyError on a
  missing claim): typ ``kb+jwt``, signature by ``cnf.jwk`` (or a ``cnf.kid`` DID URL),
  ``sd_hash`` over exactly the presented disclosures (else TAMPERED), nonce and aud;
* the claim path of every disclosure, so a holder can choose what to reveal.

Time is not judged here (``valid_from``/``valid_until``, KB ``issued_at`` are exposed):
vault.presentations.verify judges the KB-JWT's freshness.
"""

from __future__ import annotations

import copy
import functools
import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping, Sequence, Union

from jwcrypto.common import JWException
from jwcrypto.jws import InvalidJWSSignature
from sd_jwt.common import SDObj
from sd_jwt.holder import SDJWTHolder
from sd_jwt.issuer import SDJWTIssuer
from sd_jwt.verifier import SDJWTVerifier

from . import jose
from .jwt_vc import resolve_jwt_key
from .keys import DocumentLookup, public_key_from_jwk, resolve_method
from .verdict import CredentialFailure, Reason
from .webkeys import jwt_issuer, x5c

SD_JWT_VC_TYPES = ("dc+sd-jwt", "vc+sd-jwt")
KB_JWT_TYPE = "kb+jwt"
HASH_ALG = "sha-256"
# The digests' hash (``_sd_alg``, names from the IANA Named Information registry); the
# KB-JWT's sd_hash uses the same one (RFC 9901 §4.3.1).
HASH_ALGS = {"sha-256": hashlib.sha256, "sha3-256": hashlib.sha3_256}

PathSegment = Union[str, int]
Path = tuple  # tuple[PathSegment, ...]: object member names and array positions


@dataclass(frozen=True)
class Disclosure:
    encoded: str                 # as in the token
    digest: str                  # base64url(hash(encoded)), the hash of _sd_alg
    salt: str
    name: str | None             # the claim name; None for an array element
    value: Any                   # the disclosed value (may hold further digests)
    path: Path                   # where it lands, e.g. ("address", "region") or ("nationalities", 0);
                                 # array positions count every element of the signed array
    parent: str | None           # digest of the disclosure this one is nested in, if any


@dataclass(frozen=True)
class KeyBinding:
    token: str
    header: dict
    payload: dict
    nonce: str
    audience: str | tuple        # aud: a string (usual) or the array it was given as
    issued_at: datetime
    sd_hash: str


@dataclass(frozen=True)
class SdJwtCredential:
    token: str                   # as given (issuer JWT, disclosures, KB-JWT if any)
    typ: str | None
    header: dict                 # issuer JWT header
    payload: dict                # issuer-signed payload, digests and all
    claims: dict                 # processed payload: every disclosed claim, no _sd / _sd_alg / "..."
    disclosures: tuple[Disclosure, ...]
    issuer: str
    subject: str | None
    vct: str | None
    valid_from: datetime | None  # latest of nbf and iat
    valid_until: datetime | None  # exp
    issued_at: datetime | None
    cnf: dict | None             # the holder key binding (cnf claim)
    key_id: str | None           # the issuer's verification method; None when issuer_key was given
    key_binding: KeyBinding | None = None

    @property
    def issuer_jwt(self) -> str:
        return self.token.split("~", 1)[0]

    @property
    def paths(self) -> list[Path]:
        """Claim paths a holder can choose to reveal (or withhold)."""
        return [d.path for d in self.disclosures]


# --- parsing ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Parts:
    issuer: jose.CompactJWS
    encoded: list[str]           # disclosures as in the token
    kb: str | None               # KB-JWT text, None when the token ends with "~"


@dataclass(frozen=True)
class _Decoded:
    encoded: str
    digest: str
    salt: str
    name: str | None
    value: Any


def _b64_digest(data: str, alg: str = HASH_ALG) -> str:
    return jose.b64url_encode(HASH_ALGS[alg](data.encode("ascii")).digest())


@functools.cache
def _library(cls: type, alg: str) -> type:
    """The sd-jwt library's ``cls`` hashing with ``alg`` (its ``HASH_ALG`` class member)."""
    if alg == HASH_ALG:
        return cls
    return type(f"{cls.__name__}_{alg.replace('-', '_')}", (cls,), {"HASH_ALG": {"name": alg, "fn": HASH_ALGS[alg]}})


def _split(token: Any) -> _Parts:
    if not isinstance(token, str):
        raise CredentialFailure(Reason.MALFORMED, "The SD-JWT is not text.")
    if "~" not in token:
        raise CredentialFailure(Reason.MALFORMED, "This is not an SD-JWT: it has no '~' separators.")
    parts = token.split("~")
    issuer = jose.parse(parts[0], "SD-JWT issuer JWT")
    encoded = parts[1:-1]
    if any(not e for e in encoded):
        raise CredentialFailure(Reason.MALFORMED, "The SD-JWT has an empty disclosure ('~~').")
    return _Parts(issuer, encoded, parts[-1] or None)


def _decode_disclosures(encoded: Iterable[str], alg: str = HASH_ALG) -> dict[str, _Decoded]:
    decoded: dict[str, _Decoded] = {}
    for index, text in enumerate(encoded, 1):
        what = f"disclosure {index}"
        value = jose.json_loads(jose.b64url_decode(text, what), what)
        if not isinstance(value, list) or len(value) not in (2, 3) or not isinstance(value[0], str):
            raise CredentialFailure(Reason.MALFORMED, f"The {what} is not [salt, (name,) value].")
        name = None
        if len(value) == 3:
            name = value[1]
            if not isinstance(name, str) or name in ("_sd", "..."):
                raise CredentialFailure(Reason.MALFORMED, f"The {what} has an invalid claim name.")
        digest = _b64_digest(text, alg)
        if digest in decoded:
            raise CredentialFailure(Reason.MALFORMED, f"The {what} appears twice.")
        decoded[digest] = _Decoded(text, digest, value[0], name, value[-1])
    return decoded


def _check_hash_alg(payload: Mapping) -> str:
    alg = payload.get("_sd_alg", HASH_ALG)
    if not isinstance(alg, str) or alg not in HASH_ALGS:
        raise CredentialFailure(Reason.UNSUPPORTED_CRYPTOSUITE, f"The SD-JWT digests use {str(alg)[:20]!r}; "
                                f"only {' and '.join(HASH_ALGS)} are supported.")
    return alg


class _Walk:
    """Finds where each disclosure's digest sits in the signed payload (and in other
    disclosures), enforcing the RFC 9901 §7.1 processing rules."""

    def __init__(self, decoded: Mapping[str, _Decoded]):
        self.decoded = decoded
        self.seen: set[str] = set()
        self.places: dict[str, tuple[Path, str | None]] = {}

    def _claim(self, digest: Any, path: Path, parent: str | None) -> _Decoded | None:
        if not isinstance(digest, str):
            raise CredentialFailure(Reason.MALFORMED, "An SD-JWT digest is not a string.")
        if digest in self.seen:
            raise CredentialFailure(Reason.MALFORMED, "A digest appears more than once in the SD-JWT.")
        self.seen.add(digest)
        return self.decoded.get(digest)

    def node(self, node: Any, path: Path, parent: str | None) -> None:
        if isinstance(node, dict):
            digests = node.get("_sd", [])
            if not isinstance(digests, list):
                raise CredentialFailure(Reason.MALFORMED, "An '_sd' member of the SD-JWT is not an array.")
            for digest in digests:
                found = self._claim(digest, path, parent)
                if found is None:
                    continue  # undisclosed claim or decoy
                if found.name is None:
                    raise CredentialFailure(Reason.MALFORMED, "An array-element disclosure is referenced "
                                            "as an object member.")
                if found.name in node:
                    raise CredentialFailure(Reason.MALFORMED, f"The disclosed claim {found.name!r} "
                                            "is also present in clear.")
                self.places[found.digest] = (path + (found.name,), parent)
                self.node(found.value, path + (found.name,), found.digest)
            for key, value in node.items():
                if key not in ("_sd", "_sd_alg"):
                    self.node(value, path + (key,), parent)
        elif isinstance(node, list):
            for position, element in enumerate(node):
                if isinstance(element, dict) and len(element) == 1 and "..." in element:
                    found = self._claim(element["..."], path, parent)
                    if found is None:
                        continue
                    if found.name is not None:
                        raise CredentialFailure(Reason.MALFORMED, "An object-member disclosure is "
                                                "referenced as an array element.")
                    self.places[found.digest] = (path + (position,), parent)
                    self.node(found.value, path + (position,), found.digest)
                else:
                    self.node(element, path + (position,), parent)


def _index(payload: dict, decoded: Mapping[str, _Decoded]) -> tuple[Disclosure, ...]:
    _check_hash_alg(payload)
    walk = _Walk(decoded)
    walk.node(payload, (), None)
    result = []
    for digest, item in decoded.items():
        if digest not in walk.places:
            label = f"claim {item.name!r}" if item.name is not None else "an array element"
            raise CredentialFailure(Reason.TAMPERED, f"A disclosure ({label}) is not covered by the issuer's "
                                    "signature: it was added or changed after issuance.")
        path, parent = walk.places[digest]
        result.append(Disclosure(item.encoded, digest, item.salt, item.name, item.value, path, parent))
    return tuple(result)


# --- verification -----------------------------------------------------------------------

def _issuer_key(parts: _Parts, issuer_key: Any, documents: DocumentLookup | None, anchors: x5c.Anchors | None,
                now: datetime | None) -> tuple[Any, str, str | None]:
    """(public key, issuer, verification method id)."""
    payload = parts.issuer.payload
    iss = payload.get("iss")
    if iss is not None and not isinstance(iss, str):
        raise CredentialFailure(Reason.MALFORMED, "The SD-JWT 'iss' claim is not a string.")
    if issuer_key is not None:
        key = public_key_from_jwk(issuer_key) if isinstance(issuer_key, Mapping) else issuer_key
        return key, iss or "", None
    if "x5c" in parts.issuer.header:
        key, key_id = x5c.chain_key(parts.issuer.header["x5c"], iss, anchors, now or datetime.now(timezone.utc))
        return key, iss, key_id
    kid = parts.issuer.kid
    if isinstance(iss, str) and iss.startswith("https://") and not (kid or "").startswith(("did:", "https://")):
        key, key_id = jwt_issuer.issuer_key(iss, kid, documents)
        return key, iss, key_id
    resolved = resolve_jwt_key(parts.issuer.kid, iss, documents=documents, relationship="assertionMethod",
                               what="SD-JWT")
    return resolved.public_key, iss or resolved.controller, resolved.method_id


def _holder_key(cnf: Any, documents: DocumentLookup | None) -> Any:
    if not isinstance(cnf, dict):
        raise CredentialFailure(Reason.WRONG_KEY, "The credential is not bound to a holder key (no 'cnf'), "
                                "so a key-binding JWT cannot be checked.")
    if isinstance(cnf.get("jwk"), dict):
        return public_key_from_jwk(cnf["jwk"])
    if isinstance(cnf.get("kid"), str):
        return resolve_method(cnf["kid"], documents).public_key
    raise CredentialFailure(Reason.UNKNOWN_KEY, "The credential's holder key ('cnf') is neither a 'jwk' "
                            "nor a DID URL 'kid'.")


def _sd_hash_input(parts: _Parts) -> str:
    return "~".join([parts.issuer.token, *parts.encoded, ""])


def _verify_kb(parts: _Parts, claims: Mapping, documents: DocumentLookup | None,
               nonce: str | None, audience: str | None, alg: str) -> KeyBinding:
    kb = jose.parse(parts.kb, "key-binding JWT")
    jose.check_algorithm(kb, "key-binding JWT")
    if kb.typ != KB_JWT_TYPE:
        raise CredentialFailure(Reason.MALFORMED, f"The key-binding JWT's typ is {kb.typ!r}, not {KB_JWT_TYPE!r}.")
    jose.verify_signature(kb, _holder_key(claims.get("cnf"), documents), "key-binding JWT")
    payload = kb.payload
    for claim in ("nonce", "sd_hash"):
        if not isinstance(payload.get(claim), str):
            raise CredentialFailure(Reason.MALFORMED, f"The key-binding JWT has no {claim!r} string.")
    aud = payload.get("aud")
    audiences = (aud,) if isinstance(aud, str) else tuple(aud) if isinstance(aud, list) else ()
    if not audiences or not all(isinstance(a, str) for a in audiences):
        raise CredentialFailure(Reason.MALFORMED, "The key-binding JWT has no audience ('aud').")
    issued_at = jose.numeric_date(payload, "iat", "key-binding JWT")
    if issued_at is None:
        raise CredentialFailure(Reason.MALFORMED, "The key-binding JWT has no 'iat'.")
    if payload["sd_hash"] != _b64_digest(_sd_hash_input(parts), alg):
        raise CredentialFailure(Reason.TAMPERED, "The disclosures are not the ones the holder presented "
                                "(the key-binding JWT's sd_hash does not match).")
    if nonce is not None and payload["nonce"] != nonce:
        raise CredentialFailure(jose.WRONG_CHALLENGE, "The presentation was made for another challenge "
                                "(its nonce is not the one this verifier asked for); it may be a replay.")
    if audience is not None and audience not in audiences:
        raise CredentialFailure(jose.WRONG_DOMAIN, f"The presentation was made for "
                                f"{', '.join(audiences)[:120]!r}, not for {audience!r}.")
    return KeyBinding(kb.token, kb.header, payload, payload["nonce"], aud if isinstance(aud, str) else audiences,
                      issued_at, payload["sd_hash"])


def _verify(token: Any, *, documents: DocumentLookup | None, issuer_key: Any,
            accept_typ: Sequence[str] | None, nonce: str | None, audience: str | None,
            require_kb: bool, anchors: x5c.Anchors | None = None, now: datetime | None = None) -> SdJwtCredential:
    parts = _split(token)
    jws = parts.issuer
    alg = _check_hash_alg(jws.payload)
    decoded = _decode_disclosures(parts.encoded, alg)
    jose.check_algorithm(jws, "SD-JWT")
    if accept_typ is not None and jws.typ not in accept_typ:
        raise CredentialFailure(Reason.UNSUPPORTED_FORMAT, f"The SD-JWT's typ is {jws.typ!r}; an SD-JWT VC "
                                f"has {' or '.join(accept_typ)}.")
    public_key, issuer, key_id = _issuer_key(parts, issuer_key, documents, anchors, now)
    jose.check_key(jws, public_key, "SD-JWT")

    jwk = jose.to_jwcrypto(public_key)
    try:  # the library checks the issuer signature ...
        verifier = _library(SDJWTVerifier, alg)(token, lambda _iss, _header: jwk)
    except InvalidJWSSignature as exc:
        raise jose.bad_signature("SD-JWT issuer") from exc
    except (JWException, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CredentialFailure(Reason.MALFORMED, f"The SD-JWT could not be read ({exc}).") from exc
    disclosures = _index(jws.payload, decoded)  # ... we check the disclosures it would ignore ...
    try:  # ... and it builds the processed payload.
        claims = verifier.get_verified_payload()
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CredentialFailure(Reason.MALFORMED, f"The SD-JWT could not be processed ({exc}).") from exc

    vct = claims.get("vct")
    if accept_typ is not None and set(accept_typ) & set(SD_JWT_VC_TYPES) and not isinstance(vct, str):
        raise CredentialFailure(Reason.MALFORMED, "The SD-JWT VC has no 'vct' (credential type).")
    key_binding = None
    if parts.kb is not None:
        key_binding = _verify_kb(parts, claims, documents, nonce, audience, alg)
    elif require_kb:
        raise CredentialFailure(Reason.NO_PROOF, "The presentation has no key-binding JWT, so nothing shows "
                                "that the holder made it for this verifier.")
    nbf, iat, exp = (jose.numeric_date(claims, c, "SD-JWT") for c in ("nbf", "iat", "exp"))
    starts = [m for m in (nbf, iat) if m is not None]
    subject = claims.get("sub")
    cnf = claims.get("cnf")
    return SdJwtCredential(
        token=token, typ=jws.typ, header=jws.header, payload=jws.payload, claims=claims,
        disclosures=disclosures, issuer=issuer, subject=subject if isinstance(subject, str) else None,
        vct=vct if isinstance(vct, str) else None, valid_from=max(starts) if starts else None,
        valid_until=exp, issued_at=iat, cnf=cnf if isinstance(cnf, dict) else None, key_id=key_id,
        key_binding=key_binding)


def _guarded(call):
    try:
        return call()
    except RecursionError as exc:
        raise CredentialFailure(Reason.MALFORMED, "The SD-JWT nests too deeply.") from exc


def verify_sd_jwt_vc(token: Any, *, documents: DocumentLookup | None = None, issuer_key: Any = None,
                     accept_typ: Sequence[str] | None = SD_JWT_VC_TYPES, anchors: x5c.Anchors | None = None,
                     now: datetime | None = None) -> SdJwtCredential:
    """Verify an issued SD-JWT VC (with all or some disclosures).

    The issuer key comes from ``x5c`` (a chain to one of ``anchors``, valid at ``now``),
    an https ``iss``'s metadata, or ``kid`` / the ``iss`` DID, unless ``issuer_key`` (a
    `cryptography` public key or a public JWK) is given. ``accept_typ=None`` accepts any
    SD-JWT (e.g. the RFC's ``example+sd-jwt``). A KB-JWT, if present, is checked
    (signature, sd_hash) but its nonce and aud are not: see verify_presentation.
    """
    return _guarded(lambda: _verify(token, documents=documents, issuer_key=issuer_key, accept_typ=accept_typ,
                                    nonce=None, audience=None, require_kb=False, anchors=anchors, now=now))


def verify_presentation(token: Any, *, nonce: str, audience: str, documents: DocumentLookup | None = None,
                        issuer_key: Any = None, accept_typ: Sequence[str] | None = SD_JWT_VC_TYPES,
                        anchors: x5c.Anchors | None = None, now: datetime | None = None) -> SdJwtCredential:
    """Verify an SD-JWT+KB presented to this verifier: everything verify_sd_jwt_vc checks,
    and a KB-JWT signed by the credential's holder key (cnf) over exactly these
    disclosures, for ``nonce`` (challenge) and ``audience``."""
    if not isinstance(nonce, str) or not isinstance(audience, str):
        raise TypeError("nonce and audience are strings")
    return _guarded(lambda: _verify(token, documents=documents, issuer_key=issuer_key, accept_typ=accept_typ,
                                    nonce=nonce, audience=audience, require_kb=True, anchors=anchors, now=now))


# --- holder: choose what to reveal ------------------------------------------------------

def _normalise_path(path: Any) -> Path:
    if isinstance(path, str):
        segments = tuple(path.split("."))
    elif isinstance(path, (tuple, list)):
        segments = tuple(path)
    else:
        raise ValueError(f"A claim path is a dotted string or a tuple, not {path!r}.")
    if not segments or not all(isinstance(s, str) or (isinstance(s, int) and not isinstance(s, bool))
                               for s in segments):
        raise ValueError(f"{path!r} is not a claim path.")
    return segments


def _present_in_clear(payload: Any, path: Path) -> bool:
    node = payload
    for segment in path:
        if isinstance(node, dict) and isinstance(segment, str) and segment in node and segment != "_sd":
            node = node[segment]
        elif isinstance(node, list) and isinstance(segment, int) and 0 <= segment < len(node):
            node = node[segment]
        else:
            return False
    return True


def select(disclosures: Sequence[Disclosure], payload: dict, reveal: Iterable[Any]) -> list[Disclosure]:
    """The disclosures that reveal ``reveal``: a path reveals the claim and everything under
    it, with the disclosures of the claims that contain it."""
    by_digest = {d.digest: d for d in disclosures}
    chosen: set[str] = set()
    for raw in reveal:
        path = _normalise_path(raw)
        hits = [d for d in disclosures if d.path[:len(path)] == path or path[:len(d.path)] == d.path]
        if not hits and not _present_in_clear(payload, path):
            raise ValueError(f"The credential has no claim {'.'.join(map(str, path))!r}.")
        for hit in hits:
            digest: str | None = hit.digest
            while digest is not None and digest not in chosen:
                chosen.add(digest)
                digest = by_digest[digest].parent
    return [d for d in disclosures if d.digest in chosen]


def _library_selection(disclosures: Iterable[Disclosure]) -> dict:
    """The library's claims_to_disclose structure for exactly ``disclosures``."""
    tree: dict = {}
    for disclosure in disclosures:
        node: Any = tree
        for depth, segment in enumerate(disclosure.path):
            last = depth == len(disclosure.path) - 1
            following = None if last else disclosure.path[depth + 1]
            empty = [] if isinstance(following, int) else {}
            if isinstance(segment, int):
                node.extend([None] * (segment + 1 - len(node)))
                if last:
                    node[segment] = node[segment] if node[segment] not in (None, True) else True
                elif node[segment] in (None, True):
                    node[segment] = empty
                node = node[segment]
            else:
                if last:
                    node[segment] = node.get(segment) if node.get(segment) not in (None, True) else True
                elif node.get(segment) in (None, True):
                    node[segment] = empty
                node = node[segment]
    return tree


def present(sd_jwt: str, reveal: Iterable[Any], *, holder_key: Any = None, nonce: str | None = None,
            audience: str | None = None, issued_at: datetime | None = None) -> str:
    """An SD-JWT presentation revealing only ``reveal`` (claim paths: "given_name",
    "achievement.description", ("nationalities", 0)), with a KB-JWT signed by
    ``holder_key`` (the `cryptography` private key matching the credential's ``cnf``) for
    ``nonce`` and ``audience``, made at ``issued_at`` (default now; its ``iat``, which a
    verifier checks for freshness). Without ``holder_key``: no key binding (trailing "~").
    """
    parts = _guarded(lambda: _split(sd_jwt))
    alg = _check_hash_alg(parts.issuer.payload)
    decoded = _decode_disclosures(parts.encoded, alg)
    disclosures = _guarded(lambda: _index(parts.issuer.payload, decoded))
    chosen = select(disclosures, parts.issuer.payload, reveal)
    issued = "~".join([parts.issuer.token, *parts.encoded, ""])

    if holder_key is not None:
        if not (isinstance(nonce, str) and nonce and isinstance(audience, str) and audience):
            raise ValueError("A key-bound presentation needs the verifier's nonce and audience.")
        bound = _holder_key(parts.issuer.payload.get("cnf"), None)
        if jose.public_jwk(bound) != jose.public_jwk(holder_key):
            raise CredentialFailure(Reason.WRONG_KEY, "This is not the key the credential is bound to (cnf).")
    holder = _library(SDJWTHolder, alg)(issued)
    holder.create_presentation(_library_selection(chosen))
    if sorted(holder.hs_disclosures) != sorted(d.encoded for d in chosen):
        raise RuntimeError("sd-jwt selected other disclosures than asked for")  # a bug here, not bad input
    presentation = holder.sd_jwt_presentation   # ends with "~": what sd_hash covers
    if holder_key is None:
        return presentation
    # The KB-JWT is signed here: the library stamps its iat with the clock, with no way to
    # say when the presentation is made (build's ``now``), and verifiers judge that iat.
    moment = issued_at or datetime.now(timezone.utc)
    payload = {"nonce": nonce, "aud": audience, "iat": int(moment.timestamp()),
               "sd_hash": _b64_digest(presentation, alg)}
    return presentation + jose.sign(payload, holder_key, header={"typ": KB_JWT_TYPE})


# --- issuer (tests, and issuing from the wallet later) ----------------------------------

def _mark_disclosable(node: Any, path: Path) -> Any:
    """Wrap the claim at ``path`` in the library's SDObj (object member: its name; array
    element: the element). Claims on the way stay as they are unless marked themselves."""
    head, rest = path[0], path[1:]
    if isinstance(node, dict) and isinstance(head, str):
        key = head if head in node else next((k for k in node if isinstance(k, SDObj) and k.value == head), None)
        if key is None:
            raise ValueError(f"No claim {head!r} to make selectively disclosable.")
        if rest:
            node[key] = _mark_disclosable(node[key], rest)
        elif not isinstance(key, SDObj):
            node[SDObj(head)] = node.pop(key)
    elif isinstance(node, list) and isinstance(head, int) and 0 <= head < len(node):
        element = node[head]
        if rest and isinstance(element, SDObj):
            element.value = _mark_disclosable(element.value, rest)
        elif rest:
            node[head] = _mark_disclosable(element, rest)
        elif not isinstance(element, SDObj):
            node[head] = SDObj(element)
    else:
        raise ValueError(f"No claim {head!r} to make selectively disclosable.")
    return node


def issue_sd_jwt_vc(claims: Mapping, issuer_key: Any, *, kid: str | None, disclosable: Iterable[Any] = (),
                    holder_public_key: Any = None, typ: str = "dc+sd-jwt", decoys: bool = False,
                    issued_at: datetime | None = None, hash_alg: str = HASH_ALG,
                    header: Mapping | None = None) -> str:
    """Issue an SD-JWT VC of ``claims`` (must include ``vct``) signed by ``issuer_key``
    (``kid`` its DID URL, or None with an ``iss`` in ``claims``); ``disclosable`` are the
    claim paths made selectively disclosable; ``holder_public_key`` becomes ``cnf.jwk``;
    ``hash_alg`` hashes the disclosures; ``header`` adds header parameters (``x5c``)."""
    user_claims: Any = copy.deepcopy(dict(claims))
    if kid is not None:
        user_claims.setdefault("iss", kid.split("#", 1)[0])
    user_claims.setdefault("iat", int((issued_at or datetime.now(timezone.utc)).timestamp()))
    for path in (_normalise_path(p) for p in disclosable):
        _mark_disclosable(user_claims, path)
    issuer = _library(SDJWTIssuer, hash_alg)(
        user_claims, jose.to_jwcrypto(issuer_key),
        holder_key=jose.to_jwcrypto(holder_public_key) if holder_public_key is not None else None,
        sign_alg=jose.algorithm_for_key(issuer_key), add_decoy_claims=decoys,
        extra_header_parameters={"typ": typ, **({"kid": kid} if kid is not None else {}), **dict(header or {})})
    return issuer.sd_jwt_issuance
