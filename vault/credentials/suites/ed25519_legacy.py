"""Ed25519Signature2020 and Ed25519Signature2018, the suites of the Digital Credentials
Consortium (issuer, Learner Credential Wallet, their status lists) and of the JFF
plugfests, Credential Engine and LearnCard.

Both sign SHA-256(config) || SHA-256(document), RDFC-1.0, with Ed25519 (W3C CCG
"Ed25519 Signature 2020"; vc-di-eddsa publishes vectors for it): Ed25519Signature2020
puts "z" + base58btc(signature) in ``proofValue``, Ed25519Signature2018 a detached JWS
(alg EdDSA, b64 false) in ``jws``. eddsa-rdfc-2022 is the same algorithm as
Ed25519Signature2020 under the W3C standard's name.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from . import detached_jws
from .base import LinkedDataSignatureSuite, bad_signature, multibase_bytes, multibase_encode
from .eddsa_2022 import DAMAGED, check_ed25519, verify_ed25519


class Ed25519Signature2020(LinkedDataSignatureSuite):
    name = proof_type = "Ed25519Signature2020"

    def signature(self, proof: dict) -> bytes:
        return multibase_bytes(proof.get("proofValue"), (64,), DAMAGED)

    def verify(self, unsecured, proof, signature, public_key, what) -> None:
        check_ed25519(public_key, self.name)
        if not verify_ed25519(public_key, signature, self.verify_data(unsecured, proof)):
            raise bad_signature(what)

    def sign(self, unsecured, options, private_key) -> dict:
        if not isinstance(private_key, Ed25519PrivateKey):
            raise ValueError(f"{self.name} signs with an Ed25519 private key")
        return {**options, "proofValue": multibase_encode(private_key.sign(self.verify_data(unsecured, options)))}


class Ed25519Signature2018(LinkedDataSignatureSuite):
    name = proof_type = "Ed25519Signature2018"

    def signature(self, proof: dict) -> tuple[str, str, bytes]:
        return detached_jws.parse(proof.get("jws"), self.name, ("EdDSA",))

    def verify(self, unsecured, proof, signature, public_key, what) -> None:
        check_ed25519(public_key, self.name)
        header, alg, raw = signature
        detached_jws.verify(header, alg, raw, lambda: self.verify_data(unsecured, proof), public_key,
                            self.name, what)

    def sign(self, unsecured, options, private_key) -> dict:
        if not isinstance(private_key, Ed25519PrivateKey):
            raise ValueError(f"{self.name} signs with an Ed25519 private key")
        return {**options, "jws": detached_jws.sign(self.verify_data(unsecured, options), private_key, self.name)}


ED25519_2020 = Ed25519Signature2020()
ED25519_2018 = Ed25519Signature2018()
