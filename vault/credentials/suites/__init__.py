"""The proof suites this vault verifies (and signs with), one module per family:

    eddsa_2022      DataIntegrityProof eddsa-rdfc-2022, eddsa-jcs-2022 (W3C)
    ecdsa_2019      DataIntegrityProof ecdsa-rdfc-2019, ecdsa-jcs-2019 (W3C; P-256, P-384)
    ed25519_legacy  Ed25519Signature2020, Ed25519Signature2018 (CCG; DCC, LCW, JFF)
    jws_2020        JsonWebSignature2020 (CCG; EdDSA, ES256, ES256K, ES384)

``suite_for(proof)`` finds the suite of a proof, or None; ``describe(proof)`` names a
proof's suite in words, for the ones we do not verify. The proof-set and chain logic,
key resolution and purpose checks are in ``data_integrity``.
"""

from __future__ import annotations

from .base import BAD_SIGNATURE_MESSAGE, Suite
from .ecdsa_2019 import ECDSA_JCS, ECDSA_RDFC
from .ed25519_legacy import ED25519_2018, ED25519_2020
from .eddsa_2022 import EDDSA_JCS, EDDSA_RDFC
from .jws_2020 import JWS_2020

__all__ = ["BAD_SIGNATURE_MESSAGE", "SUITES", "Suite", "by_name", "describe", "suite_for"]

SUITES: tuple[Suite, ...] = (EDDSA_RDFC, EDDSA_JCS, ECDSA_RDFC, ECDSA_JCS, ED25519_2020, ED25519_2018, JWS_2020)

# Proof types and cryptosuites we recognise but do not verify, with a word on what they are.
_UNSUPPORTED_TYPES = {
    "EcdsaSecp256k1Signature2019": "EcdsaSecp256k1Signature2019",
    "BbsBlsSignature2020": "BbsBlsSignature2020",
    "RsaSignature2018": "RsaSignature2018",
}
_UNSUPPORTED_SUITES = {
    "eddsa-2022": "eddsa-2022, a draft name that eddsa-rdfc-2022 replaced",
    "ecdsa-sd-2023": "selective-disclosure ECDSA (ecdsa-sd-2023)",
    "bbs-2023": "BBS (bbs-2023)",
}
SUPPORTED_WORDS = ("this vault verifies DataIntegrityProof with eddsa-rdfc-2022, eddsa-jcs-2022, "
                   "ecdsa-rdfc-2019 or ecdsa-jcs-2019, Ed25519Signature2020, Ed25519Signature2018 and "
                   "JsonWebSignature2020")


def suite_for(proof: dict) -> Suite | None:
    return next((suite for suite in SUITES if suite.matches(proof)), None)


def by_name(name: str) -> Suite | None:
    """The suite called ``name`` (a cryptosuite, or an older suite's proof type)."""
    return next((suite for suite in SUITES if suite.name == name), None)


def describe(proof: dict) -> str:
    """A proof's suite in words (for one that ``suite_for`` does not know)."""
    ptype = proof.get("type")
    if ptype == "DataIntegrityProof":
        cryptosuite = proof.get("cryptosuite")
        if not isinstance(cryptosuite, str):
            return "a Data Integrity proof with no cryptosuite"
        return "the cryptosuite " + _UNSUPPORTED_SUITES.get(cryptosuite, repr(cryptosuite[:80]))
    if not isinstance(ptype, str):
        return "an unnamed proof type"
    return _UNSUPPORTED_TYPES.get(ptype, repr(ptype[:80]))
