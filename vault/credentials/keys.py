"""From a verification method id (or a JWT kid / iss) to a public key, offline.

Self-certifying DIDs (did:key, did:jwk, did:pkh) are resolved from the identifier alone
and never from a cache. Any other DID needs a DID document cached in the vault
(``documents``), and only a consistent one counts (``check_document``): a key proves
only for the DID whose document lists it with that DID as controller. Anything else is
an UNKNOWN_KEY failure with a sentence that says what is missing.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Callable, Mapping

import base58
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..did import SUPPORTED_METHODS, method_of, multikey, resolve
from ..did.documents import SIGNING_RELATIONSHIPS
from ..errors import InvalidDid, UnsupportedDidMethod
from .verdict import CredentialFailure, Reason

# A lookup for DID documents the vault has cached (e.g. did:web issuers the user added).
DocumentLookup = Callable[[str], "dict | None"]

_JWK_CURVES = {"P-256": ec.SECP256R1(), "secp256k1": ec.SECP256K1(), "P-384": ec.SECP384R1(),
               "P-521": ec.SECP521R1()}


@dataclass(frozen=True)
class ResolvedKey:
    method_id: str      # full verification method id, did#fragment
    controller: str     # the DID that controls the key: always the DID of method_id
    public_key: object  # a `cryptography` public key
    document: dict      # the controller's DID document

    def has_relationship(self, relationship: str) -> bool:
        """Is this method listed (by reference or embedded) under ``relationship``?"""
        for entry in self.document.get(relationship, []):
            ref = entry if isinstance(entry, str) else entry.get("id", "")
            if _absolute(ref, self.controller) == self.method_id:
                return True
        return False


def _absolute(ref: str, did: str) -> str:
    return did + ref if ref.startswith("#") else ref


def _b64(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def public_key_from_jwk(jwk: Mapping) -> object:
    try:
        if jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
            return Ed25519PublicKey.from_public_bytes(_b64(jwk["x"]))
        if jwk.get("kty") == "EC" and jwk.get("crv") in _JWK_CURVES:
            x, y = int.from_bytes(_b64(jwk["x"]), "big"), int.from_bytes(_b64(jwk["y"]), "big")
            return ec.EllipticCurvePublicNumbers(x, y, _JWK_CURVES[jwk["crv"]]).public_key()
    except (KeyError, ValueError, TypeError) as exc:
        raise CredentialFailure(Reason.UNKNOWN_KEY, f"The issuer's key is not a valid {jwk.get('crv')} key.") from exc
    raise CredentialFailure(Reason.UNSUPPORTED_CRYPTOSUITE,
                            f"Keys of type {jwk.get('kty')}/{jwk.get('crv')} are not supported.")


def public_key_from_method(method: Mapping) -> object:
    if "publicKeyMultibase" in method:
        try:
            codec, raw = multikey.decode(method["publicKeyMultibase"])
        except InvalidDid as exc:
            raise CredentialFailure(Reason.UNKNOWN_KEY, str(exc)) from exc
        return multikey.public_key(codec, raw)
    if "publicKeyJwk" in method:
        return public_key_from_jwk(method["publicKeyJwk"])
    if "publicKeyBase58" in method and "Ed25519" in str(method.get("type", "")):
        return Ed25519PublicKey.from_public_bytes(base58.b58decode(method["publicKeyBase58"]))
    raise CredentialFailure(Reason.UNKNOWN_KEY, f"The verification method {method.get('id')} holds no key we can read.")


def did_of(method_id: str) -> str:
    """The DID a verification method id (DID URL) belongs to."""
    return method_id.split("#", 1)[0]


def _self_certifying(did: str) -> bool:
    try:
        return method_of(did) in SUPPORTED_METHODS
    except InvalidDid:
        return True     # not a DID at all: resolve() says so, no cache is asked


def _own_id(value: object, did: str, what: str) -> str:
    """``value`` as an absolute DID URL, which must be under ``did``."""
    ref = _absolute(value, did) if isinstance(value, str) else None
    if ref is None or not ref.startswith(did + "#") or len(ref) == len(did) + 1:
        raise InvalidDid(f"{what} {str(value)[:100]!r} is not a key of {did}: a DID document may list "
                         "only its own keys.")
    return ref


def _entries(document: dict, name: str) -> list:
    value = document.get(name, [])
    if not isinstance(value, list):
        raise InvalidDid(f"The DID document's {name!r} is not a list.")
    return value


def check_document(document: object, did: str | None = None) -> str:
    """The DID that ``document`` may stand in for, or InvalidDid saying why it may not.

    A cached document is trusted only whole: its id is a DID that cannot be resolved from
    the identifier alone (not did:key/jwk/pkh) and, when given, is ``did``; every
    verification method in it has an id under that DID, names that DID as its controller
    and holds a key we can read (keys only listed for keyAgreement are not read: they
    never sign); relationships reference only its own keys.
    """
    if not isinstance(document, dict):
        raise InvalidDid("A DID document must be a JSON object.")
    doc_id = document.get("id")
    if not isinstance(doc_id, str) or not doc_id.startswith("did:"):
        raise InvalidDid("The DID document has no 'id' that is a DID.")
    method = method_of(doc_id)
    if any(c in doc_id for c in "#?/"):
        raise InvalidDid(f"The DID document's id {doc_id[:100]!r} is a DID URL, not a DID.")
    if did is not None and doc_id != did:
        raise InvalidDid(f"The DID document is the document of {doc_id[:100]}, not of {did[:100]}.")
    if method in SUPPORTED_METHODS:
        raise InvalidDid(f"{doc_id[:60]} is a did:{method}: it is resolved from the identifier itself, "
                         "never from a stored document.")
    methods = list(_entries(document, "verificationMethod"))
    signing, agreement = set(), set()
    for relationship in SIGNING_RELATIONSHIPS + ("keyAgreement",):
        for entry in _entries(document, relationship):
            if isinstance(entry, dict):
                methods.append(entry)
            ref = _own_id(entry.get("id") if isinstance(entry, dict) else entry, doc_id,
                          f"The {relationship} entry")
            (agreement if relationship == "keyAgreement" else signing).add(ref)
    seen: dict[str, dict] = {}
    for method_entry in methods:
        if not isinstance(method_entry, dict):
            raise InvalidDid("A verification method in the DID document is not a JSON object.")
        method_id = _own_id(method_entry.get("id"), doc_id, "The verification method")
        if method_id in seen:
            # Two different keys under one id: which one signs would be ambiguous. The same
            # method written out twice (in verificationMethod and embedded in
            # assertionMethod, as DCC's did:web documents do) is not.
            if seen[method_id] != method_entry:
                raise InvalidDid(f"The DID document lists the key {method_id[:120]} twice, differently.")
            continue
        seen[method_id] = method_entry
        controller = method_entry.get("controller")
        if controller != doc_id:
            who = str(controller)[:100] if controller is not None else "no one"
            raise InvalidDid(f"The key {method_id[:120]} names {who} as its controller, "
                             f"not {doc_id[:100]}: a key proves only for the DID whose document lists it "
                             "with that DID as controller.")
        if method_id in agreement and method_id not in signing:
            continue
        try:
            public_key_from_method(method_entry)
        except CredentialFailure as exc:
            raise InvalidDid(f"The key {method_id[:120]} cannot be used: {exc.message}") from None
        except (ValueError, TypeError, AttributeError, KeyError):
            raise InvalidDid(f"The key {method_id[:120]} is not a well-formed public key.") from None
    return doc_id


def cached_document(did: str, documents: DocumentLookup | None) -> dict | None:
    """The document cached for ``did``, checked; None for a self-certifying DID (never read
    from a cache) or when none is cached. A stored document that fails ``check_document``
    (e.g. cached before the check existed) is an UNKNOWN_KEY failure, never used."""
    if documents is None or _self_certifying(did):
        return None
    document = documents(did)
    if document is None:
        return None
    try:
        check_document(document, did)
    except InvalidDid as exc:
        raise CredentialFailure(Reason.UNKNOWN_KEY, f"The DID document stored for {did[:100]} is not used: "
                                f"{exc} Cache a consistent copy of it again.") from None
    return document


def resolve_method(method_id: str, documents: DocumentLookup | None = None) -> ResolvedKey:
    """Resolve ``did:...#fragment`` (or a bare DID with one method) to its key."""
    if not isinstance(method_id, str) or not method_id.startswith("did:"):
        raise CredentialFailure(Reason.UNKNOWN_KEY,
                                f"The verification method {str(method_id)[:80]!r} is not a DID URL; "
                                "keys are only looked up from DIDs, never fetched.")
    did = did_of(method_id)
    document = cached_document(did, documents)
    if document is None:
        try:
            document = resolve(did)
        except UnsupportedDidMethod as exc:
            raise CredentialFailure(Reason.UNKNOWN_KEY, f"{exc} Add the issuer's DID document to the "
                                    "vault to verify its credentials offline.") from exc
        except InvalidDid as exc:
            raise CredentialFailure(Reason.UNKNOWN_KEY, str(exc)) from exc
    methods = [m for m in document.get("verificationMethod", []) if isinstance(m, dict)]
    for relationship in ("assertionMethod", "authentication"):
        methods += [m for m in document.get(relationship, []) if isinstance(m, dict)]
    if "#" not in method_id:
        if len(methods) != 1:
            raise CredentialFailure(Reason.UNKNOWN_KEY, f"{did} has {len(methods)} keys; the proof must name one.")
        method = methods[0]
    else:
        method = next((m for m in methods if _absolute(m.get("id", ""), did) == method_id), None)
        if method is None:
            raise CredentialFailure(Reason.UNKNOWN_KEY, f"{did} has no key {method_id.split('#', 1)[1]!r}.")
    return ResolvedKey(_absolute(method["id"], did), did, public_key_from_method(method), document)
