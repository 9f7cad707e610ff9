"""did:jwk (https://github.com/quartzjer/did-jwk/blob/main/spec.md)."""

from __future__ import annotations

import base64
import binascii

import rfc8785

from ..errors import InvalidDid
from .documents import SIGNING_RELATIONSHIPS, document
from .. import safejson

PREFIX = "did:jwk:"
JWS_2020_CONTEXT = "https://w3id.org/security/suites/jws-2020/v1"
_PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "k"}


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def ed25519_jwk(public_key: bytes) -> dict:
    return {"kty": "OKP", "crv": "Ed25519", "x": _b64url(public_key)}


def from_jwk(jwk: dict) -> str:
    # JCS keeps the identifier stable whatever order the members came in.
    return PREFIX + _b64url(rfc8785.dumps(jwk))


def decode(did: str) -> dict:
    if not did.startswith(PREFIX):
        raise InvalidDid(f"{did!r} is not a did:jwk.")
    value = did[len(PREFIX):].split("#", 1)[0]
    try:
        jwk = safejson.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    except (binascii.Error, ValueError) as exc:
        raise InvalidDid(f"{did[:40]}… does not hold a base64url-encoded JSON key.") from exc
    if not isinstance(jwk, dict) or not isinstance(jwk.get("kty"), str):
        raise InvalidDid("A did:jwk must hold a JSON Web Key with a 'kty'.")
    if _PRIVATE_MEMBERS & jwk.keys():
        raise InvalidDid("This did:jwk contains private key material and must not be used.")
    return jwk


def resolve(did: str) -> dict:
    jwk = decode(did)
    did = did.split("#", 1)[0]
    method = {"id": f"{did}#0", "type": "JsonWebKey2020", "controller": did, "publicKeyJwk": jwk}
    if jwk.get("use") == "enc" or jwk.get("crv") in ("X25519", "X448"):
        relationships = ("keyAgreement",)
    elif jwk.get("use") == "sig" or jwk.get("crv") in ("Ed25519", "Ed448"):
        relationships = SIGNING_RELATIONSHIPS
    else:
        relationships = SIGNING_RELATIONSHIPS + ("keyAgreement",)
    return document(did, [JWS_2020_CONTEXT], method, relationships)
