"""The VCDM 2.0 (and 1.1) MUSTs: every crafted credential below is signed for real, so
its refusal comes from the data-model check (after the signature verified), and names
the property; enveloped credentials: the envelope's own rules and the media type."""

import copy
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from vault.credentials import data_integrity, jwt_vc, vcdm
from vault.credentials.verdict import CredentialFailure, Reason
from vault.credentials.verify import check
from vault.did import did_key

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(7, 39)))
ISSUER = did_key.from_ed25519(KEY.public_key().public_bytes_raw())
METHOD = f"{ISSUER}#{ISSUER.split(':')[-1]}"
V2, V1 = vcdm.V2, vcdm.V1
EXAMPLES = "https://www.w3.org/ns/credentials/examples/v2"


def credential(**changes) -> dict:
    document = {"@context": [V2, EXAMPLES], "id": "urn:uuid:0f4f1c5e-6b3a-4f0e-9d55-0d3c2f8f6a11",
                "type": ["VerifiableCredential", "ExampleDegreeCredential"], "issuer": ISSUER,
                "validFrom": "2025-01-01T00:00:00Z",
                "credentialSubject": {"id": "did:example:learner", "degree": "BSc"}}
    for name, value in changes.items():
        name = name.replace("__", "@") if name == "__context" else name
        if value is ...:
            document.pop(name, None)
        else:
            document[name] = value
    return document


def jcs(document: dict) -> bytes:
    """eddsa-jcs-2022 signs the JSON itself, so any shape can be signed."""
    return json.dumps(data_integrity.sign(document, KEY, METHOD, cryptosuite="eddsa-jcs-2022")).encode()


def verdict_of(document: dict):
    return check(jcs(document)).verdict


def test_a_conforming_credential_verifies():
    verdict = verdict_of(credential())
    assert verdict.valid, verdict.message


# (what changes, the words the refusal must carry): each a MUST of VCDM 2.0 §4.
MALFORMED = [
    ({"__context": ...}, "@context is missing"),
    ({"__context": []}, "@context is empty"),
    ({"__context": [EXAMPLES, V2]}, "must start with https://www.w3.org/ns/credentials/v2"),
    ({"__context": [V2, 42]}, "@context holds 42"),
    ({"__context": [V2, "https ://not-a-url/context"]}, "is not a URL"),
    ({"type": ...}, "type is missing"),
    ({"type": ["ExampleDegreeCredential"]}, "does not include VerifiableCredential"),
    ({"type": ["VerifiableCredential", 7]}, "type must be one or more names"),
    ({"id": "https ://not-a-url/1"}, "credential's id 'https ://not-a-url/1' is not a URL"),
    ({"id": None}, "credential's id None is not a URL"),
    ({"id": ["urn:uuid:1", "urn:uuid:2"]}, "id has 2 values"),
    ({"issuer": ...}, "issuer is missing"),
    ({"issuer": None}, "issuer must be a URL or an object"),
    ({"issuer": "not a url"}, "issuer 'not a url' is not a URL"),
    ({"issuer": {"name": "Example University"}}, "issuer is an object without an id"),
    ({"issuer": {"id": None}}, "issuer id None is not a URL"),
    ({"credentialSubject": ...}, "credentialSubject is missing"),
    ({"credentialSubject": {}}, "credentialSubject holds an empty object"),
    ({"credentialSubject": [{"id": "did:example:a", "x": 1}, {}]}, "credentialSubject holds an empty object"),
    ({"credentialSubject": "did:example:learner"}, "credentialSubject must be an object"),
    ({"credentialSubject": {"id": ["did:example:a", "did:example:b"]}}, "credentialSubject's id has 2 values"),
    ({"validFrom": "2025-01-01T00:00:00"}, "validFrom '2025-01-01T00:00:00' is not an XML Schema dateTimeStamp"),
    ({"validFrom": "Sat 25 Feb 2023 07:16:31 PM CST"}, "validFrom"),
    ({"validUntil": "2030-13-01T00:00:00Z"}, "validUntil"),
    ({"name": {"@value": "Degree", "@language": "en", "extra": "x"}}, "credential's name must be text"),
    ({"description": 5}, "credential's description must be text"),
    ({"issuer": {"id": ISSUER, "name": {"value": "Uni"}}}, "issuer's name must be text"),
    ({"credentialStatus": {"id": "https://example.org/status#1"}}, "credentialStatus has no type"),
    ({"credentialStatus": {"id": "https ://x", "type": "BitstringStatusListEntry"}}, "credentialStatus id"),
    ({"credentialStatus": {"type": 2}}, "credentialStatus has no type"),
    ({"credentialSchema": {"type": "JsonSchema"}}, "credentialSchema has no id"),
    ({"credentialSchema": {"id": "https://example.org/schema.json"}}, "credentialSchema has no type"),
    ({"termsOfUse": {"id": "https://example.org/tou"}}, "termsOfUse has no type"),
    ({"evidence": [{"id": "https://example.org/evidence/1"}]}, "evidence has no type"),
    ({"refreshService": {"id": "https://example.org/refresh"}}, "refreshService has no type"),
    ({"relatedResource": [{"id": "https://example.org/a", "digestSRI": "sha384-x"},
                          {"id": "https://example.org/a", "digestSRI": "sha384-y"}]},
     "names 'https://example.org/a' twice"),
    ({"relatedResource": {"id": "https://example.org/a"}}, "has no digestSRI or digestMultibase"),
    ({"relatedResource": {"digestSRI": "sha384-x"}}, "relatedResource has no id"),
]


@pytest.mark.parametrize("changes,words", MALFORMED, ids=[w[:40] for _, w in MALFORMED])
def test_each_must_is_refused_naming_the_property(changes, words):
    document = credential(**changes)
    with pytest.raises(CredentialFailure) as refused:
        vcdm.check_credential(document)
    assert refused.value.reason is Reason.MALFORMED and words in refused.value.message
    try:
        signed = jcs(document)
    except CredentialFailure:        # not even signable (a context we do not hold): nothing to verify
        return
    verdict = check(signed).verdict
    assert not verdict.valid
    try:
        data_integrity.verify_proof(json.loads(signed))
    except CredentialFailure:        # the proof layer refuses first (no issuer to bind, no type)
        return
    # The signature over the crafted document is genuine: only the data model is wrong.
    if "VerifiableCredential" not in vcdm.types_of(document):   # reading it at all says what type lacks
        assert verdict.reason is Reason.UNSUPPORTED_FORMAT and "not a VerifiableCredential" in verdict.message
        return
    assert verdict.reason is Reason.MALFORMED and words in verdict.message, verdict.message


OPTIONAL_OK = [
    {"validFrom": "2025-01-01T00:00:00.123+05:30", "validUntil": "2199-01-01T00:00:00Z"},
    {"name": "Degree", "description": [{"@value": "Diplôme", "@language": "fr", "@direction": "ltr"},
                                       {"@value": "Degree", "@language": "en"}]},
    {"issuer": {"id": ISSUER, "name": "Example University"}},
    {"credentialSubject": [{"id": "did:example:a", "degree": "BSc"}, {"degree": "MSc"}]},
    {"credentialStatus": {"type": "ExampleStatus"}},      # an id is optional in 2.0
    {"credentialSchema": [{"id": "https://example.org/schema.json", "type": "JsonSchema"}]},
    {"relatedResource": [{"id": "https://example.org/a", "digestMultibase": "uEiB"}]},
    {"id": ...},
    {"__context": [V2, {"ExampleDegreeCredential": "https://example.org/#ExampleDegreeCredential"}]},
]


@pytest.mark.parametrize("changes", OPTIONAL_OK, ids=range(len(OPTIONAL_OK)))
def test_what_the_model_allows_still_verifies(changes):
    verdict = verdict_of(credential(**changes))
    assert verdict.valid, verdict.message


def test_v1_credentials_need_issuance_date():
    v1 = credential(__context=[V1], validFrom=..., type=["VerifiableCredential"])
    verdict = verdict_of(v1)
    assert verdict.reason is Reason.MALFORMED and "issuanceDate is missing" in verdict.message
    v1["issuanceDate"] = "2025-01-01T00:00:00Z"
    assert verdict_of(v1).valid
    v1["expirationDate"] = "next year"
    verdict = verdict_of(v1)
    assert verdict.reason is Reason.MALFORMED and "expirationDate 'next year'" in verdict.message


def test_a_vc_jwt_is_held_to_the_same_model():
    """VC-JOSE-COSE: the signed payload is the credential, so its MUSTs apply as well."""
    good = jwt_vc.sign_jwt_vc(credential(), KEY, kid=METHOD, data_model="2.0")
    assert check(good.encode()).verdict.valid
    bad = jwt_vc.sign_jwt_vc(credential(credentialSubject={}), KEY, kid=METHOD, data_model="2.0")
    verdict = check(bad.encode()).verdict
    assert verdict.reason is Reason.MALFORMED and "credentialSubject holds an empty object" in verdict.message


# --------------------------------------------------------------------------- envelopes

def envelope(token: str, media: str = "application/vc+jwt", **changes) -> dict:
    document = {"@context": V2, "type": "EnvelopedVerifiableCredential", "id": f"data:{media},{token}"}
    for name, value in changes.items():
        name = "@context" if name == "__context" else name
        if value is ...:
            document.pop(name)
        else:
            document[name] = value
    return document


TOKEN = jwt_vc.sign_jwt_vc(credential(), KEY, kid=METHOD, data_model="2.0")


@pytest.mark.parametrize("media", ["application/vc+jwt", "application/jwt", "application/vc-ld+jwt"])
def test_an_enveloped_vc_jwt_verifies(media):
    verdict = check(json.dumps(envelope(TOKEN, media)).encode()).verdict
    assert verdict.valid and verdict.format == "jwt-vc", verdict.message


def test_an_envelope_base64_encoded_verifies():
    import base64
    document = envelope("", "application/vc+jwt")
    document["id"] = "data:application/vc+jwt;base64," + base64.b64encode(TOKEN.encode()).decode()
    assert check(json.dumps(document).encode()).verdict.valid


ENVELOPE_FAULTS = [
    ({"__context": []}, "@context is missing"),
    ({"__context": EXAMPLES}, "must start with https://www.w3.org/ns/credentials/v2"),
    ({"__context": ...}, "@context is missing"),
    ({"type": "VerifiableCredential", "__context": V2}, None),     # then no proof: not a credential at all
    ({"type": ["EnvelopedVerifiableCredential", "VerifiableCredential"]}, "type must be EnvelopedVerifiableCredential"),
    ({"type": ...}, "type must be EnvelopedVerifiableCredential"),
    # Unsigned claims riding along outside the payload would be shown as if signed.
    ({"credentialSubject": {"id": "did:example:someone-else", "degree": "PhD"}}, "outside its signed payload"),
    ({"id": TOKEN}, "id is not a data: URL"),
]


@pytest.mark.parametrize("changes,words", ENVELOPE_FAULTS, ids=range(len(ENVELOPE_FAULTS)))
def test_envelope_rules(changes, words):
    verdict = check(json.dumps(envelope(TOKEN, **changes)).encode()).verdict
    assert not verdict.valid
    if words:
        assert verdict.reason is Reason.MALFORMED and words in verdict.message, verdict.message


def test_the_payload_must_be_what_the_media_type_says():
    """A presentation JWT is not a credential, an SD-JWT is not a JWT, and the reverse."""
    sd_like = TOKEN + "~"
    verdict = check(json.dumps(envelope(sd_like, "application/vc+jwt")).encode()).verdict
    assert verdict.reason is Reason.MALFORMED and "is not a JWT" in verdict.message
    verdict = check(json.dumps(envelope(TOKEN, "application/vc+sd-jwt")).encode()).verdict
    assert verdict.reason is Reason.MALFORMED and "is not an SD-JWT" in verdict.message
    verdict = check(json.dumps(envelope(TOKEN, "application/vc")).encode()).verdict
    assert verdict.reason is Reason.MALFORMED and "not JSON" in verdict.message
    verdict = check(json.dumps(envelope(TOKEN, "text/html")).encode()).verdict
    assert verdict.reason is Reason.UNSUPPORTED_FORMAT and "text/html" in verdict.message
    vp = jwt_vc.sign_jwt_vp([TOKEN], KEY, kid=METHOD, audience="x", nonce="n")
    verdict = check(json.dumps(envelope(vp, "application/vc+jwt")).encode()).verdict
    assert not verdict.valid and "presentation" in verdict.message


def test_an_enveloped_json_credential_is_verified_as_one():
    inner = jcs(credential()).decode()
    import urllib.parse
    document = envelope(urllib.parse.quote(inner), "application/vc+ld+json")
    assert check(json.dumps(document).encode()).verdict.valid
    # An envelope inside an envelope is not a credential.
    nested = envelope(urllib.parse.quote(json.dumps(envelope(TOKEN))), "application/vc")
    verdict = check(json.dumps(nested).encode()).verdict
    assert verdict.reason is Reason.MALFORMED and "payload is not a credential" in verdict.message


def test_data_url_and_url_helpers():
    assert vcdm.data_url("data:application/vc+jwt;base64,YWJj", "x") == ("application/vc+jwt", "abc")
    assert vcdm.data_url("data:Application/JWT,a%2Eb", "x") == ("application/jwt", "a.b")
    with pytest.raises(CredentialFailure):
        vcdm.data_url("data:application/jwt;base64,@@@", "x")
    assert all(vcdm.is_url(u) for u in ("did:key:z6Mk", "urn:uuid:1", "https://a.example/b#c"))
    assert not any(vcdm.is_url(u) for u in ("https ://a", "z6Mk", "", None, 5, "a" * 9000 + ":x"))


def test_checks_never_mutate_the_credential():
    document = credential(credentialSubject=[{"id": "did:example:a", "x": 1}])
    before = copy.deepcopy(document)
    vcdm.check_credential(document)
    assert document == before


# ------------------------------------------------------- inline contexts under RDF suites

def rdfc(document: dict) -> dict:
    return data_integrity.sign(document, KEY, METHOD, cryptosuite="eddsa-rdfc-2022")


@pytest.mark.parametrize("inline", [
    {"ExampleDegreeCredential": "https://example.org/#ExampleDegreeCredential"},
    {"@context": {"ExampleDegreeCredential": "https://example.org/vocab/ExampleDegreeCredential"}},
])
def test_an_inline_context_whose_terms_name_themselves_verifies(inline):
    """As VCDM 2.0's examples and the W3C suites write them: the key is the IRI's own name."""
    signed = rdfc(credential(__context=[V2, EXAMPLES, inline]))
    assert check(json.dumps(signed).encode()).verdict.valid


def test_a_relabelling_inline_context_is_still_refused():
    """w3c/vc-data-integrity#272: swap what two keys mean and swap their values; the RDF,
    so the signature, is unchanged, but a reader of the JSON sees the other value."""
    honest = {"major": "https://example.org/#major", "minor": "https://example.org/#minor"}
    signed = rdfc(credential(__context=[V2, EXAMPLES, honest], credentialSubject={"major": "Physics", "minor": "Art"}))
    assert check(json.dumps(signed).encode()).verdict.valid      # as signed: self-naming, accepted
    swapped = copy.deepcopy(signed)
    swapped["@context"][2] = {"major": "https://example.org/#minor", "minor": "https://example.org/#major"}
    swapped["credentialSubject"] = {"major": "Art", "minor": "Physics"}
    verdict = check(json.dumps(swapped).encode()).verdict
    assert verdict.reason is Reason.MALFORMED and "inline @context" in verdict.message
    for unsafe in ({"degree": "https://schema.org/name"}, {"@vocab": "https://evil.example/#"},
                   {"x": {"@id": "https://example.org/#x", "@container": "@index"}}, {}):
        crafted = copy.deepcopy(signed)
        crafted["@context"][2] = unsafe
        verdict = check(json.dumps(crafted).encode()).verdict
        assert verdict.reason is Reason.MALFORMED and "inline @context" in verdict.message, unsafe
