"""A presentation proves control of its holder's DID only with a key that DID's own
document lists (security issue 13, item 1): a key of another DID, or a cached did:web
document whose key claims the holder as controller, proves nothing."""

import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from vp_fixtures import CHALLENGE, DOMAIN, ISSUER, ISSUER_KEY, ISSUER_METHOD, NOW, STRANGER, STRANGER_KEY
from vault.credentials import data_integrity, jose, jwt_vc
from vault.credentials.service import CredentialService
from vault.credentials.verdict import Reason
from vault.did import multikey
from vault.presentations.service import PresentationService

STRANGER_VM = f"{STRANGER}#{STRANGER.split(':')[-1]}"
ATTACKER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(150, 182)))
EVIL = "did:web:evil.example"
EVIL_VM = f"{EVIL}#key-1"


def evil_document(controller: str) -> dict:
    method = {"id": EVIL_VM, "type": "Multikey", "controller": controller,
              "publicKeyMultibase": multikey.encode("ed25519-pub", ATTACKER_KEY.public_key().public_bytes_raw())}
    return {"id": EVIL, "verificationMethod": [method], "authentication": [EVIL_VM], "assertionMethod": [EVIL_VM]}


def di_vp(holder: str | None, key, method: str) -> str:
    document = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"]}
    if holder is not None:
        document["holder"] = holder
    return json.dumps(data_integrity.sign(document, key, method, purpose="authentication", challenge=CHALLENGE,
                                          domain=DOMAIN, created="2026-03-01T12:00:00Z"))


def jwt_vp(holder: str, key, kid: str) -> str:
    """A did-jwt-vc presentation whose iss (holder) and kid are chosen separately."""
    now = int(NOW.timestamp())
    payload = {"iss": holder, "aud": [DOMAIN], "nonce": CHALLENGE, "nbf": now, "iat": now, "exp": now + 600,
               "vp": {"@context": [jwt_vc.VC_V1_CONTEXT], "type": ["VerifiablePresentation"],
                      "verifiableCredential": []}}
    return jose.sign(payload, key, header={"typ": "JWT", "kid": kid})


@pytest.fixture
def verifier(identity):
    """The employer's vault: the Verify page calls exactly this service."""
    return PresentationService(identity, CredentialService(identity.store))


def store_raw(identity, did: str, document: dict) -> None:
    with identity.store.transaction() as conn:      # as a row from before the check, bypassing it
        conn.execute("INSERT INTO did_documents(did, document, updated_at) VALUES (?, ?, ?)",
                     (did, json.dumps(document), "2024-01-01T00:00:00+00:00"))


def verify(verifier, data):
    return verifier.verify(data, challenge=CHALLENGE, domain=DOMAIN, now=NOW)


@pytest.mark.parametrize("make", [di_vp, jwt_vp])
def test_holder_signed_by_another_did_is_wrong_key(verifier, make):
    assert verify(verifier, make(ISSUER, ISSUER_KEY, ISSUER_METHOD)).valid          # the genuine one
    verdict = verify(verifier, make(ISSUER, STRANGER_KEY, STRANGER_VM))
    assert not verdict.valid and verdict.reason is Reason.WRONG_KEY, verdict.message
    assert ISSUER in verdict.message and STRANGER in verdict.message


@pytest.mark.parametrize("make", [di_vp, jwt_vp])
def test_a_stored_document_claiming_the_holder_as_controller_proves_nothing(identity, verifier, make):
    store_raw(identity, EVIL, evil_document(controller=ISSUER))
    verdict = verify(verifier, make(ISSUER, ATTACKER_KEY, EVIL_VM))
    assert not verdict.valid, verdict.message
    assert verdict.reason in (Reason.WRONG_KEY, Reason.UNKNOWN_KEY), verdict.message
    assert EVIL in verdict.message
    assert verify(verifier, make(ISSUER, ISSUER_KEY, ISSUER_METHOD)).valid


def test_without_a_stated_holder_the_signer_is_the_methods_did(identity, verifier):
    store_raw(identity, EVIL, evil_document(controller=ISSUER))
    verdict = verify(verifier, di_vp(None, ATTACKER_KEY, EVIL_VM))
    assert not verdict.valid and verdict.reason is Reason.UNKNOWN_KEY
    assert f"names {ISSUER} as its controller" in verdict.message
    verifier.credentials.cache.put_did_document(EVIL, evil_document(controller=EVIL))   # a consistent one
    verdict = verify(verifier, di_vp(None, ATTACKER_KEY, EVIL_VM))
    assert verdict.valid and verdict.holder == EVIL


def test_a_proof_in_a_suite_we_do_not_verify_speaks_for_no_holder(verifier):
    """Proof sets skip proofs in unknown suites (with a warning). A stranger's genuine proof
    beside a junk one "by" the holder must not make the presentation the holder's."""
    document = json.loads(di_vp(ISSUER, STRANGER_KEY, STRANGER_VM))
    junk = {"type": "DataIntegrityProof", "cryptosuite": "bbs-2023", "proofPurpose": "authentication",
            "verificationMethod": ISSUER_METHOD, "challenge": CHALLENGE, "domain": DOMAIN, "proofValue": "u2V0"}
    document["proof"] = [junk, document["proof"]]
    verdict = verify(verifier, json.dumps(document))
    assert not verdict.valid and verdict.reason is Reason.WRONG_KEY, verdict.message
    assert STRANGER in verdict.message
