"""The display model: Open Badges 3.0 fixtures, plain VCs, VC-JWT and SD-JWT VC claim sets."""

import json
from datetime import datetime, timezone
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from vault.credentials.openbadges import Alignment, CredentialDisplay, ResultLine, display_for

FIXTURES = Path(__file__).parents[1] / "fixtures" / "credentials"
OB30 = FIXTURES / "ob30"


def load(name: str) -> dict:
    return json.loads((OB30 / name).read_bytes())


def test_complete_badge():
    d = display_for(load("complete.json"))
    assert d.kind == "open-badge" and d.is_open_badge
    # The credential's own name, not its achievement's (OB 3.0: "for display purposes in wallets").
    assert d.title == "1EdTech University Degree for Example Student"
    assert d.description == "1EdTech University Degree Description"
    assert d.criteria_narrative.startswith("# Degree Requirements")
    assert d.criteria_url == "https://1edtech.edu/achievements/degree"
    assert d.image == "https://1edtech.edu/achievements/degree/image"
    assert d.image_caption == "1EdTech University Degree"
    assert d.issuer_name == "1EdTech University"
    assert d.issuer_id == "https://1edtech.edu/issuers/565049"
    assert d.issuer_logo == "https://1edtech.edu/logo.png"
    assert d.subject_id == "did:example:ebfeb1f712ebc6f1c276e12ec21"
    assert d.achievement_type == "Degree"
    assert d.alignments == (
        Alignment("1EdTech University Degree", "https://1edtech.edu/catalog/degree",
                  "1EdTech University Program and Course Catalog", "degree"),
        Alignment("1EdTech University Degree",
                  "https://credentialengineregistry.org/resources/"
                  "ce-98cb027b-95ef-4494-908d-6f7790ec6b6b",
                  "1EdTech University Program and Course Catalog", "degree"))
    # Alignments are plain tuples too: (targetName, targetUrl, targetFramework, targetCode).
    assert tuple(d.alignments[0])[0] == "1EdTech University Degree"
    assert [r.name for r in d.result_descriptions] == ["Final Project Grade",
                                                       "Final Project Grade", "Project Status"]
    assert d.result_descriptions[0].allowed_values == ("D", "C", "B", "A")
    assert d.results == (ResultLine("Final Project Grade", "A"),
                         ResultLine("Final Project Grade", "Mastery"),
                         ResultLine("Final Project Grade", "Completed"))
    assert [e.name for e in d.evidence] == ["Final Project Report", "Final Project Code"]
    assert d.valid_from == datetime(2010, 1, 1, tzinfo=timezone.utc)
    assert d.valid_until == datetime(2030, 1, 1, tzinfo=timezone.utc)
    assert d.types == ("VerifiableCredential", "OpenBadgeCredential")
    claims = dict(d.claims)
    assert claims["achievement.name"] == "1EdTech University Degree"
    assert claims["creditsEarned"] == 42
    assert claims["result[0].value"] == "A"
    assert claims["identifier[1].identityHash"] == "somebody@gmail.com"
    assert "degree" in d.search_text() and "major domo" in d.search_text()


def test_complete_v1_uses_vc11_dates():
    d = display_for(load("complete_v1.json"))
    assert d.title == "1EdTech University Degree for Example Student"
    assert d.valid_from == datetime(2010, 1, 1, tzinfo=timezone.utc)
    assert d.valid_until == datetime(2020, 1, 1, tzinfo=timezone.utc)
    assert d.expired(datetime(2025, 1, 1, tzinfo=timezone.utc))


def test_simple_badge():
    d = display_for(load("simple.json"))
    assert (d.title, d.issuer_name, d.issuer_id) == (
        "Teamwork Badge", "Example Corp", "https://example.com/issuers/876543")
    assert d.criteria_narrative.startswith("Team members are nominated")
    assert d.image is None and d.alignments == () and d.valid_until is None


def test_credential_name_then_type_in_words():
    assert display_for({"type": ["VerifiableCredential", "EmployeeIdCredential"],
                        "name": "Staff card"}).title == "Staff card"
    d = display_for({"type": ["VerifiableCredential", "UniversityDegreeCredential"],
                     "issuer": "did:example:76e12ec712ebc6f1c221ebfeb1f",
                     "credentialSubject": {"id": "did:example:1", "name": "Jayden Doe",
                                           "degree": {"type": "BachelorDegree",
                                                      "name": "Bachelor of Science"}}})
    assert d.kind == "vc" and d.title == "University Degree"
    assert d.issuer_id == "did:example:76e12ec712ebc6f1c221ebfeb1f" and d.issuer_name is None
    assert d.subject_name == "Jayden Doe"
    assert ("degree.name", "Bachelor of Science") in d.claims
    assert display_for({"type": "VerifiableCredential"}).title == "Credential"


def test_image_as_string_data_uri_and_language_maps():
    d = display_for({"type": ["VerifiableCredential", "OpenBadgeCredential"],
                     "name": [{"@value": "Abzeichen", "@language": "de"},
                              {"@value": "Badge", "@language": "en"}],
                     "image": "data:image/png;base64,iVBORw0KGgo=",
                     "issuer": {"id": "did:example:i", "name": "Issuer",
                                "image": "https://issuer.example/logo.svg"},
                     "credentialSubject": {"achievement": {"criteria": {"id": "https://c"}}}})
    assert d.title == "Badge"
    assert d.image == "data:image/png;base64,iVBORw0KGgo=" and d.image_caption is None
    assert d.issuer_logo == "https://issuer.example/logo.svg"
    assert d.criteria_url == "https://c" and d.criteria_narrative is None


def test_vc_jwt_payload_with_vc_claim():
    payload = {"iss": "https://issuer.example", "sub": "did:example:holder", "nbf": 1262304000,
               "exp": 1893456000, "jti": "urn:uuid:1",
               "vc": {"type": ["VerifiableCredential", "OpenBadgeCredential"],
                      "credentialSubject": {"achievement": {"name": "Teamwork"}}}}
    d = display_for(payload)
    assert d.title == "Teamwork" and d.issuer_id == "https://issuer.example"
    assert d.subject_id == "did:example:holder" and d.id == "urn:uuid:1"
    assert d.valid_from == datetime(2010, 1, 1, tzinfo=timezone.utc)
    assert d.valid_until == datetime(2030, 1, 1, tzinfo=timezone.utc)


def test_sd_jwt_vc_claim_set():
    claims = {"iss": "https://pid-issuer.example", "iat": 1683000000, "exp": 1883000000,
              "vct": "https://credentials.example.com/identity_credential",
              "issuer_name": "Example PID Issuer", "given_name": "Erika",
              "family_name": "Mustermann", "address": {"locality": "Köln"},
              "cnf": {"jwk": {"kty": "EC"}}, "_sd_alg": "sha-256"}
    d = display_for(claims)
    assert d.kind == "sd-jwt-vc"
    assert d.title == "Identity"
    assert d.issuer_name == "Example PID Issuer" and d.issuer_id == "https://pid-issuer.example"
    assert d.subject_name == "Erika Mustermann"
    assert dict(d.claims) == {"given_name": "Erika", "family_name": "Mustermann",
                              "address.locality": "Köln"}
    assert d.valid_from == datetime.fromtimestamp(1683000000, timezone.utc)


def test_sd_jwt_open_badge_claims():
    d = display_for({"iss": "https://school.example", "vct": "OpenBadgeCredential",
                     "issuer_name": "Example School",
                     "achievement": {"name": "Python I", "description": "Basics",
                                     "image": {"id": "https://school.example/py.png"},
                                     "criteria": {"narrative": "Pass the exam"}}})
    assert d.kind == "open-badge"
    assert (d.title, d.description, d.issuer_name, d.image, d.criteria_narrative) == (
        "Python I", "Basics", "Example School", "https://school.example/py.png", "Pass the exam")


def test_wrong_types_are_skipped():
    d = display_for({"type": 7, "name": 3, "issuer": ["x"], "validFrom": "yesterday",
                     "validUntil": 12, "image": {"caption": "no id"},
                     "credentialSubject": {"achievement": "not an object", "result": "A",
                                           "name": {"nested": True}}})
    assert d.title == "Credential" and d.issuer_id is None and d.valid_from is None
    assert d.image is None and d.results == () and d.subject_name is None
    assert isinstance(d, CredentialDisplay)
    assert display_for([]).title == "Credential"          # not even a dict


def test_claims_are_bounded():
    deep = {}
    node = deep
    for _ in range(200):
        node["x"] = {}
        node = node["x"]
    node["leaf"] = 1
    wide = {f"k{i}": i for i in range(20_000)}
    assert display_for({"credentialSubject": deep}).claims == ()
    assert len(display_for({"credentialSubject": wide}).claims) == 5_000


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12)
credential_keys = st.sampled_from(
    ["type", "name", "description", "image", "issuer", "credentialSubject", "validFrom",
     "validUntil", "issuanceDate", "expirationDate", "vc", "vct", "iss", "sub", "nbf", "exp",
     "iat", "issuer_name", "achievement", "given_name", "evidence", "awardedDate", "id",
     "alignment"])
subject_keys = st.sampled_from(["achievement", "result", "name", "image", "id", "given_name",
                                "family_name", "alignment", "criteria", "resultDescription",
                                "rubricCriterionLevel", "achievedLevel", "resultDescription"])


def nested(keys):
    return st.recursive(json_values, lambda children: st.dictionaries(keys, children, max_size=6),
                        max_leaves=15)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(credential_keys, st.one_of(json_values, nested(subject_keys)),
                       max_size=10))
def test_random_credentials_always_display(credential):
    d = display_for(credential)
    assert isinstance(d, CredentialDisplay) and isinstance(d.title, str) and d.title
    d.search_text()


@settings(max_examples=100, deadline=None)
@given(json_values)
def test_random_json_always_displays(value):
    assert isinstance(display_for(value), CredentialDisplay)
