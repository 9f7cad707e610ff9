"""W3C Data Integrity ECDSA ``ecdsa-sd-2023``: selective disclosure with ECDSA (vc-di-ecdsa §3.5).

The issuer signs a *base proof*: every statement (canonical N-Quad, blank nodes relabelled
with an HMAC key) that is not mandatory gets its own signature by a proof-scoped P-256
key, and the issuer's key signs H(proof config) || that key || H(mandatory statements).
The base proof goes to the holder only (it carries the HMAC key). The holder derives a
*derived proof* for a verifier: the document reduced to the mandatory statements and
the ones the holder picks (JSON pointers), with only their signatures and a map from the
verifier's canonical blank node labels to the HMAC labels.

    proofValue = "u" + base64url(0xd9 0x5d 0x00 + CBOR [baseSignature, publicKey, hmacKey,
                                                         signatures, mandatoryPointers])   base
               = "u" + base64url(0xd9 0x5d 0x01 + CBOR [baseSignature, publicKey, signatures,
                                                         labelMap, mandatoryIndexes])      derived

Both verify here: a derived proof as the specification's "Verify Derived Proof"; a base
proof (a credential in the holder's own vault) by redoing the issuer's grouping with its
HMAC key and checking every signature. ``sign_base`` issues, ``derive`` discloses. CBOR is
``cbor2``, ECDSA (P-256, SHA-256; RFC 6979 deterministic when we sign) is `cryptography`.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
from dataclasses import dataclass

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from .. import jsonld_sd
from ..verdict import CredentialFailure, Reason
from . import sd_primitives as sd
from .base import RDFC, DataIntegritySuite, bad_signature, canonical_config, key_words, noun

log = logging.getLogger(__name__)

NAME = "ecdsa-sd-2023"
BASE_HEADER, DERIVED_HEADER = b"\xd9\x5d\x00", b"\xd9\x5d\x01"
P256_PREFIX = b"\x80\x24"       # multicodec p256-pub as a varint
MAX_PROOF_VALUE = 4_000_000     # characters; ~60 000 statements
MAX_POINTERS = 1_000            # mandatory pointers: each is a selection over the document
DAMAGED = ("The proof value is damaged: it is not an ecdsa-sd-2023 base or derived proof "
           "(multibase base64url CBOR with the 0xd95d00 / 0xd95d01 header).")
DEFAULT_MANDATORY = ("/issuer",)   # what data_integrity.sign makes mandatory: verifiers need it


@dataclass(frozen=True)
class BaseProof:
    base_signature: bytes
    public_key: bytes           # the proof-scoped key, multikey bytes (0x8024 + compressed point)
    hmac_key: bytes
    signatures: tuple[bytes, ...]
    mandatory_pointers: tuple[str, ...]


@dataclass(frozen=True)
class DerivedProof:
    base_signature: bytes
    public_key: bytes
    signatures: tuple[bytes, ...]
    label_map: dict[str, str]   # "c14n0" -> "u…" (decompressed)
    mandatory_indexes: tuple[int, ...]


# ---------------------------------------------------------------------------- proof values

def _damaged(why: str = "") -> CredentialFailure:
    return CredentialFailure(Reason.BAD_SIGNATURE, DAMAGED if not why else f"{DAMAGED[:-1]}: {why}.")


def _bytes(value: object, length: int | None = None) -> bytes:
    if isinstance(value, cbor2.CBORTag) and value.tag == 64:    # a Uint8Array tag some encoders add
        value = value.value
    if not isinstance(value, bytes) or (length is not None and len(value) != length):
        raise _damaged()
    return value


def _signatures(value: object) -> tuple[bytes, ...]:
    if not isinstance(value, list):
        raise _damaged()
    return tuple(_bytes(s, 64) for s in value)


def parse_proof_value(value: object) -> BaseProof | DerivedProof:
    """A base or derived proof value; BAD_SIGNATURE ("damaged") for anything else."""
    if not isinstance(value, str) or not value.startswith("u") or len(value) > MAX_PROOF_VALUE:
        raise _damaged()
    try:
        raw = sd.b64url_decode(value[1:])
        stream = io.BytesIO(raw[3:])
        components = cbor2.CBORDecoder(stream).decode()
    except Exception:       # binascii / cbor2 errors of every kind on garbage
        log.debug("an ecdsa-sd-2023 proof value could not be decoded", exc_info=True)
        raise _damaged() from None
    if stream.tell() != len(raw) - 3 or not isinstance(components, list) or len(components) != 5:
        raise _damaged()
    header = raw[:3]
    if header == BASE_HEADER:
        signature, public_key, hmac_key, signatures, pointers = components
        if not isinstance(pointers, list) or len(pointers) > MAX_POINTERS or not all(
                isinstance(p, str) for p in pointers):
            raise _damaged("its mandatory pointers are not a list of JSON pointers")
        return BaseProof(_bytes(signature, 64), _public_key_bytes(public_key), _bytes(hmac_key, 32),
                         _signatures(signatures), tuple(pointers))
    if header == DERIVED_HEADER:
        signature, public_key, signatures, labels, indexes = components
        if not isinstance(labels, dict) or not isinstance(indexes, list) or not all(
                type(k) is int and k >= 0 for k in labels) or not all(type(i) is int and i >= 0 for i in indexes):
            raise _damaged("its label map or mandatory indexes are malformed")
        return DerivedProof(_bytes(signature, 64), _public_key_bytes(public_key), _signatures(signatures),
                            {f"c14n{k}": "u" + sd.b64url(_bytes(v, 32)) for k, v in labels.items()},
                            tuple(indexes))
    raise _damaged()


def _public_key_bytes(value: object) -> bytes:
    raw = _bytes(value, 35)
    if not raw.startswith(P256_PREFIX):
        raise _damaged("its proof-scoped key is not a P-256 multikey")
    return raw


def serialize_base(proof: BaseProof) -> str:
    body = cbor2.dumps([proof.base_signature, proof.public_key, proof.hmac_key, list(proof.signatures),
                        list(proof.mandatory_pointers)])
    return "u" + sd.b64url(BASE_HEADER + body)


def serialize_derived(proof: DerivedProof) -> str:
    labels = {int(k[4:]): sd.b64url_decode(v[1:]) for k, v in proof.label_map.items()}
    body = cbor2.dumps([proof.base_signature, proof.public_key, list(proof.signatures),
                        dict(sorted(labels.items())), list(proof.mandatory_indexes)])
    return "u" + sd.b64url(DERIVED_HEADER + body)


# ---------------------------------------------------------------------------- ECDSA P-256

def _raw_signature(private_key: ec.EllipticCurvePrivateKey, data: bytes) -> bytes:
    r, s = decode_dss_signature(private_key.sign(data, ec.ECDSA(hashes.SHA256(), deterministic_signing=True)))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def _valid(public_key: ec.EllipticCurvePublicKey, signature: bytes, data: bytes) -> bool:
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
    try:
        public_key.verify(der, data, ec.ECDSA(hashes.SHA256()))
        return True
    except InvalidSignature:
        return False


def _multikey(public_key: ec.EllipticCurvePublicKey) -> bytes:
    return P256_PREFIX + public_key.public_bytes(serialization.Encoding.X962,
                                                 serialization.PublicFormat.CompressedPoint)


def _proof_key(raw: bytes) -> ec.EllipticCurvePublicKey:
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw[2:])
    except ValueError:
        raise _damaged("its proof-scoped key is not a point on P-256") from None


def _is_p256(key: object) -> bool:
    return isinstance(key, (ec.EllipticCurvePublicKey, ec.EllipticCurvePrivateKey)) and key.curve.name == "secp256r1"


def _proof_hash(unsecured: dict, proof: dict) -> bytes:
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    return hashlib.sha256(canonical_config(config, unsecured, RDFC)).digest()


# ---------------------------------------------------------------------------- the suite

class EcdsaSdSuite(DataIntegritySuite):
    name = cryptosuite = NAME
    canon = RDFC

    def signature(self, proof: dict) -> BaseProof | DerivedProof:
        return parse_proof_value(proof.get("proofValue"))

    def verify(self, unsecured, proof, signature, public_key, what) -> None:
        if not _is_p256(public_key):
            raise CredentialFailure(Reason.WRONG_KEY, f"The proof uses {NAME}, which needs a P-256 key, but "
                                    f"its verification method holds {key_words(public_key)}.")
        if isinstance(signature, DerivedProof):
            labels = sd.mapped_labels(signature.label_map, what)
            nquads = sd.label_replacement_canonicalize_json_ld(unsecured, labels, what)
            if any(i >= len(nquads) for i in signature.mandatory_indexes):
                raise bad_signature(what)
            wanted = set(signature.mandatory_indexes)
            mandatory = [nq for i, nq in enumerate(nquads) if i in wanted]
            optional = [nq for i, nq in enumerate(nquads) if i not in wanted]
        else:
            grouped = sd.canonicalize_and_group(unsecured, sd.hmac_labels(signature.hmac_key),
                                                {"mandatory": list(signature.mandatory_pointers)}, what)
            mandatory = list(grouped.groups["mandatory"].matching.values())
            optional = list(grouped.groups["mandatory"].non_matching.values())
        if len(signature.signatures) != len(optional):
            raise bad_signature(what)       # a statement added or removed (or its signature)
        proof_key = _proof_key(signature.public_key)
        signed = _proof_hash(unsecured, proof) + signature.public_key + sd.hash_mandatory(mandatory)
        if not _valid(public_key, signature.base_signature, signed) or not all(
                _valid(proof_key, s, nq.encode("utf-8")) for s, nq in zip(signature.signatures, optional)):
            raise bad_signature(what)

    def sign(self, unsecured, options, private_key) -> dict:
        pointers = [p for p in DEFAULT_MANDATORY if "issuer" in unsecured]
        return sign_base_proof(unsecured, options, private_key, pointers)


ECDSA_SD = EcdsaSdSuite()


def sign_base_proof(unsecured: dict, options: dict, private_key: object, mandatory_pointers: list[str], *,
                    proof_key: ec.EllipticCurvePrivateKey | None = None, hmac_key: bytes | None = None) -> dict:
    """``options`` with a base ``proofValue`` (Create Base Proof). ``proof_key`` and
    ``hmac_key`` are fresh unless given (the test vectors give them)."""
    if not isinstance(private_key, ec.EllipticCurvePrivateKey) or not _is_p256(private_key):
        raise ValueError(f"{NAME} signs with a P-256 private key")
    if not isinstance(mandatory_pointers, (list, tuple)) or not all(isinstance(p, str) for p in mandatory_pointers):
        raise ValueError("mandatory_pointers must be a list of JSON pointers")
    what = noun(unsecured)
    hmac_key = os.urandom(32) if hmac_key is None else hmac_key
    proof_key = ec.generate_private_key(ec.SECP256R1()) if proof_key is None else proof_key
    grouped = sd.canonicalize_and_group(unsecured, sd.hmac_labels(hmac_key),
                                        {"mandatory": list(mandatory_pointers)}, what)
    group = grouped.groups["mandatory"]
    public = _multikey(proof_key.public_key())
    signed = _proof_hash(unsecured, options) + public + sd.hash_mandatory(group.matching.values())
    proof = BaseProof(_raw_signature(private_key, signed), public, hmac_key,
                      tuple(_raw_signature(proof_key, nq.encode("utf-8")) for nq in group.non_matching.values()),
                      tuple(mandatory_pointers))
    return {**options, "proofValue": serialize_base(proof)}


def derive(document: dict, selective_pointers: list[str]) -> dict:
    """The credential reduced to its mandatory statements and ``selective_pointers``, with
    a derived proof (Add Derived Proof). ``document`` carries one ecdsa-sd-2023 base
    proof. Raises CredentialFailure (a pointer that matches nothing is MALFORMED)."""
    what = noun(document)
    proofs = document.get("proof")
    proofs = proofs if isinstance(proofs, list) else [proofs]
    bases = [p for p in proofs if isinstance(p, dict) and ECDSA_SD.matches(p)]
    if len(bases) != 1:
        raise CredentialFailure(Reason.MALFORMED, f"The {what} carries {len(bases)} {NAME} proofs; a "
                                "disclosure is derived from exactly one base proof.")
    base = ECDSA_SD.signature(bases[0])
    if not isinstance(base, BaseProof):
        raise CredentialFailure(Reason.MALFORMED, f"The {what}'s {NAME} proof is already a derived proof: only "
                                "the issuer's base proof can disclose other claims.")
    mandatory = list(base.mandatory_pointers)
    selective = [p for p in selective_pointers if p not in mandatory]
    if not mandatory and not selective:
        raise CredentialFailure(Reason.MALFORMED, f"Nothing of the {what} is chosen to disclose.")
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    grouped = sd.canonicalize_and_group(unsecured, sd.hmac_labels(base.hmac_key),
                                        {"mandatory": mandatory, "selective": selective,
                                         "combined": mandatory + selective}, what)
    groups = grouped.groups
    if len(groups["mandatory"].non_matching) != len(base.signatures):
        raise bad_signature(what)           # it no longer matches its base proof
    combined = sorted(groups["combined"].matching)
    mandatory_indexes = tuple(n for n, i in enumerate(combined) if i in groups["mandatory"].matching)
    optional = sorted(groups["mandatory"].non_matching)
    signatures = tuple(s for i, s in zip(optional, base.signatures) if i in groups["selective"].matching)
    reveal = sd.select_json_ld(unsecured, mandatory + selective)
    _, issued = jsonld_sd.canonize_nquads(groups["combined"].deskolemized, what=f"The {what}")
    labels = {c14n: grouped.label_map[label] for label, c14n in issued.items()}
    value = serialize_derived(DerivedProof(base.base_signature, base.public_key, signatures, labels,
                                           mandatory_indexes))
    proof = {k: v for k, v in bases[0].items() if k != "@context"}
    proof["proofValue"] = value
    return {**reveal, "proof": proof}
