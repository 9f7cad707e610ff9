"""Interop for the suites beside eddsa-2022, both ways, with Digital Bazaar's libraries
(``@digitalbazaar/vc`` 7.3 with ``ecdsa-rdfc-2019-cryptosuite`` 1.3, ``ecdsa-jcs-2019-cryptosuite``
1.0 + ``ecdsa-multikey`` 1.8, ``ed25519-signature-2020`` 5.4 and ``ed25519-signature-2018`` 4.2; exact versions in
tests/node/package-lock.json): their verifier accepts what the vault signs (and refuses
it changed), and the vault accepts what their libraries sign (and refuses it changed).
Skips without node and the npm packages, except under CI=true, where it fails.
"""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from node import node_sign, node_verify_many, require_node
from vault.credentials import data_integrity as di
from vault.credentials.verdict import Reason
from vault.credentials.verify import VerificationContext, check
from vault.did import did_key, multikey

VC_V1, VC_V2 = "https://www.w3.org/2018/credentials/v1", "https://www.w3.org/ns/credentials/v2"
OB_303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
ED2020, ED2018 = ("https://w3id.org/security/suites/ed25519-2020/v1",
                  "https://w3id.org/security/suites/ed25519-2018/v1")
DCC = (Path(__file__).resolve().parents[1] / "fixtures" / "credentials" / "data-integrity" / "dcc-vc-test-fixtures"
       / "verifiableCredentials")
NOW = datetime(2026, 2, 1, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def _node_peer():
    require_node()


def _seed(label: str) -> bytes:
    return hashlib.sha256(f"blocktrack-vault/tests/peers/suites/{label}".encode()).digest()


def key_and_method(kind: str):
    if kind == "ed25519":
        key = Ed25519PrivateKey.from_private_bytes(_seed(kind))
        did = did_key.from_ed25519(key.public_key().public_bytes_raw())
    else:
        curve, codec = {"p256": (ec.SECP256R1(), "p256-pub"), "p384": (ec.SECP384R1(), "p384-pub")}[kind]
        key = ec.derive_private_key(int.from_bytes(_seed(kind), "big") % 2 ** 250, curve)
        point = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)
        did = "did:key:" + multikey.encode(codec, point)
    return key, did, f"{did}#{did_key.fingerprint(did)}"


def open_badge(issuer: str, contexts) -> dict:
    credential = {
        "@context": list(contexts),
        "id": "urn:uuid:3c1d2f7e-3b0c-4c55-9d1e-7f5a2b8c9e02",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Statistics I",
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Blocktrack Test Academy"},
        "credentialSubject": {"id": "did:example:learner", "type": ["AchievementSubject"],
                              "achievement": {"id": "https://academy.blocktrack.example/achievements/stats",
                                              "type": ["Achievement"], "name": "Statistics I",
                                              "criteria": {"narrative": "Passed the exam."}}},
    }
    if VC_V1 in contexts:
        credential["issuanceDate"] = "2025-01-01T00:00:00Z"
    else:
        credential["validFrom"] = "2025-01-01T00:00:00Z"
    return credential


# suite, key kind, contexts
OURS = [
    ("ecdsa-rdfc-2019", "p256", (VC_V2, OB_303)),
    ("ecdsa-rdfc-2019", "p384", (VC_V2, OB_303)),
    ("Ed25519Signature2020", "ed25519", (VC_V2, OB_303, ED2020)),
    ("Ed25519Signature2020", "ed25519", (VC_V1, OB_303, ED2020)),
    ("Ed25519Signature2018", "ed25519", (VC_V2, OB_303, ED2018)),
    ("ecdsa-jcs-2019", "p256", (VC_V2, OB_303)),
    ("ecdsa-jcs-2019", "p384", (VC_V2, OB_303)),
]


def ours(suite: str, kind: str, contexts) -> dict:
    key, did, method = key_and_method(kind)
    return di.sign(open_badge(did, contexts), key, method, cryptosuite=suite)


def _changed(credential: dict) -> dict:
    changed = copy.deepcopy(credential)
    changed["credentialSubject"]["achievement"]["name"] = "Statistics II"
    return changed


def test_digital_bazaar_verifies_what_we_sign_and_refuses_it_changed():
    signed = [ours(*case) for case in OURS]
    results = node_verify_many([{"kind": "credential", "document": d} for d in signed]
                               + [{"kind": "credential", "document": _changed(d)} for d in signed])
    for case, result in zip(OURS, results[:len(OURS)]):
        assert result["verified"], (case, result["errors"])
    for case, result in zip(OURS, results[len(OURS):]):
        assert not result["verified"], case


def test_digital_bazaar_verifies_our_dcc_style_proof_set():
    """eddsa-rdfc-2022 and Ed25519Signature2020 by the same key, as DCC's issuer signs."""
    key, did, method = key_and_method("ed25519")
    credential = open_badge(did, (VC_V2, OB_303, ED2020))
    both = di.sign(di.sign(credential, key, method, cryptosuite="Ed25519Signature2020"), key, method)
    assert sorted(di.verify_proofs(both).suites) == ["Ed25519Signature2020", "eddsa-rdfc-2022"]
    broken = copy.deepcopy(both)
    broken["proof"][0]["created"] = "2020-01-01T00:00:00Z"        # only the Ed25519Signature2020 proof
    result, refused = node_verify_many([{"kind": "credential", "document": both},
                                        {"kind": "credential", "document": broken}])
    assert result["verified"], result["errors"]
    # jsonld-signatures accepts a set when some proof verifies (ProofSet: results.some);
    # we require every proof we can check to verify: a failing one means tampering.
    assert refused["verified"] is True and refused["errors"] == []
    assert check(json.dumps(broken).encode(), VerificationContext(now=NOW)).verdict.reason is Reason.BAD_SIGNATURE


THEIRS = [
    ("Ed25519Signature2020", (VC_V2, OB_303, ED2020)),
    ("Ed25519Signature2020", (VC_V1, OB_303, ED2020)),
    ("Ed25519Signature2018", (VC_V1, OB_303)),
    ("Ed25519Signature2018", (VC_V2, OB_303, ED2018)),
    ("ecdsa-rdfc-2019-p256", (VC_V2, OB_303)),
    ("ecdsa-rdfc-2019-p384", (VC_V2, OB_303)),
]


@pytest.mark.parametrize("suite,contexts", THEIRS, ids=[f"{s}-{'v1' if VC_V1 in c else 'v2'}" for s, c in THEIRS])
def test_we_verify_what_digital_bazaar_signs(suite, contexts):
    signed = node_sign(suite, open_badge("did:example:replaced", contexts))
    verdict = check(json.dumps(signed).encode(), VerificationContext(now=NOW)).verdict
    assert verdict.valid and verdict.reason is Reason.VALID, verdict.message
    assert verdict.issuer == signed["issuer"]["id"]
    legacy = suite.startswith("Ed25519Signature")
    assert ("legacy-cryptosuite" in {w.code.value for w in verdict.warnings}) == legacy
    verdict = check(json.dumps(_changed(signed)).encode(), VerificationContext(now=NOW)).verdict
    assert verdict.reason is Reason.BAD_SIGNATURE
    forged = copy.deepcopy(signed)
    forged["issuer"]["id"] = key_and_method("ed25519")[1]           # claim another issuer
    assert check(json.dumps(forged).encode(), VerificationContext(now=NOW)).verdict.reason is Reason.WRONG_KEY


def test_digital_bazaar_agrees_with_us_on_dcc_did_key_credentials():
    """DCC's did:key test credentials without status: their verifier and ours agree
    (valid, expired, not yet valid, tampered)."""
    paths = [p for p in sorted(DCC.rglob("*.json")) if "didkey" in p.parent.name.lower()
             and "noStatus" in p.name]
    assert len(paths) > 20
    documents = [json.loads(p.read_bytes()) for p in paths]
    theirs = node_verify_many([{"kind": "credential", "document": d, "now": "2026-02-01T00:00:00Z"}
                               for d in documents])
    for path, document, result in zip(paths, documents, theirs):
        verdict = check(json.dumps(document).encode(), VerificationContext(now=NOW)).verdict
        assert verdict.reason in (Reason.VALID, Reason.EXPIRED, Reason.NOT_YET_VALID, Reason.BAD_SIGNATURE), \
            (path.name, verdict.message)         # BAD_SIGNATURE: the "-tampered" one
        assert result["verified"] == verdict.valid, (path.name, verdict.message, result["errors"])
        if verdict.reason is Reason.EXPIRED:
            assert any("validUntil" in e or "expired" in e for e in result["errors"]), result["errors"]


def with_blank_nodes(credential: dict) -> dict:
    """The badge with several blank nodes (the achievement without an id, two results):
    RDFC-1.0 then orders them by their hashes, so the hash that labels them shows."""
    out = copy.deepcopy(credential)
    subject = out["credentialSubject"]
    del subject["achievement"]["id"]
    subject["result"] = [{"type": ["Result"], "value": "A"}, {"type": ["Result"], "value": "B+"},
                         {"type": ["Result"], "value": "pass"}]
    return out


@pytest.mark.parametrize("kind", ["p256", "p384"])
def test_ecdsa_rdfc_with_blank_nodes_both_ways(kind):
    """ecdsa-rdfc-2019 labels blank nodes with the curve's hash (SHA-384 for P-384, as
    Digital Bazaar's suite and the W3C vector do): a P-384 badge with several blank nodes
    verifies both ways; SHA-256 labels, as before, failed Digital Bazaar's signatures."""
    key, did, method = key_and_method(kind)
    mine = di.sign(with_blank_nodes(open_badge(did, (VC_V2, OB_303))), key, method, cryptosuite="ecdsa-rdfc-2019")
    theirs = node_sign(f"ecdsa-rdfc-2019-{kind}", with_blank_nodes(open_badge("did:example:replaced",
                                                                               (VC_V2, OB_303))))
    result, refused = node_verify_many([{"kind": "credential", "document": mine},
                                        {"kind": "credential", "document": _changed(mine)}])
    assert result["verified"], result["errors"]
    assert not refused["verified"]
    verdict = check(json.dumps(theirs).encode(), VerificationContext(now=NOW)).verdict
    assert verdict.valid, verdict.message
    assert check(json.dumps(_changed(theirs)).encode(), VerificationContext(now=NOW)).verdict.reason \
        is Reason.BAD_SIGNATURE
    # The labelling is what differs: with these blank nodes, SHA-256 and SHA-384 labels give
    # two texts, so only the curve's hash can check their proof.
    unsecured = {k: v for k, v in theirs.items() if k != "proof"}
    assert di.transform(unsecured, "ecdsa-rdfc-2019", "sha384") != di.transform(unsecured, "ecdsa-rdfc-2019")
