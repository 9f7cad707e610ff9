"""Linked-data proofs on credentials and presentations: proof sets, proof chains, keys,
purposes; the suites themselves are in ``suites/`` (eddsa-rdfc-2022, eddsa-jcs-2022,
ecdsa-rdfc-2019, ecdsa-jcs-2019, ecdsa-sd-2023, Ed25519Signature2020, Ed25519Signature2018,
JsonWebSignature2020).

Proof sets and chains (W3C "Verifiable Credential Data Integrity 1.0" §4.4-4.5, and
Digital Bazaar's jsonld-signatures ``ProofSet``): a document with several proofs is
valid when every proof of a suite we verify verifies, and at least one does. A proof in
a suite we do not know is not a failure but a warning that names it (jsonld-signatures
skips such proofs silently; a person should know that part of the document is
unchecked). Where jsonld-signatures accepts a set when *some* proof verifies, we require
every verifiable one to: a failing proof means that something was changed or forged.
A chained proof (``previousProof``) signs the document with the proofs it names; those
must be present (exactly one proof per id), the chain must not loop, and proofs are
checked in chain order, so that the first broken link is the one reported.

Public API:

    verify_proofs(document, *, expected_purpose="assertionMethod", challenge=None,
                  domain=None, documents=None, bind_issuer=True, now=None) -> ProofsResult
    verify_proof(...same...) -> ResolvedKey                 # verify_proofs(...).key
    verify_signature(document, proof, public_key) -> None
    sign(document, private_key, verification_method, *, cryptosuite="eddsa-rdfc-2022",
         purpose="assertionMethod", challenge=None, domain=None, created=None,
         expires=None, proof_id=None, previous_proof=None) -> dict
    transform(document, cryptosuite) -> bytes          # canonical document
    proof_configuration(options, document, cryptosuite) -> bytes
    hash_data(canonical_proof_config, canonical_document, algorithm="sha256") -> bytes

Every failure is a ``CredentialFailure``; a challenge, domain or proof-purpose mismatch is
the subclass ``ProofOptionMismatch`` (``.field`` names which; reason WRONG_CHALLENGE,
WRONG_DOMAIN or WRONG_KEY), so presentation verification can say precisely what is wrong.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from . import jsonld, suites
from .keys import DocumentLookup, ResolvedKey, did_of, resolve_method
from .suites.base import JCS as JCS_CANON
from .suites.base import (BAD_SIGNATURE_MESSAGE, canonical_config, canonical_document, check_datetime,
                          hash_data, noun as _noun)
from .verdict import CredentialFailure, Reason, Warning_, WarningCode

log = logging.getLogger(__name__)

__all__ = [
    "BAD_SIGNATURE_MESSAGE", "CRYPTOSUITES", "PROOF_TYPE", "ProofOptionMismatch", "ProofsResult",
    "SIGNING_SUITES", "hash_data", "method_did", "proof_configuration", "proofs_of", "sign", "transform",
    "verify_proof", "verify_proofs", "verify_signature",
]

PROOF_TYPE = "DataIntegrityProof"
RDFC = "eddsa-rdfc-2022"
JCS = "eddsa-jcs-2022"
CRYPTOSUITES = (RDFC, JCS)          # what the vault's Ed25519 holder keys sign presentations with
# Each proof costs a canonicalization of the whole document; genuine documents carry a
# few (DCC: 2, the W3C chain example: 4). The cap also bounds the chain walk's depth.
MAX_PROOFS = 16
SIGNING_SUITES = tuple(suite.name for suite in suites.SUITES)


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


@dataclass
class ProofsResult:
    """What verifying a document's proofs found."""
    key: ResolvedKey                     # the issuer's key (bound assertion), else the first proof's
    keys: list[ResolvedKey] = field(default_factory=list)     # every verified proof's, in chain order
    suites: list[str] = field(default_factory=list)           # their suites
    warnings: list[Warning_] = field(default_factory=list)    # unverified proofs, legacy suites


# ---------------------------------------------------------------------------- helpers

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
    if len(proofs) > MAX_PROOFS:
        raise CredentialFailure(Reason.MALFORMED, f"The {noun} carries {len(proofs)} proofs; this vault "
                                f"verifies at most {MAX_PROOFS}, and no genuine {noun} needs more.")
    for item in proofs:
        if not isinstance(item, dict):
            raise CredentialFailure(Reason.MALFORMED, f"The {noun}'s proof is not a JSON object.")
    return proofs


def _issuer_of(document: dict) -> str | None:
    issuer = document.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) and issuer else None


def _unsupported(proofs: list[dict], noun: str) -> CredentialFailure:
    named = sorted({suites.describe(p) for p in proofs})
    notes = sorted({n for n in map(suites.note, proofs) if n})
    return CredentialFailure(Reason.UNSUPPORTED_CRYPTOSUITE, f"The {noun} is signed with "
                             f"{' and '.join(n[:90] for n in named[:3])}, which this vault does not verify"
                             f"{''.join(': ' + n for n in notes)}; {suites.SUPPORTED_WORDS}.")


def _suite(proof: dict, noun: str) -> suites.Suite:
    suite = suites.suite_for(proof)
    if suite is None:
        raise _unsupported([proof], noun)
    return suite


def _previous_ids(proof: dict, noun: str) -> list[str]:
    previous = proof.get("previousProof")
    if previous is None:
        return []
    ids = [previous] if isinstance(previous, str) else previous
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        raise CredentialFailure(Reason.MALFORMED, f"The {noun}'s proof has a malformed previousProof.")
    return ids


def _proof_with_id(wanted: str, all_proofs: list[dict], noun: str) -> dict:
    found = [p for p in all_proofs if p.get("id") == wanted]
    if not found:
        raise CredentialFailure(Reason.MALFORMED, f"A proof of the {noun} chains to the proof "
                                f"{wanted[:100]!r}, which the {noun} does not carry.")
    if len(found) > 1:
        raise CredentialFailure(Reason.MALFORMED, f"The {noun} carries {len(found)} proofs with the id "
                                f"{wanted[:100]!r}, so the proof chain that names it is ambiguous.")
    return found[0]


def _unsecured(document: dict, proof: dict, all_proofs: list[dict], noun: str) -> dict:
    """The document a proof signed: no proofs, except the ones it chains to (previousProof)."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    ids = _previous_ids(proof, noun)
    if ids:
        unsecured["proof"] = [_proof_with_id(wanted, all_proofs, noun) for wanted in ids]
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


def _chain_order(chosen: list[dict], all_proofs: list[dict], noun: str) -> list[dict]:
    """``chosen`` with every proof after the chosen proofs it chains to; MALFORMED when a
    chain names a missing or ambiguous proof, or loops."""
    order: list[dict] = []
    done: set[int] = set()
    wanted = {id(p) for p in chosen}

    def visit(proof: dict, path: tuple[int, ...]) -> None:
        if id(proof) in done:
            return
        if id(proof) in path:
            raise CredentialFailure(Reason.MALFORMED, f"The proofs of the {noun} chain to each other in a "
                                    "loop (previousProof), which no genuine signing can produce.")
        for previous in _previous_ids(proof, noun):
            visit(_proof_with_id(previous, all_proofs, noun), path + (id(proof),))
        done.add(id(proof))
        if id(proof) in wanted:
            order.append(proof)

    for proof in chosen:
        visit(proof, ())
    return order


def _guard(fn, noun: str):
    try:
        return fn()
    except CredentialFailure:
        raise
    except RecursionError:
        raise CredentialFailure(Reason.MALFORMED, f"The {noun} is nested too deeply to verify.") from None
    except Exception as exc:   # never let hostile input escape as anything but a verdict
        log.debug("the %s could not be processed", noun, exc_info=True)
        raise CredentialFailure(Reason.MALFORMED, f"The {noun} could not be processed "
                                f"({type(exc).__name__}).") from None


# ---------------------------------------------------------------------------- algorithms

def transform(document: dict, cryptosuite: str, hash_name: str = "sha256") -> bytes:
    """The canonical form of the unsecured document (no ``proof``), UTF-8; ``hash_name``:
    the suite's hash (sha384 for ecdsa-rdfc-2019 with a P-384 key), which labels blank nodes."""
    jsonld.check_bounds(document, f"The {_noun(document)}")
    return canonical_document(document, _named(cryptosuite).canon, hash_name)


def _named(cryptosuite: str) -> suites.Suite:
    suite = suites.by_name(cryptosuite)
    if suite is None:
        raise CredentialFailure(Reason.UNSUPPORTED_CRYPTOSUITE, f"Unknown cryptosuite {cryptosuite!r}.")
    return suite


def proof_configuration(options: dict, document: dict, cryptosuite: str, hash_name: str = "sha256") -> bytes:
    """The canonical proof configuration: ``options`` without its signature, with the
    document's ``@context`` (vc-di-eddsa §3.3.5 / §3.4.5, vc-di-ecdsa §3.3.5)."""
    jsonld.check_bounds(options, "The proof")
    if not isinstance(document, dict):
        raise CredentialFailure(Reason.MALFORMED, "The document is not a JSON object.")
    suite = _named(cryptosuite)
    if not suite.matches(options):
        raise CredentialFailure(Reason.UNSUPPORTED_CRYPTOSUITE, f"The proof options do not name {suite.name}.")
    return canonical_config(suite.config(options), document, suite.canon, hash_name)


# ---------------------------------------------------------------------------- verifying

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
    suite = _suite(proof, noun)
    signature = suite.signature(proof)
    _guard(lambda: suite.verify(_unsecured(document, proof, all_proofs, noun), proof, signature, public_key,
                                noun), noun)


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
        if exc.reason in (Reason.UNKNOWN_KEY, Reason.WRONG_KEY):   # wrong: a key its controller never listed
            raise
        raise CredentialFailure(Reason.UNKNOWN_KEY, exc.message) from None
    except Exception as exc:
        log.debug("a verification method could not be resolved", exc_info=True)
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


def _verify_one(document: dict, proof: dict, suite: suites.Suite, all_proofs: list[dict], *,
                expected_purpose: str, challenge: str | None, domain: str | None,
                documents: DocumentLookup | None, now: datetime, noun: str) -> ResolvedKey:
    signature = suite.signature(proof)                    # damaged value: fail before any work
    _check_options(proof, expected_purpose, challenge, domain, noun)
    check_datetime(proof, "created", noun)
    expires = check_datetime(proof, "expires", noun)
    if expires is not None and now > expires:
        raise CredentialFailure(Reason.EXPIRED, f"The {noun}'s proof expired on {proof['expires']}.")
    key = _resolve(proof.get("verificationMethod"), documents, noun)
    try:
        listed = key.has_relationship(expected_purpose)
    except Exception:
        log.debug("a key's verification relationships could not be read", exc_info=True)
        listed = False
    if not listed:
        raise CredentialFailure(Reason.WRONG_KEY, f"The key {key.method_id[:120]} is not listed under "
                                f"{expected_purpose} in {str(key.controller)[:100]}'s DID document, so it may "
                                f"not sign {noun}s for that purpose.")
    _guard(lambda: suite.verify(_unsecured(document, proof, all_proofs, noun), proof, signature,
                                key.public_key, noun), noun)
    return key


def verify_proof(document: dict, **kwargs) -> ResolvedKey:
    """``verify_proofs(document, ...).key``: the issuer's key (see verify_proofs)."""
    return verify_proofs(document, **kwargs).key


def verify_proofs(document: dict, *, expected_purpose: str = "assertionMethod",
                  challenge: str | None = None, domain: str | None = None,
                  documents: DocumentLookup | None = None, bind_issuer: bool = True,
                  now: datetime | None = None) -> ProofsResult:
    """Verify the proof (or the proof set, or chain) on ``document``.

    Every proof in a suite we verify must be made for ``expected_purpose`` (and
    ``challenge`` / ``domain`` exactly, when given), by a key its controller lists under
    that purpose, and its signature must match; proofs in other suites become a warning,
    and if no proof is in a suite we verify, that is UNSUPPORTED_CRYPTOSUITE. For
    ``assertionMethod`` with ``bind_issuer``, at least one verified proof must be by the
    issuer (``issuer`` or ``issuer.id``): its key is ``key``. Otherwise ``key`` is the
    first verified proof's, and binding it (e.g. to a presentation's holder) is the
    caller's job.

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
    known = [(proof, suites.suite_for(proof)) for proof in proofs]
    unknown = [proof for proof, suite in known if suite is None]
    supported = [proof for proof, suite in known if suite is not None]
    if not supported:
        raise _unsupported(unknown, noun)
    bind = expected_purpose == "assertionMethod" and bind_issuer
    issuer = _issuer_of(document) if bind else None
    if issuer is not None and issuer.startswith("did:"):
        # A proof speaks for its verification method's DID, whatever a DID document says
        # about controllers: decided before any key is looked up (or any cache read).
        # (An https issuer or a non-DID key: UNKNOWN_KEY when resolving, as before.)
        signers = [method_did(p.get("verificationMethod")) for p in supported]
        if None not in signers and issuer not in signers:
            if issuer in {method_did(p.get("verificationMethod")) for p in unknown}:
                raise _unsupported([p for p in unknown if method_did(p.get("verificationMethod")) == issuer], noun)
            _not_the_issuer(noun, issuer, signers)
    ordered = _chain_order(supported, proofs, noun)
    suite_of = {id(proof): suite for proof, suite in known}   # found once per proof (above)
    result = ProofsResult(key=None)  # type: ignore[arg-type]   # set below
    for proof in ordered:
        suite = suite_of[id(proof)]
        result.keys.append(_verify_one(document, proof, suite, proofs, expected_purpose=expected_purpose,
                                       challenge=challenge, domain=domain, documents=documents, now=now,
                                       noun=noun))
        result.suites.append(suite.name)
    result.warnings = _warnings(unknown, [suite_of[id(p)] for p in ordered], noun)
    if not bind:
        result.key = result.keys[0]
        return result
    if issuer is None:
        raise CredentialFailure(Reason.MALFORMED, f"The {noun} names no issuer, so its signature "
                                "cannot be tied to anyone.")
    # The controller, not the method id's prefix: an https key published on its own is
    # controlled by the issuer profile that lists it (for a DID, the two are the same).
    result.key = next((key for key in result.keys if key.controller == issuer), None)
    if result.key is None:
        _not_the_issuer(noun, issuer, [key.controller for key in result.keys])
    return result


def _warnings(unknown: list[dict], verified: list[suites.Suite], noun: str) -> list[Warning_]:
    warnings = []
    if unknown:
        named = sorted({suites.describe(p)[:90] for p in unknown})
        warnings.append(Warning_(WarningCode.UNVERIFIED_PROOF, f"The {noun} also carries "
                                 f"{'a proof' if len(unknown) == 1 else f'{len(unknown)} proofs'} in "
                                 f"{' and '.join(named[:3])}, which this vault does not verify; its other "
                                 "proofs verify."))
    if all(suite.legacy for suite in verified):
        names = sorted({suite.name for suite in verified})
        warnings.append(Warning_(WarningCode.LEGACY_CRYPTOSUITE, f"The {noun} is signed with "
                                 f"{' and '.join(names)}, an older suite that the W3C Data Integrity "
                                 "cryptosuites (eddsa-rdfc-2022, ecdsa-rdfc-2019) replaced. The signature "
                                 "checks out."))
    return warnings


def _not_the_issuer(noun: str, issuer: str, signers: list[str]):
    raise CredentialFailure(Reason.WRONG_KEY, f"The {noun} says it was issued by {issuer[:100]}, but it "
                            f"was signed with a key of {', '.join(s[:100] for s in sorted(set(signers)))}.")


# ---------------------------------------------------------------------------- signing

def _now_xsd() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def sign(document: dict, private_key: object, verification_method: str, *,
         cryptosuite: str = RDFC, purpose: str = "assertionMethod", challenge: str | None = None,
         domain: str | None = None, created: str | None = None, expires: str | None = None,
         proof_id: str | None = None, previous_proof: str | list[str] | None = None) -> dict:
    """A copy of ``document`` with a new proof added.

    ``cryptosuite`` is one of ``SIGNING_SUITES``: a Data Integrity cryptosuite (eddsa-*
    with an Ed25519 key, ecdsa-* with a P-256 or P-384 key) or an older suite's proof
    type (its context must be in the document's @context). If the document already has
    proofs, the new one joins them as a proof set (it signs the document without them,
    unless ``previous_proof`` names some: a proof chain). ``created`` defaults to now
    (UTC, seconds). Raises CredentialFailure if the document cannot be canonicalized
    (e.g. an unknown context), ValueError for bad arguments (e.g. the wrong kind of key).
    """
    if not isinstance(document, dict):
        raise ValueError("document must be a JSON object")
    suite = suites.by_name(cryptosuite) if isinstance(cryptosuite, str) else None
    if suite is None:
        raise ValueError(f"unsupported cryptosuite {cryptosuite!r}; use one of {SIGNING_SUITES}")
    if not isinstance(verification_method, str) or not verification_method:
        raise ValueError("verification_method must be a non-empty string")
    existing = []
    if document.get("proof") not in (None, [], {}):
        existing = proofs_of(document)
    options: dict[str, Any] = {"type": suite.proof_type}
    if suite.cryptosuite:
        options["cryptosuite"] = suite.cryptosuite
    options.update({"created": created or _now_xsd(), "verificationMethod": verification_method,
                    "proofPurpose": purpose})
    for name, value in (("id", proof_id), ("expires", expires), ("challenge", challenge), ("domain", domain),
                        ("previousProof", previous_proof)):
        if value is not None:
            options[name] = value
    if suite.canon == JCS_CANON and "@context" in document:
        options["@context"] = document["@context"]
    noun = _noun(document)
    jsonld.check_bounds(document, f"The {noun}")
    proof = suite.sign(_unsecured(document, options, existing, noun), options, private_key)
    signed = dict(document)
    signed["proof"] = existing + [proof] if existing else proof
    return signed
