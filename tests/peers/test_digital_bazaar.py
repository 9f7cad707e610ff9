"""Interop with an independent implementation: Digital Bazaar's ``@digitalbazaar/vc`` 7.3
(Data Integrity eddsa-rdfc-2022 / eddsa-jcs-2022) and ``did-jwt-vc`` 4.0 (VC-JWT), run
in Node by ``tests/node/verify.mjs``, verify what the vault signs.

The Node packages come from ``npm ci --prefix tests/node --no-audit --no-fund``. Without
them (or without node) these tests skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from node import node_bench, node_verify, node_verify_many, require_node
from vault.credentials import data_integrity, jwt_vc
from vault.did import did_key, multikey

INTEROP = Path(__file__).resolve().parents[1] / "fixtures" / "interop"
RDFC, JCS = "eddsa-rdfc-2022", "eddsa-jcs-2022"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
OB_303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_300 = "https://purl.imsglobal.org/spec/ob/v3p0/context.json"
CHALLENGE, DOMAIN = "c-123", "employer.example"


@pytest.fixture(autouse=True)
def _node_peer():
    require_node()


# --- keys ------------------------------------------------------------------------------

def _seed(label: str) -> bytes:
    return hashlib.sha256(f"blocktrack-vault/tests/peers/{label}".encode()).digest()


def ed25519(label: str) -> tuple[Ed25519PrivateKey, str, str]:
    """(private key, did:key, verification method id), deterministic per label."""
    key = Ed25519PrivateKey.from_private_bytes(_seed(label))
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    did = did_key.from_ed25519(raw)
    return key, did, f"{did}#{did_key.fingerprint(did)}"


def secp256k1(label: str) -> tuple[ec.EllipticCurvePrivateKey, str, str]:
    key = ec.derive_private_key(int.from_bytes(_seed(label), "big"), ec.SECP256K1())
    point = key.public_key().public_bytes(serialization.Encoding.X962,
                                          serialization.PublicFormat.CompressedPoint)
    did = "did:key:" + multikey.encode("secp256k1-pub", point)
    return key, did, f"{did}#{did_key.fingerprint(did)}"


ISSUER = ed25519("issuer")
HOLDER = ed25519("holder")
STRANGER = ed25519("stranger")


def open_badge(issuer_did: str, subject_did: str, *, contexts=(VC_V2, OB_303)) -> dict:
    """An unsigned Open Badges 3.0 credential (VC 2.0 unless contexts say otherwise)."""
    credential = {
        "@context": list(contexts),
        "id": "urn:uuid:6a1d2f7e-3b0c-4c55-9d1e-7f5a2b8c9e01",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Data Structures and Algorithms",
        "issuer": {"id": issuer_did, "type": ["Profile"], "name": "Blocktrack Test Academy",
                   "url": "https://academy.blocktrack.example"},
        "credentialSubject": {
            "id": subject_did,
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://academy.blocktrack.example/achievements/dsa",
                "type": ["Achievement"],
                "name": "Data Structures and Algorithms",
                "description": "Lists, trees, graphs, sorting and complexity, with weekly labs.",
                "criteria": {"narrative": "Passed the final exam and all eight labs."},
                "achievementType": "Course",
            },
        },
    }
    if VC_V2 in contexts:
        credential["validFrom"] = "2025-03-01T00:00:00Z"
    else:
        credential["issuanceDate"] = "2025-03-01T00:00:00Z"
    return credential


def our_credential(cryptosuite: str) -> dict:
    key, did, method = ISSUER
    return data_integrity.sign(open_badge(did, HOLDER[1]), key, method, cryptosuite=cryptosuite)


def our_presentation(credentials: list[dict], *, cryptosuite: str = RDFC, challenge: str = CHALLENGE,
                     domain: str = DOMAIN) -> dict:
    key, did, method = HOLDER
    vp = {"@context": [VC_V2], "type": ["VerifiablePresentation"], "holder": did,
          "verifiableCredential": credentials}
    return data_integrity.sign(vp, key, method, cryptosuite=cryptosuite, purpose="authentication",
                               challenge=challenge, domain=domain)


def assert_verified(result: dict) -> None:
    assert result["verified"] is True, f"Digital Bazaar's verifier refused it: {result['errors']}"
    assert result["errors"] == []


def assert_refused(result: dict) -> None:
    assert result["verified"] is False
    assert result["errors"], "a refusal should say why"


# --- (1) sanity: DB's library gives the interop fixtures their verdicts -------------------

MANIFEST = json.loads((INTEROP / "manifest.json").read_text(encoding="utf-8"))
FIXTURES = [entry for entry in MANIFEST["files"] if entry["format"] in ("di-vc", "di-vp", "jwt-vc")]


def _fixture_request(entry: dict) -> dict:
    text = (INTEROP / entry["file"]).read_text(encoding="utf-8")
    if entry["format"] == "jwt-vc":
        return {"kind": "jwt-credential", "document": text.strip()}
    request = {"kind": entry["kind"], "document": json.loads(text)}
    if entry["kind"] == "presentation":
        request.update(challenge=entry["challenge"], domain=entry["domain"])
    return request


@pytest.fixture(scope="module")
def fixture_verdicts() -> dict[str, dict]:
    require_node()
    results = node_verify_many(_fixture_request(entry) for entry in FIXTURES)
    return {entry["file"]: result for entry, result in zip(FIXTURES, results)}


def test_the_fixtures_this_suite_relies_on_are_in_the_manifest():
    files = {entry["file"] for entry in FIXTURES}
    assert {"di-eddsa-rdfc-2022/valid-01-open-badge.json", "di-eddsa-jcs-2022/valid-01-open-badge.json",
            "di-eddsa-rdfc-2022/invalid-01-tampered-achievement-name.json",
            "di-eddsa-jcs-2022/invalid-01-tampered-achievement-name.json",
            "di-vp/valid-01-one-credential.json", "jwt-vc/valid-01-eddsa.jwt"} <= files


@pytest.mark.parametrize("entry", FIXTURES, ids=[entry["file"] for entry in FIXTURES])
def test_digital_bazaar_gives_each_interop_fixture_its_expected_verdict(entry, fixture_verdicts):
    result = fixture_verdicts[entry["file"]]
    if entry["expected"] == "valid":
        assert_verified(result)
    else:
        assert_refused(result)
        # the same words the producing library reported when the fixture was made
        assert result["errors"] == entry["library_verify"]["errors"]


def test_the_fixture_presentation_uses_the_verifiers_challenge_and_domain():
    entry = next(e for e in FIXTURES if e["file"] == "di-vp/valid-01-one-credential.json")
    assert (entry["challenge"], entry["domain"]) == ("public-challenge-1", "verifier.example")
    request = _fixture_request(entry)
    wrong = node_verify_many([
        {**request, "challenge": "another-challenge"},
        {**request, "domain": "elsewhere.example"},
    ])
    for result in wrong:
        assert_refused(result)
        assert result["credentials_verified"] == [True]   # only the presentation proof fails


# --- (2) what WE sign: Data Integrity credentials and presentations -----------------------

@pytest.mark.parametrize("cryptosuite", [RDFC, JCS])
def test_digital_bazaar_verifies_a_credential_we_signed(cryptosuite):
    credential = our_credential(cryptosuite)
    assert credential["proof"]["cryptosuite"] == cryptosuite
    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["achievement"]["name"] = "Advanced Data Structures"
    stranger_signed = data_integrity.sign(open_badge(ISSUER[1], HOLDER[1]), STRANGER[0], STRANGER[2],
                                          cryptosuite=cryptosuite)
    ok, changed, wrong_key = node_verify_many([
        {"kind": "credential", "document": credential},
        {"kind": "credential", "document": tampered},
        {"kind": "credential", "document": stranger_signed},
    ])
    assert_verified(ok)
    assert_refused(changed)
    assert changed["errors"] == ["Invalid signature."]
    assert_refused(wrong_key)   # signed by a key that is not the issuer's


def test_digital_bazaar_verifies_a_plain_vc2_credential_we_signed_with_both_suites_as_a_proof_set():
    key, did, method = ISSUER
    credential = {"@context": [VC_V2], "type": ["VerifiableCredential"], "issuer": did,
                  "validFrom": "2025-03-01T00:00:00Z",
                  "credentialSubject": {"id": HOLDER[1]}}
    signed = data_integrity.sign(credential, key, method, cryptosuite=RDFC)
    signed = data_integrity.sign(signed, key, method, cryptosuite=JCS)
    assert [proof["cryptosuite"] for proof in signed["proof"]] == [RDFC, JCS]
    assert_verified(node_verify("credential", signed))


@pytest.mark.parametrize("vp_suite", [RDFC, JCS])
def test_digital_bazaar_verifies_a_presentation_we_signed(vp_suite):
    vp = our_presentation([our_credential(RDFC), our_credential(JCS)], cryptosuite=vp_suite)
    assert vp["proof"]["proofPurpose"] == "authentication"
    results = node_verify_many([
        {"kind": "presentation", "document": vp, "challenge": CHALLENGE, "domain": DOMAIN},
        {"kind": "presentation", "document": vp, "challenge": "c-456", "domain": DOMAIN},
        {"kind": "presentation", "document": vp, "challenge": CHALLENGE, "domain": "other.example"},
    ])
    right, wrong_challenge, wrong_domain = results
    assert_verified(right)
    assert right["presentation_verified"] is True
    assert right["credentials_verified"] == [True, True]
    for result in (wrong_challenge, wrong_domain):
        assert_refused(result)
        assert result["presentation_verified"] is False
        assert result["credentials_verified"] == [True, True]
    assert any("challenge" in error for error in wrong_challenge["errors"]), wrong_challenge["errors"]
    assert any("domain" in error for error in wrong_domain["errors"]), wrong_domain["errors"]


def test_digital_bazaar_refuses_our_presentation_when_an_embedded_credential_was_changed():
    credential = our_credential(RDFC)
    credential["credentialSubject"]["achievement"]["name"] = "Advanced Data Structures"
    vp = our_presentation([credential])   # the holder signs over the changed credential
    result = node_verify("presentation", vp, challenge=CHALLENGE, domain=DOMAIN)
    assert_refused(result)
    assert result["presentation_verified"] is True
    assert result["credentials_verified"] == [False]


def test_digital_bazaar_refuses_a_presentation_signed_by_someone_other_than_the_holder():
    key, _, method = STRANGER
    vp = {"@context": [VC_V2], "type": ["VerifiablePresentation"], "holder": HOLDER[1],
          "verifiableCredential": [our_credential(RDFC)]}
    vp = data_integrity.sign(vp, key, method, purpose="authentication", challenge=CHALLENGE,
                             domain=DOMAIN)
    result = node_verify("presentation", vp, challenge=CHALLENGE, domain=DOMAIN)
    assert_refused(result)
    assert result["presentation_verified"] is False
    assert result["credentials_verified"] == [True]


def test_bench_mode_times_the_peer_verifying_our_credential():
    """`verify.mjs --bench N` (for the peer benchmark): N verifications in one process."""
    result = node_bench("credential", our_credential(RDFC), runs=3)
    assert result["runs"] == 3 and result["verified"] is True
    assert 0 < result["min_ms"] <= result["median_ms"] <= result["max_ms"]


# --- (3) VC-JWT: did-jwt-vc verifies what we sign -----------------------------------------

def jwt_credential(issuer_did: str, subject_did: str = HOLDER[1]) -> dict:
    credential = open_badge(issuer_did, subject_did, contexts=(VC_V1, OB_300))
    credential["expirationDate"] = "2099-01-01T00:00:00Z"
    return credential


@pytest.mark.parametrize("issuer", [ISSUER, secp256k1("jwt-issuer")], ids=["EdDSA", "ES256K"])
def test_did_jwt_vc_verifies_a_vc_jwt_we_signed(issuer):
    key, did, kid = issuer
    token = jwt_vc.sign_jwt_vc(jwt_credential(did), key, kid=kid)
    header, payload, signature = token.split(".")
    forged = jwt_vc.sign_jwt_vc({**jwt_credential(did), "name": "Forged"}, key, kid=kid).split(".")[1]
    stranger = jwt_vc.sign_jwt_vc(jwt_credential(did), STRANGER[0], kid=kid)
    ok, swapped, wrong_key = node_verify_many([
        {"kind": "jwt-credential", "document": token},
        {"kind": "jwt-credential", "document": f"{header}.{forged}.{signature}"},
        {"kind": "jwt-credential", "document": stranger},
    ])
    assert_verified(ok)
    assert_refused(swapped)
    assert_refused(wrong_key)
    assert any("invalid_signature" in error for error in swapped["errors"] + wrong_key["errors"])


def test_did_jwt_vc_verifies_a_jwt_presentation_we_signed():
    key, did, kid = ISSUER
    credential = jwt_vc.sign_jwt_vc(jwt_credential(did), key, kid=kid)
    holder_key, _, holder_kid = HOLDER
    vp = jwt_vc.sign_jwt_vp([credential], holder_key, kid=holder_kid, audience=DOMAIN, nonce=CHALLENGE)
    right, wrong_nonce, wrong_audience = node_verify_many([
        {"kind": "jwt-presentation", "document": vp, "challenge": CHALLENGE, "domain": DOMAIN},
        {"kind": "jwt-presentation", "document": vp, "challenge": "c-456", "domain": DOMAIN},
        {"kind": "jwt-presentation", "document": vp, "challenge": CHALLENGE, "domain": "other.example"},
    ])
    assert_verified(right)
    assert_refused(wrong_nonce)
    assert_refused(wrong_audience)


# --- (4) the vault's presentation builder (vault.presentations.build) ---------------------

def test_presentations_the_vault_builds_verify_in_the_peer_libraries(identity):
    """What `vault.presentations.build.build` makes from stored credentials: a Data Integrity
    VP (both cryptosuites) for Digital Bazaar's vc, a JWT VP for did-jwt-vc."""
    builder = pytest.importorskip("vault.presentations.build")
    from vault.credentials.service import CredentialService

    holder = identity.default_did().did
    key, did, method = ISSUER
    service = CredentialService(identity.store)
    di_vc = data_integrity.sign(open_badge(did, holder), key, method, cryptosuite=JCS)
    di_id = service.import_bytes(json.dumps(di_vc).encode()).summary.id
    jwt_id = service.import_bytes(jwt_vc.sign_jwt_vc(jwt_credential(did, holder), key, kid=method)
                                  .encode()).summary.id

    made = [builder.build(identity, service.repository, [di_id], challenge=CHALLENGE, domain=DOMAIN,
                          cryptosuite=suite) for suite in (RDFC, JCS)]
    made.append(builder.build(identity, service.repository, [jwt_id], challenge=CHALLENGE, domain=DOMAIN,
                              fmt="jwt"))
    assert [p.holder for p in made] == [holder] * 3
    di_rdfc, di_jcs, jwt_vp = made
    results = node_verify_many([
        {"kind": "presentation", "document": json.loads(di_rdfc.payload), "challenge": CHALLENGE,
         "domain": DOMAIN},
        {"kind": "presentation", "document": json.loads(di_jcs.payload), "challenge": CHALLENGE,
         "domain": DOMAIN},
        {"kind": "jwt-presentation", "document": jwt_vp.payload, "challenge": CHALLENGE, "domain": DOMAIN},
        {"kind": "presentation", "document": json.loads(di_rdfc.payload), "challenge": "c-456",
         "domain": DOMAIN},
        {"kind": "jwt-presentation", "document": jwt_vp.payload, "challenge": "c-456", "domain": DOMAIN},
    ])
    for result in results[:3]:
        assert_verified(result)
    for result in results[3:]:
        assert_refused(result)
