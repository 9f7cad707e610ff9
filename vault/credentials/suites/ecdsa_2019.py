"""W3C Data Integrity ECDSA cryptosuites v1.0: ``ecdsa-rdfc-2019`` and ``ecdsa-jcs-2019``.

Keys are P-256 (did:key ``zDna…``) or P-384 (``z82L…``). The curve fixes the hash:
SHA-256 for P-256, SHA-384 for P-384, both for the hash data (H(config) || H(document))
and inside ECDSA. proofValue = "z" + base58btc(r || s), each half the curve's size
(64 bytes for P-256, 96 for P-384), as the specification asks (not ASN.1 DER).
`cryptography` does the ECDSA; only the r||s <-> DER conversion is ours.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from ..verdict import CredentialFailure, Reason
from .base import JCS, RDFC, DataIntegritySuite, bad_signature, key_words, multibase_bytes, multibase_encode

# curve name -> (hash for hashData and ECDSA, bytes of r and of s)
CURVES = {"secp256r1": ("sha256", 32), "secp384r1": ("sha384", 48)}
_HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384}
DAMAGED = ("The proof value is damaged: it is not a base58btc multibase ECDSA signature "
           "(r||s, 64 bytes for P-256 or 96 for P-384).")


class EcdsaSuite(DataIntegritySuite):
    def __init__(self, cryptosuite: str, canon: str):
        self.name = self.cryptosuite = cryptosuite
        self.canon = canon

    def signature(self, proof: dict) -> bytes:
        return multibase_bytes(proof.get("proofValue"), (64, 96), DAMAGED)

    def _curve(self, key: object) -> tuple[str, int]:
        curve = getattr(getattr(key, "curve", None), "name", None)
        if not isinstance(key, (ec.EllipticCurvePublicKey, ec.EllipticCurvePrivateKey)) or curve not in CURVES:
            raise CredentialFailure(Reason.WRONG_KEY, f"The proof uses {self.name}, which needs a P-256 or "
                                    f"P-384 key, but its verification method holds {key_words(key)}.")
        return CURVES[curve]

    def verify(self, unsecured, proof, signature, public_key, what) -> None:
        hash_name, size = self._curve(public_key)
        if len(signature) != 2 * size:
            raise CredentialFailure(Reason.BAD_SIGNATURE, DAMAGED)
        data = self.verify_data(unsecured, proof, hash_name)
        der = encode_dss_signature(int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big"))
        try:
            public_key.verify(der, data, ec.ECDSA(_HASHES[hash_name]()))
        except InvalidSignature:
            raise bad_signature(what) from None

    def sign(self, unsecured, options, private_key) -> dict:
        if not isinstance(private_key, ec.EllipticCurvePrivateKey):
            raise ValueError(f"{self.name} signs with a P-256 or P-384 private key")
        try:
            hash_name, size = self._curve(private_key)
        except CredentialFailure:
            raise ValueError(f"{self.name} signs with a P-256 or P-384 private key") from None
        data = self.verify_data(unsecured, options, hash_name)
        r, s = decode_dss_signature(private_key.sign(data, ec.ECDSA(_HASHES[hash_name]())))
        return {**options, "proofValue": multibase_encode(r.to_bytes(size, "big") + s.to_bytes(size, "big"))}


ECDSA_RDFC = EcdsaSuite("ecdsa-rdfc-2019", RDFC)
ECDSA_JCS = EcdsaSuite("ecdsa-jcs-2019", JCS)
