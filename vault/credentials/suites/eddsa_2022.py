"""W3C Data Integrity EdDSA cryptosuites v1.0: ``eddsa-rdfc-2022`` and ``eddsa-jcs-2022``.

proofValue = "z" + base58btc(Ed25519 signature over SHA-256(config) || SHA-256(document)).
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

from ..verdict import CredentialFailure, Reason
from .base import JCS, RDFC, DataIntegritySuite, bad_signature, key_words, multibase_bytes, multibase_encode

DAMAGED = "The proof value is damaged: it is not a base58btc multibase Ed25519 signature of 64 bytes."


class EddsaSuite(DataIntegritySuite):
    def __init__(self, cryptosuite: str, canon: str):
        self.name = self.cryptosuite = cryptosuite
        self.canon = canon

    def signature(self, proof: dict) -> bytes:
        return multibase_bytes(proof.get("proofValue"), (64,), DAMAGED)

    def verify(self, unsecured, proof, signature, public_key, what) -> None:
        check_ed25519(public_key, self.name)
        if not verify_ed25519(public_key, signature, self.verify_data(unsecured, proof, "sha256")):
            raise bad_signature(what)

    def sign(self, unsecured, options, private_key) -> dict:
        if not isinstance(private_key, Ed25519PrivateKey):
            raise ValueError(f"{self.name} signs with an Ed25519 private key")
        data = self.verify_data(unsecured, options, "sha256")
        return {**options, "proofValue": multibase_encode(private_key.sign(data))}


@lru_cache(maxsize=256)   # issuers repeat; a key is 32 bytes
def _libsodium_key(raw: bytes) -> VerifyKey:
    return VerifyKey(raw)


def verify_ed25519(public_key: Ed25519PublicKey, signature: bytes, data: bytes) -> bool:
    """RFC 8032 Ed25519 verification by libsodium (PyNaCl), not OpenSSL (cryptography): on
    this machine 38 against 80 µs, ~40 % of an eddsa-jcs-2022 check; and libsodium refuses
    public keys and R values of small order and non-canonical encodings, which OpenSSL
    accepts: with the identity point as a did:key, R = identity and S = 0 "signed" any
    document (tests/credentials/test_verify_fast_paths.py crafts it). Whatever libsodium
    accepts, OpenSSL accepts too."""
    try:
        _libsodium_key(public_key.public_bytes_raw()).verify(data, signature)
    except BadSignatureError:
        return False
    return True


def check_ed25519(public_key: object, suite: str) -> None:
    if not isinstance(public_key, Ed25519PublicKey):
        raise CredentialFailure(Reason.WRONG_KEY, f"The proof uses {suite}, which needs an Ed25519 key, "
                                f"but its verification method holds {key_words(public_key)}.")


EDDSA_RDFC = EddsaSuite("eddsa-rdfc-2022", RDFC)
EDDSA_JCS = EddsaSuite("eddsa-jcs-2022", JCS)
