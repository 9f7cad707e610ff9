"""W3C Data Integrity EdDSA cryptosuites v1.0: ``eddsa-rdfc-2022`` and ``eddsa-jcs-2022``.

proofValue = "z" + base58btc(Ed25519 signature over SHA-256(config) || SHA-256(document)).
"""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

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
        data = self.verify_data(unsecured, proof, "sha256")
        try:
            public_key.verify(signature, data)
        except InvalidSignature:
            raise bad_signature(what) from None

    def sign(self, unsecured, options, private_key) -> dict:
        if not isinstance(private_key, Ed25519PrivateKey):
            raise ValueError(f"{self.name} signs with an Ed25519 private key")
        data = self.verify_data(unsecured, options, "sha256")
        return {**options, "proofValue": multibase_encode(private_key.sign(data))}


def check_ed25519(public_key: object, suite: str) -> None:
    if not isinstance(public_key, Ed25519PublicKey):
        raise CredentialFailure(Reason.WRONG_KEY, f"The proof uses {suite}, which needs an Ed25519 key, "
                                f"but its verification method holds {key_words(public_key)}.")


EDDSA_RDFC = EddsaSuite("eddsa-rdfc-2022", RDFC)
EDDSA_JCS = EddsaSuite("eddsa-jcs-2022", JCS)
