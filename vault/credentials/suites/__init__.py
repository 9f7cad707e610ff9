"""The proof suites this vault verifies (and signs with), one module per family:

    eddsa_2022      DataIntegrityProof eddsa-rdfc-2022, eddsa-jcs-2022 (W3C)
    ecdsa_2019      DataIntegrityProof ecdsa-rdfc-2019, ecdsa-jcs-2019 (W3C; P-256, P-384)
    ecdsa_sd_2023   DataIntegrityProof ecdsa-sd-2023 (W3C; selective disclosure, P-256)
    ed25519_legacy  Ed25519Signature2020, Ed25519Signature2018 (CCG; DCC, LCW, JFF)
    jws_2020        JsonWebSignature2020 (CCG; EdDSA, ES256, ES256K, ES384)

``suite_for(proof)`` finds the suite of a proof, or None; ``describe(proof)`` names a
proof's suite in words, for the ones we do not verify. The proof-set and chain logic,
key resolution and purpose checks are in ``data_integrity``.
"""

from __future__ import annotations

from .base import BAD_SIGNATURE_MESSAGE, Suite
from .ecdsa_2019 import ECDSA_JCS, ECDSA_RDFC
from .ecdsa_sd_2023 import ECDSA_SD
from .ed25519_legacy import ED25519_2018, ED25519_2020
from .eddsa_2022 import EDDSA_JCS, EDDSA_RDFC
from .jws_2020 import JWS_2020

__all__ = ["BAD_SIGNATURE_MESSAGE", "SUITES", "Suite", "by_name", "describe", "note", "suite_for"]

SUITES: tuple[Suite, ...] = (EDDSA_RDFC, EDDSA_JCS, ECDSA_RDFC, ECDSA_JCS, ECDSA_SD, ED25519_2020, ED25519_2018,
                             JWS_2020)

# Proof types and cryptosuites we recognise but do not verify, with a word on what they are.
_UNSUPPORTED_TYPES = {
    "EcdsaSecp256k1Signature2019": "EcdsaSecp256k1Signature2019",
    "BbsBlsSignature2020": "BbsBlsSignature2020",
    "RsaSignature2018": "RsaSignature2018",
}
_UNSUPPORTED_SUITES = {
    "eddsa-2022": "eddsa-2022, a draft name that eddsa-rdfc-2022 replaced",
    # bbs-2023 needs BBS signatures (IETF draft-irtf-cfrg-bbs-signatures, ciphersuite
    # BLS12-381-SHA-256). Looked for on PyPI (issue 15): ursa-bbs-signatures 1.0.1 (last
    # release 2021-04; wraps MATTR's ffi-bbs-signatures, the pre-IETF BBS+ of Hyperledger
    # Ursa, not the IETF ciphersuite), bbs 0.0.1 (2022, an empty package template), ffi-bbs-signatures,
    # pybbs, bbs-signatures (not on PyPI); blspy / py-ecc have BLS12-381 but no BBS, and
    # BBS is not to be hand-rolled. Until a maintained library exists: a clear refusal.
    "bbs-2023": "BBS (bbs-2023)",
}
# Said after "which this vault does not verify:" for these cryptosuites.
_NOTES = {"bbs-2023": "bbs-2023 proofs are not supported yet (no maintained Python BBS library implements "
                      "the IETF ciphersuite)"}
SUPPORTED_WORDS = ("this vault verifies DataIntegrityProof with eddsa-rdfc-2022, eddsa-jcs-2022, "
                   "ecdsa-rdfc-2019, ecdsa-jcs-2019 or ecdsa-sd-2023, Ed25519Signature2020, "
                   "Ed25519Signature2018 and JsonWebSignature2020")


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


def note(proof: dict) -> str | None:
    """Why a proof's known cryptosuite is not verified, where there is more to say."""
    cryptosuite = proof.get("cryptosuite") if proof.get("type") == "DataIntegrityProof" else None
    return _NOTES.get(cryptosuite) if isinstance(cryptosuite, str) else None
