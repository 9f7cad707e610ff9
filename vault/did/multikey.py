"""Multikey public keys: multicodec prefix + key bytes, multibase base58btc ('z').

Hand-rolled on top of `base58` because the table is four two-byte prefixes; a full
multiformats package would bring a registry we do not need.
"""

from __future__ import annotations

from functools import lru_cache

import base58
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from nacl.bindings import crypto_core_ed25519_is_valid_point

from ..errors import InvalidDid

# multicodec name -> (varint prefix, key length)
CODECS = {
    "ed25519-pub": (b"\xed\x01", 32),
    "secp256k1-pub": (b"\xe7\x01", 33),
    "p256-pub": (b"\x80\x24", 33),
    "p384-pub": (b"\x81\x24", 49),
    "p521-pub": (b"\x82\x24", 67),
}
_CURVES = {"secp256k1-pub": ec.SECP256K1(), "p256-pub": ec.SECP256R1(), "p384-pub": ec.SECP384R1(),
           "p521-pub": ec.SECP521R1()}


def encode(codec: str, key: bytes) -> str:
    prefix, length = CODECS[codec]
    if len(key) != length:
        raise ValueError(f"{codec} keys are {length} bytes")
    return "z" + base58.b58encode(prefix + key).decode()


def decode(multibase: str) -> tuple[str, bytes]:
    """Return (codec, key bytes), checking that the bytes are a valid key of that type."""
    return _decode(multibase)


# Issuers repeat (a wallet verifies many credentials of few issuers, and a did:key is
# decoded to resolve it and again to verify): pure base58 took ~30 % of an eddsa-jcs-2022
# check. A failure is not cached (lru_cache keeps only returned values).
@lru_cache(maxsize=512)
def _decode(multibase: str) -> tuple[str, bytes]:
    if not multibase.startswith("z"):
        raise InvalidDid("Only base58btc ('z') multibase keys are supported.")
    try:
        raw = base58.b58decode(multibase[1:])
    except ValueError as exc:
        raise InvalidDid("The key is not valid base58.") from exc
    for codec, (prefix, length) in CODECS.items():
        if raw.startswith(prefix):
            key = raw[len(prefix):]
            if len(key) != length:
                raise InvalidDid(f"A {codec} key must be {length} bytes, not {len(key)}.")
            public_key(codec, key)
            return codec, key
    raise InvalidDid("The key type (multicodec 0x" + raw[:2].hex() + ") is not supported.")


@lru_cache(maxsize=512)
def ed25519_public_key(raw: bytes) -> Ed25519PublicKey:
    """The Ed25519 public key of 32 bytes; ValueError unless libsodium calls it a valid
    point: on the curve, canonically encoded, of prime order. OpenSSL takes any point, and
    under a key of small order a signature can verify for every message (the identity
    point with R = identity, S = 0): anyone could sign as it. (~30 µs, hence the cache.)"""
    if not isinstance(raw, bytes) or len(raw) != 32 or not crypto_core_ed25519_is_valid_point(raw):
        raise ValueError("not a usable Ed25519 public key: a point of small order, off the curve or not "
                         "canonical, as whom anyone could sign")
    return Ed25519PublicKey.from_public_bytes(raw)


@lru_cache(maxsize=512)
def public_key(codec: str, key: bytes):
    """A `cryptography` public key object (immutable: shared), or InvalidDid if the bytes
    are not a point."""
    try:
        if codec == "ed25519-pub":
            return ed25519_public_key(key)
        return ec.EllipticCurvePublicKey.from_encoded_point(_CURVES[codec], key)
    except ValueError as exc:
        raise InvalidDid(f"The {codec} key is not a valid public key.") from exc
