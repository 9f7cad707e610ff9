"""JsonWebSignature2020 (W3C CCG "Linked Data Proof JSON Web Signature 2020", transmute
and the DIF JWS test suite): RDFC-1.0, SHA-256(config) || SHA-256(document), signed as a
detached JWS with an unencoded payload (see detached_jws) by a JsonWebKey2020. Verified
for EdDSA (Ed25519), ES256 (P-256), ES256K (secp256k1) and ES384 (P-384); not RSA (PS256).
"""

from __future__ import annotations

from . import detached_jws
from .base import LinkedDataSignatureSuite

ALGORITHMS = ("EdDSA", "ES256", "ES256K", "ES384")


class JsonWebSignature2020(LinkedDataSignatureSuite):
    name = proof_type = "JsonWebSignature2020"

    def signature(self, proof: dict) -> tuple[str, str, bytes]:
        return detached_jws.parse(proof.get("jws"), self.name, ALGORITHMS)

    def verify(self, unsecured, proof, signature, public_key, what) -> None:
        header, alg, raw = signature
        detached_jws.verify(header, alg, raw, lambda: self.verify_data(unsecured, proof), public_key,
                            self.name, what)

    def sign(self, unsecured, options, private_key) -> dict:
        return {**options, "jws": detached_jws.sign(self.verify_data(unsecured, options), private_key, self.name)}


JWS_2020 = JsonWebSignature2020()
