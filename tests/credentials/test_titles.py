"""Every credential's title, as a card, the detail view and the Verify page show it.

Table-driven over every vendored fixture that holds a credential (JSON, JWT, SD-JWT,
baked PNG/SVG, the credentials inside presentations, the SD-JWT specification
examples): the title is non-empty plain text, never an identifier, and never a generic
type word when the credential names itself. The rule it follows: a VC's own ``name``
(OB 3.0: "the name of the credential for display purposes in wallets"), else its
achievement's, else its type in words; a CLR 2.0 transcript by its own name, never its
first achievement; an SD-JWT VC by its achievement or ``vct``, never by ``name`` (the
registered claim "full name" of its subject). Plus the attack the rule invites: a
``name`` added outside the signature.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from pyld import jsonld as pyld_jsonld

from tests.presentations.vp_fixtures import ISSUER, ISSUER_KEY, ISSUER_METHOD
from vault.credentials import blockcerts, data_integrity, jsonld, openbadges2
from vault.credentials.keys import public_key_from_method
from vault.credentials.openbadges import CLR_TITLE, display_for, transcript_achievements
from vault.credentials.verdict import Reason
from vault.credentials.verify import VerificationContext, check
from vault.did import did_key

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CLR = FIXTURES / "credentials" / "clr20"
# What a title must never be when the credential names itself.
GENERIC = {"Credential", "Verifiable Credential", "Open Badge", "Open Badge Credential", "Achievement",
           "Achievement Credential", "Clr", CLR_TITLE, blockcerts.NAME, "Endorsement"}


def _text(value) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _first(value) -> dict:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, dict)), {})
    return value if isinstance(value, dict) else {}


def names_in(credential: dict, fmt: str) -> list[str]:
    """Every name the credential gives itself (or its badge), in the order the rule takes them."""
    subject = _first(credential.get("credentialSubject"))
    if fmt.startswith("ob2"):
        return [n for n in [_text(_first(credential.get("badge")).get("name"))] if n]
    if fmt == blockcerts.FORMAT:
        return [n for n in (_text(credential.get("name")), _text(_first(subject.get("claim")).get("name"))) if n]
    if fmt == "sd-jwt-vc":
        return [n for n in [_text(_first(credential.get("achievement")).get("name"))] if n]
    types = credential.get("type") or []
    if "ClrCredential" in types:
        return [n for n in [_text(credential.get("name"))] if n]
    return [n for n in (_text(credential.get("name")), _text(_first(subject.get("achievement")).get("name"))) if n]


def _readings():
    """(fixture, format, credential data model, display) for every credential in tests/fixtures."""
    for path in sorted(p for p in FIXTURES.rglob("*") if p.is_file()):
        name = str(path.relative_to(FIXTURES))
        data = path.read_bytes()
        try:
            document = json.loads(data)
        except ValueError:
            document = None
        if isinstance(document, dict) and isinstance(document.get("expected_processed_payload"), dict):
            claims = document["expected_processed_payload"]     # an SD-JWT as its verifier reads it
            yield name, "sd-jwt-vc", claims, display_for(claims)
            continue
        if isinstance(document, dict) and isinstance(document.get("verifiableCredential"), list):
            items = [(f"{name}[{i}]", json.dumps(c).encode()) for i, c in enumerate(document["verifiableCredential"])
                     if isinstance(c, dict)]
        else:
            items = [(name, data)]
        for label, raw in items:
            checked = check(raw)
            if checked.display is not None:
                yield label, checked.format, checked.credential, checked.display


READINGS = list(_readings())


def test_the_table_covers_every_format():
    formats = {fmt for _, fmt, _, _ in READINGS}
    assert {"di-vc", "jwt-vc", "sd-jwt-vc", "ob2-hosted", "blockcerts"} <= formats
    assert len(READINGS) >= 200
    kinds = {d.kind for *_, d in READINGS}
    assert {"clr", "open-badge", "vc", "sd-jwt-vc"} <= kinds
    assert any("EndorsementCredential" in d.types for *_, d in READINGS)
    assert any(label.endswith(".png") for label, *_ in READINGS)          # a baked badge


@pytest.mark.parametrize("label, fmt, credential, display", READINGS, ids=[r[0] for r in READINGS])
def test_every_fixture_has_a_sensible_title(label, fmt, credential, display):
    title = display.title
    assert title and title == title.strip() and "\n" not in title and len(title) <= 300, title
    assert not title.startswith(("http://", "https://", "did:", "urn:")), title
    names = names_in(credential, fmt)
    if names:
        assert title == names[0], f"{label}: titled {title!r}, named {names}"
        assert title not in GENERIC, label
    if display.kind == "clr":
        nested = _first(credential.get("credentialSubject")).get("verifiableCredential")
        assert len(display.achievements) == len(nested) >= 1
        assert display.kind_line == f"Transcript · {len(nested)} achievement{'' if len(nested) == 1 else 's'}"


@pytest.mark.parametrize("fixture, title", [
    ("credentials/ob30/complete.json", "1EdTech University Degree for Example Student"),   # name over achievement
    ("credentials/ob30/simple.json", "Teamwork Badge"),
    ("credentials/ob30/simple-jwt.png", "Teamwork Badge"),                # baked, VC-JWT inside
    ("credentials/ob30/simple.jwt", "Example University Degree"),        # RS256: undecided, still titled
    ("credentials/ob30/endorsement-valid.json", "Example endorsement"),
    ("credentials/clr20/simple.json", "Sample Transcript"),               # not "Achievement 1"
    ("credentials/clr20/complex.json", "Ellis Monday"),
    ("credentials/blockcerts/testnet-v3-did.json", "V3 issuance"),
    ("credentials/blockcerts/ethereum-sepolia-v3.json", "Blockcerts certificate for Julien Fraichot"),
    ("credentials/sd-jwt/interop/valid-02-es256.sd-jwt", "Introduction to Programming (Python)"),
    ("credentials/data-integrity/vc-di-eddsa/unsigned.json", "Alumni Credential"),
    ("credentials/status/w3c-spec-examples/credential-revocation-and-suspension-entries.json", "Employee Id"),
    ("credentials/ob20/hosted-assertion.json", "Open Badge"),            # its badge is a URL: no name here
])
def test_titles_of_each_format(fixture, title):
    assert check((FIXTURES / fixture).read_bytes()).display.title == title


def test_dcc_credentials_use_their_own_name_over_the_achievements():
    folder = FIXTURES / "credentials/data-integrity/dcc-vc-test-fixtures/verifiableCredentials"
    named = check((folder / "v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-credName.json")
                  .read_bytes()).display
    assert named.title == "Parker Pearl"
    unnamed = check((folder / "v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-credSubjName.json")
                    .read_bytes()).display
    assert unnamed.title == "Truth, veracity, candor, and verisimilitude." and unnamed.subject_name == "Parker Pearl"


# ------------------------------------------------------------------------------ the display model

def test_a_clr_is_a_transcript_titled_by_its_own_name():
    d = display_for(json.loads((CLR / "complex.json").read_bytes()))
    assert (d.kind, d.is_transcript, d.is_open_badge, d.title) == ("clr", True, False, "Ellis Monday")
    assert d.achievements == ("Nurse Assistant 1 Program with Licensure", "Health Careers 1",
                              "Human Anatomy and Physiology", "Intro to Health Careers", "Nurse Assisting 1",
                              "Oregon State Board of Nursing - Certified Nursing Assistant")
    assert d.kind_line == "Transcript · 6 achievements"
    assert d.issuer_name == "Western High School, RSD"
    assert "anatomy" in d.search_text()
    simple = display_for(json.loads((CLR / "simple.json").read_bytes()))
    # Its ClrSubject lists "Achievement 1" and "Achievement 2": what the transcript is about,
    # not a badge of its own: no criteria, image or description borrowed from them.
    assert simple.title == "Sample Transcript" and simple.achievements == ("Teamwork Badge",)
    assert simple.kind_line == "Transcript · 1 achievement"
    assert (simple.criteria_url, simple.image, simple.description) == (None, None, None)
    assert transcript_achievements(json.loads((CLR / "simple.json").read_bytes())["credentialSubject"]) == (
        "Teamwork Badge",)
    assert transcript_achievements({"type": "AchievementSubject", "verifiableCredential": [{}]}) is None


def test_a_clr_without_a_name_and_odd_members():
    d = display_for({"type": ["VerifiableCredential", "ClrCredential"],
                     "credentialSubject": {"type": ["ClrSubject"], "verifiableCredential": [
                         {"type": ["VerifiableCredential", "OpenBadgeCredential"],
                          "credentialSubject": {"achievement": {"name": "Welding I"}}},
                         "eyJ.not-an-object", {"type": ["VerifiableCredential", "EndorsementCredential"],
                                              "credentialSubject": {"id": "https://school.example"}}]}})
    assert d.title == CLR_TITLE and d.achievements == ("Welding I", "Endorsement of https://school.example")
    assert d.kind_line == "Transcript · 2 achievements"


def test_a_transcript_of_many_achievements_is_counted_whole():
    nested = [{"name": f"Course {i}"} for i in range(3_000)]
    d = display_for({"type": ["VerifiableCredential", "ClrCredential"], "name": "Record",
                     "credentialSubject": {"type": "ClrSubject", "verifiableCredential": nested}})
    assert len(d.achievements) == 3_000 and d.kind_line == "Transcript · 3,000 achievements"


def test_endorsements_name_what_they_endorse():
    d = display_for({"type": ["VerifiableCredential", "EndorsementCredential"],
                     "credentialSubject": {"id": "https://1edtech.edu/issuers/565049", "type": "EndorsementSubject",
                                           "endorsementComment": "In good standing"}})
    assert d.title == "Endorsement of https://1edtech.edu/issuers/565049"
    assert d.description == "In good standing"


def test_sd_jwt_vc_is_titled_by_vct_never_by_the_subjects_name():
    pid = display_for({"iss": "https://pid.example", "vct": "urn:eudi:pid:de:1", "name": "Erika Mustermann"})
    assert (pid.title, pid.subject_name) == ("PID", "Erika Mustermann")
    assert display_for({"iss": "x", "vct": "https://credentials.example.com/identity_credential"}).title == "Identity"
    assert display_for({"iss": "x", "vct": "urn:example:vct:open-badge-achievement:1"}).title == (
        "Open Badge Achievement")
    assert display_for({"iss": "x", "vct": "urn:1:2"}).title == "urn:1:2"      # nothing better to say


def test_open_badges_2_is_titled_by_its_badge():
    assertion = {"type": "Assertion", "recipient": {"identity": "a@example.org", "hashed": False},
                 "badge": {"type": "BadgeClass", "name": "Robotics", "issuer": {"id": "https://i.example"}}}
    assert openbadges2.display_for(assertion).title == "Robotics"
    assert openbadges2.display_for({**assertion, "badge": "https://i.example/badge"}).title == "Open Badge"


# ------------------------------------------------------------------------------ the attack

def test_a_name_added_outside_the_signature_titles_nothing():
    """The title is now the VC's own name: an attacker adds a `name` the contexts do not
    define (VC 1.1 has none), so the signed dataset, and the signature, are unchanged. The
    vault refuses it, naming the member: no card, no title, nothing stored."""
    document = {"@context": ["https://www.w3.org/2018/credentials/v1",
                             "https://w3id.org/security/suites/ed25519-2020/v1"],
                "id": "urn:uuid:5d2e4f1c-0c8a-4d8e-9a1f-3c9b2f0e7a11", "type": ["VerifiableCredential"],
                "issuer": ISSUER, "issuanceDate": "2025-01-01T00:00:00Z",
                "credentialSubject": {"id": did_key.from_ed25519(bytes(32))}}
    signed = data_integrity.sign(document, ISSUER_KEY, ISSUER_METHOD, cryptosuite="Ed25519Signature2020",
                                 created="2025-01-01T00:00:00Z")
    assert check(json.dumps(signed).encode()).verdict.valid
    forged = {**copy.deepcopy(signed), "name": "Doctor of Medicine"}

    def nquads(d):
        return pyld_jsonld.normalize({k: v for k, v in copy.deepcopy(d).items() if k != "proof"},
                                     {"algorithm": "URDNA2015", "format": "application/n-quads",
                                      "documentLoader": jsonld.document_loader, "base": None})
    assert nquads(forged) == nquads(signed)          # the signature would verify over it
    checked = check(json.dumps(forged).encode(), VerificationContext())
    assert not checked.verdict.valid and checked.verdict.reason is Reason.MALFORMED
    assert "'name'" in checked.verdict.message and "signature would not cover it" in checked.verdict.message


def test_a_tampered_nested_achievement_breaks_the_transcript():
    """A CLR signs its nested credentials as data: renaming one after signing is caught."""
    document = json.loads((CLR / "simple.json").read_bytes())
    document.pop("proof")
    document["issuer"] = {"id": ISSUER, "type": ["Profile"], "name": "Test College"}
    signed = data_integrity.sign(document, ISSUER_KEY, ISSUER_METHOD, created="2025-01-01T00:00:00Z")
    assert check(json.dumps(signed).encode()).verdict.valid
    signed["credentialSubject"]["verifiableCredential"][0]["name"] = "Doctor of Medicine"
    assert check(json.dumps(signed).encode()).verdict.reason is Reason.BAD_SIGNATURE


def test_the_real_clr_signatures_verify_with_the_vendored_clr_contexts():
    """1EdTech's own CLR 2.0 examples, signed elsewhere: canonicalized here with the
    vendored CLR contexts (2.0.1 and the first), their signatures match the keys their
    verification methods name (a Multikey fragment; a did:key)."""
    for name in ("simple.json", "complex.json"):
        document = json.loads((CLR / name).read_bytes())
        proof = document["proof"][0] if isinstance(document["proof"], list) else document["proof"]
        key = proof["verificationMethod"].rsplit("#", 1)[-1].rsplit(":", 1)[-1]
        method = did_key.resolve(f"did:key:{key}")["verificationMethod"][0]
        data_integrity.verify_signature(document, proof, public_key_from_method(method))
