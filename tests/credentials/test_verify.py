"""The top-level verifier: one verdict per input, status lists signed and cached for
offline use, issuers resolved from cached DID documents, and no crash on any input."""

import json
from datetime import datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vault.credentials import data_integrity, status
from vault.credentials.service import CredentialService, verification_context
from vault.credentials.verify import VerificationContext, check
from vault.did import did_key
from vault.net.fetch import NetworkUse

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
ISSUER = did_key.from_ed25519(KEY.public_key().public_bytes_raw())
METHOD = f"{ISSUER}#{ISSUER.split(':')[-1]}"
LIST_URL = "https://issuer.example/status/1"


def badge(index: int | None = None, **extra) -> dict:
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:7e1b3c36-0d2f-4a55-9d5e-2b1b1f0e9a01",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": ISSUER, "type": ["Profile"], "name": "Test College"},
        "validFrom": "2025-01-01T00:00:00Z",
        "name": "Data Analysis",
        "credentialSubject": {"type": ["AchievementSubject"], "id": "did:example:learner",
                              "achievement": {"id": "urn:uuid:a1", "type": ["Achievement"],
                                              "name": "Data Analysis",
                                              "criteria": {"narrative": "Pass the exam."}}},
    }
    if index is not None:
        credential["credentialStatus"] = {"id": f"{LIST_URL}#{index}", "type": "BitstringStatusListEntry",
                                          "statusPurpose": "revocation", "statusListIndex": str(index),
                                          "statusListCredential": LIST_URL}
    credential.update(extra)
    return credential


def signed(document: dict, suite: str = "eddsa-rdfc-2022", key=KEY, method=METHOD) -> bytes:
    return json.dumps(data_integrity.sign(document, key, method, cryptosuite=suite)).encode()


def status_list(revoked: set[int]) -> bytes:
    unsigned = status.status_list_credential(id=LIST_URL, issuer=ISSUER,
                                             encoded_list=status.encode_status_list(revoked))
    return signed(unsigned)


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_issued_badge_is_valid_with_unknown_issuer_warning(suite):
    verdict = check(signed(badge(), suite)).verdict
    assert verdict.valid and verdict.issuer == ISSUER
    assert [w.code.value for w in verdict.warnings] == ["unknown-issuer"]
    assert "Test College" in verdict.warnings[0].message


def test_validity_window():
    expired = check(signed(badge(validUntil="2020-01-01T00:00:00Z"))).verdict
    assert (expired.valid, expired.reason.value) == (False, "expired") and "2020-01-01" in expired.message
    future = check(signed(badge(validFrom="2199-01-01T00:00:00Z"))).verdict
    assert (future.valid, future.reason.value) == (False, "not-yet-valid")
    # the verifier's clock decides, not the machine's
    later = VerificationContext(now=datetime(2030, 1, 1, tzinfo=timezone.utc))
    assert check(signed(badge(validUntil="2029-12-31T00:00:00Z")), later).verdict.reason.value == "expired"


def test_revocation_through_a_signed_status_list():
    lists = {LIST_URL: status_list({7})}
    context = VerificationContext(fetch_status_list=lists.get)
    assert check(signed(badge(index=7)), context).verdict.reason.value == "revoked"
    assert check(signed(badge(index=8)), context).verdict.valid
    # A list whose bits were changed after signing cannot vouch for anything.
    forged = json.loads(lists[LIST_URL])
    forged["credentialSubject"]["encodedList"] = status.encode_status_list(set())
    tampered = VerificationContext(fetch_status_list={LIST_URL: json.dumps(forged).encode()}.get)
    assert check(signed(badge(index=7)), tampered).verdict.reason.value == "status-invalid"
    # Offline with no copy: valid, but it says the status could not be checked.
    offline = check(signed(badge(index=7)), VerificationContext()).verdict
    assert offline.valid and "status-unchecked" in [w.code.value for w in offline.warnings]


def test_status_lists_are_cached_when_online_and_used_offline(identity):
    fetched = []

    def network(url):
        fetched.append(url)
        return status_list({3})

    online = verification_context(store=identity.store, network=NetworkUse(), fetcher=network)
    assert check(signed(badge(index=3)), online).verdict.reason.value == "revoked"
    assert fetched == [LIST_URL]

    offline = verification_context(store=identity.store, fetcher=network)
    assert check(signed(badge(index=3)), offline).verdict.reason.value == "revoked"
    assert fetched == [LIST_URL]  # no network: the verified copy in the vault answered

    def forged_network(url):  # an unverifiable list is never cached over the good one
        doc = json.loads(status_list(set()))
        doc["credentialSubject"]["encodedList"] = status.encode_status_list({1})
        return json.dumps(doc).encode()

    bad_online = verification_context(store=identity.store, network=NetworkUse(), fetcher=forged_network)
    assert check(signed(badge(index=3)), bad_online).verdict.reason.value == "status-invalid"
    assert check(signed(badge(index=3)), offline).verdict.reason.value == "revoked"


def test_issuer_from_a_cached_did_document(identity):
    web_key = Ed25519PrivateKey.generate()
    from vault.did import multikey
    public = multikey.encode("ed25519-pub", web_key.public_key().public_bytes_raw())
    did = "did:web:college.example"
    document = {"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
                "id": did, "verificationMethod": [{"id": f"{did}#key-1", "type": "Multikey",
                                                   "controller": did, "publicKeyMultibase": public}],
                "assertionMethod": [f"{did}#key-1"]}
    data = signed(badge(issuer={"id": did, "type": ["Profile"], "name": "Web College"}),
                  key=web_key, method=f"{did}#key-1")
    service = CredentialService(identity.store)
    assert check(data).verdict.reason.value == "unknown-key"
    assert service.import_bytes(data).summary.status == "unverified"
    service.cache.put_did_document(did, document)
    summary, verdict = service.reverify(service.repository.search()[0].id)
    assert verdict.valid and summary.status == "valid"


def test_presentation_is_pointed_elsewhere():
    vp = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"]}
    verdict = check(json.dumps(vp).encode()).verdict
    assert verdict.reason.value == "unsupported-format" and "vault verify" in verdict.message


@pytest.mark.parametrize("data,reason", [
    (b"", "malformed"), (b"\x00\xff\xfe", "malformed"), (b"hello world", "malformed"),
    (b"[1, 2]", "malformed"), (b'{"a": 1}', "malformed"), (b"{not json", "malformed"),
    (b'{"@context": [], "type": "Thing"}', "unsupported-format"),
    (b"a.b.c", "malformed"), (b"a~b~", "malformed"),
    (json.dumps(badge()).encode(), "no-proof"),
])
def test_garbage_gets_a_reason(data, reason):
    verdict = check(data).verdict
    assert not verdict.valid and verdict.reason.value == reason, verdict.message


SIGNED = signed(badge())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(
    st.binary(max_size=300),
    st.integers(min_value=0, max_value=len(SIGNED)).map(lambda n: SIGNED[:n]),
    st.tuples(st.integers(0, len(SIGNED) - 1), st.integers(1, 255)).map(
        lambda t: SIGNED[:t[0]] + bytes([SIGNED[t[0]] ^ t[1]]) + SIGNED[t[0] + 1:]),
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                 lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4),
                 max_leaves=30).map(lambda v: json.dumps(v).encode()),
))
def test_any_input_gives_a_verdict_never_an_exception(data):
    verdict = check(data).verdict
    assert isinstance(verdict.valid, bool) and verdict.message
    if data != SIGNED:
        # a changed byte may still parse to the same JSON (whitespace), never to a forgery
        assert not verdict.valid or json.loads(data) == json.loads(SIGNED)
