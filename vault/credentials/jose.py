"""Compact JWS (RFC 7515) for credentials: strict parsing here, signatures by `jwcrypto`.

Only three algorithms are accepted, the ones credentials in this ecosystem use:
EdDSA (Ed25519, RFC 8037), ES256 (P-256) and ES256K (secp256k1, RFC 8812), the ECDSA
ones as raw 64-byte r||s. ``none``, HMAC, RSA and everything else is
UNSUPPORTED_CRYPTOSUITE, whatever key is offered.

`jwcrypto` (already required by `sd-jwt`) does the signing and verifying. It is lenient
where a verifier should not be, so the checks it lacks are made here first: the token
must be exactly three canonical base64url parts (jwcrypto also accepts the JSON
serialization and padded or non-canonical base64), header and payload JSON objects with
no duplicate members, no ``crit`` or ``b64`` extension, an ECDSA signature of exactly
64 bytes (jwcrypto splits any length in half), and a key of the curve ``alg`` names.

Failures are :class:`CredentialFailure`: MALFORMED (not a compact JWS of JSON objects),
UNSUPPORTED_CRYPTOSUITE (alg), WRONG_KEY (key type does not match alg), BAD_SIGNATURE.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Mapping

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from jwcrypto.common import JWException
from jwcrypto.jwk import JWK
from jwcrypto.jws import JWS

from .verdict import CredentialFailure, Reason
from .. import safejson

ALGORITHMS = ("EdDSA", "ES256", "ES256K")
_CURVE_OF_ALG = {"ES256": "secp256r1", "ES256K": "secp256k1"}
_JWK_CRV = {"secp256r1": "P-256", "secp256k1": "secp256k1"}
_B64URL = re.compile(r"[A-Za-z0-9_-]*")


def _reason(name: str, fallback: Reason) -> Reason:
    return getattr(Reason, name, fallback)


# Presentations bound to another challenge or audience. verdict.Reason has no members for
# these yet (the interop manifest calls them "wrong-challenge" / "wrong-domain"); when it
# gains WRONG_CHALLENGE / WRONG_DOMAIN they are used, until then WRONG_KEY ("not for
# this purpose") is the nearest.
WRONG_CHALLENGE = _reason("WRONG_CHALLENGE", Reason.WRONG_KEY)
WRONG_DOMAIN = _reason("WRONG_DOMAIN", Reason.WRONG_KEY)


# --- base64url / JSON -------------------------------------------------------------------

def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(value: str, what: str = "value") -> bytes:
    """Strict unpadded base64url: no padding, no other characters, canonical last char."""
    if not isinstance(value, str) or not _B64URL.fullmatch(value) or len(value) % 4 == 1:
        raise CredentialFailure(Reason.MALFORMED, f"The {what} is not base64url.")
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as exc:
        raise CredentialFailure(Reason.MALFORMED, f"The {what} is not base64url.") from exc
    if b64url_encode(raw) != value:  # unused low bits set: another string for the same bytes
        raise CredentialFailure(Reason.MALFORMED, f"The {what} is not canonical base64url.")
    return raw


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        names = [k for k, _ in pairs]
        dup = next(k for k in names if names.count(k) > 1)
        raise ValueError(f"duplicate member {dup!r}")
    return result


def _reject_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def json_loads(raw: bytes | str, what: str = "value") -> Any:
    """JSON as RFC 8259 has it: UTF-8, no duplicate member names, no NaN/Infinity."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, (bytes, bytearray)) else raw
        return safejson.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise CredentialFailure(Reason.MALFORMED, f"The {what} is not valid JSON ({exc}).") from exc


def json_dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


# --- parsing ----------------------------------------------------------------------------

@dataclass(frozen=True)
class CompactJWS:
    """A parsed (not yet verified) compact JWS whose payload is a JSON object."""

    token: str
    header: dict
    payload: dict
    signature: bytes

    @property
    def alg(self) -> str:
        return self.header["alg"]

    @property
    def kid(self) -> str | None:
        kid = self.header.get("kid")
        return kid if isinstance(kid, str) else None

    @property
    def typ(self) -> str | None:
        typ = self.header.get("typ")
        return typ if isinstance(typ, str) else None

    @property
    def signing_input(self) -> bytes:
        return self.token.rsplit(".", 1)[0].encode("ascii")


def parse(token: Any, what: str = "JWT") -> CompactJWS:
    """Split and decode a compact JWS; no signature check, no algorithm check."""
    if not isinstance(token, str):
        raise CredentialFailure(Reason.MALFORMED, f"The {what} is not text.")
    parts = token.split(".")
    if len(parts) != 3:
        raise CredentialFailure(Reason.MALFORMED,
                                f"The {what} is not a compact JWS (three base64url parts separated by dots).")
    header = json_loads(b64url_decode(parts[0], f"{what} header"), f"{what} header")
    if not isinstance(header, dict):
        raise CredentialFailure(Reason.MALFORMED, f"The {what} header is not a JSON object.")
    if not isinstance(header.get("alg"), str):
        raise CredentialFailure(Reason.MALFORMED, f"The {what} header names no algorithm ('alg').")
    payload = json_loads(b64url_decode(parts[1], f"{what} payload"), f"{what} payload")
    if not isinstance(payload, dict):
        raise CredentialFailure(Reason.MALFORMED, f"The {what} payload is not a JSON object.")
    signature = b64url_decode(parts[2], f"{what} signature")
    return CompactJWS(token, header, payload, signature)


def check_algorithm(jws: CompactJWS, what: str = "JWT") -> str:
    alg = jws.alg
    if alg not in ALGORITHMS:
        label = "unsigned ('alg': 'none')" if alg.lower() == "none" else f"signed with {alg[:20]!r}"
        raise CredentialFailure(Reason.UNSUPPORTED_CRYPTOSUITE,
                                f"The {what} is {label}; only {', '.join(ALGORITHMS)} are accepted.")
    if "crit" in jws.header or jws.header.get("b64", True) is not True:
        raise CredentialFailure(Reason.UNSUPPORTED_CRYPTOSUITE,
                                f"The {what} uses JWS extensions ('crit' / 'b64') this wallet does not implement.")
    return alg


# --- keys -------------------------------------------------------------------------------

def algorithm_for_key(key: Any) -> str:
    """The JWS alg for a `cryptography` Ed25519 / P-256 / secp256k1 key (public or private)."""
    if isinstance(key, (Ed25519PublicKey, Ed25519PrivateKey)):
        return "EdDSA"
    if isinstance(key, (ec.EllipticCurvePublicKey, ec.EllipticCurvePrivateKey)):
        for alg, curve in _CURVE_OF_ALG.items():
            if key.curve.name == curve:
                return alg
    raise CredentialFailure(Reason.UNSUPPORTED_CRYPTOSUITE,
                            f"Keys of type {type(key).__name__} cannot sign or verify JWTs here; "
                            "use Ed25519, P-256 or secp256k1.")


def public_jwk(key: Any) -> dict:
    """The public JWK (kty, crv, x[, y]) of a `cryptography` key, public or private."""
    if isinstance(key, (Ed25519PrivateKey, ec.EllipticCurvePrivateKey)):
        key = key.public_key()
    algorithm_for_key(key)
    if isinstance(key, Ed25519PublicKey):
        return {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(key.public_bytes_raw())}
    numbers = key.public_numbers()
    return {"kty": "EC", "crv": _JWK_CRV[key.curve.name],
            "x": b64url_encode(numbers.x.to_bytes(32, "big")),
            "y": b64url_encode(numbers.y.to_bytes(32, "big"))}


def to_jwcrypto(key: Any) -> JWK:
    """A jwcrypto JWK of a `cryptography` key (public or private)."""
    algorithm_for_key(key)
    return JWK.from_pyca(key)


# --- verify / sign ----------------------------------------------------------------------

def check_key(jws: CompactJWS, public_key: Any, what: str = "JWT") -> str:
    """Everything about (alg, key, signature) that can be refused before doing the maths:
    the alg is accepted, the key is of the curve the alg names, the signature is 64 bytes."""
    alg = check_algorithm(jws, what)
    try:
        key_alg = algorithm_for_key(public_key)
    except CredentialFailure as exc:
        raise CredentialFailure(Reason.WRONG_KEY, f"The {what} is {alg}-signed but its key is not "
                                f"a key for {alg}.") from exc
    if key_alg != alg:
        raise CredentialFailure(Reason.WRONG_KEY,
                                f"The {what} says it is signed with {alg} but its key is a {key_alg} key.")
    if len(jws.signature) != 64:
        raise CredentialFailure(Reason.BAD_SIGNATURE,
                                f"The {what} signature is {len(jws.signature)} bytes; {alg} signatures are 64.")
    return alg


def bad_signature(what: str = "JWT") -> CredentialFailure:
    return CredentialFailure(Reason.BAD_SIGNATURE, f"The {what} signature does not verify: it was changed "
                             "after signing or made with another key.")


def verify_signature(jws: CompactJWS, public_key: Any, what: str = "JWT") -> None:
    """Check ``jws``'s signature with ``public_key`` (a `cryptography` public key)."""
    alg = check_key(jws, public_key, what)
    try:
        verifier = JWS()
        verifier.deserialize(jws.token)
        verifier.verify(JWK.from_pyca(public_key), alg=alg)
    except JWException as exc:
        raise bad_signature(what) from exc


def verify(token: Any, public_key: Any, what: str = "JWT") -> CompactJWS:
    """parse + verify_signature."""
    jws = parse(token, what)
    verify_signature(jws, public_key, what)
    return jws


def sign(payload: Mapping, private_key: Any, *, header: Mapping | None = None) -> str:
    """A compact JWS of the JSON ``payload``; alg follows from the key, ``header`` adds
    members (typ, kid, ...)."""
    alg = algorithm_for_key(private_key)
    protected = {"alg": alg, **(header or {})}
    if protected["alg"] != alg:
        raise ValueError(f"A {alg} key cannot sign as {protected['alg']}.")
    jws = JWS(payload=json_dumps(dict(payload)))
    jws.add_signature(to_jwcrypto(private_key), alg=alg, protected=json_dumps(protected).decode("utf-8"))
    return jws.serialize(compact=True)


# --- JWT claims -------------------------------------------------------------------------

def numeric_date(payload: Mapping, claim: str, what: str = "JWT") -> datetime | None:
    """RFC 7519 NumericDate claim -> aware UTC datetime (None when absent)."""
    value = payload.get(claim)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CredentialFailure(Reason.MALFORMED, f"The {what} claim {claim!r} is not a number of seconds.")
    try:
        return datetime.fromtimestamp(value, timezone.utc)
    except (OverflowError, OSError, ValueError) as exc:
        raise CredentialFailure(Reason.MALFORMED, f"The {what} claim {claim!r} is out of range.") from exc
