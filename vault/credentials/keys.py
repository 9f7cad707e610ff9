"""From a verification method id (or a JWT kid / iss) to a public key, offline.

Resolution order: a DID document cached in the vault (``documents``), then the DID
methods we resolve from the identifier alone (did:key, did:jwk). Anything else is an
UNKNOWN_KEY failure with a sentence that says what is missing.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Callable, Mapping

import base58
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..did import multikey, resolve
from ..errors import InvalidDid, UnsupportedDidMethod
from .verdict import CredentialFailure, Reason

# A lookup for DID documents the vault has cached (e.g. did:web issuers the user added).
DocumentLookup = Callable[[str], "dict | None"]

_JWK_CURVES = {"P-256": ec.SECP256R1(), "secp256k1": ec.SECP256K1(), "P-384": ec.SECP384R1(),
               "P-521": ec.SECP521R1()}


@dataclass(frozen=True)
class ResolvedKey:
    method_id: str      # full verification method id, did#fragment
    controller: str     # the DID that controls the key
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


def resolve_method(method_id: str, documents: DocumentLookup | None = None) -> ResolvedKey:
    """Resolve ``did:...#fragment`` (or a bare DID with one method) to its key."""
    if not isinstance(method_id, str) or not method_id.startswith("did:"):
        raise CredentialFailure(Reason.UNKNOWN_KEY,
                                f"The verification method {str(method_id)[:80]!r} is not a DID URL; "
                                "keys are only looked up from DIDs, never fetched.")
    did = method_id.split("#", 1)[0]
    document = documents(did) if documents else None
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
    return ResolvedKey(_absolute(method["id"], did), method.get("controller", did),
                       public_key_from_method(method), document)
