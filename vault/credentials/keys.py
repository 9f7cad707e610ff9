"""From a verification method id (or a JWT kid / iss) to a public key.

Self-certifying DIDs (did:key, did:jwk, did:pkh) are resolved from the identifier alone
and never from a cache. Any other DID needs its DID document from ``documents`` (the
vault's copy, or for a did:web one fetched when the user allowed network use), and only
a consistent one counts (``check_document``): a key proves only for the DID whose
document lists it with that DID as controller.

An https verification method (Open Badges 3.0 issuers identified by a URL) follows the
same rule: ``https://issuer.example/profile#key-1`` is a key the controller document at
``https://issuer.example/profile`` lists as its own; ``https://issuer.example/keys/1``,
a key published on its own, counts only when the document of the controller it names
lists it too (anyone can publish a key that names someone else as its controller).
Anything else is an UNKNOWN_KEY failure with a sentence that says what is missing.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Callable, Mapping

import base58
from cryptography.hazmat.primitives.asymmetric import ec

from ..did import SUPPORTED_METHODS, method_of, multikey, resolve
from ..did.did_web import document_url
from ..did.documents import SIGNING_RELATIONSHIPS
from ..errors import InvalidDid, UnsupportedDidMethod
from .verdict import CredentialFailure, Reason

# A lookup for DID documents (and https key documents) by id: the vault's copies, and,
# when the user allowed network use, fetched ones (vault.credentials.webkeys.lookup, whose
# ``web_document(url)`` also fetches https documents).
DocumentLookup = Callable[[str], "dict | None"]
ALLOW_NETWORK = "allow network use to fetch the issuer's key (--online, or the setting to check online)"

_JWK_CURVES = {"P-256": ec.SECP256R1(), "secp256k1": ec.SECP256K1(), "P-384": ec.SECP384R1(),
               "P-521": ec.SECP521R1()}


@dataclass(frozen=True)
class ResolvedKey:
    method_id: str      # full verification method id, did#fragment (or an https URL)
    controller: str     # who controls the key: the DID of method_id (or the https controller)
    public_key: object  # a `cryptography` public key
    document: dict      # the controller's DID document (or controller document)

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
            return multikey.ed25519_public_key(_b64(jwk["x"]))   # a key of small order is refused
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
        # ValueError (not base58, not 32 bytes, of small order) as before: the callers word it
        return multikey.ed25519_public_key(base58.b58decode(method["publicKeyBase58"]))
    raise CredentialFailure(Reason.UNKNOWN_KEY, f"The verification method {method.get('id')} holds no key we can read.")


def did_of(method_id: str) -> str:
    """The DID a verification method id (DID URL) belongs to."""
    return method_id.split("#", 1)[0]


def _self_certifying(did: str) -> bool:
    try:
        return method_of(did) in SUPPORTED_METHODS
    except InvalidDid:
        return True     # not a DID at all: resolve() says so, no cache is asked


def _own_id(value: object, did: str, what: str, noun: str = "DID document") -> str:
    """``value`` as an absolute DID URL, which must be under ``did``."""
    ref = _absolute(value, did) if isinstance(value, str) else None
    if ref is None or not ref.startswith(did + "#") or len(ref) == len(did) + 1:
        raise InvalidDid(f"{what} {str(value)[:100]!r} is not a key of {did}: a {noun} may list "
                         "only its own keys.")
    return ref


def _entries(document: dict, name: str, noun: str = "DID document") -> list:
    value = document.get(name, [])
    if not isinstance(value, list):
        raise InvalidDid(f"The {noun}'s {name!r} is not a list.")
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
    _check_keys(document, doc_id, "DID document")
    return doc_id


def _check_keys(document: dict, doc_id: str, noun: str, *, foreign_refs: bool = False) -> int:
    """Every key ``document`` lists is its own, controlled by ``doc_id`` and readable;
    ``foreign_refs``: its relationships may also name https keys published elsewhere (by
    reference only). Returns how many keys and references it lists."""
    methods = list(_entries(document, "verificationMethod", noun))
    signing, agreement = set(), set()
    for relationship in SIGNING_RELATIONSHIPS + ("keyAgreement",):
        for entry in _entries(document, relationship, noun):
            if isinstance(entry, dict):
                methods.append(entry)
            elif foreign_refs and isinstance(entry, str) and entry.startswith("https://") \
                    and not entry.startswith(doc_id + "#"):
                signing.add(entry)      # a key published on its own, which must name doc_id
                continue
            ref = _own_id(entry.get("id") if isinstance(entry, dict) else entry, doc_id,
                          f"The {relationship} entry", noun)
            (agreement if relationship == "keyAgreement" else signing).add(ref)
    seen: dict[str, dict] = {}
    for method_entry in methods:
        if not isinstance(method_entry, dict):
            raise InvalidDid(f"A verification method in the {noun} is not a JSON object.")
        method_id = _own_id(method_entry.get("id"), doc_id, "The verification method", noun)
        if method_id in seen:
            # Two different keys under one id: which one signs would be ambiguous. The same
            # method written out twice (in verificationMethod and embedded in
            # assertionMethod, as DCC's did:web documents do) is not.
            if seen[method_id] != method_entry:
                raise InvalidDid(f"The {noun} lists the key {method_id[:120]} twice, differently.")
            continue
        seen[method_id] = method_entry
        controller = method_entry.get("controller")
        if controller != doc_id:
            who = str(controller)[:100] if controller is not None else "no one"
            whose = "the DID whose document lists it with that DID" if noun == "DID document" else \
                "the issuer whose document lists it with that issuer"
            raise InvalidDid(f"The key {method_id[:120]} names {who} as its controller, "
                             f"not {doc_id[:100]}: a key proves only for {whose} as controller.")
        if method_id in agreement and method_id not in signing:
            continue
        _readable(method_entry, method_id)
    return len(seen) + len(signing - set(seen))


def _readable(method: dict, method_id: str) -> None:
    try:
        public_key_from_method(method)
    except CredentialFailure as exc:
        raise InvalidDid(f"The key {method_id[:120]} cannot be used: {exc.message}") from None
    except (ValueError, TypeError, AttributeError, KeyError):
        raise InvalidDid(f"The key {method_id[:120]} is not a well-formed public key.") from None


def _https_url(value: object) -> bool:
    return (isinstance(value, str) and value.startswith("https://") and len(value) > len("https://")
            and not any(c in value for c in "#? \t\r\n"))


def check_web_document(document: object, url: str) -> str:
    """What the https ``document`` published at ``url`` is: "controller" (an issuer profile
    or other controller document listing its keys) or "key" (one key published on its own,
    naming its controller); InvalidDid saying why it cannot be used.

    Its id is ``url`` (a document served for another URL is refused). A controller
    document is checked like a DID document (its keys have ids ``url#...`` and name it as
    controller; its relationships may also reference keys published elsewhere). A key
    document names an https controller other than itself and holds a key we can read.
    """
    if not _https_url(url):
        raise InvalidDid(f"{str(url)[:120]} is not an https address without a fragment.")
    if not isinstance(document, dict):
        raise InvalidDid(f"The document at {url[:120]} is not a JSON object.")
    if document.get("id") != url:
        raise InvalidDid(f"The document at {url[:120]} is the document of {str(document.get('id'))[:120]}, "
                         "not of the address it was published at.")
    if "controller" in document and any(k in document for k in _KEY_MEMBERS):
        controller = document["controller"]
        if not _https_url(controller) or controller == url:
            raise InvalidDid(f"The key {url[:120]} names {str(controller)[:120]} as its controller, which is "
                             "not the https address of another document.")
        _readable(document, url)
        return "key"
    if not _check_keys(document, url, "document", foreign_refs=True):
        raise InvalidDid(f"The document at {url[:120]} lists no keys.")
    return "controller"


_KEY_MEMBERS = ("publicKeyMultibase", "publicKeyJwk", "publicKeyBase58")


def _lists(document: dict, method_id: str, controller: str) -> bool:
    for name in ("verificationMethod",) + SIGNING_RELATIONSHIPS:
        for entry in document.get(name, []):
            ref = entry if isinstance(entry, str) else entry.get("id") if isinstance(entry, dict) else None
            if isinstance(ref, str) and _absolute(ref, controller) == method_id:
                return True
    return False


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
    """Resolve ``did:...#fragment`` (or a bare DID with one method), or an https
    verification method, to its key."""
    if isinstance(method_id, str) and method_id.startswith("https://"):
        return _resolve_web(method_id, documents)
    if not isinstance(method_id, str) or not method_id.startswith("did:"):
        raise CredentialFailure(Reason.UNKNOWN_KEY,
                                f"The verification method {str(method_id)[:80]!r} is not a DID URL "
                                "or an https address, so it names no key that can be looked up.")
    did = did_of(method_id)
    document = cached_document(did, documents)
    if document is None:
        try:
            document = resolve(did)
        except UnsupportedDidMethod as exc:
            if did.startswith("did:web:"):
                raise CredentialFailure(Reason.UNKNOWN_KEY, f"The DID document of {did[:100]} (published at "
                                        f"{_did_web_url(did)}) is not in your vault: {ALLOW_NETWORK}, or add "
                                        "it with `vault did cache FILE`.") from exc
            raise CredentialFailure(Reason.UNKNOWN_KEY, f"{exc} Add the issuer's DID document to the "
                                    "vault to verify its credentials offline.") from exc
        except InvalidDid as exc:
            raise CredentialFailure(Reason.UNKNOWN_KEY, str(exc)) from exc
    return ResolvedKey(*_method_in(document, did, method_id), document)


def _did_web_url(did: str) -> str:
    try:
        return document_url(did)
    except InvalidDid:
        return "no valid address"


def _method_in(document: dict, controller: str, method_id: str) -> tuple[str, str, object]:
    """(method id, controller, public key) of ``method_id`` in ``controller``'s document."""
    methods = [m for m in document.get("verificationMethod", []) if isinstance(m, dict)]
    for relationship in ("assertionMethod", "authentication"):
        methods += [m for m in document.get(relationship, []) if isinstance(m, dict)]
    if "#" not in method_id:
        if len(methods) != 1:
            raise CredentialFailure(Reason.UNKNOWN_KEY, f"{controller} has {len(methods)} keys; the proof "
                                    "must name one.")
        method = methods[0]
    else:
        method = next((m for m in methods if _absolute(m.get("id", ""), controller) == method_id), None)
        if method is None:
            raise CredentialFailure(Reason.UNKNOWN_KEY, f"{controller} has no key {method_id.split('#', 1)[1]!r}.")
    return _absolute(method["id"], controller), controller, public_key_from_method(method)


def web_document(url: str, documents: DocumentLookup | None) -> tuple[dict, str]:
    """The https document at ``url`` (the vault's copy, or fetched when allowed) and its
    kind, checked (``check_web_document``); UNKNOWN_KEY saying what is missing."""
    if not _https_url(url):     # decided before anything is asked for
        raise CredentialFailure(Reason.UNKNOWN_KEY, f"The issuer's key {url[:200]} is not an https address "
                                "without a query, so it is not looked up.")
    fetch = getattr(documents, "web_document", None)    # the lookup that may go online
    document = fetch(url) if fetch else documents(url) if documents else None
    if document is None:
        raise CredentialFailure(Reason.UNKNOWN_KEY, f"The issuer's key document at {url[:200]} is not in "
                                f"your vault: {ALLOW_NETWORK}, or add it with `vault key cache FILE`.")
    try:
        return document, check_web_document(document, url)
    except InvalidDid as exc:
        raise CredentialFailure(Reason.UNKNOWN_KEY, f"The issuer's key document at {url[:200]} is not "
                                f"used: {exc}") from None


def _resolve_web(method_id: str, documents: DocumentLookup | None) -> ResolvedKey:
    url = method_id.split("#", 1)[0]
    document, kind = web_document(url, documents)
    if kind == "controller":
        return ResolvedKey(*_method_in(document, url, method_id), document)
    if url != method_id:
        raise CredentialFailure(Reason.UNKNOWN_KEY, f"The document at {url[:200]} is a single key, which "
                                f"has no part {method_id.split('#', 1)[1][:60]!r}.")
    # A key published on its own proves for its controller only if the controller's own
    # document lists it: anyone can publish a key naming someone else as its controller.
    controller = document["controller"]
    listing, kind = web_document(controller, documents)
    if kind != "controller" or not _lists(listing, method_id, controller):
        raise CredentialFailure(Reason.WRONG_KEY, f"The key {method_id[:120]} names {controller[:120]} as "
                                f"its controller, but the document of {controller[:120]} does not list it.")
    return ResolvedKey(method_id, controller, public_key_from_method(document), listing)
