"""Fuzzing what issuing takes from outside: a recipient string (typed, pasted, scanned), a
CSV of recipients, and a VC-API issue or status request. Each gives its result or its
own error (InvalidDid, BatchError, a 400 answer), never a crash; nothing half-issued."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.test_outside_input import JSON, mutations, replace_somewhere
from vault.errors import BatchError, InvalidDid
from vault.issuing import batch
from vault.issuing.issuer import Issuer
from vault.issuing.recipients import recipient_did
from vault.serve.vc_api_issuer import IssuingService

FUZZ = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
SAMPLE_CSV = ("recipient,note,evidence_url,valid_from,valid_until\r\n"
              "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK,cohort 7,https://git.example/1,"
              "2026-01-01,2027-01-01\r\n0x70997970C51812dc3A010C7d01b50e0d17dc79C8,,,,\r\n").encode()
DID_LIKE = st.from_regex(r"did:[a-z0-9]{1,6}:[A-Za-z0-9._%:\-\u202e<>]{0,40}", fullmatch=True)


@FUZZ
@given(st.text(max_size=80) | DID_LIKE)
def test_any_recipient_text_is_a_did_or_refused(text):
    try:
        did = recipient_did(text)
    except InvalidDid as exc:
        assert str(exc)
        return
    assert did.startswith("did:") and did.isascii() and did.isprintable() and "<" not in did


@FUZZ
@given(mutations(SAMPLE_CSV))
def test_any_csv_is_rows_or_a_batch_error(data):
    try:
        rows = batch.read_rows(data)
    except BatchError as exc:
        assert str(exc)
        return
    assert rows and all(r.startswith("did:") for r, _ in rows)


@FUZZ
@given(JSON, st.integers(0, 2**18))
def test_any_issue_request_is_signed_or_refused(identity, value, seed):
    issuer = Issuer(identity)
    if not issuer.profiles.list():
        issuer.profiles.create("Fuzz School", url="https://fuzz.example")
    service = IssuingService(issuer, "Fuzz School")
    request = {"credential": {"@context": ["https://www.w3.org/ns/credentials/v2"],
                              "type": ["VerifiableCredential"], "credentialSubject": {"id": "did:example:1"}},
               "options": {}}
    before = len(issuer.log())
    status, answer = service.issue_body(replace_somewhere(request, value, seed))
    assert status in (201, 400), answer
    assert len(issuer.log()) == before + (status == 201)
    json.dumps(answer)
    status, answer = service.status_body(replace_somewhere(
        {"credentialId": "urn:uuid:x", "credentialStatus": [{"type": "BitstringStatusListCredential",
                                                             "status": "revoked"}]}, value, seed))
    assert status in (200, 400, 404), answer
