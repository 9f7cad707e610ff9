"""Data Integrity proofs: ``DataIntegrityProof`` with ``eddsa-rdfc-2022`` and ``eddsa-jcs-2022``.

Follows W3C "Data Integrity EdDSA Cryptosuites v1.0" (vc-di-eddsa) and "Verifiable
Credential Data Integrity 1.0" (proof sets and chains):

    hashData  = SHA-256(canonical proof configuration) || SHA-256(canonical document)
    proofValue = "z" + base58btc(Ed25519 signature over hashData)

where "canonical" is RDFC-1.0 N-Quads (eddsa-rdfc-2022, via ``jsonld.canonize``: offline
contexts, safe mode, and only published contexts and members that reach the signed
dataset, so that what verifies is all signed) or RFC 8785 JCS (eddsa-jcs-2022). The proof configuration is the
proof without ``proofValue``, with the document's ``@context``.

Public API:

    verify_proof(document, *, expected_purpose="assertionMethod", challenge=None,
                 domain=None, documents=None, bind_issuer=True, now=None) -> ResolvedKey
    verify_signature(document, proof, public_key) -> None
    sign(document, private_key, verification_method, *, cryptosuite="eddsa-rdfc-2022",
         purpose="assertionMethod", challenge=None, domain=None, created=None,
         expires=None, proof_id=None, previous_proof=None) -> dict
    transform(document, cryptosuite) -> bytes          # canonical document
    proof_configuration(options, document, cryptosuite) -> bytes
    hash_data(canonical_proof_config, canonical_document) -> bytes

Every failure is a ``CredentialFailure``; a challenge, domain or proof-purpose mismatch is
the subclass ``ProofOptionMismatch`` (``.field`` names which; reason WRONG_CHALLENGE,
WRONG_DOMAIN or WRONG_KEY), so presentation verification can say precisely what is wrong.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timezone
from typing import Any

import base58
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from . import jsonld
from .keys import DocumentLookup, ResolvedKey, did_of, resolve_method
from .verdict import CredentialFailure, Reason

__all__ = [
    "CRYPTOSUITES", "PROOF_TYPE", "ProofOptionMismatch", "hash_data", "proof_configuration",
    "proofs_of", "sign", "transform", "verify_proof", "verify_signature",
]

PROOF_TYPE = "DataIntegrityProof"
RDFC = "eddsa-rdfc-2022"
JCS = "eddsa-jcs-2022"
CRYPTOSUITES = (RDFC, JCS)

# Proof types and cryptosuites we recognise but do not verify, with a word on why.
_KNOWN_UNSUPPORTED_TYPES = {
    "Ed25519Signature2020": "the older Ed25519Signature2020 suite",
    "Ed25519Signature2018": "the older Ed25519Signature2018 suite",
    "JsonWebSignature2020": "JsonWebSignature2020",
    "EcdsaSecp256k1Signature2019": "EcdsaSecp256k1Signature2019",
    "BbsBlsSignature2020": "BbsBlsSignature2020",
}
_KNOWN_UNSUPPORTED_SUITES = {
    "eddsa-2022": "eddsa-2022, a draft name that eddsa-rdfc-2022 replaced",
    "ecdsa-rdfc-2019": "ECDSA (ecdsa-rdfc-2019)",
    "ecdsa-jcs-2019": "ECDSA (ecdsa-jcs-2019)",
    "ecdsa-sd-2023": "selective-disclosure ECDSA (ecdsa-sd-2023)",
    "bbs-2023": "BBS (bbs-2023)",
}
_SUPPORTED_WORDS = "this vault verifies DataIntegrityProof with eddsa-rdfc-2022 or eddsa-jcs-2022"

# XML Schema 1.1 dateTime (what `created` and `expires` must be).
_DATETIME = re.compile(r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")

BAD_SIGNATURE_MESSAGE = ("The signature does not match the content: the {what} was changed after "
                         "it was signed, or was signed with another key.")


# Reasons for a proof made for another verifier or purpose. verdict.Reason has
# WRONG_CHALLENGE / WRONG_DOMAIN (the interop manifest's "wrong-challenge" / "wrong-domain");
# the getattr keeps this module importable against a verdict.py without them.
_OPTION_REASONS = {
    "challenge": getattr(Reason, "WRONG_CHALLENGE", Reason.MALFORMED),
    "domain": getattr(Reason, "WRONG_DOMAIN", Reason.MALFORMED),
    "purpose": Reason.WRONG_KEY,          # "the key is not ... for this purpose"
}


class ProofOptionMismatch(CredentialFailure):
    """The proof is intact but made for another purpose, challenge or domain.

    ``field`` is "purpose", "challenge" or "domain"; ``reason`` is WRONG_KEY (purpose),
    WRONG_CHALLENGE or WRONG_DOMAIN.
    """

    def __init__(self, field: str, message: str):
        super().__init__(_OPTION_REASONS[field], message)
        self.field = field


# ---------------------------------------------------------------------------- helpers

def _noun(document: Any) -> str:
    types = document.get("type") if isinstance(document, dict) else None
    types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    return "presentation" if "VerifiablePresentation" in types else "credential"


def proofs_of(document: Any) -> list[dict]:
    """The proofs on ``document`` as a list (a proof set); NO_PROOF if there are none."""
    noun = _noun(document)
    if not isinstance(document, dict):
        raise CredentialFailure(Reason.MALFORMED, f"The {noun} is not a JSON object.")
    proof = document.get("proof")
    if proof is None or proof == [] or proof == {}:
        raise CredentialFailure(Reason.NO_PROOF, f"The {noun} has no proof: nothing signs it, "
                                "so nobody vouches for its content.")
    proofs = proof if isinstance(proof, list) else [proof]
    for item in proofs:
        if not isinstance(item, dict):
            raise CredentialFailure(Reason.MALFORMED, f"The {noun}'s proof is not a JSON object.")
    return proofs


def _issuer_of(document: dict) -> str | None:
    issuer = document.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) and issuer else None


def _check_datetime(proof: dict, name: str, noun: str) -> datetime | None:
    value = proof.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not _DATETIME.fullmatch(value):
        raise CredentialFailure(Reason.MALFORMED, f"The {noun}'s proof has a malformed {name!r} date "
                                f"({str(value)[:40]!r}); it must be an XML Schema dateTime.")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise CredentialFailure(Reason.MALFORMED, f"The {noun}'s proof has an impossible {name!r} "
                                f"date ({value[:40]!r}).") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _check_suite(proof: dict, noun: str) -> str:
    ptype = proof.get("type")
    if ptype != PROOF_TYPE:
        shown = ptype if isinstance(ptype, str) else "an unnamed proof type"
        what = _KNOWN_UNSUPPORTED_TYPES.get(ptype, shown) if isinstance(ptype, str) else shown
        raise CredentialFailure(Reason.UNSUPPORTED_CRYPTOSUITE,
                                f"The {noun} is signed with {str(what)[:80]}, which this vault does not "
                                f"verify; {_SUPPORTED_WORDS}.")
    suite = proof.get("cryptosuite")
    if suite not in CRYPTOSUITES:
        what = (_KNOWN_UNSUPPORTED_SUITES.get(suite, f"the cryptosuite {suite[:80]!r}")
                if isinstance(suite, str) else "no cryptosuite")
        raise CredentialFailure(Reason.UNSUPPORTED_CRYPTOSUITE,
                                f"The {noun}'s Data Integrity proof uses {what}, which this vault does not "
                                f"verify; {_SUPPORTED_WORDS}.")
    return suite


def _signature_bytes(proof: dict) -> bytes:
    value = proof.get("proofValue")
    damaged = CredentialFailure(Reason.BAD_SIGNATURE, "The proof value is damaged: it is not a "
                                "base58btc multibase Ed25519 signature of 64 bytes.")
    if not isinstance(value, str) or not value.startswith("z") or len(value) > 200:
        raise damaged
    try:
        raw = base58.b58decode(value[1:])
    except ValueError:
        raise damaged from None
    if len(raw) != 64:
        raise damaged
    return raw


def _jcs(value: Any, noun: str) -> bytes:
    try:
        return rfc8785.dumps(value)
    except Exception as exc:            # rfc8785 raises its own types (e.g. integer domain)
        raise CredentialFailure(Reason.MALFORMED, f"The {noun} cannot be canonicalized as JSON "
                                f"(RFC 8785): {str(exc)[:120]}") from None


# ---------------------------------------------------------------------------- algorithms

def transform(document: dict, cryptosuite: str) -> bytes:
    """The canonical form of the unsecured document (no ``proof``), UTF-8."""
    jsonld.check_bounds(document, f"The {_noun(document)}")
    return _transform(document, cryptosuite)


def _transform(document: dict, cryptosuite: str) -> bytes:
    noun = _noun(document)
    if cryptosuite == RDFC:
        # all_signed: RDFC signs the dataset, not the JSON; refuse members that do not reach
        # it, so that no display can show unsigned text as proven (see jsonld "All signed").
        return jsonld.canonize(document, what=f"The {noun}", checked=True, all_signed=True).encode("utf-8")
    if cryptosuite == JCS:
        jsonld.check_known_contexts(document)
        return _jcs(document, noun)
    raise CredentialFailure(Reason.UNSUPPORTED_CRYPTOSUITE, f"Unknown cryptosuite {cryptosuite!r}.")


def proof_configuration(options: dict, document: dict, cryptosuite: str) -> bytes:
    """The canonical proof configuration: ``options`` without ``proofValue``, with the
    document's ``@context`` (vc-di-eddsa §3.3.5 / §3.4.5)."""
    jsonld.check_bounds(options, "The proof")
    if not isinstance(document, dict):
        raise CredentialFailure(Reason.MALFORMED, "The document is not a JSON object.")
    return _proof_configuration(options, document, cryptosuite)


def _proof_configuration(options: dict, document: dict, cryptosuite: str) -> bytes:
    config = {k: v for k, v in options.items() if k != "proofValue"}
    if config.get("type") != PROOF_TYPE or config.get("cryptosuite") != cryptosuite:
        raise CredentialFailure(Reason.UNSUPPORTED_CRYPTOSUITE, "The proof options do not name "
                                f"{PROOF_TYPE} with {cryptosuite}.")
    _check_datetime(config, "created", _noun(document))
    if "@context" in document:
        config["@context"] = document["@context"]
    else:
        config.pop("@context", None)
    if cryptosuite == RDFC:
        return jsonld.canonize(config, what="The proof", checked=True, all_signed=True).encode("utf-8")
    return _jcs(config, "proof")


def hash_data(canonical_proof_config: bytes, canonical_document: bytes) -> bytes:
    """SHA-256(proof configuration) || SHA-256(document): the 64 bytes that are signed."""
    return hashlib.sha256(canonical_proof_config).digest() + hashlib.sha256(canonical_document).digest()


def _unsecured(document: dict, proof: dict, all_proofs: list[dict], noun: str) -> dict:
    """The document a proof signed: no proofs, except the ones it chains to (previousProof)."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    previous = proof.get("previousProof")
    if previous is not None:
        ids = [previous] if isinstance(previous, str) else previous
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise CredentialFailure(Reason.MALFORMED, f"The {noun}'s proof has a malformed previousProof.")
        matching = []
        for wanted in ids:
            found = next((p for p in all_proofs if p.get("id") == wanted), None)
            if found is None:
                raise CredentialFailure(Reason.MALFORMED, f"A proof of the {noun} chains to the proof "
                                        f"{wanted[:100]!r}, which the {noun} does not carry.")
            matching.append(found)
        unsecured["proof"] = matching
    if "@context" in proof:
        # vc-di-eddsa "Verify Proof" step 4: the document's @context must start with the
        # proof's, and the proof's is then the one used.
        proof_ctx, doc_ctx = proof["@context"], document.get("@context")
        proof_list = proof_ctx if isinstance(proof_ctx, list) else [proof_ctx]
        doc_list = doc_ctx if isinstance(doc_ctx, list) else [doc_ctx]
        if doc_list[:len(proof_list)] != proof_list:
            raise CredentialFailure(Reason.BAD_SIGNATURE, f"The proof's @context does not match the "
                                    f"{noun}'s: the {noun} was changed after it was signed.")
        unsecured["@context"] = proof_ctx
    return unsecured


def _check_signature(document: dict, proof: dict, all_proofs: list[dict], public_key: object,
                     suite: str, noun: str, signature: bytes) -> None:
    if not isinstance(public_key, Ed25519PublicKey):
        raise CredentialFailure(Reason.WRONG_KEY, f"The proof uses {suite}, which needs an Ed25519 key, "
                                f"but its verification method holds a {type(public_key).__name__}.")
    unsecured = _unsecured(document, proof, all_proofs, noun)
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    canonical_document = _transform(unsecured, suite)      # first: its errors name the document
    data = hash_data(_proof_configuration(options, unsecured, suite), canonical_document)
    try:
        public_key.verify(signature, data)
    except InvalidSignature:
        raise CredentialFailure(Reason.BAD_SIGNATURE, BAD_SIGNATURE_MESSAGE.format(what=noun)) from None


def verify_signature(document: dict, proof: dict, public_key: object) -> None:
    """Check only the cryptography of one ``proof`` of ``document`` with ``public_key``.

    No key resolution, purpose or issuer checks: for callers that already hold the key
    (and for tests). ``proof`` may be one of the document's proofs (a chained proof finds
    its previous proofs among them) or a detached one.
    """
    noun = _noun(document)
    jsonld.check_bounds(document, f"The {noun}")
    if not isinstance(proof, dict):
        raise CredentialFailure(Reason.MALFORMED, f"The {noun}'s proof is not a JSON object.")
    try:
        all_proofs = proofs_of(document)
    except CredentialFailure:
        all_proofs = [proof]
    suite = _check_suite(proof, noun)
    signature = _signature_bytes(proof)
    _guard(lambda: _check_signature(document, proof, all_proofs, public_key, suite, noun, signature), noun)


def _guard(fn, noun: str):
    try:
        return fn()
    except CredentialFailure:
        raise
    except RecursionError:
        raise CredentialFailure(Reason.MALFORMED, f"The {noun} is nested too deeply to verify.") from None
    except Exception as exc:   # never let hostile input escape as anything but a verdict
        raise CredentialFailure(Reason.MALFORMED, f"The {noun} could not be processed "
                                f"({type(exc).__name__}).") from None


def method_did(method: object) -> str | None:
    """The DID a proof's ``verificationMethod`` (a DID URL or an embedded method) belongs to."""
    if isinstance(method, dict):
        method = method.get("id")
    return did_of(method) if isinstance(method, str) and method.startswith("did:") else None


def _resolve(method: object, documents: DocumentLookup | None, noun: str) -> ResolvedKey:
    if isinstance(method, dict):        # an embedded verification method: look it up by id
        method = method.get("id")
    if not isinstance(method, str) or not method:
        raise CredentialFailure(Reason.UNKNOWN_KEY, f"The {noun}'s proof names no verification method.")
    try:
        return resolve_method(method, documents)
    except CredentialFailure as exc:
        if exc.reason is Reason.UNKNOWN_KEY:
            raise
        raise CredentialFailure(Reason.UNKNOWN_KEY, exc.message) from None
    except Exception as exc:
        raise CredentialFailure(Reason.UNKNOWN_KEY, f"The verification method {method[:100]!r} could "
                                f"not be resolved ({type(exc).__name__}).") from None


def _check_options(proof: dict, expected_purpose: str, challenge: str | None, domain: str | None,
                   noun: str) -> None:
    purpose = proof.get("proofPurpose")
    if purpose != expected_purpose:
        raise ProofOptionMismatch("purpose", f"The {noun}'s proof was made for {str(purpose)[:60]!r}, "
                                  f"not {expected_purpose!r}.")
    if challenge is not None and proof.get("challenge") != challenge:
        got = proof.get("challenge")
        raise ProofOptionMismatch("challenge", f"The {noun} answers the challenge {str(got)[:80]!r}, "
                                  f"not the one this verifier asked for ({challenge[:80]!r}): it may be "
                                  "a replay of an older presentation." if got is not None else
                                  f"The {noun}'s proof carries no challenge, but this verifier asked "
                                  f"for {challenge[:80]!r}.")
    if domain is not None:
        got = proof.get("domain")
        ok = got == domain or (isinstance(got, list) and domain in got)
        if not ok:
            raise ProofOptionMismatch("domain", f"The {noun} was made for the domain {str(got)[:80]!r}, "
                                      f"not {domain[:80]!r}." if got is not None else
                                      f"The {noun}'s proof names no domain, but this verifier expects "
                                      f"{domain[:80]!r}.")


def _verify_one(document: dict, proof: dict, all_proofs: list[dict], *, expected_purpose: str,
                challenge: str | None, domain: str | None, documents: DocumentLookup | None,
                now: datetime, noun: str) -> ResolvedKey:
    suite = _check_suite(proof, noun)
    signature = _signature_bytes(proof)                   # damaged value: fail before any work
    _check_options(proof, expected_purpose, challenge, domain, noun)
    _check_datetime(proof, "created", noun)
    expires = _check_datetime(proof, "expires", noun)
    if expires is not None and now > expires:
        raise CredentialFailure(Reason.EXPIRED, f"The {noun}'s proof expired on {proof['expires']}.")
    key = _resolve(proof.get("verificationMethod"), documents, noun)
    try:
        listed = key.has_relationship(expected_purpose)
    except Exception:
        listed = False
    if not listed:
        raise CredentialFailure(Reason.WRONG_KEY, f"The key {key.method_id[:120]} is not listed under "
                                f"{expected_purpose} in {str(key.controller)[:100]}'s DID document, so it may "
                                f"not sign {noun}s for that purpose.")
    _guard(lambda: _check_signature(document, proof, all_proofs, key.public_key, suite, noun, signature),
           noun)
    return key


def verify_proof(document: dict, *, expected_purpose: str = "assertionMethod",
                 challenge: str | None = None, domain: str | None = None,
                 documents: DocumentLookup | None = None, bind_issuer: bool = True,
                 now: datetime | None = None) -> ResolvedKey:
    """Verify the Data Integrity proof (or every proof of a proof set) on ``document``.

    Every proof must be a DataIntegrityProof we verify, made for ``expected_purpose``
    (and ``challenge`` / ``domain`` exactly, when given), by a key its controller lists
    under that purpose, and its signature must match. For ``assertionMethod`` with
    ``bind_issuer``, at least one proof must be by the issuer (``issuer`` or
    ``issuer.id``): its key is returned. Otherwise the first proof's key is returned and
    binding it (e.g. to a presentation's holder) is the caller's job.

    ``now`` (aware datetime, default: the current time) is used for a proof's ``expires``.
    Raises ``CredentialFailure`` (``ProofOptionMismatch`` for purpose/challenge/domain).
    """
    noun = _noun(document)
    if not isinstance(document, dict):
        raise CredentialFailure(Reason.MALFORMED, f"The {noun} is not a JSON object.")
    if challenge is not None and not isinstance(challenge, str):
        raise TypeError("challenge must be a string")
    if domain is not None and not isinstance(domain, str):
        raise TypeError("domain must be a string")
    jsonld.check_bounds(document, f"The {noun}")
    proofs = proofs_of(document)
    now = now or datetime.now(timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    bind = expected_purpose == "assertionMethod" and bind_issuer
    issuer = _issuer_of(document) if bind else None
    if issuer is not None and issuer.startswith("did:"):
        # A proof speaks for its verification method's DID, whatever a DID document says
        # about controllers: decided before any key is looked up (or any cache read).
        # (An https issuer or a non-DID key: UNKNOWN_KEY when resolving, as before.)
        signers = [method_did(p.get("verificationMethod")) for p in proofs]
        if None not in signers and issuer not in signers:
            _not_the_issuer(noun, issuer, signers)
    keys = [_verify_one(document, proof, proofs, expected_purpose=expected_purpose, challenge=challenge,
                        domain=domain, documents=documents, now=now, noun=noun) for proof in proofs]
    if not bind:
        return keys[0]
    if issuer is None:
        raise CredentialFailure(Reason.MALFORMED, f"The {noun} names no issuer, so its signature "
                                "cannot be tied to anyone.")
    for key in keys:
        if did_of(key.method_id) == issuer:
            return key
    _not_the_issuer(noun, issuer, [did_of(key.method_id) for key in keys])


def _not_the_issuer(noun: str, issuer: str, signers: list[str]):
    raise CredentialFailure(Reason.WRONG_KEY, f"The {noun} says it was issued by {issuer[:100]}, but it "
                            f"was signed with a key of {', '.join(s[:100] for s in sorted(set(signers)))}.")


# ---------------------------------------------------------------------------- signing

def _now_xsd() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def sign(document: dict, private_key: Ed25519PrivateKey, verification_method: str, *,
         cryptosuite: str = RDFC, purpose: str = "assertionMethod", challenge: str | None = None,
         domain: str | None = None, created: str | None = None, expires: str | None = None,
         proof_id: str | None = None, previous_proof: str | list[str] | None = None) -> dict:
    """A copy of ``document`` with a new DataIntegrityProof added.

    If the document already has proofs, the new one joins them as a proof set (it signs
    the document without them, unless ``previous_proof`` names some: a proof chain).
    ``created`` defaults to now (UTC, seconds). Raises CredentialFailure if the document
    cannot be canonicalized (e.g. an unknown context), ValueError for bad arguments.
    """
    if not isinstance(document, dict):
        raise ValueError("document must be a JSON object")
    if not isinstance(private_key, Ed25519PrivateKey):
        raise ValueError("the eddsa cryptosuites sign with an Ed25519 private key")
    if cryptosuite not in CRYPTOSUITES:
        raise ValueError(f"unsupported cryptosuite {cryptosuite!r}; use one of {CRYPTOSUITES}")
    if not isinstance(verification_method, str) or not verification_method:
        raise ValueError("verification_method must be a non-empty string")
    existing = []
    if document.get("proof") not in (None, [], {}):
        existing = proofs_of(document)
    options: dict[str, Any] = {"type": PROOF_TYPE, "cryptosuite": cryptosuite,
                               "created": created or _now_xsd(),
                               "verificationMethod": verification_method, "proofPurpose": purpose}
    if proof_id is not None:
        options["id"] = proof_id
    if expires is not None:
        options["expires"] = expires
    if challenge is not None:
        options["challenge"] = challenge
    if domain is not None:
        options["domain"] = domain
    if previous_proof is not None:
        options["previousProof"] = previous_proof
    if cryptosuite == JCS and "@context" in document:
        options["@context"] = document["@context"]
    noun = _noun(document)
    jsonld.check_bounds(document, f"The {noun}")
    unsecured = _unsecured(document, options, existing, noun)
    canonical_document = _transform(unsecured, cryptosuite)
    data = hash_data(_proof_configuration(options, unsecured, cryptosuite), canonical_document)
    proof = dict(options)
    proof["proofValue"] = "z" + base58.b58encode(private_key.sign(data)).decode("ascii")
    signed = dict(document)
    signed["proof"] = existing + [proof] if existing else proof
    return signed

