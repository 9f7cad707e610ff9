"""What every linked-data proof suite shares: canonical forms, the hash data, the proof
configuration, and the shape of a suite (``Suite``).

Every suite here signs the same thing, built the same way (vc-di-eddsa §3.3, vc-di-ecdsa
§3.3, and jsonld-signatures' ``LinkedDataSignature.createVerifyData`` for the older
suites):

    hashData = H(canonical proof configuration) || H(canonical unsecured document)

where the proof configuration is the proof without its signature member(s), given the
document's ``@context``; "canonical" is RDFC-1.0 N-Quads (via ``jsonld.canonize`` with
``all_signed``: offline, safe mode, published contexts only, and nothing that does not
reach the signed dataset) or RFC 8785 JCS; H is SHA-256 (SHA-384 for ECDSA on P-384).
Suites differ in which members hold the signature, how it is encoded, and the key.
"""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import datetime, timezone
from typing import Any

import base58

from ... import jcs as canonical_json
from .. import jsonld
from ..verdict import CredentialFailure, Reason

log = logging.getLogger(__name__)

RDFC = "rdfc"
JCS = "jcs"

# XML Schema 1.1 dateTime (what `created` and `expires` must be).
_DATETIME = re.compile(r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")

BAD_SIGNATURE_MESSAGE = ("The signature does not match the content: the {what} was changed after "
                         "it was signed, or was signed with another key.")


def noun(document: Any) -> str:
    types = document.get("type") if isinstance(document, dict) else None
    types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    return "presentation" if "VerifiablePresentation" in types else "credential"


def bad_signature(what: str) -> CredentialFailure:
    return CredentialFailure(Reason.BAD_SIGNATURE, BAD_SIGNATURE_MESSAGE.format(what=what))


def check_datetime(proof: dict, name: str, what: str) -> datetime | None:
    value = proof.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not _DATETIME.fullmatch(value):
        raise CredentialFailure(Reason.MALFORMED, f"The {what}'s proof has a malformed {name!r} date "
                                f"({str(value)[:40]!r}); it must be an XML Schema dateTime.")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise CredentialFailure(Reason.MALFORMED, f"The {what}'s proof has an impossible {name!r} "
                                f"date ({value[:40]!r}).") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def jcs(value: Any, what: str) -> bytes:
    try:
        return canonical_json.dumps(value)   # rfc8785's bytes (a C fast path when it is the same)
    except Exception as exc:            # rfc8785 raises its own types (e.g. integer domain)
        log.debug("JCS canonicalization of the %s failed", what, exc_info=True)
        raise CredentialFailure(Reason.MALFORMED, f"The {what} cannot be canonicalized as JSON "
                                f"(RFC 8785): {str(exc)[:120]}") from None


def canonical_document(document: dict, canon: str, hash_name: str = "sha256") -> bytes:
    """The canonical form of an unsecured document (no ``proof``), UTF-8; ``hash_name``
    labels RDFC-1.0's blank nodes (sha384 for ecdsa-rdfc-2019 with P-384)."""
    what = noun(document)
    if canon == RDFC:
        # all_signed: RDFC signs the dataset, not the JSON; refuse members that do not reach
        # it, so that no display can show unsigned text as proven (see jsonld "All signed").
        return jsonld.canonize(document, what=f"The {what}", checked=True, all_signed=True,
                               hash_name=hash_name).encode("utf-8")
    jsonld.check_known_contexts(document)
    return jcs(document, what)


def canonical_config(config: dict, document: dict, canon: str, hash_name: str = "sha256") -> bytes:
    """``config`` (a proof without its signature) with the document's ``@context``, canonical."""
    check_datetime(config, "created", noun(document))
    config = dict(config)
    if "@context" in document:
        config["@context"] = document["@context"]
    else:
        config.pop("@context", None)
    if canon == RDFC:
        return jsonld.canonize(config, what="The proof", checked=True, all_signed=True,
                               hash_name=hash_name).encode("utf-8")
    return jcs(config, "proof")


def hash_data(canonical_proof_config: bytes, canonical_doc: bytes, algorithm: str = "sha256") -> bytes:
    """H(proof configuration) || H(document): what is signed."""
    return hashlib.new(algorithm, canonical_proof_config).digest() + hashlib.new(algorithm, canonical_doc).digest()


def multibase_bytes(value: object, lengths: tuple[int, ...], damaged: str) -> bytes:
    """A base58btc multibase ('z…') value of one of ``lengths`` bytes, else BAD_SIGNATURE."""
    failure = CredentialFailure(Reason.BAD_SIGNATURE, damaged)
    if not isinstance(value, str) or not value.startswith("z") or len(value) > 200:
        raise failure
    try:
        raw = b58decode(value[1:])
    except ValueError:
        raise failure from None
    if len(raw) not in lengths:
        raise failure
    return raw


def b58decode(text: str) -> bytes:
    """``base58.b58decode(text)``: the library reads the digits; the number becomes bytes
    by ``int.to_bytes`` instead of its loop of divmod by 256 (half of its ~12 µs for a
    signature). Leading "1"s are zero bytes, as there."""
    text = text.rstrip()
    digits = text.lstrip("1")
    number = base58.b58decode_int(digits) if digits else 0
    return b"\0" * (len(text) - len(digits)) + number.to_bytes((number.bit_length() + 7) // 8, "big")


def multibase_encode(raw: bytes) -> str:
    return "z" + base58.b58encode(raw).decode("ascii")


def key_words(public_key: object) -> str:
    curve = getattr(public_key, "curve", None)
    return f"a {curve.name} key" if curve is not None else f"a {type(public_key).__name__}"


class Suite:
    """One proof suite. Subclasses set the class attributes and implement the methods."""

    name = ""                 # shown to people: "eddsa-rdfc-2022", "Ed25519Signature2020", ...
    proof_type = ""           # the proof's "type"
    cryptosuite: str | None = None   # DataIntegrityProof's "cryptosuite", None for the older suites
    legacy = False            # superseded by a W3C Data Integrity cryptosuite
    canon = RDFC              # RDFC (RDF Dataset Canonicalization) or JCS
    signature_members: tuple[str, ...] = ("proofValue",)   # left out of the proof configuration

    def matches(self, proof: dict) -> bool:
        if proof.get("type") != self.proof_type:
            return False
        return self.cryptosuite is None or proof.get("cryptosuite") == self.cryptosuite

    def signature(self, proof: dict) -> Any:
        """The decoded signature value; BAD_SIGNATURE ("damaged") before any other work."""
        raise NotImplementedError

    def verify(self, unsecured: dict, proof: dict, signature: Any, public_key: object, what: str) -> None:
        """Raise CredentialFailure unless ``signature`` signs ``unsecured`` with ``proof``."""
        raise NotImplementedError

    def sign(self, unsecured: dict, options: dict, private_key: object) -> dict:
        """``options`` completed with the signature member(s)."""
        raise NotImplementedError

    def config(self, proof: dict) -> dict:
        return {k: v for k, v in proof.items() if k not in self.signature_members}


class DataIntegritySuite(Suite):
    """A ``DataIntegrityProof`` cryptosuite: ``proofValue`` is multibase base58btc."""

    proof_type = "DataIntegrityProof"

    def verify_data(self, unsecured: dict, proof: dict, hash_name: str) -> bytes:
        # The suite's hash names RDFC-1.0's blank nodes too (vc-di-ecdsa §3.2: "a hash
        # algorithm that has an appropriate security level for the curve").
        canonical_doc = canonical_document(unsecured, self.canon, hash_name)   # first: its errors name the document
        return hash_data(canonical_config(self.config(proof), unsecured, self.canon, hash_name), canonical_doc,
                         hash_name)


class LinkedDataSignatureSuite(Suite):
    """The suites before Data Integrity (Ed25519Signature2018/2020, JsonWebSignature2020):
    the proof's ``type`` names the suite, RDFC-1.0 and SHA-256 always (jsonld-signatures'
    ``LinkedDataSignature``), and the signature may sit in ``jws``, ``signatureValue`` or
    ``proofValue``, all three left out of the proof configuration."""

    legacy = True
    signature_members = ("jws", "signatureValue", "proofValue")

    def verify_data(self, unsecured: dict, proof: dict) -> bytes:
        canonical_doc = canonical_document(unsecured, RDFC)
        return hash_data(canonical_config(self.config(proof), unsecured, RDFC), canonical_doc)
