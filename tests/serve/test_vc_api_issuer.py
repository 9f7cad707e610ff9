"""The issuer side of the loopback VC-API: POST /credentials/issue and /credentials/status,
real server, real HTTP, a real vault.

Attacks: a request asking to sign in another issuer's name, or carrying its own proof or
status entry (400, nothing signed or logged); a status change for a credential of another
profile, or one never issued here (refused, nothing changed); a cross-site / rebinding
request (no JSON content type, a foreign Host) never reaches the issuer."""

import json
import threading

import pytest

from tests.serve.test_vc_api import post
from vault.credentials.service import CredentialService
from vault.credentials.verdict import Reason
from vault.errors import VaultError
from vault.issuing.issuer import Issuer
from vault.serve.vc_api import VcApiServer
from vault.serve.vc_api_issuer import IssuingService

V2 = "https://www.w3.org/ns/credentials/v2"
HOLDER = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"


@pytest.fixture
def issuer(identity):
    issuer = Issuer(identity)
    issuer.profiles.create("Code Club", url="https://codeclub.example")
    issuer.profiles.create("Other School", url="https://other.example")
    return issuer


@pytest.fixture
def server(issuer):
    server = VcApiServer(0, issuing=IssuingService(issuer, "Code Club"))
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def unsigned(**extra) -> dict:
    return {"@context": [V2], "type": ["VerifiableCredential"], "validFrom": "2025-01-01T00:00:00Z",
            "credentialSubject": {"id": HOLDER, "name": "Ada"}, **extra}


def test_issue_signs_as_the_profile_and_status_revokes_it(identity, issuer, server):
    profile = issuer.profiles.get("Code Club")
    status, answer = post(server, "/credentials/issue", {"credential": unsigned(), "options": {}})
    assert status == 201, answer
    credential = answer["verifiableCredential"]
    assert credential["issuer"] == profile.did and credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert {e["statusPurpose"] for e in credential["credentialStatus"]} == {"revocation", "suspension"}
    (logged,) = issuer.log()
    assert logged.id == credential["id"] and logged.recipient == HOLDER and logged.achievement_id is None
    data = json.dumps(credential).encode()
    service = CredentialService(identity.store)
    assert service.check(data).verdict.valid
    status, answer = post(server, "/credentials/verify", {"verifiableCredential": credential})
    assert status == 200 and answer["verified"]

    status, answer = post(server, "/credentials/issue", {"credential": unsigned(issuer=profile.did),
                                                         "options": {"cryptosuite": "eddsa-jcs-2022"}})
    assert status == 201 and answer["verifiableCredential"]["proof"]["cryptosuite"] == "eddsa-jcs-2022"

    update = {"credentialId": credential["id"],
              "credentialStatus": [{"type": "BitstringStatusListCredential", "status": "suspended"}]}
    status, answer = post(server, "/credentials/status", update)
    assert status == 200 and answer["status"] == "suspended"
    assert service.check(data).verdict.reason == Reason.SUSPENDED
    update["credentialStatus"] = [{"type": "BitstringStatusListCredential", "statusPurpose": "revocation",
                                   "status": True}]
    status, answer = post(server, "/credentials/status", update)
    assert status == 200 and answer["status"] == "revoked"
    assert service.check(data).verdict.reason == Reason.REVOKED


@pytest.mark.parametrize("credential, why", [
    (unsigned(issuer="did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"), "never signs in someone else"),
    (unsigned(issuer={"id": "did:web:harvard.edu", "name": "Harvard"}), "never signs in someone else"),
    (unsigned(proof={"type": "DataIntegrityProof"}), "already has a proof"),
    (unsigned(credentialStatus={"type": "BitstringStatusListEntry"}), "already has a credentialStatus"),
    ({**unsigned(), "@context": ["https://www.w3.org/2018/credentials/v1"]}, "VC 2.0"),
    ({k: v for k, v in unsigned().items() if k != "credentialSubject"}, "no credentialSubject"),
    (unsigned(**{"@context": [V2, "https://unknown.example/context.jsonld"]}), "cannot be signed"),
])
def test_issue_refuses_what_it_must_not_sign_and_logs_nothing(issuer, server, credential, why):
    status, answer = post(server, "/credentials/issue", {"credential": credential})
    assert status == 400 and why in answer["errors"][0]["detail"], answer
    assert issuer.log() == []


def test_status_changes_only_what_this_profile_issued(issuer, server):
    other = issuer.profiles.get("Other School")
    theirs = issuer.sign_credential(other.id, unsigned())
    update = {"credentialId": theirs.id,
              "credentialStatus": [{"type": "BitstringStatusListCredential", "status": "revoked"}]}
    before = issuer.lists.signed(other, "revocation")
    status, answer = post(server, "/credentials/status", update)
    assert status == 400 and "not 'Code Club'" in answer["errors"][0]["detail"]
    assert issuer.get(theirs.id).status == "active" and issuer.lists.signed(other, "revocation") == before
    status, answer = post(server, "/credentials/status", dict(update, credentialId="urn:uuid:never-issued"))
    assert status == 404
    status, answer = post(server, "/credentials/status", dict(update, credentialStatus=[{"status": "revoked"}]))
    assert status == 400


def test_the_loopback_guards_apply_to_issuing(issuer, server):
    body = {"credential": unsigned()}
    status, _ = post(server, "/credentials/issue", body, headers={"Content-Type": "text/plain"})
    assert status == 415
    status, _ = post(server, "/credentials/issue", body, headers={"Host": "evil.example"})
    assert status == 403
    assert issuer.log() == []
    verifier = VcApiServer(0)          # a verifier only: no issuing endpoints at all
    try:
        threading.Thread(target=verifier.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        status, _ = post(verifier, "/credentials/issue", body)
        assert status == 404
    finally:
        verifier.shutdown()
        verifier.server_close()


def test_the_sample_profile_never_issues_over_the_api(issuer):
    with pytest.raises(VaultError, match="sample"):
        IssuingService(issuer, issuer.profiles.sample().id)
