"""Whatever an issuer's server answers (or a file given to `vault key cache` holds), reading
it ends in a document or a sentence: KeyDocuments gives a checked document or a
CredentialFailure, check_web_document an InvalidDid, issuer metadata a ValueError, and the
key chosen from it a CredentialFailure. Anything else would be a crash a person meets."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.credentials.web_issuer import ISSUER_KEY, did_document, jwks, key_method, profile
from tests.fuzz.test_outside_input import JSON, mutations, replace_somewhere
from vault.credentials.keys import check_web_document
from vault.credentials.verdict import CredentialFailure
from vault.credentials.webkeys.jwt_issuer import check_metadata, issuer_key
from vault.credentials.webkeys.lookup import KeyDocuments
from vault.errors import InvalidDid

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
URL = "https://college.example/issuers/1"
DID = "did:web:college.example"
ISS = "https://college.example"
PROFILE = profile(URL, [key_method(f"{URL}#key-1", URL)], references=["https://college.example/keys/2"])
METADATA = {"issuer": ISS, "jwks": jwks(ISSUER_KEY)}
SAMPLES = [json.dumps(d).encode() for d in (PROFILE, did_document(DID), METADATA)]


def _read(body: bytes) -> None:
    documents = KeyDocuments(None, lambda url: body)
    for call in (lambda: documents(DID), lambda: documents.web_document(URL), lambda: documents.issuer_metadata(ISS)):
        try:
            assert isinstance(call(), dict)
        except CredentialFailure as failure:
            assert failure.message


def test_the_samples_are_read():
    assert check_web_document(PROFILE, URL) == "controller"
    assert issuer_key(ISS, "k1", lambda url: METADATA)[1].endswith("#k1")


@FUZZ
@given(st.one_of(*(mutations(sample) for sample in SAMPLES)))
def test_any_answer_from_the_issuers_server_is_a_document_or_a_sentence(body):
    _read(body)


@FUZZ
@given(JSON, st.integers(0, 2**20))
def test_a_profile_with_any_member_replaced_is_checked_or_refused(value, seed):
    try:
        check_web_document(replace_somewhere(PROFILE, value, seed), URL)
    except InvalidDid as exc:
        assert str(exc)


@FUZZ
@given(JSON, st.integers(0, 2**20), st.one_of(st.none(), st.text(max_size=8)))
def test_metadata_with_any_member_replaced_gives_a_key_or_a_sentence(value, seed, kid):
    metadata = replace_somewhere(METADATA, value, seed)
    try:
        check_metadata(metadata, ISS)
    except ValueError as exc:
        assert str(exc)
    try:
        issuer_key(ISS, kid, lambda url: metadata)
    except CredentialFailure as failure:
        assert failure.message
