"""Detached JWS with an unencoded payload (RFC 7515 + RFC 7797), the ``jws`` member of
Ed25519Signature2018 and JsonWebSignature2020 proofs.

    jws = BASE64URL(header) + ".." + BASE64URL(signature)
    header = {"alg": ..., "b64": false, "crit": ["b64"]}
    signing input = ASCII(BASE64URL(header)) || "." || hashData      (64 raw bytes, not encoded)

That is RFC 7797's signing input with the hash data as the payload; jsonld-signatures'
``JwsLinkedDataSignature`` builds it the same way. `jwcrypto` does the signing and
verifying: its ``JWSCore`` honours ``b64: false`` (the payload goes into the signing
input as raw bytes) and takes the header as JSON text, which it base64url-encodes again:
so the header must be canonical base64url (checked), and its decoded text is passed
unchanged. What jwcrypto does not check is checked here first: the header holds exactly
alg, b64 = false and crit = ["b64"] (as Digital Bazaar's verifier requires), the alg is
one the suite allows for the key's curve, and an ECDSA signature is exactly r||s of the
curve's size (jwcrypto splits any length in half).
"""

from __future__ import annotations

import logging
from typing import Callable

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from jwcrypto.jwk import JWK
from jwcrypto.jws import JWSCore

from .. import jose
from ..verdict import CredentialFailure, Reason
from .base import bad_signature, key_words

log = logging.getLogger(__name__)

# alg -> (curve name of the key, or "ed25519"; bytes of an r||s signature, 64 for EdDSA)
ALGORITHMS = {"EdDSA": ("ed25519", 64), "ES256": ("secp256r1", 64), "ES256K": ("secp256k1", 64),
              "ES384": ("secp384r1", 96)}
_CURVE_NAMES = {"ed25519": "Ed25519", "secp256r1": "P-256", "secp256k1": "secp256k1", "secp384r1": "P-384"}


def _damaged(suite: str, why: str) -> CredentialFailure:
    return CredentialFailure(Reason.BAD_SIGNATURE, f"The proof's JWS is damaged: {why}; {suite} "
                             "expects a detached JWS with an unencoded payload (b64: false).")


def parse(jws: object, suite: str, allowed: tuple[str, ...]) -> tuple[str, str, bytes]:
    """(encoded header, alg, signature bytes) of a detached ``jws``; BAD_SIGNATURE if damaged."""
    if not isinstance(jws, str) or len(jws) > 2000:
        raise _damaged(suite, "it is missing or not text")
    parts = jws.split(".")
    if len(parts) != 3 or parts[1] != "":
        raise _damaged(suite, "it is not header..signature")
    try:
        header = jose.json_loads(jose.b64url_decode(parts[0], "JWS header"), "JWS header")
        signature = jose.b64url_decode(parts[2], "JWS signature")
    except CredentialFailure as exc:
        raise _damaged(suite, exc.message.rstrip(".").replace("The ", "its ", 1)) from None
    if not isinstance(header, dict) or set(header) != {"alg", "b64", "crit"} or header["b64"] is not False \
            or header["crit"] != ["b64"]:
        raise _damaged(suite, "its header is not exactly {alg, b64: false, crit: [\"b64\"]}")
    alg = header["alg"]
    if alg not in allowed:
        raise CredentialFailure(Reason.UNSUPPORTED_CRYPTOSUITE, f"The proof's JWS uses the algorithm "
                                f"{str(alg)[:20]!r}; {suite} is verified with {', '.join(allowed)}.")
    return parts[0], alg, signature


def _check_key(key: object, alg: str, suite: str) -> None:
    curve, _ = ALGORITHMS[alg]
    if curve == "ed25519":
        ok = isinstance(key, (Ed25519PublicKey, Ed25519PrivateKey))
    else:
        ok = isinstance(key, (ec.EllipticCurvePublicKey, ec.EllipticCurvePrivateKey)) and key.curve.name == curve
    if not ok:
        raise CredentialFailure(Reason.WRONG_KEY, f"The proof's JWS uses {alg}, which needs a "
                                f"{_CURVE_NAMES[curve]} key, but its verification method holds "
                                f"{key_words(key)}.")


def verify(encoded_header: str, alg: str, signature: bytes, data: Callable[[], bytes], public_key: object,
           suite: str, what: str) -> None:
    """Check the key and the signature's shape, then compute ``data()`` and verify."""
    _check_key(public_key, alg, suite)
    if len(signature) != ALGORITHMS[alg][1]:
        raise _damaged(suite, f"its {alg} signature is {len(signature)} bytes, not {ALGORITHMS[alg][1]}")
    header_text = jose.b64url_decode(encoded_header, "JWS header").decode("utf-8")
    payload = data()
    try:
        JWSCore(alg, JWK.from_pyca(public_key), header_text, payload, algs=[alg]).verify(signature)
    except Exception:       # jwcrypto raises InvalidJWSSignature (and others on odd keys)
        log.debug("a detached JWS did not verify", exc_info=True)
        raise bad_signature(what) from None


def sign(data: bytes, private_key: object, suite: str) -> str:
    """A detached ``jws`` over ``data``, with the alg the key's curve implies."""
    alg = next((a for a, (curve, _) in ALGORITHMS.items()
                if (curve == "ed25519" and isinstance(private_key, Ed25519PrivateKey))
                or (isinstance(private_key, ec.EllipticCurvePrivateKey) and private_key.curve.name == curve)), None)
    if alg is None:
        raise ValueError(f"{suite} signs with an Ed25519, P-256, secp256k1 or P-384 private key")
    header = jose.json_dumps({"alg": alg, "b64": False, "crit": ["b64"]}).decode("utf-8")
    signed = JWSCore(alg, JWK.from_pyca(private_key), header, data, algs=[alg]).sign()
    return f"{signed['protected']}..{signed['signature']}"
